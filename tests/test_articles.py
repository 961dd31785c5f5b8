from pathlib import Path

import pytest

from index.articles import ArticleError, article_text, find_date, parse_article, read_article, scan_corpus
from tests.conftest import ARTICLE_A, ARTICLE_B


def test_boilerplate_lines_are_dropped_and_metadata_read():
    a = parse_article("a.txt", ARTICLE_A)
    body = "\n".join(s.text for s in a.sentences())
    assert a.title == "Menteri Fiktif Bicara Soal Pelabuhan Baru"
    assert "Baca juga" not in body and "Tinggalkan" not in body and "email" not in body
    assert a.outlet == "WartaUji"
    assert a.sentences()[0].text.startswith("Pemerintah meresmikan")  # dateline cut off
    assert (a.date, a.date_iso) == ("Selasa (3/6/2025)", "2025-06-03")


def test_english_article_with_dateline_and_share_widget():
    b = parse_article("b.md", ARTICLE_B)
    assert b.title == "Harbour Opens in Fictional Town"
    assert (b.date, b.date_iso) == ("March 3, 2025", "2025-03-03")
    assert all("Share this" not in s.text for s in b.sentences())


def test_every_sentence_is_an_exact_slice_of_the_source():
    for doc in (ARTICLE_A, ARTICLE_B):
        a = parse_article("x.txt", doc)
        for s in a.sentences():
            assert a.source[s.start : s.end] == s.text


def test_junk_variants_are_dropped_by_general_rules():
    text = (
        "Judul Berita Uji\n\nParagraf pertama berisi kalimat yang cukup panjang untuk artikel ini.\n\n"
        "Subjudul Pendek\n\nParagraf kedua juga berisi kalimat lengkap tentang kejadian itu.\n\n"
        "Keluaran HK malam ini lengkap\n\nLeave a Reply\n\nYour email address will not be published.\n\n"
        "ABC (Reuters/AFP)\n\nPrediksi SGP\n"
    )
    a = parse_article("t.txt", text)
    kept = [a.source[s:e] for s, e in a.paragraphs]
    assert kept == [
        "Paragraf pertama berisi kalimat yang cukup panjang untuk artikel ini.",
        "Paragraf kedua juga berisi kalimat lengkap tentang kejadian itu.",
    ]
    assert a.credit == "Reuters, AFP"
    assert a.sections[0] != a.sections[1]  # a dropped subheading separates sections


def test_drop_cap_and_repeated_headline():
    text = "Sebuah Judul\n\nSebuah Judul\n\nIDi kota itu hujan turun sejak pagi hari.\n"
    a = parse_article("t.txt", text)
    assert a.sentences()[0].text == "Di kota itu hujan turun sejak pagi hari."
    assert "Sebuah Judul" in a.dropped


def test_first_line_that_is_a_sentence_is_body_text():
    text = "koranuji.com – Presiden fiktif tiba di kota itu hari ini.\n\nIa disambut warga.\n"
    a = parse_article("t.txt", text)
    assert a.outlet == "koranuji.com"
    assert a.sentences()[0].text == "Presiden fiktif tiba di kota itu hari ini."


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Published January 28, 2026 in the morning", ("January 28, 2026", "2026-01-28")),
        ("Ia tiba pada Kamis (16 Mei) di Beijing.", ("Kamis (16 Mei)", "--05-16")),
        ("pada hari Rabu (14/9/2022).", ("Rabu (14/9/2022)", "2022-09-14")),
        ("pada 5 Agustus 2021 lalu", ("5 Agustus 2021", "2021-08-05")),
        ("tanpa tanggal sama sekali pada bulan Mei", None),
    ],
)
def test_dates_are_kept_as_stated(text, expected):
    assert find_date(text) == expected


def test_quotes_keep_multi_sentence_quotations_whole():
    text = 'Judul\n\n“Kami siap. Semua sudah diatur,” kata Budi Santoso. Lalu ia pergi.\n'
    a = parse_article("t.txt", text)
    assert [s.text for s in a.sentences()] == [
        "“Kami siap. Semua sudah diatur,” kata Budi Santoso.",
        "Lalu ia pergi.",
    ]


@pytest.mark.parametrize(
    "content,reason",
    [(b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01\x02binary", "binary"),
     (b"caf\x81\x8d au lait", "UTF-8"), (b"Judul\n\n" + b"Teks biasa yang panjang. " * 400 + b"\x00ekor", "NUL byte at offset")],
)
def test_bad_files_raise_a_clear_error(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=reason):
        read_article(path)


def test_offsets_are_on_the_text_as_decoded_with_a_bom_removed(tmp_path: Path):
    body = "Judul Berita\n\n“Kami siap bekerja,” kata Budi Santoso di Jakarta.\n"
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    article = read_article(path)
    assert not article.source.startswith("\ufeff")
    text = article_text(path)
    assert text == body
    for s in article.sentences():
        assert text[s.start : s.end] == s.text


def test_a_latin1_file_is_decoded_by_fallback_and_says_so(tmp_path: Path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Judul\n\nKafé itu ramai sekali pada hari Minggu.".encode("latin-1"))
    article = read_article(path)
    assert article.encoding == "cp1252" and "Kafé" in article.source


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("Judul\n\n" + "Kalimat yang sama diulang terus. " * 2000, encoding="utf-8")
    with pytest.raises(ArticleError, match=r"too large \(0\.1 MB; the limit is 0\.0 MB\)"):
        read_article(path, max_bytes=10_000)
    assert read_article(path, max_bytes=1_000_000).paragraphs


def test_symbolic_links_are_not_followed_and_are_reported(tmp_path: Path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    (corpus / "sub").mkdir(parents=True)
    outside.mkdir()
    (corpus / "a.txt").write_text("Judul\n\nIsi artikel yang sah.", encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text("Judul\n\nIsi artikel kedua.", encoding="utf-8")
    (outside / "secret.txt").write_text("Judul\n\nBukan bagian dari korpus.", encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside / "secret.txt")
    (corpus / "folder").symlink_to(outside, target_is_directory=True)
    listing = scan_corpus(corpus)
    assert [p.relative_to(corpus).as_posix() for p in listing.files] == ["a.txt", "sub/b.txt"]
    reasons = dict(listing.skipped)
    assert set(reasons) == {"link.txt", "folder"}
    assert "not followed" in reasons["link.txt"] and str(outside / "secret.txt") in reasons["link.txt"]
    assert reasons["folder"].startswith("symbolic link to folder")


def test_a_drop_cap_is_cut_only_in_the_first_paragraph_and_only_before_a_real_word():
    first = parse_article("d.txt", "Judul Uji\n\nSAYADalam rapat kemarin, menteri fiktif berbicara panjang soal harga.\n")
    assert first.sentences()[0].text.startswith("Dalam rapat kemarin")
    english = parse_article("e.txt", "Test Title\n\nIIn the morning the fictional minister spoke at length about prices.\n")
    assert english.sentences()[0].text.startswith("In the morning")
    # A name in capitals ("BCABank", "JPMorgan") is no drop cap: what is left is no word of either language.
    name = parse_article("n.txt", "Judul Uji\n\nZXQuorvan membuka kantor baru di kota fiktif itu pada hari Senin.\n")
    assert name.sentences()[0].text.startswith("ZXQuorvan membuka")
    # Nor is anything after the first paragraph.
    later = parse_article(
        "l.txt",
        "Judul Uji\n\nParagraf pertama berisi kalimat yang cukup panjang untuk artikel ini.\n\n"
        "ABDalam paragraf kedua, bank fiktif itu menyebut angka baru untuk tahun ini.\n",
    )
    assert later.sentences()[-1].text.startswith("ABDalam paragraf kedua")
    # A glued form the article uses again is a name, even where the rest is a word.
    again = parse_article("a.txt", "Test Title\n\nABCity grew fast this year, the fictional report said.\n\nABCity also said more.\n")
    assert again.sentences()[0].text.startswith("ABCity grew")


def test_a_domain_and_date_line_under_the_headline_is_the_dateline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Apakah Harga Beras Akan Turun?\nkoranwarta.co.id, 2023-08-14\n\n"
                    "Harga beras di Pasar Induk Cipinang turun Rp500 per kilogram pekan ini.\n", encoding="utf-8")
    article = read_article(path)
    assert (article.title, article.date_iso, article.outlet) == (
        "Apakah Harga Beras Akan Turun?", "2023-08-14", "koranwarta.co.id")
    assert [s.text for s in article.sentences()] == [
        "Harga beras di Pasar Induk Cipinang turun Rp500 per kilogram pekan ini."]
