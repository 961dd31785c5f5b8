"""Attribution as newsrooms write it (index/quotes), one pattern per test, on sentences written
for these tests: who each statement is credited to, and what is nobody's statement."""

from __future__ import annotations

import pytest

from index.articles import parse_article
from index.quotes import declared_aliases, extract_quotes
from text.names import AliasTable


def speakers(text: str) -> list[tuple[str, bool, str]]:
    """(speaker, named, first words of the statement) for each statement, in order."""
    article = parse_article("t.txt", text)
    return [(q.speaker, q.named, article.source[q.words_start : q.words_end][:24]) for q in extract_quotes(article)]


def credited(text: str, snippet: str) -> str | None:
    article = parse_article("t.txt", text)
    found = [q for q in extract_quotes(article) if snippet in q.text]
    assert len(found) <= 1, found
    return found[0].speaker if found else None


HEAD = "Judul Berita Uji\n"


@pytest.mark.parametrize("frame", ["kata dia", "katanya", "ujarnya", "jelasnya", "tambahnya", "tegasnya", "tuturnya", "imbuhnya"])
def test_anaphoric_frames_point_to_the_person_named_last(frame):
    text = HEAD + (
        "Ekonom Universitas Pelita Raya Hendra Wiratama memperkirakan harga beras naik bulan depan.\n"
        f"“Pasokan dari sentra produksi belum pulih setelah banjir,” {frame}.\n"
    )
    assert credited(text, "Pasokan dari sentra") == "Hendra Wiratama"


def test_another_person_as_subject_takes_over_the_pronoun():
    text = HEAD + (
        "Hendra Wiratama menilai stok gudang cukup sampai akhir tahun.\n"
        "Sementara itu, Kepala Badan Logistik Daerah Sinta Maharani menyebut distribusi ke pulau kecil masih tersendat.\n"
        "“Kapal pengangkut baru tiba pekan depan,” ujarnya.\n"
    )
    assert credited(text, "Kapal pengangkut") == "Sinta Maharani"








def test_employer_between_role_and_name_is_dropped_and_first_name_resolves():
    text = HEAD + (
        "Analis Pasar Uang Samudra Finansial Futures Yohanes Kurniadi memprediksi rupiah melemah hari ini.\n"
        "Yohanes menambahkan bahwa data inflasi AS menjadi penentu arah pasar.\n"
    )
    assert [s for s, _, _ in speakers(text)] == ["Yohanes Kurniadi", "Yohanes Kurniadi"]


@pytest.mark.parametrize(
    "text, snippet, speaker",
    [
        pytest.param(HEAD + "Hendra Wiratama mengatakan bahwa Menteri Pangan Sinta Maharani akan meninjau gudang besok.\n"
                     "“Kami menunggu keputusan soal impor,” ujarnya.\n", "Kami menunggu", "Hendra Wiratama",
                     id="a name inside reported words is not the next speaker"),
        pytest.param(HEAD + "“Antrean di pelabuhan sudah berkurang separuh,” kata Kepala Dinas Perhubungan, Rina Hartati.\n",
                     "Antrean di pelabuhan", "Rina Hartati", id="kata role, name"),
        pytest.param(HEAD + "Direktur Utama Bank Pesisir Raya Gunawan Setiadi mengatakan kredit macet turun tahun ini.\n",
                     "kredit macet", "Gunawan Setiadi", id="role and employer before the name"),
        pytest.param("Test Headline\nLena Holt, an analyst at Brightwater Capital, expects rates to stay put.\n"
                     '"Nothing in the data forces their hand," the analyst said.\n', "Nothing in the data", "Lena Holt",
                     id="the role the article gives one person"),
        pytest.param(HEAD + "“Kami bermain dengan hati malam ini,” ujar Bambang dalam konferensi pers usai laga.\n",
                     "Kami bermain", "Bambang", id="postposed frame with place and occasion"),
    ],
)
def test_credited_to(text, snippet, speaker):
    assert credited(text, snippet) == speaker


@pytest.mark.parametrize("verb", ["menyebut", "mengaku", "memprediksi", "menilai", "memperkirakan"])
def test_indonesian_reporting_verbs(verb):
    text = HEAD + f"Pengamat pertanian Dimas Pratama {verb} panen raya akan mundur dua pekan.\n"
    assert speakers(text) == [("Dimas Pratama", True, "panen raya akan mundur d")]


@pytest.mark.parametrize("verb", ["predicted", "warned", "tweeted"])
def test_english_reporting_verbs(verb):
    text = "Test Headline\n" + f"Port director Helen Marsh {verb} that cargo volumes would fall by a fifth next year.\n"
    assert speakers(text) == [("Helen Marsh", True, "cargo volumes would fall")]


def test_unnamed_coach_and_official_are_nobodys_names():
    text = "Test Headline\n" + (
        '"We will keep the same line-up," said Marco Bellini, the club\'s captain.\n'
        '"The young players showed real character," the coach told the BBC after the match.\n'
        "Seorang pejabat mengatakan stadion akan direnovasi tahun depan.\n"
    )
    got = speakers(text)
    assert got[0][:2] == ("Marco Bellini", True)
    assert got[1][:2] == ("the coach", False)
    assert got[2][:2] == ("Seorang pejabat", False)






def test_negated_reporting_verbs_report_nothing():
    text = HEAD + "Menteri Pangan Sinta Maharani tidak menyebut kapan impor beras dibuka.\n"
    assert speakers(text) == []


def test_verbs_of_explaining_report_a_clause_but_not_an_object():
    clause = HEAD + "Sinta Maharani menjelaskan dana cadangan akan disalurkan lewat bank daerah.\n"
    obj = HEAD + "Sinta Maharani menjelaskan situasi di lapangan kepada wartawan.\n"
    assert speakers(clause) == [("Sinta Maharani", True, "dana cadangan akan disal")]
    assert speakers(obj) == []


def test_a_sentence_adverb_set_off_by_a_comma_is_not_a_subject():
    text = HEAD + "Diketahui, harga cabai naik tiga kali lipat dan pedagang mengeluhkan sepinya pembeli.\n"
    assert all(named is False or speaker != "Diketahui" for speaker, named, _ in speakers(text))


def test_nicknames_declared_in_the_article_are_the_full_name():
    text = HEAD + (
        "Presiden Surya Atmaja (Surya) membuka rapat kabinet pada Senin.\n"
        "Gubernur Hasan Basri, yang akrab disapa Habas, hadir dari Makassar.\n"
        "“Semua daerah harus melaporkan stok pangan tiap pekan,” kata Habas.\n"
    )
    assert ("Habas", "Hasan Basri") in declared_aliases(parse_article("t.txt", text))
    assert credited(text, "Semua daerah") == "Hasan Basri"


def test_an_archive_nickname_names_the_same_person_in_another_article():
    table = AliasTable([("Habas", "Hasan Basri", 3), ("Habas", "Habib Basuki", 1), ("BLD", "Badan Logistik Daerah", 2)])
    assert table.names_for("Hasan Basri") == ["Hasan Basri", "Habas"]
    assert table.names_for("Habas") == ["Habas", "Hasan Basri"]  # the full name most articles give
    assert table.same("Habas", "Hasan Basri") and not table.same("Habas", "Habib Basuki")
    assert table.names_for("Badan Logistik Daerah") == ["Badan Logistik Daerah", "BLD"]


def test_an_institution_named_with_dan_keeps_its_whole_name_for_its_acronym():
    text = HEAD + (
        "Lembaga Riset Pangan dan Pertanian Nusantara (LRPPN) memperkirakan panen turun tahun ini.\n"
        "Kementerian Energi dan Sumber Daya Alam (ESDA) menyebut pasokan listrik aman.\n"
    )
    aliases = declared_aliases(parse_article("t.txt", text))
    assert ("LRPPN", "Lembaga Riset Pangan dan Pertanian Nusantara") in aliases
    table = AliasTable([(alias, name, 1) for alias, name in aliases])
    assert table.same("Kementerian ESDA", "Kementerian Energi dan Sumber Daya Alam")


# ---------------------------------------------------------------- the same mark on both sides


def test_quotation_with_the_same_mark_on_both_sides():
    text = HEAD + (
        "Kepala Dinas Pangan Sinta Maharani menilai pasokan beras cukup sampai Lebaran.\n"
        "”Gudang kami sudah penuh. Tidak perlu impor,” kata dia di Makassar, Senin (3/2).\n"
        "”Harga akan turun pekan depan.”\n"
    )
    found = speakers(text)
    assert found == [
        ("Sinta Maharani", True, "pasokan beras cukup samp"),
        ("Sinta Maharani", True, "Gudang kami sudah penuh."),
        ("Sinta Maharani", True, "Harga akan turun pekan d"),
    ]
    article = parse_article("t.txt", text)
    assert [q.kind for q in extract_quotes(article)] == ["reported", "direct", "direct"]


def test_same_mark_quotation_after_a_colon_and_before_a_name():
    text = HEAD + (
        "Menteri Perhubungan Arif Wicaksono menegaskan: ”Tidak ada kenaikan tarif tahun ini.”\n"
        "”Penumpang tidak perlu khawatir,” Arif menambahkan.\n"
    )
    assert [(s, w) for s, _, w in speakers(text)] == [
        ("Arif Wicaksono", "Tidak ada kenaikan tarif"),
        ("Arif Wicaksono", "Penumpang tidak perlu kh"),
    ]


# ---------------------------------------------------------------- organisations


@pytest.mark.parametrize(
    "text, snippet, speaker",
    [
        pytest.param(HEAD + "Kepala Ekonom Bank Nusa Persada Rina Lestari menilai kredit tumbuh.\n"
                     "Bank sentral memperkirakan inflasi tetap rendah sepanjang tahun.\n", "inflasi tetap rendah",
                     "Bank Nusa Persada", id="a description with the head of the one bank the article names"),
        pytest.param(HEAD + "Wakil Menteri Perumahan Dodi Kurnia meresmikan rusun. Sebab, kementerian mencatat 8 juta keluarga "
                     "belum punya rumah. Acara itu digelar Kementerian Perumahan Rakyat di Bekasi.\n",
                     "8 juta keluarga", "Kementerian Perumahan Rakyat", id="the ministry named later in the article"),
        pytest.param(HEAD + "Dana Pangan Internasional menurunkan proyeksi panen dunia. Harga gandum ikut naik. "
                     "Lembaga itu memperkirakan harga gandum naik 8 persen tahun depan.\n", "harga gandum naik 8",
                     "Dana Pangan Internasional", id="a demonstrative institution: the organisation last a subject"),
        pytest.param(HEAD + "Harga beras turun tipis. Pemerintah memperkirakan harga beras stabil hingga Lebaran.\n",
                     "harga beras stabil", "Pemerintah", id="the government"),
        pytest.param(HEAD + "Harga minyak naik. Pada Senin, Badan Energi Dunia memperkirakan permintaan naik tahun depan.\n"
                     "Bank Dunia memperingatkan negara berkembang akan menghadapi utang yang lebih mahal.\n",
                     "negara berkembang", "Bank Dunia", id="an organisation's name opening a sentence"),
    ],
)
def test_organisations_as_speakers(text, snippet, speaker):
    assert credited(text, snippet) == speaker


def test_a_description_of_an_institution_the_article_never_names_stays_unnamed():
    text = HEAD + "Harga minyak naik. Lembaga itu memperkirakan harga gandum naik 8 persen tahun depan.\n"
    assert speakers(text) == [("Lembaga itu", False, "harga gandum naik 8 pers")]


def test_a_sentence_opening_verb_is_an_adverbial_clause_not_an_attribution():
    text = HEAD + (
        "Hendra Wiratama memperkirakan harga beras naik.\n"
        "Menanggapi hal itu, Kepala Dinas Pangan Sinta Maharani mengatakan stok masih cukup sampai akhir tahun.\n"
        "Melihat data itu, pedagang memilih menahan stok.\n"
    )
    assert [s for s, _, _ in speakers(text)] == ["Hendra Wiratama", "Sinta Maharani"]


# ---------------------------------------------------------------- outlet styles beyond the archive


def said(text: str) -> list[tuple[str, str]]:
    """(speaker, the words credited) for each named statement."""
    article = parse_article("t.txt", text)
    return [(q.speaker, article.source[q.words_start : q.words_end]) for q in extract_quotes(article) if q.named]


EN = "Test Headline\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(EN + '"Nothing in the data forces a cut," said Lena Holt, an economist at Brightwater Capital.\n',
                     [("Lena Holt", "Nothing in the data forces a cut")], id="said X after the quote"),
        pytest.param(EN + '"Nothing in the data forces a cut," Lena Holt said in a statement on Monday.\n',
                     [("Lena Holt", "Nothing in the data forces a cut")], id="X said in a statement after the quote"),
        pytest.param(EN + "Lena Holt said in a statement that the bank would hold rates.\n",
                     [("Lena Holt", "the bank would hold rates")], id="X said in a statement that"),
        pytest.param(EN + "Growth will slow next year, according to Lena Holt, an economist at Brightwater Capital.\n",
                     [("Lena Holt", "Growth will slow next year")], id="according to X at the end"),
        pytest.param(EN + "According to Lena Holt, growth will slow next year.\n",
                     [("Lena Holt", "growth will slow next year")], id="according to X first"),
        pytest.param(EN + "Rates will stay high for longer, said Lena Holt, an economist at Brightwater Capital.\n",
                     [("Lena Holt", "Rates will stay high for longer")], id="clause, said X"),
        pytest.param(EN + "Rates will stay high for longer, Lena Holt said.\n",
                     [("Lena Holt", "Rates will stay high for longer")], id="clause, X said"),
        pytest.param(EN + "Exports fell 3 percent in May, the Ministry of Trade said in a statement.\n",
                     [("Ministry of Trade", "Exports fell 3 percent in May")], id="clause, the Ministry said"),
        pytest.param(EN + "Lena Holt expects rates to stay high. Inflation is still too far above target, she said.\n",
                     [("Lena Holt", "rates to stay high"), ("Lena Holt", "Inflation is still too far above target")],
                     id="clause, she said"),
        pytest.param(EN + "Brightwater Bank cut its forecast on Monday. Exports will fall this year, the bank said in a note.\n",
                     [("Brightwater Bank", "Exports will fall this year")], id="the bank the article names"),
    ],
)
def test_english_frames(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("frame", ["imbuhnya", "paparnya", "ucapnya", "sebut dia", "tuturnya", "terangnya", "ungkap dia"])
def test_postposed_frames_after_a_reported_clause(frame):
    text = HEAD + (
        "Ekonom Universitas Pelita Raya Hendra Wiratama memperkirakan harga beras naik bulan depan.\n"
        f"Pasokan dari sentra produksi belum pulih setelah banjir, {frame}.\n"
    )
    assert said(text)[-1] == ("Hendra Wiratama", "Pasokan dari sentra produksi belum pulih setelah banjir")


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Harga beras akan naik bulan depan, menurut Hendra Wiratama, ekonom Universitas Pelita Raya.\n",
                     [("Hendra Wiratama", "Harga beras akan naik bulan depan")], id="menurut X at the end"),
        pytest.param(HEAD + "Menurut Hendra Wiratama, harga beras akan naik bulan depan.\n",
                     [("Hendra Wiratama", "harga beras akan naik bulan depan")], id="menurut X first"),
        pytest.param(HEAD + "Harga beras akan naik bulan depan, kata Hendra Wiratama di Jakarta, Senin (3/2).\n",
                     [("Hendra Wiratama", "Harga beras akan naik bulan depan")], id="kata X at the end"),
        pytest.param(HEAD + "Hendra Wiratama memperkirakan harga naik. Hal ini, menurut dia, karena pasokan belum pulih.\n",
                     [("Hendra Wiratama", "harga naik"), ("Hendra Wiratama", "karena pasokan belum pulih")],
                     id="menurut dia inserted after a short subject"),
        pytest.param(HEAD + "Hendra Wiratama memperkirakan harga naik. Pasokan, lanjut dia, belum pulih.\n",
                     [("Hendra Wiratama", "harga naik"), ("Hendra Wiratama", "Pasokan, lanjut dia, belum pulih")],
                     id="lanjut dia inserted"),
        pytest.param(HEAD + "“Pasokan belum pulih,” sebut dia. Hendra Wiratama lalu menambahkan: “Kami akan impor.”\n",
                     [("Hendra Wiratama", "Kami akan impor.")], id="sebut dia with nobody named before"),
    ],
)
def test_indonesian_frames(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Ekonom Hendra Wiratama mendorong agar dana desa dipakai untuk irigasi.\n",
                     [("Hendra Wiratama", "dana desa dipakai untuk irigasi")], id="mendorong agar"),
        pytest.param(HEAD + "Inflasi yang tinggi mendorong kenaikan harga yang ditanggung konsumen.\n", [],
                     id="mendorong with an object is no request"),
        pytest.param(HEAD + "Hendra Wiratama menilai harga naik. Pihaknya menargetkan ekspor bisa tumbuh 6 persen.\n",
                     [("Hendra Wiratama", "harga naik"), ("Hendra Wiratama", "ekspor bisa tumbuh 6 persen")],
                     id="pihaknya stands for the person"),
        pytest.param(HEAD + "Hendra Wiratama menilai harga naik. “Stok tinggal dua pekan,” rinci Hendra.\n",
                     [("Hendra Wiratama", "harga naik"), ("Hendra Wiratama", "Stok tinggal dua pekan")], id="rinci X"),
        pytest.param(HEAD + "Hendra Wiratama menyoroti stok beras di gudang berada di bawah batas aman.\n",
                     [("Hendra Wiratama", "stok beras di gudang berada di bawah batas aman")], id="a clause with berada"),
    ],
)
def test_indonesian_verbs(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Menurut data Badan Statistik Daerah (BSD), harga beras naik 4 persen.\n", [],
                     id="menurut data X cites figures"),
        pytest.param(HEAD + "Data Badan Statistik Daerah mencatat harga beras naik 4 persen.\n", [],
                     id="data X mencatat: nobody speaks"),
        pytest.param(HEAD + "Harga beras naik. Laporan Bank Dunia memperkirakan ekonomi Asia melambat tahun depan.\n",
                     [("Bank Dunia", "ekonomi Asia melambat tahun depan")], id="a report's body"),
        pytest.param(HEAD + "Saksi Antonius Budiarto hadir di sidang. Budiarto yang menjadi saksi mengaku menyerahkan uang itu.\n",
                     [("Antonius Budiarto", "menyerahkan uang itu")], id="a name, then a relative clause"),
        pytest.param(HEAD + "Menteri Perdagangan Zulkarnain Harahap (Zulhar) meninjau pasar. Pria yang akrab disapa Zulhar itu "
                     "mengatakan harga cabai akan turun.\n", [("Zulkarnain Harahap", "harga cabai akan turun")],
                     id="the name a relative clause declares"),
        pytest.param(HEAD + "Kebijakan itu membuat Hendra Wiratama yakin ekonomi akan tumbuh.\n", [],
                     id="the object of another verb"),
        pytest.param(HEAD + "Presiden Arvania Mikel Darov dan Presiden Belstria Ivo Kranic menyatakan keinginan untuk berdamai.\n",
                     [], id="two people joined"),
        pytest.param(HEAD + "Menteri Koordinator Bidang Pangan dan Pertanian Raka Pratama mengatakan stok aman.\n",
                     [("Raka Pratama", "stok aman")], id="an office with dan"),
        pytest.param(HEAD + "Presiden Raka Pratama pada Rabu (2/4) telah mengumumkan tarif baru akan berlaku bulan depan.\n",
                     [("Raka Pratama", "tarif baru akan berlaku bulan depan")], id="a time between subject and verb"),
        pytest.param(HEAD + "Dana Pangan Dunia (DPD) memangkas proyeksi. Untuk negara berkembang DPD memproyeksi harga gandum naik.\n",
                     [("Dana Pangan Dunia", "harga gandum naik")], id="a declared acronym after a phrase"),
    ],
)
def test_subjects(text, expected):
    assert said(text) == expected


def test_an_employee_of_a_company_is_nobodys_name_and_their_next_quote_too():
    text = HEAD + (
        "Ekonom Hendra Wiratama menilai harga minyak naik.\n"
        "“Permintaan bahan bakar pemanas melonjak pada Februari,” kata analis Brightwater.\n"
        "“Pasokan dari Laut Utara juga tersendat,” imbuhnya.\n"
    )
    assert [(s, named) for s, named, _ in speakers(text)] == [
        ("Hendra Wiratama", True), ("analis Brightwater", False), ("analis Brightwater", False)]


def test_an_analyst_the_article_names_in_full():
    text = HEAD + (
        "Ekonom Samudra Finansial Hendra Wiratama menilai harga minyak naik.\n"
        "“Permintaan bahan bakar pemanas melonjak,” kata ekonom Wiratama.\n"
    )
    assert [s for s, _, _ in speakers(text)] == ["Hendra Wiratama", "Hendra Wiratama"]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Kata Sinta Maharani, stok beras cukup sampai akhir tahun.\n",
                     [("Sinta Maharani", "stok beras cukup sampai akhir tahun")], id="kata X opening the sentence"),
        pytest.param(HEAD + "Sinta Maharani memperkirakan harga naik. Kata dia, stok beras cukup.\n",
                     [("Sinta Maharani", "harga naik"), ("Sinta Maharani", "stok beras cukup")], id="kata dia opening"),
        pytest.param(HEAD + "Lebih lanjut Sinta Maharani mengungkapkan, stok beras cukup.\n",
                     [("Sinta Maharani", "stok beras cukup")], id="lebih lanjut is an adverb, not lanjut X"),
        pytest.param(HEAD + "Sinta Maharani, Kepala Dinas Pangan, mengatakan harga akan turun.\n",
                     [("Sinta Maharani", "harga akan turun")], id="a role set off by commas after the name"),
        pytest.param(EN + "Jane Morrow, who heads the port authority, said the talks would resume in spring.\n",
                     [("Jane Morrow", "the talks would resume in spring")], id="a relative clause after the name"),
        pytest.param(EN + "The talks will resume in spring, Morrow told Reuters.\n",
                     [("Morrow", "The talks will resume in spring")], id="clause, X told Reuters"),
        pytest.param(EN + '"We are ready," Dr. Jane Morrow, the port\'s director, told reporters on Tuesday.\n',
                     [("Jane Morrow", "We are ready")], id="the name, then the role"),
        pytest.param(EN + "The mayor, Tom Keller, said the town lost money.\n",
                     [("Tom Keller", "the town lost money")], id="the role, then the name"),
    ],
)
def test_more_frames(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. Ia menambahkan, harga cabai mulai turun.\n",
                     [("Sinta Maharani", "harga cabai mulai turun")], id="a comma standing for bahwa"),
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. Ia melanjutkan, pasokan dari Jawa sudah tiba.\n",
                     [("Sinta Maharani", "pasokan dari Jawa sudah tiba")], id="melanjutkan, clause"),
        pytest.param(HEAD + "Sinta Maharani melanjutkan pembangunan gudang di Maros tahun ini.\n", [],
                     id="melanjutkan with an object is an action"),
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. Ia mengungkapkan hal itu usai rapat di Makassar.\n", [],
                     id="an anaphor as the only content"),
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. Ia mengatakan hal itu menjadi kewenangan daerah.\n",
                     [("Sinta Maharani", "hal itu menjadi kewenangan daerah")], id="hal itu as the clause's subject"),
    ],
)
def test_clauses_after_framed_verbs(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize(
    "text, speaker",
    [
        pytest.param(HEAD + "Pengamat ekonomi dari Universitas Nusantara Fithra Wijaya menjelaskan inflasi akan turun.\n",
                     "Fithra Wijaya", id="a role, dari, an employer, the name; a three-word clause"),
        pytest.param(HEAD + "Direktur Utama PT Samudra Energi (Persero) Nina Kartika memastikan stok solar aman.\n",
                     "Nina Kartika", id="the word after PT is the company's"),
        pytest.param(HEAD + "Kepala Ekonom PT Bank Pesisir Raya Tbk (BPR) Dimas Sulistyo memperkirakan inflasi turun.\n",
                     "Dimas Sulistyo", id="a bank's name and legal form before the person"),
    ],
)
def test_role_and_employer_before_a_name(text, speaker):
    assert [s for s, _ in said(text)] == [speaker]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Menteri Keuangan Sri Mulyani Indrawati meninjau pasar. Sang menteri memperkirakan inflasi turun.\n",
                     [("Sri Mulyani Indrawati", True)], id="sang + a title the article gives one person"),
        pytest.param(HEAD + "Menteri Keuangan Sri Mulyani Indrawati dan Menteri Perdagangan Budi Santoso meninjau pasar. "
                     "Sang menteri memperkirakan inflasi turun.\n", [("Sang menteri", False)], id="two ministers: nobody"),
        pytest.param(EN + "Treasury Secretary Janet Yellen spoke on Monday. The secretary said inflation was falling.\n",
                     [("Janet Yellen", True)], id="the secretary"),
        pytest.param(HEAD + "Bendahara Negara Sri Mulyani Indrawati meninjau pasar. Bendahara Negara itu memperkirakan inflasi turun.\n",
                     [("Sri Mulyani Indrawati", True)], id="the title with a demonstrative"),
    ],
)
def test_titles_the_article_resolves(text, expected):
    assert [(s, named) for s, named, _ in speakers(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. Ia bilang harga cabai akan turun pekan depan.\n",
                     [("Sinta Maharani", "harga cabai akan turun pekan depan")], id="ia bilang"),
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. Dirinya menilai harga cabai akan turun.\n",
                     [("Sinta Maharani", "harga cabai akan turun")], id="dirinya"),
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. Ia menuturkan kepada CNNIndonesia.com, harga cabai akan turun.\n",
                     [("Sinta Maharani", "harga cabai akan turun")], id="kepada the outlet, then the words"),
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. “Harga cabai akan turun,” ucapnya kepada wartawan, Senin (3/2).\n",
                     [("Sinta Maharani", "Harga cabai akan turun")], id="ucapnya kepada wartawan"),
    ],
)
def test_pronoun_frames(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(HEAD + "Organisasi Negara Pengekspor Kopi (ONPK) memperkirakan permintaan naik. "
                     "Kartel kopi itu juga menilai pasokan ketat.\n",
                     [("Organisasi Negara Pengekspor Kopi", "permintaan naik"), ("Organisasi Negara Pengekspor Kopi", "pasokan ketat")],
                     id="kartel itu"),
        pytest.param(EN + "The Federal Reserve said inflation remained elevated.\n",
                     [("Federal Reserve", "inflation remained elevated")], id="an English name ending in its head"),
        pytest.param(EN + "The Brightwater Reserve Bank said inflation remained elevated. The central bank also projected that two cuts would come.\n",
                     [("Brightwater Reserve Bank", "inflation remained elevated"), ("Brightwater Reserve Bank", "two cuts would come")],
                     id="the central bank"),
        pytest.param(EN + "The Brightwater Reserve Bank said inflation remained elevated. The finance ministry said the deficit would shrink.\n",
                     [("Brightwater Reserve Bank", "inflation remained elevated")], id="the ministry after a bank is no bank"),
        pytest.param(EN + "Economists polled by Reuters had expected that rates would hold.\n", [], id="a passive's agent in the subject"),
        pytest.param(EN + "The International Coffee Fund expects growth to slow. The fund said risks were tilted down.\n",
                     [("International Coffee Fund", "growth to slow"), ("International Coffee Fund", "risks were tilted down")],
                     id="the fund"),
        pytest.param(EN + "Jane Morrow runs the port. The company said revenue fell.\n", [],
                     id="the company the article never names"),
    ],
)
def test_organisations_referred_back_to(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HEAD + "Imbal hasil turun setelah Bank Sentral Arvania menegaskan belum akan mengubah kebijakan.\n", id="setelah X menegaskan"),
        pytest.param(HEAD + "Rupiah melemah karena Gubernur Bank Sentral Arvania Mikel Darov mengatakan bunga akan naik.\n", id="karena X mengatakan"),
        pytest.param(EN + "Stocks fell after central bank chief Mikel Darov said rates would stay high.\n", id="after X said"),
        pytest.param(HEAD + "Rupiah melemah di atas ekspektasi pasar yang memperkirakan penguatan.\n", id="a relative clause"),
    ],
)
def test_a_subordinate_clause_under_a_main_clause_credits_no_one(text):
    assert said(text) == []


def test_a_subordinate_clause_set_off_before_the_subject_does_not_hide_it():
    assert said(HEAD + "Setelah rapat, Sinta Maharani mengatakan stok aman sampai Lebaran.\n") == [
        ("Sinta Maharani", "stok aman sampai Lebaran")]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(EN + 'Jane Morrow chairs the port board. "We are ready," she said, "and we will act quickly."\n',
                     [("Jane Morrow", "We are ready"), ("Jane Morrow", "and we will act quickly.")],
                     id="a quotation split by its frame: two statements"),
        pytest.param(HEAD + "Kepala Dinas Pangan Sinta Maharani meninjau pasar. ”Stok aman,” katanya. ”Harga juga stabil.”\n",
                     [("Sinta Maharani", "Stok aman"), ("Sinta Maharani", "Harga juga stabil.")],
                     id="two same-mark quotations in one unit"),
        pytest.param(EN + "The talks could resume in spring, Morrow added.\n",
                     [("Morrow", "The talks could resume in spring")], id="clause, X added"),
        pytest.param(EN + "Morrow added a new berth to the harbour.\n", [], id="added with an object is an action"),
        pytest.param(EN + "Brightwater Capital, in a note to clients, said rates would stay high.\n",
                     [("Brightwater Capital", "rates would stay high")], id="a note is a noun"),
        pytest.param(HEAD + "Sinta Maharani meninjau pasar. “Stok aman sampai Lebaran,” kata dia dalam acara ‘Pekan Pangan Nusantara 2024’.\n",
                     [("Sinta Maharani", "Stok aman sampai Lebaran")], id="an event's name is not speech"),
    ],
)
def test_several_quotations_and_final_frames(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("sentence", [
    "“Stok beras di gudang aman sampai Lebaran,” ujar Direktur Jenderal Tanaman Pangan Kementerian Pertanian dan Perkebunan Rakyat Sutrisno Hadiwijaya, Senin (4/3).",
    "Kepala Pusat Penelitian dan Cadangan Pangan Sutrisno Hadiwijaya menyatakan stok beras di gudang aman sampai Lebaran.",
])
def test_an_office_joined_by_dan_ends_in_its_holders_name(sentence):
    text = HEAD + sentence + "\n“Distribusi ke daerah berjalan lancar,” kata Sutrisno.\n"
    assert [s for s, _, _ in speakers(text)] == ["Sutrisno Hadiwijaya", "Sutrisno Hadiwijaya"]


def test_nya_after_the_market_is_the_person_named_before():
    text = HEAD + (
        "Kepala Riset Mandala Sekuritas Rudi Hartanto memprediksi indeks menguat pekan ini.\n"
        "Pasalnya, pasar memperkirakan suku bunga bertahan.\n"
        "“Laporan keuangan emiten juga membaik,” ujarnya.\n"
    )
    assert credited(text, "Laporan keuangan emiten") == "Rudi Hartanto"


def test_nya_after_an_unnamed_analyst_stays_theirs():
    text = HEAD + (
        "Rudi Hartanto memprediksi indeks menguat pekan ini.\n"
        "“Permintaan minyak melemah,” kata analis Citigroup.\n"
        "“Stok di Amerika naik,” imbuhnya.\n"
    )
    assert credited(text, "Stok di Amerika") == "analis Citigroup"


def test_a_clipped_name_is_the_organisation_the_article_spells_out():
    text = HEAD + (
        "Rupiah menguat setelah rapat bank sentral Amerika, Federal Reserve, pekan ini.\n"
        "The Fed menilai bahwa inflasi akan turun tahun depan.\n"
    )
    assert credited(text, "inflasi akan turun") == "Federal Reserve"


def test_reported_words_in_a_relative_clause_under_another_predicate_credit_no_one():
    text = HEAD + (
        "Kenaikan indeks didorong oleh pernyataan bank sentral, Otoritas Moneter Kepulauan, yang mengatakan suku bunga bertahan.\n"
    )
    assert credited(text, "suku bunga bertahan") is None


@pytest.mark.parametrize("clause", ["masih ada risiko banjir di pesisir", "akan ada tambahan pasokan bulan depan", "belum ada kenaikan harga"])
def test_a_verb_of_seeing_before_an_aspect_marker_reports_a_clause(clause):
    text = HEAD + f"Kepala Dinas Pangan Sinta Maharani melihat {clause}.\n"
    assert credited(text, clause) == "Sinta Maharani"


def test_a_company_opening_with_its_legal_form_keeps_it():
    text = HEAD + (
        "PT Kalimaya (Persero) mengaku menghemat biaya operasional sepanjang tahun lalu.\n"
        "Kalimaya Group juga menambah produksi di lima blok.\n"
    )
    assert credited(text, "menghemat biaya") == "PT Kalimaya"


def test_a_place_recording_a_figure_is_nobodys_statement():
    text = HEAD + (
        "Vietnam mencatat pertumbuhan ekonomi sebesar 4,1 persen pada kuartal II.\n"
        "Badan Statistik Kepulauan mencatat inflasi sebesar 2 persen.\n"
    )
    assert credited(text, "pertumbuhan ekonomi sebesar") is None
    assert credited(text, "inflasi sebesar") == "Badan Statistik Kepulauan"


@pytest.mark.parametrize("epithet, holder", [
    ("Kepala negara", "Bambang Sutedja"), ("Kepala Negara itu", "Bambang Sutedja"), ("Bendahara negara", "Ratna Kusuma"),
])
def test_an_office_named_by_its_epithet_is_its_holder(epithet, holder):
    text = HEAD + (
        "Presiden Bambang Sutedja membuka rapat koordinasi bersama Menteri Keuangan Ratna Kusuma, Senin (3/3).\n"
        f"{epithet} mengingatkan bahwa harga pangan harus dijaga menjelang Lebaran.\n"
    )
    assert credited(text, "harga pangan harus dijaga") == holder


def test_an_official_relayed_inside_an_analysts_commentary_leaves_nya_to_the_analyst():
    text = HEAD + (
        "Analis Samudra Futures Rudi Hartanto mengatakan dolar menguat karena investor berhati-hati.\n"
        "Menteri Keuangan Amerika Serikat Laura Finch mengatakan bahwa stimulus tidak memicu inflasi.\n"
        "Namun, belanja konsumen naik pada Maret.\n"
        "“Investor menunggu data tenaga kerja pekan ini,” ujarnya dalam keterangan tertulis.\n"
    )
    assert credited(text, "Investor menunggu data") == "Rudi Hartanto"


def test_a_turn_to_a_new_speaker_gives_them_nya():
    text = HEAD + (
        "Analis Samudra Futures Rudi Hartanto mengatakan dolar menguat karena investor berhati-hati.\n"
        "Sementara itu, Menteri Keuangan Laura Finch mengatakan bahwa stimulus tidak memicu inflasi.\n"
        "“Belanja pemerintah tersebar bertahun-tahun,” ujarnya.\n"
    )
    assert credited(text, "Belanja pemerintah tersebar") == "Laura Finch"


def test_two_bodies_joined_by_dan_speak_together_and_kedua_or_mereka_stands_for_both():
    text = HEAD + (
        "Anak usaha Grup Sentosa, Borneo Coal Inc dan PT Tambang Kalimaya mengaku telah mengajukan keringanan utang.\n"
        "Dalam keterangan resmi, kedua perusahaan menyatakan bahwa utang itu akan dilunasi tahun depan.\n"
        "Mereka menegaskan bahwa produksi tetap berjalan.\n"
    )
    joint = "Borneo Coal Inc dan PT Tambang Kalimaya"
    assert [s for s, _, _ in speakers(text)] == [joint, joint, joint]


def test_two_people_joined_by_dan_are_not_one_speaker():
    text = HEAD + "Presiden Bambang Sutedja dan Presiden Kepulauan Laura Finch menyatakan bahwa perundingan berlanjut.\n"
    assert all(" dan " not in s for s, _, _ in speakers(text))


def test_an_office_joined_by_dan_with_its_bodys_acronym_before_the_holder():
    text = HEAD + (
        "Badan Statistik Kepulauan (BSK) mencatat inflasi 3 persen pada Mei.\n"
        "Deputi Bidang Neraca dan Jasa BSK Wiryawan menyebut penyumbang inflasi terbesar adalah harga beras.\n"
        "“Beras naik karena panen mundur,” ujarnya.\n"
    )
    assert [s for s, _, _ in speakers(text)][1:] == ["Wiryawan", "Wiryawan"]


@pytest.mark.parametrize("verb", ["mengumumkan", "memaparkan", "menjelaskan"])
def test_a_bare_intransitive_verb_shows_a_clause_follows(verb):
    text = HEAD + f"Badan Statistik Kepulauan {verb} ekonomi daerah tumbuh 4,8 persen pada kuartal II.\n"
    assert credited(text, "tumbuh 4,8 persen") == "Badan Statistik Kepulauan"


def test_an_object_without_a_verb_is_still_no_statement():
    text = HEAD + "Badan Statistik Kepulauan mengumumkan kenaikan harga beras di pasar induk.\n"
    assert credited(text, "kenaikan harga beras") is None


def test_a_time_adjunct_between_subject_and_verb_is_not_the_subject():
    text = HEAD + "Hasil survei Bank Sentral Kepulauan pada pekan pertama Mei memproyeksi bahwa inflasi bulan ini 0,2 persen.\n"
    assert credited(text, "inflasi bulan ini") == "Bank Sentral Kepulauan"


@pytest.mark.parametrize("frame, speaker", [
    ("kata salah satu pedagang sayur di Pasar Induk, Marni, Kamis (4/4)", "Marni"),
    ("kata seorang petani, Darto Wiyono", "Darto Wiyono"),
    ("kata seorang petani di lereng gunung", "seorang petani"),
])
def test_an_unnamed_role_then_a_name_after_a_comma(frame, speaker):
    text = HEAD + f"“Harga tomat sudah tiga kali lipat,” {frame}.\n"
    assert credited(text, "Harga tomat sudah") == speaker


def test_an_acronym_declared_for_a_body_whose_name_ends_in_an_office_word():
    text = HEAD + (
        "Badan Pangan dan Pertanian (BPP) merilis laporan tahunan pekan ini.\n"
        "BPP memperkirakan harga gandum naik tahun depan.\n"
    )
    assert ("BPP", "Badan Pangan dan Pertanian") in declared_aliases(parse_article("t.txt", text))
    assert credited(text, "harga gandum naik") == "Badan Pangan dan Pertanian"


def test_a_country_acronym_in_a_role_is_no_english_conjunction():
    # "AS" (Amerika Serikat) folds to "as", an English subordinator; written in capitals it is none.
    text = ("Judul\n\n“Kami tidak akan mengirim pasukan,” mantan duta besar AS untuk PBB Rina Wulandari "
            "mengatakan kepada wartawan.\n")
    assert credited(text, "Kami tidak akan") == "Rina Wulandari"


@pytest.mark.parametrize("office, holder", [
    ("Menteri Energi dan Sumber Daya Mineral Haris Wibisono", "Haris Wibisono"),
    ("Menteri Perdagangan dan Perindustrian Haris Wibisono", "Haris Wibisono"),
    ("Asisten Perekonomian dan Keuangan Sekda Provinsi DKI Jakarta Sri Haryanti", "Sri Haryanti"),
])
def test_an_offices_holder_keeps_a_two_word_name(office, holder):
    text = HEAD + f"“Pasokan aman sampai akhir tahun,” kata {office}.\n"
    assert credited(text, "Pasokan aman") == holder


def test_two_titled_people_joined_by_dan_are_no_office():
    text = HEAD + "“Vaksin aman,” kata Presiden Bambang Sutedja dan Wakil Presiden Haris Wibisono.\n"
    assert credited(text, "Vaksin aman") != "Haris Wibisono"


def test_an_employer_the_article_writes_on_its_own_is_no_part_of_the_name():
    text = HEAD + (
        "Direktur Keuangan Zorbatama Lestari Wulan Pranoto menuturkan biaya operasi turun 8 persen.\n"
        "Menurut laporan itu, Zorbatama menutup dua kilang tahun lalu.\n"
        "“Kami memangkas biaya logistik lebih dulu,” ungkap Lestari melalui keterangan resmi.\n"
    )
    assert [s for s, _, _ in speakers(text)] == ["Lestari Wulan Pranoto", "Lestari Wulan Pranoto"]


def test_a_given_name_is_no_employer():
    # "Lestari" alone later, but "Muhammad" is a given name written before the name a person is
    # called by (text/wordlists/names.txt [called_after]): kept.
    text = HEAD + (
        "Direktur Muhammad Lestari Pranoto mengatakan penjualan gas naik.\n"
        "“Permintaan industri pulih sejak Maret,” ujar Lestari.\n"
    )
    assert [s for s, _, _ in speakers(text)] == ["Muhammad Lestari Pranoto", "Muhammad Lestari Pranoto"]


def test_an_employer_the_article_never_writes_apart_is_cut_at_the_name_used_alone():
    # "Analis Quorvan Investindo Lestari Pranoto … ujar Lestari": the person is called Lestari, so
    # what comes before is no part of the name, though the article never writes "Quorvan Investindo" alone.
    text = HEAD + (
        "Analis Quorvan Investindo Lestari Pranoto mengatakan rupiah melemah 20 poin.\n"
        "“Pasar menunggu data inflasi,” ujar Lestari.\n"
    )
    assert [s for s, _, _ in speakers(text)] == ["Lestari Pranoto", "Lestari Pranoto"]


def test_an_office_noun_made_from_a_root_is_no_part_of_the_name():
    # "Pegadaian" (pe-gadai-an) and "Perjuangan" open no one's name.
    text = HEAD + "Direktur Utama Pegadaian Harsono Widodo mengatakan penyaluran kredit gadai naik.\n"
    assert [s for s, _, _ in speakers(text)] == ["Harsono Widodo"]


def test_two_offices_joined_by_sekaligus_have_one_holder():
    text = HEAD + ("“Penyumbang utama deflasi adalah harga cabai,” ungkap Direktur Eksekutif sekaligus Kepala "
                   "Departemen Komunikasi Bank Zorbania Quorvan Tandiono dalam keterangan resmi.\n")
    assert credited(text, "Penyumbang utama") == "Quorvan Tandiono"


def test_a_person_called_by_the_first_word_of_their_name_declares_it():
    text = HEAD + (
        "Calon presiden Baskara Wirayudha menjanjikan pertumbuhan dua digit.\n"
        "“Kami tidak puas dengan lima persen,” ujar Baskara di hadapan pendukungnya.\n"
    )
    assert ("Baskara", "Baskara Wirayudha") in declared_aliases(parse_article("t.txt", text))
    assert [s for s, _, _ in speakers(text)][-1] == "Baskara Wirayudha"
    assert AliasTable([("Baskara", "Baskara Wirayudha", 1)]).names_for("Baskara") == ["Baskara", "Baskara Wirayudha"]


@pytest.mark.parametrize(
    "text, snippet, speaker",
    [
        pytest.param(HEAD + "Kepala Dinas Perikanan Dharma Kusuma, Rabu (14/9), mengatakan, stok ikan di gudang "
                     "cukup untuk dua bulan.\n", "stok ikan", "Dharma Kusuma", id="a day set off by commas before the verb"),
        pytest.param(HEAD + "Ketua Koperasi Nelayan Pesisir Anwar Halim, di Dumai, Kamis (15/9), menyatakan harga solar "
                     "memberatkan anggotanya.\n", "harga solar", "Anwar Halim", id="a place and a day before the verb"),
        pytest.param(HEAD + "Kepala Dinas Pangan Surya Pranata di Tanjung Priok, Senin kemarin, mengungkapkan ada "
                     "tiga kontainer yang ditahan.\n", "tiga kontainer", "Surya Pranata", id="where after the name, when after a comma"),
        pytest.param(HEAD + "Direktur Utama Lestari Wibowo seusai rapat di Bekasi, Jumat (16/9), mengatakan "
                     "landasan baru dibuka bulan depan.\n", "landasan baru", "Lestari Wibowo", id="an occasion after the name"),
        pytest.param("Palembang, Selasa - Gubernur Sumatera Selatan Hadi Prawira, Selasa (13/9) di Palembang, mengatakan "
                     "jalan tol itu selesai tahun depan.\n", "jalan tol", "Hadi Prawira", id="a dateline opens the sentence"),
        pytest.param(HEAD + "Kebakaran sudah bisa dipadamkan, kata Kepala Seksi Operasi Balai Taman Nasional Bukit Dua (BTNBD) "
                     "Jambi, Rosyid.\n", "Kebakaran sudah", "Rosyid", id="kata role (acronym) place, name"),
        pytest.param(HEAD + "Target kami lima medali emas, kata Ketua Pelatnas Renang untuk PON 2026 Budi Harsono "
                     "di Jakarta.\n", "Target kami", "Budi Harsono", id="a year inside the office"),
        pytest.param(HEAD + "Menurut Dr Laras Wening, peneliti Pusat Studi Gambut, Universitas Riau, lahan itu perlu dibasahi.\n",
                     "lahan itu", "Laras Wening", id="menurut a titled name, then the role"),
        pytest.param(HEAD + "Dua ekor gajah lahir bulan ini, ujar Staf Bidang Satwa drh Wulan, Senin (12/9).\n",
                     "Dua ekor gajah", "Wulan", id="a title in lower case before the name"),
        pytest.param(HEAD + "Menurut Kepala Seksi Irigasi Dinas PU Kabupaten Lembah Hijau, Tono Sudarmo, debit air turun.\n",
                     "debit air", "Tono Sudarmo", id="an office ending in a place is no person"),
        pytest.param("Ambon, Kompas - Panglima Komando Daerah Militer Pattimura Mayor Jenderal TNI Rudi Hartono mengakui "
                     "pasukannya menembak sebuah perahu di perairan Seram.\n",
                     "pasukannya menembak", "Rudi Hartono", id="a dateline with the outlet's name"),
        pytest.param(HEAD + "Kepala Kepolisian Resor Kota Malang Ajun Komisaris Besar Dodi Prasetyo yang meninjau lokasi ketika "
                     "massa berkumpul mengatakan, aksi itu tidak bisa dibiarkan.\n", "aksi itu", "Dodi Prasetyo",
                     id="a long office, its holder and a relative clause"),
        pytest.param(HEAD + "Prof Dr Wening Astuti, peneliti senior dari Pusat Riset Pangan Badan Riset dan Inovasi Pertanian "
                     "(BRIP) mengungkapkan panen raya mundur sebulan.\n", "panen raya", "Wening Astuti",
                     id="a body with an acronym is no person"),
        pytest.param(HEAD + "Stok pupuk aman sampai panen, kata Kepala Dinas Pertanian Provinsi Bali I Wayan Sudarsa, kemarin "
                     "di Denpasar.\n", "Stok pupuk", "I Wayan Sudarsa", id="a Balinese name opened by I"),
        pytest.param(HEAD + "Direktur Jenderal Perkebunan Ni Ketut Ayu Lestari mengatakan harga kopra mulai naik.\n",
                     "harga kopra", "Ni Ketut Ayu Lestari", id="a Balinese name opened by Ni"),
        pytest.param(HEAD + "Menurut Dr Hasan Basri MSc, dosen Fakultas Perikanan Universitas Pattimura, stok ikan tuna "
                     "menurun.\n", "stok ikan", "Hasan Basri", id="a degree after the name"),
        pytest.param(HEAD + "“Pabrik kedua dibuka tahun depan,” kata pendiri Teknologi Nusantara, Yani Ma.\n",
                     "Pabrik kedua", "Yani Ma", id="a surname is no degree"),
        pytest.param(HEAD + "Direktur Eksekutif Institute for Fiscal and Trade Studies (Infits) Rahmat Hidayat mengatakan "
                     "cukai baru itu membebani petani.\n", "cukai baru", "Rahmat Hidayat",
                     id="a body's short form in parentheses, then the person"),
        pytest.param(HEAD + "Ketua Badan Pengawas Pasar Karbon (Bapeka) Sinta Maharani mengatakan volume perdagangan "
                     "naik.\n", "volume perdagangan", "Sinta Maharani", id="a syllabic short form, then the person"),
        pytest.param(HEAD + "Bantuan darurat sudah dikirim ke lokasi banjir, kata Presiden Paraguay Mario Benitez di Asuncion.\n",
                     "Bantuan darurat", "Mario Benitez", id="a country of any region before the name"),
        pytest.param(HEAD + "“Dermaga baru selesai bulan depan,” kata jubir Samudra Cargo, Dewi Anggraini.\n",
                     "Dermaga baru", "Dewi Anggraini", id="an abbreviated office, the employer, then the name"),
    ],
)
def test_credited_as_other_outlets_write_it(text, snippet, speaker):
    assert credited(text, snippet) == speaker


@pytest.mark.parametrize(
    "text, first, then",
    [
        pytest.param(HEAD + "“Rumput laut dari Wakatobi sudah diekspor,” kata Laila Sari, seraya menambahkan, harga jualnya "
                     "naik dua kali lipat.\n", "Rumput laut dari", "harga jualnya", id="kata X, seraya menambahkan, …"),
        pytest.param(HEAD + "Laila Sari menyatakan panen tahun ini melimpah, sambil menambahkan bahwa gudang di pelabuhan "
                     "sudah penuh.\n", "panen tahun ini", "gudang di pelabuhan", id="…, sambil menambahkan bahwa …"),
        pytest.param(HEAD + "Laila Sari said the harvest was the best in a decade, adding that the port warehouses were full.\n",
                     "the harvest", "the port warehouses", id="…, adding that …"),
    ],
)
def test_a_clause_the_speaker_adds_is_a_second_statement(text, first, then):
    found = speakers(text)
    assert [(speaker, words[: len(start)]) for (speaker, _, words), start in zip(found, (first, then))] == [
        ("Laila Sari", first), ("Laila Sari", then)]
    article = parse_article("t.txt", text)
    said = extract_quotes(article)[0]
    assert not any(w in article.source[said.words_start : said.words_end] for w in ("menambahkan", "adding"))
