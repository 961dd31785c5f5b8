"""Chroma server mode against a real `chroma run` on 127.0.0.1: ingest, ask and re-ingest through
HttpClient give what the embedded index gives; a server that is down is one clear line, exit 2."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.app import Warta
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Apa kata Rina Wulandari?",
    "What did Tom Baker say?",
    "Siapa yang mengatakan pelabuhan akan memangkas biaya logistik?",
    "How many boats already use the harbour?",
    "Apa kata Joko Widodo?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chroma_bin() -> str:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else (shutil.which("chroma") or "chroma")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "wb")
    proc = subprocess.Popen(
        [_chroma_bin(), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, ANONYMIZED_TELEMETRY="False"),
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"chroma run did not come up: {(data / 'server.log').read_text(errors='replace')[-2000:]}")
        time.sleep(0.3)
    yield "127.0.0.1", port
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


class CountingEmbedder:
    """Wraps the real embedder and counts passages embedded."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dim = inner.name, inner.dim
        self.batch_size = getattr(inner, "batch_size", 32)
        self.passages = 0

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def _app(embedder, corpus: Path, state: Path, host: str | None = None, port: int = 8000, collection: str = "warta"):
    settings = Settings(
        WARTA_CORPUS=str(corpus), WARTA_INDEX_DIR=str(state), WARTA_STATE_DIR=str(state), CHROMA_HOST=host or "",
        CHROMA_PORT=port, WARTA_COLLECTION=collection, WARTA_LLM="none",
    )
    return Warta(settings, embedder=embedder)


def _answers(app) -> list[dict]:
    out = []
    for q in QUESTIONS:
        a = app.answer(q).to_dict()
        a.pop("latency_ms")
        out.append(a)
    return out


def test_server_mode_matches_embedded_and_reingests_nothing(chroma_server, small_corpus, tmp_path, e5_embedder):
    host, port = chroma_server
    embedded = _app(e5_embedder, small_corpus, tmp_path / "embedded")
    embedded.ingest()

    embedder = CountingEmbedder(e5_embedder)
    server = _app(embedder, small_corpus, tmp_path / "state", host, port, collection="matches")
    first = server.ingest()
    assert sorted(first.added) == ["a.txt", "b.md"]
    import chromadb

    seen_by_server = chromadb.HttpClient(host=host, port=port).get_collection("matches_chunks", embedding_function=None)
    assert seen_by_server.count() == embedded.store.count() > 0  # the records live in the server
    assert _answers(server) == _answers(embedded)

    embedded_before = embedder.passages
    again = server.ingest()
    assert sorted(again.unchanged) == ["a.txt", "b.md"] and not again.changed
    assert embedder.passages == embedded_before  # nothing re-embedded
    assert _answers(server) == _answers(embedded)


def test_a_second_replica_sees_what_another_ingested(chroma_server, small_corpus, tmp_path, e5_embedder):
    """Two bot replicas on one server, each with its own state folder: the reader's lexicon follows
    the collection's generation, re-reading only the articles that changed."""
    host, port = chroma_server
    writer = _app(e5_embedder, small_corpus, tmp_path / "writer", host, port, collection="replicas")
    writer.ingest()
    reader = _app(e5_embedder, small_corpus, tmp_path / "reader", host, port, collection="replicas")
    assert _answers(reader) == _answers(writer)

    (small_corpus / "b.md").write_text(
        (small_corpus / "b.md").read_text(encoding="utf-8").replace("40 boats", "55 boats"), encoding="utf-8"
    )
    report = writer.ingest()
    assert report.updated == ["b.md"]
    lexicon = reader.store.lexicon
    calls = []
    original = lexicon.sync_from
    lexicon.sync_from = lambda store, generation: calls.append(original(store, generation)) or calls[-1]
    answer = reader.answer("How many boats already use the harbour?")
    assert calls == [["b.md"]]  # only the changed article was re-read
    assert "55 boats" in answer.answer


def test_a_server_that_is_down_is_one_clear_error(tmp_path, small_corpus):
    port = _free_port()  # nothing listens here
    env = dict(os.environ, CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(port), WARTA_INDEX_DIR=str(tmp_path),
               WARTA_CORPUS=str(small_corpus), WARTA_LLM="none")
    for argv in (["ask", "Apa kata Rina Wulandari?"], ["ingest"]):
        done = subprocess.run([sys.executable, "-m", "bot.cli", *argv], env=env, capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
        assert done.returncode == 2, done.stderr
        assert f"127.0.0.1:{port}" in done.stderr
        assert "Traceback" not in done.stderr
        assert "chroma run" in done.stderr
        assert not re.search(r"\b[A-Z]\w*(?:Error|Exception)\b", done.stderr), done.stderr  # words, not class names


def test_writers_with_their_own_state_folders_share_one_lock_on_the_server(chroma_server, small_corpus, tmp_path,
                                                                            e5_embedder):
    from index.lock import IndexLocked, ServerWriterLock
    from index.store import open_client

    host, port = chroma_server
    first = _app(e5_embedder, small_corpus, tmp_path / "first", host, port, collection="locked")
    second = _app(e5_embedder, small_corpus, tmp_path / "second", host, port, collection="locked")
    held = first.writer_lock()
    held.acquire()
    try:
        with pytest.raises(IndexLocked, match=f"on the server .*pid {os.getpid()}"):
            second.ingest()
    finally:
        held.release()
    assert sorted(second.ingest().added) == ["a.txt", "b.md"]

    # A writer that died holding it: its lock stops counting once its beat is older than STALE.
    client = open_client(second.settings.store_config())
    client.create_collection("locked_writer", embedding_function=None,
                             metadata={"pid": 1, "host": "gone", "command": "warta ingest", "since": 0.0,
                                       "beat": time.time() - ServerWriterLock.STALE - 1})
    assert sorted(second.ingest().unchanged) == ["a.txt", "b.md"]
