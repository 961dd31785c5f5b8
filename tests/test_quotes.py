"""Speaker and quote extraction (index/quotes) on invented articles, Indonesian and English."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from index.articles import parse_article
from index.quotes import Quote, extract_quotes
from text.names import name_key, speaker_matches

ROOT = Path(__file__).resolve().parents[1]


def quotes_of(text: str) -> list[Quote]:
    article = parse_article("t.txt", text)
    quotes = extract_quotes(article)
    for q in quotes:  # every span is exact and nested, whatever the article
        assert article.source[q.start : q.end] == q.text
        assert q.start <= q.words_start < q.words_end <= q.end
        assert q.kind in ("direct", "reported")
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    return quotes


def find(quotes: list[Quote], snippet: str) -> Quote:
    """The one quote whose statement contains ``snippet``."""
    found = [q for q in quotes if snippet in q.text]
    assert len(found) == 1, (snippet, [(q.speaker, q.text[:50]) for q in quotes])
    return found[0]


def words(text: str, q: Quote) -> str:
    return parse_article("t.txt", text).source[q.words_start : q.words_end]


def assert_no_quote(quotes: list[Quote], snippet: str) -> None:
    assert not [q for q in quotes if snippet in q.text], snippet


# ---------------------------------------------------------------- Indonesian: analysts and a minister

ANALYSTS_ID = """Mengapa Pelabuhan Kestrel Jadi Rebutan
Kestrel Advisory merilis kajian tentang pelabuhan Teluk Sirap pada Selasa (4/3/2025), dan hasilnya memicu perdebatan.
Para investor menyebut proyek itu sebagai “gerbang emas baru” di kawasan timur, kata para analis, meskipun biayanya terus membengkak.
“Dengan biaya yang terus naik, pelabuhan ini hanya akan untung jika pemerintah menjamin volume kargo. Tanpa jaminan itu, investor akan mundur,” kata Mr. Hollis.
Hollis menjelaskan bahwa pembangunan dermaga kedua sudah tertunda dua kali sejak tahun lalu.
Olivia Vance-Whitby, analis Kestrel lainnya yang berspesialisasi dalam logistik, mengatakan bahwa jalur kereta barang menjadi kunci keberhasilan pelabuhan.
“Tanpa rel, pelabuhan ini hanya menjadi tempat parkir kapal. Itu bukan sekadar soal uang,” jelas Vance-Whitby.
“Pemerintah daerah sudah menjanjikan jalur itu sejak 2019, tetapi belum ada satu kilometer pun yang dibangun,” kata analis tersebut.
“Kami melihat pola yang sama di tiga pelabuhan lain di kawasan ini.”
Sementara itu, harga sewa gudang di sekitar pelabuhan naik hampir dua kali lipat dalam setahun.
“Jangan percaya semua janji di atas kertas.”
“Investor asing masih menunggu kepastian hukum,” kata Martin Hollis, analis senior yang berspesialisasi di Asia Tenggara di Kestrel Advisory.
Hal ini menunjukkan apa yang disebut-sebut sebagai “kemitraan tanpa batas” antara pemerintah dan pengembang, dan seruan untuk “solusi politik” pun menguat.
“Kami tidak akan menaikkan tarif sampai dermaga kedua selesai,” mantan duta besar untuk PBB Gregory Tann mengatakan kepada WartaUji.
Sebelum rapat itu, Menteri Perhubungan Rusia Pavel Gromov menutup kunjungannya, dengan mengatakan bahwa Moskow “tertarik membangun jalur pelayaran langsung ke Teluk Sirap.”
Para pengamat mengatakan proyek itu akan menjadi ujian bagi pemerintah daerah yang baru.
"""


@pytest.fixture(scope="module")
def analysts():
    return quotes_of(ANALYSTS_ID)


def test_speaker_after_verb_stops_at_apposition(analysts):
    q = find(analysts, "Investor asing masih")
    assert (q.speaker, q.named, q.kind) == ("Martin Hollis", True, "direct")
    assert words(ANALYSTS_ID, q) == "Investor asing masih menunggu kepastian hukum"


def test_honorific_surname_resolves_to_full_name_given_later(analysts):
    q = find(analysts, "Dengan biaya yang terus naik")
    assert (q.speaker, q.named, q.kind) == ("Martin Hollis", True, "direct")
    # a multi-sentence quotation stays one statement; the words are just what is inside the marks
    assert words(ANALYSTS_ID, q).startswith("Dengan biaya") and words(ANALYSTS_ID, q).endswith("investor akan mundur")


def test_reported_speech_with_bahwa(analysts):
    q = find(analysts, "Hollis menjelaskan bahwa")
    assert (q.speaker, q.kind) == ("Martin Hollis", "reported")
    assert words(ANALYSTS_ID, q) == "pembangunan dermaga kedua sudah tertunda dua kali sejak tahun lalu"


def test_name_apposition_then_verb(analysts):
    q = find(analysts, "Olivia Vance-Whitby, analis Kestrel")
    assert (q.speaker, q.named, q.kind) == ("Olivia Vance-Whitby", True, "reported")
    assert words(ANALYSTS_ID, q).startswith("jalur kereta barang")


def test_hyphenated_surname_resolves(analysts):
    assert find(analysts, "Tanpa rel, pelabuhan").speaker == "Olivia Vance-Whitby"


def test_description_with_demonstrative_is_the_last_named_speaker(analysts):
    q = find(analysts, "sudah menjanjikan jalur itu")
    assert (q.speaker, q.named, q.kind) == ("Olivia Vance-Whitby", True, "direct")


def test_quotation_paragraph_after_a_quote_continues_it(analysts):
    q = find(analysts, "Kami melihat pola yang sama")
    assert (q.speaker, q.kind) == ("Olivia Vance-Whitby", "direct")
    assert words(ANALYSTS_ID, q) == "Kami melihat pola yang sama di tiga pelabuhan lain di kawasan ini."


def test_standalone_quotation_elsewhere_is_nobodys(analysts):
    assert_no_quote(analysts, "Jangan percaya semua janji")


def test_scare_quotes_are_not_statements(analysts):
    assert_no_quote(analysts, "kemitraan tanpa batas")
    assert_no_quote(analysts, "harga sewa gudang")


def test_generic_descriptions_stay_as_written(analysts):
    q = find(analysts, "gerbang emas baru")
    assert (q.speaker, q.named, q.kind) == ("para analis", False, "reported")
    q = find(analysts, "Para pengamat mengatakan")
    assert (q.speaker, q.named, q.kind) == ("Para pengamat", False, "reported")
    assert words(ANALYSTS_ID, q).startswith("proyek itu akan menjadi ujian")


def test_name_before_verb_after_quote_drops_titles(analysts):
    q = find(analysts, "Kami tidak akan menaikkan tarif")
    assert (q.speaker, q.named, q.kind) == ("Gregory Tann", True, "direct")


def test_participial_verb_takes_the_subject_of_the_main_verb(analysts):
    q = find(analysts, "Pavel Gromov menutup")
    assert (q.speaker, q.named, q.kind) == ("Pavel Gromov", True, "direct")
    assert words(ANALYSTS_ID, q).startswith("tertarik membangun jalur")


def test_speakers_in_document_order(analysts):
    assert [q.speaker for q in analysts] == [
        "para analis",
        "Martin Hollis",
        "Martin Hollis",
        "Olivia Vance-Whitby",
        "Olivia Vance-Whitby",
        "Olivia Vance-Whitby",
        "Olivia Vance-Whitby",
        "Martin Hollis",
        "Gregory Tann",
        "Pavel Gromov",
        "Para pengamat",
    ]


# ---------------------------------------------------------------- Indonesian: a summit, surname first

SUMMIT_ID = """Li Qingfeng dan Pavel Gromov Bertemu Secara Virtual
Dalam pertemuan virtual pada Jumat (12/12/2025), Gromov mengundang mitranya untuk berkunjung ke Moskow pada musim semi.
“Kami menunggu Anda, Tuan Perdana Menteri. Sahabat kami, kunjungan Anda akan menjadi tanda persahabatan", Gromov mengumumkan secara terbuka, seraya menyebut kunjungan itu "sangat bersejarah".
Dalam tanggapan yang jauh lebih singkat, Li menjawab bahwa, "kedua negara harus tetap setia pada semangat awal kerja sama mereka dan terus memperluas perdagangan”.
Li juga berjanji kepada Gromov "untuk terus membangun sinergi dalam komunitas internasional."
Menurutnya, “jalan menuju perdamaian tidak akan mudah, namun selalu ada kemungkinan.”
Menurut pernyataan itu, Li menekankan bahwa "dunia kini berada di persimpangan bersejarah."
Perdana Menteri Li Qingfeng sebelumnya memuji kerja sama kedua negara sebagai «kemitraan strategis».
Kremlin mengatakan bahwa Menteri Luar Negeri Pavel Gromov akan memimpin delegasi ke Kota Awan bulan depan.
“[Kami] akan memperdalam kerja sama ekonomi dan memperluas jalur perdagangan antara kedua negara,” janji para pemimpin dalam pernyataan bersama mereka.
Oleh karena itu, tambahnya, “perdagangan akan naik dua kali lipat dalam lima tahun.”
"""


@pytest.fixture(scope="module")
def summit():
    return quotes_of(SUMMIT_ID)


def test_mixed_curly_and_straight_marks_with_speaker_after_quote(summit):
    q = find(summit, "Kami menunggu Anda")
    assert (q.speaker, q.kind) == ("Pavel Gromov", "direct")
    assert words(SUMMIT_ID, q).startswith("Kami menunggu Anda, Tuan Perdana Menteri. Sahabat kami")


def test_surname_first_name_resolves_from_first_word(summit):
    q = find(summit, "Li menjawab bahwa")
    assert (q.speaker, q.named, q.kind) == ("Li Qingfeng", True, "direct")
    assert words(SUMMIT_ID, q).startswith("kedua negara harus tetap setia")


def test_promise_with_quotation_is_a_statement(summit):
    assert find(summit, "Li juga berjanji").speaker == "Li Qingfeng"


def test_menurutnya_is_the_previous_speaker(summit):
    q = find(summit, "Menurutnya,")
    assert (q.speaker, q.kind) == ("Li Qingfeng", "direct")


def test_menurut_a_document_then_the_real_speaker(summit):
    q = find(summit, "Menurut pernyataan itu")
    assert (q.speaker, q.kind) == ("Li Qingfeng", "direct")
    assert words(SUMMIT_ID, q) == "dunia kini berada di persimpangan bersejarah."


def test_praise_with_scare_quotes_is_not_speech(summit):
    assert_no_quote(summit, "kemitraan strategis")


def test_organisation_is_named(summit):
    q = find(summit, "Kremlin mengatakan")
    assert (q.speaker, q.named, q.kind) == ("Kremlin", True, "reported")
    assert words(SUMMIT_ID, q).startswith("Menteri Luar Negeri Pavel Gromov akan memimpin")


def test_pledge_of_the_leaders_is_a_description(summit):
    q = find(summit, "janji para pemimpin")
    assert (q.speaker, q.named, q.kind) == ("para pemimpin", False, "direct")


def test_tambahnya_is_the_last_person_quoted(summit):
    # The statements before are by a description ("para pemimpin") and an organisation (Kremlin),
    # and the person named inside the Kremlin's reported words is not its speaker: "-nya" ("he/she
    # added") points back to the last person quoted.
    assert find(summit, "tambahnya").speaker == "Li Qingfeng"


# ---------------------------------------------------------------- English

HARBOUR_EN = """Harbour Deal Collapses in Port Elling
The harbour deal in Port Elling collapsed on Monday after three months of talks.
"We were never close to an agreement, and everyone at the table knew it," said Jane Morrow, a spokeswoman for the port authority.
Morrow added that the talks could resume in the spring.
"Nobody wants another winter of empty docks," she said.
According to Ms. Morrow, the town lost $2 million in fees last year.
The mayor called the outcome a "painful setback" for the town.
"The numbers never worked for the operators," Keller told reporters on Tuesday.
'They wanted a subsidy we could not afford,' the analyst said.
"It was always going to be difficult."
Dieter Keller, an analyst at Harlow University and author of "The Quiet Coast", said the region needed a rail link first.
Analysts say the port will struggle to attract new operators.
The White House said that it was monitoring the situation closely.
"This is a local matter for local people," the leaders said in a joint statement.
"""


@pytest.fixture(scope="module")
def harbour():
    return quotes_of(HARBOUR_EN)


def test_english_said_name_apposition(harbour):
    q = find(harbour, "We were never close")
    assert (q.speaker, q.named, q.kind) == ("Jane Morrow", True, "direct")
    assert words(HARBOUR_EN, q) == "We were never close to an agreement, and everyone at the table knew it"


def test_english_reported_that(harbour):
    q = find(harbour, "Morrow added that")
    assert (q.speaker, q.kind) == ("Jane Morrow", "reported")
    assert words(HARBOUR_EN, q) == "the talks could resume in the spring"


def test_english_pronoun_anaphora(harbour):
    assert find(harbour, "Nobody wants another winter").speaker == "Jane Morrow"


def test_english_according_to(harbour):
    q = find(harbour, "According to Ms. Morrow")
    assert (q.speaker, q.kind) == ("Jane Morrow", "reported")
    assert words(HARBOUR_EN, q) == "the town lost $2 million in fees last year"


def test_english_scare_quote(harbour):
    assert_no_quote(harbour, "painful setback")


def test_english_surname_resolves_to_name_given_later(harbour):
    q = find(harbour, "The numbers never worked")
    assert (q.speaker, q.kind) == ("Dieter Keller", "direct")


def test_english_single_quotes_and_the_analyst(harbour):
    q = find(harbour, "They wanted a subsidy")
    assert (q.speaker, q.kind) == ("Dieter Keller", "direct")
    assert words(HARBOUR_EN, q) == "They wanted a subsidy we could not afford"


def test_english_continuation(harbour):
    assert find(harbour, "It was always going to be difficult").speaker == "Dieter Keller"


def test_english_book_title_is_not_speech(harbour):
    q = find(harbour, "author of")
    assert (q.speaker, q.kind) == ("Dieter Keller", "reported")
    assert words(HARBOUR_EN, q) == "the region needed a rail link first"


def test_english_descriptions_and_organisations(harbour):
    q = find(harbour, "Analysts say")
    assert (q.speaker, q.named, q.kind) == ("Analysts", False, "reported")
    q = find(harbour, "The White House said")
    assert (q.speaker, q.named) == ("White House", True)
    assert words(HARBOUR_EN, q) == "it was monitoring the situation closely"
    q = find(harbour, "the leaders said")
    assert (q.speaker, q.named, q.kind) == ("the leaders", False, "direct")


# ---------------------------------------------------------------- smaller patterns


def test_author_of_a_book_quoted_with_title_in_marks():
    text = (
        "Buku Baru Tentang Laut\n"
        "“Laut kita berubah lebih cepat daripada peta kita,” kata Ana Ruiz, penulis “Laut yang Hilang”, "
        "sebuah buku tentang nelayan pesisir.\n"
    )
    (q,) = quotes_of(text)
    assert (q.speaker, q.kind) == ("Ana Ruiz", "direct")
    assert words(text, q) == "Laut kita berubah lebih cepat daripada peta kita"


def test_angle_quotes_and_katanya():
    text = (
        "Festival Layang-Layang\n"
        "Panitia festival memperkirakan sepuluh ribu pengunjung akan datang ke Pantai Lumbu tahun ini.\n"
        "«Kami menyiapkan dua lapangan baru untuk peserta anak-anak,» kata Yosef Manurung, ketua panitia.\n"
        "«Tiket tetap gratis seperti tahun lalu,» katanya.\n"
    )
    quotes = quotes_of(text)
    # "memperkirakan" reports an estimate: the committee's, a description rather than a name.
    assert [(q.speaker, q.named, q.kind) for q in quotes] == [
        ("Panitia festival", False, "reported"), ("Yosef Manurung", True, "direct"), ("Yosef Manurung", True, "direct")]
    assert words(text, quotes[2]) == "Tiket tetap gratis seperti tahun lalu"


def test_kata_dia_and_same_paragraph_continuation():
    text = (
        "Banjir di Lembah Sari\n"
        "“Air naik dua meter dalam satu jam,” kata Dewi Anggraini, kepala desa Lembah Sari. "
        "“Kami tidak sempat menyelamatkan ternak.”\n"
        "“Bantuan baru datang keesokan harinya,” kata dia.\n"
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Dewi Anggraini"] * 3
    assert words(text, quotes[1]) == "Kami tidak sempat menyelamatkan ternak."


def test_continuation_needs_the_previous_paragraph_to_be_a_quote():
    text = (
        "Harga Beras Naik\n"
        "“Harga beras naik lima persen minggu ini,” kata Budi Santoso, pedagang di Pasar Lama.\n"
        "Pemerintah belum mengumumkan operasi pasar untuk bulan depan.\n"
        "“Pembeli mulai mengurangi belanja.”\n"
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Budi Santoso"]


def test_reported_continuation_after_reported_speech():
    text = (
        "Sekolah Baru\n"
        "Rahmat Hidayat, guru di Desa Karang, menilai sekolah baru itu terlalu jauh dari permukiman.\n"
        "“Anak-anak harus berjalan lima kilometer setiap pagi.”\n"
    )
    quotes = quotes_of(text)
    assert [(q.speaker, q.kind) for q in quotes] == [("Rahmat Hidayat", "reported"), ("Rahmat Hidayat", "direct")]
    assert words(text, quotes[0]) == "sekolah baru itu terlalu jauh dari permukiman"


def test_middle_attribution_is_reported_speech_of_the_whole_sentence():
    text = "Cuaca Ekstrem\nMusim hujan, kata para ahli, akan datang lebih awal tahun ini.\n"
    (q,) = quotes_of(text)
    assert (q.speaker, q.named, q.kind) == ("para ahli", False, "reported")
    assert (q.words_start, q.words_end) == (q.start, q.end - 1)  # the whole sentence without its full stop


def test_relative_clause_speaker():
    text = (
        "KTT Regional\n"
        "Xi belum bertindak sejauh Perdana Menteri Arjun Mehta, yang membentak tamunya bahwa \"ini bukan waktunya untuk perang\", "
        "tetapi dia tetap menjaga jarak.\n"
    )
    (q,) = quotes_of(text)
    assert (q.speaker, q.kind) == ("Arjun Mehta", "direct")
    assert words(text, q) == "ini bukan waktunya untuk perang"


def test_title_only_description_resolves_when_the_article_names_the_holder():
    text = (
        "Kunjungan Kenegaraan\n"
        "Presiden Rusia Ivan Morozov tiba di Kota Awan pada Kamis (16/5/2025).\n"
        "Seperti dilansir kantor berita, presiden Rusia menegaskan bahwa kunjungan itu bukan soal senjata.\n"
    )
    (q,) = quotes_of(text)
    assert (q.speaker, q.named) == ("Ivan Morozov", True)


def test_the_word_kata_as_a_noun_is_not_attribution():
    text = (
        "Pernyataan Bersama\n"
        "Dalam pernyataan sepanjang 7.000 kata yang dirilis Kamis, kedua pihak menghindari kata 'perang' sama sekali.\n"
        "Namun semakin jelas bahwa kedua negara tidak sepakat soal tarif.\n"
    )
    assert quotes_of(text) == []


def test_verbs_that_need_a_complement():
    text = (
        "Rapat Anggaran\n"
        "Menteri Keuangan Sari Lestari menjelaskan rancangan anggaran di depan parlemen pada Senin.\n"
        "Lestari menegaskan bahwa defisit akan dijaga di bawah tiga persen.\n"
    )
    quotes = quotes_of(text)
    assert [(q.speaker, q.kind) for q in quotes] == [("Sari Lestari", "reported")]
    assert "menegaskan bahwa" in quotes[0].text


# ---------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Judul\n",
        "Judul\n“Tanpa penutup, kata siapa pun.\n",
        "Judul\nKalimat biasa ” dengan penutup liar,” kata Rina.\n",
        'Judul\n"""" kata "" ujar ,” ” “ “.\n',
        "Judul\n“A. B,” kata X. Lalu “C.\n",
        "Judul\n, kata.\n" * 3,
        "Judul\nkatanya.\nMenurutnya.\n“”\n“ ”, kata Dalton.\n",
        "Title\n'Twas the night, said O'Brien's aunt.\n\"Half\" said \u2018x\u2019 ' ' \u2019\n",
    ],
)
def test_odd_text_never_raises(text):
    quotes_of(text)


def test_random_text_never_raises():
    rng = random.Random(7)
    alphabet = ["kata", "ujar", "katanya", "mengatakan", "bahwa", "said", "Dalton", "Mr.", "David", "para",
                "analis", "tersebut", "Menurut", "menurutnya", "“", "”", '"', "'", "‘", "’", "«", "»",
                ",", ".", "yang", "Xi", "Jinping", "the", "he", "\n", "Kremlin", ":", "(", ")"]
    for _ in range(300):
        body = " ".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        quotes_of("Judul Uji\n" + body + ".\n")


def test_unbalanced_quotation_stays_inside_its_sentence():
    text = "Judul\n“Kami akan kembali besok pagi, kata Rina. Semua orang pulang.\n"
    for q in quotes_of(text):
        assert q.text in text


# ---------------------------------------------------------------- name_key and speaker_matches


def test_name_key_strips_honorifics_and_normalises():
    assert name_key("Mr.  David   Dalton") == "david dalton"
    assert name_key("Presiden Xi Jinping") == "xi jinping"
    assert name_key("Bapak Joko") == "joko"
    assert name_key("Dr. José Ramírez") == "jose ramirez"
    assert name_key("Kremlin") == "kremlin"


@pytest.mark.parametrize(
    "mention, speaker",
    [
        ("Dalton", "David Dalton"),
        ("mr dalton", "David Dalton"),
        ("Mr. Dalton", "David Dalton"),
        ("David Dalton", "David Dalton"),
        ("dalton", "David Dalton"),
        ("DALTON", "David Dalton"),
        ("Xi", "Xi Jinping"),
        ("Xi Jinping", "Xi Jinping"),
        ("Presiden Xi", "Xi Jinping"),
        ("Lee-Saunders", "Francis Lee-Saunders"),
        ("Putin", "Vladimir Putin"),
        ("President Putin", "Vladimir Putin"),
        ("Ramirez", "José Ramírez"),
        ("David", "David"),
        ("David Dalton", "Dalton"),
        ("Kremlin", "Kremlin"),
        ("para analis", "para analis"),
    ],
)
def test_speaker_matches_positive(mention, speaker):
    assert speaker_matches(mention, speaker)


@pytest.mark.parametrize(
    "mention, speaker",
    [
        ("David", "David Dalton"),
        ("Dalton", "Barbara Keleman"),
        ("Vladimir", "Vladimir Putin"),
        ("Jinping Li", "Xi Jinping"),
        ("Barbara Dalton", "David Dalton"),
        ("", "David Dalton"),
        ("Dalton", ""),
        ("Putin", "Kremlin"),
    ],
)
def test_speaker_matches_negative(mention, speaker):
    assert not speaker_matches(mention, speaker)


# ---------------------------------------------------------------- cost grows linearly with the article


def _generated_article(blocks: int, one_paragraph: bool) -> str:
    """An invented article of ``blocks`` similar passages, each with a new speaker quoted directly,
    by surname, in reported speech, across a sentence break and by anaphora."""
    rng = random.Random(blocks)
    onsets, vowels = "bdgkmnprst", "aiou"

    def name() -> str:
        return "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(3)).capitalize() + rng.choice(["to", "wan", "ni"])

    things = ["pelabuhan", "jembatan", "pabrik", "bandara", "pasar", "gudang"]
    states = ["akan dibuka tahun depan", "harus diperbaiki dulu", "belum selesai dibangun", "sudah ramai sejak pagi"]

    def claim() -> str:
        return f"{rng.choice(things)} baru di kota {rng.choice(things)} itu {rng.choice(states)}"

    paragraphs = []
    for _ in range(blocks):
        first, last = name(), name()
        paragraphs += [
            f"“{claim().capitalize()},” kata {first} {last}, analis di lembaga {name()}.",
            f"{last} menjelaskan bahwa {claim()}.",
            f"“{claim().capitalize()}.”",
            f"Menurut {last}, {claim()}. Dia juga mengatakan bahwa {claim()}.",
            f"Harga sewa ‘{rng.choice(things)}’ naik dua kali lipat, katanya.",
            f"“{claim().capitalize()}. {claim().capitalize()},” ujar {last}.",
        ]
    return "Judul Uji\n" + (" " if one_paragraph else "\n").join(paragraphs) + "\n"


def _lines_run_in_quotes(text: str) -> int:
    """Lines of the extractor (index/quotes/, text/) executed to extract the quotes of ``text``: every
    loop and comprehension step counts, so rescanning earlier runs, quotations or quotes shows up."""
    article = parse_article("t.txt", text)
    folders = (str(Path(extract_quotes.__code__.co_filename).parent), str(ROOT / "text"))
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(folders) else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        quotes = extract_quotes(article)
    finally:
        sys.settrace(previous)
    assert len(quotes) >= 5 * text.count("menjelaskan")  # the passages are read as statements
    return count


@pytest.mark.parametrize("one_paragraph", [True, False], ids=["one-paragraph", "paragraphs"])
def test_extraction_work_grows_linearly_with_article_size(one_paragraph):
    small = _lines_run_in_quotes(_generated_article(40, one_paragraph))
    large = _lines_run_in_quotes(_generated_article(160, one_paragraph))
    assert large / small < 4.6, (small, large)  # 4x the text, about 4x the work; quadratic is 16x
