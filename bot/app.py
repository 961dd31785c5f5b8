"""Wiring: settings in, a ready index and answer path out. Every front-end goes through here."""

from __future__ import annotations

import threading
from pathlib import Path

from bot.config import Settings


class Warta:
    """One configured Warta. The parts it builds from ``settings`` on first use can be given instead
    (tests, benchmarks, and several apps sharing one index): ``embedder``, ``store``, ``chat_model``."""

    def __init__(self, settings: Settings | None = None, *, embedder=None, store=None, chat_model=None) -> None:
        self.settings = settings if settings is not None else Settings()
        self._embedder = embedder
        self._store = store
        self._searcher = None
        self._chat_model = chat_model
        self._generative = None
        # Answering runs in several threads (bot/telegram/): the model is built once, by the first.
        self._build = threading.RLock()

    @property
    def embedder(self):
        if self._embedder is None:
            from index.embeddings import make_embedder

            self._embedder = make_embedder(self.settings.embedder, self.settings.embedder_options())
        return self._embedder

    @property
    def store(self):
        if self._store is None:
            from index.store import open_store

            self._store = open_store(self.settings.store_config(), self.embedder, read_only=True)
        return self._store

    @property
    def searcher(self):
        if self._searcher is None:
            from retrieval.search import Searcher

            self._searcher = Searcher(self.store, self.embedder)
        return self._searcher

    def writer_lock(self):
        """The writers' lock: a file beside the index, and with a Chroma server one on the server too."""
        from index.lock import ServerWriterLock, WriterLock, WriterLocks
        from index.store import open_client

        config = self.settings.store_config()
        locks = [WriterLock(config.lock_path())]
        if config.host:
            locks.append(ServerWriterLock(open_client(config), f"{config.collection}_writer"))
        return WriterLocks(*locks)

    def ingest(self, corpus: Path | None = None, *, rebuild: bool = False, progress=None, wait: float = 0.0):
        """Sync the corpus into the index, as the one writer (a second one waits ``wait`` seconds, then
        IndexLocked names the holder)."""
        from index.ingest import ingest
        from index.store import IndexWriteError, open_store, served_config, storage_failure

        config = self.settings.store_config()
        served_config(config, read_only=False)  # read-only storage: one IndexWriteError, before any work
        lock = self.writer_lock()
        try:
            lock.acquire(wait)
        except OSError as exc:
            raise IndexWriteError(f"cannot write the index at {lock.path.parent}: {storage_failure(exc) or exc}") from None
        try:
            if rebuild or self._store is None or self._store.read_only:
                self._store = open_store(config, self.embedder, rebuild=rebuild)
                self._searcher = None
            report = ingest(
                corpus or self.settings.corpus,
                self._store,
                self.embedder,
                max_tokens=self.settings.chunk_tokens,
                max_bytes=self.settings.max_article_bytes,
                rebuild=rebuild,
                progress=progress,
            )
        finally:
            lock.release()
        if self._searcher is not None:
            self._searcher.refresh()
        return report

    def ensure_index(self, progress=None):
        """Ingest the configured corpus when the index is empty, so a first question just works; while
        another process is building it, IndexBusy says so instead of building it a second time."""
        from index.lock import describe_holder
        from index.store import IndexBusy

        if self.store.count() > 0:
            return None
        holder = self.writer_lock().holder()
        if holder is not None:
            raise IndexBusy(f"the index is being built ({describe_holder(holder)}); ask again when it is done")
        return self.ingest(progress=progress)

    @property
    def chat_model(self):
        """The LangChain chat model WARTA_LLM selects (bot.llm), or None for the extractive answerer."""
        if self._chat_model is None and self.settings.llm.strip().lower() != "none":
            from bot.llm import make_chat_model

            with self._build:
                if self._chat_model is None:
                    self._chat_model = make_chat_model(self.settings)
        return self._chat_model

    @property
    def answerer(self):
        """The generative answerer when a model is configured, else None (the extractive one)."""
        if self._generative is None and self.chat_model is not None:
            from retrieval.generative import GenerativeAnswerer

            with self._build:
                if self._generative is None:
                    self._generative = GenerativeAnswerer(
                        self.chat_model, max_context_tokens=self.settings.max_context_tokens,
                        timeout=self.settings.llm_timeout,
                    )
        return self._generative

    def answer(self, question: str, *, k: int | None = None, shown=()):
        from retrieval.answer import answer

        return answer(question, self.searcher, k=k or self.settings.top_k, answerer=self.answerer, shown=shown)

    def turn_deadline(self):
        """The clock of one chat turn: its model calls (rewrite, answer) share WARTA_LLM_TIMEOUT."""
        from retrieval.generative import Deadline

        return Deadline(self.settings.llm_timeout)

    def answer_stream(self, question: str, *, k: int | None = None, shown=(), deadline=None):
        """Text pieces as they come (a model's sentences, each once it has passed the guard), then the
        final ``Answer``, which replaces them and is what to keep. Without a model: the answer's text once,
        then the Answer. ``deadline``: the turn's (``turn_deadline``), else WARTA_LLM_TIMEOUT for the answer."""
        import time

        from retrieval.answer import Answer
        from retrieval.extractive import answer_extractively

        started = time.perf_counter()
        k = k or self.settings.top_k
        searcher = self.searcher.pinned()  # one look at the index generation for the whole question
        if self.answerer is None:
            items = iter([answer_extractively(question, searcher, k=k, shown=shown)])
        else:
            items = self.answerer.stream(question, searcher, k=k, shown=shown, deadline=deadline)
        for item in items:
            if isinstance(item, Answer):
                item.latency_ms = round((time.perf_counter() - started) * 1000, 1)
                if self.answerer is None:
                    yield item.answer
                yield item
                return
            yield item

    def standalone_question(self, question: str, history, *, deadline=None) -> str:
        """``question`` rewritten to stand on its own given the chat's earlier turns (``bot.conversation.Turn``,
        oldest first): without an LLM, the last speaker or subject is carried over (``carry_over``), as it
        is when the model fails or the turn's ``deadline`` passes."""
        from bot.conversation import carry_over

        if history and self.chat_model is not None:
            # With a model, the rewrite prompt (prompts/rewrite.txt); the carry-over if the model fails.
            import logging

            from retrieval.generative import rewrite_question

            try:
                rewritten = rewrite_question(self.chat_model, question, history, timeout=self.settings.llm_timeout,
                                             deadline=deadline)
                if rewritten != question:
                    return rewritten
            except Exception as exc:  # noqa: BLE001
                logging.getLogger(__name__).info("question rewrite failed, carrying over instead: %s", exc)
        return carry_over(question, history, is_person=self.is_quoted)

    def is_quoted(self, name: str) -> bool:
        """Whether the articles quote someone this name fits ("Keleman" yes, "Taiwan" no)."""
        return bool(self.searcher.corpus.speakers_matching(name))
