"""Hybrid retrieval over the index: dense (Chroma) and BM25 (bm25s) fused by reciprocal rank,
optionally restricted to chunks quoting given speakers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from retrieval.text import terms

RRF_K = 60  # the usual constant: damps the head of each ranking so neither list dominates


@dataclass(frozen=True)
class QuoteRef:
    speaker: str
    named: bool
    kind: str
    start: int
    end: int
    words_start: int
    words_end: int


@dataclass(frozen=True)
class ChunkRecord:
    chunk_id: str
    doc_id: str
    title: str
    date: str | None
    date_iso: str | None
    outlet: str | None
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]
    quotes: tuple[QuoteRef, ...]

    def slice(self, start: int, end: int) -> str:
        """Source text of an absolute span inside this chunk."""
        return self.text[start - self.start : end - self.start]

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, meta: dict) -> ChunkRecord:
        quotes = tuple(
            QuoteRef(q["speaker"], q["named"], q["kind"], q["start"], q["end"], q["words"][0], q["words"][1])
            for q in json.loads(meta.get("quotes") or "[]")
        )
        return cls(
            chunk_id=chunk_id,
            doc_id=meta["doc_id"],
            title=meta.get("title", meta["doc_id"]),
            date=meta.get("date"),
            date_iso=meta.get("date_iso"),
            outlet=meta.get("outlet"),
            start=int(meta["start"]),
            end=int(meta["end"]),
            text=text,
            sentences=tuple(tuple(s) for s in json.loads(meta.get("sentences") or "[]")),
            quotes=quotes,
        )


@dataclass
class Hit:
    record: ChunkRecord
    score: float
    dense: float | None = None  # cosine similarity
    bm25: float | None = None


@dataclass
class Corpus:
    """The index as retrieval sees it: every chunk record, BM25 over them, and who is quoted where."""

    records: list[ChunkRecord]
    by_id: dict[str, ChunkRecord] = field(init=False)

    def __post_init__(self) -> None:
        self.records.sort(key=lambda r: (r.doc_id, r.start))
        self.by_id = {r.chunk_id: r for r in self.records}

    @cached_property
    def _bm25(self):
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.NOTSET)  # it sets itself to DEBUG on import
        retriever = bm25s.BM25()
        if self.records:
            retriever.index([terms(r.title + "\n" + r.text) or ["∅"] for r in self.records], show_progress=False)
        return retriever

    @cached_property
    def vocabulary(self) -> set[str]:
        """Every index term of the corpus (titles included)."""
        out: set[str] = set()
        for r in self.records:
            out.update(terms(r.title + "\n" + r.text, keep_stopwords=True))
        return out

    @cached_property
    def speakers(self) -> dict[str, list[tuple[ChunkRecord, QuoteRef]]]:
        """speaker -> each statement once, in document order, with the chunk to cite it from:
        the first chunk holding all of it, else the one where it starts."""
        best: dict[tuple[str, int], tuple[ChunkRecord, QuoteRef]] = {}
        for record in self.records:
            for quote in record.quotes:
                key = (record.doc_id, quote.start)
                whole = record.start <= quote.start and quote.end <= record.end
                held = best.get(key)
                if held is None and record.start <= quote.start < record.end:
                    best[key] = (record, quote)
                elif whole and held is not None and held[1].end > held[0].end:
                    best[key] = (record, quote)
        out: dict[str, list[tuple[ChunkRecord, QuoteRef]]] = {}
        for key in sorted(best):
            record, quote = best[key]
            out.setdefault(quote.speaker, []).append((record, quote))
        return out

    def records_of(self, doc_id: str) -> list[ChunkRecord]:
        return self._by_doc.get(doc_id, [])

    @cached_property
    def _by_doc(self) -> dict[str, list[ChunkRecord]]:
        out: dict[str, list[ChunkRecord]] = {}
        for record in self.records:
            out.setdefault(record.doc_id, []).append(record)
        return out

    def bm25_scores(self, query: str) -> np.ndarray:
        tokens = terms(query, bridge=True)
        if not self.records or not tokens:
            return np.zeros(len(self.records))
        return np.asarray(self._bm25.get_scores(tokens))


class Searcher:
    def __init__(self, store, embedder, mode: str = "hybrid") -> None:
        self.store = store
        self.embedder = embedder
        self.mode = mode  # "hybrid", or "dense" / "bm25" alone (the evaluation's baselines)
        self._corpus: Corpus | None = None
        self._count = -1

    @property
    def corpus(self) -> Corpus:
        """Loaded once, and again only when the index changed size (another process ingested)."""
        count = self.store.count()
        if self._corpus is None or count != self._count:
            self._corpus = Corpus([ChunkRecord.from_stored(c.chunk_id, c.text, c.metadata) for c in self.store.all_chunks()])
            self._count = count
        return self._corpus

    def refresh(self) -> None:
        self._corpus = None

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        mode: str | None = None,
        speakers: list[str] | None = None,
        vector: np.ndarray | None = None,
        depth: int = 30,
    ) -> list[Hit]:
        corpus = self.corpus
        mode = mode or self.mode
        if not corpus.records or k <= 0:
            return []
        allowed = None
        where = None
        if speakers:
            allowed = {r.chunk_id for r in corpus.records if any(q.speaker in speakers for q in r.quotes)}
            where = (
                {"speakers": {"$contains": speakers[0]}}
                if len(speakers) == 1
                else {"$or": [{"speakers": {"$contains": s}} for s in speakers]}
            )
        depth = max(depth, 3 * k)
        dense: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense"):
            if vector is None:
                vector = self.embedder.embed_query(query)
            dense = self.store.search_chunks(vector, min(depth, len(corpus.records)), where=where)
        lexical: list[tuple[str, float]] = []
        if mode in ("hybrid", "bm25"):
            scores = corpus.bm25_scores(query)
            order = np.argsort(-scores)
            for i in order[: depth * 2]:
                record = corpus.records[int(i)]
                if scores[i] <= 0:
                    break
                if allowed is None or record.chunk_id in allowed:
                    lexical.append((record.chunk_id, float(scores[i])))
            lexical = lexical[:depth]

        fused: dict[str, Hit] = {}
        for rank, (chunk_id, sim) in enumerate(dense):
            if chunk_id not in corpus.by_id:
                continue
            hit = fused.setdefault(chunk_id, Hit(corpus.by_id[chunk_id], 0.0))
            hit.dense = sim
            hit.score += 1.0 / (RRF_K + rank + 1)
        for rank, (chunk_id, score) in enumerate(lexical):
            hit = fused.setdefault(chunk_id, Hit(corpus.by_id[chunk_id], 0.0))
            hit.bm25 = score
            hit.score += 1.0 / (RRF_K + rank + 1)
        return sorted(fused.values(), key=lambda h: -h.score)[:k]
