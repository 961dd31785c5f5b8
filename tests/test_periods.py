"""The period evidence of a candidate, on sentences written for the test."""

from retrieval.periods import asked_periods, period_evidence


def evidence(question, date_iso, sentence, chunk=""):
    return period_evidence(asked_periods(question), date_iso, sentence, chunk or sentence)


def test_no_period_asked_is_no_evidence():
    assert not evidence("Berapa harga emas Antam?", "2019-05-20", "Harga emas naik.").asked


def test_the_article_date_answers_for_the_day_it_reports():
    e = evidence("What was the gold price on Monday 20 May 2019?", "2019-05-20", "Harga emas naik Rp5 ribu.")
    assert e.asked and e.dated and not e.conflict
    assert not evidence("What was the gold price on 20 May 2019?", "2019-06-10", "Harga emas naik.").dated


def test_a_day_written_without_its_year_counts_in_the_article_year():
    e = evidence("Berapa harga emas pada 10 Juni 2019?", "2019-06-12", "Harga emas naik pada Senin (10/6).")
    assert e.stated and not e.dated


def test_another_quarter_in_the_sentence_is_a_conflict():
    e = evidence("How much did the economy grow in the second quarter of 2023?", "2023-05-05",
                 "Ekonomi tumbuh 5,03 persen pada kuartal I 2023.")
    assert e.conflict and not e.stated
    assert evidence("Berapa pertumbuhan ekonomi kuartal I 2023?", "2023-05-05",
                    "Ekonomi tumbuh 5,03 persen pada kuartal I 2023.").stated


def test_quarterly_figures_are_reported_after_the_quarter():
    assert evidence("growth in Q3 2022", "2022-11-07", "Ekonomi tumbuh 5,72 persen.").dated
    assert not evidence("growth in Q3 2022", "2023-06-01", "Ekonomi tumbuh 5,72 persen.").dated


def test_a_coarser_period_does_not_speak_of_a_finer_one():
    e = evidence("Apa kata menteri pada Juli 2022?", "2022-12-01", "Sepanjang 2022 inflasi naik.")
    assert not e.stated and not e.conflict


def test_a_day_with_a_month_name_and_no_year_counts_in_the_article_year():
    e = evidence("What was the price of Pertalite on 1 November 2023?", "2023-10-02",
                 "Harga Pertalite per 1 Oktober di Jakarta tetap Rp10 ribu.")
    assert e.conflict and not e.stated
    assert evidence("Berapa harga Pertalite pada 1 Oktober 2023?", "2023-10-02",
                    "Harga Pertalite per 1 Oktober di Jakarta tetap Rp10 ribu.").stated


def test_a_day_the_chunk_mentions_does_not_speak_for_the_month_asked():
    sentence = "Inflasi provinsi itu tercatat 6 persen pada November 2022."
    chunk = f"{sentence} Hal itu disampaikan kepala dinas, Kamis (1/12)."
    e = evidence("What was the province's inflation in December 2022?", "2022-12-01", sentence, chunk)
    assert e.conflict and e.stated  # the day overlaps December, but as a day, not as the month asked
    chunk = f"{sentence} Pada Desember 2022 angka itu diperkirakan turun."
    assert not evidence("What was the province's inflation in December 2022?", "2022-12-01", sentence, chunk).conflict


def test_a_day_of_another_month_is_another_time_than_the_month_asked():
    e = evidence("How high did the price of shallots climb in November 2020?", "2021-05-03",
                 "Harga bawang merah naik menjadi Rp40 ribu per kg pada Senin (3/5).")
    assert e.conflict and not e.stated
    # A day inside the month asked is no conflict.
    assert not evidence("How high did the price of shallots climb in November 2020?", "2020-11-16",
                        "Harga bawang merah naik menjadi Rp40 ribu per kg pada Senin (16/11).").conflict


def test_the_day_after_the_day_asked_is_when_its_figures_are_reported():
    sentence = "Dilansir dari Reuters, Kamis (19/7), harga minyak sawit berjangka naik menjadi US$600 per ton."
    assert not evidence("What price did palm oil futures settle at on 18 July 2018?", "2018-07-19", sentence).conflict
    # A week later is another day.
    sentence = "Dilansir dari Reuters, Kamis (26/7), harga minyak sawit berjangka naik menjadi US$600 per ton."
    assert evidence("What price did palm oil futures settle at on 18 July 2018?", "2018-07-26", sentence).conflict


def test_an_article_dated_outside_the_period_asked_is_dated_elsewhere():
    asked = "Apa kata analis itu pada 10 Agustus 2022 soal rupiah?"
    assert evidence(asked, "2022-07-04", "Rupiah diperkirakan melemah.").dated_elsewhere
    assert not evidence(asked, "2022-08-10", "Rupiah diperkirakan melemah.").dated_elsewhere
    # An undated passage (a FacQA paragraph) is not dated elsewhere: nothing is known of its date.
    assert not evidence(asked, None, "Rupiah diperkirakan melemah.").dated_elsewhere
    assert not evidence("Apa kata analis itu soal rupiah?", "2022-07-04", "Rupiah melemah.").dated_elsewhere
