"""What a whole article tells about names: which capitalised words are ordinary words, which full
names it spells out, who is the subject of a sentence (for "dia", "ujarnya")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from index.articles import Article
from index.quotes._words import (
    _ABBREVIATIONS,
    _APPOSITION_ROLE,
    _AUX,
    _DEMONSTRATIVES,
    _DOCUMENTS,
    _INSTITUTIONS,
    _NAME_CONNECTORS,
    _NAME_PARTICLES,
    _OFFICE_JOINERS,
    _NOT_PERSON,
    _ORGANISATION_HEADS,
    _ORGANISATION_WORDS,
    _PLACES,
    _PLURAL,
    _SOURCING,
    _STOPWORDS,
    _TITLES,
    _VERBISH,
    _WORD,
)
from text.names import fold as _fold
from text.names import is_acronym as _is_acronym
from text.tokens import common_word as _common_word
from text.tokens import indonesian_words as _indonesian_words
from text.tokens import stem as _stem
from text.tokens import word_list as _word_list
from text.wordlists import words as wordlist

if TYPE_CHECKING:
    from index.quotes import Quote


def _is_descriptor(word: str) -> bool:
    low = _fold(word).rstrip(".")
    return low in _TITLES or low in _PLACES or _is_acronym(word)


_ENGLISH_ORGANISATION_WORDS = wordlist("organisation_words", ("en",))
_DEGREES = wordlist("degrees", ("names",))
_CALLED_AFTER = wordlist("called_after", ("names",))  # "Muhammad Haryo": a given name before the one used
_HEAD_TITLES = _word_list("titles_id") | _word_list("titles_en")  # offices that open a person's title
# "kepala negara" -> ("presiden",): an office written as its epithet
_EPITHETS = {written.replace("+", " "): tuple(office.split("+"))
             for written, office in (entry.split("=", 1) for entry in wordlist("epithets", ("id",)))}


def _split_descriptors(words: list[str]) -> tuple[list[str], list[str]]:
    """("Menteri Luar Negeri Rusia", "Sergei Lavrov"): titles and country words in front of a name."""
    if words and _fold(words[0]) in _ORGANISATION_HEADS and _is_acronym(words[0]):
        return [], words  # "PT Sinar Jaya Abadi": a company's name opens with its legal form
    i = 0
    while i < len(words) and _is_descriptor(words[i]):
        i += 1
    # A portfolio the lists do not know ("Menteri Perhubungan Rusia Pavel Gromov"): the name is
    # what follows the last title or country word, when something does. An institution's own name
    # ("Badan Pusat Statistik Sulawesi Selatan") is not split at a country or region word.
    if i == 0 and words and _fold(words[0]) in _ORGANISATION_HEADS:
        return [], words
    if len(words) >= 2 and _fold(words[-1]) in _ENGLISH_ORGANISATION_WORDS and _fold(words[0]) not in _TITLES:
        return [], words  # "Federal Reserve", "International Monetary Fund": an English name ends in its head
    later = [j for j in range(i, len(words) - 1) if _is_descriptor(words[j])]
    if later and len(words) - later[-1] - 1 >= 2:
        i = later[-1] + 1
    return words[:i], words[i:]


def _is_degree(word: str) -> bool:
    """An academic degree written after a name ("MSc", "SH", "Ph.D"): two capitals or more, so that
    the surname "Ma" is no "MA"."""
    letters = word.replace(".", "")
    return sum(c.isupper() for c in letters) >= 2 and _fold(letters) in _DEGREES


def _opens_balinese_name(words: list[str], k: int) -> bool:
    """"I" or "Ni" before a Balinese name element ("I Made Suarta", "Ni Luh Ayu"): where a Balinese
    name opens, whatever office or place comes before it; not the English pronoun, nor a numeral."""
    return (words[k] in ("I", "Ni") and k + 1 < len(words) and words[k + 1][:1].isupper()
            and _fold(words[k + 1]) in _CALLED_AFTER - {"i", "ni"})


# ---------------------------------------------------------------- article context


@dataclass
class _Run:
    """A run of capitalised words: its descriptors ("Presiden Rusia") and the name after them."""

    start: int
    end: int
    descriptors: list[str]
    name: list[str]
    name_text: str
    strong: bool  # not at the start of a sentence, where any word is capitalised
    office: bool = False  # carries on an office after "dan": "Kepala Pusat Distribusi dan | Cadangan Pangan Risfaheri"


class _Context:
    """What the whole article tells about names: which capitalised words are ordinary words, and
    which full names it spells out (to turn "Dalton" into "David Dalton")."""

    def __init__(self, article: Article) -> None:
        self.bodies: frozenset[str] = frozenset()  # folded names the article declares an acronym for
        self.source = article.source
        self.paragraph_starts = {s for s, _ in article.paragraphs}
        self.lower_words: set[str] = set()
        for s, e in article.paragraphs:
            self.lower_words.update(_fold(w) for w in _WORD.findall(self.source[s:e]) if w[:1].islower())
        # Capitalised words the article writes on their own inside a sentence ("kata Rida"): a person
        # is named by them, so in a longer run they may open the person's name.
        # Words the article writes alone in brackets after a name: the short form it declares for a
        # body ("Kementerian Perindustrian (Kemenperin)") or a nickname.
        self.declared_short = {_fold(w) for w in re.findall(r"\((\w+)\)", self.source)}
        self.single_words: set[str] = set()
        for s, e in article.paragraphs:
            tokens = [(m.start() + s, m.end() + s, m.group()) for m in _WORD.finditer(self.source[s:e])]
            for k, (a, b, w) in enumerate(tokens):
                if not w[:1].isupper() or self.is_initial(a):
                    continue
                joined_before = k > 0 and tokens[k - 1][2][:1].isupper() and _joins(self.source[tokens[k - 1][1] : a], tokens[k - 1][2])
                joined_after = k + 1 < len(tokens) and tokens[k + 1][2][:1].isupper() and _joins(self.source[b : tokens[k + 1][0]], w)
                if not (joined_before or joined_after):
                    self.single_words.add(_fold(w))
        self.runs: list[_Run] = []
        self.all_runs: list[_Run] = []  # also runs of titles or country words only ("Organisasi Pangan dan Pertanian")
        for s, e in article.paragraphs:
            tokens = [(m.start() + s, m.end() + s, m.group()) for m in _WORD.finditer(self.source[s:e])]
            found = self.name_runs(tokens, self.source, 0)
            self.all_runs.extend(found)
            self.runs.extend(r for r in found if r.name)
        # Words shown to be names: capitalised inside a sentence, or part of a longer name or a title + name.
        self.strong_words = {_fold(w) for run in self.runs if run.strong or len(run.name) >= 2 or run.descriptors
                             for w in run.name}
        # Indexes over ``runs`` (in document order), so that resolving a name does not scan them all.
        self._by_last: dict[str, list[_Run]] = {}  # last word of a full name, or its last hyphen part
        self._by_first: dict[str, list[_Run]] = {}
        self._by_inner: dict[str, list[_Run]] = {}  # a later word of a name of three words or more, not its last
        self._by_descriptors: dict[tuple[str, ...], set[str]] = {}
        for run in self.runs:
            if 2 <= len(run.name) <= 4:
                words = [_fold(w) for w in run.name]
                for key in dict.fromkeys((words[-1], words[-1].split("-")[-1])):
                    self._by_last.setdefault(key, []).append(run)
                self._by_first.setdefault(words[0], []).append(run)
                for word in words[1:-1]:  # "Monex Investindo Ariston Tjendra …, ujar Ariston": an employer before it
                    self._by_inner.setdefault(word, []).append(run)
            if len(run.name) >= 2:
                key = tuple(_fold(w) for w in run.descriptors)
                self._by_descriptors.setdefault(key, set()).add(run.name_text)
                # "Dieter Keller, an analyst at …" gives the role after the name.
                role = _APPOSITION_ROLE.match(self.source, run.end)
                if role and _fold(role.group(1)) in _TITLES:
                    self._by_descriptors.setdefault((_fold(role.group(1)),), set()).add(run.name_text)
        # Organisations the article names ("Kementerian PUPR", "Bank Dunia", the employer in "Gubernur
        # Bank Indonesia Perry Warjiyo"), each from its head noun on: what "kementerian", "bank
        # sentral" or "lembaga itu" stand for.
        self.organisations: list[tuple[int, str, bool]] = []  # (offset, name, a sentence's subject)
        for s, e in article.paragraphs:
            tokens = [(m.start() + s, m.end() + s, m.group()) for m in _WORD.finditer(self.source[s:e])]
            for run in self.name_runs(tokens, self.source, 0):
                organisation = self._organisation_in(run)
                if organisation:
                    subject = self.is_initial(run.start) or self._verb_follows(run.end)
                    whole = organisation == " ".join(run.descriptors + run.name)
                    self.organisations.append((run.start, organisation, subject and whole))
        self._candidates: dict[str, tuple[list[_Run], list[int]]] = {}
        self.aliases: dict[str, str] = {}  # folded nickname or acronym -> the full name the article gives

    # A capitalised word at the start of a sentence may be an ordinary word.
    def is_initial(self, pos: int) -> bool:
        if pos in self.paragraph_starts:
            return True
        i = pos - 1
        while i >= 0 and (self.source[i] in " \t" or self.source[i] in "“«„\"'‘([—–-" or (
                self.source[i] in "”»" and i + 1 == pos and (i == 0 or self.source[i - 1].isspace()))):
            i -= 1  # opening marks; a closing mark written as an opener (”Kami siap,” kata dia)
        if i < 0 or self.source[i] == "\n" or i + 1 in self.paragraph_starts:
            return True
        if self.source[i] == ".":
            word = re.search(r"(\w+)$", self.source[max(0, i - 12) : i])
            if word and (_fold(word.group(1)) in _ABBREVIATIONS or len(word.group(1)) == 1):
                return False
            return True
        return self.source[i] in "!?…:;"

    def name_like(self, word: str, pos: int) -> bool:
        if not word[:1].isupper():
            return False
        low = _fold(word)
        if low in _TITLES or low in _PLACES:
            return True  # may lead a name; stripped later
        if low in _STOPWORDS:
            return False
        return not (self.is_initial(pos) and low in self.lower_words)

    def name_runs(self, tokens: list[tuple[int, int, str]], text: str, base: int) -> list[_Run]:
        """Maximal runs of name-like words in ``tokens`` (offsets into ``text``; ``base`` makes them absolute)."""
        runs: list[list[tuple[int, int, str]]] = []
        current: list[tuple[int, int, str]] = []
        texts = [w for _, _, w in tokens]
        for i, (s, e, w) in enumerate(tokens):
            if self.name_like(w, base + s) or _opens_balinese_name(texts, i):
                if current and not _joins(text[current[-1][1] : s], current[-1][2]):
                    runs.append(current)
                    current = []
                current.append((s, e, w))
            elif (
                current
                and _fold(w) in _NAME_PARTICLES
                and i + 1 < len(tokens)
                and self.name_like(tokens[i + 1][2], base + tokens[i + 1][0])
                and _joins(text[current[-1][1] : s], current[-1][2])
            ):
                current.append((s, e, w))
            else:
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        made = [self._make_run(r, text, base) for r in runs]
        for k in range(1, len(made)):
            # "Kepala Pusat Distribusi dan Cadangan Pangan Risfaheri", "Direktur Jenderal … Kementerian
            # Energi dan Sumber Daya Mineral Rida Mulyana": a run one connector after a titled run carries
            # on the office; the person's name is only its end.
            gap = text[runs[k - 1][-1][1] : runs[k][0][0]].split()
            titled = (len(gap) == 1 and bool(made[k - 1].descriptors)
                      and _fold(made[k - 1].descriptors[0]).rstrip(".") in _TITLES)
            if titled and _fold(gap[0]) in _OFFICE_JOINERS and not made[k - 1].name:
                # "Direktur Eksekutif sekaligus Kepala Departemen Komunikasi BI Onny Widjanarko": one holder
                made[k] = replace(made[k], office=True)  # its own words split as any run's
            elif (titled and _fold(gap[0]) in _NAME_CONNECTORS
                    and _fold(runs[k][0][2]).rstrip(".") not in _HEAD_TITLES):  # "… dan Wakil Presiden X": a second person
                made[k] = self._make_run(runs[k], text, base, office=True)
        return made

    def _single_word_starts(self, name: list[str], stop: int):
        """The positions before ``stop`` (past the first) where a person's name may start in a run: at
        a word the article also writes on its own ("ujar Rida"), when the rest looks like a person's."""
        return (k for k in range(1, stop) if _fold(name[k]) in self.single_words and not _is_acronym(name[k])
                and self.is_person(" ".join(name[k:])))

    def _person_start(self, name: list[str]) -> int:
        """Where a person's name starts in a run that carries on an office: at a word the article also
        writes on its own ("ujar Rida"), else after the office's common words."""
        alone = next(self._single_word_starts(name, len(name)), None)
        if alone is not None:
            return alone
        k = 0
        while k < len(name) - 1:
            strong = _fold(name[k]) in self.lower_words or _nominalisation(name[k]) or _is_acronym(name[k])
            # The last two words may be the whole name ("Arifin Tasrif"): only a word the office shows
            # it owns (written in lower case elsewhere, "-an", an acronym) is cut from them.
            if not (strong or (_common_word(name[k], "id") and len(name) - k > 2)):
                break
            k += 1
        return k

    def _alone_start(self, name: list[str]) -> int:
        """After a title, where a person's name starts past their employer or the rest of an office: at
        a word the article also writes on its own ("Direktur Keuangan Pertamina Emma Sri Martini …,
        ungkap Emma"), when two words or more follow it that look like a person's name, and what comes
        before it is written apart from it too ("Pertamina"), in lower case elsewhere ("Investasi"), or
        is no given name of those written before the one a person is called by ("Monex Investindo
        Ariston Tjendra …, ujar Ariston"; not "Muhammad Haryo Yunianto …, kata Haryo": ``_CALLED_AFTER``)."""
        return next((k for k in self._single_word_starts(name, len(name) - 1)
                     if self._written_apart(name[:k], name[k]) or all(_fold(w) in self.lower_words for w in name[:k])
                     or not any(_fold(w) in _CALLED_AFTER for w in name[:k])), 0)

    def _written_apart(self, words: list[str], following: str) -> bool:
        """Whether the article writes ``words`` elsewhere without ``following`` after them: an employer
        ("Pertamina") stands on its own, a given name ("Muhammad Haryo") does not."""
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b(?!\s+" + re.escape(following) + r"\b)"
        return re.search(pattern, self.source) is not None

    def _make_run(self, tokens: list[tuple[int, int, str]], text: str, base: int, office: bool = False) -> _Run:
        words = [re.sub(r"['’]s$", "", w) for _, _, w in tokens]
        descriptors, name = _split_descriptors(words)
        opening = next((k for k in range(len(name) - 1) if _opens_balinese_name(name, k)), None)
        if opening is not None:  # "… Provinsi Bali I Wayan Sudarsa": the name opens there, whatever precedes
            return self._finish_run(tokens, text, base, descriptors + name[:opening], name[opening:], office)
        # "Direktur Center of Economic and Law Studies (Celios) Bhima Yudhistira": a body's short form in
        # parentheses (blanked) ends the body; a person's name after it is the speaker.
        gaps = [text[tokens[len(descriptors) + k][1] : tokens[len(descriptors) + k + 1][0]] for k in range(len(name) - 2)]
        aside = max((k for k, gap in enumerate(gaps) if gap.count(" ") > 2), default=None)
        if aside is not None and self.is_person(" ".join(name[aside + 1 :])):
            return self._finish_run(tokens, text, base, descriptors + name[: aside + 1], name[aside + 1 :], office)
        employer = self._person_start(name) if office else self._employer_length(name)
        if not office and not employer and descriptors:
            employer = self._alone_start(name)
        descriptors, name = descriptors + name[:employer], name[employer:]
        if (descriptors and _fold(descriptors[-1]).rstrip(".") in _ORGANISATION_HEADS and len(name) >= 3
                and not any(_fold(w) in self.lower_words for w in name[1:])):
            # "Direktur Utama PT Pertamina (Persero) Nicke Widyawati": the word after "PT" is the company's.
            descriptors, name = descriptors + name[:1], name[1:]
        # "(Menko Kemaritiman dan) Investasi Luhut Binsar Panjaitan": a common word the article also
        # writes in lower case, capitalised as part of an office, is not part of the person's name; nor
        # is a noun made from a root or a body's declared short form before a name of two words
        # ("Pegadaian Harianto Widodo", "Dirjen IKFT Kemenperin Reni Yanita").
        while (len(name) >= 2 and (_fold(name[0]) in self.lower_words or _fold(name[0]) in _DOCUMENTS
                                   or (len(name) >= 3 and (_nominalisation(name[0])
                                                           or _fold(name[0]) in self.declared_short)))
               and self.is_person(" ".join(name[1:]))):
            descriptors, name = descriptors + name[:1], name[1:]
        return self._finish_run(tokens, text, base, descriptors, name, office)

    def _finish_run(self, tokens: list[tuple[int, int, str]], text: str, base: int, descriptors: list[str],
                    name: list[str], office: bool) -> _Run:
        while len(name) >= 2 and _is_degree(name[-1]):
            name = name[:-1]  # "drh CA Nidom MS": the degree after the name is no part of it
        if name:
            first = tokens[len(descriptors)]
            name_text = re.sub(r"['’]s$", "", text[first[0] : tokens[len(descriptors) + len(name) - 1][1]])
            name_text = " ".join(name_text.split())  # a blanked aside inside: "Badan Pusat Statistik (BPS) Sulawesi"
        else:
            name_text = ""
        start = base + tokens[0][0]
        return _Run(start, base + tokens[-1][1], descriptors, name, name_text, not self.is_initial(start), office)

    def _employer_length(self, name: list[str]) -> int:
        """How many words in front of a person's name are their employer: "Valbury Futures Lukman
        Leong", "CT Corp Chairul Tanjung". The employer ends with a word that marks a company; what
        follows must look like a person's name (no word the article also writes in lower case)."""
        folded = [_fold(w).rstrip(".") for w in name]
        marks = [j for j in range(len(name) - 1) if folded[j] in _ORGANISATION_WORDS]
        if not marks:
            return 0
        j = marks[-1]
        if folded[j] in _ORGANISATION_HEADS:
            # "Bank Pesisir Raya Gunawan Setiadi": the institution's own name follows its head word
            # and ends at an acronym ("Kementerian PUPR Khalawi Abdul Hamid"), else the person's
            # name is the last two words.
            acronyms = [k for k in range(j + 1, len(name) - 1) if _is_acronym(name[k])]
            if acronyms:
                j = acronyms[-1]
            elif len(name) - j - 1 >= 3:
                j = len(name) - 3
            else:
                return 0  # "Bank Dunia", "Dana Moneter Internasional": the institution itself
        rest = folded[j + 1 :]
        if j == 0 and len(rest) < 2:
            return 0  # "Bank Mandiri": the company itself
        if any(w in self.lower_words or w in _ORGANISATION_WORDS or w in _PLACES or w in _TITLES for w in rest):
            return 0
        return j + 1

    def _organisation_in(self, run: _Run) -> str | None:
        """The organisation a run of capitalised words names, from its head noun on ("Kementerian
        PUPR"; "Bank Indonesia" in "Gubernur Bank Indonesia Perry Warjiyo"), or None."""
        words = run.descriptors + run.name
        heads = {_fold(w) for w in words} & (_ORGANISATION_HEADS | _INSTITUTIONS)
        if run.name and self.is_person(run.name_text) and not (run.descriptors and _fold(run.descriptors[-1]) in heads):
            words = run.descriptors  # "Gubernur Bank Indonesia | Perry Warjiyo"; not "Kementerian | Perumahan Rakyat"
        heads = [k for k, w in enumerate(words) if _fold(w) in _ORGANISATION_HEADS or _fold(w) in _INSTITUTIONS]
        if not heads:
            return None
        if len(words) - heads[0] >= 2:
            return " ".join(words[heads[0] :])  # "Kementerian PUPR", "Bank Dunia"
        if heads[0] == len(words) - 1 and len(words) >= 2 and not run.descriptors:
            return " ".join(words)  # "Brightwater Bank": an English head comes last
        return None

    def resolve_institution(self, description: str, pos: int) -> str | None:
        """The organisation a description headed by an institution noun stands for: one the article
        names with the same head ("kementerian", "bank sentral" -> "Kementerian PUPR", "Bank
        Indonesia"; the nearest before ``pos`` when it names several), else, with a demonstrative
        ("lembaga keuangan internasional itu"), the organisation last a sentence's subject. A
        capitalised name headed by one ("Bank Dunia") is that organisation; "pemerintah" the
        government."""
        words = _WORD.findall(description)
        key = [_fold(w) for w in words]
        if key and key[0] in ("the", "sang"):
            words, key = words[1:], key[1:]
        if not key or any(w in _PLURAL for w in key) or key[0] in _SOURCING:
            return None  # "Data Badan Statistik": figures, nobody speaking
        heads = [k for k, w in enumerate(key) if w in _ORGANISATION_HEADS or w in _INSTITUTIONS]
        if not heads:
            return None
        head = key[heads[0]]
        if len(words) >= 2 and words[0][:1].isupper() and words[-1][:1].isupper() and all(
                w[:1].isupper() or k in _NAME_CONNECTORS for w, k in zip(words, key)):
            return " ".join(words)  # "Bank Dunia", "Departemen Energi AS", "Ministry of Trade"
        if head in ("pemerintah", "government") and all(w in _PLACES for w in key[1:]):
            return " ".join([words[0][:1].upper() + words[0][1:]] + words[1:])
        same = [(at, name) for at, name, _ in self.organisations if head in _fold(name).split()]
        if same:
            if len({name for _, name in same}) == 1:
                return same[0][1]
            before = [name for at, name in same if at < pos]
            return before[-1] if before else None
        if any(w in _DEMONSTRATIVES for w in key[1:]):  # not a bare "the": "the ministry" after a bank is no bank
            # The organisation last a sentence's subject, or the last one that made a statement.
            before = [(at, name) for at, name, subject in self.organisations if at < pos and subject]
            if self.last_organisation is not None and self.last_organisation[0] < pos:
                before.append(self.last_organisation)
            return max(before)[1] if before else None
        return None

    def is_weak(self, word: str) -> bool:
        """A capitalised word met only where every word is capitalised (a sentence start): nothing
        shows it is a name ("Diketahui, …", "Sebelumnya, …")."""
        return _fold(word) not in self.strong_words

    def resolve(self, name: str, pos: int) -> str:
        """The full form of a one-word name: a full name in the article whose last word (or, in
        surname-first names, first word) it is; the nearest mention wins, earlier ones first."""
        key = _fold(name)
        if key not in self._candidates:
            # A last-word match beats a first-word one, which beats an inner word's; mentions inside a
            # sentence beat initial ones.
            found = self._by_last.get(key) or self._by_first.get(key) or self._by_inner.get(key, [])
            if any(run.strong for run in found):
                found = [run for run in found if run.strong]
            self._candidates[key] = (found, [run.start for run in found])
        found, starts = self._candidates[key]
        if not found:
            return name
        before = bisect_right(starts, pos)
        return (found[before - 1] if before else found[0]).name_text

    def expand_clipping(self, word: str) -> str | None:
        """The one organisation the article spells out whose first word ``word`` clips ("Fed" for
        "Federal Reserve"): a short form made by cutting a word, not an acronym nor a person's name."""
        low = _fold(word)
        if len(low) < 3 or not word[:1].isupper() or word.isupper():
            return None
        found = {run.name_text for run in self.runs if len(run.name) >= 2 and _fold(run.name[0]) != low
                 and _fold(run.name[0]).startswith(low) and not self.is_person(run.name_text)}
        return next(iter(found)) if len(found) == 1 else None

    def note_quotations(self, spans: list[tuple[int, int]]) -> None:
        """Where the quoted words are: a name inside a quotation is never what "dia" points back to."""
        spans = sorted(spans)
        starts = [a for a, _ in spans]

        def quoted(pos: int) -> bool:
            k = bisect_right(starts, pos) - 1
            return k >= 0 and pos < spans[k][1]

        # A person who is a sentence's subject (who opens it, or whom a verb follows) is the one
        # "dia" most often points back to.
        mentions = [(run.start, self.person_name(run), run) for run in self.runs if not quoted(run.start)]
        self._mentioned = [(pos, name) for pos, name, _ in mentions if name]
        self._mentioned_starts = [pos for pos, _ in self._mentioned]
        self._persons = [(pos, name) for pos, name, run in mentions
                         if name and (self.is_initial(run.start) or self._verb_follows(run.end))]
        self._person_starts = [pos for pos, _ in self._persons]
        self._reported: list[tuple[int, int]] = []
        self.last_organisation: tuple[int, str] | None = None  # when the last named statement is an organisation's

    def mentioned_before(self, name: str, pos: int) -> bool:
        """Whether the article writes a word of this person's name before ``pos`` (its headline included)."""
        return any(re.search(r"\b" + re.escape(w) + r"\b", self.source[:pos]) for w in name.split() if len(w) > 2)

    def is_person(self, name: str) -> bool:
        """Whether a speaker's name looks like a person's, not a company's, a place's or an office's."""
        words = name.split()
        if not words or all(_is_acronym(w) for w in words):
            return False
        folded = _fold(name)
        if any(body == folded or body.endswith(" " + folded) for body in self.bodies):
            return False  # "Penerapan Teknologi" of "Badan Pengkajian dan Penerapan Teknologi (BPPT)"
        return not any((_fold(w).rstrip(".") in _NOT_PERSON or _fold(w) in self.lower_words)
                       and not _opens_balinese_name(words, k) for k, w in enumerate(words))

    def person_name(self, run: _Run) -> str | None:
        """The full name when ``run`` names a person (not a company, a place or an office)."""
        if not run.name or not self.is_person(run.name_text):
            return None
        if len(run.name) >= 2:
            return run.name_text
        full = self.resolve(run.name_text, run.start)
        if not self.is_person(full):
            return None
        if len(full.split()) >= 2 or any(_fold(d).rstrip(".") in _TITLES for d in run.descriptors):
            return full
        return None

    def _verb_follows(self, pos: int) -> bool:
        """An active verb within a few words after ``pos`` (auxiliaries may stand between)."""
        for m in _WORD.finditer(self.source, pos, min(len(self.source), pos + 60)):
            gap = self.source[pos : m.start()]
            if any(c in gap for c in ",.;:()\"“”\n"):
                return False
            low = _fold(m.group())
            if low in _AUX:
                pos = m.end()
                continue
            return bool(_VERBISH.match(low)) and m.group()[:1].islower()
        return False

    def person_before(self, pos: int, *, subjects_only: bool = True) -> tuple[int, str] | None:
        """The person named last before ``pos`` (as a sentence's subject, or anywhere), outside
        quotations: whom "dia", "ujarnya" mean."""
        persons, starts = (self._persons, self._person_starts) if subjects_only else (self._mentioned, self._mentioned_starts)
        k = bisect_left(starts, pos) - 1
        while k >= 0 and any(a <= persons[k][0] < b for a, b in self._reported[-8:]):
            k -= 1  # a name inside someone's reported words is not who speaks next
        return persons[k] if k >= 0 else None

    def note_statement(self, quote: Quote) -> None:
        """What later anaphora need of a statement: where its reported words are, and whether an
        organisation said it ("BPS mencatat …. Mereka menilai …")."""
        if quote.kind == "reported":
            self._reported.append((quote.words_start, quote.words_end))
        if quote.named:
            self.last_organisation = None if self.is_person(quote.speaker) else (quote.start, quote.speaker)

    def resolve_title(self, description: str) -> str | None:
        """A title-only description ("presiden Rusia") that the article writes in front of exactly
        one name ("Presiden Rusia Vladimir Putin")."""
        key = [_fold(w) for w in _WORD.findall(description)]
        definite = bool(key) and (key[0] in ("the", "sang") or key[-1] in _DEMONSTRATIVES)
        if key and key[0] in ("the", "sang"):
            key = key[1:]
        if not key:
            return None
        office = _EPITHETS.get(" ".join(w for w in key if w not in _DEMONSTRATIVES))
        if office:
            # "Kepala Negara itu", "bendahara negara": the one person the article gives that office.
            words = set(office)
            names = {name for titles, found in self._by_descriptors.items() if words <= set(titles) for name in found}
            return next(iter(names)) if len(names) == 1 else None
        names = self._by_descriptors.get(tuple(key), set())
        if not names and definite:
            # "sang menteri", "the secretary", "menteri itu": the one person whose titles hold all its words.
            words = {w for w in key if w not in _DEMONSTRATIVES}
            if words and all(w in _TITLES for w in words):
                names = {name for titles, found in self._by_descriptors.items() if words <= set(titles) for name in found}
        return next(iter(names)) if len(names) == 1 else None


def _nominalisation(word: str) -> bool:
    """A noun made from a dictionary root with "-an" ("Cadangan", "Ketahanan"): an office's word."""
    low = _fold(word)
    return low.endswith("an") and len(low) > 5 and _stem(low) in _indonesian_words() and _stem(low) != low


def _joins(gap: str, previous: str) -> bool:
    """Whether two capitalised words with ``gap`` between them belong to one name."""
    if gap == " " or (gap and gap.isspace() and "\n" not in gap):  # a blanked aside counts as a space
        return True
    if gap.strip() == "." and gap.startswith(".") and gap[1:] == " ":
        return _fold(previous) in _ABBREVIATIONS or len(previous) == 1  # "Mr. Dalton", "George W. Bush"
    return False
