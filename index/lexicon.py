"""The lexical side of the index, kept next to Chroma and updated per article by ingest.

One SQLite file holds what retrieval and the extractive answerer need beyond the vectors:

* BM25 over each chunk's index terms (title and text, ``text.tokens.terms``), in an FTS5 table:
  SQLite's full-text engine keeps the postings and updates them per article. Terms go in as
  ``t<id>`` words (``terms`` table), so our own analyzer (folding, Indonesian stems) decides what a
  term is and FTS5's tokenizer never splits one. Scores are bm25s's (``method="lucene"``, k1 1.5,
  b 0.75, float32), computed from the postings FTS5 reads out (``fts5vocab``): FTS5's own ``bm25()``
  gives a term held by more than half the chunks no weight at all, which a small archive (one story
  told in five articles) cannot afford;
* each chunk's place (doc_id, start) and length in index terms; its text and metadata are Chroma's,
  the one copy;
* who is quoted in which chunk, each statement once with the chunk it is cited from, and the
  nicknames articles declare.

The file mirrors one Chroma collection. It records the collection's ``generation`` (a token ingest
writes into the collection's metadata after each change): a reader that finds another generation
(another process or bot replica ingested into a shared Chroma server) resyncs from Chroma, article
by article, before answering.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from text.tokens import detect_language, stem, terms

K1 = 1.5
B = 0.75
NEVER_SYNCED = "<never synced>"
ENGINE = "fts5-3"  # the layout below; a file written by another layout is rebuilt from Chroma

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, content_hash TEXT);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, start INTEGER NOT NULL,
    len INTEGER NOT NULL, english INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id, start);
CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, term TEXT UNIQUE NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(terms, tokenize = 'ascii');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_postings USING fts5vocab(fts, 'instance');
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
_TABLES = ("meta", "docs", "chunks", "terms", "fts", "quoted", "statements", "aliases")


def _index_terms(title: str, text: str) -> list[str]:
    return terms(title + "\n" + text)


class Lexicon:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=60, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.RLock()  # one connection; a bot may answer from several threads
        self._stats: tuple[int, float, Any] | None = None  # chunks, average length, length by rowid
        known = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if known and ("meta" not in known or self._meta("engine") != ENGINE):
            # Written by an older layout: start empty; the first reader or ingest resyncs from Chroma.
            with self._lock:
                for (name,) in self.db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'fts_%' "
                        "AND name NOT LIKE 'sqlite_%'").fetchall():
                    self.db.execute(f"DROP TABLE IF EXISTS {name}")
        self.db.executescript(_SCHEMA)
        if self._meta("engine") != ENGINE:
            self._set_meta("engine", ENGINE)

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
            for table in _TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self._set_meta("engine", ENGINE)

    # ------------------------------------------------------------ writing

    @contextmanager
    def _transaction(self):
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            committed = False
            try:
                yield
                committed = True
            finally:
                try:
                    self.db.execute("COMMIT" if committed else "ROLLBACK")
                finally:
                    self.invalidate()

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

    def _term_ids(self, terms: Iterable[str], *, add: bool) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        if add:
            self.db.executemany("INSERT OR IGNORE INTO terms (term) VALUES (?)", ((t,) for t in terms))
        out: dict[str, int] = {}
        for i in range(0, len(terms), 500):
            part = terms[i : i + 500]
            out.update(self.db.execute(f"SELECT term, id FROM terms WHERE term IN ({','.join('?' * len(part))})", part))
        return out

    def _insert(self, doc_id: str, content_hash: str | None, rows: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        self.db.execute("INSERT OR REPLACE INTO docs (doc_id, content_hash) VALUES (?, ?)", (doc_id, content_hash))
        prepared = [(chunk_id, text, meta, _index_terms(meta.get("title", meta["doc_id"]), text))
                    for chunk_id, text, meta in rows]
        ids = self._term_ids((t for p in prepared for t in p[3]), add=True)
        rowid_of: dict[str, int] = {}
        for chunk_id, text, meta, tokens in prepared:
            cur = self.db.execute(
                "INSERT INTO chunks (chunk_id, doc_id, start, len, english) VALUES (?, ?, ?, ?, ?)",
                (chunk_id, doc_id, int(meta["start"]), len(tokens), int(detect_language(text) == "en")),
            )
            rowid = rowid_of[chunk_id] = cur.lastrowid
            self.db.execute("INSERT INTO fts (rowid, terms) VALUES (?, ?)", (rowid, " ".join(f"t{ids[t]}" for t in tokens)))
            speakers = {q["speaker"] for q in json.loads(meta.get("quotes") or "[]")}
            self.db.executemany("INSERT OR IGNORE INTO quoted (speaker, chunk) VALUES (?, ?)", ((s, rowid) for s in speakers))
            self.db.executemany("INSERT INTO aliases (alias, name, doc_id) VALUES (?, ?, ?)",
                                ((alias, name, doc_id) for alias, name in json.loads(meta.get("aliases") or "[]")))
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
        rowids = [r for (r,) in self.db.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
        for i in range(0, len(rowids), 500):
            part = rowids[i : i + 500]
            marks = ",".join("?" * len(part))
            for table, column in (("fts", "rowid"), ("quoted", "chunk")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", part)
        for table in ("chunks", "statements", "aliases", "docs"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

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

    def _statistics(self) -> tuple[int, float, Any]:
        """(chunks, their average length in terms, length by rowid), read once per change."""
        import numpy as np

        with self._lock:
            if self._stats is None:
                rows = self.db.execute("SELECT id, len FROM chunks").fetchall()
                lengths = np.zeros(max((r for r, _ in rows), default=0) + 1, dtype=np.int64)
                for rowid, length in rows:
                    lengths[rowid] = length
                n = len(rows)
                self._stats = (n, float(np.float64(lengths.sum()) / n) if n else 0.0, lengths)
            return self._stats

    @property
    def size(self) -> int:
        return self._statistics()[0]

    def bm25(self, tokens: Sequence[str], limit: int | None = None) -> list[tuple[int, float]]:
        """(chunk rowid, score) of the chunks scoring above zero, best first; a repeated token counts
        again, as in bm25s. With ``limit``, the chunks scoring at least the ``limit``-th best (ties at
        the cut included: rowids differ between an index built at once and one updated article by
        article, so they must not settle a tie)."""
        import numpy as np

        n, avg, lengths = self._statistics()
        ids = self._term_ids(tokens, add=False)
        if not n or not ids:
            return []
        per_term: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for token, term_id in ids.items():
            with self._lock:
                rows = self.db.execute("SELECT doc, COUNT(*) FROM fts_postings WHERE term = ? GROUP BY doc",
                                       (f"t{term_id}",)).fetchall()
            if rows:
                chunk, tf = (np.asarray(c, dtype=np.int64) for c in zip(*rows))
                idf = np.float32(np.log(1 + (n - len(chunk) + 0.5) / (len(chunk) + 0.5)))
                tfc = tf.astype(np.float32) / (K1 * ((1 - B) + B * lengths[chunk].astype(np.float64) / avg) + tf)
                per_term[token] = (chunk, (idf * tfc).astype(np.float32))
        if not per_term:
            return []
        union = np.unique(np.concatenate([c for c, _ in per_term.values()]))
        acc = np.zeros(len(union), dtype=np.float32)
        for token in tokens:  # in query order, in float32, as bm25s adds them up
            if token in per_term:
                chunk, scores = per_term[token]
                np.add.at(acc, np.searchsorted(union, chunk), scores)
        keep = acc > 0
        if limit is not None and limit > 0 and keep.sum() > limit:
            floor = np.partition(acc[keep], -limit)[-limit]
            keep &= acc >= floor
        order = np.argsort(-acc[keep], kind="stable")
        return list(zip(union[keep][order].tolist(), acc[keep][order].tolist()))

    def invalidate(self) -> None:
        """Forget what is kept from the file: another process wrote it."""
        with self._lock:
            self._stats = None

    def _pairs(self, key: str, value: str, keys: Sequence) -> dict:
        out: dict = {}
        keys = list(keys)
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            out.update(self.db.execute(f"SELECT {key}, {value} FROM chunks WHERE {key} IN ({','.join('?' * len(part))})", part))
        return out

    def english_share(self) -> float:
        """The share of chunks written in English."""
        return float(self.db.execute("SELECT COALESCE(AVG(english), 0) FROM chunks").fetchone()[0])

    def chunk_ids(self, rowids: Sequence[int]) -> dict[int, str]:
        """rowid -> chunk_id of the given chunks."""
        return self._pairs("id", "chunk_id", rowids)

    def rowids(self, chunk_ids: Sequence[str]) -> dict[str, int]:
        """chunk_id -> rowid of the given chunks."""
        return self._pairs("chunk_id", "id", chunk_ids)

    def df(self, term: str) -> int | None:
        """How many chunks hold ``term`` (title or text), or None when none does."""
        ids = self._term_ids([term], add=False)
        if term not in ids:
            return None
        row = self.db.execute("SELECT doc FROM fts_vocab WHERE term = ?", (f"t{ids[term]}",)).fetchone()
        return int(row[0]) if row and row[0] else None

    def vocabulary(self) -> Iterator[tuple[str, int]]:
        """(term, chunks holding it) for every term of the corpus."""
        sql = "SELECT t.term, v.doc FROM fts_vocab v JOIN terms t ON v.term = 't' || t.id"
        yield from self.db.execute(sql)

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

    def mentions(self, word: str) -> bool:
        """Whether any chunk holds ``word`` (folded) as an index term, in its own or its stemmed form."""
        return any(self.df(form) for form in dict.fromkeys((word, stem(word))))


def _sortkey(doc_id: str, start: int) -> str:
    return f"{doc_id}\x00{start:012d}"


class DocumentFrequencies(Mapping):
    """term -> number of chunks whose title and text contain it, read on demand."""

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
        return (term for term, n in self._lexicon.vocabulary() if n)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def items(self):
        return [(term, n) for term, n in self._lexicon.vocabulary() if n]


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
