"""The no-LLM follow-up rewrite and the per-chat history store."""

from __future__ import annotations

import threading

import pytest

from bot.conversation import Conversations, HistoryStore, carry_over, stream_answer
from retrieval.answer import Answer, Citation


@pytest.mark.parametrize(
    "history, question, expected",
    [
        # a pronoun where the speaker belongs, in both languages
        (["Apa kata Dalton?"], "Apa lagi yang dia katakan?", "Apa lagi yang Dalton katakan?"),
        (["What did Dalton say?"], "What else did he say?", "What else did Dalton say?"),
        (["What did Barbara Keleman say?"], "What did she say about Taiwan?", "What did Barbara Keleman say about Taiwan?"),
        (["Apa kata Dalton?"], "Apa pendapatnya?", "Apa pendapat Dalton?"),  # the -nya enclitic
        (["What did Dalton say?"], "What is his job?", "What is Dalton's job?"),
        (["Siapa Barbara Keleman?"], "Di mana dia bekerja?", "Di mana Barbara Keleman bekerja?"),
        # "he said" means the last *speaker*, even after a question about something else
        (["What did Dalton say?", "Who is the president of China?"], "What did he say?", "What did Dalton say?"),
        # ellipsis: another person, or a topic, for the previous question
        (["What did Dalton say?"], "And Keleman?", "What did Keleman say?"),
        (["Apa kata Dalton?"], "Bagaimana dengan Keleman?", "Apa kata Keleman?"),
        (["Apa lagi yang Dalton katakan?"], "Dan Keleman?", "Apa yang Keleman katakan?"),
        (["Apa kata Dalton?"], "Keleman?", "Apa kata Keleman?"),
        (["What did Dalton say about Taiwan?"], "And Keleman?", "What did Keleman say about Taiwan?"),
        (["Apa kata Dalton?"], "Kalau soal Taiwan?", "Apa kata Dalton tentang Taiwan?"),
        (["What did Dalton say?"], "And about Taiwan?", "What did Dalton say about Taiwan?"),
        (["Kapan Xi mengunjungi Moskow?"], "Dan Putin?", "Kapan Putin mengunjungi Moskow?"),
        (["What did Dalton say?"], "What else?", "What else did Dalton say?"),
        # nothing to carry: a first question, or one that names its own subject
        ([], "Apa lagi yang dia katakan?", "Apa lagi yang dia katakan?"),
        (["What did Dalton say?"], "What did Keleman say?", "What did Keleman say?"),
        (["What did Dalton say?"], "Kapan Xi mengunjungi Moskow?", "Kapan Xi mengunjungi Moskow?"),
        (["Apa kata Dalton?"], "Hanya itu?", "Hanya itu?"),
    ],
)
def test_carry_over(history, question, expected):
    assert carry_over(question, history) == expected


def _answer(question: str, text: str = "a [1]") -> Answer:
    return Answer(question, text, False, [Citation(1, "d.txt", "T", None, "d.txt#0", 0, 3, "abc")])


def test_history_store_is_per_chat_capped_and_persistent(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3", max_turns=3)
    for i in range(5):
        store.add("a", f"q{i}", f"s{i}", _answer(f"s{i}"))
    store.add("b", "other", "other", _answer("other"))
    again = HistoryStore(tmp_path / "h.sqlite3", max_turns=3)  # a restart
    assert [t.question for t in again.recent("a")] == ["q2", "q3", "q4"]
    assert again.last("a").answer.citations[0].quote == "abc"
    assert again.reset("a") == 3 and again.recent("a") == [] and again.last("b").question == "other"


class _App:
    def __init__(self, stream: bool) -> None:
        self.asked = []
        if stream:
            self.answer_stream = lambda q, k=None: iter(["a ", "[1]", _answer(q)])

    def answer(self, q, k=None):
        self.asked.append(q)
        return _answer(q)


@pytest.mark.parametrize("stream", [False, True])
def test_conversations_rewrite_answer_and_remember(tmp_path, stream):
    app = _App(stream)
    conv = Conversations(app, HistoryStore(tmp_path / "h.sqlite3"))
    seen = []
    conv.ask("c", "Apa kata Dalton?")
    reply = conv.ask("c", "Apa lagi yang dia katakan?", on_text=seen.append)
    assert reply.rewritten and reply.standalone == "Apa lagi yang Dalton katakan?"
    assert reply.answer.question == "Apa lagi yang Dalton katakan?"
    assert seen[-1] == "a [1]"
    assert [t.standalone for t in conv.store.recent("c")] == ["Apa kata Dalton?", "Apa lagi yang Dalton katakan?"]
    assert [p for p in stream_answer(app, "x") if isinstance(p, Answer)][0].question == "x"


def test_conversations_serialise_the_answer_path(tmp_path):
    active, peak, lock = [0], [0], threading.Lock()

    class Slow(_App):
        def answer(self, q, k=None):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            threading.Event().wait(0.02)
            with lock:
                active[0] -= 1
            return _answer(q)

    conv = Conversations(Slow(False), HistoryStore(tmp_path / "h.sqlite3"))
    threads = [threading.Thread(target=conv.ask, args=(f"c{i}", "Apa kata Dalton?")) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1 and all(conv.last(f"c{i}") for i in range(8))
