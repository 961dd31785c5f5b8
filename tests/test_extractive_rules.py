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
