"""Hybrid retrieval over the index: dense (the sentence vectors, Chroma) and BM25 (persisted by
ingest, index/lexicon.py) fused by their scores, optionally restricted to chunks quoting given speakers.

A chunk's dense score is the cosine of its closest sentence: a question asks about one or two
sentences, and a chunk's mean vector dilutes them (on the tuning halves the closest-sentence ranking
puts the source first for 0.78 of the FacQA questions, the chunk vectors for 0.71). The two rankings
are fused by score, each brought to [0, 1] per question (BM25 over its best score, the cosine between
the lowest and the highest listed), BM25 weighing ``share`` and dense the rest; the share is fitted per
embedder and per relation of the question's language to the archive's (``fusion_share``).

The extractive answerer draws its candidates from another fusion (``search(candidates=True)``): the
chunks' own vectors and BM25 by reciprocal ranks, its shares fitted on its answers. On the tuning
halves its fitted decisions got fewer questions right on the score fusion or the closest-sentence
ranking, at every share tried (0.72-0.73 against 0.74): a chunk both rankings list high is evidence
those decisions weigh, and its closest sentences join the candidates anyway."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.lexicon import NEVER_SYNCED
from index.store import sentence_span
from text.tokens import detect_language, query_terms, terms


def fuse(dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]], share: float
         ) -> list[tuple[str, float]]:
    """(id, fused score) of the ids of either ranking, best first (ties: dense order, then BM25's).
    ``dense``: (id, cosine) best first; ``lexical``: (id, BM25 score) best first; ``share``: BM25's weight.
    Each score is normalised per question: BM25 by the best one, the cosine from the lowest listed (0)
    to the highest (1); an id missing from a ranking scores 0 there (it is below that ranking's cut)."""
    fused: dict[str, float] = {}
    if dense:
        high, low = dense[0][1], dense[-1][1]
        spread = high - low
        for key, cosine in dense:
            fused[key] = (1 - share) * ((cosine - low) / spread if spread > 0 else 1.0)
    if lexical:
        best = lexical[0][1] or 1.0
        for key, score in lexical:
            fused[key] = fused.get(key, 0.0) + share * score / best
    return sorted(fused.items(), key=lambda item: -item[1])  # stable: insertion order breaks ties


RRF_K = 60  # the usual constant: damps the head of each ranking so neither list dominates


def fuse_ranks(dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]], share: float
               ) -> list[tuple[str, float]]:
    """(id, fused score) by reciprocal ranks, BM25's weighing ``share``: what the extractive answerer
    draws its candidates from (a chunk both rankings list high comes first, which its fitted decisions
    weigh; on the tuning halves they get fewer questions right on the score fusion, at any share)."""
    fused: dict[str, float] = {}
    for weight, ranking in ((1 - share, dense), (share, lexical)):
        for rank, (key, _) in enumerate(ranking):
            fused[key] = fused.get(key, 0.0) + 2 * weight / (RRF_K + rank + 1)
    return sorted(fused.items(), key=lambda item: -item[1])


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


class Corpus:
    """The index as retrieval sees it, read on demand: chunk records from the store (Chroma holds the
    text once), BM25, document frequencies and who is quoted where from the lexicon that ingest keeps
    next to it (index/lexicon.py).

    Nothing here scans the whole corpus on the query path; ``records`` still lists every chunk for
    callers that want them all (the evaluation), loaded on first iteration.
    """

    RECORD_CACHE = 50_000  # records kept in memory by a long-lived process

    def __init__(self, lexicon, store) -> None:
        from index.lexicon import DocumentFrequencies, Vocabulary

        self.lexicon = lexicon
        self.store = store  # the text and metadata of every chunk, held once (Chroma)
        self._cache: dict[int, ChunkRecord] = {}
        self._rowid: dict[str, int] = {}
        self._docs: dict[str, list[ChunkRecord]] = {}
        self._bm25_cache: dict[tuple, list[tuple[int, float]]] = {}
        self.records = _AllRecords(self)
        self.by_id = _ById(self)
        self.document_frequencies = DocumentFrequencies(lexicon)
        self.vocabulary = Vocabulary(self.document_frequencies)
        self.speakers = _Speakers(self)
        self._aliases = None
        self._english: float | None = None
        self._vectors: dict = {}  # "chunks" / "sentences" -> (ids, vectors, speakers quoted, chunk ids), None when too many
        self._chunk_rows: dict[str, int] | None = None  # chunk id -> its row of the chunk vectors
        self._article_terms: dict[str, frozenset[str]] = {}

    @property
    def size(self) -> int:
        return self.lexicon.size

    def _keep(self, chunks, rowids: dict[str, int]) -> dict[int, ChunkRecord]:
        """Records of ``chunks`` (read from the store, which holds the text), by the lexicon's rowids;
        a chunk the lexicon does not hold (written since its last sync) is left out."""
        if len(self._cache) > self.RECORD_CACHE:
            self._cache.clear()
            self._rowid.clear()
            self._docs.clear()
            self._article_terms.clear()
        out = {}
        for chunk in chunks:
            rowid = rowids.get(chunk.chunk_id)
            if rowid is None:
                continue
            record = self._cache.get(rowid)
            if record is None:
                record = self._cache[rowid] = ChunkRecord.from_stored(chunk.chunk_id, chunk.text, chunk.metadata)
                self._rowid[chunk.chunk_id] = rowid
            out[rowid] = record
        return out

    def _load(self, chunk_ids) -> dict[int, ChunkRecord]:
        rowids = self.lexicon.rowids(chunk_ids)
        return self._keep(self.store.chunks_by_id(list(rowids)), rowids)

    def fetch(self, rowids) -> dict[int, ChunkRecord]:
        missing = [r for r in dict.fromkeys(rowids) if r not in self._cache]
        if missing:
            ids = self.lexicon.chunk_ids(missing)
            self._keep(self.store.chunks_by_id(list(ids.values())), {c: r for r, c in ids.items()})
        return {r: self._cache[r] for r in rowids if r in self._cache}

    def get(self, chunk_id: str) -> ChunkRecord | None:
        rowid = self._rowid.get(chunk_id)
        if rowid is None or rowid not in self._cache:
            return next(iter(self._load([chunk_id]).values()), None)
        return self._cache[rowid]

    def get_many(self, chunk_ids) -> dict[str, ChunkRecord]:
        missing = [c for c in dict.fromkeys(chunk_ids) if self._rowid.get(c) not in self._cache]
        if missing:
            self._load(missing)
        return {c: self._cache[self._rowid[c]] for c in chunk_ids if self._rowid.get(c) in self._cache}

    def records_of(self, doc_id: str) -> list[ChunkRecord]:
        if doc_id not in self._docs:
            chunks = self.store.chunks_of(doc_id)
            kept = self._keep(chunks, self.lexicon.rowids([c.chunk_id for c in chunks]))
            self._docs[doc_id] = sorted(kept.values(), key=lambda r: r.start)
        return self._docs[doc_id]

    def article_terms(self, doc_id: str) -> frozenset[str]:
        """The index terms (stopwords kept) of an article's chunks and title, read once per article."""
        if doc_id not in self._article_terms:
            found: set[str] = set()
            for record in self.records_of(doc_id):
                found |= set(terms(record.text, keep_stopwords=True)) | set(terms(record.title, keep_stopwords=True))
            self._article_terms[doc_id] = frozenset(found)
        return self._article_terms[doc_id]

    EXACT_DENSE = 100_000  # up to this many vectors the dense search is exact (numpy), beyond it Chroma's HNSW

    def dense(self, which: str, vector: np.ndarray, k: int, speakers: frozenset[str] | None = None,
              where: dict | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the ``k`` nearest chunks or sentences, best first. Exact while the
        vectors fit (Chroma's approximate index misses the nearest chunk for several percent of
        questions), loaded once per index generation; through Chroma's index beyond that."""
        if which not in self._vectors:
            held = None
            if self.size <= self.EXACT_DENSE:  # there are at least as many sentences as chunks
                mirrored = self.lexicon.generation  # the store's, as the searcher synced it
                ids, matrix, metas = self.store.all_vectors(which, None if mirrored == NEVER_SYNCED else mirrored)
                if len(ids) <= self.EXACT_DENSE:
                    held = (ids, matrix, [frozenset(m.get("speakers") or ()) for m in metas],
                            [m.get("chunk_id") for m in metas])  # a sentence's: the chunk it is filed under
            self._vectors[which] = held
        held = self._vectors[which]
        if held is None:
            search = self.store.search_chunks if which == "chunks" else self.store.search_sentences
            return search(vector, k, where=where)
        ids, matrix, quoted, _ = held
        if not ids or k <= 0:
            return []
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        if speakers:
            scores = np.where(np.array([bool(speakers & q) for q in quoted]), scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(ids[i], float(scores[i])) for i in top]

    def dense_chunks(self, vector: np.ndarray, k: int, speakers: frozenset[str] | None = None,
                     where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine of its closest sentence) of the ``k`` chunks whose sentences are nearest,
        best first. A sentence counts for the chunk ingest filed it under (the first holding it). With
        ``speakers``, or beyond exact search, the chunks' own vectors (Chroma filters those by speaker)."""
        if speakers or k <= 0:
            return self.dense("chunks", vector, k, speakers, where)
        self.dense("sentences", vector, 0)  # loads the sentence vectors once, when they fit
        held = self._vectors.get("sentences")
        if held is None:
            return self._dense_chunks_by_search(vector, k)
        ids, matrix, _, owners = held
        if not ids:
            return []
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        out: dict[str, float] = {}
        head = min(len(ids), 20 * k)  # a chunk has a few sentences: the nearest 20 k reach k chunks, nearly always
        for order in (np.argpartition(-scores, head - 1)[:head], np.arange(len(ids))):
            out.clear()
            for i in order[np.argsort(-scores[order], kind="stable")]:
                chunk_id = owners[i]
                if chunk_id is not None and chunk_id not in out:
                    out[chunk_id] = float(scores[i])
                    if len(out) >= k:
                        return list(out.items())
            if head == len(ids):
                break
        return list(out.items()) or self.dense("chunks", vector, k)

    def chunk_cosines(self, vector: np.ndarray, chunk_ids) -> dict[str, float]:
        """chunk_id -> cosine of the question and the chunk's own vector (the mean of its sentences'),
        for the chunks listed; {} beyond exact search."""
        self.dense("chunks", vector, 0)  # loads the chunk vectors once, when they fit
        held = self._vectors.get("chunks")
        if held is None:
            return {}
        if self._chunk_rows is None:
            self._chunk_rows = {chunk_id: i for i, chunk_id in enumerate(held[0])}
        row = self._chunk_rows
        wanted = [(c, row[c]) for c in dict.fromkeys(chunk_ids) if c in row]
        if not wanted:
            return {}
        scores = held[1][[i for _, i in wanted]] @ np.asarray(vector, dtype=np.float32)
        return {c: float(v) for (c, _), v in zip(wanted, scores)}

    def sentence_record(self, sentence_id: str) -> tuple[ChunkRecord, int, int] | None:
        """(the first chunk holding it, start, end) of a sentence of the sentences collection."""
        doc_id, start, end = sentence_span(sentence_id)
        record = next((r for r in self.records_of(doc_id) if r.start <= start and end <= r.end), None)
        return None if record is None else (record, start, end)

    def _dense_chunks_by_search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """``dense_chunks`` through Chroma's index: the nearest sentences, each to the chunk holding it."""
        out: dict[str, float] = {}
        for sentence_id, score in self.dense("sentences", vector, 4 * k):
            held = self.sentence_record(sentence_id)
            if held is not None and held[0].chunk_id not in out:
                out[held[0].chunk_id] = score
                if len(out) >= k:
                    break
        return list(out.items()) or self.dense("chunks", vector, k)

    def english_share(self) -> float:
        """How much of the archive is in English (its chunks), read once."""
        if self._english is None:
            self._english = self.lexicon.english_share()
        return self._english

    @property
    def aliases(self):
        if self._aliases is None:
            from text.names import AliasTable

            self._aliases = AliasTable(self.lexicon.aliases())
        return self._aliases

    def speakers_matching(self, mention: str) -> list[str]:
        """The speakers a user's mention names ("Dalton", "Jokowi" for Joko Widodo), in corpus order."""
        from text.names import speaker_matches

        names = self.aliases.names_for(mention)
        return [s for s in self.speakers if any(speaker_matches(name, s) for name in names)]

    def mentions(self, folded_word: str) -> bool:
        """Whether any chunk's text (folded) contains ``folded_word``."""
        return self.lexicon.mentions(folded_word)

    def statement_count(self, speakers=None, *, named_only: bool = False) -> int:
        return self.lexicon.statement_count(None if speakers is None else list(speakers), named_only=named_only)

    def statements(
        self, speakers=None, *, named_only: bool = False, chunk_ids=None, limit: int | None = None
    ) -> list[tuple[ChunkRecord, QuoteRef]]:
        """Statements as ``speakers`` lists them (speaker by speaker, each in document order), optionally
        only those of the given speakers, only named ones, only those cited from ``chunk_ids``, only the
        first ``limit``."""
        if limit is not None and speakers is not None and chunk_ids is None:
            out: list[tuple[ChunkRecord, QuoteRef]] = []
            for speaker in sorted(speakers, key=list(self.speakers).index):
                if len(out) >= limit:
                    break
                rows = self.lexicon.statements([speaker], named_only=named_only, limit=limit - len(out))
                records = self.fetch([chunk for _, chunk, _ in rows])
                out += [(records[chunk], records[chunk].quotes[index]) for _, chunk, index in rows if chunk in records]
            return out
        rowids = None
        if chunk_ids is not None:
            self.get_many(list(chunk_ids))
            rowids = [self._rowid[c] for c in chunk_ids if c in self._rowid]
        rows = self.lexicon.statements(None if speakers is None else list(speakers), named_only=named_only, chunks=rowids)
        rank = {s: i for i, s in enumerate(self.speakers)}
        rows.sort(key=lambda row: rank.get(row[0], len(rank)))  # stable: document order within a speaker
        records = self.fetch([chunk for _, chunk, _ in rows])
        # A chunk the store no longer holds (a rebuild under way in another process) is left out.
        out = [(records[chunk], records[chunk].quotes[index]) for _, chunk, index in rows if chunk in records]
        return out if limit is None else out[:limit]

    def quoting(self, speakers) -> set[str]:
        """chunk_ids of the chunks quoting any of ``speakers``."""
        return self.lexicon.quoting_chunks(list(speakers))

    def bm25(self, query: str, limit: int) -> list[tuple[ChunkRecord, float]]:
        """The ``limit`` best chunks by BM25 (score above zero), best first; ties in corpus order."""
        tokens = query_terms(query, self.vocabulary)
        if not tokens:
            return []
        key = (tuple(tokens), limit)
        scored = self._bm25_cache.get(key)
        if scored is None:  # a question often searches the same words twice (hybrid, then lexical leaders)
            scored = self._bm25_cache[key] = self.lexicon.bm25(tokens, limit)
            if len(self._bm25_cache) > 64:
                self._bm25_cache.pop(next(iter(self._bm25_cache), None), None)  # threads may evict at once
        if not scored:
            return []
        # The lexicon returns every chunk scoring at least the limit-th (ties at the cut included):
        # the corpus order settles those ties.
        records = self.fetch([c for c, _ in scored])  # their (doc_id, start) is the corpus order
        scored = [item for item in scored if item[0] in records]  # see statements: a rebuild under way
        scored.sort(key=lambda item: (-item[1], records[item[0]].doc_id, records[item[0]].start))
        return [(records[c], s) for c, s in scored[:limit]]

    def forget_results(self) -> None:
        """Drop the BM25 results kept for the question being answered (the benchmark calls this
        between questions, so a repeated question is timed as a new one)."""
        self._bm25_cache.clear()

    def bm25_scores(self, query: str) -> dict[str, float]:
        """chunk_id -> BM25 score of every chunk scoring above zero."""
        tokens = query_terms(query, self.vocabulary)
        scored = self.lexicon.bm25(tokens) if tokens else []
        records = self.fetch([c for c, _ in scored])
        return {records[c].chunk_id: s for c, s in scored if c in records}


class _AllRecords(Sequence):
    """Every chunk record in corpus order (doc_id, start); counted cheaply, loaded when iterated."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus
        self._all: list[ChunkRecord] | None = None

    def _load(self) -> list[ChunkRecord]:
        if self._all is None:
            chunks = self._corpus.store.all_chunks()
            rowids = self._corpus.lexicon.rowids([c.chunk_id for c in chunks])
            records = [ChunkRecord.from_stored(c.chunk_id, c.text, c.metadata) for c in chunks if c.chunk_id in rowids]
            self._all = sorted(records, key=lambda r: (r.doc_id, r.start))
        return self._all

    def __len__(self) -> int:
        return self._corpus.size if self._all is None else len(self._all)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index):
        return self._load()[index]

    def __iter__(self):
        return iter(self._load())


class _ById(Mapping):
    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus

    def __getitem__(self, chunk_id: str) -> ChunkRecord:
        record = self._corpus.get(chunk_id)
        if record is None:
            raise KeyError(chunk_id)
        return record

    def __contains__(self, chunk_id: object) -> bool:
        return isinstance(chunk_id, str) and self._corpus.get(chunk_id) is not None

    def __iter__(self):
        return (r.chunk_id for r in self._corpus.records)

    def __len__(self) -> int:
        return self._corpus.size


class _Speakers(Mapping):
    """speaker -> each statement once, in document order, with the chunk to cite it from: the first
    chunk holding all of it, else the one where it starts. Speakers iterate in order of their first
    statement."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus
        self._names: list[str] | None = None
        self._statements: dict[str, list[tuple[ChunkRecord, QuoteRef]]] = {}

    def _list(self) -> list[str]:
        if self._names is None:
            self._names = self._corpus.lexicon.speakers()
        return self._names

    def _load(self, speakers: list[str] | None, named_only: bool = False) -> dict[str, list]:
        rows = self._corpus.lexicon.statements(speakers, named_only=named_only)
        records = self._corpus.fetch([chunk for _, chunk, _ in rows])
        out: dict[str, list[tuple[ChunkRecord, QuoteRef]]] = {}
        for speaker, chunk, index in rows:
            record = records.get(chunk)
            if record is None:  # see Corpus.statements: a rebuild under way
                continue
            out.setdefault(speaker, []).append((record, record.quotes[index]))
        return out

    def __getitem__(self, speaker: str) -> list[tuple[ChunkRecord, QuoteRef]]:
        if speaker not in self._statements:
            got = self._load([speaker]).get(speaker)
            if got is None:
                raise KeyError(speaker)
            self._statements[speaker] = got
        return self._statements[speaker]

    def __contains__(self, speaker: object) -> bool:
        return speaker in set(self._list())

    def __iter__(self):
        return iter(self._list())

    def __len__(self) -> int:
        return len(self._list())

    def values(self):
        everything = self._load(None)
        return [everything[s] for s in self._list() if s in everything]

    def items(self):
        everything = self._load(None)
        return [(s, everything[s]) for s in self._list() if s in everything]


class Searcher:
    def __init__(self, store, embedder, mode: str = "hybrid") -> None:
        self.store = store
        self.embedder = embedder
        self.mode = mode  # "hybrid", or "dense" / "bm25" alone (the evaluation's baselines)
        self._corpus: Corpus | None = None
        self._generation: object = None
        self._pinned: Corpus | None = None

    def pinned(self) -> "Searcher":
        """This searcher with its corpus looked up once: what one question uses from start to end.
        (With a Chroma server each generation check is a round trip.)"""
        view = copy.copy(self)
        view._pinned = self.corpus
        return view

    @property
    def corpus(self) -> Corpus:
        """The lexicon mirrored from the index; brought up to date first when the collection's
        generation moved (another process ingested), re-reading only the articles that changed."""
        if self._pinned is not None:
            return self._pinned
        generation = self.store.generation()
        if self._corpus is None or generation != self._generation:
            lexicon = self.store.lexicon
            if self._corpus is not None:
                lexicon.invalidate()  # another process may have written the file: re-read what is kept
            if lexicon.generation != generation:
                lexicon.sync_from(self.store, generation)
            self._corpus = Corpus(lexicon, self.store)
            self._generation = generation
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
        lang: str | None = None,
        candidates: bool = False,
    ) -> list[Hit]:
        """The ``k`` best chunks for ``query`` (``lang``: its language, detected when not given).

        The retrieval ranking (what a reader, the generative answerer and ``Answer.retrieved`` get):
        chunks by their closest sentence and BM25, fused by score (``fuse``). With ``candidates``, the
        ranking the extractive answerer draws its candidates from: the chunks' own vectors and BM25,
        fused by reciprocal ranks (``fuse_ranks``). Each has its BM25 shares, fitted per embedder."""
        corpus = self.corpus
        mode = mode or self.mode
        size = corpus.size
        if not size or k <= 0:
            return []
        allowed = None
        where = None
        if speakers:
            # a chunk quotes them when one of its quotes is theirs (what the lexicon's `quoted` table holds):
            # checked on the few records BM25 returns, not by listing every chunk that quotes them
            allowed = frozenset(speakers)
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
            dense = (corpus.dense("chunks", vector, min(depth, size), allowed, where) if candidates
                     else corpus.dense_chunks(vector, min(depth, size), allowed, where))
        lexical: list[tuple[ChunkRecord, float]] = []
        if mode in ("hybrid", "bm25"):
            for record, score in corpus.bm25(query, depth * 2):
                if allowed is None or any(quote.speaker in allowed for quote in record.quotes):
                    lexical.append((record, score))
            lexical = lexical[:depth]

        records = corpus.get_many([chunk_id for chunk_id, _ in dense])
        dense = [(chunk_id, sim) for chunk_id, sim in dense if chunk_id in records]
        for record, _ in lexical:
            records[record.chunk_id] = record
        share = {"dense": 0.0, "bm25": 1.0}.get(mode)
        if share is None:
            share = self.fusion_share(self.cross_language(query, lang, corpus), candidates=candidates)
        bm25 = {record.chunk_id: score for record, score in lexical}
        fused = (fuse_ranks if candidates else fuse)(dense, [(r.chunk_id, score) for r, score in lexical], share)[:k]
        # A hit's dense score is the cosine of the chunk as a whole (what the answerer weighs beside each
        # sentence's own), for the chunks dense retrieval listed; its closest sentence's beyond exact search.
        cosine = dict(dense)
        if dense and not candidates:
            whole = corpus.chunk_cosines(vector, [c for c, _ in fused])
            cosine.update((c, v) for c, v in whole.items() if c in cosine)
        return [Hit(records[c], score, cosine.get(c), bm25.get(c)) for c, score in fused]

    @staticmethod
    def cross_language(query: str, lang: str | None, corpus: Corpus) -> bool:
        """Whether the question is in another language than most of the archive (English over Indonesian)."""
        archive = "en" if corpus.english_share() >= 0.5 else "id"
        return (lang or detect_language(query)) != archive

    def fusion_share(self, cross_language: bool = False, *, candidates: bool = False) -> float:
        """BM25's share in the fused ranking (with ``candidates``, in the extractive answerer's), fitted
        per embedder (its calibration) and per relation of the question's language to the archive's: a
        question in the archive's language shares its words, one in another language few (its names and
        numbers). An even share for an embedder without a calibration (answering stops on that with
        the command that fits one)."""
        from retrieval.calibration import CalibrationError, calibration_for

        try:
            calibration = calibration_for(self.embedder.name)
        except CalibrationError:
            return 0.5
        prefix = "fusion_bm25" if candidates else "ranking_bm25"
        same = float(getattr(calibration, prefix, 0.5))
        return float(getattr(calibration, prefix + "_cross", same)) if cross_language else same
