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

    def answer(self, question: str, *, k: int | None = None):
        from retrieval.answer import answer

        return answer(question, self.searcher, k=k or self.settings.top_k)
