"""Who said …?: the statement that best matches, and its speaker."""

from __future__ import annotations

from retrieval.answer import Answer
from retrieval.extractive._common import (
    MAX_SPEAKERS,
    MESSAGES,
    Candidate,
    _clip,
    _decide,
    _refuse,
    _Scorer,
    _Shown,
    _statement_pool,
    _statement_similarities,
    _unknown_names,
    _unshown,
    citations,
    retrieved,
)
from retrieval.question import Question
from retrieval.search import Corpus, Searcher


def _who_said(q: Question, searcher: Searcher, corpus: Corpus, k: int, out: Answer, shown: _Shown) -> Answer | None:
    """The speaker and their statement, a refusal naming what the articles never mention, or None when
    no statement of the quote index answers (the words may stand in a sentence it does not attribute)."""
    msg = MESSAGES[q.lang]
    focus = q.focus
    unknown = _unknown_names(corpus, focus, lang=q.lang)
    vector = searcher.embedder.embed_query(focus)
    hits = searcher.search(focus, k, vector=vector, lang=q.lang, candidates=True)
    if unknown:
        return _refuse(out, msg["unknown_names"].format(names=", ".join(unknown)), hits)
    statements = _unshown(_statement_pool(searcher, corpus, focus, vector, named_only=True), shown)
    if not statements:
        return None
    scorer = _Scorer(corpus, focus, q.lang)
    spans = [(r, *_clip(r, quote.words_start, quote.words_end)) for r, quote in statements]
    sims = _statement_similarities(searcher, vector, spans)
    candidates = [Candidate(r, s, e, sim, scorer.coverage(r.slice(s, e), r, corpus), quote=quote)
                  for (r, s, e), (_, quote), sim in zip(spans, statements, sims)]
    # Another speaker joins when the model deems their statement an answer too (two people said it).
    best = _decide("who_said", q, searcher, corpus, hits, k, candidates, scorer,
                   join_key=lambda c: c.quote.speaker, limit=1 if q.one_speaker else MAX_SPEAKERS)
    if not best:
        return None
    chosen = [(c.record, c.quote) for c in best]
    items = [(r, *_clip(r, quote.start, quote.end)) for r, quote in chosen]
    out.citations = citations(items)
    names = list(dict.fromkeys(quote.speaker for _, quote in chosen))
    if len(names) == 1:
        lines = [msg["who"].format(speaker=names[0])]
        lines += [f"{c.quote} [{c.n}]" for c in out.citations]
    else:
        lines = [msg["who_many"]]
        lines += [f"- {quote.speaker}: {c.quote} [{c.n}]" for (_, quote), c in zip(chosen, out.citations)]
    out.answer = "\n".join(lines)
    out.refused = False
    out.retrieved = retrieved(hits)
    return out


# ------------------------------------------------------------------ facts
