"""The generative answerer: an LCEL chain over any LangChain chat model, checked by the guard.

    retrieve -> fit sources into the token budget, numbered [1]..[n] -> prompt -> model -> guard -> Answer

* The extractive answerer runs first and decides whether the corpus holds an answer at all: when it
  refuses (a name the articles never mention, a speaker they never quote, nothing close enough), that
  refusal is the answer and the model is not asked, so a fluent model cannot talk its way past the gate.
  The passages it picked lead the sources (most relevant first), then the retrieved chunks.
* Model output goes through ``retrieval.guard``; the citations of the final answer are the exact
  source passages (offsets into the article) behind each surviving [n], renumbered in order of use.
* A model error, a timeout, or nothing left after the guard gives the extractive answer with
  ``fallback_reason`` set.

This module never reads the environment: the model and limits come in as arguments.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from retrieval.answer import Answer
from retrieval.extractive import answer_extractively, states_asked
from retrieval.extractive import citations as cite_spans
from retrieval.extractive import retrieved as retrieved_of
from retrieval.guard import MARKER, GuardSource, claim_terms, guard, quote_spans, says_not_found, split_sentences, verbatim_in
from retrieval.question import parse_question
from retrieval.search import ChunkRecord, Searcher
from text.tokens import detect_language

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "id": "Indonesian (Bahasa Indonesia)"}
DEFAULT_TIMEOUT = 60.0


class NoCheckedAnswer(Exception):
    """The model's draft left nothing the guard could pass."""

    def __init__(self, reason: str, counters: dict | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.counters = counters or {}


@dataclass(frozen=True)
class Source:
    """A numbered passage shown to the model: an exact span of an article."""

    n: int
    record: ChunkRecord
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.record.slice(self.start, self.end)

    def sentences(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.record.sentences if s >= self.start and e <= self.end]

    def header(self) -> str:
        when = f" ({self.record.date})" if self.record.date else ""
        return f"[{self.n}] {self.record.title}{when}"


# ------------------------------------------------------------------ chain steps


def _retrieve(inputs: dict) -> dict:
    """Candidate passages, most relevant first: the chunks holding what the extractive answerer
    picked, then the chunks it retrieved, in rank order (searched again only when it retrieved none)."""
    searcher: Searcher = inputs["searcher"]
    extractive: Answer | None = inputs.get("extractive")
    corpus = searcher.corpus
    chunk_ids = [c.chunk_id for c in extractive.citations] if extractive else []
    hits = []
    if extractive is not None and extractive.retrieved:
        chunk_ids += [r.chunk_id for r in extractive.retrieved[: inputs.get("k", 5)]]
    else:
        hits = searcher.search(inputs["question"], inputs.get("k", 5))
        chunk_ids += [hit.record.chunk_id for hit in hits]
    records = corpus.get_many(chunk_ids)
    unique = [records[c] for c in dict.fromkeys(chunk_ids) if c in records]  # first occurrence wins
    return {**inputs, "records": unique, "hits": hits}


def fit_sources(records: Sequence[ChunkRecord], max_tokens: int, count: Callable[[str], int] | None = None) -> list[Source]:
    """Number the passages [1]..[n] in order while their blocks (header and text) fit ``max_tokens``;
    a passage that does not fit is skipped (a later, shorter one may); the first is cut at a sentence
    boundary rather than left out (to its first sentence at least, even over the budget)."""
    if count is None:
        from text.tokens import count_tokens as count
    sources: list[Source] = []
    used = 0
    for record in records:
        n = len(sources) + 1
        source = Source(n, record, record.start, record.end)
        cost = count(_block(source)) + 2
        if cost > max_tokens and not sources:
            # The most relevant passage is never left out: cut after the last sentence that fits
            # (its first sentence at least).
            ends = [e for _, e in source.sentences()] or [record.end]
            for end in reversed(ends):
                source = Source(n, record, record.start, end)
                cost = count(_block(source)) + 2
                if cost <= max_tokens:
                    break
            sources.append(source)
            used += cost
            continue
        if used + cost <= max_tokens and source.text.strip():
            sources.append(source)
            used += cost
    return sources


def _block(source: Source) -> str:
    text = re.sub(r"</?\s*sources\s*>", " ", source.text, flags=re.I)  # a source cannot close the data block
    return f"{source.header()}\n{text}"


def _fit(max_tokens: int) -> Callable[[dict], dict]:
    def step(inputs: dict) -> dict:
        sources = fit_sources(inputs["records"], max_tokens)
        lang = detect_language(inputs["question"])
        return {
            **inputs,
            "passages": sources,  # the numbered Source objects
            "sources": "\n\n".join(_block(s) for s in sources),  # what the prompt shows
            "lang": lang,
            "language": LANGUAGES[lang],
        }

    return step


def _guard_step(chunks: Iterator[dict]) -> Iterator[str | Answer]:
    """Stream only what has passed the guard, then yield the checked Answer.

    A front-end shows streamed text while the model is still writing, so it must never see words the
    guard would stop: each sentence of the draft is checked as soon as it is complete, and only a
    sentence that comes out cited (quotes verbatim, markers valid) is passed on, renumbered in order
    of first use as the final answer numbers them. The final Answer replaces the streamed text (the
    whole-draft checks, the narrowed citations, or the extractive fallback may differ from it)."""
    context: dict = {}
    draft: list[str] = []
    done = 0  # complete sentences of the draft checked so far
    numbers: dict[int, int] = {}
    for chunk in chunks:
        if "draft" not in chunk:
            context.update(chunk)
            continue
        piece = chunk["draft"]
        if not piece:
            continue
        draft.append(piece)
        if "passages" not in context:
            continue
        sentences = split_sentences("".join(draft))
        # The last sentence may still be growing; while it is only the start of a marker ("[", "[1"),
        # the one before it may still receive that marker.
        hold = 1 if sentences and re.search(r"[^\W\d_]", re.sub(r"\[[^\]]*\]?", "", sentences[-1].text)) else 2
        complete = sentences[:-hold]
        for sentence in complete[done:]:
            checked = check_sentence(context, sentence.text)
            if checked:
                yield _renumber(checked, numbers) + " "
        done = max(done, len(complete))
    yield build_answer(context, "".join(draft))


def _guard_sources(context: dict) -> list[GuardSource]:
    """The numbered passages as the guard reads them; built once per answer (each streamed sentence is
    checked against them)."""
    if "guard_sources" not in context:
        context["guard_sources"] = [
            GuardSource(s.n, s.text, tuple(s.record.slice(a, b) for a, b in s.sentences()), s.header().split(" ", 1)[1])
            for s in context["passages"]
        ]
    return context["guard_sources"]


def _known(context: dict):
    vocabulary = context["searcher"].corpus.vocabulary
    return lambda term: term in vocabulary


def check_sentence(context: dict, text: str) -> str | None:
    """One sentence of a draft as the guard passes it, or None unless it comes out citing a source."""
    checked = guard(text, _guard_sources(context), context["question"], lang=context["lang"], known=_known(context))
    if checked.rejected or not checked.markers:
        return None
    return checked.text


def _renumber(text: str, numbers: dict[int, int]) -> str:
    def sub(m: re.Match) -> str:
        return f"[{numbers.setdefault(int(m.group(1)), len(numbers) + 1)}]"

    return MARKER.sub(sub, text)


def build_answer(context: dict, draft: str) -> Answer:
    """Guard ``draft`` against the context's sources and turn what survives into an Answer."""
    sources: list[Source] = context["passages"]
    question = context["question"]
    checked = guard(draft, _guard_sources(context), question, lang=context["lang"], known=_known(context))
    counters = checked.counters()
    log.debug("model draft: %r", draft)
    if checked.rejected:
        raise NoCheckedAnswer(f"guard rejected the draft: {checked.rejected}", counters)
    used = checked.markers
    if not used:
        if says_not_found(checked.text):
            why = "the model found no answer in the sources"
        else:
            why = "the draft cites no source" if checked.text else "nothing passed the guard"
        raise NoCheckedAnswer(why, counters)
    # "When …?" needs a time in the answer, "How many …?" an amount: the extractive answerer's own
    # test (``states_asked``), so a fluent answer about something else does not replace one that states it.
    asked = parse_question(question)
    if asked.expects == "date" and not states_asked(asked, MARKER.sub(" ", checked.text)):
        raise NoCheckedAnswer("the draft states no date for a 'when' question", counters)
    if asked.expects == "number" and not states_asked(asked, MARKER.sub(" ", checked.text)):
        raise NoCheckedAnswer("the draft states no number for a 'how many' question", counters)
    by_n = {s.n: s for s in sources}
    # Each surviving [n] becomes the exact passage it rests on; two markers resting on the same
    # passage (overlapping chunks) share one number. Numbers follow the order of first use.
    spans: list[tuple[ChunkRecord, int, int]] = []
    renumber: dict[int, int] = {}
    for old in used:
        span = _narrow(by_n[old], old, checked.text)
        key = [(r.doc_id, a, b) for r, a, b in spans]
        here = (span[0].doc_id, span[1], span[2])
        if here in key:
            renumber[old] = key.index(here) + 1
        else:
            spans.append(span)
            renumber[old] = len(spans)
    text = MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]", checked.text)
    text = re.sub(r"(\[\d+\])(?:\s*\1)+", r"\1", text)
    citations = cite_spans(spans)
    extractive: Answer | None = context.get("extractive")
    retrieved = retrieved_of(context.get("hits") or []) or (extractive.retrieved if extractive else [])
    return Answer(question=question, answer=text, refused=False, citations=citations, retrieved=retrieved,
                  mode="generative", guard=counters)


def _narrow(source: Source, n: int, text: str) -> tuple[ChunkRecord, int, int]:
    """The part of ``source`` that the sentences citing [n] rest on: the source sentences holding
    their quotes and those sharing the most words with them; the whole passage when unsure."""
    record = source.record
    sentences = source.sentences()
    chosen: set[tuple[int, int]] = set()
    for sentence in split_sentences(text):
        if n not in sentence.markers:
            continue
        for s, e in quote_spans(sentence.text):
            holding = [(a, b) for a, b in sentences if verbatim_in(sentence.text[s:e], record.slice(a, b))]
            if not holding:
                return record, source.start, source.end
            chosen.add(holding[0])
        claim = claim_terms(MARKER.sub(" ", sentence.text))
        overlaps = [(len(claim & claim_terms(record.slice(a, b))), (a, b)) for a, b in sentences]
        best = max(overlaps, key=lambda item: item[0], default=(0, None))
        if best[0] > 0:
            chosen.add(best[1])
    if not chosen:
        return record, source.start, source.end
    return record, min(a for a, _ in chosen), max(b for _, b in chosen)


# ------------------------------------------------------------------ chain and answerer


def build_chain(model, *, max_context_tokens: int = 1500):
    """The LCEL chain. Input: {question, searcher, k, extractive}. ``.stream()`` yields the draft's
    sentences that passed the guard, then the checked Answer (or raises NoCheckedAnswer)."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnableGenerator, RunnableLambda, RunnablePassthrough

    import prompts

    prompt = ChatPromptTemplate.from_messages([("system", prompts.load("system")), ("human", prompts.load("answer"))])
    draft = prompt | model | StrOutputParser()
    return (
        RunnableLambda(_retrieve, name="retrieve")
        | RunnableLambda(_fit(max_context_tokens), name="fit_sources")
        | RunnablePassthrough.assign(draft=draft)
        | RunnableGenerator(_guard_step, name="guard")
    )


class Deadline:
    """The time a chat turn leaves for its model calls: the question rewrite and the answer draw on one
    clock, so what the rewrite used is gone from the answer's share and a hung model costs the turn one
    timeout, not one per call."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(self.at - time.monotonic(), 0.0)

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0


def with_deadline(make_iterator: Callable[[], Iterator], timeout: float | Deadline) -> Iterator:
    """Items of ``make_iterator()`` produced in a worker thread; TimeoutError once ``timeout`` seconds
    have passed in all, or the ``Deadline`` is reached (a hung server or a model that never stops cannot
    hold the answer). A deadline already reached raises before ``make_iterator`` is called."""
    deadline = timeout if isinstance(timeout, Deadline) else Deadline(timeout)
    if deadline.expired:
        raise TimeoutError(f"the turn's {deadline.seconds:g} s for the model were spent before this call")
    items: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        iterator = None
        try:
            iterator = make_iterator()
            for item in iterator:
                if stop.is_set():
                    break
                items.put(("item", item))
            items.put(("done", None))
        except BaseException as exc:  # noqa: BLE001  (handed to the caller)
            items.put(("error", exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # noqa: BLE001
                    pass

    threading.Thread(target=work, name="warta-llm", daemon=True).start()
    try:
        while True:
            try:
                kind, value = items.get(timeout=deadline.remaining())
            except queue.Empty:
                raise TimeoutError(f"no complete answer from the model within {deadline.seconds:g} s") from None
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()


class GenerativeAnswerer:
    """An ``Answerer`` (see retrieval.answer) backed by a chat model; ``stream()`` for front-ends."""

    def __init__(self, model, *, max_context_tokens: int = 1500, timeout: float = DEFAULT_TIMEOUT,
                 fallback: Callable[..., Answer] = answer_extractively) -> None:
        self.model = model
        self.timeout = timeout
        self.fallback = fallback
        self.chain = build_chain(model, max_context_tokens=max_context_tokens)

    def __call__(self, question: str, searcher: Searcher, *, k: int = 5, shown=()) -> Answer:
        final = None
        for item in self.stream(question, searcher, k=k, shown=shown):
            final = item
        assert isinstance(final, Answer)
        return final

    def stream(self, question: str, searcher: Searcher, *, k: int = 5, shown=(),
               deadline: Deadline | None = None) -> Iterator[str | Answer]:
        """The draft's sentences as each passes the guard (see ``_guard_step``), then the final Answer,
        which replaces them: the whole checked answer, or the extractive fallback. ``shown``
        (passages already given in the conversation) goes to the extractive answerer, whose picks lead
        the model's sources. ``deadline``: the turn's (see ``Deadline``); by default ``timeout`` from
        when the model is asked."""
        extractive = self.fallback(question, searcher, k=k, shown=shown)
        if extractive.refused:
            yield extractive.answer
            yield extractive
            return
        inputs = {"question": question, "searcher": searcher, "k": k, "extractive": extractive}
        streamed = False
        try:
            for item in with_deadline(lambda: self.chain.stream(inputs), deadline or self.timeout):
                if isinstance(item, Answer):
                    yield item
                    return
                streamed = True
                yield item
            raise NoCheckedAnswer("the chain produced no answer")
        except NoCheckedAnswer as exc:
            reason, counters = exc.reason, exc.counters
        except TimeoutError as exc:
            reason, counters = f"timeout: {exc}", {}
        except Exception as exc:  # noqa: BLE001  (any model or transport error: answer without it)
            reason, counters = f"model error: {type(exc).__name__}: {exc}"[:300], {}
        log.info("generative answer fell back to the extractive one: %s", reason)
        fallback = replace(extractive, mode="extractive", fallback_reason=reason, guard=counters or None)
        if not streamed:
            yield fallback.answer
        yield fallback


# ------------------------------------------------------------------ follow-up questions


def _history_text(history: Sequence, turns: int = 3, limit: int = 300) -> str:
    lines = []
    for turn in list(history)[-turns:]:
        if isinstance(turn, (tuple, list)):
            question, answer = turn[0], turn[1]
        else:
            question = getattr(turn, "standalone", None) or getattr(turn, "question", "")
            answer = getattr(turn, "answer", "")
        answer = getattr(answer, "answer", answer) or ""
        answer = " ".join(MARKER.sub("", str(answer)).split())
        answer = answer if len(answer) <= limit else answer[: limit - 1] + "…"
        lines += [f"User: {question}", f"Warta: {answer}"]
    return "\n".join(lines)


def rewrite_question(model, question: str, history: Sequence, *, timeout: float = DEFAULT_TIMEOUT,
                     deadline: Deadline | None = None) -> str:
    """``question`` rewritten by the model to stand on its own given ``history`` ((question, answer)
    pairs or conversation turns, oldest first), within ``timeout`` seconds or the turn's ``deadline``.
    Model errors and TimeoutError propagate; an empty or runaway rewrite gives the question unchanged."""
    if not history:
        return question
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate

    import prompts

    chain = ChatPromptTemplate.from_messages([("human", prompts.load("rewrite"))]) | model | StrOutputParser()
    inputs = {"question": question, "history": _history_text(history)}
    text = "".join(with_deadline(lambda: chain.stream(inputs), deadline or timeout))
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = re.sub(r"^(?:standalone question|pertanyaan)\s*:\s*", "", line, flags=re.I).strip().strip("\"“”'")
    if not line or len(line) > 3 * len(question) + 200:
        return question
    # A rewrite may only use words of the question and the conversation, and must keep most of the
    # question's: anything else is the model answering or inventing, not rewriting.
    allowed = claim_terms(question) | claim_terms(inputs["history"])
    mine, asked = claim_terms(line), claim_terms(question)
    if (mine - allowed) and len(mine - allowed) > 0.2 * len(mine) or (asked and len(asked & mine) < 0.5 * len(asked)):
        log.debug("rewrite %r of %r rejected", line, question)
        return question
    return line
