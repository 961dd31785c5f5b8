"""Wiring: settings in, a ready index and answer path out. Every front-end goes through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings


@dataclass
class Warta:
    settings: Settings
    _embedder: object = field(default=None, init=False)
    _store: object = field(default=None, init=False)
    _searcher: object = field(default=None, init=False)
    _chat_model: object = field(default=None, init=False)
    _generative: object = field(default=None, init=False)

    @property
    def embedder(self):
        if self._embedder is None:
            from index.embeddings import make_embedder

            self._embedder = make_embedder(self.settings.embedder)
        return self._embedder

    @property
    def store(self):
        if self._store is None:
            from index.store import open_store

            self._store = open_store(self.settings.store_config(), self.embedder)
        return self._store

    @property
    def searcher(self):
        if self._searcher is None:
            from retrieval.search import Searcher

            self._searcher = Searcher(self.store, self.embedder)
        return self._searcher

    def ingest(self, corpus: Path | None = None, *, rebuild: bool = False, progress=None):
        from index.ingest import ingest
        from index.store import open_store

        if rebuild:
            self._store = open_store(self.settings.store_config(), self.embedder, rebuild=True)
            self._searcher = None
        report = ingest(
            corpus or self.settings.corpus,
            self.store,
            self.embedder,
            max_tokens=self.settings.chunk_tokens,
            progress=progress,
        )
        if self._searcher is not None:
            self._searcher.refresh()
        return report

    def ensure_index(self, progress=None):
        """Ingest the configured corpus when the index is empty, so a first question just works."""
        if self.store.count() == 0:
            return self.ingest(progress=progress)
        return None

    @property
    def chat_model(self):
        """The LangChain chat model WARTA_LLM selects (bot.llm), or None for the extractive answerer."""
        if self._chat_model is None and self.settings.llm.strip().lower() != "none":
            from bot.llm import make_chat_model

            self._chat_model = make_chat_model(self.settings)
        return self._chat_model

    @property
    def answerer(self):
        """The generative answerer when a model is configured, else None (the extractive one)."""
        if self._generative is None and self.chat_model is not None:
            from retrieval.generative import GenerativeAnswerer

            self._generative = GenerativeAnswerer(
                self.chat_model, max_context_tokens=self.settings.max_context_tokens, timeout=self.settings.llm_timeout
            )
        return self._generative

    def answer(self, question: str, *, k: int | None = None, shown=()):
        from retrieval.answer import answer

        return answer(question, self.searcher, k=k or self.settings.top_k, answerer=self.answerer, shown=shown)

    def answer_stream(self, question: str, *, k: int | None = None, shown=()):
        """Text pieces as they come (a model's sentences, each once it has passed the guard), then the
        final ``Answer``, which replaces them and is what to keep. Without a model: the answer's text once,
        then the Answer."""
        import time

        from retrieval.answer import Answer
        from retrieval.extractive import answer_extractively

        started = time.perf_counter()
        k = k or self.settings.top_k
        if self.answerer is None:
            items = iter([answer_extractively(question, self.searcher, k=k, shown=shown)])
        else:
            items = self.answerer.stream(question, self.searcher, k=k, shown=shown)
        for item in items:
            if isinstance(item, Answer):
                item.latency_ms = round((time.perf_counter() - started) * 1000, 1)
                if self.answerer is None:
                    yield item.answer
                yield item
                return
            yield item

    def standalone_question(self, question: str, history) -> str:
        """``question`` rewritten to stand on its own given the chat's earlier turns (``bot.conversation.Turn``,
        oldest first): without an LLM, the last speaker or subject is carried over (``carry_over``)."""
        from bot.conversation import carry_over

        if history and self.chat_model is not None:
            # With a model, the rewrite prompt (prompts/rewrite.txt); the carry-over if the model fails.
            import logging

            from retrieval.generative import rewrite_question

            try:
                rewritten = rewrite_question(self.chat_model, question, history, timeout=self.settings.llm_timeout)
                if rewritten != question:
                    return rewritten
            except Exception as exc:  # noqa: BLE001
                logging.getLogger(__name__).info("question rewrite failed, carrying over instead: %s", exc)
        return carry_over(question, history, is_person=self.is_quoted)

    def is_quoted(self, name: str) -> bool:
        """Whether the articles quote someone this name fits ("Keleman" yes, "Taiwan" no)."""
        from index.quotes import speaker_matches

        return any(speaker_matches(name, speaker) for speaker in self.searcher.corpus.speakers)
