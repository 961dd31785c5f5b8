"""The neutral text package: the one sentence splitter, as ingest and the guard both use it."""

from text.sentences import ABBREVIATIONS, ends_abbreviation, sentence_spans
from text.tokens import detect_language, language_scores


def pieces(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentences_end_at_a_stop_before_a_sentence_start():
    assert pieces("Harga beras naik 5 persen. Pedagang mengeluh! Apakah pemerintah turun tangan? Ya.") == [
        "Harga beras naik 5 persen.", "Pedagang mengeluh!", "Apakah pemerintah turun tangan?", "Ya."]


def test_no_cut_after_abbreviations_initials_or_before_lower_case():
    text = "Mr. Hadley met Dr. Osei at 5 p.m. on Friday. George W. Bush sent rice, sugar, dll. ke pasar."
    assert pieces(text) == ["Mr. Hadley met Dr. Osei at 5 p.m. on Friday.",
                            "George W. Bush sent rice, sugar, dll. ke pasar."]
    assert {"mr", "dr", "dll", "jl"} <= ABBREVIATIONS
    assert ends_abbreviation("Jl. Merdeka", 2) and not ends_abbreviation("di jalan. Merdeka", 8)


def test_a_quotation_is_never_cut_but_ends_with_its_sentence():
    text = "“Kami siap. Semua sudah disiapkan,” kata Wirawan. “Tidak ada masalah.” Lalu ia pergi."
    assert pieces(text) == ["“Kami siap. Semua sudah disiapkan,” kata Wirawan.", "“Tidak ada masalah.”",
                            "Lalu ia pergi."]


def test_an_unclosed_quotation_does_not_swallow_the_paragraph():
    assert pieces("“Kami siap. Dia pergi. Semua pulang.") == ["“Kami siap.", "Dia pergi.", "Semua pulang."]


def test_line_breaks_always_end_a_sentence_and_offsets_point_into_the_text():
    text = "Judul tanpa titik\n\n  Paragraf pertama. Kedua [1].\nBaris baru"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Judul tanpa titik", "Paragraf pertama.", "Kedua [1].", "Baris baru"]
    start, end = text.index("Paragraf"), text.index("\nBaris")
    assert sentence_spans(text, start, end) == spans[1:3]


def test_citation_markers_stay_with_the_sentence_they_follow():
    assert pieces("Harga naik. [1] [2] Ekspor turun [3].") == ["Harga naik. [1] [2]", "Ekspor turun [3]."]


def test_language_is_told_by_function_words():
    assert detect_language("Apa kata menteri tentang harga beras?") == "id"
    assert detect_language("What did the minister say about rice?") == "en"
    assert language_scores(["apa", "kata", "the"]) == (2, 1)


def test_periods_a_question_names_in_either_language():
    from datetime import date

    from text.dates import periods

    def read(text):
        return [(p.grain, p.first, p.last) for p in periods(text)]

    assert read("Berapa harga emas pada Senin 20 Mei 2019?") == [("day", date(2019, 5, 20), date(2019, 5, 20))]
    assert read("What was the price on May 20, 2019?") == [("day", date(2019, 5, 20), date(2019, 5, 20))]
    assert read("What did the minister say in April 2018?") == [("month", date(2018, 4, 1), date(2018, 4, 30))]
    assert read("pertumbuhan kuartal III 2022") == read("growth in the third quarter of 2021".replace("2021", "2022"))
    assert read("Q3 2022") == [("quarter", date(2022, 7, 1), date(2022, 9, 30))]
    assert read("semester I-2023") == read("the first half of 2023") == [("half", date(2023, 1, 1), date(2023, 6, 30))]
    assert read("target APBN 2019") == [("year", date(2019, 1, 1), date(2019, 12, 31))]
    assert read("Rp2.019 miliar, 1.2019 dan kode 20195") == []  # numbers, not years


def test_stated_dates_and_the_days_of_the_week_news_copy_writes():
    from datetime import date

    from text.dates import day_months, stated_date

    assert stated_date("kompas.id, 2021-03-04") == ("2021-03-04", "2021-03-04")
    assert stated_date("Diterbitkan Kamis (16 Mei)") == ("Kamis (16 Mei)", "--05-16")
    assert [p.first for p in day_months("naik pada Senin (10/6) dan (31/2)", 2019)] == [date(2019, 6, 10)]
