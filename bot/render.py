"""Plain-text rendering of an Answer for terminals, in the question's language."""

from __future__ import annotations

from retrieval.answer import Answer
from text.tokens import detect_language

LABELS = {
    "en": {"sources": "Sources", "chars": "characters"},
    "id": {"sources": "Sumber", "chars": "karakter"},
}


def shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def source_lines(answer: Answer, *, quote_limit: int = 220) -> list[str]:
    labels = LABELS[detect_language(answer.question)]
    lines = []
    for c in answer.citations:
        when = f", {c.date}" if c.date else ""
        lines.append(f"[{c.n}] {c.title}{when} ({c.doc_id}, {labels['chars']} {c.start}-{c.end})")
        lines.append(f"    {shorten(c.quote, quote_limit)}")
    return lines


def render_text(answer: Answer) -> str:
    out = [answer.answer]
    if answer.citations:
        out += ["", LABELS[detect_language(answer.question)]["sources"] + ":"] + source_lines(answer)
    return "\n".join(out)
