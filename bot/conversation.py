"""Conversation state shared by the front-ends (Telegram, REPL): per-chat history in SQLite, the no-LLM
follow-up rewrite (``carry_over``), and ``Conversations.ask``, which runs one turn on the same answer path
as ``warta ask``: rewrite → answer (streamed when the app can) → remember.

Nothing here formats for a particular front-end, and nothing here answers: answering is ``Warta``'s job.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from retrieval.answer import Answer, Citation, Retrieved
from retrieval.question import parse_question
from text.tokens import STOPWORDS, detect_language, fold

# ------------------------------------------------------------------ history store


@dataclass(frozen=True)
class Turn:
    question: str  # as the user asked it
    standalone: str  # what was answered (the follow-up rewritten to stand on its own)
    answer: Answer
    at: float = 0.0


def answer_from_dict(data: dict) -> Answer:
    data = dict(data)
    data["citations"] = [Citation(**c) for c in data.get("citations") or []]
    data["retrieved"] = [Retrieved(**r) for r in data.get("retrieved") or []]
    known = Answer.__dataclass_fields__
    return Answer(**{key: value for key, value in data.items() if key in known})


class HistoryStore:
    """The last ``max_turns`` turns of every chat, in one SQLite file; safe to share between threads and
    processes (a connection per thread, WAL journal)."""

    def __init__(self, path: Path, max_turns: int = 10) -> None:
        self.path = Path(path)
        self.max_turns = max_turns
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS turns (id INTEGER PRIMARY KEY AUTOINCREMENT, chat TEXT NOT NULL, "
                "at REAL NOT NULL, question TEXT NOT NULL, standalone TEXT NOT NULL, answer TEXT NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS turns_chat ON turns (chat, id)")

    def _connect(self) -> sqlite3.Connection:
        # A sqlite3 connection belongs to the thread that opened it; each worker thread keeps its own.
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(self.path, timeout=10)
        return db

    def add(self, chat: str, question: str, standalone: str, answer: Answer) -> None:
        payload = json.dumps(answer.to_dict(), ensure_ascii=False, default=str)
        with self._connect() as db:
            db.execute(
                "INSERT INTO turns (chat, at, question, standalone, answer) VALUES (?, ?, ?, ?, ?)",
                (str(chat), time.time(), question, standalone, payload),
            )
            db.execute(
                "DELETE FROM turns WHERE chat = ? AND id NOT IN "
                "(SELECT id FROM turns WHERE chat = ? ORDER BY id DESC LIMIT ?)",
                (str(chat), str(chat), self.max_turns),
            )

    def recent(self, chat: str, n: int | None = None) -> list[Turn]:
        """Oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT question, standalone, answer, at FROM turns WHERE chat = ? ORDER BY id DESC LIMIT ?",
                (str(chat), n or self.max_turns),
            ).fetchall()
        return [Turn(q, s, answer_from_dict(json.loads(a)), at) for q, s, a, at in reversed(rows)]

    def last(self, chat: str) -> Turn | None:
        turns = self.recent(chat, 1)
        return turns[-1] if turns else None

    def reset(self, chat: str) -> int:
        with self._connect() as db:
            return db.execute("DELETE FROM turns WHERE chat = ?", (str(chat),)).rowcount


def history_path(settings) -> Path:
    return settings.state_path / "history.sqlite3"


# ------------------------------------------------------------------ follow-ups without an LLM

_SUBJECT_PRONOUNS = {"he", "she", "him", "dia", "ia", "beliau"}
_POSSESSIVES = {"his", "her"}
# Nouns that take the Indonesian possessive enclitic on a person: "pendapatnya" = "pendapat <person>".
_NYA_NOUNS = {
    "kata", "pendapat", "komentar", "pernyataan", "tanggapan", "pandangan", "penilaian", "penjelasan", "ucapan",
    "jabatan", "pekerjaan", "posisi", "peran", "nama", "alasan", "argumen", "analisis", "prediksi", "sikap",
    "kantor", "lembaga", "perusahaan", "negara", "asal", "kutipan",
}
_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|bin|van|de|al|von))*")
_FOLLOW_LEAD = re.compile(
    r"^(?:(?:and|so|then|but|dan|lalu|terus|trus|tapi|jadi)\s*,?\s+)?"
    r"(?P<lead>what about|how about|what of|and|bagaimana dengan|bagaimana kalau|gimana dengan|gimana|"
    r"bagaimana|kalau|kalo|lalu|dan|terus)\s+(?P<rest>.+)$",
    re.I,
)
_TOPIC_LEAD = re.compile(r"^(?:about|on|regarding|concerning|tentang|soal|mengenai|terkait|perihal)\s+(?P<t>.+)$", re.I)
_MORE = re.compile(
    r"^(?:(?:and|dan|lalu|terus)\s+)?(?:what else|anything else|more|apa lagi|lainnya|yang lain|selain itu|lagi)"
    r"(?:\s+(?:please|dong|lagi))?$",
    re.I,
)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip("?!.").strip()


def _names(text: str) -> list[str]:
    """Runs of capitalised words that are not function or question words ("Barbara Keleman", "Taiwan")."""
    out = []
    for m in _NAME.finditer(text):
        parts = [w for w in m.group(0).split() if fold(w.strip(".")) not in STOPWORDS]
        if parts and not (m.start() == 0 and len(parts) == 1 and fold(parts[0]) in _QUESTION_STARTERS):
            out.append(" ".join(parts).strip(".,"))
    return [n for n in out if n]


_QUESTION_STARTERS = {"and", "so", "then", "but", "lalu", "dan", "jadi", "kalau", "kalo", "terus", "tapi", "please",
                      "tolong", "sebutkan", "jelaskan", "list", "name", "describe", "explain", "give", "berikan",
                      "gimana", "what", "how", "bagaimana", "who", "siapa"}


@dataclass(frozen=True)
class _Focus:
    speaker: str | None  # the person whose words were asked about
    subject: str | None  # otherwise the first name the question was about
    standalone: str
    kind: str
    person: str | None  # the person as written in ``standalone`` (for substitution)
    topic: str | None = None
    lang: str = "en"


def _focus_of(standalone: str) -> _Focus:
    q = parse_question(standalone)
    if q.kind == "what_said" and q.person and not q.person_is_pronoun:
        return _Focus(q.person, q.person, standalone, q.kind, q.person, q.topic, q.lang)
    names = _names(standalone)
    return _Focus(None, names[0] if names else None, standalone, q.kind, None, q.topic, q.lang)


def _last_focus(history: Sequence) -> tuple[_Focus | None, str | None, str | None]:
    """The newest turn's focus, the newest speaker asked about, and the newest speaker or subject."""
    texts = [t.standalone if hasattr(t, "standalone") else str(t) for t in history]
    if not texts:
        return None, None, None
    foci = [_focus_of(text) for text in reversed(texts)]
    speaker = next((f.speaker for f in foci if f.speaker), None)
    anyone = next((f.speaker or f.subject for f in foci if f.speaker or f.subject), None)
    return foci[0], speaker, anyone


def _replace_pronouns(question: str, person: str) -> str:
    def sub(m: re.Match) -> str:
        word, rest = m.group(1), question[m.end():]
        low = word.lower()
        if low in _SUBJECT_PRONOUNS:
            return person
        if low in _POSSESSIVES:
            nxt = re.match(r"\s+([^\W\d_]+)", rest)
            if low == "her" and (not nxt or fold(nxt.group(1)) in STOPWORDS):
                return person  # object "her"
            return f"{person}'s"
        stem = low[:-3]
        return f"{word[:len(stem)]} {person}"

    nya = "|".join(sorted(_NYA_NOUNS, key=len, reverse=True))
    pattern = re.compile(rf"\b({'|'.join(sorted(_SUBJECT_PRONOUNS | _POSSESSIVES))}|(?:{nya})nya)\b", re.I)
    return pattern.sub(sub, question)


def _what_said(person: str, topic: str | None, lang: str) -> str:
    if lang == "id":
        return f"Apa kata {person}" + (f" tentang {topic}" if topic else "") + "?"
    return f"What did {person} say" + (f" about {topic}" if topic else "") + "?"


def _substitute(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old), lambda _m: new, text, count=1, flags=re.I)


def carry_over(question: str, history: Sequence, is_person: Callable[[str], bool] | None = None) -> str:
    """Rewrite a follow-up so it stands on its own, without a model: a pronoun ("he", "dia", "-nya") becomes
    the last person asked about, an elliptic question ("And Keleman?", "Bagaimana dengan soal Taiwan?")
    takes the rest from the previous question, "What else?" repeats it. A question that already names
    its subject, or a first question, is returned unchanged. ``history`` holds ``Turn`` s (or standalone
    question strings), oldest first. ``is_person`` tells whether a bare name is someone the articles
    quote: after "What did Dalton say?", "And Keleman?" asks about Keleman, "What about Taiwan?" asks
    Dalton about Taiwan. Without it every bare name is taken for a person."""
    text = question.strip()
    latest, speaker, anyone = _last_focus(history)
    if latest is None:
        return text
    bare = _clean(text)
    # A bare name ("Keleman?") says nothing about the language: keep the conversation's.
    lang = latest.lang if " ".join(_names(bare)) == bare else detect_language(bare)

    # "What else?" / "Apa lagi?": the previous question again.
    if _MORE.match(bare):
        if latest.speaker:
            return f"What else did {latest.speaker} say?" if lang == "en" else f"Apa lagi yang {latest.speaker} katakan?"
        return latest.standalone

    parsed = parse_question(bare)
    own_names = _names(bare)

    # A pronoun where a person belongs: "he said" means the last speaker, other uses the last person named.
    person = (speaker or anyone) if parsed.kind == "what_said" else anyone
    if person and (parsed.kind == "what_said" and parsed.person_is_pronoun or not own_names):
        rewritten = _replace_pronouns(text, person)
        if rewritten != text:
            return rewritten

    # Ellipsis: "And Keleman?", "What about Taiwan?", "Kalau soal Taiwan?", "Keleman?"
    if parsed.kind == "what_said" or parsed.kind == "who_said":
        return text
    m = _FOLLOW_LEAD.match(bare)
    rest = _clean(m.group("rest")) if m else (bare if own_names and own_names[0] == bare else None)
    if not rest or len(rest.split()) > 6:
        return text
    topic = _TOPIC_LEAD.match(rest)
    rest_names = _names(rest)
    new_person = rest if not topic and rest_names and " ".join(rest_names) == rest else None
    if latest.kind == "what_said" and latest.person:
        if new_person and is_person is not None and not is_person(new_person):
            new_person = None  # a place or a thing: what the last speaker said about it
        if new_person and lang == latest.lang:
            # the same question about someone else; "what *else* did …" does not carry over to a new person
            swapped = _substitute(latest.standalone, latest.person, new_person)
            return re.sub(r"\s+(?:else|lagi)\b", "", swapped, count=1, flags=re.I)
        if new_person:
            return _what_said(new_person, latest.topic, lang)
        return _what_said(latest.person, _clean(topic.group("t")) if topic else rest, lang)
    if new_person:
        old = _names(latest.standalone)
        if old:
            return _substitute(latest.standalone, old[0], new_person)
    return text


# ------------------------------------------------------------------ one turn, for every front-end


_ASKS_MORE = re.compile(r"\b(?:else|more|other|others|lagi|lainnya|lain|selain)\b", re.I)


def shown_before(question: str, history: Sequence[Turn]) -> tuple[tuple[str, int, int], ...]:
    """For a question asking for more ("What else did he say?", "Apa lagi?"): the passages the thread
    it continues has already shown, so they are not shown again. The thread is the newest turn and,
    while those were "more" questions too, the turns before it. Empty for any other question."""
    if not history or not _ASKS_MORE.search(question):
        return ()
    spans: list[tuple[str, int, int]] = []
    for turn in reversed(history):
        spans += [(c.doc_id, c.start, c.end) for c in turn.answer.citations]
        if not _ASKS_MORE.search(turn.question):
            break
    return tuple(dict.fromkeys(spans))


class AnswerPath(Protocol):
    """What a conversation needs of an app (``bot.app.Warta`` is one; ``WholeAnswers`` makes one of
    anything that answers)."""

    settings: Any

    def turn_deadline(self): ...

    def standalone_question(self, question: str, history: Sequence["Turn"], *, deadline=None) -> str: ...

    def answer_stream(self, question: str, *, k: int | None = None, shown=(), deadline=None) -> Iterator[str | Answer]: ...


class WholeAnswers:
    """An answer path from ``answer()`` alone: each answer comes as one piece, follow-ups are carried
    over by rule, and no model means no clock."""

    def turn_deadline(self):
        return None

    def standalone_question(self, question: str, history: Sequence["Turn"], *, deadline=None) -> str:
        return carry_over(question, history)

    def answer_stream(self, question: str, *, k: int | None = None, shown=(), deadline=None) -> Iterator[str | Answer]:
        result = self.answer(question, k=k, shown=shown)
        yield result.answer
        yield result


def stream_answer(app: AnswerPath, question: str, k: int | None = None, shown=(), deadline=None) -> Iterator[str | Answer]:
    """Text pieces, then the final ``Answer`` (last). ``deadline`` (from ``app.turn_deadline``) goes to the app."""
    return app.answer_stream(question, k=k, shown=shown, deadline=deadline)


@dataclass(frozen=True)
class Reply:
    question: str
    standalone: str  # equal to ``question`` when nothing was carried over
    answer: Answer

    @property
    def rewritten(self) -> bool:
        return _clean(self.standalone) != _clean(self.question)


class Conversations:
    """Runs turns for many chats against one app. ``ask`` is synchronous and blocking (run it in a worker
    thread from async code). Turns run at once, each in its caller's thread: nothing here is locked, and
    the parts of the answer path that are not thread-safe (the embedder's inference, the lexicon's
    connection, an in-process model) guard themselves, so one chat's model call never holds up another's.
    The app's ``turn_deadline`` bounds each turn's model calls (rewrite, then answer) by one deadline."""

    def __init__(self, app: AnswerPath, store: HistoryStore) -> None:
        self.app = app
        self.store = store

    @classmethod
    def for_app(cls, app) -> "Conversations":
        return cls(app, HistoryStore(history_path(app.settings), app.settings.history_turns))

    def rewrite(self, chat: str, question: str, history: Sequence[Turn] | None = None, deadline=None) -> str:
        history = self.store.recent(chat) if history is None else history
        return self.app.standalone_question(question, history, deadline=deadline)

    def ask(self, chat: str, question: str, *, k: int | None = None,
            on_text: Callable[[str], None] | None = None) -> Reply:
        """Rewrite, answer, remember. ``on_text`` gets the answer text so far as it streams."""
        deadline = self.app.turn_deadline()
        history = self.store.recent(chat)
        standalone = self.rewrite(chat, question, history, deadline)
        so_far, result = "", None
        for piece in stream_answer(self.app, standalone, k, shown_before(question, history), deadline):
            if isinstance(piece, Answer):
                result = piece
            elif piece:
                so_far += piece
                if on_text is not None:
                    on_text(so_far)
        if result is None:  # a stream that ended without its Answer: not an answer we can cite
            raise RuntimeError("the answer stream ended without a final Answer")
        self.store.add(chat, question, standalone, result)
        return Reply(question, standalone, result)

    def last(self, chat: str) -> Turn | None:
        return self.store.last(chat)

    def reset(self, chat: str) -> int:
        return self.store.reset(chat)
