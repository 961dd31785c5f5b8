"""Who said what, scored: ``index.quotes.extract_quotes`` against the hand-labelled statements of
``evals/devsets/attribution.jsonl`` (format: ``evals/devsets/ATTRIBUTION.md``).

Spans. A label's ``start``/``end`` are the quoted words (direct) or the reported clause without its
attribution frame (reported); that is what ``Quote.words_start``/``words_end`` hold, while
``Quote.start``/``end`` cover the whole sentence(s) with the attribution, so the words span is the one
compared. A system quote and a label match when their spans overlap by at least ``MIN_OVERLAP`` of the
shorter one; each label and each system quote is matched at most once (pairs with the right speaker
first, then the larger overlap).

Speakers. Right when both name the same person or organisation (``same_speaker``): the same name
once titles are dropped (``text.names.name_key``), one name's words a subsequence of the other's
("Sri Mulyani" = "Sri Mulyani Indrawati", "Perry" = "Perry Warjiyo", "Mr. Dalton" = "David Dalton"; a
lone country or title word never counts), an acronym of the other ("BI" = "Bank Indonesia"), or
``speaker_matches`` either way. Nicknames ("Jokowi" for "Joko Widodo") count as right only through a
nickname some article of the archive declares ("Joko Widodo (Jokowi)", ``index.quotes.declared_aliases``):
the answerer matches a question's name through the same table (``Corpus.speakers_matching``), so a
reader asking for Joko Widodo gets that quote.

Precision = system quotes with a named speaker (``Quote.named``: a person or an organisation) that
match a label with the same speaker / all system quotes with a named speaker in the labelled articles.
The labels hold every statement of those articles, so a named quote matching no label is wrong, and so
is one matching a label whose speaker is unnamed (``speaker: null``: the system put a name on words
the article gives to "pelaku pasar"). System quotes the system itself leaves unnamed (a description
such as "para analis") claim no one and are outside precision; on a label with a named speaker they
are a recall miss.

Recall = labels with a named speaker (speaker not null, mention != "unnamed") matched by a system quote
with the same speaker / all such labels; also by ``mention`` and by ``kind``.

    python -m evals.attribution [--set news|facqa] [--split tune|check|all] [--errors N]

Two labelled sets: ``news`` (the CNN Indonesia archive, both halves) and ``facqa`` (FacQA passages of
the tuning half, other outlets of the 2000s; ``attribution_facqa_docs.txt`` lists every passage read,
those without a statement too, so that a quote found in one counts against precision).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LABELS = PROJECT_ROOT / "evals" / "devsets" / "attribution.jsonl"
ARCHIVE = PROJECT_ROOT.parent / "shared" / "dev-data" / "news-archive"
SETS = {  # name -> (labels, the passages read, archive)
    "news": (LABELS, None, ARCHIVE),
    "facqa": (PROJECT_ROOT / "evals" / "devsets" / "attribution_facqa.jsonl",
              PROJECT_ROOT / "evals" / "devsets" / "attribution_facqa_docs.txt",
              PROJECT_ROOT.parent / "shared" / "dev-data" / "facqa" / "corpus"),
}
MIN_OVERLAP = 0.5
SPLITS = ("tune", "check")
TARGET_PRECISION, TARGET_RECALL = 0.97, 0.90


@dataclass(frozen=True)
class Label:
    doc_id: str
    start: int
    end: int
    text: str  # read from the archive: the label file keeps only a hash of it (the articles stay out of the repo)
    kind: str
    speaker: str | None
    mention: str
    split: str

    @property
    def named(self) -> bool:
        return self.speaker is not None and self.mention != "unnamed"


@dataclass(frozen=True)
class Error:
    doc_id: str
    start: int  # the label's start, or the system quote's words_start when no label is involved
    what: str  # "missed", "wrong speaker", "unlabelled", "unnamed speaker"
    expected: str | None
    got: str | None
    text: str

    def line(self) -> str:
        snippet = " ".join(self.text.split())
        snippet = snippet if len(snippet) <= 70 else snippet[:69] + "…"
        return f"{self.doc_id[:60]} @{self.start} {self.what}: expected {self.expected!r}, got {self.got!r}: {snippet!r}"


@dataclass
class Tally:
    system_named: int = 0
    system_correct: int = 0
    labels_named: int = 0
    labels_found: int = 0
    names_clean: int = 0  # of labels_found: the system's name has no word the label's lacks
    by_mention: Counter = field(default_factory=Counter)  # mention -> labels
    found_by_mention: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    found_by_kind: Counter = field(default_factory=Counter)
    errors: list[Error] = field(default_factory=list)
    articles: int = 0
    labels: int = 0
    system_quotes: int = 0

    def add(self, other: "Tally") -> None:
        for name in ("system_named", "system_correct", "labels_named", "labels_found", "names_clean", "articles",
                     "labels", "system_quotes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("by_mention", "found_by_mention", "by_kind", "found_by_kind"):
            getattr(self, name).update(getattr(other, name))
        self.errors += other.errors

    @property
    def precision(self) -> float | None:
        return round(self.system_correct / self.system_named, 4) if self.system_named else None

    @property
    def recall(self) -> float | None:
        return round(self.labels_found / self.labels_named, 4) if self.labels_named else None

    @property
    def named_as_labelled(self) -> float | None:
        return round(self.names_clean / self.labels_found, 4) if self.labels_found else None

    def to_dict(self) -> dict:
        return {
            "articles": self.articles, "labels": self.labels, "system_quotes": self.system_quotes,
            "precision": self.precision, "system_named": self.system_named, "system_correct": self.system_correct,
            "recall": self.recall, "labels_named": self.labels_named, "labels_found": self.labels_found,
            "names_clean": self.names_clean, "named_as_labelled": self.named_as_labelled,
            "recall_by_mention": {m: (self.found_by_mention[m], n) for m, n in sorted(self.by_mention.items())},
            "recall_by_kind": {k: (self.found_by_kind[k], n) for k, n in sorted(self.by_kind.items())},
            "errors_by_type": dict(Counter(e.what for e in self.errors)),
        }


def load_labels(path: Path = LABELS) -> list[Label]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                r = json.loads(line)
                rows.append(Label(r["doc_id"], int(r["start"]), int(r["end"]), r.get("text") or r["sha"], r["kind"],
                                  r.get("speaker"), r["mention"], r["split"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: malformed label: {exc}") from None
    return rows


# ---------------------------------------------------------------- speakers


def _is_acronym_of(short: str, long: str) -> bool:
    from text.names import initials

    letters = short.replace(".", "")
    return len(short.split()) == 1 and 2 <= len(letters) <= 6 and letters.isupper() and letters == initials(long)


def same_speaker(system: str | None, label: str | None, aliases=None) -> bool:
    """Whether a system speaker and a labelled speaker are the same person or organisation; with
    ``aliases`` (a ``text.names.AliasTable``), also through a nickname the archive declares, as the
    answerer matches a question's name to speakers."""
    from text.names import PLACES, TITLES, name_key, speaker_matches

    if not system or not label:
        return False
    if aliases is not None and any(same_speaker(name, label) for name in aliases.names_for(system)):
        return True
    a, b = name_key(system).replace("-", " ").split(), name_key(label).replace("-", " ").split()
    if not a or not b:
        return False
    if a == b or _is_acronym_of(system.strip(), label) or _is_acronym_of(label.strip(), system):
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == 1 and (short[0] in PLACES or short[0] in TITLES):
        return False
    it = iter(long)
    if all(any(w == x for x in it) for w in short):
        return True
    return speaker_matches(system, label) or speaker_matches(label, system)


# ---------------------------------------------------------------- matching


def clean_name(system: str, label: str) -> bool:
    """Whether a right speaker is also named as labelled: no word (an employer, an office, a place
    glued to the name: "Monex Investindo Ariston Tjendra") that the labelled name lacks, titles aside."""
    from text.names import name_key

    return set(name_key(system).replace("-", " ").split()) <= set(name_key(label).replace("-", " ").split())


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _matches(a: tuple[int, int], b: tuple[int, int]) -> int:
    shared = overlap(a, b)
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared if shorter > 0 and shared >= MIN_OVERLAP * shorter else 0


def _with_text(label: Label, source: str) -> Label:
    """The label with its words from the article; the stored text or hash must agree with them."""
    import dataclasses
    import hashlib

    found = source[label.start:label.end]
    if label.text not in (found, hashlib.sha256(found.encode("utf-8")).hexdigest()[:16]):
        raise ValueError(f"{label.doc_id}: label at {label.start} does not match the article text")
    return dataclasses.replace(label, text=found)


def score_article(article, labels: list[Label], extract: Callable | None = None, aliases=None) -> Tally:
    """One labelled article: its system quotes matched to its labels."""
    if extract is None:
        from index.quotes import extract_quotes as extract
    source = article.source
    labels = [_with_text(label, source) for label in labels]
    quotes = list(extract(article))
    pairs = []
    for qi, q in enumerate(quotes):
        for li, label in enumerate(labels):
            shared = _matches((q.words_start, q.words_end), (label.start, label.end))
            if shared:
                right = q.named and label.named and same_speaker(q.speaker, label.speaker, aliases)
                pairs.append((right, shared, qi, li))
    pairs.sort(key=lambda p: (not p[0], -p[1], p[2], p[3]))
    quote_to: dict[int, tuple[int, bool]] = {}
    label_to: dict[int, tuple[int, bool]] = {}
    for right, _, qi, li in pairs:
        if qi not in quote_to and li not in label_to:
            quote_to[qi] = (li, right)
            label_to[li] = (qi, right)

    t = Tally(articles=1, labels=len(labels), system_quotes=len(quotes))
    doc = article.doc_id
    for qi, q in enumerate(quotes):
        if not q.named:
            continue
        t.system_named += 1
        if qi not in quote_to:
            t.errors.append(Error(doc, q.words_start, "unlabelled", None, q.speaker, source[q.words_start:q.words_end]))
            continue
        li, right = quote_to[qi]
        label = labels[li]
        if right:
            t.system_correct += 1
        elif not label.named:
            t.errors.append(Error(doc, label.start, "unnamed speaker", label.speaker or "(unnamed)", q.speaker, label.text))
    for li, label in enumerate(labels):
        if not label.named:
            continue
        t.labels_named += 1
        t.by_mention[label.mention] += 1
        t.by_kind[label.kind] += 1
        if li in label_to and label_to[li][1]:
            t.labels_found += 1
            t.names_clean += clean_name(quotes[label_to[li][0]].speaker, label.speaker)
            t.found_by_mention[label.mention] += 1
            t.found_by_kind[label.kind] += 1
        elif li in label_to:
            q = quotes[label_to[li][0]]
            got = q.speaker if q.named else f"(unnamed: {q.speaker})"
            t.errors.append(Error(doc, label.start, "wrong speaker", label.speaker, got, label.text))
        else:
            t.errors.append(Error(doc, label.start, "missed", label.speaker, None, label.text))
    t.errors.sort(key=lambda e: e.start)
    return t


def archive_aliases(archive: Path = ARCHIVE):
    """The nicknames the whole archive declares, as ingest stores them for the answerer."""
    from collections import Counter

    from index.articles import ArticleError, read_article
    from index.quotes import declared_aliases
    from text.names import AliasTable

    counts: Counter = Counter()
    for path in sorted(Path(archive).glob("*.txt")):
        try:
            counts.update(set(declared_aliases(read_article(path))))
        except ArticleError:  # skipped by ingest too (a headline alone, an empty file)
            continue
    return AliasTable((alias, name, n) for (alias, name), n in counts.items())


def score(labels: Iterable[Label], archive: Path = ARCHIVE, extract: Callable | None = None,
          aliases=None, documents: Iterable[str] = ()) -> dict[str, Tally]:
    """Tallies per split and "all" (articles read with ``read_article``, as ingest reads them);
    ``documents``: articles read by the labellers that hold no statement (their split by the
    development sets' own, ``evals.devsets.split_of``)."""
    from evals.devsets import split_of
    from index.articles import read_article

    by_doc: dict[str, list[Label]] = {doc_id: [] for doc_id in documents}
    for label in labels:
        by_doc.setdefault(label.doc_id, []).append(label)
    out = {name: Tally() for name in (*SPLITS, "all")}
    for doc_id in sorted(by_doc):
        rows = by_doc[doc_id]
        splits = {r.split for r in rows} or {split_of(doc_id)}
        if len(splits) != 1:
            raise ValueError(f"{doc_id}: labels in more than one split: {sorted(splits)}")
        tally = score_article(read_article(Path(archive) / doc_id), rows, extract, aliases)
        split = splits.pop()
        out.setdefault(split, Tally()).add(tally)
        out["all"].add(tally)
    return out


# ---------------------------------------------------------------- report


def _ratio(n: int, d: int) -> str:
    return f"{n / d:.3f} ({n}/{d})" if d else "– (0/0)"


def report(tallies: dict[str, Tally], splits: Iterable[str], errors: int = 20) -> str:
    names = list(splits)
    lines = [f"{'':22}" + "".join(f"{n:>20}" for n in names)]

    def row(label: str, cell: Callable[[Tally], str]) -> None:
        lines.append(f"{label:22}" + "".join(f"{cell(tallies[n]):>20}" for n in names))

    row("articles", lambda t: str(t.articles))
    row("labels / system", lambda t: f"{t.labels} / {t.system_quotes}")
    row(f"precision (≥{TARGET_PRECISION})", lambda t: _ratio(t.system_correct, t.system_named))
    row(f"recall (≥{TARGET_RECALL})", lambda t: _ratio(t.labels_found, t.labels_named))
    row("  named as labelled", lambda t: _ratio(t.names_clean, t.labels_found))
    mentions = sorted({m for n in names for m in tallies[n].by_mention})
    for m in mentions:
        row(f"  recall {m}", lambda t, m=m: _ratio(t.found_by_mention[m], t.by_mention[m]))
    for k in sorted({k for n in names for k in tallies[n].by_kind}):
        row(f"  recall {k}", lambda t, k=k: _ratio(t.found_by_kind[k], t.by_kind[k]))
    for what in ("missed", "wrong speaker", "unlabelled", "unnamed speaker"):
        row(f"errors: {what}", lambda t, w=what: str(sum(e.what == w for e in t.errors)))
    pool = tallies["all" if "all" in names else names[0]].errors
    shown = pool[:errors] if errors else []
    if shown:
        lines += ["", f"first {len(shown)} errors (doc @label start, expected, got):"]
        lines += ["  " + e.line() for e in shown]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.attribution", description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "check", "all"), default="all",
                        help="which half to report (all: both halves and the total)")
    parser.add_argument("--errors", type=int, default=20, metavar="N", help="list the first N errors (default 20)")
    parser.add_argument("--set", choices=tuple(SETS), default="news", help="which labelled set (default news)")
    parser.add_argument("--labels", help="labelled statements (JSON Lines), instead of the set's")
    parser.add_argument("--archive", help="folder holding the labelled articles, instead of the set's")
    parser.add_argument("--json", metavar="OUT", help="write the figures as JSON")
    args = parser.parse_args(argv)
    labels, read, archive = SETS[args.set]
    labels, archive = Path(args.labels or labels), Path(args.archive or archive)
    documents = [] if read is None or args.labels else read.read_text(encoding="utf-8").split()
    tallies = score(load_labels(labels), archive, aliases=archive_aliases(archive), documents=documents)
    splits = [*SPLITS, "all"] if args.split == "all" else [args.split]
    print(report(tallies, splits, args.errors))
    if args.json:
        Path(args.json).write_text(json.dumps({n: tallies[n].to_dict() for n in splits}, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
