"""The lexical side of the index, persisted next to Chroma and updated per article by ingest.

One SQLite file holds what retrieval and the extractive answerer need beyond the vectors:

* every chunk record (text and metadata, as Chroma holds them) and its BM25 length;
* BM25 postings (term, chunk, tf) and each term's document frequencies, so a query reads only the
  postings of its own terms and never rebuilds an index;
* the answerer's statistics: document frequencies with stopwords kept (its vocabulary), who is
  quoted in which chunk, and each statement once with the chunk it is cited from.

Scores are the same as bm25s (``method="lucene"``, k1 1.5, b 0.75, float32 accumulation) over the
same tokens, but computed at query time from the current N and average length, so adding or removing
one article touches only that article's rows: an incremental update equals a full rebuild. For a
top-k search the ``bounds`` table keeps, per term and tf, the shortest chunk holding the term that
many times: the largest score the term can give any chunk, at any average length (MaxScore's bound).

The file mirrors one Chroma collection. It records the collection's ``generation`` (a token ingest
writes into the collection's metadata after each change): a reader that finds another generation
(another process or bot replica ingested into a shared Chroma server) resyncs from Chroma, article
by article, before answering.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

K1 = 1.5
B = 0.75
NEVER_SYNCED = "<never synced>"
EMPTY_TOKEN = "∅"  # what a chunk with no index terms is indexed as (as before, with bm25s)
BOUNDS_VERSION = "1"
LOOKUP_COST = 8  # a posting looked up by primary key costs about as much as this many read in a scan

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, content_hash TEXT);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, start INTEGER NOT NULL,
    len INTEGER NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL, folded TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id, start);
CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, term TEXT UNIQUE NOT NULL,
    bm25_df INTEGER NOT NULL DEFAULT 0, df INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS postings (term INTEGER NOT NULL, chunk INTEGER NOT NULL, tf INTEGER NOT NULL,
    len INTEGER NOT NULL, PRIMARY KEY (term, chunk)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS postings_chunk ON postings (chunk);
CREATE TABLE IF NOT EXISTS bounds (term INTEGER NOT NULL, tf INTEGER NOT NULL, len INTEGER NOT NULL,
    PRIMARY KEY (term, tf)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quoted (speaker TEXT NOT NULL, chunk INTEGER NOT NULL, PRIMARY KEY (speaker, chunk))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quoted_chunk ON quoted (chunk);
CREATE TABLE IF NOT EXISTS statements (speaker TEXT NOT NULL, doc_id TEXT NOT NULL, qstart INTEGER NOT NULL,
    chunk INTEGER NOT NULL, quote INTEGER NOT NULL, named INTEGER NOT NULL, sortkey TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS statements_speaker ON statements (speaker, sortkey);
CREATE INDEX IF NOT EXISTS statements_doc ON statements (doc_id);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT NOT NULL, name TEXT NOT NULL, doc_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS aliases_doc ON aliases (doc_id);
"""


def _bm25_tokens(title: str, text: str) -> list[str]:
    from retrieval.text import terms

    return terms(title + "\n" + text) or [EMPTY_TOKEN]


def _df_terms(title: str, text: str) -> set[str]:
    from retrieval.text import terms

    return set(terms(title + "\n" + text, keep_stopwords=True))


class Lexicon:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self._stats: tuple[int, int] | None = None
        self._postings_cache: OrderedDict[int, tuple] = OrderedDict()  # term id -> (chunk, tf, len) arrays
        self._cached_postings = 0
        self._lock = threading.RLock()  # one connection; a bot may answer from several threads
        if self._meta("bounds") != BOUNDS_VERSION:  # a file written before the bounds existed: derive them once
            with self._transaction():
                self.db.execute("DELETE FROM bounds")
                self.db.execute("INSERT INTO bounds (term, tf, len) SELECT term, tf, MIN(len) FROM postings GROUP BY term, tf")
                self._set_meta("bounds", BOUNDS_VERSION)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------ bookkeeping

    def _meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> str | None:
        """The collection generation this file mirrors; NEVER_SYNCED for a new file."""
        value = self._meta("generation")
        return NEVER_SYNCED if value is None else json.loads(value)

    def set_generation(self, generation: str | None) -> None:
        self._set_meta("generation", json.dumps(generation))

    def documents(self) -> dict[str, str]:
        """doc_id -> content_hash of every article held."""
        return dict(self.db.execute("SELECT doc_id, content_hash FROM docs"))

    def clear(self) -> None:
        with self._transaction():
            for table in ("meta", "docs", "chunks", "terms", "postings", "bounds", "quoted", "statements"):
                self.db.execute(f"DELETE FROM {table}")
            self._set_meta("bounds", BOUNDS_VERSION)
        self._stats = None

    # ------------------------------------------------------------ writing

    def _transaction(self):
        lexicon = self

        class _Tx:
            def __enter__(self):
                lexicon._lock.acquire()
                lexicon.db.execute("BEGIN IMMEDIATE")

            def __exit__(self, kind, value, tb):
                try:
                    lexicon.db.execute("COMMIT" if kind is None else "ROLLBACK")
                finally:
                    lexicon.invalidate()
                    lexicon._lock.release()

        return _Tx()

    def write_document(self, doc_id: str, content_hash: str | None, rows: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """Replace one article with its chunk rows (chunk_id, text, Chroma metadata), in one transaction."""
        with self._transaction():
            self._delete(doc_id)
            self._insert(doc_id, content_hash, rows)

    def delete_document(self, doc_id: str) -> None:
        with self._transaction():
            self._delete(doc_id)

    def mark_pending(self, doc_id: str) -> None:
        """Record that ``doc_id`` is being rewritten (its hash unknown until ``write_document``), so an
        ingest killed between the Chroma and the lexicon write does it again, or removes it."""
        with self._transaction():
            self.db.execute("INSERT INTO docs (doc_id, content_hash) VALUES (?, NULL) "
                            "ON CONFLICT (doc_id) DO UPDATE SET content_hash = NULL", (doc_id,))

    def _term_ids(self, terms: Iterable[str]) -> dict[str, int]:
        terms = list(terms)
        self.db.executemany("INSERT OR IGNORE INTO terms (term) VALUES (?)", ((t,) for t in terms))
        out: dict[str, int] = {}
        for i in range(0, len(terms), 500):
            part = terms[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT term, id FROM terms WHERE term IN ({marks})", part))
        return out

    def _insert(self, doc_id: str, content_hash: str | None, rows: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        from retrieval.text import fold

        self.db.execute("INSERT OR REPLACE INTO docs (doc_id, content_hash) VALUES (?, ?)", (doc_id, content_hash))
        prepared = []
        for chunk_id, text, meta in rows:
            title = meta.get("title", meta["doc_id"])
            tokens = _bm25_tokens(title, text)
            prepared.append((chunk_id, text, meta, Counter(tokens), len(tokens), _df_terms(title, text)))
        ids = self._term_ids({t for p in prepared for t in p[3]} | {t for p in prepared for t in p[5]})
        bm25_df: Counter[int] = Counter()
        df: Counter[int] = Counter()
        rowid_of: dict[str, int] = {}
        for chunk_id, text, meta, counts, length, df_terms in prepared:
            cur = self.db.execute(
                "INSERT INTO chunks (chunk_id, doc_id, start, len, text, meta, folded) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (chunk_id, doc_id, int(meta["start"]), length, text, json.dumps(meta, ensure_ascii=False), fold(text)),
            )
            rowid = cur.lastrowid
            rowid_of[chunk_id] = rowid
            self.db.executemany(
                "INSERT INTO postings (term, chunk, tf, len) VALUES (?, ?, ?, ?)",
                ((ids[t], rowid, tf, length) for t, tf in counts.items()),
            )
            self.db.executemany(
                "INSERT INTO bounds (term, tf, len) VALUES (?, ?, ?) "
                "ON CONFLICT (term, tf) DO UPDATE SET len = MIN(len, excluded.len)",
                ((ids[t], tf, length) for t, tf in counts.items()),
            )
            bm25_df.update(ids[t] for t in counts)
            df.update(ids[t] for t in df_terms)
            self.db.executemany("INSERT INTO aliases (alias, name, doc_id) VALUES (?, ?, ?)",
                                ((alias, name, doc_id) for alias, name in json.loads(meta.get("aliases") or "[]")))
            speakers = {q["speaker"] for q in json.loads(meta.get("quotes") or "[]")}
            self.db.executemany("INSERT OR IGNORE INTO quoted (speaker, chunk) VALUES (?, ?)", ((s, rowid) for s in speakers))
        self.db.executemany("UPDATE terms SET bm25_df = bm25_df + ? WHERE id = ?", ((n, t) for t, n in bm25_df.items()))
        self.db.executemany("UPDATE terms SET df = df + ? WHERE id = ?", ((n, t) for t, n in df.items()))
        self._insert_statements(doc_id, rows, rowid_of)

    def _insert_statements(self, doc_id: str, rows, rowid_of: dict[str, int]) -> None:
        """Each statement once, cited from the first chunk holding all of it, else the one where it
        starts (the rule Corpus.speakers applied over the whole corpus; it is local to an article)."""
        best: dict[int, tuple[int, int, dict, int]] = {}  # quote start -> (chunk start, chunk end, quote, index)
        ordered = sorted(rows, key=lambda r: int(r[2]["start"]))
        for chunk_id, _text, meta in ordered:
            start, end = int(meta["start"]), int(meta["end"])
            for index, quote in enumerate(json.loads(meta.get("quotes") or "[]")):
                whole = start <= quote["start"] and quote["end"] <= end
                held = best.get(quote["start"])
                if held is None and start <= quote["start"] < end:
                    best[quote["start"]] = (start, end, quote, index, chunk_id)
                elif whole and held is not None and held[2]["end"] > held[1]:
                    best[quote["start"]] = (start, end, quote, index, chunk_id)
        self.db.executemany(
            "INSERT INTO statements (speaker, doc_id, qstart, chunk, quote, named, sortkey) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (q["speaker"], doc_id, qstart, rowid_of[chunk_id], index, int(bool(q["named"])), _sortkey(doc_id, qstart))
                for qstart, (_s, _e, q, index, chunk_id) in best.items()
            ),
        )

    def _delete(self, doc_id: str) -> None:
        rows = self.db.execute("SELECT id, text, meta FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
        if rows:
            bm25_df: Counter[int] = Counter()
            df_terms: Counter[str] = Counter()
            shortest: dict[tuple[int, int], int] = {}  # (term, tf) -> the shortest chunk length leaving
            for rowid, text, meta in rows:
                for term, tf, length in self.db.execute("SELECT term, tf, len FROM postings WHERE chunk = ?", (rowid,)):
                    bm25_df[term] += 1
                    shortest[(term, tf)] = min(length, shortest.get((term, tf), length))
                meta = json.loads(meta)
                df_terms.update(_df_terms(meta.get("title", meta["doc_id"]), text))
                self.db.execute("DELETE FROM postings WHERE chunk = ?", (rowid,))
                self.db.execute("DELETE FROM quoted WHERE chunk = ?", (rowid,))
            self.db.executemany("UPDATE terms SET bm25_df = bm25_df - ? WHERE id = ?", ((n, t) for t, n in bm25_df.items()))
            self._shrink_bounds(shortest)
            self.db.executemany("UPDATE terms SET df = df - ? WHERE term = ?", ((n, t) for t, n in df_terms.items()))
            self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            self.db.execute("DELETE FROM statements WHERE doc_id = ?", (doc_id,))
            self.db.execute("DELETE FROM aliases WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    def _shrink_bounds(self, shortest: dict[tuple[int, int], int]) -> None:
        """After postings left: a (term, tf) bound held by one of them is recomputed from the postings
        that remain (only then: the bound is the shortest length, and a longer chunk leaving keeps it)."""
        for (term, tf), length in shortest.items():
            held = self.db.execute("SELECT len FROM bounds WHERE term = ? AND tf = ?", (term, tf)).fetchone()
            if held is None or held[0] < length:
                continue
            left = self.db.execute("SELECT MIN(len) FROM postings WHERE term = ? AND tf = ?", (term, tf)).fetchone()[0]
            if left is None:
                self.db.execute("DELETE FROM bounds WHERE term = ? AND tf = ?", (term, tf))
            else:
                self.db.execute("UPDATE bounds SET len = ? WHERE term = ? AND tf = ?", (left, term, tf))

    def sync_from(self, store, generation: str | None) -> list[str]:
        """Bring this file in line with the Chroma collection: re-read only the articles whose
        content hash differs, drop the ones gone. Returns the doc_ids touched."""
        held = {doc: state["content_hash"] for doc, state in store.documents().items() if state["complete"]}
        mine = self.documents()
        touched = []
        for doc_id in sorted(set(mine) - set(held)):
            self.delete_document(doc_id)
            touched.append(doc_id)
        for doc_id in sorted(d for d in held if mine.get(d) != held[d]):
            got = store.chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
            rows = list(zip(got["ids"], got["documents"], got["metadatas"]))
            self.write_document(doc_id, held[doc_id], rows)
            touched.append(doc_id)
        self.set_generation(generation)
        return touched

    # ------------------------------------------------------------ reading

    def _totals(self) -> tuple[int, int]:
        if self._stats is None:
            n, total = self.db.execute("SELECT COUNT(*), COALESCE(SUM(len), 0) FROM chunks").fetchone()
            self._stats = (int(n), int(total))
        return self._stats

    @property
    def size(self) -> int:
        return self._totals()[0]

    def bm25(self, tokens: Sequence[str], limit: int | None = None) -> list[tuple[int, float]]:
        """(chunk rowid, score) of the chunks scoring above zero; the same float32 figures as bm25s.

        Without ``limit``, every such chunk. With it, exactly the chunks scoring at least the
        ``limit``-th best (ties at the cut included, each with its exact score): while the query's terms
        hold at most PRUNE_ABOVE postings, by reading them all (one row per term, parsed by numpy) and
        cutting in numpy; beyond, by MaxScore (``_top``), where a term whose postings cannot lift a chunk
        to the cut is never read whole, only looked up for the chunks that can still get there."""
        import numpy as np

        n, total = self._totals()
        if not n or not tokens:
            return []
        avg = np.float64(total) / n  # bm25s: np.array(lengths).mean()
        unique = list(dict.fromkeys(tokens))
        found = self.db.execute(
            f"SELECT term, id, bm25_df FROM terms WHERE bm25_df > 0 AND term IN ({','.join('?' * len(unique))})", unique
        ).fetchall()
        idf = {token: (term_id, np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))) for token, term_id, df in found}
        if limit is not None and limit > 0 and len(idf) > 1 and sum(df for _, _, df in found) > self.PRUNE_ABOVE:
            return self._top(tokens, idf, avg, limit)
        per_term: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for token in idf:
            chunk, scores = self._postings(token, idf, avg)
            if len(chunk):
                per_term[token] = (chunk, scores)
        if not per_term:
            return []
        union = np.unique(np.concatenate([c for c, _ in per_term.values()]))
        acc = np.zeros(len(union), dtype=np.float32)
        for token in tokens:  # bm25s adds a repeated query token again, in query order, in float32
            if token in per_term:
                chunk, scores = per_term[token]
                np.add.at(acc, np.searchsorted(union, chunk), scores)
        keep = acc > 0
        if limit is not None and limit > 0 and keep.sum() > limit:
            # the cut, in numpy: every chunk scoring at least the limit-th best (ties at the cut included)
            floor = np.partition(acc[keep], -limit)[-limit]
            keep &= acc >= floor
        return list(zip(union[keep].tolist(), acc[keep].tolist()))

    # MaxScore is used when the query's terms hold more than this many postings. On the bench's 100x
    # archive (6,400 chunks) a question's terms hold 2k-25k: there MaxScore reads 3-6x fewer postings
    # whole, but a lookup by primary key costs ~10 scanned postings, so it only breaks even; it pays once
    # the common terms' lists run into the hundreds of thousands.
    PRUNE_ABOVE = 50_000

    def upper_bound(self, term_id: int, idf: float, avg: float) -> float:
        """The most one occurrence-weighted term can add to any chunk's score: idf x the largest
        tf/(tf + k1 (1 - b + b len/avg)) over its postings, from each tf's shortest chunk (``bounds``,
        kept by every write and delete), so it holds for any average length."""
        rows = self.db.execute("SELECT tf, len FROM bounds WHERE term = ?", (term_id,)).fetchall()
        best = max((tf / (tf + K1 * ((1 - B) + B * length / avg)) for tf, length in rows), default=0.0)
        return float(idf) * best

    def _top(self, tokens: Sequence[str], idf: dict, avg, limit: int) -> list[tuple[int, float]]:
        """MaxScore, term at a time. Terms are read whole from the one with the highest bound (the
        rarest) down; after each, the ``limit`` best chunks so far are completed (their other terms
        looked up by primary key) and the ``limit``-th complete score is a floor ``theta`` the final
        cut cannot fall below. Once the bounds of the terms still unread add up to less than theta, no
        chunk outside the ones already seen can reach the cut: those terms are only looked up, and
        only for the chunks whose score so far plus those bounds still reaches theta. Exact: every
        chunk scoring at least the limit-th best is returned, with the score the full scan gives."""
        import numpy as np

        count = {t: tokens.count(t) for t in idf}
        bound = {t: count[t] * self.upper_bound(idf[t][0], idf[t][1], avg) * (1 + 1e-6) for t in idf}
        order = sorted(idf, key=lambda t: -bound[t])
        rest = [sum(bound[t] for t in order[i:]) for i in range(len(order) + 1)]
        margin = 1 - 1e-5  # float32 sums against float64 bounds: never prune on a rounding difference
        columns: dict[str, np.ndarray] = {}  # token -> float32 contribution to each chunk of `seen`
        seen = np.zeros(0, dtype=np.int64)  # chunks holding a term read whole, ascending
        partial = np.zeros(0, dtype=np.float64)  # their score so far
        theta = 0.0  # the limit-th best complete score found so far: the final cut is at least this

        def add_whole(token: str) -> None:
            nonlocal seen, partial
            chunk, scores = self._postings(token, idf, avg)
            union = np.union1d(seen, chunk)
            grown = np.zeros(len(union), dtype=np.float64)
            grown[np.searchsorted(union, seen)] = partial
            grown[np.searchsorted(union, chunk)] += scores.astype(np.float64) * count[token]
            for t, values in columns.items():
                widened = np.zeros(len(union), dtype=np.float32)
                widened[np.searchsorted(union, seen)] = values
                columns[t] = widened
            columns[token] = np.zeros(len(union), dtype=np.float32)
            columns[token][np.searchsorted(union, chunk)] = scores
            seen, partial = union, grown

        def look_up(token: str, rows: np.ndarray) -> None:
            """Contributions of ``token`` to the chunks at positions ``rows`` of ``seen`` (by primary key)."""
            term_id, weight = idf[token]
            wanted = seen[rows].tolist()
            column = columns.setdefault(token, np.zeros(len(seen), dtype=np.float32))
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                got = self.db.execute(
                    f"SELECT chunk, tf, len FROM postings WHERE term = ? AND chunk IN ({','.join('?' * len(part))})",
                    [term_id, *part],
                ).fetchall()
                if got:
                    chunk, scores = _impacts(got, weight, avg)
                    at = np.searchsorted(seen, chunk)
                    column[at] = scores
                    partial[at] += scores.astype(np.float64) * count[token]

        def exact(rows: np.ndarray) -> np.ndarray:
            acc = np.zeros(len(rows), dtype=np.float32)
            for token in tokens:  # float32, in query order: the full scan's figures, bit for bit
                if token in columns:
                    acc += columns[token][rows]
            return acc

        at = 0
        while at < len(order) and rest[at] >= theta * margin:
            add_whole(order[at])
            at += 1
            if at < len(order) and len(seen) >= limit:
                # a floor for the cut: complete the `limit` best chunks so far
                best = np.sort(np.argsort(-partial, kind="stable")[:limit])
                saved = partial.copy()
                for token in order[at:]:
                    look_up(token, best)
                theta = max(theta, float(np.sort(exact(best))[-limit]))
                partial = saved  # `partial` keeps meaning "from the terms read whole" for the others
                for token in order[at:]:
                    columns.pop(token, None)
        # Terms not read whole: each one looked up for the chunks that can still reach the cut, or read
        # whole when that is cheaper than the lookups (a lookup costs a few rows of a scan).
        alive = np.arange(len(seen))
        for i in range(at, len(order)):
            alive = alive[partial[alive] + rest[i] >= theta * margin]
            token = order[i]
            if LOOKUP_COST * len(alive) < self._df(idf[token][0]):
                look_up(token, alive)
            else:
                known = seen.copy()
                add_whole(token)  # may add chunks: they cannot reach the cut (rest[i] < theta)
                alive = np.searchsorted(seen, known[alive])
        alive = alive[partial[alive] >= theta * margin]
        scores = exact(alive)
        keep = scores > 0
        return list(zip(seen[alive][keep].tolist(), scores[keep].tolist()))

    def _df(self, term_id: int) -> int:
        return self.db.execute("SELECT bm25_df FROM terms WHERE id = ?", (term_id,)).fetchone()[0]

    def _postings(self, token: str, idf: dict, avg):
        """(chunks ascending, float32 scores) of every posting of ``token``; read as three strings
        (one row, not one Python tuple per posting)."""
        import numpy as np

        term_id, weight = idf[token]
        with self._lock:
            cached = self._postings_cache.get(term_id)
            if cached is not None:
                self._postings_cache.move_to_end(term_id)
        if cached is None:
            chunks, tfs, lengths = self.db.execute(
                "SELECT group_concat(chunk), group_concat(tf), group_concat(len) FROM "
                "(SELECT chunk, tf, len FROM postings WHERE term = ? ORDER BY chunk)", (term_id,)
            ).fetchone()
            if not chunks:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            chunk, tf, length = (np.fromstring(text, dtype=np.int64, sep=",") for text in (chunks, tfs, lengths))
            if len(chunk) > 1 and not (np.diff(chunk) > 0).all():
                ordered = np.argsort(chunk, kind="stable")
                chunk, tf, length = chunk[ordered], tf[ordered], length[ordered]
            cached = (chunk, tf.astype(np.int32), length.astype(np.int32))
            self._keep_postings(term_id, cached)
        chunk, tf, length = cached
        return _impacts(None, weight, avg, chunk, tf, length)

    # Long postings lists (common terms) are the expensive ones to read, and the ones most questions
    # share: a warm process keeps the most recently used in memory, up to this many postings (16 bytes
    # each). Rare terms' short lists are cheap to read and are not kept.
    POSTINGS_CACHE = 4_000_000
    CACHE_LISTS_FROM = 256

    def _keep_postings(self, term_id: int, arrays) -> None:
        size = len(arrays[0])
        if size < self.CACHE_LISTS_FROM or size > self.POSTINGS_CACHE:
            return
        with self._lock:
            self._postings_cache[term_id] = arrays
            self._cached_postings += size
            while self._cached_postings > self.POSTINGS_CACHE:
                _, dropped = self._postings_cache.popitem(last=False)
                self._cached_postings -= len(dropped[0])

    def invalidate(self) -> None:
        """Forget what is kept from the file (statistics, postings): another process wrote it."""
        with self._lock:
            self._stats = None
            self._postings_cache.clear()
            self._cached_postings = 0

    def records(self, rowids: Sequence[int] = (), chunk_ids: Sequence[str] = ()) -> list[tuple[int, str, str, dict]]:
        """(rowid, chunk_id, text, meta) of the given chunks, in no particular order."""
        out = []
        for column, keys in (("id", list(rowids)), ("chunk_id", list(chunk_ids))):
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                sql = f"SELECT id, chunk_id, text, meta FROM chunks WHERE {column} IN ({','.join('?' * len(part))})"
                out += [(r, c, t, json.loads(m)) for r, c, t, m in self.db.execute(sql, part)]
        return out

    def all_records(self) -> Iterator[tuple[int, str, str, dict]]:
        for r, c, t, m in self.db.execute("SELECT id, chunk_id, text, meta FROM chunks ORDER BY doc_id, start"):
            yield r, c, t, json.loads(m)

    def records_of(self, doc_id: str) -> list[tuple[int, str, str, dict]]:
        sql = "SELECT id, chunk_id, text, meta FROM chunks WHERE doc_id = ? ORDER BY start"
        return [(r, c, t, json.loads(m)) for r, c, t, m in self.db.execute(sql, (doc_id,))]

    def df(self, term: str) -> int | None:
        row = self.db.execute("SELECT df FROM terms WHERE term = ? AND df > 0", (term,)).fetchone()
        return row[0] if row else None

    def quoting_chunks(self, speakers: Sequence[str]) -> set[str]:
        """chunk_ids of the chunks quoting any of ``speakers``."""
        sql = (
            "SELECT DISTINCT c.chunk_id FROM quoted q JOIN chunks c ON c.id = q.chunk "
            f"WHERE q.speaker IN ({','.join('?' * len(speakers))})"
        )
        return {c for (c,) in self.db.execute(sql, list(speakers))}

    def speakers(self) -> list[str]:
        """Everyone quoted, in order of their first statement (doc_id, offset)."""
        return [s for (s,) in self.db.execute("SELECT speaker FROM statements GROUP BY speaker ORDER BY MIN(sortkey)")]

    def _statement_filter(self, speakers, named_only, chunks) -> tuple[str, list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        for column, values in (("speaker", speakers), ("chunk", chunks)):
            if values is not None:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                args += list(values)
        if named_only:
            where.append("named = 1")
        return (f" WHERE {' AND '.join(where)}" if where else ""), args

    def statements(
        self, speakers: Sequence[str] | None = None, *, named_only: bool = False, chunks: Sequence[int] | None = None,
        limit: int | None = None,
    ) -> list[tuple[str, int, int]]:
        """(speaker, chunk rowid, quote index within the chunk), by speaker then (doc_id, offset)."""
        where, args = self._statement_filter(speakers, named_only, chunks)
        sql = "SELECT speaker, chunk, quote FROM statements" + where + " ORDER BY speaker, sortkey"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [tuple(r) for r in self.db.execute(sql, args)]

    def statement_count(self, speakers: Sequence[str] | None = None, *, named_only: bool = False) -> int:
        where, args = self._statement_filter(speakers, named_only, None)
        return self.db.execute("SELECT COUNT(*) FROM statements" + where, args).fetchone()[0]

    def aliases(self) -> list[tuple[str, str, int]]:
        """(alias, full name, articles declaring it)."""
        return self.db.execute("SELECT alias, name, COUNT(DISTINCT doc_id) FROM aliases GROUP BY alias, name").fetchall()

    def mentions(self, folded_word: str) -> bool:
        """Whether any chunk's folded text contains ``folded_word`` (a substring test, as before)."""
        return self.db.execute("SELECT 1 FROM chunks WHERE instr(folded, ?) > 0 LIMIT 1", (folded_word,)).fetchone() is not None


def _impacts(rows, idf, avg, chunk=None, tf=None, length=None):
    """(chunks, float32 scores) of one term's postings, as rows (chunk, tf, len) or three arrays:
    bm25s lucene's figures."""
    import numpy as np

    if rows is not None:
        chunk, tf, length = (np.asarray(c) for c in zip(*rows))
    tf = tf.astype(np.float32)
    tfc = tf / (K1 * ((1 - B) + B * length.astype(np.float64) / avg) + tf)
    return chunk, (idf * tfc).astype(np.float32)


def _sortkey(doc_id: str, start: int) -> str:
    return f"{doc_id}\x00{start:012d}"


class DocumentFrequencies(Mapping):
    """term -> number of chunks whose title and text contain it (stopwords kept), read on demand."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._cache: dict[str, int | None] = {}

    def _get(self, term: str) -> int | None:
        if term not in self._cache:
            self._cache[term] = self._lexicon.df(term)
        return self._cache[term]

    def __getitem__(self, term: str) -> int:
        value = self._get(term)
        if value is None:
            raise KeyError(term)
        return value

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._get(term) is not None

    def __iter__(self):
        return (t for (t,) in self._lexicon.db.execute("SELECT term FROM terms WHERE df > 0"))

    def __len__(self) -> int:
        return self._lexicon.db.execute("SELECT COUNT(*) FROM terms WHERE df > 0").fetchone()[0]


class Vocabulary:
    """Every index term of the corpus (titles included), as a set answers ``in`` and ``&``."""

    def __init__(self, frequencies: DocumentFrequencies) -> None:
        self._df = frequencies

    def __contains__(self, term: object) -> bool:
        return term in self._df

    def __and__(self, other) -> set[str]:
        return {t for t in other if t in self._df}

    __rand__ = __and__

    def __iter__(self):
        return iter(self._df)

    def __len__(self) -> int:
        return len(self._df)
