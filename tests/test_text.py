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
