"""The guard between a model's draft and the user: what a generative answer may say.

* ``[n]`` markers are parsed ("[1, 2]" and "[Source 1]" too); a marker outside 1..n is removed.
* Every quoted span (“…”, "…", «…», „…“) must be verbatim in a source the sentence cites, after
  normalising quote marks and whitespace. A span found verbatim in another source gets that source's
  marker; a garbled one is replaced by the exact source passage it garbles (fuzzy match within the
  cited sources, quoted words only); one that matches nothing is dropped with its sentence.
* A sentence citing nothing gets the marker of the source sentence that holds most of its words
  (at least ATTRIBUTION_SHARE of them, and at least three): small models copy from the sources
  without writing [n]. Otherwise, in an answer that cites, it is dropped unless it only restates the
  question or says the sources do not hold the answer.
* A cited sentence is dropped when none of its words occur in what it cites, when the few words
  around its quote are in neither the cited source nor the question (a made-up "Paketakan: “…”"),
  when it repeats an earlier sentence, or when it repeats an instruction-like sentence of a source
  (text injected into an article is data, not a command).
* With ``known`` (the archive's vocabulary), a sentence in its sources' language may only use words
  found in the archive, its sources or the question: a garbled word is no paraphrase.
* An answer written in the other language than the question's is rejected whole.

``guard()`` returns the checked text and what it did; ``check_answer()`` is the independent
verification that the eval and the tests run on every final answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from text.quotemarks import double_segments
from text.sentences import sentence_spans
from text.tokens import STOPWORDS, detect_language, language_scores, terms, words
from text.wordlists import words as wordlist

log = logging.getLogger(__name__)

_NORMAL = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "\u00a0": " "})
_QUOTE_CHARS = "“”„‟«»\"″"
MARKER = re.compile(r"\[(\d{1,3})\]")
_LOOSE_MARKER = re.compile(r"\[\s*(?:(?:source|sumber|src)\s*)?(\d{1,3}(?:\s*(?:,|;|and|dan|&)\s*\d{1,3})*)\s*\]", re.I)
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_EDGE_PUNCT = ".,;:!?…-–— \t\n"

# "The sources do not say …" / "Artikel tidak menyebut …": an uncited sentence allowed to stay.
_NOT_FOUND = re.compile(
    r"\b(?:(?:do|does|did)\s+not|don't|doesn't|no|not|cannot|can't)\b.{0,40}\b(?:mention|contain|say|state|include|"
    r"provide|hold|answer|information|specify|report|quote|found)|"
    r"\btidak\b.{0,30}\b(?:menyebut\w*|memuat|ada|ditemukan|terdapat|disebutkan|dijelaskan|menjelaskan|"
    r"mengandung|berisi|informasi|menjawab|mengutip)|\btidak ada informasi\b|\bbelum ada\b",
    re.I,
)
# A source sentence that talks to the model instead of the reader.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instruction|prompt|rule|above|previous)|"
    r"\b(?:abaikan|lupakan)\b.{0,40}\b(?:instruksi|perintah|aturan|petunjuk)|"
    r"\b(?:system prompt|you are now|kamu sekarang|anda sekarang)\b",
    re.I,
)
# Words that frame an answer without claiming anything ("According to the sources, …"), and their
# index terms (stems), as claim_terms compares in terms.
_FRAMING = set(wordlist("answer_framing"))
_FRAMING |= {t for word in list(_FRAMING) for t in terms(word, keep_stopwords=True)}


def normalise(text: str) -> str:
    """Quote marks to plain ones and whitespace collapsed: the form quotes are compared in."""
    return " ".join(text.translate(_NORMAL).split())


@dataclass(frozen=True)
class GuardSource:
    """One numbered source as the model saw it: ``n`` is its [n], ``sentences`` its sentences' text."""

    n: int
    text: str
    sentences: tuple[str, ...] = ()
    heading: str = ""  # the title (and date) the prompt showed above the text

    @classmethod
    def from_text(cls, n: int, text: str, heading: str = "") -> GuardSource:
        return cls(n, text, tuple(split_text(text)), heading)


@dataclass
class Sentence:
    text: str
    sep: str = ""  # whitespace that followed it in the draft

    @property
    def markers(self) -> list[int]:
        return [int(m) for m in MARKER.findall(self.text)]


@dataclass
class GuardResult:
    text: str
    fixed_quotes: int = 0
    dropped_sentences: int = 0
    removed_markers: int = 0
    attributed: int = 0  # uncited sentences given the marker of the source they copy
    rejected: str | None = None  # why the whole draft was rejected (wrong language, empty)
    decisions: list[str] = field(default_factory=list)

    @property
    def markers(self) -> list[int]:
        """The [n] markers left, in order of first appearance."""
        return list(dict.fromkeys(int(m) for m in MARKER.findall(self.text)))

    def counters(self) -> dict[str, int]:
        return {"fixed_quotes": self.fixed_quotes, "dropped_sentences": self.dropped_sentences,
                "removed_markers": self.removed_markers, "attributed": self.attributed}


# ------------------------------------------------------------------ parsing


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of every quoted span; an unclosed quote runs to the end."""
    segments, unclosed = double_segments(text, 0)
    spans = [(seg.inner_start, seg.inner_end) for seg in segments]
    if unclosed is not None:
        spans.append((unclosed + 1, len(text)))
    return [(s, e) for s, e in spans if re.search(r"\w", MARKER.sub("", text[s:e]))]


def split_sentences(text: str) -> list[Sentence]:
    """The draft's sentences, each with the white space after it, so that joining them gives the
    draft back (less leading white space)."""
    spans = sentence_spans(text)
    return [Sentence(text[s:e], text[e : spans[i + 1][0] if i + 1 < len(spans) else len(text)])
            for i, (s, e) in enumerate(spans)]


def split_text(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def tidy_markers(text: str, n_sources: int) -> tuple[str, int]:
    """"[1, 2]" -> "[1][2]"; markers outside 1..n removed (and counted); repeats collapsed."""
    removed = 0

    def expand(m: re.Match) -> str:
        nonlocal removed
        out = []
        for number in re.findall(r"\d+", m.group(1)):
            if 1 <= int(number) <= n_sources:
                out.append(f"[{int(number)}]")
            else:
                removed += 1
        return "".join(dict.fromkeys(out))

    text = _LOOSE_MARKER.sub(expand, text)
    text = re.sub(r"</?\s*(?:sources?|sumber)\s*>", " ", text, flags=re.I)  # the prompt's data tags echoed
    text = re.sub(r"</?[a-zA-Z][\w-]*\s*/?>", " ", text)  # and markup ("</p>"): never part of an answer
    text = re.sub(r"(\[\d+\])(?:\s*\1)+", r"\1", text)
    text = re.sub(r"([.!?…][”\"»]?\s*(?:\[\d+\])+)\.", r"\1", text)  # "… penting. [1]." -> "… penting. [1]"
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text))
    return text, removed


# ------------------------------------------------------------------ checks


def _span_text(text: str) -> str:
    return normalise(MARKER.sub(" ", text)).strip(_EDGE_PUNCT)


def verbatim_in(span: str, source: str) -> bool:
    """``span`` (quote marks and spacing aside; ellipses allowed between parts) occurs in ``source``."""
    source = normalise(source)
    parts = [p.strip(_EDGE_PUNCT) for p in _ELLIPSIS.split(_span_text(span))]
    parts = [p for p in parts if re.search(r"\w", p)]
    if not parts:
        return True
    position = 0
    for part in parts:
        found = source.find(part, position)
        if found < 0 and part[0].isalpha():  # "Kami …" quoting "… kami …": only the first letter's case may differ
            found = source.find(part[0].swapcase() + part[1:], position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def check_answer(text: str, sources: dict[int, str]) -> dict:
    """Independent check of a final answer: every [n] is a known source, and every quoted span is
    verbatim in a source its sentence cites (in any source for a sentence citing none)."""
    invalid = [int(m) for m in MARKER.findall(text) if int(m) not in sources]
    spans, bad = 0, []
    for sentence in split_sentences(text):
        cited = [sources[n] for n in sentence.markers if n in sources] or list(sources.values())
        for s, e in quote_spans(sentence.text):
            spans += 1
            span = sentence.text[s:e]
            if not any(verbatim_in(span, src) for src in cited):
                bad.append(_span_text(span))
    return {"spans": spans, "bad_spans": bad, "invalid_markers": invalid}


def _language_mismatch(text: str, lang: str) -> bool:
    """The draft is clearly written in the other language (quoted words, from the sources, aside)."""
    plain = text
    for s, e in reversed(quote_spans(text)):
        plain = plain[: s] + plain[e:]
    tokens = [w.lower() for w in words(MARKER.sub(" ", plain))]
    id_score, en_score = language_scores(tokens)
    mine, other = (id_score, en_score) if lang == "id" else (en_score, id_score)
    return other >= 3 and other > 2 * mine


def says_not_found(text: str) -> bool:
    """Whether a sentence says the sources do not hold something (allowed to stay uncited)."""
    return bool(_NOT_FOUND.search(text))


def claim_terms(text: str) -> set[str]:
    """The words a sentence claims something with, as index terms (markers and framing words out)."""
    return {t for t in terms(MARKER.sub(" ", text)) if len(t) > 1} - _FRAMING


def _restates(sentence: str, question: str) -> bool:
    mine = claim_terms(sentence)
    if not mine:
        return True
    return len(mine & claim_terms(question)) >= 0.8 * len(mine)


def _units(source: GuardSource) -> list[str]:
    """What a garbled quote may be replaced by: the quoted words of each source sentence, or the
    whole sentence when it quotes nobody (never the attribution around a quote)."""
    out = []
    for sentence in source.sentences or (source.text,):
        spans = quote_spans(sentence)
        pieces = [sentence[s:e] for s, e in spans] if spans else [sentence]
        for piece in pieces:
            piece = piece.strip(" \t\n,;:")
            piece = piece.strip("".join(_QUOTE_CHARS)).strip(" \t\n,;:")
            if len(piece.split()) >= 2 and not any(c in _QUOTE_CHARS for c in piece):
                out.append(piece)
    return out


def _closest(span: str, sources: list[GuardSource]) -> tuple[str, int] | None:
    span_words = [w.lower() for w in words(_span_text(span))]
    if not span_words:
        return None
    best = None
    for source in sources:
        for unit in _units(source):
            unit_words = [w.lower() for w in words(unit)]
            shared = set(span_words) & set(unit_words)
            containment = len(shared) / len(set(span_words))
            if containment < 0.6 or len(shared) < 2:
                continue
            score = containment + Indel.normalized_similarity(span_words, unit_words)  # 2 x common words / all
            if best is None or score > best[0]:
                best = (score, unit, source.n)
    return (best[1], best[2]) if best else None


# ------------------------------------------------------------------ the guard


def guard(draft: str, sources: list[GuardSource], question: str, *, lang: str,
          known: Callable[[str], bool] | None = None) -> GuardResult:
    """``known(term)``: whether an index term (``terms(..., keep_stopwords=True)``) occurs in the archive;
    given, a sentence written in its sources' language may use no word that is in neither the archive,
    its sources nor the question (a garbled "eksperaberan" is not a paraphrase of anything)."""
    by_n = {s.n: s for s in sources}
    text, removed = tidy_markers(draft.strip(), max(by_n, default=0))
    result = GuardResult(text="", removed_markers=removed)
    if removed:
        result.decisions.append(f"removed {removed} marker(s) outside 1..{len(sources)}")
    if not text:
        result.rejected = "empty"
        return _logged(result)
    if _language_mismatch(text, lang):
        result.rejected = "wrong_language"
        result.decisions.append(f"draft not in the question's language ({lang})")
        return _logged(result)

    sentences = split_sentences(text)
    for sentence in sentences:
        if not sentence.markers and not _restates(sentence.text, question):
            n = _attribute(sentence.text, sources)
            if n is not None:
                sentence.text = _add_marker(sentence.text, n)
                result.attributed += 1
                result.decisions.append(f"attributed to source [{n}]: {sentence.text!r}")
    answer_cites = any(s.markers for s in sentences)
    injected = {n: [x for x in s.sentences if _INJECTION.search(x)] for n, s in by_n.items()}
    kept: list[Sentence] = []
    for sentence in sentences:
        reason = _check_sentence(sentence, by_n, injected, question, answer_cites, result)
        if not reason and known is not None:
            reason = _unknown_words(sentence, by_n, question, known)
        if not reason and any(_same_sentence(sentence.text, other.text) for other in kept):
            reason = "repeats an earlier sentence"
        if reason:
            result.dropped_sentences += 1
            result.decisions.append(f"dropped ({reason}): {sentence.text!r}")
        else:
            kept.append(sentence)

    out = "".join(s.text + (s.sep or " ") for s in kept).strip()
    # Belt and braces: the text as it leaves must pass the independent check.
    problems = check_answer(out, {n: s.text for n, s in by_n.items()})
    if problems["bad_spans"] or problems["invalid_markers"]:
        result.decisions.append(f"final check failed: {problems}")
        kept = [s for s in kept if not check_answer(s.text, {n: x.text for n, x in by_n.items()})["bad_spans"]]
        out = "".join(s.text + (s.sep or " ") for s in kept).strip()
    result.text = out
    return _logged(result)


def _check_sentence(sentence: Sentence, by_n, injected, question: str, answer_cites: bool, result: GuardResult) -> str | None:
    """None to keep the sentence (possibly repaired in place), else why it is dropped."""
    cited = [by_n[n] for n in dict.fromkeys(sentence.markers) if n in by_n]
    if _echoes_heading(sentence.text, by_n.values()):
        return "repeats a source's heading"
    if not cited:
        if answer_cites and not (_restates(sentence.text, question) or says_not_found(sentence.text)):
            return "cites nothing"
        if any(not any(verbatim_in(sentence.text[s:e], src.text) for src in by_n.values())
               for s, e in quote_spans(sentence.text)):
            return "quote found in no source"
        return None

    if not re.search(r"\w", MARKER.sub(" ", sentence.text)):
        return "nothing but a marker"
    if _echoes_heading(sentence.text, by_n.values()):
        return "repeats a source's heading"
    claim = claim_terms(_without_quotes(sentence.text))
    for source in cited:
        for bad in injected.get(source.n, ()):
            if claim and len(claim & claim_terms(bad)) >= 0.6 * len(claim):
                return f"repeats an instruction inside source [{source.n}]"
    if claim and not any(claim & claim_terms(src.text) for src in cited):
        spans = quote_spans(sentence.text)
        if not spans and len(claim) >= 2:
            return "no word of it in the cited sources"

    # Quotes, last to first so earlier offsets stay valid while replacing.
    for s, e in reversed(quote_spans(sentence.text)):
        span = sentence.text[s:e]
        if any(verbatim_in(span, src.text) for src in cited):
            continue
        elsewhere = next((src for src in by_n.values() if verbatim_in(span, src.text)), None)
        if elsewhere is not None:
            sentence.text = _add_marker(sentence.text, elsewhere.n)
            result.fixed_quotes += 1
            result.decisions.append(f"quote is in source [{elsewhere.n}], not in what was cited: marker added")
            continue
        match = _closest(span, cited) or _closest(span, list(by_n.values()))
        if match is None:
            return f"misquote matching no source sentence: {_span_text(span)!r}"
        exact, n = match
        trailing = re.search(r"(\s*(?:\[\d+\]\s*)*)$", span).group(1)  # markers inside the quote stay
        sentence.text = sentence.text[:s] + exact + trailing + sentence.text[e:]
        if n not in sentence.markers:
            sentence.text = _add_marker(sentence.text, n)
        result.fixed_quotes += 1
        result.decisions.append(f"misquote {_span_text(span)!r} replaced by source [{n}]: {exact!r}")
    cited = [by_n[n] for n in dict.fromkeys(sentence.markers) if n in by_n]
    if (quote_spans(sentence.text) and claim and len(claim) <= 2 and not claim & claim_terms(question)
            and not any(claim & claim_terms(src.text) for src in cited)):
        # 'Paketakan: “…”': a label the model made up, around a quote (attribution is by framing
        # words such as "said", which are not counted, or by names the sources hold)
        return "the words around its quote are in no cited source"
    return None


ATTRIBUTION_SHARE = 0.7


def _attribute(text: str, sources: list[GuardSource]) -> int | None:
    """The source one of whose sentences holds at least ATTRIBUTION_SHARE of the words of ``text``
    (three or more), best share first; None when none does. Quotes are checked afterwards like any
    cited sentence's, so a copied claim with a garbled quote is repaired or dropped, not waved through."""
    claim = claim_terms(text)
    if len(claim) < 3:
        return None
    best: tuple[float, int] | None = None
    for source in sources:
        for unit in source.sentences or (source.text,):
            share = len(claim & claim_terms(unit)) / len(claim)
            if share >= ATTRIBUTION_SHARE and (best is None or share > best[0]):
                best = (share, source.n)
    return best[1] if best else None


def _unknown_words(sentence: Sentence, by_n, question: str, known: Callable[[str], bool]) -> str | None:
    """Why a sentence written in the language of what it cites is dropped: words (outside its quotes)
    that no article, cited source or the question holds. Across languages (an English answer over
    Indonesian sources) there is no such closed vocabulary to hold it to, and nothing is checked."""
    cited = [by_n[n] for n in dict.fromkeys(sentence.markers) if n in by_n]
    plain = MARKER.sub(" ", _without_quotes(sentence.text))
    if not cited or detect_language(plain) != detect_language(" ".join(src.text for src in cited)):
        return None
    allowed = set(terms(question, keep_stopwords=True))
    for src in cited:
        allowed |= set(terms(src.text, keep_stopwords=True))
    strange = [raw for raw in words(plain) for t in terms(raw, keep_stopwords=True)
               if t not in allowed and t not in STOPWORDS and not t.isdigit() and not known(t)]
    return f"words found in no article: {', '.join(dict.fromkeys(strange))}" if strange else None


def _same_sentence(a: str, b: str) -> bool:
    return normalise(MARKER.sub(" ", a)).strip(_EDGE_PUNCT) == normalise(MARKER.sub(" ", b)).strip(_EDGE_PUNCT)


def _echoes_heading(text: str, sources) -> bool:
    """The sentence is a source's title/date line copied out of the prompt, not an answer."""
    mine = claim_terms(text)
    return bool(mine) and any(s.heading and mine <= claim_terms(s.heading) for s in sources)


def _without_quotes(text: str) -> str:
    for s, e in reversed(quote_spans(text)):
        text = text[:s] + " " + text[e:]
    return text


def _add_marker(text: str, n: int) -> str:
    m = re.search(r"([.!?…]*)(\s*)$", text)
    return text[: m.start()] + f" [{n}]" + text[m.start():]


def _logged(result: GuardResult) -> GuardResult:
    for decision in result.decisions:
        log.debug("guard: %s", decision)
    if result.rejected:
        log.debug("guard: draft rejected: %s", result.rejected)
    return result
