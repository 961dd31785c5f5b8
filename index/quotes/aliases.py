"""Nicknames and acronyms an article declares ("Joko Widodo (Jokowi)", "Ani, sapaan akrab Sri Mulyani")."""

from __future__ import annotations

import re

from index.articles import Article
from index.quotes._context import _Context
from index.quotes._words import _ORGANISATION_WORDS, _PLACES, _STOPWORDS, _TITLES, _WORD
from text.names import fold as _fold
from text.names import is_acronym as _is_acronym
from text.names import name_key
from text.wordlists import words as wordlist

# ---------------------------------------------------------------- nicknames


_ALIAS_NOUNS = wordlist("alias_nouns")
_ALIAS_VERBS = wordlist("alias_verbs")
_ALIAS_ADVERBS = wordlist("alias_adverbs")
_JOINED_BEFORE = re.compile(r"(?:[A-Z][\w-]* )+(?:dan|and|of|untuk|for) $")
_BRACKETED = re.compile(r"\s*\(([^\W\d_][\w.-]*)\)")


def declared_aliases(article: Article) -> list[tuple[str, str]]:
    """(nickname or acronym, full name) pairs the article declares: "Joko Widodo (Jokowi)", "Bank
    Indonesia (BI)", "Ani, sapaan akrab Sri Mulyani", "Zulkifli Hasan, yang akrab disapa Zulhas"."""
    return _declared_aliases(_Context(article)) if article.paragraphs else []


def _declared_aliases(ctx: _Context) -> list[tuple[str, str]]:
    source = ctx.source
    found: dict[tuple[str, str], None] = {}

    def usable(alias: str, name: str) -> bool:
        low = _fold(alias)
        return (alias[:1].isupper() and low not in _TITLES and low not in _ORGANISATION_WORDS and low not in _PLACES
                and low not in _STOPWORDS and name_key(alias) != name_key(name) and len(name.split()) >= 2)

    runs = [run for run in ctx.runs if run.name]
    starts = {run.start: run for run in runs}
    for run in ctx.all_runs:
        if run.name:
            continue
        # "Organisasi Pangan dan Pertanian (FAO)": a body whose name ends in an office word.
        m = _BRACKETED.match(source, run.end)
        if m and _is_acronym(m.group(1)) and _JOINED_BEFORE.search(source, max(0, run.start - 80), run.start):
            start = run.start
            while (joined := _JOINED_BEFORE.search(source, max(0, start - 80), start)) is not None:
                start = joined.start()
            name = source[start : run.end]
            if usable(m.group(1), name):
                found[(m.group(1), name)] = None
    for run in runs:
        m = _BRACKETED.match(source, run.end)
        if m and _is_acronym(m.group(1)):
            # "Organisasi Pangan dan Pertanian PBB (FAO)": an institution's name may hold "dan".
            start = run.start
            while (joined := _JOINED_BEFORE.search(source, max(0, start - 80), start)) is not None:
                start = joined.start()
            name = source[start : run.end] if start < run.start else run.name_text
            if usable(m.group(1), name):
                found[(m.group(1), name)] = None
                continue
        if m and usable(m.group(1), run.name_text):
            found[(m.group(1), run.name_text)] = None
            continue
        # "Zulkifli Hasan, yang akrab disapa Zulhas": cue words, then one capitalised word.
        tail = _WORD.finditer(source, run.end, min(len(source), run.end + 60))
        cue = False
        for w in tail:
            low = _fold(w.group())
            gap = source[run.end : w.start()]
            if "." in gap or "\n" in gap:
                break
            if low in _ALIAS_VERBS:
                cue = True
            elif cue and w.group()[:1].isupper():
                if usable(w.group(), run.name_text):
                    found[(w.group(), run.name_text)] = None
                break
            elif low not in _ALIAS_ADVERBS:
                break
    # "Prabowo Subianto …, ujar Prabowo": a person the article calls by a word of a full name it gives
    # that is not its last (a surname alone matches the speaker anyway: text.names.speaker_matches).
    for run in runs:
        if len(run.name) != 1 or not run.strong or _is_acronym(run.name_text):
            continue
        full = ctx.resolve(run.name_text, run.start)
        words = [_fold(w) for w in full.split()]
        if (len(words) >= 2 and _fold(run.name_text) in words[:-1] and words[-1] != _fold(run.name_text)
                and ctx.is_person(full) and ctx.is_person(run.name_text) and usable(run.name_text, full)):
            found[(run.name_text, full)] = None
    # "Ani, sapaan akrab Sri Mulyani" / "Ani, panggilan Sri Mulyani": the nickname comes first.
    for run in runs:
        if len(run.name) != 1:
            continue
        words = list(_WORD.finditer(source, run.end, min(len(source), run.end + 40)))
        if not words or source[run.end : words[0].start()].strip() != "," or _fold(words[0].group()) not in _ALIAS_NOUNS:
            continue
        for w in words[1:]:
            if _fold(w.group()) in _ALIAS_ADVERBS:
                continue
            full = starts.get(w.start())
            if full is not None and usable(run.name_text, full.name_text):
                found[(run.name_text, full.name_text)] = None
            break
    return list(found)
