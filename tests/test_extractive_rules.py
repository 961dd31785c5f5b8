"""Small rules of the extractive answerer, on text written for the tests."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from retrieval.extractive._common import _Scorer, _unknown_names
from retrieval.extractive._facts import _names_someone
from retrieval.question import name_runs, parse_question, person_mentions
from text.tokens import common_word, detect_language, indonesian_spellings
from text.tokens import stem


def vocabulary(*words: str) -> SimpleNamespace:
    return SimpleNamespace(vocabulary={stem(w) for w in words} | set(words))

def archive(document_frequencies: dict[str, int], english_share: float = 0.0) -> SimpleNamespace:
    """A stand-in corpus of 20 chunks holding these terms; ``english_share``: its share of English chunks."""
    return SimpleNamespace(vocabulary=set(document_frequencies), document_frequencies=document_frequencies,
                           records=[None] * 20, english_share=lambda: english_share)



def test_a_hyphenated_name_is_known_when_each_part_is():
    corpus = vocabulary("rusia-tiongkok", "rusia", "tiongkok", "jerman")
    assert _unknown_names(corpus, "Who organised the briefing on Russia-China relations?") == []
    assert _unknown_names(corpus, "What did Russia-Narnia talks achieve?") == ["Russia-Narnia"]
    assert _unknown_names(corpus, "Apa kata Zelda?") == ["Zelda"]


def test_names_someone_needs_a_new_multiword_name():
    question = "Which officials went with Putin to Beijing?"
    assert not _names_someone("Putin travelled to Beijing with senior security officials on Thursday.", question)
    assert _names_someone("Defence Minister Andrey Belousov and Sergey Shoigu were both there.", question)
    assert not _names_someone("Vladimir Putin arrived.", "What did Vladimir Putin do?")


def test_the_first_word_of_a_question_is_not_taken_for_an_unknown_name():
    corpus = vocabulary("pelabuhan", "lamongan", "dibuka")
    # Capitalised by the rules of writing, not because they are names: never "not mentioned" alone.
    assert _unknown_names(corpus, "Kapankah pelabuhan Lamongan dibuka?", whole_question=True) == []
    assert _unknown_names(corpus, "Berapakah biaya pelabuhan Lamongan?", whole_question=True) == []
    # A real name later in the question still counts, and a name given alone is still a name.
    assert _unknown_names(corpus, "Kapankah pelabuhan Zelda dibuka?", whole_question=True) == ["Zelda"]
    assert _unknown_names(corpus, "Zelda") == ["Zelda"]


def test_question_words_and_titles_are_not_names():
    corpus = vocabulary("harga", "schröder", "pelabuhan")
    # -kah question words, wherever they stand, and titles before a name are common words.
    assert _unknown_names(corpus, "Berapakah harga pelabuhan itu?", whole_question=True) == []
    assert _unknown_names(corpus, "Harga pelabuhan, dimanakah dibuka?", whole_question=True) == []
    assert _unknown_names(corpus, "Kapankah Kanselir Gerhard Schröder datang?", whole_question=True) == []
    assert name_runs("Kapankah Kanselir Gerhard Schröder datang?", "id", whole_question=True) == [["Gerhard", "Schröder"]]
    assert name_runs("Apa kata Menteri Zelda Quorvan dan Gubernur Brontis?", "id") == [["Zelda", "Quorvan"], ["Brontis"]]


def test_a_full_name_is_mentioned_when_its_surname_is():
    corpus = vocabulary("quorvan", "datang")
    assert _unknown_names(corpus, "Kapan Zelda Quorvan datang?", whole_question=True) == []
    assert _unknown_names(corpus, "Kapan Zelda Brontis datang?", whole_question=True) == ["Zelda Brontis"]


def test_a_surname_that_is_a_dictionary_word_stays_in_the_name_but_vouches_for_nothing():
    # "tanah" is an Indonesian dictionary word; after a name's words it is the name's last word.
    assert name_runs("What did Zelda Quorvan Tanah say?", "en") == [["Zelda", "Quorvan", "Tanah"]]
    assert person_mentions("the Director General of Ports, Zelda Quorvan Tanah,", "en")[1] == "Zelda Quorvan Tanah"
    assert name_runs("Berapa harga Pasar Tanah Abang?", "id") == []  # dictionary words with no name are none
    # A name after the dictionary word starts a name of its own, known or unknown by itself.
    assert name_runs("Who won at the Zorbania Tanah Quorvan games?", "en") == [["Zorbania", "Tanah"], ["Quorvan"]]
    assert _unknown_names(vocabulary("tanah"), "What did Zelda Quorvan Tanah say?", whole_question=True) == [
        "Zelda Quorvan Tanah"]


def test_english_common_words_and_exonyms_are_not_unknown_names():
    corpus = vocabulary("ppn", "mesir", "tarif", "putin")  # an Indonesian corpus: no English words
    question = "What is the VAT rate the Finance Ministry set for Egypt?"
    assert detect_language(question) == "en"
    assert _unknown_names(corpus, question, whole_question=True) == []
    # A real name still is one, and an acronym read as a word too.
    assert _unknown_names(corpus, "When did Putin visit Zorbania?", whole_question=True) == ["Zorbania"]
    assert _unknown_names(corpus, "Who won the ZORBA cup?", whole_question=True) == ["ZORBA"]


def test_an_english_name_is_known_as_indonesian_spells_it():
    corpus = vocabulary("moskow", "rusia")
    assert _unknown_names(corpus, "Why did Xi travel to Moscow and Russia?", whole_question=True) == []
    assert "inflasi" in indonesian_spellings("inflation") and "sanksi" in indonesian_spellings("sanctions")


def test_capitals_in_an_upper_case_or_title_cased_question_mark_no_names():
    assert name_runs("WHAT DID ZELDA QUORVAN SAY", "en") == []
    assert name_runs("What Did The Zelda Say About Quorvan", "en") == []


def test_english_words_the_corpus_lacks_are_left_to_the_embeddings():
    corpus = archive({"inflasi": 3, "2017": 5, "naik": 9}, english_share=0.0)
    scorer = _Scorer(corpus, "How fast did inflation climb in 2017?", "en")
    # "fast" and "climb" are English the Indonesian corpus words otherwise; "inflation" is "inflasi".
    assert [sorted(alternatives) for alternatives, _ in scorer.groups if "inflasi" in alternatives]
    assert {a for alternatives, _ in scorer.groups for a in alternatives} & {"fast", "climb"} == set()
    assert scorer.coverage("Inflasi pada 2017 naik tajam.") == 1.0


def test_in_an_archive_with_english_articles_english_words_stand_for_themselves():
    corpus = archive({"boats": 1, "harbour": 2, "inflasi": 3}, english_share=0.5)
    scorer = _Scorer(corpus, "How many boats use the harbour?", "en")
    assert {a for alternatives, _ in scorer.groups for a in alternatives} >= {"boats", "harbour"}
    assert scorer.coverage("Baker added that 40 boats already use the harbour.") == 1.0


def test_an_initialism_vouches_for_no_name_and_a_bare_suffix_makes_no_common_word():
    corpus = vocabulary("pt", "berproduksi", "jarak")
    assert _unknown_names(corpus, "Sejak kapan PT Zorbanesia berproduksi?", whole_question=True) == ["PT Zorbanesia"]
    # "Kementerian" is ke-menteri-an, a derived word; "Labuan" is no "labu" with -an, but a name.
    assert common_word("Kementerian", "id") and not common_word("Labuan", "id")
    assert _unknown_names(corpus, "Berapa jarak antara Labuan dan kota itu?", whole_question=True) == ["Labuan"]


def test_a_person_is_looked_up_without_titles_and_employers():
    assert person_mentions("BI Governor Zelda Quorvan", "en") == ["BI Governor Zelda Quorvan", "Zelda Quorvan"]
    assert person_mentions("Brontis of the Finance Ministry", "en")[-1] == "Brontis"
    assert person_mentions("Zelda Quorvan, speaking for the KSSK", "en")[-1] == "Zelda Quorvan"
    assert person_mentions("Dalton", "en") == ["Dalton"]
    assert person_mentions("the Director General of Energy, Zelda Quorvan", "en")[-1] == "Zelda Quorvan"


def test_a_person_asked_about_with_a_long_role_before_the_name_is_still_a_person():
    from retrieval.question import parse_question

    q = parse_question("Apa kata Kepala Dinas Pangan Provinsi Jawa Barat Zelda Quorvan soal harga beras?")
    assert (q.kind, q.topic) == ("what_said", "harga beras") and "Zelda Quorvan" in person_mentions(q.person)
    q = parse_question("What did acting Director General of Land Transport Brontis Halvar say about the fares?")
    assert q.kind == "what_said" and "Brontis Halvar" in person_mentions(q.person)
    # A long subject that ends in no name is no person: the question is a fact question.
    assert parse_question("What did the report the ministry published late last month say about rice prices?").kind == "fact"
    # … nor is a name buried in a long subject.
    assert parse_question("What did the committee chaired for years by the late Zelda Quorvan's deputy say about rice?"
                          ).kind == "fact"


def test_a_prediction_a_message_or_a_forecast_asked_of_a_person_is_what_they_said():
    from retrieval.question import parse_question

    q = parse_question("Apa prediksi Zelda Quorvan soal rupiah pekan depan?")
    assert (q.kind, q.person, q.topic) == ("what_said", "Zelda Quorvan", "rupiah pekan depan")
    q = parse_question("What was Brontis Halvar's forecast for palm oil exports?")
    assert (q.kind, q.person) == ("what_said", "Brontis Halvar")
    assert parse_question("Apa pesan Brontis Halvar kepada para petani?").kind == "what_said"


def test_an_english_word_an_indonesian_corpus_holds_by_chance_does_not_count():
    corpus = archive({"china": 2, "tiongkok": 9, "putin": 9, "bank": 4}, english_share=0.0)
    scorer = _Scorer(corpus, "Why did Putin praise China and the second bank?", "en")
    terms_used = {a for alternatives, _ in scorer.groups for a in alternatives}
    assert "putin" in terms_used and "bank" in terms_used  # a name, a word of both languages
    assert "china" not in terms_used and "second" not in terms_used  # an exonym, an English word


def test_a_refusal_shows_the_closest_passage_when_it_comes_close():
    from retrieval.answer import Answer
    from retrieval.calibration import calibration_for, register_calibration
    from retrieval.extractive._common import MESSAGES, Candidate, _refuse_with_nearest, _Shown
    from retrieval.search import ChunkRecord

    text = "Inflasi pada kuartal I 2023 tercatat 9,5 persen."
    record = ChunkRecord("a.txt#0", "a.txt", "Inflasi", None, None, None, 0, len(text), text, ((0, len(text)),), ())
    calibration = dataclasses.replace(calibration_for("test-hash"), threshold=0.4)
    register_calibration("test-near", calibration)
    searcher = SimpleNamespace(embedder=SimpleNamespace(name="test-near"))
    try:
        msg = MESSAGES["en"]
        close = Candidate(record, 0, len(text), 0.9, 0.8, p=0.3)  # below the threshold, above half of it
        question = "What was inflation in the second quarter of 2023?"
        out = _refuse_with_nearest(Answer("q", "", True), msg, searcher, [close], _Shown(), [], question)
        assert out.refused and out.answer == f"{msg['not_found_near']}\n- {text} [1]"
        assert [(c.doc_id, c.start, c.end, c.quote) for c in out.citations] == [("a.txt", 0, len(text), text)]
        far = Candidate(record, 0, len(text), 0.5, 0.1, p=0.1)
        out = _refuse_with_nearest(Answer("q", "", True), msg, searcher, [far], _Shown(), [], question)
        assert out.refused and out.answer == msg["not_found"] and not out.citations
        # One that answers for another period says so, naming the period asked.
        other = Candidate(record, 0, len(text), 0.9, 0.8, p=0.6, off_target="period")
        out = _refuse_with_nearest(Answer("q", "", True), msg, searcher, [other], _Shown(), [], question)
        said = msg["other_period"].format(period="second quarter of 2023")
        assert out.refused and out.answer == f"{said}\n- {text} [1]"
    finally:
        register_calibration("test-near", None)


def test_a_name_may_end_in_several_dictionary_words_but_not_in_a_day():
    assert name_runs("Apa kata Zelda Sri Tanah soal harga?", "id") == [["Zelda", "Sri", "Tanah"]]
    assert name_runs("Apa kata Zelda Quorvan Kamis lalu?", "id") == [["Zelda", "Quorvan"]]
    # Every word of the name a dictionary word: the capitalised words after the title are tried too.
    assert "Sri Tanah" in person_mentions("Menteri Pangan Sri Tanah", "id")
    assert "Zelda Sri Tanah" in person_mentions("Zorbex finance director Zelda Sri Tanah", "en")


@pytest.mark.parametrize(
    "question, expects",
    [
        ("Siapakah ketua panitia festival itu?", "person"),
        ("Berapakah jumlah pengunjung tahun lalu?", "number"),
        ("Kapankah jembatan itu diresmikan?", "date"),
        ("Dimanakah lomba perahu digelar?", "place"),
        ("Tahun berapakah pabrik itu dibuka?", "date"),
        ("Pada musim kemarau, berapakah debit sungai itu?", "number"),
        ("Partai apakah yang mengusung calon itu?", "name"),
        ("Berasal dari universitas manakah peneliti itu?", "name"),
        ("Untuk apa dana hibah itu dipakai?", None),
        ("At what level did the index close on Friday?", "number"),
        ("Which year was the lighthouse built?", "date"),
        ("In which year did the ferry service start?", "date"),
    ],
)
def test_what_a_question_asks_for_with_the_particle_kah_and_a_fronted_phrase(question, expects):
    assert parse_question(question).expects == expects


YEAR = "Tahun berapakah candi itu dibangun?"
AMOUNT = "Berapa nilai investasi perusahaan itu?"


@pytest.mark.parametrize("question, sentence, states", [
    # A year before 1900 is a time after a word that makes it one; alone it is a count.
    (YEAR, "Candi itu dibangun pada tahun 809 oleh wangsa Sanjaya.", True),
    (YEAR, "Pulau itu terus berubah sejak letusan dahsyat tahun 1883.", True),
    (YEAR, "Masjid itu berdiri sejak 1874 di tepi sungai.", True),
    (YEAR, "Candi itu menarik 1.200 pengunjung setiap pekan.", False),
    (YEAR, "Candi itu dibangun dengan 120 batu besar.", False),
    # A number word that counts nothing ("salah satu", "one of") states no amount.
    (AMOUNT, "Ia mengatakan salah satu industri yang dibahas adalah produksi baterai.", False),
    (AMOUNT, "Salah seorang pejabat menyebut rencana itu belum final.", False),
    (AMOUNT, "She said it was one of the plans discussed with the company.", False),
    (AMOUNT, "Perusahaan itu membangun dua pabrik baterai.", True),
    (AMOUNT, "Salah satu pabrik itu bernilai Rp5 triliun.", True),
    # A number of time units before now is a time ("sepuluh bulan yang lalu"), unless units of time are asked.
    (AMOUNT, "Sejak pabrik itu dibuka sepuluh bulan yang lalu, perusahaan menambah karyawan.", False),
    (AMOUNT, "The plant opened two years ago near the port.", False),
    (AMOUNT, "Dua tahun lalu pabrik itu bernilai Rp5 triliun.", True),
    ("Berapa tahun pabrik itu sudah beroperasi?", "Pabrik itu dibuka tiga tahun lalu.", True),
])
def test_whether_a_sentence_states_the_time_or_amount_asked_for(question, sentence, states):
    from retrieval.extractive import states_asked

    assert states_asked(parse_question(question), sentence) is states


def test_siapakah_opens_a_who_said_question():
    assert parse_question("Siapakah yang mengatakan harga beras akan turun?").kind == "who_said"


def test_a_number_the_question_gives_is_not_what_it_asks_for_in_either_notation():
    from retrieval.extractive import states_asked

    q = parse_question("How high was core inflation when headline inflation hit 4.94 percent?")
    assert q.expects == "number" and not states_asked(q, "Inflasi umum tembus 4,94 persen.")
    q = parse_question("Berapakah inflasi inti ketika inflasi umum mencapai 4,94 persen?")
    assert q.expects == "number"
    assert not states_asked(q, "Inflasi umum tembus 4.94 persen pada Juli.")
    assert states_asked(q, "Inflasi inti tercatat 2,86 persen.")


@pytest.mark.parametrize("question", ["What was the selling price of the ferry ticket on Monday?",
                                      "What price did the port authority set for a berth?",
                                      "What was Zorbex's average share price in the first half?",
                                      "What was the Kalvaria Islands' annual inflation in March 2024?",
                                      "What net profit did Zorbex Bank report for 2023?",
                                      "By how much did the ferry fare go up?"])
def test_an_english_question_about_a_measured_quantity_asks_for_a_number(question):
    assert parse_question(question).expects == "number"


@pytest.mark.parametrize("question", ["What warning did the minister give the ferry operators?",
                                      "What was the impact of the ferry tax on fishermen?",
                                      "What is the province's growth strategy?"])
def test_an_english_what_question_about_no_quantity_asks_for_no_number(question):
    # A quantity noun asks for a number only as the head of what is asked about.
    assert parse_question(question).expects is None


@pytest.mark.parametrize(
    "question, role, topic",
    [
        ("Siapa juru bicara Dinas Perairan yang menyebut bendungan itu aman dipakai?", "juru bicara Dinas Perairan",
         "bendungan itu aman dipakai"),
        ("Siapakah analis Korvana Sekuritas yang memperkirakan saham tambang akan naik?", "analis Korvana Sekuritas",
         "saham tambang akan naik"),
        ("Siapa yang dalam rapat pleno menegaskan bahwa tarif tol tidak naik?", None, "tarif tol tidak naik"),
        ("Which Quorvan Bank economist warned that rice prices would climb?", "Quorvan Bank economist",
         "rice prices would climb"),
        ("Who at the Harbour Authority said the ferry would sail on Monday?", "at the Harbour Authority",
         "the ferry would sail on Monday"),
        ("Who described the new bridge as a gift to the island?", None, "the new bridge as a gift to the island"),
    ],
)
def test_a_who_said_question_may_name_the_speakers_role(question, role, topic):
    # Verbs of saying come from the attribution's word lists; the role is what the speaker is.
    q = parse_question(question)
    assert (q.kind, q.role, q.topic) == ("who_said", role, topic)
    assert q.focus == " ".join(part for part in (role, topic) if part)


@pytest.mark.parametrize("question", [
    "Siapa yang mencatat kenaikan laba terbesar tahun lalu?",  # records a figure: no statement asked for
    "Siapa pejabat yang ditangkap polisi kemarin?",
    "Which company did Zelda Quorvan say would build the port?",  # asks for a company, not a speaker
    "Which Quorvan Bank branch opened first?",
])
def test_a_who_question_without_a_verb_of_saying_is_a_fact_question(question):
    assert parse_question(question).kind == "fact"


@pytest.mark.parametrize(
    "question, person, topic",
    [
        ("What range did Zelda Quorvan give for the ringgit next week?", "Zelda Quorvan",
         "range for the ringgit next week"),
        ("What analogy did Brontis Halvar use for the budget cuts?", "Brontis Halvar", "analogy for the budget cuts"),
        ("How did Zelda Quorvan compare this year's harvest with last year's?", "Zelda Quorvan",
         "this year's harvest with last year's"),
        ("Bagaimana Brontis Halvar menanggapi kenaikan tarif ferry?", "Brontis Halvar", "kenaikan tarif ferry"),
    ],
)
def test_what_a_person_gave_used_or_compared_is_what_they_said(question, person, topic):
    q = parse_question(question)
    assert (q.kind, q.person, q.topic) == ("what_said", person, topic)


def test_a_price_someone_set_is_a_fact():
    assert parse_question("What price did Zelda Quorvan set for the new ferry tickets?").kind == "fact"
