"""The no-LLM follow-up rewrite and the per-chat history store."""

from __future__ import annotations

import threading

import pytest

from bot.conversation import Conversations, HistoryStore, WholeAnswers, carry_over, stream_answer
from retrieval.answer import Answer, Citation
from tests.conftest import in_threads


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


class _App(WholeAnswers):
    def __init__(self, stream: bool) -> None:
        self.asked, self.shown = [], []
        self.stream = stream

    def answer_stream(self, q, *, k=None, shown=(), deadline=None):
        if not self.stream:
            return super().answer_stream(q, k=k, shown=shown, deadline=deadline)
        self.shown.append(shown)
        return iter(["a ", "[1]", _answer(q)])

    def answer(self, q, k=None, shown=()):
        self.asked.append(q)
        self.shown.append(shown)
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
    assert app.shown[-1] == (("d.txt", 0, 3),)  # what the first answer cited is not to be given again
    assert [t.standalone for t in conv.store.recent("c")] == ["Apa kata Dalton?", "Apa lagi yang Dalton katakan?"]
    assert [p for p in stream_answer(app, "x") if isinstance(p, Answer)][0].question == "x"


def test_conversations_answer_chats_at_once(tmp_path):
    """Nothing in a turn is held across the answer: eight chats are inside it at the same time."""
    together = threading.Barrier(8, timeout=10)

    class Slow(_App):
        def answer(self, q, k=None, shown=()):
            together.wait()  # broken (an error) unless all eight turns get here at once
            return _answer(q)

    conv = Conversations(Slow(False), HistoryStore(tmp_path / "h.sqlite3"))
    in_threads(lambda i: conv.ask(f"c{i}", "Apa kata Dalton?"), range(8))  # an error in any thread raises here
    assert all(conv.last(f"c{i}") for i in range(8))


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What about Taiwan?", "What did Dalton say about Taiwan?"),  # not someone quoted: a topic
        ("And Keleman?", "What did Keleman say?"),  # someone quoted: the same question about them
    ],
)
def test_carry_over_tells_people_from_topics(question, expected):
    assert carry_over(question, ["What did Dalton say?"], is_person=lambda name: name == "Keleman") == expected


def _turn(question: str, spans) -> "Turn":
    from bot.conversation import Turn

    cites = [Citation(n, doc, "T", None, f"{doc}#0", s, e, "x") for n, (doc, s, e) in enumerate(spans, 1)]
    return Turn(question, question, Answer(question, "", False, cites))


def test_shown_before_covers_the_thread_a_more_question_continues():
    from bot.conversation import shown_before

    history = [
        _turn("What did Keleman say?", [("k.txt", 0, 5)]),
        _turn("What did Dalton say?", [("d.txt", 0, 10), ("d.txt", 20, 30)]),
        _turn("Apa lagi yang dia katakan?", [("d.txt", 40, 50)]),
    ]
    # "more" again: the previous "more" turn and the question it continued, not the older thread
    assert set(shown_before("What else?", history)) == {("d.txt", 0, 10), ("d.txt", 20, 30), ("d.txt", 40, 50)}
    assert shown_before("What else?", history[:2]) == (("d.txt", 0, 10), ("d.txt", 20, 30))
    # a question that does not ask for more shows whatever is best, seen or not
    assert shown_before("What did Dalton say?", history) == ()
    assert shown_before("What else?", []) == ()


def test_what_else_gives_new_statements_until_there_are_none(corpus_app, tmp_path):
    """Real pipeline: each "Apa lagi?" gives statements not shown before, all the speaker's own, until
    every one of them has been shown; then Warta says so instead of repeating them."""
    conversations = Conversations(corpus_app, HistoryStore(tmp_path / "h.sqlite3", max_turns=10))
    corpus = corpus_app.searcher.corpus
    speaker = max(corpus.speakers, key=lambda s: corpus.statement_count([s], named_only=True))
    total = corpus.statement_count([speaker], named_only=True)
    first = conversations.ask("c", f"What did {speaker} say?")
    seen = {(c.doc_id, c.start, c.end) for c in first.answer.citations}
    assert seen and not first.answer.refused
    for _ in range(total):
        reply = conversations.ask("c", "What else did he say?")
        assert speaker.split()[-1] in reply.standalone
        if reply.answer.refused:
            break
        spans = {(c.doc_id, c.start, c.end) for c in reply.answer.citations}
        assert spans and not spans & seen, "a statement was shown twice"
        seen |= spans
    assert reply.answer.refused and "all" in reply.answer.answer and not reply.answer.citations
    assert len(seen) == total


def test_app_reads_a_bare_place_as_a_topic(corpus_app):
    history = ["What did Dalton say?"]
    assert corpus_app.standalone_question("What about Taiwan?", history) == "What did Dalton say about Taiwan?"
    assert corpus_app.standalone_question("And Keleman?", history) == "What did Keleman say?"
