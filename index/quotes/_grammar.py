"""Attribution patterns: the speaker a verb of saying, "menurut" or a postposed "kata" points to."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from index.quotes._context import _opens_balinese_name, _Run
from index.quotes._units import _Unit
from index.quotes._words import (
    _ADJUNCT_OPENERS,
    _AFTER_COMMA,
    _ALIAS_VERBS,
    _APPOSITION_STARTS,
    _AUX,
    _CLOSERS,
    _DEMONSTRATIVES,
    _DESCRIPTION_STARTS,
    _DETERMINERS,
    _DIRECTIVE_THAT,
    _DIRECTIVE_VERBS,
    _DISCOURSE,
    _DOCUMENTS,
    _FREE_VERBS,
    _HONORIFICS,
    _INSTITUTIONS,
    _MANNER,
    _MASK,
    _NAME_CONNECTORS,
    _NAME_PARTICLES,
    _NEEDS_VERBS,
    _NEGATORS,
    _NP_STOPS,
    _ORGANISATION_HEADS,
    _ORGANISATION_WORDS,
    _PARENTHETICAL,
    _PARTICIPIAL,
    _PLACES,
    _PLURAL,
    _PREDICATE_MARKERS,
    _PRONOUNS_SINGULAR,
    _ROLE_MARKERS,
    _SHORT_VERBS,
    _SOURCING,
    _STOPWORDS,
    _SUBJECT_WINDOW,
    _SUBORDINATORS,
    _THAT,
    _TITLES,
    _UNNAMED,
    _VERBISH,
    _VERBS,
    _WORD,
    _abbreviation_at,
    _char_after,
    _char_before,
    _only_between,
)
from text.dates import calendar_words
from text.names import fold as _fold
from text.names import is_acronym as _is_acronym
from text.wordlists import words as wordlist

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
        k = 0
        while k < len(run.name) - 1 and _fold(run.name[k]) in _DOCUMENTS:
            k += 1  # "Laporan Bank Dunia memperkirakan …": the body whose report it is
        if k and _fold(run.name[0]) in _SOURCING:
            return _Speaker("desc", run.name_text, pos)  # "Data BPS mencatat …": figures, nobody speaking
        if k:
            return _Speaker("name", " ".join(run.name[k:]), pos)
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
    if any(w in _PLURAL for w in words) or any(w in _INSTITUTIONS or w in _DOCUMENTS or w in _ORGANISATION_HEADS for w in words):
        return False  # "kartel minyak itu" stands for an organisation (resolve_institution), not a person
    # "analis tersebut" points back; "the coach", "sang pelatih" do only when the article gives
    # that role to exactly one name (resolve_title), else they name nobody.
    return any(w in _DEMONSTRATIVES for w in words) and len(words) <= 4 and words[0] not in ("the", "a", "an")


@dataclass
class _Attribution:
    speaker: _Speaker
    verb_end: int  # unit-relative
    that_end: int | None = None  # just after "bahwa"/"that", when the verb takes one
    clause_after: int | None = None  # "Menurut X, <clause>": where the clause starts
    free: bool = False  # a verb whose object is the reported clause itself
    before: tuple[int, int] | None = None  # "<clause>, kata X." / "<clause>, according to X": the clause before


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
            if low in _VERBS:
                found = _long_verb(unit, i)  # "Ia bilang harga akan turun": the verb before its clause
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
    k = bisect_left(unit.token_starts, after)
    if k < len(unit.tokens) and _fold(unit.tokens[k][2]) in _DOCUMENTS | _SOURCING:
        return None  # "Menurut data BPS", "according to the report": a source, not a speaker
    speaker, end = _phrase_after(unit, after)
    if speaker is None or _fold(speaker.text.split()[0] if speaker.text else "") in _DOCUMENTS:
        return None
    if speaker.kind == "desc" and any(_fold(x) in _DOCUMENTS for x in speaker.text.split()[:2]):
        return None
    before = _clause_before(unit, s) if _ends_sentence(unit, end) or _fold(w) != "menurut" else None
    if before is None and _fold(w) == "according":
        before = _clause_before(unit, s)
    return _Attribution(speaker, end, clause_after=None if before else _after_comma(unit, end), before=before)


def _clause_before(unit: _Unit, frame_start: int) -> tuple[int, int] | None:
    """The reported clause before a frame that ends its sentence ("Harga beras akan naik, kata X.",
    "Rates will stay high, according to X"): the text from the clause start to the frame's comma,
    when it is a clause (a modal, an auxiliary or a verb, or four words) and not a short subject
    that an inserted frame interrupts ("Hal ini, menurut dia, lantaran …")."""
    comma = frame_start
    while comma > 0 and unit.masked[comma - 1].isspace():
        comma -= 1
    if comma == 0 or unit.masked[comma - 1] != ",":
        return None
    comma -= 1
    start, _ = _clause_start(unit, comma)
    first, stop = bisect_left(unit.token_starts, start), bisect_left(unit.token_starts, comma)
    words = [w for _, _, w in unit.tokens[first:stop]]
    if not words or _MASK in unit.masked[start:comma]:
        return None
    clause = len(words) >= 4 or any(
        _fold(w) in _PREDICATE_MARKERS or ((_VERBISH.match(_fold(w)) or _PASSIVE.match(_fold(w))) and w[:1].islower())
        for w in words[1:])
    return (unit.tokens[first][0], comma) if clause else None


def _ends_sentence(unit: _Unit, pos: int) -> bool:
    """Only adjuncts from ``pos`` to the end of the unit ("in a statement", "di Jakarta, Senin
    (3/2)", "kepada wartawan"): no clause of its own."""
    rest = unit.tokens[bisect_left(unit.token_starts, pos):]
    if len(rest) > 10:
        return False
    return not any(_fold(w) in _THAT or _fold(w) in _PREDICATE_MARKERS for _, _, w in rest)


_TIME_WORDS = wordlist("time_nouns", ("id",)) | calendar_words("month") | calendar_words("weekday")
_ROOT_VERBS = wordlist("verbs.root", ("id",))
_RECORDING_VERBS = wordlist("verbs.recording", ("id",))  # "mencatat": also "to record" a figure
_RELATIVES = {"yang", "who", "which"}  # "Jane Morrow, who heads the port, said …": a relative clause, not the words


def _speaker_like(speaker: _Speaker) -> bool:
    """A phrase after an inverted verb that names a speaker ("said Jane Morrow", "said the
    spokesman"), not a clause ("said the town lost money")."""
    if speaker.kind in ("name", "org", "title"):
        return True
    words = [_fold(w) for w in _WORD.findall(speaker.text)]
    if words and words[0] in ("the", "a", "an", "sang", "seorang"):
        words = words[1:]
    return bool(words) and len(words) <= 4 and (words[0] in _TITLES or words[-1] in _TITLES or words[-1] in _INSTITUTIONS)


def _adjuncts_only(unit: _Unit, pos: int) -> bool:
    """Nothing after a verb but the sentence end or adjuncts opened by a preposition or a day ("said
    in a statement", "said Monday"): the verb reports the clause before its subject."""
    k = bisect_left(unit.token_starts, pos)
    if k >= len(unit.tokens) or _char_after(unit.masked, pos) in (".", ""):
        return True
    if k > 0 and _fold(unit.tokens[k - 1][2]) in _ADDRESSEE_VERBS:
        # "…, Morrow told Reuters.": the one told, then the sentence end or adjuncts.
        while k < len(unit.tokens) and unit.ctx.name_like(unit.tokens[k][2], unit.start + unit.tokens[k][0]):
            pos = unit.tokens[k][1]
            k += 1
        if k >= len(unit.tokens) or _char_after(unit.masked, pos) in (".", ""):
            return True
    nxt = unit.tokens[k][2]
    return (_fold(nxt) in _NP_STOPS or (nxt[:1].isupper() and _fold(nxt) in _STOPWORDS)) and _ends_sentence(unit, pos)


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
        # Only a name and its comma: "Lebih lanjut Sinta mengungkapkan, …" is the adverb "lanjut".
        if (speaker is not None and speaker.kind in ("name", "org") and unit.masked[end : end + 1] == ","
                and speaker.pos + len(speaker.text) == unit.start + end):
            return _Attribution(speaker, end)
        return None
    if not before and not with_nya:
        if low == "kata":
            # "Kata Sinta, stok cukup." / "Kata dia, …": the frame first, then the clause after its comma.
            speaker, end = _phrase_after(unit, e)
            if (speaker is not None and speaker.kind in ("name", "anaphor") and unit.masked[end : end + 1] == ","
                    and speaker.pos + len(speaker.text) == unit.start + end):
                return _Attribution(speaker, end, clause_after=_after_comma(unit, end))
        return None  # "Jelas bahwa …" opens a sentence with an adjective
    if with_nya:
        return _Attribution(_Speaker("anaphor", w, unit.start + s), e,
                            before=_clause_before(unit, s) if before == "," else None)
    speaker, end = _phrase_after(unit, e)
    if not speaker:
        return None
    return _Attribution(speaker, end, before=_clause_before(unit, s) if before == "," else None)


def _long_verb(unit: _Unit, i: int) -> _Attribution | None:
    s, e, w = unit.tokens[i]
    low = _fold(w)
    if any(_fold(unit.tokens[k][2]) in _NEGATORS for k in range(max(0, i - 2), i)):
        return None  # "Jokowi tak menyebut …" reports nothing
    if i > 0 and _fold(unit.tokens[i - 1][2]) in _DETERMINERS and _only_between(unit.masked, unit.tokens[i - 1][1], s, " "):
        return None  # "in a note to clients": a noun, not the verb
    clause_start, post_quote = _clause_start(unit, s)
    if w[:1].isupper() and not post_quote and _only_between(unit.masked, clause_start, s, " \t\n"):
        # "Menanggapi hal itu, Budi mengatakan …", "Melihat data ini, …": a verb opening its sentence
        # heads an adverbial clause with no subject, not an attribution.
        return None
    # "…," said Jane Morrow: the speaker follows the verb when a quotation comes right before.
    if post_quote and _only_between(unit.masked, clause_start, s, " ,"):
        nxt = _fold(unit.tokens[i + 1][2]) if i + 1 < len(unit.tokens) else ""
        if nxt and nxt not in _THAT | {"kepada", "to"}:
            speaker, end = _phrase_after(unit, e)
            if speaker:
                return _Attribution(speaker, end)
    if not post_quote and _char_before(unit.masked, s) == ",":
        # "Rates will stay high, said Jane Morrow, chief economist at …": the speaker follows.
        before = _clause_before(unit, s)
        speaker, end = _phrase_after(unit, e)
        if (before and speaker is not None and _speaker_like(speaker) and _char_after(unit.masked, end) in ("", ".", ",")
                and _fold(unit.tokens[bisect_left(unit.token_starts, before[0])][2]) not in _RELATIVES):
            return _Attribution(speaker, end, before=before)
    that_end = _that_after(unit, i)
    if not that_end and i + 2 < len(unit.tokens) and _fold(unit.tokens[i + 1][2]) in ("hal", "it", "this") and (
            _fold(unit.tokens[i + 2][2]) in _DEMONSTRATIVES or _fold(unit.tokens[i + 1][2]) != "hal"):
        after = unit.tokens[i + 2][1] if _fold(unit.tokens[i + 1][2]) == "hal" else unit.tokens[i + 1][1]
        if not _quote_follows(unit, i) and _adjuncts_only(unit, after):
            return None  # "Ia mengungkapkan hal itu usai rapat": the content is only an anaphor
    if low in _DIRECTIVE_VERBS:
        # "Josua mendorong agar penyaluran dana …": the request after the complementiser, nothing else.
        nxt = unit.tokens[i + 1] if i + 1 < len(unit.tokens) else None
        if nxt is None or _fold(nxt[2]) not in _DIRECTIVE_THAT or not _only_between(unit.masked, e, nxt[0], " "):
            return None
        that_end = nxt[1]
    clause = False
    needs_before = False
    if low in _NEEDS_VERBS and not (post_quote or that_end or _quote_follows(unit, i)):
        clause = _clause_follows(unit, i)  # "Purbaya menjelaskan uang itu akan disimpan …" (no "bahwa")
        if not clause and not _adjuncts_only(unit, e):
            return None  # (a frame ending the sentence, "…, Morrow added.", is read below)
        needs_before = not clause
    # "…, saying that": a participle never has a subject of its own.
    speaker = _Speaker("anaphor", "", unit.start + s) if low == "saying" else _subject_before(unit, clause_start, s)
    if speaker is not None and speaker.kind == "anaphor" and not speaker.text:
        # "Sergei Lavrov menyimpulkan …, dengan mengatakan bahwa": the subject of the main verb.
        manner = low == "saying" or (i > 0 and _fold(unit.tokens[i - 1][2]) in _MANNER)
        speaker = _earlier_subject(unit, i, manner) or speaker
    if speaker is None:
        return None
    if speaker.kind == "org" and low in _RECORDING_VERBS and all(
            _fold(w).rstrip(".") in _PLACES for w in _WORD.findall(_PARENTHETICAL.sub(" ", speaker.text))):
        return None  # "Amerika Serikat mencatat pertumbuhan 2,6 persen": where a figure was recorded, nobody speaking
    before = None
    if not (that_end or clause or post_quote) and speaker.text and _adjuncts_only(unit, e):
        # "Exports fell 3 percent, the ministry said in a statement.": the clause before the subject.
        before = _clause_before(unit, _subject_offset(unit, speaker))
    if needs_before and before is None:
        return None  # "menjelaskan situasi": an object, and no clause before the subject either
    return _Attribution(speaker, e, that_end=that_end, free=low in _FREE_VERBS or clause, before=before)


def _subject_offset(unit: _Unit, speaker: _Speaker) -> int:
    """Where a speaker phrase starts in the unit, with a leading article ("the ministry")."""
    pos = speaker.pos - unit.start
    k = bisect_left(unit.token_starts, pos)
    if k > 0 and _fold(unit.tokens[k - 1][2]) in ("the", "sang") and _only_between(unit.masked, unit.tokens[k - 1][1], pos, " "):
        return unit.tokens[k - 1][0]
    return pos


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
    if _char_after(unit.masked, previous_end) == ",":
        # "Ia menambahkan, harga cabai mulai turun": the comma stands for "bahwa" before a clause.
        k = i + 1
        comma = unit.masked.index(",", previous_end)
        while k < len(unit.tokens) and k < i + 4:
            gap = unit.masked[unit.tokens[k - 1][1] : unit.tokens[k][0]] if k > i + 1 else unit.masked[comma + 1 : unit.tokens[k][0]]
            if _MASK in gap or any(c in gap for c in ".;:!?"):
                break
            k += 1
        if k - (i + 1) >= 3:
            return True
    words = []
    for s, e, w in tokens:
        gap = unit.masked[previous_end:s]
        if _MASK in gap or any(c in gap for c in ";:!?") or ("." in gap and not _abbreviation_at(unit.masked, previous_end)):
            break
        words.append(w)
        previous_end = e
    if len(words) < 3:
        return False
    first = _fold(words[0])
    if (_VERBISH.match(first) or _PASSIVE.match(first)) and first not in _STOPWORDS and words[0][:1].islower():
        return True  # "mengumumkan menambah investasi …": a verb phrase, not an object
    if first in _PREDICATE_MARKERS and words[0][:1].islower():
        return True  # "melihat masih ada risiko …": an aspect marker or modal opens a clause, never an object
    for w in words[1:]:
        low = _fold(w)
        if low in _STOPWORDS and low not in _PREDICATE_MARKERS:
            continue
        if low in _PREDICATE_MARKERS or ((_VERBISH.match(low) or _PASSIVE.match(low)) and not w[:1].isupper()):
            return True
        if low in _ROOT_VERBS and w[:1].islower():
            return True  # "memaparkan inflasi RI tembus 4,94 persen": a bare intransitive verb
    return False


def _quote_follows(unit: _Unit, i: int) -> bool:
    """A quotation, or a colon, within a few words after the verb."""
    verb_end = unit.tokens[i][1]
    if _char_after(unit.masked, verb_end) == ":":
        return True
    limit = unit.tokens[i + 7][0] if i + 7 < len(unit.tokens) else len(unit.masked)
    k = bisect_left(unit.segment_opens, verb_end)
    return k < len(unit.segment_opens) and unit.segment_opens[k] <= limit


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
    k = first + len(tokens)
    while tokens and len(tokens) < 16 and k < len(unit.tokens) and unit.masked[previous_end : unit.tokens[k][0]] == " " and (
            unit.ctx.name_like(unit.tokens[k][2], unit.start + unit.tokens[k][0]) or _fold(unit.tokens[k][2]) in _NAME_CONNECTORS
            or _year_in_office(unit, k) or _opens_balinese_name([w for _, _, w in unit.tokens[k : k + 2]], 0)):
        # A long office and its holder's name ("ujar Direktur Jenderal … Sumber Daya Mineral Rida Mulyana").
        tokens.append(unit.tokens[k])
        previous_end = unit.tokens[k][1]
        k += 1
    while tokens and _fold(tokens[-1][2]) in _NAME_CONNECTORS and len(tokens) > 10:
        tokens.pop()
    if not tokens:
        return None, pos
    end = tokens[-1][1]
    ctx = unit.ctx
    role_end = end
    place = re.match(r"\s+(?:di|dari|in|at|of)\s+[^,.;:!?()" + _MASK + r"]{1,40}(?=,)", unit.masked[end:])
    if place and (_fold(tokens[0][2]).rstrip(".") in _TITLES or _fold(tokens[0][2]) in _UNNAMED):
        role_end = end + place.end()  # "kata salah satu pedagang di Pasar Kepuh, Anah": the role's place, then the name
    # (the grammar reads parentheses masked as spaces)
    acronym = re.match(r"(?:\s*\([A-Za-z.&-]{2,12}\)|\s{4,})(?:\s+[A-Z][\w-]*){0,3}(?=,)", unit.masked[role_end:])
    if acronym and _fold(tokens[0][2]).rstrip(".") in _TITLES:
        role_end += acronym.end()  # "kata Kepala … Sumber Daya Alam (BKSDA) Kalteng, Zaini": the office's acronym and place
    if ((_fold(tokens[0][2]).rstrip(".") in _TITLES or _fold(tokens[0][2]) in _UNNAMED) and unit.masked[role_end : role_end + 1] == ","
            and not _names_a_person(unit, tokens)):
        # "kata Kepala Dinas Olahraga, Rina Hartati", "kata salah satu pedagang di Pasar Kepuh, Anah":
        # the role, then the name after a comma.
        named, named_end = _phrase_after(unit, role_end + 1)
        # (not a list going on: "Organisasi Pendidikan, Ilmu Pengetahuan, dan Kebudayaan")
        listed = re.match(r",\s*(?:dan|serta|and)\b", unit.masked[named_end:])
        if (named is not None and named.kind == "name" and ctx.is_person(named.text)
                and _char_after(unit.masked, named_end) in ("", ".", ",", ";") and not listed):
            return named, named_end
    if ctx.name_like(tokens[0][2], unit.start + tokens[0][0]):
        runs = ctx.name_runs(tokens, unit.masked, unit.start)
        k = 0
        while k + 1 < len(runs) and runs[k + 1].office:
            k += 1  # the office goes on after "dan": its holder is named at its end
        if (k and not runs[k].name and k + 1 < len(runs) and len(runs[k + 1].name) >= 2
                and ctx.is_person(runs[k + 1].name_text)):
            k += 1  # "… KONI Pusat untuk SEAG 2005 Djoko Pramono": the office ends in a name of its own, then its holder
        if k + 1 < len(runs) and runs[k + 1].name and _titles_between(ctx.source[runs[k].end : runs[k + 1].start]):
            k += 1  # "Staf Bidang Medis drh Nanang": a title in lower case, then the person
        run = runs[k]
        return _speaker_from_run(run, run.start), end
    return _describe(unit, tokens), end


def _names_a_person(unit: _Unit, tokens: list[tuple[int, int, str]]) -> bool:
    """Whether a speaker phrase ends in a person's full name ("Dr Dedy Darnedi"), so that what follows
    its comma is their role ("Kepala Pusat Penelitian Biologi, LIPI Bogor"), not their name."""
    runs = unit.ctx.name_runs(tokens, unit.masked, unit.start)
    if len(runs) != 1 or len(runs[0].name) < 2 or runs[0].end != unit.start + tokens[-1][1]:
        return False
    # An honorific says the name is a person's; an office ("Kepala Dinas PU Kabupaten Brebes") does not.
    return bool(runs[0].descriptors) and all(_fold(d).rstrip(".") in _HONORIFICS for d in runs[0].descriptors)


def _titles_between(gap: str) -> bool:
    words = gap.split()
    return bool(words) and all(w[:1].islower() and _fold(w).rstrip(".") in _TITLES for w in words)


def _year_in_office(unit: _Unit, k: int) -> bool:
    """A year inside an office, before more of its name ("Ketua … untuk SEAG 2005 Djoko Pramono")."""
    w = unit.tokens[k][2]
    return (len(w) == 4 and w.isdigit() and w[:2] in ("19", "20") and k + 1 < len(unit.tokens)
            and unit.masked[unit.tokens[k][1] : unit.tokens[k + 1][0]] == " "
            and unit.ctx.name_like(unit.tokens[k + 1][2], unit.start + unit.tokens[k + 1][0]))


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
        if not _may_be_subject(unit, tokens, runs[-1].start - unit.start):
            return None
        last = runs[-1]
        if (len(last.name) == 1 and not last.descriptors and words[0] in _TITLES and tokens[0][2][:1].islower()
                and len(unit.ctx.resolve(last.name_text, last.start).split()) == 1):
            # "kata analis JPMorgan": an employee of a company the article names no person for.
            return _Speaker("desc", text, pos)
        return _Speaker("name", last.name_text, last.start)
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
    for k, piece in enumerate(pieces[:2]):
        # "Caracas, Jumat - Presiden Venezuela Hugo Chavez, …", "Manado, Kompas - Panglima …": a dateline first
        dateline = _fold(piece[0][2]) in _WEEKDAYS or (k == 1 and len(pieces[0]) <= 3 and piece[0][2][:1].isupper())
        if len(piece) > 1 and dateline and _DASH.search(unit.masked[piece[0][1] : piece[1][0]]):
            pieces = [piece[1:], *pieces[k + 1 :]]
            break
    while len(pieces) >= 2 and _adjunct(pieces[-1]):
        pieces.pop()  # "Gatot Moeryanto, Senin (22/8), mengakui", "Ismail Hasyim, di Bandung, Selasa (23/8), mengatakan"
    if len(pieces) >= 2 and _only_places(pieces[-1]) and any(
            w[:1].islower() and _fold(w) in _ADJUNCT_OPENERS for _, _, w in pieces[-2][1:]):
        pieces.pop()  # "Eddie Widiono di Beijing, China, mengatakan": the place goes on
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
    for k in range(len(last) - 1, 0, -1):
        if _fold(last[k][2]) in ("pada", "on") and all(
                _fold(w) in _STOPWORDS or w.isdigit() or _fold(w) in _TIME_WORDS for _, _, w in last[k + 1 :]) and len(last) - k <= 5:
            last = last[:k]  # "Presiden AS Donald Trump pada Rabu (2/4) telah mengumumkan": a time, not the subject
            while last and _fold(last[-1][2]) in _AUX:
                last.pop()
            break
    last = _without_trailing_adjunct(unit, last)
    words = [_fold(w) for _, _, w in last]
    if words and words[0] in _SOURCING:
        # "Data BPS DKI Jakarta mencatat": figures cited, nobody speaking (a description, named by no one)
        text = unit.ctx.source[unit.start + last[0][0] : unit.start + last[-1][1]]
        return _Speaker("desc", text, unit.start + last[0][0]) if len(words) <= 6 else None
    if not last or all(w in _PARTICIPIAL for w in words):
        # "…, juga memperingatkan bahwa": the subject was the previous statement's speaker.
        return _Speaker("anaphor", "", unit.start + verb_start)
    if words == ["yang"] or words == ["who"] or words == ["which"]:
        if len(pieces) < 2:
            return None
        named = _trailing_name(unit, pieces[-2])
        if named is not None and _MASK not in unit.masked[verb_start:]:
            # "Penguatan didukung oleh pernyataan The Fed, yang mengungkapkan …": reported words in a
            # relative clause on a main clause with a predicate of its own credit no one.
            main = [(s, w) for piece in pieces[:-1] for s, _, w in piece if unit.start + s < named.pos]
            if any(w[:1].islower() and _fold(w) not in _STOPWORDS and (_VERBISH.match(_fold(w)) or _PASSIVE.match(_fold(w)))
                   for _, w in main):
                return None
        return named
    if "yang" in words[1:]:
        y = words.index("yang")
        declared = [k for k in range(y + 1, len(words) - 1) if words[k] in _ALIAS_VERBS]
        if declared and unit.ctx.name_like(last[declared[0] + 1][2], unit.start + last[declared[0] + 1][0]):
            # "Pria yang akrab disapa Zulhas itu mengatakan …": the name the clause declares.
            run = unit.ctx.name_runs(last[declared[0] + 1 :], unit.masked, unit.start)[0]
            if run.name:
                return _Speaker("name", run.name_text, run.start)
        head = last[:y]
        if _all_name_like(unit, head):
            # "Tonny yang menjadi saksi mengaku …": a name, then a relative clause on it.
            run = unit.ctx.name_runs(head, unit.masked, unit.start)
            if len(run) == 1 and run[0].name and (len(run[0].name) >= 2 or not unit.ctx.is_weak(run[0].name[0])):
                return _speaker_from_run(run[0], run[0].start)
        elif head and _fold(head[0][2]).rstrip(".") in _TITLES:
            # "Kepala Kepolisian Resor … Dodi Prasetyo yang meninjau lokasi mengatakan": an office and its holder.
            named = _trailing_name(unit, head)
            if named is not None and named.kind == "name" and len(named.text.split()) >= 2 and unit.ctx.is_person(named.text):
                return named
    if words[0] in ("the",) and len(last) > 1 and _all_name_like(unit, last[1:]):
        last = last[1:]
    role_first = words[0] in _TITLES or (words[0] in ("the", "a", "an", "seorang", "sang") and len(words) > 1)
    if len(pieces) >= 2 and role_first and _all_name_like(unit, pieces[-2]):
        # "Sinta Maharani, Kepala Dinas Pangan, mengatakan", "Jane Morrow, the port's director, told":
        # a person's name, then their role set off by commas.
        run = unit.ctx.name_runs(pieces[-2], unit.masked, unit.start)
        own = _trailing_name(unit, last)  # "Sepakat, Ekonom Bank Permata Josua Pardede": the role's own name
        if (len(run) == 1 and run[0].name and unit.ctx.is_person(run[0].name_text)
                and (len(run[0].name) >= 2 or not unit.ctx.is_weak(run[0].name[0]))
                and not (own is not None and own.kind == "name" and unit.ctx.is_person(own.text))):
            return _speaker_from_run(run[0], run[0].start)
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


_WEEKDAYS = calendar_words("weekday")
_TIME_ADVERBS = wordlist("time_adverbs")  # "kemarin", "yesterday"
_DASH = re.compile(r"\s[-–—]+\s")  # a dateline's dash ("Manado, Kompas - …")


def _adjunct(piece: list[tuple[int, int, str]]) -> bool:
    """A comma-set piece between a subject and its verb that says when or where, not who: "di
    Bandung", "Senin (22/8)", "Minggu (21/8) waktu Washington", "Selasa kemarin"."""
    if not piece or len(piece) > 8:
        return False
    first = piece[0][2]
    return ((first[:1].islower() and _fold(first) in _ADJUNCT_OPENERS) or (first[:1].isupper() and _fold(first) in _WEEKDAYS)
            or _fold(first) in _TIME_ADVERBS)


def _only_places(piece: list[tuple[int, int, str]]) -> bool:
    return bool(piece) and len(piece) <= 3 and all(_fold(w).rstrip(".") in _PLACES for _, _, w in piece)


def _without_trailing_adjunct(unit: _Unit, last: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A person's name, then where or when ("Yohanes Sudarto di Palangkaraya", "Constant Karma
    seusai kunjungan kerja di Merauke"): the subject ends with the name."""
    for k in range(1, len(last)):
        w = last[k][2]
        if not (w[:1].islower() and _fold(w) in _ADJUNCT_OPENERS):
            continue
        head = last[:k]
        runs = unit.ctx.name_runs(head, unit.masked, unit.start)
        if (runs and runs[-1].name and runs[-1].end == unit.start + head[-1][1] and len(runs[-1].name) >= 2
                and unit.ctx.is_person(runs[-1].name_text)):
            return head
        break
    return last


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


def _may_be_subject(unit: _Unit, tokens: list[tuple[int, int, str]], start: int) -> bool:
    """Whether a name starting at ``start`` (unit-relative) after other words of its phrase may be
    the subject: not the object of another verb ("indikator yang membuat Airlangga optimistis"),
    nor the second of two people joined ("Presiden Rusia Vladimir Putin dan Presiden Ukraina
    Volodymyr Zelenskiy menyatakan"; an office's "dan" joins no people: "Menteri Kemaritiman dan
    Investasi Luhut")."""
    k = bisect_left([s for s, _, _ in tokens], start)
    if k == 0:
        return True
    before = tokens[k - 1][2]
    low = _fold(before)
    if any(_fold(w) in _SUBORDINATORS and not w.isupper() for _, _, w in tokens[1:k]):  # "AS" is no "as"
        # "Yield turun setelah The Fed menegaskan …": the verb of a subordinate clause, under a
        # main clause that credits no one.
        return False
    if low in ("by", "oleh"):
        return False  # "Economists polled by Reuters expected …": a passive's agent inside the subject
    if low in _JOINERS:
        whole = unit.ctx.name_runs(tokens, unit.masked, unit.start)
        if any(run.office and run.start == unit.start + start for run in whole):
            return True  # "Deputi Bidang Statistik Distribusi dan Jasa BPS Setianto": one office, one person
        runs = unit.ctx.name_runs(tokens[: k - 1], unit.masked, unit.start)
        previous = runs[-1] if runs else None
        current = unit.ctx.name_runs(tokens[k:], unit.masked, unit.start)
        titled = bool(current and current[0].descriptors) or not (previous and previous.descriptors)
        return not (previous and previous.name and previous.end == unit.start + tokens[k - 2][1] and titled
                    and len(previous.name) >= 2 and unit.ctx.is_person(previous.name_text))
    # A transitive (me-) or passive (di-) verb takes the name as its object or agent; "negara
    # berkembang IMF": a ber- word is intransitive.
    return not (before[:1].islower() and _TRANSITIVE.match(low) and low not in _TITLES)


_ADDRESSEE_VERBS = {"told", "tells", "tell"}  # English verbs of saying whose object is the one told
_TRANSITIVE = re.compile(r"^(?:me|di)[a-z]{4,}$")


_JOINERS = {"dan", "serta", "and"}  # coordinating conjunctions joining two subjects


def _joint_organisations(unit: _Unit, tokens: list[tuple[int, int, str]], runs: list) -> _Speaker | None:
    """"Lapindo Brantas Inc dan PT Minarak Lapindo Jaya mengaku …": two bodies joined by "dan" speak
    together (one speaker, as "kedua perusahaan" or "mereka" later stand for both)."""
    if len(runs) < 2:
        return None
    first, last = runs[-2], runs[-1]
    ctx = unit.ctx
    gap = ctx.source[first.end : last.start].split()
    if len(gap) != 1 or _fold(gap[0]) not in _JOINERS or last.office or first.office:
        return None
    if any(_fold(w).rstrip(".") in _TITLES for w in first.descriptors + last.descriptors):
        return None  # "Menteri Kemaritiman dan Investasi …": one office; people are not joined here
    for run in (first, last):
        words = run.descriptors + run.name
        if not run.name or ctx.is_person(" ".join(words)) or not any(
                _fold(w).rstrip(".") in _ORGANISATION_WORDS or _is_acronym(w) for w in words):
            return None
    return _Speaker("name", ctx.source[first.start : last.end], first.start)


def _trailing_name(unit: _Unit, tokens: list[tuple[int, int, str]]) -> _Speaker | None:
    """The name that ends a phrase ("yaitu Xi Jinping", "Perdana Menteri Narendra Modi")."""
    runs = unit.ctx.name_runs(tokens, unit.masked, unit.start)
    if not runs or runs[-1].end != unit.start + tokens[-1][1]:
        return None
    last = runs[-1]
    if not _may_be_subject(unit, tokens, last.start - unit.start):
        return None
    joint = _joint_organisations(unit, tokens, runs)
    if joint is not None:
        return joint
    if not last.name and last.start != unit.start + tokens[0][0]:
        # "untuk negara berkembang IMF memproyeksi …": an acronym the article declares for a body.
        if (len(last.descriptors) == 1 and _fold(last.descriptors[0]) in unit.ctx.aliases
                and _fold(tokens[0][2]) in _STOPWORDS):  # not "temuan BPS": a noun it belongs to
            return _Speaker("name", last.descriptors[0], last.start)
        return None  # "presiden Rusia": a description ending in a country, not a name
    return _speaker_from_run(last, last.start)
