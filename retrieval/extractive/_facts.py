"""Anything else: the best-supported sentences among the retrieved chunks."""

from __future__ import annotations

import re

from retrieval.answer import Answer
from retrieval.extractive._common import (
    LEXICAL_DEPTH,
    MAX_FACT_SENTENCES,
    MESSAGES,
    SENTENCE_DEPTH,
    Candidate,
    _decide,
    _nearest_sentences,
    _refuse,
    _refuse_with_nearest,
    _same_words,
    _Scorer,
    _Shown,
    _similarities,
    _unknown_names,
    citations,
    retrieved,
    states_asked,
)
from retrieval.question import Question, proper_names
from retrieval.search import Corpus, Searcher
from text.tokens import STOPWORDS, fold, words

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


def _completion(candidate: Candidate, corpus: Corpus, q: Question) -> Candidate | None:
    """The next sentence, when ``candidate`` lacks what the question asks for and it states it. Asked
    who: news says "… with senior officials." and names them in the sentence after it. Asked how
    much: it names what is measured, then gives the figure ("… melelang sukuk pada Selasa (6/3). Dari
    lelang tersebut, pemerintah berharap menghimpun dana sebesar Rp8 triliun.")."""
    if q.expects == "person":
        def states(text: str) -> bool:
            return _names_someone(text, q.text)
    elif q.expects == "number":
        def states(text: str) -> bool:
            return states_asked(q, text)
    else:
        return None
    if states(candidate.text):
        return None
    following = _next_sentence(candidate, corpus)
    return following if following is not None and states(following.text) else None


def _fact(q: Question, searcher: Searcher, corpus: Corpus, k: int, out: Answer, shown: _Shown) -> Answer:
    msg = MESSAGES[q.lang]
    vector = searcher.embedder.embed_query(q.text)
    hits = searcher.search(q.text, k, vector=vector, lang=q.lang, candidates=True)
    # A name no article mentions is a refusal: weighing it instead answered more FacQA questions whose
    # writer named what the passage leaves out, and as many off-corpus questions wrongly (notes/issue11.md).
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
    near = {(r.doc_id, s) for r, s, _ in nearest}
    candidates = []
    completions: dict[tuple[str, int], Candidate] = {}  # an answer citing a candidate shows its completion too
    for (record, s, e), sim in zip(spans, sims):
        text = record.slice(s, e)
        candidate = Candidate(record, s, e, sim, scorer.coverage(text, record, corpus),
                              nearest=(record.doc_id, s) in near, type_missing=not states_asked(q, text))
        completion = _completion(candidate, corpus, q)
        if completion is not None:
            completions[(record.doc_id, s)] = completion
            candidate.then = completion.text
            candidate.type_missing = not states_asked(q, candidate.shown)  # what the answer shows states it
        candidates.append(candidate)
    # Another sentence joins when the model deems it an answer too: a second article confirming or
    # completing it (not the same words again, as a duplicated article holds them).
    chosen = _decide("fact", q, searcher, corpus, hits, k, candidates, scorer, join_key=lambda c: _same_words(c.text),
                     limit=MAX_FACT_SENTENCES, shown=shown, lexical=lexical)
    if not chosen:
        was_shown = shown and any(shown.covers(c.record.doc_id, c.start, c.end) for c in candidates)
        if was_shown:
            return _refuse(out, msg["no_more_fact"], hits)
        return _refuse_with_nearest(out, msg, searcher, candidates, shown, hits, q.text)
    # Each chosen sentence shows its completion, as the calibration's labels assumed ("shown").
    cited = {(c.record.doc_id, c.start) for c in chosen}
    for completion in [completions.get((c.record.doc_id, c.start)) for c in chosen]:
        if completion is not None and (completion.record.doc_id, completion.start) not in cited and not shown.covers(
                completion.record.doc_id, completion.start, completion.end):
            cited.add((completion.record.doc_id, completion.start))
            chosen.append(completion)
    chosen.sort(key=lambda c: (c.record.doc_id, c.start))
    out.citations = citations([(c.record, c.start, c.end) for c in chosen])
    out.answer = " ".join(f"{c.quote} [{c.n}]" for c in out.citations)
    out.refused = False
    out.retrieved = retrieved(hits)
    return out
