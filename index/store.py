"""Chroma, embedded or as a server, holding two collections built from one set of vectors:

* ``<name>_chunks``: one record per chunk (the retrieval unit the answer cites), through langchain-chroma;
* ``<name>_sentences``: one record per sentence, so the answerer can rank single sentences.

Sentences are what gets embedded; a chunk's vector is the normalised mean of its sentences', so
both levels cost one pass of the embedder. We always pass our own vectors: Chroma's default
embedding function would download a model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

SCHEMA = 1  # bump when what is stored changes; an older index must be rebuilt


class StoreError(Exception):
    pass


class StoreUnavailable(StoreError):
    pass


class IndexMismatch(StoreError):
    pass


class IndexWriteError(StoreError):
    """A write to the index failed for a reason outside Warta (disk full, read-only storage)."""


class IndexBusy(StoreError):
    """The index is empty and another process is building it."""


_STORAGE_CAUSES = (
    (("disk is full", "no space left", "errno 28", "enospc", "(code: 13)"), "no space left on the device"),
    (("readonly", "read-only", "errno 30", "erofs", "(code: 8)"), "read-only storage"),
    (("permission denied", "errno 13", "eacces"), "permission denied"),
    (("disk i/o error", "(code: 10)", "errno 5"), "I/O error"),
    (("quota exceeded", "errno 122"), "disk quota exceeded"),
)


def storage_failure(exc: BaseException) -> str | None:
    """The cause, in words, when ``exc`` (SQLite, Chroma or the OS) says the storage refused a write."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT, errno.EIO):
        return {errno.ENOSPC: "no space left on the device", errno.EROFS: "read-only storage",
                errno.EACCES: "permission denied", errno.EDQUOT: "disk quota exceeded"}.get(exc.errno, "I/O error")
    text = str(exc).lower()
    for needles, cause in _STORAGE_CAUSES:
        if any(n in text for n in needles):
            return cause
    return None


def writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (made if missing): a real try, since permission bits
    say nothing about a read-only mount and root passes every access check."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class StoreConfig:
    path: Path | None = None  # embedded PersistentClient folder
    host: str | None = None  # a `chroma run` server; wins over path when set
    port: int = 8000
    collection: str = "warta"
    state: Path | None = None  # where a server's lexicon mirror lives (embedded: inside ``path``)

    def describe(self) -> str:
        return f"Chroma server {self.host}:{self.port}" if self.host else f"Chroma at {self.path}"

    def lexicon_path(self) -> Path:
        """The lexicon (index/lexicon.py) that mirrors this collection: next to Chroma's own files
        when embedded; for a server, in the local state folder, one file per server and collection."""
        if self.host:
            folder = self.state or self.path or Path(".warta")
            safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in f"{self.host}-{self.port}")
            return Path(folder) / f"lexicon-{safe}-{self.collection}.sqlite3"
        if self.path is None:
            raise StoreError("no index folder (WARTA_INDEX_DIR) and no CHROMA_HOST")
        return Path(self.path) / f"warta-lexicon-{self.collection}.sqlite3"

    def lock_path(self) -> Path:
        """The writers' lock file (index/lock.py), beside the lexicon."""
        lexicon = self.lexicon_path()
        return lexicon.with_name(lexicon.name.replace("lexicon", "ingest", 1).removesuffix(".sqlite3") + ".lock")


def open_client(config: StoreConfig):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if config.host:
        try:
            client = chromadb.HttpClient(host=config.host, port=config.port, settings=settings)
            client.heartbeat()
        except Exception:  # noqa: BLE001 - connection errors come in many types
            raise StoreUnavailable(
                f"cannot reach the Chroma server at {config.host}:{config.port}; "
                f"start it with `chroma run --path DIR --host {config.host} --port {config.port}` "
                "or unset CHROMA_HOST to use the embedded index"
            ) from None
        return client
    if config.path is None:
        raise StoreError("no index folder (WARTA_INDEX_DIR) and no CHROMA_HOST")
    return chromadb.PersistentClient(path=str(config.path), settings=settings)


def served_config(config: StoreConfig, *, read_only: bool) -> StoreConfig:
    """``config`` itself, or for an embedded index on storage that cannot be written, a private copy of
    it when only reading (Chroma cannot open its files read-only) and an IndexWriteError otherwise."""
    from dataclasses import replace

    if config.host or config.path is None or writable(Path(config.path)):
        return config
    path = Path(config.path)
    if not read_only:
        raise IndexWriteError(f"cannot write the index at {path}: read-only storage")
    if not (path / "chroma.sqlite3").is_file():
        raise StoreError(f"there is no index at {path}, and it cannot be created there (read-only storage)")
    return replace(config, path=_private_copy(path))


def _private_copy(path: Path) -> Path:
    """A copy of a read-only index in the temporary folder, removed at exit. The lexicon inside it is
    copied too, so both stay the same snapshot."""
    import atexit
    import shutil
    import tempfile

    copy = Path(tempfile.mkdtemp(prefix="warta-readonly-")) / "chroma"
    shutil.copytree(path, copy, ignore=shutil.ignore_patterns("*.lock"))
    atexit.register(shutil.rmtree, copy.parent, True)
    return copy


def langchain_embeddings(embedder):
    """Our embedder seen through LangChain's Embeddings interface (passages and queries keep their roles)."""
    from langchain_core.embeddings import Embeddings

    class WartaEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    return WartaEmbeddings()


def _reading(method):
    """A collection dropped under a reader (a rebuild with another embedder) is one clear StoreError."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        from chromadb.errors import NotFoundError

        try:
            return method(self, *args, **kwargs)
        except NotFoundError:
            raise StoreError(f"the index at {self.location} was removed while in use (rebuilt?); ask again") from None

    return wrapper


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, Any]


class ChunkStore:
    def __init__(
        self, client, embedder_name: str, collection: str = "warta", embedder=None, lexicon_path: Path | None = None,
        *, read_only: bool = False, location: str = "the index",
    ) -> None:
        self.client = client
        self.read_only = read_only  # served from a private copy of a read-only index: never written
        self.location = location  # named in errors: the folder or host:port
        self.embedder_name = embedder_name
        self._embedder = embedder
        self._names = collection_names(collection)
        self._lexicon_path = lexicon_path
        self._lexicon = None
        self._vectorstore = None
        self._open()

    def _open(self) -> None:
        # The collections are opened directly (importing langchain-chroma would slow every cold start);
        # ``vectorstore`` gives the same chunks collection through LangChain when wanted.
        meta = {"embedder": self.embedder_name, "schema": SCHEMA}
        config = {"hnsw": {"space": "cosine"}}
        self.chunks = self.client.get_or_create_collection(
            self._names[0], embedding_function=None, metadata=meta, configuration=config
        )
        self.sentences = self.client.get_or_create_collection(
            self._names[1], embedding_function=None, metadata=meta, configuration=config
        )
        self._vectorstore = None
        self._check(self.chunks.metadata or {})

    @property
    def vectorstore(self):
        """The chunks collection as a langchain-chroma vector store (same collection, our embedder)."""
        if self._vectorstore is None:
            from langchain_chroma import Chroma

            adapter = langchain_embeddings(self._embedder) if self._embedder is not None else None
            self._vectorstore = Chroma(
                client=self.client,
                collection_name=self._names[0],
                embedding_function=adapter,
                collection_metadata=self.chunks.metadata,
            )
        return self._vectorstore

    @property
    def lexicon(self):
        """BM25 and the answerer's corpus statistics, persisted beside the collection (index/lexicon.py)."""
        if self._lexicon is None:
            from index.lexicon import Lexicon

            if self._lexicon_path is None:
                raise StoreError("this store has no lexicon file")
            self._lexicon = Lexicon(self._lexicon_path)
        return self._lexicon

    @_reading
    def generation(self) -> str | None:
        """The token ingest moves whenever the collection changes (read fresh: another process may write)."""
        meta = self.client.get_collection(self._names[0], embedding_function=None).metadata or {}
        return meta.get("generation")

    def bump_generation(self) -> str:
        import uuid

        generation = uuid.uuid4().hex
        meta = dict(self.client.get_collection(self._names[0], embedding_function=None).metadata or {})
        meta["generation"] = generation
        self.chunks.modify(metadata=meta)
        return generation

    def _check(self, meta: dict) -> None:
        built_with = meta.get("embedder")
        if built_with and built_with != self.embedder_name:
            raise IndexMismatch(
                f"the index was built with the embedder {built_with!r}, but WARTA_EMBEDDER selects "
                f"{self.embedder_name!r}; run `warta ingest --rebuild` to re-embed the corpus"
            )
        if meta.get("schema", SCHEMA) != SCHEMA:
            raise IndexMismatch("the index was built by an older Warta; run `warta ingest --rebuild`")

    def reset(self) -> None:
        """Empty the index, keeping its collections: a reader that has them open while a rebuild runs
        sees fewer records, never a collection that is gone."""
        for collection in (self.sentences, self.chunks):
            while ids := collection.get(include=[], limit=5000)["ids"]:
                collection.delete(ids=ids)
        if self._lexicon_path is not None:
            self.lexicon.clear()

    def held_doc_ids(self) -> set[str]:
        """Every article with a record in either collection (ids carry the doc_id: ``doc#n``, ``doc@s-e``)."""
        held = {i.rsplit("#", 1)[0] for i in self.chunks.get(include=[])["ids"]}
        held |= {i.rsplit("@", 1)[0] for i in self.sentences.get(include=[])["ids"]}
        return held

    # ------------------------------------------------------------ writing

    def documents(self) -> dict[str, dict[str, Any]]:
        """doc_id -> {content_hash, n_chunks, present}: what the index holds of each article."""
        got = self.chunks.get(include=["metadatas"])
        docs: dict[str, dict[str, Any]] = {}
        for meta in got["metadatas"] or []:
            state = docs.setdefault(
                meta["doc_id"], {"hashes": set(), "n_chunks": meta.get("n_chunks", 0), "present": 0}
            )
            state["hashes"].add(meta.get("content_hash"))
            state["present"] += 1
        return {
            doc: {
                "content_hash": next(iter(s["hashes"])) if len(s["hashes"]) == 1 else None,
                "complete": len(s["hashes"]) == 1 and s["present"] == s["n_chunks"],
            }
            for doc, s in docs.items()
        }

    def write_document(
        self,
        doc_id: str,
        chunk_rows: Sequence[tuple[str, str, dict[str, Any], np.ndarray]],
        sentence_rows: Sequence[tuple[str, str, dict[str, Any], np.ndarray]],
    ) -> None:
        """Replace one article: upsert its new records first, then delete what is left of the old.

        Ids are deterministic, so running this again after an interruption converges on the same
        records with no duplicates.
        """
        for collection, rows in ((self.sentences, sentence_rows), (self.chunks, chunk_rows)):
            if rows:
                collection.upsert(
                    ids=[r[0] for r in rows],
                    # The text is kept once, with the chunks; a sentence is a span of its chunk.
                    documents=[r[1] for r in rows] if collection is self.chunks else None,
                    metadatas=[r[2] for r in rows],
                    embeddings=np.vstack([r[3] for r in rows]).tolist(),
                )
            keep = {r[0] for r in rows}
            old = collection.get(where={"doc_id": doc_id}, include=[])["ids"]
            stale = [i for i in old if i not in keep]
            if stale:
                collection.delete(ids=stale)

    def delete_document(self, doc_id: str) -> None:
        # Sentences first: while any chunk is left the document is still listed, so an interrupted
        # removal is finished by the next run.
        for collection in (self.sentences, self.chunks):
            collection.delete(where={"doc_id": doc_id})

    # ------------------------------------------------------------ reading

    @_reading
    def count(self) -> int:
        return self.chunks.count()

    @_reading
    def all_chunks(self) -> list[StoredChunk]:
        got = self.chunks.get(include=["documents", "metadatas"])
        return [StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]

    @_reading
    def chunks_by_id(self, ids: Sequence[str]) -> list[StoredChunk]:
        got = self.chunks.get(ids=list(ids), include=["documents", "metadatas"]) if ids else {"ids": []}
        return [StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got.get("documents") or [], got.get("metadatas") or [])]

    @_reading
    def chunks_of(self, doc_id: str) -> list[StoredChunk]:
        got = self.chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        found = [StoredChunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(found, key=lambda c: int(c.metadata["start"]))

    @_reading
    def search_chunks(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity), best first (the query langchain-chroma's
        similarity_search_by_vector_with_relevance_scores makes, without fetching the texts)."""
        if k <= 0:
            return []
        got = self.chunks.query(query_embeddings=[vector.tolist()], n_results=k, where=where, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]

    @_reading
    def search_sentences(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        if k <= 0:
            return []
        got = self.sentences.query(query_embeddings=[vector.tolist()], n_results=k, where=where, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]

    def all_vectors(self, which: str, generation: str | None = None) -> tuple[list[str], np.ndarray, list[dict]]:
        """(ids, vectors, metadata) of every record of the "chunks" or the "sentences" collection.

        Kept in a file beside the lexicon, keyed by the collection's generation (read here unless the
        caller has it): reading tens of thousands of vectors back from Chroma is most of a cold start,
        loading them from the file is not."""
        generation = generation or self.generation()
        cache = self._vector_cache(which)
        if cache is not None and generation is not None:
            try:
                with np.load(cache, allow_pickle=False) as saved:
                    if str(saved["generation"]) == generation:
                        return list(saved["ids"]), saved["vectors"], json.loads(str(saved["metas"]))
            except (OSError, ValueError, KeyError):
                pass  # missing, partly written or of another layout: read Chroma and write it again
        ids, vectors, metas = self._read_vectors(which)
        if cache is not None and generation is not None and not self.read_only and ids:
            try:
                partial = cache.with_name(cache.name + f".{os.getpid()}.tmp")
                with open(partial, "wb") as out:
                    np.savez(out, generation=np.array(generation), ids=np.array(ids), vectors=vectors,
                             metas=np.array(json.dumps(metas)))
                os.replace(partial, cache)
            except OSError:
                pass  # a read-only folder: the next start reads Chroma again
        return ids, vectors, metas

    def _vector_cache(self, which: str) -> Path | None:
        if self._lexicon_path is None:
            return None
        return self._lexicon_path.with_name(self._lexicon_path.name.replace("lexicon", f"vectors-{which}", 1)
                                            .removesuffix(".sqlite3") + ".npz")

    @_reading
    def _read_vectors(self, which: str) -> tuple[list[str], np.ndarray, list[dict]]:
        collection = self.chunks if which == "chunks" else self.sentences
        ids: list[str] = []
        parts: list[np.ndarray] = []
        metas: list[dict] = []
        offset = 0
        while True:
            got = collection.get(include=["embeddings", "metadatas"], limit=5000, offset=offset)
            if not got["ids"]:
                break
            ids += got["ids"]
            parts.append(np.asarray(got["embeddings"], dtype=np.float32))
            metas += got["metadatas"]
            offset += len(got["ids"])
        vectors = np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)
        return ids, vectors, metas

    @_reading
    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        got = self.sentences.get(ids=list(ids), include=["embeddings"])
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"])}


def sentence_id(doc_id: str, start: int, end: int) -> str:
    """A sentence's id in the sentences collection: its article and span."""
    return f"{doc_id}@{start}-{end}"


def sentence_span(sentence_id: str) -> tuple[str, int, int]:
    """(doc_id, start, end) of a ``sentence_id``."""
    doc_id, _, span = sentence_id.rpartition("@")
    start, end = span.split("-")
    return doc_id, int(start), int(end)


def collection_names(collection: str) -> tuple[str, str]:
    return (f"{collection}_chunks", f"{collection}_sentences")


def drop_collections(client, names: Sequence[str]) -> None:
    for name in names:
        try:
            client.delete_collection(name)
        except Exception:  # noqa: BLE001 - absent already
            pass


def open_store(config: StoreConfig, embedder, *, rebuild: bool = False, read_only: bool = False) -> ChunkStore:
    """The store for this embedder; ``rebuild`` drops an index built by another embedder first.
    ``read_only``: for answering only (see ``served_config``)."""
    location = f"{config.host}:{config.port}" if config.host else str(config.path)
    served = served_config(config, read_only=read_only)
    copied, config = served is not config, served
    client = open_client(config)

    def store() -> ChunkStore:
        return ChunkStore(client, embedder.name, collection=config.collection, embedder=embedder,
                          lexicon_path=config.lexicon_path(), read_only=copied, location=location)

    try:
        return store()
    except IndexMismatch:
        if not rebuild:
            raise
        drop_collections(client, collection_names(config.collection))
        opened = store()
        opened.lexicon.clear()
        return opened


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
