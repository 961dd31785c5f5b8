"""Small rules of the extractive answerer, on text written for the tests."""

from __future__ import annotations

from types import SimpleNamespace

from retrieval.extractive import _names_someone, _unknown_names
from retrieval.text import stem


def vocabulary(*words: str) -> SimpleNamespace:
    return SimpleNamespace(vocabulary={stem(w) for w in words} | set(words))


def test_a_hyphenated_name_is_known_when_each_part_is():
    corpus = vocabulary("rusia-tiongkok", "rusia", "tiongkok", "jerman")
    assert _unknown_names(corpus, "Who organised the briefing on Russia-China relations?") == []
    assert _unknown_names(corpus, "What did Russia-Narnia talks achieve?") == ["Russia-Narnia"]
    assert _unknown_names(corpus, "Apa kata Zelda?") == ["Zelda"]


def test_names_someone_needs_a_new_multiword_name():
    question = "Which officials went with Putin to Beijing?"
    assert not _names_someone("Putin travelled to Beijing with senior security officials on Thursday.", question)
    assert _names_someone("Defence Minister Andrey Belousov and Sergey Shoigu were both there.", question)
    assert not _names_someone("Vladimir Putin arrived.", "What did Vladimir Putin do?")


def test_the_first_word_of_a_question_is_not_taken_for_an_unknown_name():
    corpus = vocabulary("pelabuhan", "lamongan", "dibuka")
    # Capitalised by the rules of writing, not because they are names: never "not mentioned" alone.
    assert _unknown_names(corpus, "Kapankah pelabuhan Lamongan dibuka?", whole_question=True) == []
    assert _unknown_names(corpus, "Berapakah biaya pelabuhan Lamongan?", whole_question=True) == []
    # A real name later in the question still counts, and a name given alone is still a name.
    assert _unknown_names(corpus, "Kapankah pelabuhan Zelda dibuka?", whole_question=True) == ["Zelda"]
    assert _unknown_names(corpus, "Zelda") == ["Zelda"]
