"""Many chats at once: turns run in parallel (no lock across a model call), and what several threads
share on the answer path (the history store, Chroma, the embedder) gives each the same results as
one thread alone."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from bot.conversation import Conversations, HistoryStore
from evals.bench import send_completion
from retrieval.answer import Answer, Citation
from tests.conftest import in_threads
from test_generative import QUESTIONS, http_standin, openai_app  # noqa: F401 (fixture)


def slow_model(handler, release) -> None:
    """An OpenAI-compatible reply after 1 s (any reply: a fallback times the same)."""
    time.sleep(1.0)
    send_completion(handler, "Sumber tidak memuat jawabannya.")


def test_eight_chats_at_once_take_about_one_model_call(corpus_app, http_standin, tmp_path):  # noqa: F811
    app = openai_app(corpus_app, http_standin(slow_model), llm_timeout=30.0)
    conversations = Conversations(app, HistoryStore(tmp_path / "h.sqlite3"))
    conversations.ask("warmup", QUESTIONS[0])  # builds the model's client
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda i: conversations.ask(f"c{i}", QUESTIONS[i % 2]), range(8)))
    elapsed = time.monotonic() - started
    print(f"\n8 chats at once against a 1 s model: {elapsed:.2f} s")
    assert elapsed < 4.0, f"8 chats against a 1 s model took {elapsed:.2f} s: they were answered one at a time"
    assert all(r.answer.citations and not r.answer.refused for r in replies)
    assert all(conversations.last(f"c{i}") for i in range(8))


def _answer(question: str) -> Answer:
    return Answer(question, "a [1]", False, [Citation(1, "d.txt", "T", None, "d.txt#0", 0, 3, "abc")])


def test_history_store_shared_by_threads(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3", max_turns=50)

    def chat(i: int) -> None:
        for n in range(30):
            store.add(f"c{i}", f"q{n}", f"q{n}", _answer(f"q{n}"))
            assert store.last(f"c{i}").question == f"q{n}"

    in_threads(chat, range(8))  # an error in any thread raises here
    for i in range(8):
        assert [t.question for t in store.recent(f"c{i}")] == [f"q{n}" for n in range(30)]


def test_chroma_queried_from_many_threads_agrees_with_one(corpus_app):
    """The embedded client's query and get release the GIL in Rust and run concurrently: results from
    eight threads at once are those of one thread alone."""
    store = corpus_app.store
    vectors = [corpus_app.embedder.embed_query(q) for q in QUESTIONS]
    alone = [store.search_chunks(v, 10) for v in vectors]
    together = in_threads(lambda v: store.search_chunks(v, 10), vectors, rounds=5)
    assert together == alone * 5
    ids = [chunk_id for chunk_id, _ in alone[0]]
    got = in_threads(lambda _: store.chunks.get(ids=ids, include=["documents"])["ids"], range(8), rounds=5)
    assert all(sorted(g) == sorted(ids) for g in got)


def test_embedder_from_many_threads_gives_the_same_vectors(e5_embedder):
    alone = [e5_embedder.embed_query(q) for q in QUESTIONS]
    together = in_threads(e5_embedder.embed_query, QUESTIONS, rounds=5)
    assert all(np.array_equal(a, b) for a, b in zip(alone * 5, together))
