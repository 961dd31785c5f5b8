"""What did X say?: X's own statements from the quote index, narrowed to a topic if one is asked."""

from __future__ import annotations

from retrieval.answer import Answer
from retrieval.extractive._common import (
    MAX_STATEMENTS,
    MESSAGES,
    STATEMENT_POOL,
    Candidate,
    _clip,
    _decide,
    _distinct,
    _refuse,
    _same_words,
    _Scorer,
    _Shown,
    _statement_pool,
    _statement_similarities,
    _unknown_names,
    _unshown,
    citations,
    retrieved,
    states_asked,
)
from retrieval.question import Question, person_mentions, proper_names
from retrieval.search import ChunkRecord, Corpus, QuoteRef, Searcher
from text.tokens import fold


def _quoted_speakers(q: Question, corpus: Corpus) -> list[str]:
    """The archive's named speakers the question's person is, most specific mention first."""
    speakers: list[str] = []
    mentions = person_mentions(q.person or "", q.lang)
    for mention in mentions:  # as asked, then without titles and employers
        speakers = corpus.speakers_matching(mention)  # nicknames the archive declares included
        if speakers:
            # The name without what the mention says before it, too: an article that writes the
            # employer before the name ("Monex Investindo Ariston Tjendra") keeps it in its speaker's
            # name, one that calls the person by name ("ujar Ariston") does not.
            tails = [m for m in mentions if len(m.split()) >= 2 and m != mention and mention.endswith(" " + m)]
            speakers = list(dict.fromkeys(speakers + [s for m in tails for s in corpus.speakers_matching(m)]))
            break
    return [s for s in speakers if corpus.statement_count([s], named_only=True)]


def _what_said(q: Question, searcher: Searcher, corpus: Corpus, k: int, out: Answer, shown: _Shown) -> Answer | None:
    """X's statements, a refusal saying X is not quoted (on the topic), or None when the question asks
    what X gave or offered ("What discount did Zorbex offer …") and the archive never quotes X: a fact
    it may state."""
    msg = MESSAGES[q.lang]
    person = q.person or ""
    if q.person_is_pronoun:
        return _refuse(out, msg["ambiguous"])
    named = _quoted_speakers(q, corpus)
    if not named and q.thing:
        return None
    if not named:
        mentioned = not _unknown_names(corpus, person, lang=q.lang) and bool(proper_names(person) or person)
        in_text = mentioned and corpus.mentions(fold(person.split()[-1]))
        key = "not_quoted" if in_text else "no_such_speaker"
        return _refuse(out, msg[key].format(person=person))

    # Read only what is used: the first MAX_STATEMENTS without a topic, at most a pool with one.
    many = bool(q.topic) and corpus.statement_count(named) > STATEMENT_POOL
    limit = None if q.topic else MAX_STATEMENTS + len(shown)
    statements = [] if many else corpus.statements(named, limit=limit)
    by_doc: dict[str, list] = {}  # each article's statements, read once (_next_statement)
    vector = searcher.embedder.embed_query(q.topic or q.text)
    hits = searcher.search(q.topic or person, k, speakers=named, vector=vector, lang=q.lang, candidates=True)
    if q.topic:
        if many:
            statements = _statement_pool(searcher, corpus, q.topic, vector, speakers=named)
        on_topic = _on_topic(q, searcher, corpus, statements, vector, hits, k, by_doc)
        statements = _unshown(on_topic, shown)
        if not statements:
            key = "no_more" if on_topic else "off_topic"
            return _refuse(out, msg[key].format(speaker=" / ".join(named), topic=q.topic), hits)
    statements = _distinct(_unshown(statements, shown), lambda item: item[0].slice(item[1].start, item[1].end))
    if q.topic:
        statements = _with_continuations(corpus, statements, shown, by_doc)
    statements = statements[:MAX_STATEMENTS]
    if not statements:
        return _refuse(out, msg["no_more"].format(speaker=" / ".join(named)), hits)
    statements.sort(key=lambda item: (item[0].doc_id, item[1].start))

    items = [(r, *_clip(r, quote.start, quote.end)) for r, quote in statements]
    out.citations = citations(items)
    speaker_label = " / ".join(dict.fromkeys(quote.speaker for _, quote in statements))
    lines = [msg["said"].format(speaker=speaker_label)]
    lines += [f"- {c.quote} [{c.n}]" for c in out.citations]
    out.answer = "\n".join(lines)
    out.refused = False
    out.retrieved = retrieved(hits)
    return out


def _on_topic(q: Question, searcher, corpus, statements, vector, hits, k, by_doc: dict
              ) -> list[tuple[ChunkRecord, QuoteRef]]:
    """The statements that are about the asked topic, best first (as _decide chooses them).

    The topic's words often sit in the sentences around a quote ("At the summit in X, … said"), so
    coverage counts the statement's context too, at a discount.
    """
    scorer = _Scorer(corpus, q.topic or "", q.lang)
    spans = [(r, *_clip(r, quote.start, quote.end)) for r, quote in statements]
    sims = _statement_similarities(searcher, vector, spans)
    candidates = [
        Candidate(record, s, e, sim, scorer.coverage(record.slice(s, e), record, corpus), quote=quote,
                  type_missing=q.expects is not None and not states_asked(q, record.slice(s, e)))
        for (record, quote), (_, s, e), sim in zip(statements, spans, sims)
    ]
    for candidate in candidates:  # what an answer citing it shows after it (_with_continuations)
        following = _next_statement(corpus, candidate.record, candidate.quote, by_doc)
        if following is not None:
            candidate.then = following[0].slice(*_clip(following[0], following[1].start, following[1].end))
    # The same topic often spans a quote and its continuation: every statement the model deems on topic stays.
    chosen = _decide("what_said_topic", q, searcher, corpus, hits, k, candidates, scorer,
                     join_key=lambda c: _same_words(c.shown), limit=None)
    return [(c.record, c.quote) for c in chosen]


CONTINUATION_GAP = 2  # sentences that may stand between a statement and its continuation


def _with_continuations(corpus: Corpus, chosen: list[tuple[ChunkRecord, QuoteRef]], shown: _Shown, by_doc: dict
                        ) -> list[tuple[ChunkRecord, QuoteRef]]:
    """Each chosen statement followed by the speaker's next one when it carries it on: news gives
    a statement's gist and then the words that bear it out ("X menilai …. "…," ujarnya."), so the
    next statement of the same speaker counts when no one else speaks between them and at most
    CONTINUATION_GAP sentences part them."""
    out: list[tuple[ChunkRecord, QuoteRef]] = []
    seen = {(r.doc_id, quote.start) for r, quote in chosen}
    for record, quote in chosen:
        out.append((record, quote))
        following = _next_statement(corpus, record, quote, by_doc)
        if following is None or (following[0].doc_id, following[1].start) in seen:
            continue
        if shown and shown.covers(following[0].doc_id, *_clip(following[0], following[1].start, following[1].end)):
            continue
        seen.add((following[0].doc_id, following[1].start))
        out.append(following)
    return out


def _next_statement(corpus: Corpus, record: ChunkRecord, quote: QuoteRef, by_doc: dict
                    ) -> tuple[ChunkRecord, QuoteRef] | None:
    """The statement after ``quote`` in its article when it continues it (see _with_continuations);
    ``by_doc`` keeps each article's statements for the next call."""
    if record.doc_id not in by_doc:
        chunks = [r.chunk_id for r in corpus.records_of(record.doc_id)]
        by_doc[record.doc_id] = sorted(corpus.statements(chunk_ids=chunks), key=lambda item: item[1].start)
    later = [item for item in by_doc[record.doc_id] if item[1].start >= quote.end]
    if not later or later[0][1].speaker != quote.speaker:
        return None
    following = later[0]
    between = {span for r in corpus.records_of(record.doc_id) for span in r.sentences
               if quote.end <= span[0] and span[1] <= following[1].start}
    return following if len(between) <= CONTINUATION_GAP else None
