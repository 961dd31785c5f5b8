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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from index.articles import Article, Sentence
from text.names import is_acronym as _is_acronym, fold as _fold, name_key
from text.wordlists import words as wordlist


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


# ---------------------------------------------------------------- vocabulary

_PREDICATE_MARKERS = wordlist("predicate_markers")  # a clause, not an object, follows the verb
_ROLE_MARKERS = wordlist("role_markers")  # "Name selaku presiden X": the role follows
_APPOSITION_STARTS = wordlist("apposition_starts")  # "…, sebuah unit dari X,": describes what precedes
_SHORT_VERBS = wordlist("verbs.postposed")  # "“…,” kata X"; with -nya: "he/she said", the previous speaker
_FREE_VERBS = wordlist("verbs.clause")  # the object is the reported clause: "para analis memperkirakan …"
_NEEDS_VERBS = wordlist("verbs.framed")  # only with "bahwa"/"that", a colon or a quotation
_VERBS = _FREE_VERBS | _NEEDS_VERBS
_THAT = wordlist("that")
_NP_STOPS = wordlist("speaker_phrase_ends")  # "kata Putin kepada China News Agency"
_AUX = wordlist("auxiliaries")  # "Tiongkok telah menyatakan"
_DISCOURSE = wordlist("discourse")  # "Critics, however, argue": not a subject
_PARTICIPIAL = wordlist("participial")  # "…, juga memperingatkan bahwa": no subject of its own
_MANNER = wordlist("manner")  # "…, dengan mengatakan": the main clause's subject speaks
_NEGATORS = wordlist("pronouns.negated")
_PRONOUNS_SINGULAR = wordlist("pronouns.singular")
_PLURAL_PRONOUNS = wordlist("pronouns.plural")
_PLURAL = wordlist("plural")
_DEMONSTRATIVES = wordlist("demonstratives")
_INSTITUTIONS = wordlist("institutions")  # heads of descriptions that are never anaphora
_DOCUMENTS = wordlist("documents")  # "Menurut pernyataan itu": a document, not a speaker
_DESCRIPTION_STARTS = wordlist("description_starts")
_UNNAMED = wordlist("unnamed_heads")  # "seorang pejabat": nobody's name
_HONORIFICS = wordlist("honorifics")
_TITLES = _HONORIFICS | wordlist("titles")  # dropped in front of a name, kept when all there is
_PLACES = wordlist("places")  # dropped in front of a name; an organisation when all there is
_STOPWORDS = wordlist("stopwords")  # capitalised only because they open a sentence
_ORGANISATION_WORDS = wordlist("organisation_words")  # "Valbury Futures", "Bank Indonesia"
_ORGANISATION_HEADS = wordlist("organisation_heads", ("id",))  # "Bank X", "Universitas X": the name follows
_NOT_PERSON = _ORGANISATION_WORDS | _INSTITUTIONS | _DOCUMENTS | _PLACES | _TITLES | _STOPWORDS
_NAME_PARTICLES = wordlist("particles", ("names",))  # "Ursula von der Leyen"
_ABBREVIATIONS = _HONORIFICS | wordlist("abbreviations")  # "Mr. Dalton": the period ends nothing
_TITLE_CUES = wordlist("title_cues")  # "penulis “Red Flags”": a title, not speech

_OPENING_DOUBLE = "“«„"
_CLOSING_DOUBLE = "”»"
_CLOSERS = "”»\"’'"
_MASK = "\ue000"  # stands in for quoted characters: not a word character, not a space
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_DOUBLE_MARKS = re.compile("[" + _OPENING_DOUBLE + _CLOSING_DOUBLE + '"]')
_SINGLE_MARKS = re.compile("[‘’']")
_CLAUSE_MARKS = re.compile("[;:!?.”»]")  # what may end a clause (see _Unit.clause_bounds)
_AFTER_COMMA = re.compile(r"[^,.;:!?]*,\s*")
_APPOSITION_ROLE = re.compile(r",\s+(?:(?:a|an|the|seorang|sang)\s+)?(\w+)")
_PARENTHETICAL = re.compile(r"\([^()\n" + _MASK + r"]{1,60}\)")
_SUBJECT_WINDOW = 100  # words before a verb that may hold its subject (real clauses: under 40)
_VERBISH = re.compile(r"^(?:me|ber)[a-z]{4,}$")  # an Indonesian active verb between verb and "bahwa"


def _is_descriptor(word: str) -> bool:
    low = _fold(word).rstrip(".")
    return low in _TITLES or low in _PLACES or _is_acronym(word)


def _split_descriptors(words: list[str]) -> tuple[list[str], list[str]]:
    """("Menteri Luar Negeri Rusia", "Sergei Lavrov"): titles and country words in front of a name."""
    i = 0
    while i < len(words) and _is_descriptor(words[i]):
        i += 1
    # A portfolio the lists do not know ("Menteri Perhubungan Rusia Pavel Gromov"): the name is
    # what follows the last title or country word, when something does.
    later = [j for j in range(i, len(words) - 1) if _is_descriptor(words[j])]
    if later and len(words) - later[-1] - 1 >= 2:
        i = later[-1] + 1
    return words[:i], words[i:]


# ---------------------------------------------------------------- quotation marks


@dataclass(frozen=True)
class _Segment:
    open: int  # absolute offset of the opening mark
    inner_start: int
    inner_end: int
    close: int | None  # absolute offset of the closing mark; None when never closed


def _double_segments(text: str, base: int) -> tuple[list[_Segment], int | None]:
    """Double-quoted stretches of a paragraph. Curly and straight marks are read as one kind,
    because machine-translated copy mixes them (“…" ); a stray closer is ignored."""
    segments: list[_Segment] = []
    opened: int | None = None
    for m in _DOUBLE_MARKS.finditer(text):
        i, ch = m.start(), m.group()
        if ch in _OPENING_DOUBLE and opened is None:
            opened = i
        elif (ch in _CLOSING_DOUBLE or ch == '"') and opened is not None:
            segments.append(_Segment(base + opened, base + opened + 1, base + i, base + i))
            opened = None
        elif ch == '"':
            opened = i
    return segments, (None if opened is None else base + opened)


def _single_segments(text: str, base: int, taken: list[tuple[int, int]]) -> list[_Segment]:
    """Single-quoted stretches outside double quotes (‘…’ or '…'). An apostrophe is told apart
    from a mark by its neighbours: a mark opens before a word and closes after one."""
    segments = []
    opened: int | None = None
    # ``taken`` spans (one per double quotation) never overlap: bisect them rather than scan them all.
    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    for m in _SINGLE_MARKS.finditer(text):
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
            segments.append(_Segment(base + opened, base + opened + 1, base + i, base + i))
            opened = None
    return segments  # an unclosed single mark was an apostrophe after all


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


class _Context:
    """What the whole article tells about names: which capitalised words are ordinary words, and
    which full names it spells out (to turn "Dalton" into "David Dalton")."""

    def __init__(self, article: Article) -> None:
        self.source = article.source
        self.paragraph_starts = {s for s, _ in article.paragraphs}
        self.lower_words: set[str] = set()
        for s, e in article.paragraphs:
            self.lower_words.update(_fold(w) for w in _WORD.findall(self.source[s:e]) if w[:1].islower())
        self.runs: list[_Run] = []
        for s, e in article.paragraphs:
            tokens = [(m.start() + s, m.end() + s, m.group()) for m in _WORD.finditer(self.source[s:e])]
            self.runs.extend(r for r in self.name_runs(tokens, self.source, 0) if r.name)
        # Words shown to be names: capitalised inside a sentence, or part of a longer name or a title + name.
        self.strong_words = {_fold(w) for run in self.runs if run.strong or len(run.name) >= 2 or run.descriptors
                             for w in run.name}
        # Indexes over ``runs`` (in document order), so that resolving a name does not scan them all.
        self._by_last: dict[str, list[_Run]] = {}  # last word of a full name, or its last hyphen part
        self._by_first: dict[str, list[_Run]] = {}
        self._by_descriptors: dict[tuple[str, ...], set[str]] = {}
        for run in self.runs:
            if 2 <= len(run.name) <= 4:
                words = [_fold(w) for w in run.name]
                for key in dict.fromkeys((words[-1], words[-1].split("-")[-1])):
                    self._by_last.setdefault(key, []).append(run)
                self._by_first.setdefault(words[0], []).append(run)
            if len(run.name) >= 2:
                key = tuple(_fold(w) for w in run.descriptors)
                self._by_descriptors.setdefault(key, set()).add(run.name_text)
                # "Dieter Keller, an analyst at …" gives the role after the name.
                role = _APPOSITION_ROLE.match(self.source, run.end)
                if role and _fold(role.group(1)) in _TITLES:
                    self._by_descriptors.setdefault((_fold(role.group(1)),), set()).add(run.name_text)
        self._candidates: dict[str, tuple[list[_Run], list[int]]] = {}
        self.aliases: dict[str, str] = {}  # folded nickname or acronym -> the full name the article gives

    # A capitalised word at the start of a sentence may be an ordinary word.
    def is_initial(self, pos: int) -> bool:
        if pos in self.paragraph_starts:
            return True
        i = pos - 1
        while i >= 0 and (self.source[i] in " \t" or self.source[i] in "“«„\"'‘([—–-"):
            i -= 1
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
        for i, (s, e, w) in enumerate(tokens):
            if self.name_like(w, base + s):
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
        return [self._make_run(r, text, base) for r in runs]

    def _make_run(self, tokens: list[tuple[int, int, str]], text: str, base: int) -> _Run:
        words = [re.sub(r"['’]s$", "", w) for _, _, w in tokens]
        descriptors, name = _split_descriptors(words)
        employer = self._employer_length(name)
        descriptors, name = descriptors + name[:employer], name[employer:]
        # "(Menko Kemaritiman dan) Investasi Luhut Binsar Panjaitan": a common word the article also
        # writes in lower case, capitalised as part of an office, is not part of the person's name.
        while (len(name) >= 2 and (_fold(name[0]) in self.lower_words or _fold(name[0]) in _DOCUMENTS)
               and self.is_person(" ".join(name[1:]))):
            descriptors, name = descriptors + name[:1], name[1:]
        if name:
            first = tokens[len(descriptors)]
            name_text = re.sub(r"['’]s$", "", text[first[0] : tokens[-1][1]])
        else:
            name_text = ""
        start = base + tokens[0][0]
        return _Run(start, base + tokens[-1][1], descriptors, name, name_text, not self.is_initial(start))

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

    def is_weak(self, word: str) -> bool:
        """A capitalised word met only where every word is capitalised (a sentence start): nothing
        shows it is a name ("Diketahui, …", "Sebelumnya, …")."""
        return _fold(word) not in self.strong_words

    def resolve(self, name: str, pos: int) -> str:
        """The full form of a one-word name: a full name in the article whose last word (or, in
        surname-first names, first word) it is; the nearest mention wins, earlier ones first."""
        key = _fold(name)
        if key not in self._candidates:
            # A last-word match beats a first-word one; mentions inside a sentence beat initial ones.
            found = self._by_last.get(key) or self._by_first.get(key, [])
            if any(run.strong for run in found):
                found = [run for run in found if run.strong]
            self._candidates[key] = (found, [run.start for run in found])
        found, starts = self._candidates[key]
        if not found:
            return name
        before = bisect_right(starts, pos)
        return (found[before - 1] if before else found[0]).name_text

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

    def is_person(self, name: str) -> bool:
        """Whether a speaker's name looks like a person's, not a company's, a place's or an office's."""
        words = name.split()
        if not words or all(_is_acronym(w) for w in words):
            return False
        return not any(_fold(w).rstrip(".") in _NOT_PERSON or _fold(w) in self.lower_words for w in words)

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
        if key and key[0] in ("the", "sang"):
            key = key[1:]
        if not key:
            return None
        names = self._by_descriptors.get(tuple(key), set())
        return next(iter(names)) if len(names) == 1 else None


def _joins(gap: str, previous: str) -> bool:
    """Whether two capitalised words with ``gap`` between them belong to one name."""
    if gap == " " or (gap and gap.isspace() and "\n" not in gap):  # a blanked aside counts as a space
        return True
    if gap.strip() == "." and gap.startswith(".") and gap[1:] == " ":
        return _fold(previous) in _ABBREVIATIONS or len(previous) == 1  # "Mr. Dalton", "George W. Bush"
    return False


# ---------------------------------------------------------------- speakers


@dataclass(frozen=True)
class _Speaker:
    kind: str  # "name", "org" (places only), "title" (titles only), "desc", "anaphor"
    text: str
    pos: int  # absolute offset, for resolving a surname to the nearest full name


def _speaker_from_run(run: _Run, pos: int) -> _Speaker:
    if len(run.name) == 1 and _fold(run.name[0]) in _INSTITUTIONS | _DOCUMENTS:
        return _Speaker("desc", run.name_text, pos)  # "Pemerintah" opening a sentence
    if run.name:
        return _Speaker("name", run.name_text, pos)
    words = [_fold(w).rstrip(".") for w in run.descriptors]
    text = " ".join(run.descriptors)
    if any(w in _TITLES for w in words):
        return _Speaker("title", text, pos)
    return _Speaker("org", text, pos)


def _is_anaphor(words: list[str]) -> bool:
    """"dia", "analis tersebut", "the analyst": one person mentioned before, not a group."""
    if not words:
        return False
    if words[0] in _PRONOUNS_SINGULAR:
        return True
    if any(w in _PLURAL for w in words) or any(w in _INSTITUTIONS or w in _DOCUMENTS for w in words):
        return False
    # "analis tersebut" points back; "the coach", "sang pelatih" do only when the article gives
    # that role to exactly one name (resolve_title), else they name nobody.
    return any(w in _DEMONSTRATIVES for w in words) and len(words) <= 4 and words[0] not in ("the", "a", "an")


class _Unit:
    """One statement unit: sentences of a paragraph, their quotations, and the text with the
    quotations masked (same length, so offsets carry over)."""

    def __init__(self, ctx: _Context, sentences: list[Sentence], segments: list[_Segment]) -> None:
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
            candidates = sorted(self.closes.union(m.start() for m in _CLAUSE_MARKS.finditer(masked)))
            offsets, quotation = [], []
            for j in candidates:
                if j >= len(masked):
                    continue  # a closing mark just past the unit: never before a verb in it
                ch = masked[j]
                if j in self.closes or ch in _CLOSING_DOUBLE:
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

    def speech(self, exclude_titles: bool = True) -> list[_Segment]:
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


@dataclass
class _Attribution:
    speaker: _Speaker
    verb_end: int  # unit-relative
    that_end: int | None = None  # just after "bahwa"/"that", when the verb takes one
    clause_after: int | None = None  # "Menurut X, <clause>": where the clause starts
    free: bool = False  # a verb whose object is the reported clause itself


def _find_attribution(unit: _Unit) -> _Attribution | None:
    """The first attribution in the unit that names (or points back to) a speaker."""
    tokens = unit.tokens
    first: _Attribution | None = None
    for i, (s, e, w) in enumerate(tokens):
        low = _fold(w)
        found: _Attribution | None = None
        if low in ("menurut", "menurutnya") or (low == "according" and i + 1 < len(tokens) and _fold(tokens[i + 1][2]) == "to"):
            found = _according_to(unit, i)
        elif low in _SHORT_VERBS or (low.endswith("nya") and low[:-3] in _SHORT_VERBS):
            found = _short_verb(unit, i)
            if found:
                # ", kata X," frames the whole sentence, whatever verb its clause holds.
                return found
        elif low in _VERBS:
            found = _long_verb(unit, i)
        if found and first is None:
            first = found
    return first


def _according_to(unit: _Unit, i: int) -> _Attribution | None:
    s, e, w = unit.tokens[i]
    if _fold(w) == "menurutnya":
        return _Attribution(_Speaker("anaphor", w, unit.start + s), e, clause_after=_after_comma(unit, e))
    after = e if _fold(w) == "menurut" else unit.tokens[i + 1][1]
    speaker, end = _phrase_after(unit, after)
    if speaker is None or _fold(speaker.text.split()[0] if speaker.text else "") in _DOCUMENTS:
        return None
    if speaker.kind == "desc" and any(_fold(x) in _DOCUMENTS for x in speaker.text.split()[:2]):
        return None
    return _Attribution(speaker, end, clause_after=_after_comma(unit, end))


def _after_comma(unit: _Unit, pos: int) -> int | None:
    m = _AFTER_COMMA.match(unit.masked, pos)
    return m.end() if m else None


def _short_verb(unit: _Unit, i: int) -> _Attribution | None:
    """"…,” kata X" / ", kata para ahli," / ", tambahnya," — only after a comma or a quotation mark."""
    s, e, w = unit.tokens[i]
    low = _fold(w)
    before = _char_before(unit.masked, s)
    with_nya = low.endswith("nya") and low[:-3] in _SHORT_VERBS
    if before and before not in ",:" + _CLOSERS:
        # "Perkiraan itu kata IMF, makin muram …": a frame inserted without its first comma, told
        # apart from the noun "kata" (word) by the name and the comma after it.
        if with_nya:
            return None
        speaker, end = _phrase_after(unit, e)
        if speaker is not None and speaker.kind in ("name", "org") and unit.masked[end : end + 1] == ",":
            return _Attribution(speaker, end)
        return None
    if not before and not with_nya:
        return None  # "Jelas bahwa …" opens a sentence with an adjective
    if with_nya:
        return _Attribution(_Speaker("anaphor", w, unit.start + s), e)
    speaker, end = _phrase_after(unit, e)
    return _Attribution(speaker, end) if speaker else None


def _long_verb(unit: _Unit, i: int) -> _Attribution | None:
    s, e, w = unit.tokens[i]
    low = _fold(w)
    if any(_fold(unit.tokens[k][2]) in _NEGATORS for k in range(max(0, i - 2), i)):
        return None  # "Jokowi tak menyebut …" reports nothing
    clause_start, post_quote = _clause_start(unit, s)
    # "…," said Jane Morrow: the speaker follows the verb when a quotation comes right before.
    if post_quote and _only_between(unit.masked, clause_start, s, " ,"):
        nxt = _fold(unit.tokens[i + 1][2]) if i + 1 < len(unit.tokens) else ""
        if nxt and nxt not in _THAT | {"kepada", "to"}:
            speaker, end = _phrase_after(unit, e)
            if speaker:
                return _Attribution(speaker, end)
    that_end = _that_after(unit, i)
    clause = False
    if low in _NEEDS_VERBS and not (post_quote or that_end or _quote_follows(unit, i)):
        clause = _clause_follows(unit, i)  # "Purbaya menjelaskan uang itu akan disimpan …" (no "bahwa")
        if not clause:
            return None
    # "…, saying that": a participle never has a subject of its own.
    speaker = _Speaker("anaphor", "", unit.start + s) if low == "saying" else _subject_before(unit, clause_start, s)
    if speaker is not None and speaker.kind == "anaphor" and not speaker.text:
        # "Sergei Lavrov menyimpulkan …, dengan mengatakan bahwa": the subject of the main verb.
        manner = low == "saying" or (i > 0 and _fold(unit.tokens[i - 1][2]) in _MANNER)
        speaker = _earlier_subject(unit, i, manner) or speaker
    if speaker is None:
        return None
    return _Attribution(speaker, e, that_end=that_end, free=low in _FREE_VERBS or clause)


def _earlier_subject(unit: _Unit, i: int, any_verb: bool) -> _Speaker | None:
    """The subject of an earlier verb in the unit: an attribution verb, or (for "dengan mengatakan",
    "saying") any Indonesian active verb, or a name opening the sentence."""
    for k in range(i - 1, -1, -1):
        s, _, w = unit.tokens[k]
        low = _fold(w)
        if low in _VERBS or (any_verb and _VERBISH.match(low) and not w[:1].isupper()):
            speaker = _subject_before(unit, _clause_start(unit, s)[0], s)
            if speaker is not None and (speaker.kind != "anaphor" or speaker.text):
                return speaker
    if any_verb and unit.tokens and unit.ctx.name_like(unit.tokens[0][2], unit.start + unit.tokens[0][0]):
        run = unit.ctx.name_runs(unit.tokens[:6], unit.masked, unit.start)[0]
        if run.name and run.start == unit.start + unit.tokens[0][0]:
            return _speaker_from_run(run, run.start)
    return None


def _clause_start(unit: _Unit, verb_start: int) -> tuple[int, bool]:
    """Where the verb's clause begins: after a closing quotation mark, a colon or semicolon, or a
    sentence end before it; and whether that was a quotation (the words the verb reports)."""
    offsets, quotation = unit.clause_bounds()
    k = bisect_left(offsets, verb_start) - 1  # the last boundary before the verb
    if k < 0:
        return 0, False
    return offsets[k] + 1, quotation[k]


def _abbreviation_at(text: str, dot: int) -> bool:
    word = re.search(r"(\w+)$", text[max(0, dot - 12) : dot])
    return bool(word) and (_fold(word.group(1)) in _ABBREVIATIONS or len(word.group(1)) == 1)


def _that_after(unit: _Unit, i: int) -> int | None:
    """End of "bahwa"/"that" a few words after the verb ("mengatakan kepada wartawan bahwa")."""
    for j in range(i + 1, min(i + 7, len(unit.tokens))):
        word = _fold(unit.tokens[j][2])
        if word in _THAT:
            return unit.tokens[j][1]
        if _VERBISH.match(word) and word not in _TITLES:
            return None
        if _MASK in unit.masked[unit.tokens[i][1] : unit.tokens[j][0]]:
            return None
    return None


_PASSIVE = re.compile(r"^(?:di|ter)[a-z]{4,}$")  # an Indonesian passive or stative verb


def _clause_follows(unit: _Unit, i: int) -> bool:
    """A clause right after the verb, in its sentence: some words, then (not first) a modal,
    auxiliary or verb ("menjelaskan biaya gas berkontribusi 71 persen"); a bare object ("menjelaskan
    situasi di lapangan") has none."""
    tokens = unit.tokens[i + 1 : i + 31]
    previous_end = unit.tokens[i][1]
    words = []
    for s, e, w in tokens:
        gap = unit.masked[previous_end:s]
        if _MASK in gap or any(c in gap for c in ";:!?") or ("." in gap and not _abbreviation_at(unit.masked, previous_end)):
            break
        words.append(w)
        previous_end = e
    if len(words) < 4:
        return False
    first = _fold(words[0])
    if (_VERBISH.match(first) or _PASSIVE.match(first)) and first not in _STOPWORDS and words[0][:1].islower():
        return True  # "mengumumkan menambah investasi …": a verb phrase, not an object
    for w in words[1:]:
        low = _fold(w)
        if low in _STOPWORDS and low not in _PREDICATE_MARKERS:
            continue
        if low in _PREDICATE_MARKERS or ((_VERBISH.match(low) or _PASSIVE.match(low)) and not w[:1].isupper()):
            return True
    return False


def _quote_follows(unit: _Unit, i: int) -> bool:
    """A quotation, or a colon, within a few words after the verb."""
    verb_end = unit.tokens[i][1]
    if _char_after(unit.masked, verb_end) == ":":
        return True
    limit = unit.tokens[i + 7][0] if i + 7 < len(unit.tokens) else len(unit.masked)
    k = bisect_left(unit.segment_opens, verb_end)
    return k < len(unit.segment_opens) and unit.segment_opens[k] <= limit


def _only_between(text: str, start: int, end: int, chars: str) -> bool:
    """Whether ``text[start:end]`` holds only ``chars``; read from the end, so it stops early."""
    while end > start and text[end - 1] in chars:
        end -= 1
    return end <= start


def _char_after(text: str, pos: int) -> str:
    """The first character from ``pos`` on that is not white space ("" if none)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return text[pos : pos + 1]


def _char_before(text: str, pos: int) -> str:
    """The last character before ``pos`` that is not white space ("" if none)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1] if pos else ""


def _phrase_after(unit: _Unit, pos: int) -> tuple[_Speaker | None, int]:
    """The speaker named after a verb: "kata David Dalton, analis …" -> David Dalton."""
    tokens = []
    previous_end = pos
    first = bisect_left(unit.token_starts, pos)
    for s, e, w in unit.tokens[first : first + 10]:  # the loop stops at ten words anyway
        gap = unit.masked[previous_end:s]
        if re.search(r"[,;:!?()\[\]“”\"«»\n" + _MASK + "]", gap) or ("." in gap and not (tokens and _abbreviation_at(unit.masked, previous_end))):
            break
        if w[:1].islower() and _fold(w) in _NP_STOPS and tokens:
            break
        tokens.append((s, e, w))
        previous_end = e
        if len(tokens) >= 10:
            break
    if not tokens:
        return None, pos
    end = tokens[-1][1]
    ctx = unit.ctx
    if _fold(tokens[0][2]).rstrip(".") in _TITLES and unit.masked[end : end + 1] == ",":
        # "kata Kepala Dinas Olahraga, Rina Hartati": the role, then the name after a comma.
        named, named_end = _phrase_after(unit, end + 1)
        if named is not None and named.kind == "name" and ctx.is_person(named.text) and _char_after(
                unit.masked, named_end) in ("", ".", ",", ";"):
            return named, named_end
    if ctx.name_like(tokens[0][2], unit.start + tokens[0][0]):
        run = ctx.name_runs(tokens, unit.masked, unit.start)[0]
        return _speaker_from_run(run, run.start), end
    return _describe(unit, tokens), end


def _describe(unit: _Unit, tokens: list[tuple[int, int, str]]) -> _Speaker | None:
    """A speaker phrase that does not start with a name: a pronoun, a description, or a
    description ending in a name ("mantan duta besar AS untuk NATO Kurt Volker")."""
    words = [_fold(w) for _, _, w in tokens]
    pos = unit.start + tokens[0][0]
    text = unit.ctx.source[pos : unit.start + tokens[-1][1]]
    if _is_anaphor(words):
        return _Speaker("anaphor", text, pos)
    runs = unit.ctx.name_runs(tokens, unit.masked, unit.start)
    if runs and runs[-1].name and runs[-1].end == unit.start + tokens[-1][1]:
        return _Speaker("name", runs[-1].name_text, runs[-1].start)
    known_start = words[0] in _DESCRIPTION_STARTS or words[0] in _TITLES or words[0] in _INSTITUTIONS
    if len(words) > 6 or not (known_start or (tokens[0][2][:1].isupper() and len(words) <= 3)):
        return None  # a clause, not a noun phrase naming a speaker
    return _Speaker("desc", text, pos)


def _subject_before(unit: _Unit, clause_start: int, verb_start: int) -> _Speaker | None:
    """The speaker written before the verb, within its clause:
    "Dalton menjelaskan", "Francis Lee-Saunders, analis …, mengatakan", "Sebelum …, Sergei Lavrov
    menyimpulkan", "…, Narendra Modi, yang membentak", "para analis mengatakan"."""
    pieces = []  # comma-separated pieces of the clause, each a token list
    current: list[tuple[int, int, str]] = []
    first, stop = bisect_left(unit.token_starts, clause_start), bisect_left(unit.token_starts, verb_start)
    if stop - first > _SUBJECT_WINDOW:
        # Text without punctuation (a transcript, say): rereading the whole clause for each verb
        # would be quadratic, and a subject is never that far from its verb.
        first = stop - _SUBJECT_WINDOW
        clause_start = unit.tokens[first][0]
    previous_end = clause_start
    for s, e, w in unit.tokens[first:stop]:
        if "," in unit.masked[previous_end:s] or _MASK in unit.masked[previous_end:s]:
            pieces.append(current)
            current = []
        current.append((s, e, w))
        previous_end = e
    pieces.append(current)
    pieces = [p for p in pieces if p and not all(_fold(w) in _DISCOURSE for _, _, w in p)]
    if not pieces:
        return _Speaker("anaphor", "", unit.start + verb_start)  # "…,” mengatakan …" with no subject
    while len(pieces[-1]) >= 2 and _fold(pieces[-1][0][2]) in _DISCOURSE:
        pieces[-1] = pieces[-1][1:]  # "Lebih lanjut Agung mengatakan", "Meski demikian ia menilai"
    while len(pieces) >= 2 and _fold(pieces[-1][0][2]) in _APPOSITION_STARTS:
        pieces.pop()  # "Name selaku presiden NS Trading, sebuah unit dari Nissan Securities mengatakan"
    for k, (s, e, w) in enumerate(pieces[-1][1:], 1):
        if _fold(w) in _ROLE_MARKERS and w[:1].islower():
            pieces[-1] = pieces[-1][:k]  # "Hiroyuki Kikukawa selaku presiden …": the name before the role
            break
    last = list(pieces[-1])
    while last and _fold(last[-1][2]) in _AUX:
        last.pop()
    words = [_fold(w) for _, _, w in last]
    if not last or all(w in _PARTICIPIAL for w in words):
        # "…, juga memperingatkan bahwa": the subject was the previous statement's speaker.
        return _Speaker("anaphor", "", unit.start + verb_start)
    if words == ["yang"] or words == ["who"] or words == ["which"]:
        if len(pieces) < 2:
            return None
        return _trailing_name(unit, pieces[-2]) or None
    if words[0] in ("the",) and len(last) > 1 and _all_name_like(unit, last[1:]):
        last = last[1:]
    if _all_name_like(unit, last):
        run = unit.ctx.name_runs(last, unit.masked, unit.start)
        if len(run) == 1:
            return _speaker_from_run(run[0], run[0].start)
    if words[0] in _PLURAL or words[0] in _PRONOUNS_SINGULAR or words[0] in _DESCRIPTION_STARTS:
        return _describe(unit, last)
    # "Alexander Korolev, dosen senior … di UNSW Sidney menilai": a name, then its apposition.
    if len(pieces) >= 2 and _all_name_like(unit, pieces[0]):
        run = unit.ctx.name_runs(pieces[0], unit.masked, unit.start)
        if len(run) == 1 and run[0].name:
            return _speaker_from_run(run[0], run[0].start)
    return _trailing_name(unit, last) or _describe(unit, last)


def _all_name_like(unit: _Unit, tokens: list[tuple[int, int, str]]) -> bool:
    if not tokens or len(tokens) > 6:
        return False
    ctx = unit.ctx
    for k, (s, e, w) in enumerate(tokens):
        if ctx.name_like(w, unit.start + s):
            continue
        if 0 < k < len(tokens) - 1 and _fold(w) in _NAME_PARTICLES:
            continue
        return False
    return len(unit.ctx.name_runs(tokens, unit.masked, unit.start)) == 1


def _trailing_name(unit: _Unit, tokens: list[tuple[int, int, str]]) -> _Speaker | None:
    """The name that ends a phrase ("yaitu Xi Jinping", "Perdana Menteri Narendra Modi")."""
    runs = unit.ctx.name_runs(tokens, unit.masked, unit.start)
    if not runs or runs[-1].end != unit.start + tokens[-1][1]:
        return None
    last = runs[-1]
    if not last.name and last.start != unit.start + tokens[0][0]:
        return None  # "presiden Rusia": a description ending in a country, not a name
    return _speaker_from_run(last, last.start)


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
        segments, unclosed = _double_segments(text, p_start)
        if unclosed is not None:
            # An opening mark never closed: its quotation runs to the end of its sentence.
            home = next((s for s in sentences if s.start <= unclosed < s.end), sentences[-1])
            if home.end > unclosed + 1:
                segments.append(_Segment(unclosed, unclosed + 1, home.end, None))
        taken = [(s.open, (s.close if s.close is not None else s.inner_end) + 1) for s in segments]
        segments += _single_segments(text, p_start, taken)
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


# ---------------------------------------------------------------- extraction


def extract_quotes(article: Article) -> list[Quote]:
    """Direct and reported statements in ``article``, in document order."""
    if not article.paragraphs:
        return []
    ctx = _Context(article)
    units = _units(article, ctx)
    ctx.note_quotations([(seg.inner_start, seg.inner_end) for unit in units for seg in unit.segments])
    ctx.aliases = {_fold(alias): name for alias, name in _declared_aliases(ctx)}
    quotes: list[Quote] = []
    previous: tuple[_Unit, Quote] | None = None  # the last unit, when it was a statement
    last_unit: _Unit | None = None
    last_named: tuple[int, str] | None = None  # where the last named quote was, and its speaker, for anaphora
    for unit in units:
        quote = _statement(unit, ctx, last_named) or _continuation(unit, last_unit, previous)
        if quote:
            quotes.append(quote)
            ctx.note_statement(quote)
            previous = (unit, quote)
            if quote.named and ctx.is_person(quote.speaker):
                last_named = (quote.start, quote.speaker)  # "dia", "-nya" point back to a person
        last_unit = unit
    return quotes


def _statement(unit: _Unit, ctx: _Context, last_named: tuple[int, str] | None) -> Quote | None:
    attribution = _find_attribution(unit)
    if attribution is None:
        return None
    spoken = _canonical(attribution.speaker, ctx, last_named)
    if spoken is None:
        return None
    speaker, named = spoken
    speech = unit.speech()
    if speech:
        seg = max(speech, key=lambda g: g.inner_end - g.inner_start)
        words = _trim(ctx.source, seg.inner_start, seg.inner_end)
        kind = "direct"
    else:
        words = _reported_words(unit, attribution)
        kind = "reported"
    if words is None:
        words = (unit.start, unit.end)
    return _quote(ctx.source, speaker, named, kind, unit, words)


def _continuation(unit: _Unit, last_unit: _Unit | None, previous: tuple[_Unit, Quote] | None) -> Quote | None:
    """A paragraph (or sentence) that is only a quotation continues the statement just before it
    (newspaper convention). Elsewhere an unattributed quotation is nobody's statement."""
    if previous is None or last_unit is None or previous[0] is not last_unit or not unit.is_quotation_only():
        return None
    same_paragraph = last_unit.paragraph == unit.paragraph
    next_paragraph = last_unit.paragraph == unit.paragraph - 1 and last_unit.section == unit.section
    if not (same_paragraph or next_paragraph):
        return None
    speech = unit.speech()
    if not speech:
        return None
    words = _trim(unit.ctx.source, speech[0].inner_start, speech[-1].inner_end)
    if words is None:
        return None
    quote = previous[1]
    return _quote(unit.ctx.source, quote.speaker, quote.named, "direct", unit, words)


def _canonical(speaker: _Speaker, ctx: _Context, last_named: tuple[int, str] | None) -> tuple[str, bool] | None:
    """(speaker as stored, named): surnames made full, anaphora resolved to the last named speaker."""
    if speaker.kind == "name":
        words = speaker.text.split()
        if len(words) == 1 and _fold(words[0]) in ctx.aliases:
            return ctx.aliases[_fold(words[0])], True
        if len(words) == 1 and ctx.is_weak(words[0]) and ctx.is_initial(speaker.pos) and _char_after(
                ctx.source, speaker.pos + len(words[0])) == ",":
            return None  # "Diketahui, …": a sentence adverb set off by a comma, not a subject
        return (ctx.resolve(speaker.text, speaker.pos) if len(words) == 1 else speaker.text), True
    if speaker.kind == "org":
        return ctx.aliases.get(_fold(speaker.text), speaker.text), True
    if speaker.kind in ("title", "desc"):
        full = ctx.resolve_title(speaker.text)
        if full is None and _fold(speaker.text) in _PLURAL_PRONOUNS and ctx.last_organisation is not None:
            full = ctx.last_organisation[1]  # "Mereka menilai …" right after an organisation's statement
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
    for rel in (attribution.that_end, attribution.clause_after, attribution.verb_end if attribution.free else None):
        if rel is not None:
            words = _trim(unit.ctx.source, unit.start + rel, unit.end, trailing=",.")
            if words:
                return words
    return None


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
