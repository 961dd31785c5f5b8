"""English words over Indonesian articles: a general English-Indonesian dictionary (FreeDict's, from
Wiktionary; text/data/lexicon_en_id.txt, built by evals/lexicon_en_id.py) gives the Indonesian words
an English word stands for in the words of a sentence. A translation never vouches for a name's
words: "World Cup" is not mentioned by an article that speaks of the "dunia"."""

from __future__ import annotations

import base64
from types import SimpleNamespace

from evals.lexicon_en_id import lexicon, name_phrases
from retrieval.extractive._common import _question_words, _unknown_names
from text.tokens import english_names, indonesian_spellings, indonesian_translations, name_forms, query_terms, stem, terms


def vocabulary(*words: str) -> SimpleNamespace:
    return SimpleNamespace(vocabulary={stem(w) for w in words} | set(words))


def test_a_common_word_and_its_inflected_forms_stand_for_their_translations():
    assert "barat" in indonesian_translations("west")
    assert "harga" in indonesian_translations("prices")  # through "price"
    assert "pajak" in indonesian_translations("tax")  # short words too
    assert "listrik" in indonesian_translations("electricity")
    # A proper noun's translation is its Indonesian name, a spelling as good as "Moskow".
    assert "jawa" in indonesian_spellings("Java") and "jawa" not in indonesian_translations("Java")
    assert indonesian_translations("Zorblax") == frozenset()


def test_an_english_question_meets_indonesian_sentences_through_the_translations():
    groups = dict(_question_words("What was the gold price in West Kalimantan?", "en"))
    assert stem("emas") in groups["gold"] and stem("harga") in groups["price"] and stem("barat") in groups["west"]
    assert stem("harga") in query_terms("What was the gold price?")
    # An Indonesian question is its own words.
    assert stem("gold") not in query_terms("Berapa harga emas?") and stem("emas") in query_terms("Berapa harga emas?")


def test_a_translation_does_not_vouch_for_a_name():
    corpus = vocabulary("dunia", "piala", "jawa", "olimpiade")
    assert _unknown_names(corpus, "Who won the 2022 FIFA World Cup?") == ["FIFA World Cup"]
    assert _unknown_names(corpus, "Which city in Java had the highest inflation?") == []


def _dictd(tmp_path, entries: dict[str, str]):
    """A dictd pair (index and uncompressed dict) holding ``entries``, headword -> entry text."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    def b64(number: int) -> str:
        out = ""
        while True:
            out = alphabet[number % 64] + out
            number //= 64
            if not number:
                return out

    data, index = b"", []
    for headword, text in entries.items():
        raw = text.encode("utf-8")
        index.append(f"{headword}\t{b64(len(data))}\t{b64(len(raw))}")
        data += raw
    (tmp_path / "eng-ind.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    (tmp_path / "eng-ind.dict").write_bytes(data)
    return tmp_path / "eng-ind"


def test_the_builder_keeps_one_word_translations_and_leaves_out_personal_names(tmp_path):
    base = _dictd(tmp_path, {
        "00databaseinfo": "Edition: 2099.01.01\n",
        "gold": "gold /ɡəʊld/ <adj>\n1. keemasan\n2. emas\nmade of gold\n"
                "gold /ɡəʊld/ <n>\n1. emas 2.\nvaluable\n 3.\ncolour\n2. emas, kencana (logam)\nelement Au\n",
        "fuel": "fuel /fjuːl/ <n>\nbahan bakar\nsubstance burned\n",
        "Java": "Java /ˈdʒɑːvə/ <pn>\nJawa, pulau Jawa\nisland of Indonesia\n",
        "Aaron": "Aaron /ˈæɹən/ <pn>\nHarun\nmale given name\n",
        "gold mine": "gold mine /ɡəʊld maɪn/ <n>\ntambang emas\nmine for gold\n",
    })
    assert lexicon(base) == {("gold", False): ["keemasan", "emas", "kencana"], ("java", True): ["jawa"]}


def test_the_builder_keeps_names_of_several_words_with_their_indonesian_names(tmp_path):
    base = _dictd(tmp_path, {
        "00databaseinfo": "Edition: 2099.01.01\n",
        "united states": "United States /juˌnaɪtɪd ˈsteɪts/ <pn>\nAmerika Serikat, Amerika\nthe United States\n",
        "solar system": "solar system /ˈsəʊlə ˈsɪstəm/ <pn>\nsistem tatasurya\nthe Sun and its planets\n",
        "gold mine": "gold mine /ɡəʊld maɪn/ <n>\ntambang emas\nmine for gold\n",
        "john smith": "John Smith /dʒɒn smɪθ/ <pn>\nJohn Smith\nmale given name and surname\n",
    })
    assert name_phrases(base) == {"united states": ["Amerika Serikat", "Amerika"]}


def test_an_english_name_of_several_words_stands_for_its_indonesian_name():
    # "White House" is two dictionary words; word by word it is no "Gedung Putih".
    (start, end, names), = english_names("What did the White House say about tariffs?")
    assert (start, end) == (3, 5) and "Gedung Putih" in names
    assert {"gedung", "putih"} <= set(query_terms("What did the White House say about tariffs?"))
    # Only written as a name: "a white house" is a house.
    assert english_names("Who lives in the white house on the hill?") == []
    groups = dict(_question_words("What did the Middle East ministers agree?", "en"))
    assert stem("timur") in groups["middle"] and stem("tengah") in groups["east"]


def test_an_acronym_stands_for_the_names_it_is_the_initials_of_that_the_archive_holds():
    assert name_forms("Amerika Serikat") == {"amerika", "serikat", "as"}
    assert "pbb" in name_forms("Perserikatan Bangsa-Bangsa")
    (_, _, names), = english_names("How fast did the US economy grow?")
    assert "Amerika Serikat" in names
    archive = {stem(w) for w in ("amerika", "serikat", "ekonomi")}
    assert english_names("How fast did the US economy grow?", archive)[0][2] == ("Amerika Serikat", "Amerika")
    assert "as" in query_terms("How fast did the US economy grow?", archive)
    assert "paman" not in query_terms("How fast did the US economy grow?", archive)  # "Uncle Sam": not held
    # Lower case, "us" is the pronoun.
    assert english_names("Tell us how fast the economy grew", archive) == []


def test_a_function_word_written_as_an_acronym_is_a_term():
    # "AS" (Amerika Serikat) is no "as": Indonesian articles and questions keep it.
    assert "as" in terms("Inflasi AS naik 8,3 persen")
    assert "as" not in terms("as it was")
    assert "as" in query_terms("Berapa inflasi AS pada Juni 2022?")
