"""What the extractive answerer's strategies share: candidates and their evidence, the one
answer-or-refuse decision (``_decide``), coverage scoring, names the corpus lacks, citations."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.answer import Answer, Citation, Retrieved
from retrieval.calibration import Evidence, QuestionEvidence, calibration_for, feature_rows
from retrieval.periods import asked_periods, period_evidence
from retrieval.question import Question, name_runs, proper_names
from retrieval.search import ChunkRecord, Corpus, Hit, QuoteRef, Searcher
from text.datafiles import data_lines
from text.dates import Period, without_dates
from text.names import initials, names_office
from text.tokens import (
    common_word,
    detect_language,
    english_names,
    fold,
    indonesian_spellings,
    indonesian_translations,
    is_stopword,
    name_forms,
    stem,
    terms,
    word_list,
    words,
)
from text.wordlists import alternation

# Whether to answer, and with which passages, is decided in one place (_decide) by the embedder's
# fitted calibration (retrieval/calibration.py): P(this candidate answers) from its similarity to the
# question, the share of the question's words it covers, its chunk's retrieval ranks and more.
MAX_STATEMENTS = 6
MAX_FACT_SENTENCES = 3

# The answerer's own sentences, in both languages: retrieval/extractive/messages.json.
MESSAGES = json.loads((Path(__file__).with_name("messages.json")).read_text(encoding="utf-8"))
if set(MESSAGES["en"]) != set(MESSAGES["id"]):
    raise RuntimeError("retrieval/extractive/messages.json: the two languages must have the same messages")

# A year before 1900 only after a word that makes it one ("tahun 809", "sejak 1883"): alone it is a count.
DATE_HINT = re.compile(
    r"\b(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:19|20)\d\d|"
    r"(?:tahun|year)\s+\d{3,4}(?!\d|[.,]\d)|(?:pada|sejak|since|in|hingga|until)\s+1[0-8]\d\d(?!\d|[.,]\d)|"
    r"januari|februari|maret|april|mei|juni|juli|agustus|september|"
    r"oktober|november|desember|january|february|march|may|june|july|august|october|december|senin|selasa|"
    r"rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"kemarin|pekan lalu|bulan lalu|tahun lalu|yesterday|last (?:week|month|year))\b",
    re.I,
)
NOT_AN_AMOUNT = re.compile(rf"\b(?:{alternation(data_lines('not_amounts'))})\b", re.I)
NUMBER_WORDS = (r"satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|puluh|ratus|ribu|juta|"
                r"miliar|triliun|sepertiga|setengah|separuh|seperempat|one|two|three|four|five|six|seven|eight|"
                r"nine|ten|hundred|thousand|million|billion|third|half")
NUMBER_HINT = re.compile(rf"\d|\b(?:{NUMBER_WORDS})\b", re.I)


def _relative_time() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = dict(line.split(maxsplit=1) for line in data_lines("relative_times"))
    unit = rf"\b(?:{alternation(words['unit'].split())})\b"
    number = rf"(?:[\d.,]+|(?:(?:{NUMBER_WORDS})\s*)+)"
    ago = rf"(?:yang\s+)?(?:{alternation(words['ago'].split())})\b"
    return re.compile(rf"\b{number}\s+{unit}\s+{ago}", re.I), re.compile(unit, re.I)


# "sepuluh bulan yang lalu", "two years ago": a time, no amount, unless units of time are asked for
RELATIVE_TIME, TIME_UNIT = _relative_time()


@dataclass
class Candidate:
    """A passage the answer could rest on: a sentence, or a statement (``quote``) of the quote index.
    ``start``/``end`` is the span weighed (a statement's own words); ``p`` is the calibration's
    probability that it answers."""

    record: ChunkRecord
    start: int
    end: int
    similarity: float
    coverage: float
    quote: QuoteRef | None = None
    nearest: bool = False
    type_missing: bool = False
    p: float = 0.0
    then: str = ""  # words an answer citing it shows after it: the sentence or statement that completes it
    off_target: str = ""  # why, though close, it answers another question: "period" or "number" (_off_target)
    excluded: str = ""  # why it cannot be the answer at all, though weighed: "office", "employer", "period"

    @property
    def text(self) -> str:
        return self.record.slice(self.start, self.end)

    @property
    def span(self) -> tuple[int, int]:
        """What is cited: the whole statement for a quote, else the sentence."""
        if self.quote is None:
            return self.start, self.end
        return _clip(self.record, self.quote.start, self.quote.end)

    @property
    def shown(self) -> str:
        """The words an answer citing it shows: the speaker's name and the statement, or the sentence,
        and what completes it (``then``)."""
        text = self.record.slice(*self.span)
        text = f"{self.quote.speaker}: {text}" if self.quote is not None else text
        return f"{text} {self.then}" if self.then else text


Shown = Iterable[tuple[str, int, int]]  # (doc_id, start, end) of passages already shown


class _Shown:
    """Spans already shown, by article; a span overlapping one of them counts as shown."""

    def __init__(self, spans: Shown = ()) -> None:
        self.by_doc: dict[str, list[tuple[int, int]]] = {}
        for doc_id, start, end in spans:
            self.by_doc.setdefault(doc_id, []).append((start, end))

    def __bool__(self) -> bool:
        return bool(self.by_doc)

    def __len__(self) -> int:
        return sum(len(spans) for spans in self.by_doc.values())

    def covers(self, doc_id: str, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.by_doc.get(doc_id, ()))


# ------------------------------------------------------------------ shared scoring


def _question_words(text: str, lang: str = "id", english_archive: bool = False,
                    known: Collection[str] | None = None) -> list[tuple[str, set[str]]]:
    """Each content word of the question with the index terms that stand for it: its stem and, in an
    English question, the stems of the ways Indonesian may spell it ("inflation": "inflasi") and of
    the Indonesian names of the name it is part of ("United States", "US": "Amerika Serikat", "AS";
    with ``known``, the archive's terms, the names it holds)."""
    named: dict[int, set[str]] = {}
    if lang == "en":
        for start, end, names in english_names(text, known):
            forms = {stem(form) for name in names for form in name_forms(name)}
            named.update((i, forms) for i in range(start, end))
    groups = []
    seen: set[str] = set()
    for i, raw in enumerate(words(text)):
        word = fold(raw)
        if is_stopword(raw) or word in seen or len(word) < 2:
            continue
        seen.add(word)
        groups.append((word, _spellings(raw, lang, english_archive) | named.get(i, set())))
    return groups


def _spellings(raw: str, lang: str, english_archive: bool = False, *, translations: bool = True) -> set[str]:
    """The index terms that stand for the word ``raw``. In an English question over an Indonesian
    archive an English word stands also for its Indonesian spellings and for the words a dictionary
    translates it to ("prices": "harga"; not with ``translations`` False, for a name's words), and a
    word that is no Indonesian word (a lower-case dictionary word, "second", or an exonym, "China")
    only for those: an Indonesian article that holds the English form does so by chance (a name, an
    English quote), while the articles that answer say it in Indonesian. Names ("Xi", though the
    dictionary has "xi"), numbers, words of both languages, and any word when the archive holds
    English articles (``english_archive``) stand for themselves."""
    word = fold(raw)
    if lang != "en":
        return {stem(word)}
    alternatives = {stem(form) for form in indonesian_spellings(word)}
    if translations:
        alternatives |= {stem(form) for form in indonesian_translations(word)}
    english = word in word_list("english_exonyms") or (raw[:1].islower() and common_word(word, "en"))
    if english_archive or not english or common_word(word, "id"):
        alternatives.add(stem(word))
    return alternatives


def _decide(kind: str, q: Question, searcher: Searcher, corpus: Corpus, hits: list[Hit], k: int,
            candidates: list[Candidate], scorer: "_Scorer", *, join_key, limit: int | None,
            shown: _Shown | None = None, lexical: list[Hit] = ()) -> list[Candidate]:
    """The one answer-or-refuse decision: the candidates the answer rests on, best first, or [] to refuse.

    The embedder's calibration gives each candidate P(it answers the question); the best answers when
    its P reaches the fitted threshold, and others join it (up to ``limit``) when theirs is high enough
    (``Calibration.joins``: a fitted floor and a fitted share of the best P) and ``join_key`` differs
    from the chosen ones' (another speaker, other words). Passages already ``shown`` in the
    conversation are weighed but never chosen again."""
    calibration = calibration_for(searcher.embedder.name)
    question = _question_evidence(kind, q, corpus, hits, list(lexical), k, scorer)
    asked = _term_weights(corpus, q.focus)
    when = asked_periods(q.text)
    question.period_asked = bool(when)
    names = _asked_names(q, corpus.vocabulary)
    evidence = [_evidence(c, q.focus, asked, when, names) for c in candidates]
    rows = feature_rows(question, evidence)
    for candidate, p, seen in zip(candidates, calibration.probabilities(rows), evidence):
        candidate.p = float(p)
        candidate.off_target = _off_target(kind, q, candidate, seen)
    cross = searcher.cross_language(q.text, q.lang, corpus)
    for candidate in candidates:
        candidate.excluded = _excluded(kind, q, candidate, cross, corpus)
    if kind != "fact":  # a figure is reported long after ("tahun lalu"); a statement is news the day it is made
        _exclude_other_dates(candidates, evidence)
    calibration.observe(question, rows, candidates, [join_key(c) for c in candidates], limit)
    ranked = sorted((c for c in candidates if not c.excluded), key=lambda c: -c.p)
    if shown:
        ranked = [c for c in ranked if not shown.covers(c.record.doc_id, *c.span)]
    if not ranked or ranked[0].p < calibration.answer_threshold(cross) or ranked[0].off_target:
        return []
    chosen, keys = [ranked[0]], {join_key(ranked[0])}
    for other in ranked[1:]:
        if limit is not None and len(chosen) >= limit or not calibration.joins(other.p, ranked[0].p):
            break
        if join_key(other) not in keys:
            keys.add(join_key(other))
            chosen.append(other)
    return chosen


def _off_target(kind: str, q: Question, c: Candidate, seen: Evidence) -> str:
    """Why the best candidate, however close, answers another question than the one asked, so the
    answer is a refusal that shows it (a near miss): asked for a figure or a time of one period, it
    names only other periods of that kind ("kuartal I 2018" for "kuartal II 2018"); asked for a
    figure, it states none the question does not give."""
    if kind != "fact":
        return ""
    if q.expects in ("number", "date") and seen.period_conflict:
        return "period"
    if q.expects == "number" and c.type_missing:
        return "number"
    return ""


def _exclude_other_dates(candidates: list[Candidate], evidence: list[Evidence]) -> None:
    """Asked what was said on a day, in a month, a quarter or a year, the articles dated in it (or in
    the days after it) report it: when any candidate statement stands in one, a statement from an
    article dated outside it that names no time within it is no answer ("What did X say on 13 July
    2022" is not what X said in June)."""
    if not any(seen.period_dated for seen in evidence):
        return
    for candidate, seen in zip(candidates, evidence):
        if not candidate.excluded and seen.period_dated_elsewhere and not seen.period_stated:
            candidate.excluded = "period"


def _excluded(kind: str, q: Question, c: Candidate, cross: bool, corpus: Corpus) -> str:
    """Why a candidate cannot answer, however it scores: asked who holds an office, it does not name
    that office ("Menteri Dalam Negeri Irak" for "Wakil Menteri Kesehatan Irak"), or names no one
    beside it. Not across languages: a translation of the office says nothing of it. Another
    candidate may answer."""
    if kind == "fact" and q.office and not cross and (c.type_missing or not names_office(c.shown, q.office)):
        return "office"
    if kind == "who_said" and q.role and c.quote is not None and any(
            _names_within(name, q.role) for name in [c.quote.speaker, *corpus.aliases.declared_for(c.quote.speaker)]):
        return "employer"  # "Which BPS deputy said …": Badan Pusat Statistik is where they work, not who
    return ""


def _names_within(speaker: str, role: str) -> bool:
    """Whether ``role`` names ``speaker`` itself, by its words or its initials ("deputi BPS" names
    Badan Pusat Statistik; "at Bank Indonesia" names Bank Indonesia). Other short forms are the
    archive's declared aliases ("Kemenperin"), tried by the caller."""
    held = {fold(w) for w in words(role)}
    spoken = words(speaker)
    letters = initials(speaker)
    return bool(spoken) and ({fold(w) for w in spoken} <= held or (len(letters) >= 2 and fold(letters) in held))


def _asked_names(q: Question, known: Collection[str] | None = None) -> list[list[frozenset[str]]]:
    """Each name the question's focus mentions, as the terms that stand for each of its words: a name
    of ``name_runs`` (no question word, title or dictionary word) word by word, and in an English
    question an English name of several words or an acronym as any term of its Indonesian names
    ("the White House": "gedung", "putih"; with ``known``, the archive's terms, the names it holds)."""
    runs = name_runs(q.focus, q.lang, whole_question=q.focus == q.text)
    named = [dict.fromkeys(terms(" ".join(run), keep_stopwords=True)) for run in runs]
    names = [[frozenset({t}) for t in name] for name in named if name]
    if q.lang == "en":
        names += [[frozenset(stem(form) for name in held for form in name_forms(name))]
                  for _, _, held in english_names(q.focus, known)]
    return names


def _name_missing(names: list[list[frozenset[str]]], present: frozenset[str]) -> float:
    """The share of the words of the question's least-found name that ``present`` lacks: a name is what
    a question is about, and a passage naming none of it is about something else."""
    return max((sum(not (word & present) for word in name) / len(name) for name in names), default=0.0)


def _evidence(c: Candidate, focus: str, asked: dict[str, float], when: tuple[Period, ...] = (),
              names: list[list[frozenset[str]]] = ()) -> Evidence:
    """The candidate's side of the evidence (``asked``: the question's terms with their idf share;
    ``when``: the periods the question names; ``names``: the terms of each name it mentions)."""
    present = _text_terms(c.text) | _chunk_terms(c.record)
    rarest_missing = max((w for t, w in asked.items() if t not in present), default=0.0)
    name_missing = _name_missing(names, present)
    period = period_evidence(when, c.record.date_iso, c.shown, c.record.text)  # what an answer citing it shows
    return Evidence(c.similarity, c.coverage, c.record.chunk_id, c.end - c.start, c.nearest, c.type_missing,
                    rarest_missing, *_news(focus, c.text, c.record.text),
                    period_dated=period.dated, period_stated=period.stated, period_conflict=period.conflict,
                    period_dated_elsewhere=period.dated_elsewhere, name_missing=name_missing)


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def number_key(number: str) -> str:
    """A number as both languages write it: "4.94" (English) and "4,94" (Indonesian) are one."""
    return re.sub(r"[.,]", "", number)


def states_asked(q: Question, text: str) -> bool:
    """Whether ``text`` states what the question asks for: a time, an amount, a person's or a place's name."""
    if q.expects == "date":
        return bool(DATE_HINT.search(text))
    if q.expects == "number":  # a number the question does not give ("4.94" and "4,94" are one), not a date's
        asked = {number_key(n) for n in NUMBER.findall(q.text)}
        figures = NOT_AN_AMOUNT.sub(" ", without_dates(text))  # "salah satu" (one of) counts nothing
        if not TIME_UNIT.search(q.text):  # unless asked how long ago
            figures = RELATIVE_TIME.sub(" ", figures)
        return any(number_key(n) not in asked for n in NUMBER.findall(figures)) or any(
            not m.group().isdigit() and fold(m.group()) not in fold(q.text) for m in NUMBER_HINT.finditer(figures))
    if q.expects in ("person", "place", "name"):
        asked = {fold(w) for w in proper_names(q.text)}
        names = proper_names(text)
        if names and words(text)[:1] == names[:1]:  # capitalised as the sentence's first word
            names = names[1:]
        return any(fold(w) not in asked for w in names)
    return True


def _news(question: str, text: str, context: str) -> tuple[float, bool, bool, float]:
    """What ``text`` adds to ``question``: the share of its words the question lacks, whether it has a
    name (a capitalised word past its first) and a number the question lacks; and what it lacks: the
    share of the question's numbers found neither in it nor in its ``context`` (the chunk)."""
    asked = set(terms(question))
    said = [t for t in terms(text) if t.isalpha()]
    novelty = sum(t not in asked for t in said) / len(said) if said else 0.0
    asked_names = {fold(w) for w in words(question)}
    new_name = any(fold(w) not in asked_names for w in proper_names(text)[1:])
    asked_numbers = {number_key(n) for n in NUMBER.findall(question)}
    stated = {number_key(n) for n in NUMBER.findall(text)}
    new_number = bool(stated - asked_numbers)
    present = stated | {number_key(n) for n in NUMBER.findall(context)}
    number_missing = len(asked_numbers - present) / len(asked_numbers) if asked_numbers else 0.0
    return novelty, new_name, new_number, number_missing


def _term_weights(corpus: Corpus, text: str) -> dict[str, float]:
    """The corpus's terms of ``text``, each with its idf as a share of the highest idf possible."""
    df, n = _document_frequencies(corpus), max(corpus.size, 1)
    top = math.log(1 + n / 0.5)
    return {t: math.log(1 + n / (df[t] + 0.5)) / top for t in set(terms(text)) if t.isalpha() and t in df}


def _question_evidence(kind: str, q: Question, corpus: Corpus, hits: list[Hit], lexical: list[Hit], k: int,
                       scorer: "_Scorer") -> QuestionEvidence:
    """The question's side of the evidence: ``hits`` is the fused ranking, ``lexical`` more BM25 leaders."""
    asked = [t for t in terms(q.focus) if t.isalpha()]
    unknown = sum(t not in corpus.vocabulary for t in asked) / len(asked) if asked else 0.0
    listed = lexical + hits  # a fused hit carries both scores: it wins
    return QuestionEvidence(
        kind=kind, lang=q.lang, unknown_share=unknown,
        expects=q.expects if kind in ("fact", "what_said_topic") else None,  # (who-said's "person" is the quote's)
        no_lexical=not scorer.total,
        chunk_rank={h.record.chunk_id: i for i, h in enumerate(hits)},
        chunk_dense={h.record.chunk_id: h.dense for h in listed if h.dense is not None},
        chunk_bm25={h.record.chunk_id: h.bm25 for h in listed if h.bm25 is not None},
        k=k,
    )


class _Scorer:
    """Idf-weighted coverage of the question's words by a piece of text.

    A word the corpus never uses weighs as much as the rarest word: the text cannot contain it, so
    the answer is probably not there. The exception is a word of an English question that the corpus
    does not hold: an Indonesian corpus says it in other words ("inflation" is "inflasi", "Moscow" is
    "Moskow"), so its absence says nothing; it is left out and the multilingual embeddings judge that
    part of the question (a name no article mentions is refused before, by _unknown_names). Names,
    numbers and words the corpus shares with the question count.
    """

    def __init__(self, corpus: Corpus, text: str, lang: str = "id") -> None:
        self.df = _document_frequencies(corpus)
        self.n = max(len(corpus.records), 1)
        self.groups = []
        english_archive = lang == "en" and corpus.english_share() >= ENGLISH_ARCHIVE
        for word, alternatives in _question_words(text, lang, english_archive, corpus.vocabulary):
            known = [self.df[a] for a in alternatives if a in self.df]
            if not known and lang == "en" and word.replace("-", "").isalpha():
                continue
            df = max(known) if known else 0  # the spelling the corpus uses most
            self.groups.append((alternatives, math.log(1 + self.n / (df + 0.5))))
        self.total = sum(w for _, w in self.groups)

    def coverage(self, text: str, record: ChunkRecord | None = None, corpus: Corpus | None = None) -> float:
        """Share of the question covered by ``text``; with ``record``, words found only in the
        surrounding chunk or elsewhere in the same article count at a discount (context that a
        reader of the passage has too: "he said at the summit in X" sits a paragraph away)."""
        if not self.total:
            return 0.0
        layers = [(_text_terms(text), 1.0)]
        if record is not None:
            layers.append((_chunk_terms(record), CHUNK_CONTEXT))
            if corpus is not None:
                layers.append((corpus.article_terms(record.doc_id), ARTICLE_CONTEXT))
        got = 0.0
        for alternatives, weight in self.groups:
            got += weight * max((factor for present, factor in layers if alternatives & present), default=0.0)
        return got / self.total


ENGLISH_ARCHIVE = 0.1  # share of English chunks from which English words in a question count as themselves
CHUNK_CONTEXT = 0.6
ARTICLE_CONTEXT = 0.3  # context counts less than the passage's own words


@lru_cache(maxsize=8192)
def _text_terms(text: str) -> frozenset[str]:
    return frozenset(terms(text, keep_stopwords=True))


@lru_cache(maxsize=4096)
def _chunk_terms(record: ChunkRecord) -> frozenset[str]:
    return frozenset(terms(record.text, keep_stopwords=True))


def _document_frequencies(corpus: Corpus):
    """term -> chunks whose title and text hold it (stopwords kept): persisted by ingest, read on demand."""
    return corpus.document_frequencies


def _similarities(searcher: Searcher, vector: np.ndarray, spans: list[tuple[ChunkRecord, int, int]]) -> list[float]:
    from index.store import sentence_id

    ids = [sentence_id(r.doc_id, s, e) for r, s, e in spans]
    vectors = searcher.store.sentence_vectors(list(dict.fromkeys(ids)))
    return [float(vectors[i] @ vector) if i in vectors else 0.0 for i in ids]


SENTENCE_DEPTH = 10
LEXICAL_DEPTH = 3


def _nearest_sentences(searcher: Searcher, corpus: Corpus, vector, n: int) -> list[tuple[ChunkRecord, int, int]]:
    held = (corpus.sentence_record(sentence_id) for sentence_id, _ in searcher.corpus.dense("sentences", vector, n))
    return [found for found in held if found is not None]


def _unknown_names(corpus: Corpus, text: str, *, whole_question: bool = False, lang: str | None = None) -> list[str]:
    """The names in ``text`` (``retrieval.question.name_runs``) that no article mentions.

    A name is mentioned when any of its words is: news gives a full name once and then the surname
    ("Gerhard Schröder", then "Schröder"), or a first name alone ("Febri"); in an English question
    also as Indonesian spells it ("Moscow" as "Moskow"). A hyphenated word is known when each part
    is ("Russia-China" with "Rusia" and "China" in the corpus). With
    ``whole_question`` a sentence's first word alone is never a name (see ``name_runs``)."""
    missing = []
    lang = lang or detect_language(text)
    tokens = words(text)
    # An English name of several words or an acronym whose Indonesian name the archive holds is known
    # ("the White House" as "Gedung Putih", "US" as "Amerika Serikat"), though its words are not.
    held = {fold(tokens[i]) for start, end, _ in (english_names(text, corpus.vocabulary) if lang == "en" else [])
            for i in range(start, end)}
    for run in name_runs(text, lang, whole_question=whole_question):
        if held and all(fold(word) in held for word in run):
            continue
        # An initialism ("PT", "RI") is no one's name: it vouches for no run ("PT Zelda Indonesia").
        # Nor does a dictionary word that follows a name ("Andy Noorsaman Someng"): the name must be known.
        vouching = ([word for word in run if len(word) > 1 and not word.isupper()
                     and not (common_word(word, "id") or common_word(word, "en"))]
                    or [word for word in run if len(word) > 1 and not word.isupper()] or run)
        if not any(_known_name_word(corpus, word, lang) for word in vouching):
            missing.append(" ".join(run))
    return list(dict.fromkeys(missing))


def _known_name_word(corpus: Corpus, word: str, lang: str) -> bool:
    folded = fold(word)
    if _known_word(corpus, folded, lang):
        return True
    parts = [p for p in folded.split("-") if p]
    return len(parts) > 1 and all(_known_word(corpus, p, lang) for p in parts)


def _known_word(corpus: Corpus, word: str, lang: str = "id") -> bool:
    """Whether the corpus holds ``word``, in an English text also as Indonesian spells it ("Moscow"
    as "Moskow")."""
    return bool(({word} | _spellings(word, lang, translations=False)) & corpus.vocabulary)


def citations(items: list[tuple[ChunkRecord, int, int]]) -> list[Citation]:
    citations = []
    for n, (record, start, end) in enumerate(items, 1):
        citations.append(
            Citation(
                n=n,
                doc_id=record.doc_id,
                title=record.title,
                date=record.date,
                chunk_id=record.chunk_id,
                start=start,
                end=end,
                quote=record.slice(start, end),
            )
        )
    return citations


def retrieved(hits: list[Hit]) -> list[Retrieved]:
    return [Retrieved(h.record.doc_id, h.record.chunk_id, round(h.score, 6)) for h in hits]


def _refuse(out: Answer, text: str, hits: list[Hit] | None = None) -> Answer:
    out.answer = text
    out.refused = True
    out.citations = []
    out.retrieved = retrieved(hits or [])
    return out


NEAR_SHARE = 0.5  # a refusal shows the best candidate when its P is at least this share of the threshold


def _refuse_with_nearest(out: Answer, msg: dict, searcher: Searcher, candidates: list, shown: _Shown,
                         hits: list[Hit], question: str) -> Answer:
    """A refusal that says what the archive does hold when it comes close (another quarter, another
    company): the best candidate, cited, below the line the answer would need, or the one that
    answers for another period than ``question`` names."""
    unshown = [c for c in candidates if not (shown and shown.covers(c.record.doc_id, c.start, c.end))]
    best = max(unshown, key=lambda c: c.p, default=None)
    if best is None or best.p < NEAR_SHARE * calibration_for(searcher.embedder.name).threshold:
        return _refuse(out, msg["not_found"], hits)
    asked = asked_periods(question)
    if best.off_target == "period" and asked:
        said = msg["other_period"].format(period=" / ".join(question[p.start:p.end] for p in asked))
    else:
        said = msg["not_found_near"]
    _refuse(out, said, hits)
    out.citations = citations([(best.record, best.start, best.end)])
    out.answer = f"{said}\n- {out.citations[0].quote} [1]"
    return out


def _clip(record: ChunkRecord, start: int, end: int) -> tuple[int, int]:
    return max(start, record.start), min(end, record.end)


# ------------------------------------------------------------------ what did X say


MAX_SPEAKERS = 3  # at most this many speakers of the same words
STATEMENT_POOL = 96  # statements weighed per question, at most (see _statement_pool)


def _same_words(text: str) -> str:
    return " ".join(fold(text).split())


def _distinct(items: list, text_of) -> list:
    """``items`` without the ones whose words repeat an earlier item's (duplicate articles)."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = _same_words(text_of(item))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _unshown(statements: list[tuple[ChunkRecord, QuoteRef]], shown: _Shown) -> list[tuple[ChunkRecord, QuoteRef]]:
    if not shown:
        return statements
    return [(r, quote) for r, quote in statements if not shown.covers(r.doc_id, *_clip(r, quote.start, quote.end))]


def _statement_pool(searcher, corpus, text, vector, *, speakers=None, named_only=False):
    """The statements worth weighing for ``text``: all of them while there are at most STATEMENT_POOL
    (a corpus the size of the development one: nothing changes there); in a larger archive only those
    cited from the STATEMENT_POOL chunks retrieval ranks best for ``text``, so the work per question
    stays bounded as the archive grows."""
    if corpus.statement_count(speakers, named_only=named_only) <= STATEMENT_POOL:
        return corpus.statements(speakers, named_only=named_only)
    hits = searcher.search(text, STATEMENT_POOL, speakers=speakers, vector=vector, depth=STATEMENT_POOL, candidates=True)
    return corpus.statements(speakers, named_only=named_only, chunk_ids=[h.record.chunk_id for h in hits])


def _statement_similarities(searcher, vector, spans) -> list[float]:
    """A statement's similarity is that of its closest sentence."""
    sentence_spans = []
    owners = []
    for index, (record, start, end) in enumerate(spans):
        for s, e in record.sentences:
            if s < end and e > start:
                sentence_spans.append((record, s, e))
                owners.append(index)
    sims = _similarities(searcher, vector, sentence_spans)
    best = [0.0] * len(spans)
    for owner, sim in zip(owners, sims):
        best[owner] = max(best[owner], sim)
    return best


# ------------------------------------------------------------------ who said …
