"""Word lists (text/wordlists) and small text helpers the attribution grammar shares."""

from __future__ import annotations

import re

from text.names import fold as _fold
from text.names import PLACES, office_abbreviations
from text.sentences import ABBREVIATIONS
from text.wordlists import words as wordlist

# ---------------------------------------------------------------- vocabulary

_PREDICATE_MARKERS = wordlist("predicate_markers")  # a clause, not an object, follows the verb
_ROLE_MARKERS = wordlist("role_markers")  # "Name selaku presiden X": the role follows
_APPOSITION_STARTS = wordlist("apposition_starts")  # "…, sebuah unit dari X,": describes what precedes
_SHORT_VERBS = wordlist("verbs.postposed")  # "“…,” kata X"; with -nya: "he/she said", the previous speaker
_FREE_VERBS = wordlist("verbs.clause")  # the object is the reported clause: "para analis memperkirakan …"
_NEEDS_VERBS = wordlist("verbs.framed")  # only with "bahwa"/"that", a colon or a quotation
_DIRECTIVE_VERBS = wordlist("verbs.directive", ("id",))  # "mendorong agar …": a request, only with "agar"/"untuk"
_DIRECTIVE_THAT = wordlist("directive_complementisers", ("id",))
_VERBS = _FREE_VERBS | _NEEDS_VERBS | _DIRECTIVE_VERBS
_THAT = wordlist("that")
_ADJUNCT_OPENERS = wordlist("adjunct_openers")  # "Gatot, di Bandung, Senin (22/8), mengatakan"
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
_ALIAS_VERBS = wordlist("alias_verbs")  # "yang akrab disapa Zulhas": the nickname follows
_DOCUMENTS = wordlist("documents")  # "Menurut pernyataan itu": a document, not a speaker
_SOURCING = wordlist("sourcing_nouns")
_SUBORDINATORS = wordlist("subordinators")
_DETERMINERS = wordlist("determiners", ("en",))  # "in a note": a noun after a determiner  # "… setelah The Fed menegaskan …": a subordinate clause  # "Data BPS mencatat": figures cited, nobody speaking
_DESCRIPTION_STARTS = wordlist("description_starts")
_UNNAMED = wordlist("unnamed_heads")  # "seorang pejabat": nobody's name
_HONORIFICS = wordlist("honorifics")
# dropped in front of a name, kept when all there is; with the press's abbreviations of offices ("jubir")
_TITLES = _HONORIFICS | wordlist("titles") | frozenset(office_abbreviations())
_PLACES = PLACES  # dropped in front of a name; an organisation when all there is
_STOPWORDS = wordlist("stopwords")  # capitalised only because they open a sentence
_ORGANISATION_WORDS = wordlist("organisation_words")  # "Valbury Futures", "Bank Indonesia"
_ORGANISATION_HEADS = wordlist("organisation_heads", ("id",))  # "Bank X", "Universitas X": the name follows
_NOT_PERSON = _ORGANISATION_WORDS | _INSTITUTIONS | _DOCUMENTS | _PLACES | _TITLES | _STOPWORDS
_NAME_PARTICLES = wordlist("particles", ("names",))  # "Ursula von der Leyen"
_NAME_CONNECTORS = wordlist("name_connectors")  # "Ministry of Trade", "Kementerian Energi dan Sumber Daya Mineral"
_OFFICE_JOINERS = wordlist("office_joiners")  # "Direktur Eksekutif sekaligus Kepala Departemen …": one person
_ABBREVIATIONS = ABBREVIATIONS  # "Mr. Dalton": the period ends nothing (the one list, text.sentences)
_TITLE_CUES = wordlist("title_cues")  # "penulis “Red Flags”": a title, not speech

_CLOSERS = "”»\"’'"
_MASK = "\ue000"  # stands in for quoted characters: not a word character, not a space
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_CLAUSE_MARKS = re.compile("[;:!?.”»]")  # what may end a clause (see _Unit.clause_bounds)
_AFTER_COMMA = re.compile(r"[^,.;:!?]*,\s*")
_APPOSITION_ROLE = re.compile(r",\s+(?:(?:a|an|the|seorang|sang)\s+)?(\w+)")
_PARENTHETICAL = re.compile(r"\([^()\n" + _MASK + r"]{1,60}\)")
_SUBJECT_WINDOW = 100  # words before a verb that may hold its subject (real clauses: under 40)
_VERBISH = re.compile(r"^(?:me|ber)[a-z]{4,}$")  # an Indonesian active verb between verb and "bahwa"


def _abbreviation_at(text: str, dot: int) -> bool:
    word = re.search(r"(\w+)$", text[max(0, dot - 12) : dot])
    return bool(word) and (_fold(word.group(1)) in _ABBREVIATIONS or len(word.group(1)) == 1)

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
