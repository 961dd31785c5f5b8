"""The answer value every front-end shows, and ``answer()``, the one path from question to answer."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    date: str | None
    chunk_id: str
    start: int  # offsets of ``quote`` in the article file's text
    end: int
    quote: str  # the exact source text the claim rests on


@dataclass(frozen=True)
class Retrieved:
    doc_id: str
    chunk_id: str
    score: float


@dataclass
class Answer:
    question: str
    answer: str  # text with [n] markers
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Retrieved] = field(default_factory=list)
    latency_ms: float = 0.0
    mode: str = "extractive"  # or "generative"
    fallback_reason: str | None = None  # why a generative answer fell back to the extractive one
    guard: dict | None = None  # what the guard did to the model's draft (fixed_quotes, dropped_sentences, …)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Answerer(Protocol):
    def __call__(self, question: str, searcher, *, k: int, shown: Iterable[tuple[str, int, int]] = ()) -> Answer: ...


def answer(question: str, searcher, *, k: int = 5, answerer: Answerer | None = None,
           shown: Iterable[tuple[str, int, int]] = ()) -> Answer:
    """Answer ``question`` from the index behind ``searcher``; the extractive answerer by default.
    ``shown``: (doc_id, start, end) of passages this conversation already gave ("What else …?")."""
    if answerer is None:
        from retrieval.extractive import answer_extractively as answerer
    started = time.perf_counter()
    result = answerer(question, searcher.pinned(), k=k, shown=tuple(shown))
    result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return result
