"""Telegram HTML for answers: escaping, length as Telegram counts it, splitting into messages that fit."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.telegram.texts import TEXTS, lang_of
from retrieval.answer import Answer

MAX_MESSAGE = 4096  # Telegram's limit on a message's text (UTF-16 code units, after entity parsing)


def escape(text: str) -> str:
    """Text made safe for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Block:
    """One line of a message: plain ``text`` (escaped on rendering) inside ``wrap`` (HTML with one ``{}``)."""

    text: str
    wrap: str = "{}"

    def html(self) -> str:
        return self.wrap.format(escape(self.text))


_SENTENCE_END = re.compile(r"(?<=[.!?…:;”\"’)\]])\s+")


def _units(text: str, fits: Callable[[str], bool]) -> list[str]:
    units = []
    for sentence in _SENTENCE_END.split(text):
        if fits(sentence):
            units.append(sentence)
            continue
        word_units = []
        for word in sentence.split(" "):
            while word and not fits(word):  # a single overlong "word": cut it at the longest prefix that fits
                lo, hi = 1, len(word)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    lo, hi = (mid, hi) if fits(word[:mid]) else (lo, mid - 1)
                word_units.append(word[:lo])
                word = word[lo:]
            if word:
                word_units.append(word)
        units.extend(word_units)
    return units


def render_messages(blocks: Sequence[Block], limit: int = MAX_MESSAGE) -> list[str]:
    """Join blocks into as few messages as fit ``limit``; a block too long for one message is split at
    sentence boundaries (its first part filling what the current message has left, so a heading never
    goes out alone), each part re-wrapped so every message is well-formed HTML on its own."""
    messages: list[str] = []
    current = ""

    def joined(head: str, piece: str) -> str:
        return f"{head}\n{piece}" if head else piece

    def flush() -> None:
        nonlocal current
        if current.strip():
            messages.append(current.strip("\n"))
        current = ""

    for block in blocks:
        rendered = block.html()
        if tg_len(joined(current, rendered)) <= limit:
            current = joined(current, rendered)
            continue
        if tg_len(rendered) <= limit:
            flush()
            current = rendered
            continue
        fits = lambda s, b=block: tg_len(Block(s, b.wrap).html()) <= limit  # noqa: E731
        part = ""
        for unit in _units(block.text, fits):
            trial = f"{part} {unit}" if part else unit
            if tg_len(joined(current, Block(trial, block.wrap).html())) <= limit:
                part = trial
                continue
            if part:
                current = joined(current, Block(part, block.wrap).html())
            flush()
            part = unit
        if part:
            current = joined(current, Block(part, block.wrap).html())
    flush()
    return messages


def _compact_sources(answer: Answer) -> list[Block]:
    """Citations as a compact numbered list: consecutive citations of one article share a line."""
    groups: list[tuple[list[int], str, str | None]] = []
    for c in answer.citations:
        if groups and groups[-1][1] == c.title and groups[-1][2] == c.date and groups[-1][0][-1] == c.n - 1:
            groups[-1][0].append(c.n)
        else:
            groups.append(([c.n], c.title, c.date))
    lines = []
    for numbers, title, date in groups:
        label = f"[{numbers[0]}]" if len(numbers) == 1 else f"[{numbers[0]}–{numbers[-1]}]"
        lines.append(Block(f"{label} {title}" + (f", {date}" if date else "")))
    return lines


def answer_blocks(answer: Answer, *, asked: str | None = None) -> list[Block]:
    """The reply to a question: "Answering: …" when the question was rewritten, the answer with its [n]
    markers, then the sources as a compact list."""
    t = TEXTS[lang_of(answer.question)]  # the language the answer itself is in
    blocks: list[Block] = []
    if asked is not None and " ".join(asked.split()) != " ".join(answer.question.split()):
        blocks += [Block(f"{t['answering']}: {answer.question}", "<i>{}</i>"), Block("")]
    blocks += [Block(line) for line in answer.answer.splitlines()]
    if answer.citations:
        blocks += [Block(""), Block(t["sources"], "<b>{}</b>")] + _compact_sources(answer)
        blocks += [Block(t["sources_hint"], "<i>{}</i>")]
    return blocks


def sources_blocks(answer: Answer) -> list[Block]:
    """The full citations of an answer: title, date, file and offsets, and the quoted passage."""
    t = TEXTS[lang_of(answer.question)]
    if not answer.citations:
        return [Block(t["no_citations"])]
    blocks = [Block(f"{t['sources']}: {answer.question}", "<b>{}</b>")]
    for c in answer.citations:
        when = f", {c.date}" if c.date else ""
        blocks += [
            Block(""),
            Block(f"[{c.n}] {c.title}{when}", "<b>{}</b>"),
            Block(f"{c.doc_id}, {t['chars']} {c.start}–{c.end}", "<i>{}</i>"),
            Block(c.quote, "<blockquote>{}</blockquote>"),
        ]
    return blocks


def draft_text(text: str, limit: int = MAX_MESSAGE) -> str:
    """A streaming answer so far, as it is shown while it grows (escaped, trimmed to fit one message)."""
    body = escape(text.strip())
    if tg_len(body) + 2 > limit:
        body = escape(text.strip()[: limit - 200]).rstrip() + " …"
    return body + " ▌"
