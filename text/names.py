"""Names as news copy writes them and as users ask for them: folding, the comparable form of a name,
whether a mention names a speaker, and the nicknames an archive declares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from text.datafiles import data_lines
from text.wordlists import words as wordlist

TITLES = wordlist("honorifics") | wordlist("titles")  # dropped in front of a name
PLACES = wordlist("places") | wordlist("countries")  # dropped in front of a name
OFFICES = wordlist("offices")  # offices one person holds; an abbreviation written out gives words of this list too
SURNAME_FIRST = wordlist("surname_first", ("names",))  # "Xi" names "Xi Jinping"; "David" not "David Dalton"


def fold(text: str) -> str:
    """Lower case without accents, curly apostrophes made straight."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'").lower()


@lru_cache(maxsize=1)
def office_abbreviations() -> dict[str, tuple[str, ...]]:
    """abbreviation -> its words, from text/data/title_abbreviations_id.txt ("dirjen" -> direktur jenderal)."""
    return {parts[0]: tuple(parts[1:]) for line in data_lines("title_abbreviations_id") if len(parts := line.split()) > 1}


def office_words(words: Iterable[str]) -> list[str]:
    """The words folded, an office's abbreviation written out ("Dirjen" -> "direktur", "jenderal";
    "Menkeu" -> "menteri", "keuangan"), so that offices compare word by word however they are written."""
    out: list[str] = []
    for word in words:
        folded = fold(word)
        out.extend(office_abbreviations().get(folded, (folded,)))
    return out


def names_office(text: str, office: tuple[str, ...]) -> bool:
    """Whether ``text`` names ``office`` (``office_words`` of it) as that office, not as part of
    another: "Wakil Menteri Perhubungan" names no "Menteri"; "Dirut PT X" names a "Direktur Utama"."""
    said = office_words(re.findall(r"\w+(?:[-'’]\w+)*", text))
    return any(said[i:i + len(office)] == list(office) and (i == 0 or said[i - 1] not in OFFICES)
               for i in range(len(said) - len(office) + 1))


def initials(name: str) -> str:
    """The capitals its words begin with ("Badan Pusat Statistik" -> "BPS")."""
    return "".join(w[0] for w in name.replace("-", " ").split() if w[:1].isupper())


def is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


# Indonesian names keep the spellings before the 1972 reform beside the new ones ("Pandjaitan" and
# "Panjaitan", "Soeharto" and "Suharto"): both sides of a comparison are written the new way.
_OLD_SPELLING = re.compile(r"dj|tj|oe|sj")  # not "nj": "Panjaitan" has it in the new spelling too
_NEW_SPELLING = {"dj": "j", "tj": "c", "oe": "u", "sj": "sy"}


def name_key(name: str) -> str:
    """A comparable form of a name: no honorifics or titles in front, lower case, no accents, the
    current Indonesian spelling."""
    words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"\w+(?:[-'’]\w+)*", name)]
    low = [fold(w) for w in words if w]
    i = 0
    while i < len(low) and (low[i] in TITLES or low[i] in PLACES):
        i += 1
    return " ".join(_OLD_SPELLING.sub(lambda m: _NEW_SPELLING[m.group()], w) for w in (low[i:] or low))


def speaker_matches(mention: str, speaker: str) -> bool:
    """Whether a user's mention ("Dalton", "mr dalton", "Xi") names this speaker ("David Dalton")."""
    said, full = name_key(mention).split(), name_key(speaker).split()
    if not said or not full:
        return False
    if said == full:
        return True
    if len(said) == 1:
        word, last = said[0], full[-1]
        if word == last or word == last.split("-")[-1]:
            return True
        # A given name alone is too weak, but an East Asian surname comes first ("Xi Jinping").
        return word == full[0] and word in SURNAME_FIRST
    if len(full) == 1:  # the article only gave a surname; the user gave more
        return said[-1] == full[0] or (said[0] == full[0] and full[0] in SURNAME_FIRST)
    flat_said = " ".join(said).replace("-", " ").split()
    flat_full = " ".join(full).replace("-", " ").split()
    return flat_said[-1] == flat_full[-1] and _is_subsequence(flat_said, flat_full)


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


class AliasTable:
    """The nicknames and acronyms an archive declares ("Joko Widodo (Jokowi)" in one article lets
    "Jokowi" in another be Joko Widodo). Each alias keeps the full name most articles give it."""

    def __init__(self, pairs: Iterable[tuple[str, str, int]] = ()) -> None:
        best: dict[str, tuple[int, list[tuple[str, str]]]] = {}
        for alias, name, count in pairs:
            key = fold(alias)
            top, names = best.get(key, (0, []))
            if count > top:
                best[key] = (count, [(alias, name)])
            elif count == top:
                names.append((alias, name))
        self.pairs = [pair for _, names in best.values() for pair in names]
        self._declared: dict[str, list[str]] = {}  # full name -> the aliases that stand for it
        for alias, name in self.pairs:
            self._declared.setdefault(name, []).append(alias)

    def declared_for(self, name: str) -> list[str]:
        """The aliases the archive declares for exactly ``name`` ("Kemenperin" for Kementerian Perindustrian)."""
        return list(self._declared.get(name, ()))

    def __len__(self) -> int:
        return len(self.pairs)

    def names_for(self, mention: str) -> list[str]:
        """``mention`` and what the archive says is the same person or body."""
        out = [mention]
        words = mention.split()
        for alias, name in self.pairs:
            if speaker_matches(mention, name) and alias not in out:
                out.append(alias)
            elif name_key(mention) == name_key(alias) and name not in out:
                out.append(name)
            elif (len(words) >= 2 and words[-1] == alias and name.split()[: len(words) - 1] == words[:-1]
                  and name not in out):
                out.append(name)  # "Kementerian ESDM" and "Kementerian Energi dan Sumber Daya Mineral (ESDM)"
        return out

    def same(self, a: str, b: str) -> bool:
        return any(speaker_matches(x, b) or speaker_matches(b, x) for x in self.names_for(a))
