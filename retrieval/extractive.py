"""The answerer that needs no LLM: it picks the source sentences that answer and returns them
verbatim, each with its citation, or refuses when the corpus does not hold the answer.

* "What did X say?"  -> X's own statements (from the quote index), narrowed to the topic if one is asked.
* "Who said …?"      -> the statement that best matches, and its speaker.
* anything else      -> the best-supported sentence(s) among the retrieved chunks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from retrieval.answer import Answer, Citation, Retrieved
from retrieval.question import Question, name_runs, parse_question, person_mentions, proper_names
from retrieval.search import ChunkRecord, Corpus, Hit, QuoteRef, Searcher
from retrieval.text import (STOPWORDS, common_word, detect_language, fold, indonesian_spellings, stem, terms,
                            word_list, words)

# How sure the answerer must be. Coverage is the idf-weighted share of the question's words found
# in a sentence; similarity is the e5 cosine between question and sentence (e5 cosines sit high:
# unrelated news sentences score about 0.75-0.80, paraphrases 0.85 and above).
MIN_COVERAGE = 0.34  # a sentence must share at least a third of the question's weight…
MIN_SIMILARITY = 0.75  # …and not be unrelated to it as a whole
STRONG_SIMILARITY = 0.86  # with nothing lexical to go on (all words foreign to the corpus), this alone
MAX_STATEMENTS = 6
MAX_FACT_SENTENCES = 3

MESSAGES = {
    "en": {
        "said": "{speaker} is quoted saying:",
        "who": "{speaker} said it:",
        "who_many": "These speakers said it:",
        "unknown_names": "The articles do not mention {names}, so they cannot answer this.",
        "not_quoted": "The articles mention {person} but do not quote {person} on this.",
        "no_such_speaker": "The articles do not quote anyone called {person}.",
        "off_topic": "{speaker} is quoted in the articles, but not about {topic}.",
        "not_found": "The articles do not contain an answer to this question.",
        "who_unknown": "The articles do not say who said that.",
        "ambiguous": "Who do you mean? Please name the person.",
        "empty": "The index is empty: run `warta ingest` first.",
        "no_more": "That is all {speaker} says in the articles: every statement has been shown already.",
        "no_more_fact": "The articles hold nothing more on this than what was already shown.",
    },
    "id": {
        "said": "Pernyataan {speaker}:",
        "who": "Yang mengatakannya adalah {speaker}:",
        "who_many": "Yang mengatakannya:",
        "unknown_names": "Artikel-artikel ini tidak menyebut {names}, jadi pertanyaan ini tidak dapat dijawab.",
        "not_quoted": "Artikel-artikel ini menyebut {person}, tetapi tidak memuat pernyataannya tentang hal ini.",
        "no_such_speaker": "Artikel-artikel ini tidak memuat pernyataan dari {person}.",
        "off_topic": "{speaker} dikutip dalam artikel, tetapi tidak tentang {topic}.",
        "not_found": "Jawaban atas pertanyaan ini tidak ditemukan dalam artikel-artikel.",
        "who_unknown": "Artikel-artikel ini tidak menyebut siapa yang mengatakannya.",
        "ambiguous": "Siapa yang Anda maksud? Sebutkan namanya.",
        "empty": "Indeks masih kosong: jalankan `warta ingest` terlebih dahulu.",
        "no_more": "Hanya itu pernyataan {speaker} dalam artikel-artikel ini: semuanya sudah ditampilkan.",
        "no_more_fact": "Artikel-artikel ini tidak memuat hal lain tentang ini selain yang sudah ditampilkan.",
    },
}

_DATE_HINT = re.compile(
    r"\b(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:19|20)\d\d|januari|februari|maret|april|mei|juni|juli|agustus|september|"
    r"oktober|november|desember|january|february|march|may|june|july|august|october|december|senin|selasa|"
    r"rabu|kamis|jumat|sabtu|minggu|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"kemarin|pekan lalu|bulan lalu|tahun lalu|yesterday|last (?:week|month|year))\b",
    re.I,
)
_NUMBER_HINT = re.compile(
    r"\d|\b(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|puluh|ratus|ribu|juta|"
    r"miliar|triliun|sepertiga|setengah|separuh|seperempat|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"hundred|thousand|million|billion|third|half)\b",
    re.I,
)


@dataclass
class Candidate:
    record: ChunkRecord
    start: int
    end: int
    similarity: float
    coverage: float
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.record.slice(self.start, self.end)


def answer_extractively(question: str, searcher: Searcher, *, k: int = 5, shown: Shown = ()) -> Answer:
    """``shown``: (doc_id, start, end) of passages the user has already been given in this conversation
    ("What else did he say?"); they are not given again, the next ones are."""
    parsed = parse_question(question)
    corpus = searcher.corpus
    out = Answer(question=question, answer="", refused=True)
    msg = MESSAGES[parsed.lang]
    if not corpus.records:
        out.answer = msg["empty"]
        return out
    shown = _Shown(shown)
    if parsed.kind == "what_said":
        return _what_said(parsed, searcher, corpus, k, out, shown)
    if parsed.kind == "who_said":
        return _who_said(parsed, searcher, corpus, k, out, shown)
    return _fact(parsed, searcher, corpus, k, out, shown)


Shown = Iterable[tuple[str, int, int]]


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


def _question_words(text: str, lang: str = "id", english_archive: bool = False) -> list[tuple[str, set[str]]]:
    """Each content word of the question with the index terms that stand for it: its stem and, in an
    English question, the stems of the ways Indonesian may spell it ("inflation": "inflasi")."""
    groups = []
    seen: set[str] = set()
    for raw in words(text):
        word = fold(raw)
        if word in STOPWORDS or word in seen or len(word) < 2:
            continue
        seen.add(word)
        groups.append((word, _spellings(raw, lang, english_archive)))
    return groups


def _spellings(raw: str, lang: str, english_archive: bool = False) -> set[str]:
    """The index terms that stand for the word ``raw``. In an English question over an Indonesian
    archive an English word that is no Indonesian word (a lower-case dictionary word, "second", or an
    exonym, "China") stands only for its Indonesian spellings: an Indonesian article that holds the
    English form does so by chance (a name, an English quote), while the articles that answer say it
    in Indonesian. Names ("Xi", though the dictionary has "xi"), numbers, words of both languages,
    and any word when the archive holds English articles (``english_archive``) stand for themselves."""
    word = fold(raw)
    if lang != "en":
        return {stem(word)}
    alternatives = {stem(form) for form in indonesian_spellings(word)}
    english = word in word_list("english_exonyms") or (raw[:1].islower() and common_word(word, "en"))
    if english_archive or not english or common_word(word, "id"):
        alternatives.add(stem(word))
    return alternatives


def _supported(coverage: float, similarity: float, scorer: "_Scorer") -> bool:
    if not scorer.total:
        return similarity >= STRONG_SIMILARITY
    return coverage >= MIN_COVERAGE and similarity >= MIN_SIMILARITY


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
        for word, alternatives in _question_words(text, lang, english_archive):
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
                layers.append((_article_terms(corpus, record.doc_id), ARTICLE_CONTEXT))
        got = 0.0
        for alternatives, weight in self.groups:
            got += weight * max((factor for present, factor in layers if alternatives & present), default=0.0)
        return got / self.total


ENGLISH_ARCHIVE = 0.1  # share of English chunks from which English words in a question count as themselves
CHUNK_CONTEXT = 0.6
ARTICLE_CONTEXT = 0.3  # never enough alone (below MIN_COVERAGE), only as support


@lru_cache(maxsize=8192)
def _text_terms(text: str) -> frozenset[str]:
    return frozenset(terms(text, keep_stopwords=True))


@lru_cache(maxsize=4096)
def _chunk_terms(record: ChunkRecord) -> frozenset[str]:
    return frozenset(terms(record.text, keep_stopwords=True))


def _article_terms(corpus: Corpus, doc_id: str) -> frozenset[str]:
    cache = corpus.__dict__.setdefault("_article_terms", {})
    if doc_id not in cache:
        found: set[str] = set()
        for record in corpus.records_of(doc_id):
            found |= _chunk_terms(record) | set(terms(record.title, keep_stopwords=True))
        cache[doc_id] = frozenset(found)
    return cache[doc_id]


def _document_frequencies(corpus: Corpus):
    """term -> chunks whose title and text hold it (stopwords kept): persisted by ingest, read on demand."""
    return corpus.document_frequencies


def _similarities(searcher: Searcher, vector: np.ndarray, spans: list[tuple[ChunkRecord, int, int]]) -> list[float]:
    from index.ingest import sentence_id

    ids = [sentence_id(r.doc_id, s, e) for r, s, e in spans]
    vectors = searcher.store.sentence_vectors(list(dict.fromkeys(ids)))
    return [float(vectors[i] @ vector) if i in vectors else 0.0 for i in ids]


SENTENCE_DEPTH = 10
LEXICAL_DEPTH = 3


def _nearest_sentences(searcher: Searcher, corpus: Corpus, vector, n: int) -> list[tuple[ChunkRecord, int, int]]:
    out = []
    for sentence_id, _ in searcher.store.search_sentences(vector, n):
        doc_id, _, span = sentence_id.rpartition("@")
        start, end = (int(x) for x in span.split("-"))
        record = next((r for r in corpus.records_of(doc_id) if r.start <= start and end <= r.end), None)
        if record is not None:
            out.append((record, start, end))
    return out


def _unknown_names(corpus: Corpus, text: str, *, whole_question: bool = False, lang: str | None = None) -> list[str]:
    """The names in ``text`` (``retrieval.question.name_runs``) that no article mentions.

    A name is mentioned when any of its words is: news gives a full name once and then the surname
    ("Gerhard Schröder", then "Schröder"), or a first name alone ("Febri"); in an English question
    also as Indonesian spells it ("Moscow" as "Moskow"). A hyphenated word is known when each part
    is ("Russia-China" with "Rusia" and "China" in the corpus). With
    ``whole_question`` a sentence's first word alone is never a name (see ``name_runs``)."""
    missing = []
    lang = lang or detect_language(text)
    for run in name_runs(text, lang, whole_question=whole_question):
        # An initialism ("PT", "RI") is no one's name: it vouches for no run ("PT Zelda Indonesia").
        vouching = [word for word in run if len(word) > 1 and not word.isupper()] or run
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
    return bool(({word} | _spellings(word, lang)) & corpus.vocabulary)


def _citations(items: list[tuple[ChunkRecord, int, int]]) -> list[Citation]:
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


def _retrieved(hits: list[Hit]) -> list[Retrieved]:
    return [Retrieved(h.record.doc_id, h.record.chunk_id, round(h.score, 6)) for h in hits]


def _refuse(out: Answer, text: str, hits: list[Hit] | None = None) -> Answer:
    out.answer = text
    out.refused = True
    out.citations = []
    out.retrieved = _retrieved(hits or [])
    return out


def _clip(record: ChunkRecord, start: int, end: int) -> tuple[int, int]:
    return max(start, record.start), min(end, record.end)


# ------------------------------------------------------------------ what did X say


def _what_said(q: Question, searcher: Searcher, corpus: Corpus, k: int, out: Answer, shown: _Shown) -> Answer:
    msg = MESSAGES[q.lang]
    person = q.person or ""
    if q.person_is_pronoun:
        return _refuse(out, msg["ambiguous"])
    speakers: list[str] = []
    for mention in person_mentions(person, q.lang):  # as asked, then without titles and employers
        speakers = corpus.speakers_matching(mention)  # nicknames the archive declares included
        if speakers:
            break
    named = [s for s in speakers if corpus.statement_count([s], named_only=True)]
    if not named:
        mentioned = not _unknown_names(corpus, person, lang=q.lang) and bool(proper_names(person) or person)
        in_text = mentioned and corpus.mentions(fold(person.split()[-1]))
        key = "not_quoted" if in_text else "no_such_speaker"
        return _refuse(out, msg[key].format(person=person))

    # Read only what is used: the first MAX_STATEMENTS without a topic, at most a pool with one.
    many = bool(q.topic) and corpus.statement_count(named) > STATEMENT_POOL
    limit = None if q.topic else MAX_STATEMENTS + len(shown)
    statements = [] if many else corpus.statements(named, limit=limit)
    vector = searcher.embedder.embed_query(q.topic or q.text)
    hits = searcher.search(q.topic or person, k, speakers=named, vector=vector)
    if q.topic:
        if many:
            statements = _statement_pool(searcher, corpus, q.topic, vector, speakers=named)
        on_topic = _on_topic(q, searcher, corpus, statements, vector)
        statements = _unshown(on_topic, shown)
        if not statements:
            key = "no_more" if on_topic else "off_topic"
            return _refuse(out, msg[key].format(speaker=" / ".join(named), topic=q.topic), hits)
    statements = _distinct(_unshown(statements, shown), lambda item: item[0].slice(item[1].start, item[1].end))
    statements = statements[:MAX_STATEMENTS]
    if not statements:
        return _refuse(out, msg["no_more"].format(speaker=" / ".join(named)), hits)
    statements.sort(key=lambda item: (item[0].doc_id, item[1].start))

    items = [(r, *_clip(r, quote.start, quote.end)) for r, quote in statements]
    out.citations = _citations(items)
    speaker_label = " / ".join(dict.fromkeys(quote.speaker for _, quote in statements))
    lines = [msg["said"].format(speaker=speaker_label)]
    lines += [f"- {c.quote} [{c.n}]" for c in out.citations]
    out.answer = "\n".join(lines)
    out.refused = False
    out.retrieved = _retrieved(hits)
    return out


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
    hits = searcher.search(text, STATEMENT_POOL, speakers=speakers, vector=vector, depth=STATEMENT_POOL)
    return corpus.statements(speakers, named_only=named_only, chunk_ids=[h.record.chunk_id for h in hits])


def _on_topic(q: Question, searcher, corpus, statements, vector) -> list[tuple[ChunkRecord, QuoteRef]]:
    """The statements that are about the asked topic, best first.

    The topic's words often sit in the sentences around a quote ("At the summit in X, … said"), so
    coverage counts the statement's context too, at a discount.
    """
    scorer = _Scorer(corpus, q.topic or "", q.lang)
    spans = [(r, *_clip(r, quote.start, quote.end)) for r, quote in statements]
    sims = _statement_similarities(searcher, vector, spans)
    scored = []
    for (record, quote), span, sim in zip(statements, spans, sims):
        coverage = scorer.coverage(record.slice(span[1], span[2]), record, corpus)
        scored.append((coverage + 2 * sim, coverage, sim, record, quote))
    scored.sort(key=lambda item: -item[0])
    if not scored or not _supported(scored[0][1], scored[0][2], scorer):
        return []
    best = scored[0][0]
    # Keep what is close to the best: the same topic often spans a quote and its continuation.
    return [(r, quote) for total, cov, sim, r, quote in scored if total >= best - 0.2 and _supported(cov, sim, scorer)]


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


def _who_said(q: Question, searcher: Searcher, corpus: Corpus, k: int, out: Answer, shown: _Shown) -> Answer:
    msg = MESSAGES[q.lang]
    focus = q.focus
    unknown = _unknown_names(corpus, focus, lang=q.lang)
    vector = searcher.embedder.embed_query(focus)
    hits = searcher.search(focus, k, vector=vector)
    if unknown:
        return _refuse(out, msg["unknown_names"].format(names=", ".join(unknown)), hits)
    statements = _unshown(_statement_pool(searcher, corpus, focus, vector, named_only=True), shown)
    if not statements:
        return _refuse(out, msg["who_unknown"], hits)
    scorer = _Scorer(corpus, focus, q.lang)
    spans = [(r, *_clip(r, quote.words_start, quote.words_end)) for r, quote in statements]
    sims = _statement_similarities(searcher, vector, spans)
    scored = sorted(
        ((scorer.coverage(r.slice(s, e), r, corpus) + 2 * sim, scorer.coverage(r.slice(s, e), r, corpus), sim, i)
         for i, ((r, s, e), sim) in enumerate(zip(spans, sims))),
        reverse=True,
    )
    total, coverage, sim, index = scored[0]
    if not _supported(coverage, sim, scorer):
        return _refuse(out, msg["who_unknown"], hits)
    chosen = [statements[index]]
    for other_total, other_cov, other_sim, other in scored[1:3]:
        if other_total >= total - 0.05 and statements[other][1].speaker != statements[index][1].speaker:
            chosen.append(statements[other])
    items = [(r, *_clip(r, quote.start, quote.end)) for r, quote in chosen]
    out.citations = _citations(items)
    names = list(dict.fromkeys(quote.speaker for _, quote in chosen))
    if len(names) == 1:
        lines = [msg["who"].format(speaker=names[0])]
        lines += [f"{c.quote} [{c.n}]" for c in out.citations]
    else:
        lines = [msg["who_many"]]
        lines += [f"- {quote.speaker}: {c.quote} [{c.n}]" for (_, quote), c in zip(chosen, out.citations)]
    out.answer = "\n".join(lines)
    out.refused = False
    out.retrieved = _retrieved(hits)
    return out


# ------------------------------------------------------------------ facts

_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][\w'’-]+)+")


def _names_someone(text: str, question: str) -> bool:
    """Whether ``text`` holds a multi-word capitalised name ("Andrei Belousov") the question does not."""
    asked = {fold(w) for w in proper_names(question)}
    for match in _NAME_RUN.finditer(text):
        parts = [fold(w) for w in match.group().split() if not w.endswith(".")]
        if not set(parts) <= asked and not set(parts) <= STOPWORDS:
            return True
    return False


def _next_sentence(candidate: Candidate, corpus: Corpus) -> Candidate | None:
    """The sentence right after ``candidate`` in its article, from whichever chunk holds it."""
    for record in corpus.records_of(candidate.record.doc_id):
        for s, e in record.sentences:
            if s >= candidate.end:
                return Candidate(record, s, e, candidate.similarity, candidate.coverage)
    return None



def _fact(q: Question, searcher: Searcher, corpus: Corpus, k: int, out: Answer, shown: _Shown) -> Answer:
    msg = MESSAGES[q.lang]
    vector = searcher.embedder.embed_query(q.text)
    hits = searcher.search(q.text, k, vector=vector)
    unknown = _unknown_names(corpus, q.text, whole_question=True, lang=q.lang)
    if unknown:
        return _refuse(out, msg["unknown_names"].format(names=", ".join(unknown)), hits)
    spans = []
    seen = set()
    # Fused ranking can bury a chunk that only one retriever finds; the lexical leaders join as
    # candidates so a sentence stating the exact words asked about is always weighed.
    # (A single-retriever searcher, as in the evaluation's baselines, keeps to its one retriever.)
    lexical = searcher.search(q.text, LEXICAL_DEPTH, mode="bm25") if searcher.mode != "dense" else []
    for hit in hits + lexical:
        for s, e in hit.record.sentences:
            if (hit.record.doc_id, s) not in seen:
                seen.add((hit.record.doc_id, s))
                spans.append((hit.record, s, e))
    # The closest sentences anywhere, too: a one-sentence answer can sit in a chunk ranked low.
    nearest = _nearest_sentences(searcher, corpus, vector, SENTENCE_DEPTH) if searcher.mode != "bm25" else []
    for record, s, e in nearest:
        if (record.doc_id, s) not in seen:
            seen.add((record.doc_id, s))
            spans.append((record, s, e))
    if not spans:
        return _refuse(out, msg["not_found"], hits)
    sims = _similarities(searcher, vector, spans)
    scorer = _Scorer(corpus, q.text, q.lang)
    candidates = []
    for (record, s, e), sim in zip(spans, sims):
        text = record.slice(s, e)
        # "When …?" needs a sentence stating a time, "How many …?" one stating a number.
        if q.expects == "date" and not _DATE_HINT.search(text):
            continue
        if q.expects == "number" and not _NUMBER_HINT.search(text):
            continue
        candidate = Candidate(record, s, e, sim, scorer.coverage(text, record, corpus))
        candidate.score = candidate.coverage + 2 * candidate.similarity
        candidates.append(candidate)
    candidates.sort(key=lambda c: -c.score)
    if shown:
        fresh = [c for c in candidates if not shown.covers(c.record.doc_id, c.start, c.end)]
        if len(fresh) < len(candidates) and not (fresh and _supported(fresh[0].coverage, fresh[0].similarity, scorer)):
            return _refuse(out, msg["no_more_fact"], hits)
        candidates = fresh
    if not candidates or not _supported(candidates[0].coverage, candidates[0].similarity, scorer):
        return _refuse(out, msg["not_found"], hits)
    best = candidates[0]
    chosen = [best]
    for other in candidates[1:]:
        if len(chosen) >= MAX_FACT_SENTENCES:
            break
        # Another sentence joins when it is nearly as good: a second article confirming or completing it
        # (not the same words again, as a duplicated article holds them).
        if (other.score >= best.score - 0.08 and _supported(other.coverage, other.similarity, scorer)
                and _same_words(other.text) not in {_same_words(c.text) for c in chosen}):
            chosen.append(other)
    if q.expects == "person" and not _names_someone(best.text, q.text):
        # "Which officials came along?": news often says "… with senior officials." and names them in
        # the next sentence; that sentence completes the answer.
        following = _next_sentence(best, corpus)
        if (following is not None and _names_someone(following.text, q.text)
                and not shown.covers(following.record.doc_id, following.start, following.end)):
            chosen.append(following)
    chosen.sort(key=lambda c: (c.record.doc_id, c.start))
    out.citations = _citations([(c.record, c.start, c.end) for c in chosen])
    out.answer = " ".join(f"{c.quote} [{c.n}]" for c in out.citations)
    out.refused = False
    out.retrieved = _retrieved(hits)
    return out
