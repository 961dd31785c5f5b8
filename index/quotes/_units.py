"""Statement units: a sentence, or several a quotation runs across, with the quoted words masked."""

from __future__ import annotations

from bisect import bisect_left

from index.articles import Article, Sentence
from index.quotes._context import _Context
from index.quotes._words import (
    _CLAUSE_MARKS,
    _MASK,
    _PARENTHETICAL,
    _THAT,
    _TITLE_CUES,
    _VERBS,
    _WORD,
    _abbreviation_at,
)
from text.names import fold as _fold
from text.quotemarks import CLOSING_DOUBLE, Segment, double_segments, single_segments


class _Unit:
    """One statement unit: sentences of a paragraph, their quotations, and the text with the
    quotations masked (same length, so offsets carry over)."""

    def __init__(self, ctx: _Context, sentences: list[Sentence], segments: list[Segment]) -> None:
        self.ctx = ctx
        self.start, self.end = sentences[0].start, sentences[-1].end
        self.paragraph = sentences[0].paragraph
        self.section = sentences[0].section
        self.segments = sorted(segments, key=lambda s: s.open)
        chars = list(ctx.source[self.start : self.end])
        for seg in self.segments:
            for i in range(seg.inner_start, seg.inner_end):
                chars[i - self.start] = _MASK
        masked = "".join(chars)
        # A short aside in brackets ("Bank Indonesia (BI)", "Rahmad Pribadi (Persero)") is blanked, so
        # that it neither splits a name from its verb nor passes for a subject.
        self.masked = _PARENTHETICAL.sub(lambda m: " " * len(m.group()), masked)
        self.tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.masked)]
        self.closes = {seg.close - self.start for seg in self.segments if seg.close is not None}
        # Sorted offsets to bisect, so that each verb looks only at its neighbourhood in a long unit.
        self.token_starts = [s for s, _, _ in self.tokens]
        self.segment_opens = [seg.open - self.start for seg in self.segments]
        self._clause_bounds: tuple[list[int], list[bool]] | None = None

    def clause_bounds(self) -> tuple[list[int], list[bool]]:
        """Offsets of the characters that end a clause (a closing quotation mark, a colon or
        semicolon, or a sentence end), and whether each was a quotation mark; found once per unit."""
        if self._clause_bounds is None:
            masked = self.masked
            opens = {seg.open - self.start for seg in self.segments}  # ”Kami siap,”: the first ” opens
            candidates = sorted(self.closes.union(m.start() for m in _CLAUSE_MARKS.finditer(masked)) - opens)
            offsets, quotation = [], []
            for j in candidates:
                if j >= len(masked):
                    continue  # a closing mark just past the unit: never before a verb in it
                ch = masked[j]
                if j in self.closes or ch in CLOSING_DOUBLE:
                    offsets.append(j)
                    quotation.append(True)
                elif ch in ";:!?" or (ch == "." and masked[j + 1 : j + 2].isspace() and not _abbreviation_at(masked, j)):
                    offsets.append(j)
                    quotation.append(False)
            self._clause_bounds = offsets, quotation
        return self._clause_bounds

    def is_quotation_only(self) -> bool:
        """Nothing but a quotation: no word outside the marks."""
        return bool(self.segments) and not self.tokens

    def speech(self, exclude_titles: bool = True) -> list[Segment]:
        """Quotations that are someone's words, not titles or scare quotes."""
        out = []
        for seg in self.segments:
            before = self.ctx.source[max(self.start, seg.open - 40) : seg.open]
            cue = _WORD.findall(before)[-2:]
            if exclude_titles and any(_fold(w) in _TITLE_CUES for w in cue) and not before.rstrip().endswith(":"):
                continue
            inner = self.ctx.source[seg.inner_start : seg.inner_end].strip()
            if not _WORD.search(inner):
                continue
            previous = _fold(cue[-1]) if cue else ""
            if (
                len(_WORD.findall(inner)) >= 4
                or inner[-1:] in ",.!?…"  # a clause of its own: “…,” kata X
                or previous in _THAT
                or before.rstrip().endswith(":")
                or previous in _VERBS
            ):
                out.append(seg)
        return out


# ---------------------------------------------------------------- units


def _units(article: Article, ctx: _Context) -> list[_Unit]:
    """Statement units in document order: sentences, merged when a quotation spans them."""
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in article.sentences():
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    units = []
    for number, (p_start, p_end) in enumerate(article.paragraphs):
        sentences = by_paragraph.get(number, [])
        if not sentences:
            continue
        text = article.source[p_start:p_end]
        segments, unclosed = double_segments(text, p_start)
        if unclosed is not None:
            # An opening mark never closed: its quotation runs to the end of its sentence.
            home = next((s for s in sentences if s.start <= unclosed < s.end), sentences[-1])
            if home.end > unclosed + 1:
                segments.append(Segment(unclosed, unclosed + 1, home.end, None))
        taken = [(s.open, (s.close if s.close is not None else s.inner_end) + 1) for s in segments]
        segments += single_segments(text, p_start, taken)
        segments.sort(key=lambda seg: seg.open)
        opens = [seg.open for seg in segments]
        # Sentences joined by a quotation that crosses their boundary form one unit: one opened
        # in the current group, before this sentence, that ends after its start. ``reach`` is the
        # furthest end of the quotations opened in the group so far.
        groups: list[list[Sentence]] = []
        k, reach = 0, -1
        for sentence in sentences:
            while k < len(segments) and segments[k].open < sentence.start:
                seg = segments[k]
                reach = max(reach, seg.close if seg.close is not None else seg.inner_end)
                k += 1
            if groups and sentence.start < reach:
                groups[-1].append(sentence)
            else:
                groups.append([sentence])
                reach = -1  # quotations opened before the group do not count
        for group in groups:
            start, end = group[0].start, group[-1].end
            first, stop = bisect_left(opens, start), bisect_left(opens, end)
            inside = [seg for seg in segments[first:stop] if seg.inner_end <= end]
            units.append(_Unit(ctx, group, inside))
    return units
