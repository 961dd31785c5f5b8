"""`warta eval`: run a fixed question file through the same answer path as every front-end and
score retrieval, answers, refusals and speed; optionally beside baselines in the same run."""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.answer import Answer


class EvalFileError(Exception):
    pass


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answerable: bool
    sources: tuple[str, ...] = ()
    must_include: tuple[str, ...] = ()


def load_questions(path: Path) -> list[EvalQuestion]:
    """All questions, or EvalFileError naming the first malformed line (nothing is asked then)."""
    out: list[EvalQuestion] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFileError(f"{path}: cannot read: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            question = row["question"]
            if not isinstance(question, str) or not question.strip():
                raise ValueError("'question' must be a non-empty string")
            answerable = row.get("answerable", True)
            if not isinstance(answerable, bool):
                raise ValueError("'answerable' must be true or false")
            sources = row.get("sources") or []
            must = row.get("must_include") or []
            if not all(isinstance(s, str) for s in [*sources, *must]):
                raise ValueError("'sources' and 'must_include' must be lists of strings")
            out.append(EvalQuestion(str(row.get("id", f"line{number}")), question, answerable, tuple(sources), tuple(must)))
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalFileError(f"{path}:{number}: malformed question line: {exc}") from None
    return out


def includes_all(text: str, must_include: Sequence[str]) -> list[str]:
    """The must_include entries none of whose |-alternatives appear in ``text``."""
    folded = text.lower()
    return [entry for entry in must_include if not any(alt.strip().lower() in folded for alt in entry.split("|") if alt.strip())]


def answer_body(answer: Answer) -> str:
    return answer.answer


@dataclass
class QuestionResult:
    id: str
    question: str
    answerable: bool
    passed: bool
    why: str
    answer: Answer
    ranked_docs: list[str]  # documents of the top-10 retrieved chunks, best first
    evidence: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "question": self.question,
            "passed": self.passed,
            "why": self.why,
            "answer": self.answer.answer,
            "refused": self.answer.refused,
            "citations": [c.__dict__ for c in self.answer.citations],
            "latency_ms": self.answer.latency_ms,
            "mode": self.answer.mode,
            "fallback_reason": self.answer.fallback_reason,
            "guard": self.answer.guard,
        }


@dataclass
class System:
    """One way of answering: Warta itself, or a baseline. ``rank(q, k)`` gives (doc_id, text) of the top
    chunks; ``chunk_text`` maps each chunk id it can cite to the chunk's text (for quote fidelity)."""

    name: str
    answer: Callable[[str], Answer]
    rank: Callable[[str, int], list[tuple[str, str]]]
    chunk_text: Mapping[str, str] = field(default_factory=dict)
    results: list[QuestionResult] = field(default_factory=list)


def judge(q: EvalQuestion, answer: Answer, ranked: list[tuple[str, str]]) -> QuestionResult:
    docs = [doc for doc, _ in ranked]
    evidence = any(not includes_all(text, q.must_include) for _, text in ranked[:5]) if q.must_include else False
    if not q.answerable:
        passed = answer.refused
        why = "refused as expected" if passed else "answered a question the corpus cannot answer"
    elif answer.refused:
        passed, why = False, "refused an answerable question"
    else:
        missing = includes_all(answer_body(answer), q.must_include)
        wrong = [c.doc_id for c in answer.citations if q.sources and c.doc_id not in q.sources]
        passed = not missing
        why = "ok" if passed else "missing: " + ", ".join(missing)
        if wrong:
            why += f" (cites outside sources: {', '.join(sorted(set(wrong)))})"
    return QuestionResult(q.id, q.question, q.answerable, passed, why, answer, docs, evidence)


def run(system: System, questions: Sequence[EvalQuestion], progress: Callable[[int, int], None] | None = None) -> dict:
    system.results = []
    for number, q in enumerate(questions, 1):
        answer = system.answer(q.question)
        ranked = system.rank(q.question, 10)
        system.results.append(judge(q, answer, ranked))
        if progress:
            progress(number, len(questions))
    return metrics(system.results, questions, system.chunk_text)


def systems_for(app, *, k: int, baselines: bool = False) -> list[System]:
    """Warta as configured (the same answer path as the CLI and the bots), then, with ``baselines``,
    dense-only and BM25-only retrieval under the same answerer and the plain LangChain top-chunk pipeline."""
    from retrieval.answer import answer
    from retrieval.search import Searcher

    chunk_text = {r.chunk_id: r.text for r in app.searcher.corpus.records}

    def ranker(searcher):
        return lambda q, n: [(h.record.doc_id, h.record.text) for h in searcher.search(q, n)]

    systems = [System("warta", lambda q: app.answer(q, k=k), ranker(app.searcher), chunk_text)]
    if baselines:
        from evals.baselines import TopChunkBaseline

        for mode in ("dense", "bm25"):
            searcher = Searcher(app.store, app.embedder, mode=mode)
            systems.append(System(f"{mode}-only", lambda q, s=searcher: answer(q, s, k=k), ranker(searcher), chunk_text))
        top = TopChunkBaseline(app.settings.corpus, app.embedder)
        systems.append(System("top-chunk", top.answer, top.rank, top.chunk_text))
    return systems


def json_report(systems: Sequence[System], summaries: dict[str, dict]) -> dict:
    """The first system's figures as flat keys plus its per-question results; each baseline's
    figures as ``<name>.<key>``."""
    main = systems[0]
    report = dict(summaries[main.name])
    report["per_question"] = [r.to_dict() for r in main.results]
    for system in systems[1:]:
        report.update({f"{system.name}.{key}": value for key, value in summaries[system.name].items()})
    return report


def text_report(systems: Sequence[System], summaries: dict[str, dict]) -> str:
    names = [s.name for s in systems]
    lines = [f"{'metric':22}" + "".join(f"{n:>14}" for n in names)]
    for key in SUMMARY_KEYS:
        lines.append(f"{key:22}" + "".join(f"{_cell(summaries[n].get(key)):>14}" for n in names))
    lines += [f"FAIL {r.id}: {r.why}: {r.question}" for r in systems[0].results if not r.passed]
    return "\n".join(lines)


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def metrics(
    results: Sequence[QuestionResult], questions: Sequence[EvalQuestion], chunk_text: Mapping[str, str]
) -> dict:
    """Every summary figure; a ratio whose denominator is zero is None (nothing to measure), not 0."""
    by_id = {q.id: q for q in questions}
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    hit1 = hit5 = mrr = evidence = 0.0
    for r in answerable:
        sources = set(by_id[r.id].sources)
        ranks = [i for i, doc in enumerate(r.ranked_docs[:10], 1) if doc in sources]
        hit1 += bool(ranks and ranks[0] == 1)
        hit5 += bool(ranks and ranks[0] <= 5)
        mrr += 1.0 / ranks[0] if ranks else 0.0
        evidence += r.evidence
    answered = [r for r in answerable if not r.answer.refused]
    cited = [c for r in answered for c in r.answer.citations]
    in_sources = [c for r in answered for c in r.answer.citations if c.doc_id in by_id[r.id].sources]
    all_citations = [c for r in results for c in r.answer.citations]
    faithful = [c for c in all_citations if c.quote and c.quote in chunk_text.get(c.chunk_id, "")]
    # Quoted spans in the answer text count too: each must be verbatim in a source its sentence cites.
    checks = [_answer_check(r.answer) for r in results]
    spans = sum(c["spans"] for c in checks)
    bad_spans = sum(len(c["bad_spans"]) for c in checks)
    guard = [r.answer.guard or {} for r in results]
    latencies = sorted(r.answer.latency_ms for r in results)
    lengths = [len(answer_body(r.answer)) for r in answered]
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "hit_at_1": _ratio(hit1, len(answerable)),
        "hit_at_5": _ratio(hit5, len(answerable)),
        "mrr_at_10": _ratio(mrr, len(answerable)),
        "evidence_at_5": _ratio(evidence, len(answerable)),
        "answer_accuracy": _ratio(sum(r.passed for r in answerable), len(answerable)),
        "citation_precision": _ratio(len(in_sources), len(cited)),
        "quote_fidelity": _ratio(len(faithful) + spans - bad_spans, len(all_citations) + spans),
        "invalid_citations": sum(len(c["invalid_markers"]) + c["unused"] for c in checks),
        "fallbacks": sum(r.answer.fallback_reason is not None for r in results),
        "generative_answers": sum(r.answer.mode == "generative" for r in results),
        "guard_fixed_quotes": sum(g.get("fixed_quotes", 0) for g in guard),
        "guard_dropped_sentences": sum(g.get("dropped_sentences", 0) for g in guard),
        "guard_attributed": sum(g.get("attributed", 0) for g in guard),
        "refusal_accuracy": _ratio(sum(r.answer.refused for r in unanswerable), len(unanswerable)),
        "false_refusal_rate": _ratio(sum(r.answer.refused for r in answerable), len(answerable)),
        "answer_chars_median": statistics.median(lengths) if lengths else None,
        "latency_ms_p50": _percentile(latencies, 50),
        "latency_ms_p95": _percentile(latencies, 95),
    }


def _answer_check(answer: Answer) -> dict:
    """[n] markers without a citation, citations no marker uses, and quoted spans of the answer
    text that are not verbatim in what their sentence cites (retrieval.guard.check_answer)."""
    from retrieval.guard import MARKER, check_answer

    report = check_answer(answer.answer, {c.n: c.quote for c in answer.citations})
    used = {int(m) for m in MARKER.findall(answer.answer)}
    report["unused"] = sum(c.n not in used for c in answer.citations)
    return report


def _percentile(values: Sequence[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return round(ordered[index], 1)


SUMMARY_KEYS = [
    "answer_accuracy", "citation_precision", "quote_fidelity", "refusal_accuracy", "false_refusal_rate",
    "hit_at_1", "hit_at_5", "mrr_at_10", "evidence_at_5", "answer_chars_median", "latency_ms_p50", "latency_ms_p95",
    "invalid_citations", "fallbacks", "guard_fixed_quotes", "guard_dropped_sentences", "guard_attributed",
]


def markdown_report(systems: Sequence[System], summaries: dict[str, dict]) -> str:
    names = [s.name for s in systems]
    lines = ["# Warta evaluation", "", "| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in SUMMARY_KEYS:
        cells = [_cell(summaries[n].get(key)) for n in names]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    main = systems[0]
    lines += ["", f"## Questions ({main.name}), failures first", "", "| id | result | question | answer | citations |", "|---|---|---|---|---|"]
    for r in sorted(main.results, key=lambda r: (r.passed, r.id)):
        short = " ".join(r.answer.answer.split())
        short = short if len(short) <= 160 else short[:159] + "…"
        cites = ", ".join(f"[{c.n}] {c.doc_id}:{c.start}-{c.end}" for c in r.answer.citations)
        result = "pass" if r.passed else f"FAIL: {r.why}"
        lines.append(f"| {r.id} | {_md(result)} | {_md(r.question)} | {_md(short)} | {_md(cites)} |")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    return "–" if value is None else (f"{value:.3f}" if isinstance(value, float) and value <= 1 else str(value))


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
