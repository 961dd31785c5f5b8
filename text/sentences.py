"""The one sentence splitter. Article paragraphs (ingest) and model drafts (the guard) are cut by
the same rules: at . ! ? or … followed by white space and a sentence start, never inside a
quotation, never after an abbreviation or an initial, and always at a line break."""

from __future__ import annotations

import re
from bisect import bisect_right

from text.quotemarks import double_segments
from text.wordlists import words

# "Mr. Dalton", "dll. dan": a period after these ends no sentence.
ABBREVIATIONS = words("abbreviations")

_OPEN_QUOTES = "“‘«„"
_BOUNDARY = re.compile(r"([.!?…]+[\"'”’»)\]]*)(?:\s*\[\d{1,3}\])*")  # a draft's [n] markers stay with their sentence
_NEXT_START = re.compile(r"[ \t\u00a0]+(\S)")  # white space, then the character that may start a sentence
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def ends_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``text[dot]`` closes an abbreviation or an initial ("George W. Bush")."""
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not word:
        return False
    low = word.group(1).lower()
    return low in ABBREVIATIONS or (len(low) == 1 and low.isalpha() and text[dot - 1].isupper())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]``, into ``text``, white space trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        spans.extend(_line_spans(text, line_start, line_end))
        line_start = line_end + 1
    return spans


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    line = text[start:end]
    quoted = _quoted(line)
    opens = [a for a, _ in quoted]
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(line):
        stop = m.end()
        last = m.end(1) - 1  # a closing mark after the stop ends the quotation with the sentence
        k = bisect_right(opens, last) - 1
        if k >= 0 and last < quoted[k][1]:
            continue
        nxt = _NEXT_START.match(line, stop)  # no line[stop:] slice: that copy made long paragraphs quadratic
        if not nxt or not _starts_sentence(nxt.group(1)):
            continue
        if line[m.start()] == "." and ends_abbreviation(line, m.start()):
            continue
        cuts.append(stop)
    spans = []
    last = 0
    for cut in cuts + [len(line)]:
        piece = line[last:cut]
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            spans.append((start + last + lead, start + last + lead + len(body)))
        last = cut
    return spans


def _quoted(line: str) -> list[tuple[int, int]]:
    """Where a full stop must not cut: from each opening mark to its closing mark. When a mark is
    left open, the marks are not trusted at all (a missing closer would swallow the paragraph)."""
    segments, unclosed = double_segments(line, 0)
    if unclosed is not None:
        return []
    return [(s.open, s.close) for s in segments]


def _starts_sentence(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in _OPEN_QUOTES or ch in "\"'([" or ch == "—"
