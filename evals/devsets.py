"""Development sets beyond the seed corpus, each split into a tuning half and a check half fixed by
article: tune on ``*-tune`` only, and read ``*-check`` as the figure a new archive would give.

* ``facqa-tune`` / ``facqa-check``: the FacQA passages of ``../shared/dev-data/facqa`` and their
  factoid questions. Within each half a fixed, seeded share of the passages (``HOLD_OUT``) is left out
  of the ingested corpus; the questions of a left-out passage become unanswerable near misses when
  none of their gold answer's alternatives occurs anywhere in that half's ingested passages, and are
  dropped otherwise (the answer may be findable from another passage).
* ``news-tune`` / ``news-check``: the articles of ``../shared/dev-data/news-archive`` with the
  questions of ``evals/devsets/news_archive.jsonl``.
* ``seed``: ``evals/questions.jsonl`` over ``../shared/corpus``, unsplit.

Each built set is a folder ``<out>/<name>/`` holding ``corpus/`` (hard links to the shared files, or
copies where linking fails: ingest does not follow symbolic links), ``questions.jsonl`` in
``warta eval``'s format and ``manifest.json`` (counts, and a fingerprint of what it was built from).

    python -m evals.devsets --out DIR
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEV_DATA = PROJECT_ROOT.parent / "shared" / "dev-data"
NEWS_QUESTIONS = PROJECT_ROOT / "evals" / "devsets" / "news_archive.jsonl"
SEED_QUESTIONS = PROJECT_ROOT / "evals" / "questions.jsonl"
CACHE = PROJECT_ROOT / ".warta" / "devsets"  # git-ignored, independent of WARTA_INDEX_DIR

HALVES = ("tune", "check")
SET_NAMES = ("seed", "facqa-tune", "facqa-check", "news-tune", "news-check")
HOLD_OUT = 0.15  # share of each FacQA half's passages left out of its ingested corpus
SEED = "warta-devsets-1"
BUILD_VERSION = 1  # bump when the construction changes: cached sets are rebuilt


class DevSetError(Exception):
    pass


def split_of(doc_id: str) -> str:
    """The half an article belongs to; the rule the other data files (attribution.jsonl) use."""
    return "tune" if int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "check"


def normalise(text: str) -> str:
    """Lower case, runs of whitespace as one space: the form answers are looked for in."""
    return " ".join(text.lower().split())


def _squeezed(text: str) -> str:
    return "".join(text.lower().split())


def _held_out(doc_ids: list[str], share: float, seed: str) -> set[str]:
    """A fixed subset: the ``share`` of ``doc_ids`` ranking first under a seeded hash (no RNG state,
    the same on every Python)."""
    ranked = sorted(doc_ids, key=lambda d: hashlib.sha256(f"{seed}:{d}".encode()).hexdigest())
    return set(ranked[: round(share * len(doc_ids))])


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DevSetError(f"{path}:{number}: not JSON: {exc}") from None
    return rows


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _link_corpus(files: list[Path], folder: Path) -> str:
    """``folder`` holding exactly ``files`` (same names): hard links, else copies. Returns the method."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    method = "hardlink"
    for src in files:
        dst = folder / src.name
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
            method = "copy"
    return method


def _readable(path: Path) -> bool:
    """Whether ingest would index this file (the same reader and cleaning rules)."""
    from index.articles import ArticleError, read_article

    try:
        read_article(path)
        return True
    except ArticleError:
        return False


def _fingerprint(*parts) -> str:
    digest = hashlib.sha256(str(BUILD_VERSION).encode())
    for part in parts:
        if isinstance(part, Path):
            digest.update(part.read_bytes() if part.is_file() else str(sorted(p.name for p in part.iterdir())).encode())
        else:
            digest.update(str(part).encode())
    return digest.hexdigest()[:16]


def _write_set(folder: Path, files: list[Path], questions: list[dict], counts: dict) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    counts["corpus_method"] = _link_corpus(files, folder / "corpus")
    _write_jsonl(folder / "questions.jsonl", questions)
    (folder / "manifest.json").write_text(json.dumps(counts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return counts


# ---------------------------------------------------------------- FacQA


def facqa_sets(dev_data: Path = DEV_DATA, out: Path = CACHE, *, hold_out: float = HOLD_OUT, seed: str = SEED) -> dict:
    """Write ``out/facqa-tune`` and ``out/facqa-check``; returns their counts by set name.

    Passages ingest would skip (no article text after cleaning) are left out and their questions
    dropped. A question of a held-out passage is a near miss only when no alternative of its answer
    (``|``-separated) occurs, case- and whitespace-insensitively, in any ingested passage of its half
    (the whole file text, title line included); also when spaces are ignored altogether ("G - 8" vs
    "G-8"), so the test errs towards dropping a question rather than mislabelling it."""
    base = Path(dev_data) / "facqa"
    corpus, rows = base / "corpus", _read_jsonl(base / "questions.jsonl")
    fingerprint = _fingerprint(base / "questions.jsonl", corpus, hold_out, seed)
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        if len(row.get("sources") or []) != 1:
            raise DevSetError(f"FacQA question {row.get('id')}: expected exactly one source passage")
        by_doc.setdefault(row["sources"][0], []).append(row)
    files = {p.name: p for p in sorted(corpus.glob("*.txt"))}
    missing = sorted(set(by_doc) - set(files))
    if missing:
        raise DevSetError(f"FacQA questions cite passages not in {corpus}: {missing[:3]}")
    result = {}
    for half in HALVES:
        docs = sorted(d for d in files if split_of(d) == half)
        unreadable = {d for d in docs if not _readable(files[d])}
        usable = [d for d in docs if d not in unreadable]
        held = _held_out(usable, hold_out, f"{seed}:{half}")
        ingested = [d for d in usable if d not in held]
        texts = [files[d].read_text(encoding="utf-8") for d in ingested]
        haystack = normalise("\n".join(texts))
        squeezed = _squeezed("\n".join(texts))
        questions, dropped_found, dropped_unreadable = [], 0, 0
        for doc in docs:
            for row in by_doc.get(doc, []):
                base_row = {"id": row["id"], "question": row["question"]}
                if doc in unreadable:
                    dropped_unreadable += 1
                    continue
                if doc not in held:
                    questions.append({**base_row, "answerable": True, "sources": [doc], "must_include": row["must_include"],
                                      "kind": "fact", "lang": "id", "split": half})
                    continue
                alternatives = [a for entry in row["must_include"] for a in entry.split("|") if a.strip()]
                if any(normalise(a) in haystack or _squeezed(a) in squeezed for a in alternatives):
                    dropped_found += 1
                    continue
                questions.append({**base_row, "answerable": False, "sources": [], "must_include": [],
                                  "kind": "unanswerable", "subkind": "near_miss", "lang": "id", "split": half,
                                  "held_out_source": doc})
        questions.sort(key=lambda r: r["id"])
        counts = {
            "set": f"facqa-{half}", "fingerprint": fingerprint, "hold_out": hold_out, "seed": seed,
            "passages": len(docs), "ingested_passages": len(ingested), "held_out_passages": len(held),
            "unreadable_passages": len(unreadable),
            "questions": len(questions), "answerable": sum(q["answerable"] for q in questions),
            "near_miss": sum(not q["answerable"] for q in questions),
            "dropped_answer_elsewhere": dropped_found, "dropped_unreadable_passage": dropped_unreadable,
        }
        result[f"facqa-{half}"] = _write_set(Path(out) / f"facqa-{half}", [files[d] for d in ingested], questions, counts)
    return result


# ---------------------------------------------------------------- news archive


def _half_of_question(row: dict, number: int) -> str | None:
    """The half a news question belongs to: its sources' (they must agree), checked against a stated
    ``split``; a question without sources goes by its ``split``, else by the hash of its id. None for a
    question whose sources lie in both halves (it belongs to neither)."""
    halves = {split_of(s) for s in row.get("sources") or []}
    stated = row.get("split")
    if stated is not None and stated not in HALVES:
        raise DevSetError(f"news question line {number}: split must be tune or check, not {stated!r}")
    if len(halves) > 1:
        return None
    if halves:
        (half,) = halves
        if stated is not None and stated != half:
            raise DevSetError(f"news question line {number} ({row.get('id')}): split {stated!r} but its sources are in {half!r}")
        return half
    return stated or split_of(str(row.get("id", number)))


def news_sets(dev_data: Path = DEV_DATA, out: Path = CACHE, questions_file: Path = NEWS_QUESTIONS) -> dict:
    """Write ``out/news-tune`` and ``out/news-check``: each half's articles, all of them, and its questions."""
    questions_file = Path(questions_file)
    if not questions_file.is_file():
        raise DevSetError(f"the news-archive question file {questions_file} does not exist yet; write it first "
                          "(see evals/devsets/README.md)")
    archive = Path(dev_data) / "news-archive"
    files = {p.name: p for p in sorted(archive.glob("*.txt"))}
    rows = _read_jsonl(questions_file)
    fingerprint = _fingerprint(questions_file, archive)
    by_half: dict[str, list[dict]] = {h: [] for h in HALVES}
    cross = 0
    for number, row in enumerate(rows, 1):
        unknown = [s for s in row.get("sources") or [] if s not in files]
        if unknown:
            raise DevSetError(f"{questions_file}:{number}: sources not in {archive}: {unknown}")
        half = _half_of_question(row, number)
        if half is None:
            cross += 1
            continue
        by_half[half].append({**row, "split": half})
    result = {}
    for half in HALVES:
        docs = [p for name, p in files.items() if split_of(name) == half]
        questions = by_half[half]
        counts = {
            "set": f"news-{half}", "fingerprint": fingerprint, "articles": len(docs), "questions": len(questions),
            "answerable": sum(bool(q.get("answerable", True)) for q in questions),
            "unanswerable": sum(not q.get("answerable", True) for q in questions),
            "dropped_cross_half": cross,
        }
        result[f"news-{half}"] = _write_set(Path(out) / f"news-{half}", docs, questions, counts)
    return result


# ---------------------------------------------------------------- one set, cached


def seed_set() -> dict:
    rows = _read_jsonl(SEED_QUESTIONS)
    return {"set": "seed", "questions": len(rows), "answerable": sum(bool(r.get("answerable", True)) for r in rows),
            "unanswerable": sum(not r.get("answerable", True) for r in rows), "questions_file": str(SEED_QUESTIONS)}


def _current_fingerprint(name: str, dev_data: Path) -> str:
    if name.startswith("facqa-"):
        base = Path(dev_data) / "facqa"
        return _fingerprint(base / "questions.jsonl", base / "corpus", HOLD_OUT, SEED)
    if not NEWS_QUESTIONS.is_file():
        raise DevSetError(f"the news-archive question file {NEWS_QUESTIONS} does not exist yet")
    return _fingerprint(NEWS_QUESTIONS, Path(dev_data) / "news-archive")


def ensure_set(name: str, out: Path | None = None, dev_data: Path | None = None) -> Path:
    """The folder of set ``name`` (not ``seed``), built (both halves) when missing or built from other
    inputs than the current ones; under ``out`` (default ``CACHE``) from ``dev_data`` (default ``DEV_DATA``)."""
    out, dev_data = Path(out or CACHE), Path(dev_data or DEV_DATA)
    if name not in SET_NAMES or name == "seed":
        raise DevSetError(f"unknown development set {name!r}; one of {', '.join(SET_NAMES[1:])}")
    folder = Path(out) / name
    manifest = folder / "manifest.json"
    current = _current_fingerprint(name, dev_data)
    built = json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint") if manifest.is_file() else None
    if built != current or not (folder / "questions.jsonl").is_file():
        if name.startswith("facqa-"):
            facqa_sets(dev_data, out)
        else:
            news_sets(dev_data, out, NEWS_QUESTIONS)
    return folder


def devset_settings(settings, name: str, folder: Path):
    """``settings`` (embedder, answerer, k …) pointed at set ``name``: its corpus and its own embedded
    index, one per embedder (``<folder>/index-<embedder>``), never a Chroma server or the user's index."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in settings.embedder)[:80]
    return settings.model_copy(update={
        "corpus": Path(folder) / "corpus", "index_dir": Path(folder) / f"index-{safe}",
        "chroma_host": None, "state_dir": None, "collection": "warta",
    })


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.devsets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(CACHE), help=f"where to write the sets (default {CACHE})")
    parser.add_argument("--dev-data", default=str(DEV_DATA), help="the shared dev-data folder")
    args = parser.parse_args(argv)
    out, dev = Path(args.out), Path(args.dev_data)
    sets = {"seed": seed_set(), **facqa_sets(dev, out)}
    try:
        sets.update(news_sets(dev, out))
    except DevSetError as exc:
        print(f"news sets skipped: {exc}", file=sys.stderr)
    for name, counts in sets.items():
        shown = {k: v for k, v in counts.items() if k not in ("set", "fingerprint", "seed")}
        print(f"{name:12} " + "  ".join(f"{k}={v}" for k, v in shown.items()))
    print(f"written under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
