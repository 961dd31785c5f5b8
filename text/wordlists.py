"""Word lists kept as data: ``text/wordlists/<language>.txt``, one ``[section]`` per list, each
with a ``# from:`` line naming its source (see the files' headers)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).with_name("wordlists")
LANGUAGES = ("id", "en")


class WordListError(LookupError):
    pass


@lru_cache(maxsize=None)
def _sections(language: str) -> dict[str, frozenset[str]]:
    path = FOLDER / f"{language}.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise WordListError(f"word list file {path} cannot be read: {exc}") from exc
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), set())
        elif current is None:
            raise WordListError(f"{path}:{number}: words before the first [section]")
        else:
            current.update(line.split())
    return {name: frozenset(words) for name, words in sections.items()}


def sections(language: str) -> list[str]:
    return list(_sections(language))


@lru_cache(maxsize=None)
def words(section: str, languages: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """The words of ``section`` in each of ``languages`` (a section must exist in at least one)."""
    found = [_sections(lang)[section] for lang in languages if section in _sections(lang)]
    if not found:
        raise WordListError(f"no word list [{section}] in {', '.join(languages)} ({FOLDER})")
    return frozenset().union(*found)


def alternation(entries) -> str:
    """A regex alternation of word-list entries, escaped and longest first (so "one of" wins over
    "one"); an entry's "_" stands for a space ("sum_up")."""
    return "|".join(re.escape(w.replace("_", " ")) for w in sorted(entries, key=len, reverse=True))
