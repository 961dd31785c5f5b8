"""Quotation marks in news copy: the double- and single-quoted stretches of a paragraph. The one
scanner the extractor (index/quotes) reads quotations with."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# ---------------------------------------------------------------- quotation marks

OPENING_DOUBLE = "“«„"
CLOSING_DOUBLE = "”»"
DOUBLE_MARKS = re.compile("[" + OPENING_DOUBLE + CLOSING_DOUBLE + '"]')
SINGLE_MARKS = re.compile("[‘’']")


@dataclass(frozen=True)
class Segment:
    open: int  # absolute offset of the opening mark
    inner_start: int
    inner_end: int
    close: int | None  # absolute offset of the closing mark; None when never closed


def _opens_here(text: str, i: int) -> bool:
    """A mark in an opener's position: after the start, a space, a bracket or a dash, and before a
    word (or another mark, an ellipsis)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and (after.isalnum() or after in "‘'…")


def _closes_here(text: str, i: int) -> bool:
    """A mark in a closer's position: after a word or punctuation, before a space, punctuation or the end."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def double_segments(text: str, base: int) -> tuple[list[Segment], int | None]:
    """Double-quoted stretches of a paragraph. Curly and straight marks are read as one kind,
    because machine-translated copy mixes them (“…" ). Some outlets print the same mark on both
    sides (”Kami siap,” kata dia; „…“ in German-style copy): a closing mark in an opener's position
    opens when nothing is open, and an opening mark in a closer's position closes. Any other stray
    mark is ignored."""
    segments: list[Segment] = []
    opened: int | None = None
    for m in DOUBLE_MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if opened is None:
            if ch in OPENING_DOUBLE or ch == '"' or _opens_here(text, i):
                opened = i
        elif ch in CLOSING_DOUBLE or ch == '"' or _closes_here(text, i):
            segments.append(Segment(base + opened, base + opened + 1, base + i, base + i))
            opened = None
    return segments, (None if opened is None else base + opened)


def single_segments(text: str, base: int, taken: list[tuple[int, int]]) -> list[Segment]:
    """Single-quoted stretches outside double quotes (‘…’ or '…'). An apostrophe is told apart
    from a mark by its neighbours: a mark opens before a word and closes after one."""
    segments = []
    opened: int | None = None
    # ``taken`` spans (one per double quotation) never overlap: bisect them rather than scan them all.
    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    for m in SINGLE_MARKS.finditer(text):
        i, ch = m.start(), m.group()
        k = bisect_right(taken_starts, base + i) - 1
        if k >= 0 and base + i < taken[k][1]:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if opened is None:
            if ch in "‘'" and not before.isalnum() and (after.isalnum() or after in "“\""):
                opened = i
        elif ch in "’'" and not before.isspace() and not after.isalnum():
            segments.append(Segment(base + opened, base + opened + 1, base + i, base + i))
            opened = None
    return segments  # an unclosed single mark was an apostrophe after all
