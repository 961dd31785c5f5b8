"""Incremental sync of a corpus folder into the index, one article at a time.

Each article is committed on its own (an interruption loses at most the articles of the embedding
batch in flight, and the next run finishes them); unchanged articles are not re-embedded; unreadable
ones are reported and skipped, and what the index already held of them is kept. The lexicon
(index/lexicon.py) is updated with each article, right after Chroma.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index.articles import Article, ArticleError, read_article, scan_corpus
from index.chunking import chunk_article
from index.quotes import read_statements
from index.store import ChunkStore, IndexWriteError, dumps, sentence_id, storage_failure

PIPELINE_VERSION = "12"  # part of every article's fingerprint: bump when cleaning, chunking or quote extraction changes


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # indexed, with something to know
    chunks: int = 0
    sentences: int = 0
    tokens: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def lines(self) -> list[str]:
        out = [
            f"added {len(self.added)}, updated {len(self.updated)}, removed {len(self.removed)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)} "
            f"({self.chunks} chunks, {self.sentences} sentences embedded in {self.seconds:.1f}s)"
        ]
        for label, names in (("added", self.added), ("updated", self.updated), ("removed", self.removed)):
            out += [f"  {label}: {n}" for n in names]
        out += [f"  skipped: {n}: {why}" for n, why in self.skipped]
        out += [f"  note: {n}: {what}" for n, what in self.notes]
        return out


Progress = Callable[[int, int, str], None]


def fingerprint(article: Article, max_tokens: int) -> str:
    key = f"{PIPELINE_VERSION}|{max_tokens}|{article.source}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def ingest(
    corpus: Path,
    store: ChunkStore,
    embedder,
    *,
    max_tokens: int = 200,
    max_bytes: int | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    embed_batch: int = 256,
    batch_seconds: float = 1.0,
) -> IngestReport:
    """Sync ``corpus`` into ``store``. Sentences of consecutive changed articles are embedded in one
    call of up to ``embed_batch`` sentences (the embedder is several times faster on large batches
    than on one article's twenty), but never held back longer than ``batch_seconds`` or behind a large
    file; each article is then written on its own. Files over ``max_bytes`` are skipped."""
    started = time.perf_counter()
    report = IngestReport()
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    with _storage_errors(store):
        if rebuild:
            store.reset()
        # What the index holds of each article, read from the lexicon (one small table) once it mirrors
        # the collection: an unchanged corpus costs a hash per file, not a scan of Chroma's metadata.
        lexicon = store.lexicon
        current = store.generation()
        if lexicon.generation != current:
            lexicon.sync_from(store, current)
        held = lexicon.documents()
    listing = scan_corpus(corpus)
    report.skipped += listing.skipped
    files = listing.files
    seen: set[str] = set()
    generation: list[str] = []  # moved before the first change, so readers resync even if we stop midway
    pending: list[tuple[_Prepared, str, bool]] = []  # articles whose sentences are embedded together
    first_pending = [0.0]

    def changing() -> None:
        if not generation:
            generation.append(store.bump_generation())

    def flush() -> None:
        with _storage_errors(store):
            _flush(store, embedder, pending, report)

    for number, path in enumerate(files, 1):
        doc_id = path.relative_to(corpus).as_posix()
        seen.add(doc_id)
        if progress:
            progress(number, len(files), doc_id)
        if pending and (time.perf_counter() - first_pending[0] > batch_seconds or _large(path)):
            flush()  # what is ready lands before a slow article is read
        try:
            article = read_article(path, max_bytes=max_bytes)
        except ArticleError as exc:
            report.skipped.append((doc_id, str(exc)))
            continue
        if article.encoding != "utf-8":
            report.notes.append((doc_id, f"not UTF-8: decoded as {article.encoding}"))
        article = _with_doc_id(article, doc_id)
        digest = fingerprint(article, max_tokens)
        state = held.get(doc_id)
        if state == digest:
            report.unchanged.append(doc_id)
            continue
        with _storage_errors(store):
            changing()
            lexicon.mark_pending(doc_id)  # an ingest killed before this article's lexicon write redoes it
        if not pending:
            first_pending[0] = time.perf_counter()
        pending.append((_prepare(article, max_tokens), digest, bool(state)))
        if sum(len(p[0].spans) for p in pending) >= embed_batch:
            flush()
    flush()
    with _storage_errors(store):
        # Every collection and the lexicon are reconciled with the corpus: an article whose records a
        # killed ingest left behind, and whose file is gone since, is removed too.
        for doc_id in sorted((set(held) | store.held_doc_ids()) - seen):
            changing()
            store.delete_document(doc_id)
            lexicon.delete_document(doc_id)
            report.removed.append(doc_id)
        if generation:
            # Moved again at the end: a reader that mirrored the collection midway resyncs once more.
            lexicon.set_generation(store.bump_generation())
    report.seconds = time.perf_counter() - started
    return report


LARGE_FILE = 256 * 1024  # bytes: an article this big takes long enough to prepare to flush before it


def _large(path: Path) -> bool:
    try:
        return path.stat().st_size > LARGE_FILE
    except OSError:
        return False


@contextmanager
def _storage_errors(store: ChunkStore):
    """Turns a write the storage refused (disk full, read-only) into one IndexWriteError naming where."""
    try:
        yield
    except IndexWriteError:
        raise
    except Exception as exc:
        cause = storage_failure(exc)
        if cause is None:
            raise
        raise IndexWriteError(f"cannot write the index at {store.location}: {cause}") from exc


def _with_doc_id(article: Article, doc_id: str) -> Article:
    return article if article.doc_id == doc_id else replace(article, doc_id=doc_id)


@dataclass
class _Prepared:
    article: Article
    chunks: list
    quotes: list
    aliases: list
    sentences: dict
    spans: list


def _prepare(article: Article, max_tokens: int) -> _Prepared:
    chunks = chunk_article(article, max_tokens=max_tokens)
    quotes, aliases = read_statements(article)
    sentences = {}
    for chunk in chunks:
        for s in chunk.sentences:
            sentences.setdefault((s.start, s.end), (s, chunk.chunk_id))
    return _Prepared(article, chunks, quotes, aliases, sentences, sorted(sentences))


def sentences_to_embed(article: Article, max_tokens: int) -> tuple[list[str], int]:
    """The unique sentences ingest embeds for ``article``, and its number of chunks."""
    prepared = _prepare(article, max_tokens)
    return [prepared.sentences[span][0].text for span in prepared.spans], len(prepared.chunks)


def _flush(store: ChunkStore, embedder, pending: list, report: IngestReport) -> None:
    """Embed the pending articles' sentences in one call, then write each article."""
    if not pending:
        return
    texts = [p.sentences[span][0].text for p, _, _ in pending for span in p.spans]
    try:
        vectors = embedder.embed_passages(texts) if texts else []
    except Exception:
        # Embed article by article instead, so every article before a failing one still lands.
        vectors = None
    offset = 0
    for prepared, digest, existed in pending:
        n = len(prepared.spans)
        if vectors is None:
            own = embedder.embed_passages([prepared.sentences[s][0].text for s in prepared.spans]) if n else []
        else:
            own = vectors[offset : offset + n]
        offset += n
        _write(store, prepared, own, digest, report)
        (report.updated if existed else report.added).append(prepared.article.doc_id)
    pending.clear()


def _write(store: ChunkStore, prepared: _Prepared, vectors, digest: str, report: IngestReport) -> None:
    article, chunks, quotes, sentences, spans = (
        prepared.article, prepared.chunks, prepared.quotes, prepared.sentences, prepared.spans
    )
    vector_of = dict(zip(spans, vectors))

    base = {"doc_id": article.doc_id, "content_hash": digest, "title": article.title}
    for key in ("date", "date_iso", "outlet", "credit"):
        value = getattr(article, key)
        if value:
            base[key] = value

    sentence_rows = []
    for span in spans:
        sentence, chunk_id = sentences[span]
        meta = {**base, "chunk_id": chunk_id, "start": span[0], "end": span[1]}
        sentence_rows.append((sentence_id(article.doc_id, *span), sentence.text, meta, vector_of[span]))

    chunk_rows = []
    for chunk in chunks:
        inside = [q for q in quotes if q.start < chunk.end and q.end > chunk.start]
        meta = {
            **base,
            "chunk_index": chunk.index,
            "n_chunks": len(chunks),
            "start": chunk.start,
            "end": chunk.end,
            "n_tokens": chunk.n_tokens,
            "sentences": dumps([[s.start, s.end] for s in chunk.sentences]),
            "quotes": dumps(
                [
                    {
                        "speaker": q.speaker,
                        "named": q.named,
                        "kind": q.kind,
                        "start": q.start,
                        "end": q.end,
                        "words": [q.words_start, q.words_end],
                    }
                    for q in inside
                ]
            ),
        }
        if chunk.index == 0 and prepared.aliases:
            meta["aliases"] = dumps(prepared.aliases)  # nicknames the article declares, for the whole archive
        speakers = sorted({q.speaker for q in inside})
        if speakers:
            meta["speakers"] = speakers  # Chroma filters lists with $contains
        vector = np.mean([vector_of[(s.start, s.end)] for s in chunk.sentences], axis=0)
        vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
        chunk_rows.append((chunk.chunk_id, chunk.text, meta, vector))

    store.write_document(article.doc_id, chunk_rows, sentence_rows)
    store.lexicon.write_document(article.doc_id, digest, [(r[0], r[1], r[2]) for r in chunk_rows])
    report.chunks += len(chunk_rows)
    report.sentences += len(sentence_rows)
    report.tokens += sum(c.n_tokens for c in chunks)

