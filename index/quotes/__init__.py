"""Who said what: direct and reported statements in an article, with their speakers.

The extractor reads an article as *statement units*: one sentence, or several when a quotation runs
across a sentence break. Inside a unit the quoted words are masked out first, so a verb or a name
that is part of the quotation is never taken for the attribution. Then attribution patterns are
searched in what is left, in Indonesian and English:

* ``“…,” kata David Dalton, analis …``      verb then speaker (short verbs: kata, ujar, jelas, …)
* ``“…,” Kurt Volker mengatakan kepada …``  speaker then verb, after the quotation
* ``Dalton menjelaskan bahwa …``            speaker then verb, reported speech
* ``Menurut X, …`` / ``According to X, …``
* ``…, katanya.`` / ``Menurutnya, …`` / ``he said`` / ``kata analis tersebut``  -> the last named speaker

Speakers are canonicalised inside the article: "Mr. Dalton" or "Dalton" becomes "David Dalton" when
the article spells the full name anywhere, "Xi" becomes "Xi Jinping" (surname first), and titles or
country words in front of a name ("Menteri Luar Negeri Rusia Sergei Lavrov") are dropped.
Every span is an exact slice of ``article.source``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.articles import Article
from index.quotes._context import _Context
from index.quotes._grammar import _Attribution, _find_attribution, _Speaker
from index.quotes._units import _Unit, _units
from index.quotes._words import (
    _ORGANISATION_HEADS,
    _PLURAL,
    _PLURAL_PRONOUNS,
    _SHORT_VERBS,
    _UNNAMED,
    _char_after,
)
from index.quotes.aliases import _declared_aliases, declared_aliases
from text.names import fold as _fold
from text.tokens import word_list
from text.wordlists import alternation
from text.wordlists import words as wordlist

__all__ = ["Quote", "declared_aliases", "extract_quotes", "read_statements"]


@dataclass(frozen=True)
class Quote:
    speaker: str  # canonical name ("David Dalton"), or the description as written ("para analis")
    named: bool  # a proper name (person or organisation), not a description
    kind: str  # "direct" (words in quotation marks) or "reported"
    start: int  # the whole statement: the sentence(s) holding the words and their attribution
    end: int
    text: str  # article.source[start:end]
    words_start: int  # just the quoted / reported words
    words_end: int


# ---------------------------------------------------------------- extraction


def extract_quotes(article: Article) -> list[Quote]:
    """Direct and reported statements in ``article``, in document order."""
    return read_statements(article)[0]


def read_statements(article: Article) -> tuple[list[Quote], list[tuple[str, str]]]:
    """The statements of ``article`` (``extract_quotes``) and the nicknames it declares
    (``declared_aliases``), from one reading of the article."""
    if not article.paragraphs:
        return [], []
    ctx = _Context(article)
    units = _units(article, ctx)
    aliases = _declared_aliases(ctx)
    ctx.aliases = {_fold(alias): name for alias, name in aliases}
    # "Badan Pengkajian dan Penerapan Teknologi (BPPT)", "Badan Pengawas Pasar Modal (Bapepam)": a
    # body, and no part of its name a person (a person's initials name no body: "Founder dan Chairman
    # CT Corp Chairul Tanjung (CT)")
    ctx.bodies = frozenset(_fold(name) for _, name in aliases if any(_fold(w) in _ORGANISATION_HEADS for w in name.split()))
    ctx.note_quotations([(seg.inner_start, seg.inner_end) for unit in units for seg in unit.segments])
    quotes: list[Quote] = []
    previous: tuple[_Unit, Quote] | None = None  # the last unit, when it was a statement
    last_unit: _Unit | None = None
    last_named: tuple[int, str] | None = None  # where the last named quote was, and its speaker, for anaphora
    primary: tuple[int, str] | None = None  # whose commentary the last named speaker's reported words are relayed in
    for unit in units:
        # "…,” imbuhnya" right after a statement of someone unnamed ("kata analis JPMorgan") is theirs too.
        # ("-nya" is singular: "para pemimpin" are not its speaker.)
        # It is a person's: a description with a role ("analis JPMorgan"), not "pasar" (the market).
        unnamed = previous[1] if (previous and previous[0] is last_unit and not previous[1].named and not any(
            _fold(w) in _PLURAL for w in previous[1].speaker.split()) and _person_head(previous[1].speaker)) else None
        found = _statement(unit, ctx, last_named, unnamed, primary) or _continuation(unit, last_unit, previous)
        for quote in found:
            quotes.append(quote)
            ctx.note_statement(quote)
            if quote.named and ctx.is_person(quote.speaker):
                # "Analis A mengatakan …. Menteri B mengatakan bahwa …. “…,” ujarnya.": B, new to the article,
                # reported inside A's commentary with no turn to B ("Sementara itu, …"), leaves "-nya" to A.
                relayed = (quote.kind == "reported" and last_named is not None and last_named[1] != quote.speaker
                           and previous is not None and previous[0] is last_unit and previous[1].speaker == last_named[1]
                           and not _turns(unit) and not ctx.mentioned_before(quote.speaker, unit.start))
                primary = last_named if relayed else None
                last_named = (quote.start, quote.speaker)  # "dia", "-nya" point back to a person
            previous = (unit, quote)
        last_unit = unit
    return quotes, aliases


_PERSON_TITLES = word_list("titles_id") | word_list("titles_en")


def _person_head(description: str) -> bool:
    """Whether a description's head (its first noun: Indonesian puts modifiers after it) is a
    person's role ("analis JPMorgan", "the analyst"), not a thing or a market ("pasar")."""
    words = [_fold(w).rstrip(".") for w in description.split()]
    while words and (words[0] in _UNNAMED or words[0] in ("sang", "the", "seorang")):
        words = words[1:]
    return bool(words) and words[0] in _PERSON_TITLES


_COLLECTIVE = wordlist("collective_numerals")
_BODIES = wordlist("organisation_heads") | wordlist("institutions") | wordlist("organisation_words")


def _collective(description: str) -> bool:
    """"kedua perusahaan", "tiga lembaga itu", "both companies": a numeral, then a noun for bodies."""
    words = [_fold(w) for w in description.split()]
    if words and words[0] in ("the", "sang"):
        words = words[1:]
    if len(words) < 2 or words[0] not in _COLLECTIVE:
        return False
    noun = words[1]
    return noun in _BODIES or (noun.endswith("ies") and noun[:-3] + "y" in _BODIES) or noun.rstrip("s") in _BODIES


def _turns(unit: _Unit) -> bool:
    """Whether the unit opens by turning to someone else ("Sementara itu, …", "Di sisi lain, …")."""
    words = [_fold(w) for _, _, w in unit.tokens[:3]]
    return bool(words) and (words[0] in _TURNS or " ".join(words[:3]) in _TURNS or " ".join(words[:2]) in _TURNS)


_TURNS = {"sementara", "sedangkan", "adapun", "terpisah", "senada", "di sisi lain", "meanwhile", "separately"}


def _statement(unit: _Unit, ctx: _Context, last_named: tuple[int, str] | None,
               unnamed: Quote | None = None, primary: tuple[int, str] | None = None) -> list[Quote]:
    """The statements of one unit: its reported words, or each of its quotations (“…,” she said, “…”)."""
    attribution = _find_attribution(unit)
    if attribution is None:
        return []
    low = _fold(attribution.speaker.text)
    if unnamed is not None and attribution.speaker.kind == "anaphor" and low.endswith("nya") and low[:-3] in _SHORT_VERBS:
        spoken: tuple[str, bool] | None = (unnamed.speaker, False)
    else:
        postposed = attribution.speaker.kind == "anaphor" and low.endswith("nya") and low[:-3] in _SHORT_VERBS
        spoken = _canonical(attribution.speaker, ctx, primary if (postposed and primary) else last_named)
    if spoken is None:
        return []
    speaker, named = spoken
    speech = unit.speech()
    if len(speech) > 1:
        # Several quotations in one unit (“Kami siap,” katanya. “Stok aman.”): one statement each.
        spans = [_trim(ctx.source, seg.inner_start, seg.inner_end) for seg in speech]
        return [_quote(ctx.source, speaker, named, "direct", unit, span) for span in spans if span]
    if speech:
        seg = speech[0]
        words = _trim(ctx.source, seg.inner_start, seg.inner_end)
        kind = "direct"
    else:
        words = _reported_words(unit, attribution)
        kind = "reported"
    if words is None:
        # An inserted frame ("Pasokan, lanjut dia, belum pulih."): the whole sentence, without its full stop.
        words = _trim(ctx.source, unit.start, unit.end, trailing=".") if kind == "reported" else None
        words = words or (unit.start, unit.end)
    added = _ADDING.search(unit.masked, max(words[0] - unit.start, 0))
    if added is None:
        return [_quote(ctx.source, speaker, named, kind, unit, words)]
    # "“…,” kata X, seraya menambahkan, <clause>": a second statement of the same speaker.
    first = _trim(ctx.source, words[0], min(words[1], unit.start + added.start()), trailing=",.") or words
    then = _trim(ctx.source, unit.start + added.end(), unit.end, trailing=",.")
    return [_quote(ctx.source, speaker, named, kind, unit, first)] + (
        [_quote(ctx.source, speaker, named, "reported", unit, then)] if then else [])


def _continuation(unit: _Unit, last_unit: _Unit | None, previous: tuple[_Unit, Quote] | None) -> list[Quote]:
    """A paragraph (or sentence) that is only a quotation continues the statement just before it
    (newspaper convention). Elsewhere an unattributed quotation is nobody's statement."""
    if previous is None or last_unit is None or previous[0] is not last_unit or not unit.is_quotation_only():
        return []
    same_paragraph = last_unit.paragraph == unit.paragraph
    next_paragraph = last_unit.paragraph == unit.paragraph - 1 and last_unit.section == unit.section
    if not (same_paragraph or next_paragraph):
        return []
    speech = unit.speech()
    if not speech:
        return []
    words = _trim(unit.ctx.source, speech[0].inner_start, speech[-1].inner_end)
    if words is None:
        return []
    quote = previous[1]
    return [_quote(unit.ctx.source, quote.speaker, quote.named, "direct", unit, words)]


def _canonical(speaker: _Speaker, ctx: _Context, last_named: tuple[int, str] | None) -> tuple[str, bool] | None:
    """(speaker as stored, named): surnames made full, anaphora resolved to the last named speaker."""
    if speaker.kind == "name":
        words = speaker.text.split()
        if len(words) == 1 and _fold(words[0]) in ctx.aliases:
            return ctx.aliases[_fold(words[0])], True
        if len(words) == 1 and ctx.is_weak(words[0]) and ctx.is_initial(speaker.pos) and _char_after(
                ctx.source, speaker.pos + len(words[0])) == ",":
            return None  # "Diketahui, …": a sentence adverb set off by a comma, not a subject
        if len(words) == 1:
            full = ctx.resolve(speaker.text, speaker.pos)
            return (ctx.expand_clipping(full) if full == speaker.text else None) or full, True
        return speaker.text, True
    if speaker.kind == "org":
        return ctx.aliases.get(_fold(speaker.text), speaker.text), True
    if speaker.kind in ("title", "desc"):
        full = ctx.resolve_institution(speaker.text, speaker.pos) or ctx.resolve_title(speaker.text)
        if full is None and _fold(speaker.text) in _PLURAL_PRONOUNS and ctx.last_organisation is not None:
            full = ctx.last_organisation[1]  # "Mereka menilai …" right after an organisation's statement
        if full is None and ctx.last_organisation is not None and _collective(speaker.text) and (
                " dan " in ctx.last_organisation[1] or " and " in ctx.last_organisation[1]):
            full = ctx.last_organisation[1]  # "kedua perusahaan", "ketiga lembaga ini": the bodies that spoke together
        return (full, True) if full else (speaker.text, False)
    # "…,” ujarnya" carries on the statement before it: its speaker first. "Ia menilai …", "analis
    # tersebut": a person who became the subject since then takes over.
    low = _fold(speaker.text)
    postposed = low.endswith("nya") and low[:-3] in _SHORT_VERBS
    person = ctx.person_before(speaker.pos)
    if person is not None and not postposed and (last_named is None or person[0] > last_named[0]):
        return person[1], True
    if last_named is not None:
        return last_named[1], True
    person = person or ctx.person_before(speaker.pos, subjects_only=False)
    if person is not None:
        return person[1], True
    return (speaker.text, False) if speaker.text else None


def _reported_words(unit: _Unit, attribution: _Attribution) -> tuple[int, int] | None:
    """The reported clause: after "bahwa"/"that", after "Menurut X,", after a free verb, or the unit."""
    if attribution.before is not None:
        words = _trim(unit.ctx.source, unit.start + attribution.before[0], unit.start + attribution.before[1], trailing=",.")
        if words:
            return words
    for rel in (attribution.that_end, attribution.clause_after, attribution.verb_end if attribution.free else None):
        if rel is not None and rel == attribution.verb_end:
            # "menuturkan kepada CNNIndonesia.com, harga …": the one told is not part of the words.
            m = _ADDRESSEE.match(unit.masked, rel)
            if m:
                rel = m.end()
        if rel is not None:
            words = _trim(unit.ctx.source, unit.start + rel, unit.end, trailing=",.")
            if words:
                return words
    return None


# "…, seraya menambahkan, …", "…, sambil menambahkan bahwa …", "…, adding that …": the speaker adds a clause.
_ADDING = re.compile(rf"(?:,\s*|\s+)(?:{alternation(wordlist('verbs.adding'))})\b\s*,?\s*"
                     rf"(?:(?:{alternation(wordlist('that'))})\b\s*)?", re.IGNORECASE)
_ADDRESSEE = re.compile(r"\s+(?:kepada|to)\s+(?:[^,.;:!?\n]|\.(?=\w)){1,60},\s*", re.IGNORECASE)


def _trim(source: str, start: int, end: int, trailing: str = ",") -> tuple[int, int] | None:
    """A span without surrounding spaces, leading commas and ``trailing`` punctuation: the comma of
    “…,” kata X is not part of the words; the period ending a reported clause is not either."""
    while start < end and (source[start].isspace() or source[start] in ",:"):
        start += 1
    while end > start and (source[end - 1].isspace() or source[end - 1] in trailing):
        end -= 1
    return (start, end) if start < end else None


def _quote(source: str, speaker: str, named: bool, kind: str, unit: _Unit, words: tuple[int, int]) -> Quote:
    start, end = unit.start, unit.end
    w_start, w_end = max(words[0], start), min(words[1], end)
    if not w_start < w_end:
        w_start, w_end = start, end
    return Quote(speaker, named, kind, start, end, source[start:end], w_start, w_end)
