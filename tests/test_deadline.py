"""One deadline per chat turn: the question rewrite and the answer share WARTA_LLM_TIMEOUT, so a hung
model holds a turn once, and a turn whose time is spent falls back without asking the model again."""

from __future__ import annotations

import time

import pytest

from bot.conversation import Conversations, HistoryStore, carry_over
from retrieval.generative import Deadline, GenerativeAnswerer, with_deadline
from test_generative import QUESTIONS, ScriptedChat, app_with, hang, http_standin, openai_app  # noqa: F401 (fixture)

FIRST = "What did Dalton say?"
FOLLOW_UP = "And about Xi's visit to Moscow?"  # carried over: QUESTIONS[0]


def _chat_with_history(app, tmp_path) -> Conversations:
    """A conversation whose first turn is already recorded (answered without a model)."""
    conversations = Conversations(app, HistoryStore(tmp_path / "h.sqlite3"))
    conversations.store.add("c", FIRST, FIRST, _extractive(app, FIRST))
    return conversations


def _extractive(app, question: str):
    from retrieval.extractive import answer_extractively

    return answer_extractively(question, app.searcher, k=app.settings.top_k)


def test_a_turn_with_history_waits_for_a_hung_model_once(corpus_app, http_standin, tmp_path):  # noqa: F811
    timeout = 2.0
    app = openai_app(corpus_app, http_standin(hang), llm_timeout=timeout)
    conversations = _chat_with_history(app, tmp_path)
    expected = _extractive(app, carry_over(FOLLOW_UP, [FIRST]))  # also warms what the fallback reads
    started = time.monotonic()
    reply = conversations.ask("c", FOLLOW_UP)
    elapsed = time.monotonic() - started
    assert elapsed < 1.3 * timeout, f"the turn took {elapsed:.2f} s with WARTA_LLM_TIMEOUT={timeout:g}"
    # the rewrite fell back to the carry-over, the answer to the cited extractive one
    assert reply.standalone == QUESTIONS[0]
    answer = reply.answer
    assert answer.mode == "extractive" and answer.fallback_reason.startswith("timeout"), answer.fallback_reason
    assert not answer.refused and answer.citations and answer.answer == expected.answer


def test_what_the_rewrite_used_is_gone_from_the_answer(corpus_app, tmp_path):
    """A rewrite that takes most of the budget leaves the answer the rest, not a whole timeout."""
    asked = []

    def slow(prompt: str) -> str:
        asked.append("Follow-up question" in prompt)
        time.sleep(1.2)
        return QUESTIONS[0] if asked[-1] else "too late [1]."

    app = app_with(corpus_app, ScriptedChat(reply=slow, prompts=[]), llm_timeout=2.0)
    conversations = _chat_with_history(app, tmp_path)
    started = time.monotonic()
    reply = conversations.ask("c", FOLLOW_UP)
    elapsed = time.monotonic() - started
    assert reply.standalone == QUESTIONS[0]  # the model's rewrite, in time
    assert asked == [True, False]  # then the answer was asked, and cut at the turn's deadline
    assert reply.answer.mode == "extractive" and reply.answer.fallback_reason.startswith("timeout")
    assert elapsed < 2.6, elapsed


def test_a_spent_deadline_does_not_call_the_model(corpus_app):
    def never(prompt):
        raise AssertionError("the model was asked")

    answerer = GenerativeAnswerer(ScriptedChat(reply=never, prompts=[]), timeout=30.0)
    spent = Deadline(0.0)
    items = list(answerer.stream(QUESTIONS[0], corpus_app.searcher, deadline=spent))
    final = items[-1]
    assert final.mode == "extractive" and final.fallback_reason.startswith("timeout")
    assert final.answer == _extractive(corpus_app, QUESTIONS[0]).answer and final.citations
    app = app_with(corpus_app, ScriptedChat(reply=never, prompts=[]))
    assert app.standalone_question(FOLLOW_UP, [FIRST], deadline=spent) == QUESTIONS[0]  # the carry-over


def test_with_deadline_shares_one_clock():
    deadline = Deadline(0.6)

    def slow():
        time.sleep(0.4)
        yield "a"

    assert list(with_deadline(slow, deadline)) == ["a"]
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        list(with_deadline(slow, deadline))  # 0.2 s were left, not 0.6
    assert time.monotonic() - started < 0.35
    called = []
    with pytest.raises(TimeoutError):
        list(with_deadline(lambda: called.append(1) or iter(()), Deadline(0.0)))
    assert not called
