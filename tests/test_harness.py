"""The evaluation harness: question files, judging and metrics on hand-made answers with known scores,
and the development set run through the real pipeline against measured floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import harness
from evals.harness import EvalFileError, EvalQuestion, QuestionResult, System, judge, load_questions, metrics
from retrieval.answer import Answer, Citation

CHUNKS = {"a.txt#0": "Alpha said “we will build the bridge”. The bridge costs 40 million.", "b.txt#0": "Beta left town."}


def cite(n: int, chunk_id: str, quote: str) -> Citation:
    doc = chunk_id.split("#")[0]
    start = CHUNKS.get(chunk_id, "").find(quote)
    return Citation(n, doc, doc.upper(), None, chunk_id, max(start, 0), max(start, 0) + len(quote), quote)


def answered(question: str, text: str, citations: list[Citation], latency: float = 10.0) -> Answer:
    return Answer(question, text, False, citations, [], latency)


def refused(question: str, latency: float = 10.0) -> Answer:
    return Answer(question, "Not in the corpus.", True, [], [], latency)


Q_BRIDGE = EvalQuestion("q1", "What does the bridge cost?", True, ("a.txt",), ("40 million|40 juta",))
Q_ALPHA = EvalQuestion("q2", "What did Alpha promise?", True, ("a.txt",), ("bridge", "build", "promised|vowed"))
Q_NONE = EvalQuestion("q3", "What did Gamma say?", False)
Q_NONE2 = EvalQuestion("q4", "Who won the 1990 cup?", False)


def result(q: EvalQuestion, answer: Answer, ranked_docs=("a.txt",), evidence=False) -> QuestionResult:
    r = judge(q, answer, [(d, CHUNKS.get(f"{d}#0", "")) for d in ranked_docs])
    if evidence is not None:
        r.evidence = evidence or r.evidence
    return r


def test_must_include_needs_one_alternative_of_every_entry():
    assert harness.includes_all("The BRIDGE costs 40 Juta", ["40 million|40 juta", "bridge"]) == []
    assert harness.includes_all("The bridge", ["40 million|40 juta", "bridge"]) == ["40 million|40 juta"]
    assert harness.includes_all("anything", []) == []


def test_scores_of_a_mixed_run():
    good = cite(1, "a.txt#0", "The bridge costs 40 million.")
    wrong_doc = cite(2, "b.txt#0", "Beta left town.")
    not_verbatim = cite(1, "a.txt#0", "Alpha said we will build it")
    results = [
        result(Q_BRIDGE, answered(Q_BRIDGE.question, "The bridge costs 40 million. [1] [2]", [good, wrong_doc], 10)),
        result(Q_ALPHA, answered(Q_ALPHA.question, "Alpha said we will build it [1]", [not_verbatim], 30), ("b.txt", "a.txt")),
        result(Q_NONE, refused(Q_NONE.question, 20)),
        result(Q_NONE2, answered(Q_NONE2.question, "Beta left town. [1]", [wrong_doc], 40), ("b.txt",)),
    ]
    assert [r.passed for r in results] == [True, False, True, False]
    assert results[1].why == "missing: bridge, promised|vowed"
    m = metrics(results, [Q_BRIDGE, Q_ALPHA, Q_NONE, Q_NONE2], CHUNKS)
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (4, 2, 2)
    assert m["answer_accuracy"] == 0.5
    assert m["citation_precision"] == round(2 / 3, 4)  # the b.txt citation is outside q1's sources
    assert m["quote_fidelity"] == 0.75  # 3 of 4 citations are verbatim in their chunk
    assert m["refusal_accuracy"] == 0.5
    assert m["false_refusal_rate"] == 0.0
    assert m["hit_at_1"] == 0.5 and m["hit_at_5"] == 1.0 and m["mrr_at_10"] == 0.75
    assert m["evidence_at_5"] == 0.5  # q2's chunks never say "promised"
    assert m["answer_chars_median"] == (len("The bridge costs 40 million. [1] [2]") + len("Alpha said we will build it [1]")) / 2
    assert m["latency_ms_p50"] in (20, 30) and m["latency_ms_p95"] == 40


def test_all_refused_and_no_citations():
    results = [result(Q_BRIDGE, refused(Q_BRIDGE.question)), result(Q_NONE, refused(Q_NONE.question))]
    m = metrics(results, [Q_BRIDGE, Q_NONE], CHUNKS)
    assert m["answer_accuracy"] == 0.0
    assert m["false_refusal_rate"] == 1.0
    assert m["refusal_accuracy"] == 1.0
    # Nothing cited: precision and fidelity have nothing to measure, which is not a score of 0 or 1.
    assert m["citation_precision"] is None and m["quote_fidelity"] is None
    assert m["answer_chars_median"] is None
    assert results[0].why == "refused an answerable question"


def test_an_answer_without_citations_counts_against_nothing_but_its_text():
    r = result(Q_BRIDGE, answered(Q_BRIDGE.question, "It costs 40 million.", []))
    assert r.passed
    m = metrics([r], [Q_BRIDGE], CHUNKS)
    assert m["citation_precision"] is None and m["quote_fidelity"] is None and m["unanswerable"] == 0
    assert m["refusal_accuracy"] is None


def test_empty_question_file_gives_empty_metrics(tmp_path: Path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    assert load_questions(path) == []
    m = metrics([], [], {})
    assert m["questions"] == 0 and m["answer_accuracy"] is None and m["latency_ms_p50"] is None


def test_malformed_line_is_reported_with_its_number(tmp_path: Path):
    path = tmp_path / "q.jsonl"
    good = json.dumps({"id": "a", "question": "Apa kata Dalton?", "answerable": True, "extra": 1})
    path.write_text(good + "\n" + good + "\n{not json\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"q.jsonl:3"):
        load_questions(path)
    path.write_text(good + "\n" + json.dumps({"id": "b", "question": "x", "answerable": "yes"}) + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=r":2: .*answerable"):
        load_questions(path)


def test_unknown_keys_are_ignored(tmp_path: Path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "Q?", "answerable": False, "kind": "x", "lang": "en"}) + "\n")
    assert load_questions(path) == [EvalQuestion("a", "Q?", False)]


def test_cli_eval_stops_on_a_malformed_file_before_asking(tmp_path: Path):
    from bot.cli import main

    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "ok?"}\n[1, 2]\n', encoding="utf-8")
    assert main(["eval", "--questions", str(path)]) == 2


def test_reports_put_failures_first_and_flatten_baselines():
    ok = result(Q_BRIDGE, answered(Q_BRIDGE.question, "40 million [1]", [cite(1, "a.txt#0", "The bridge costs 40 million.")]))
    bad = result(Q_NONE, answered(Q_NONE.question, "Beta | left [1]", [cite(1, "b.txt#0", "Beta left town.")]))
    main, other = System("warta", None, None, CHUNKS, [ok, bad]), System("top-chunk", None, None, CHUNKS, [ok, bad])
    summaries = {s.name: metrics(s.results, [Q_BRIDGE, Q_NONE], CHUNKS) for s in (main, other)}
    md = harness.markdown_report([main, other], summaries)
    rows = [line for line in md.splitlines() if line.startswith(("| q1 |", "| q3 |"))]
    assert rows[0].startswith("| q3 | FAIL") and rows[1].startswith("| q1 | pass")
    assert "Beta \\| left" in rows[0]  # table cells are escaped
    report = harness.json_report([main, other], summaries)
    assert report["answer_accuracy"] == 1.0 and report["top-chunk.answer_accuracy"] == 1.0
    assert [q["id"] for q in report["per_question"]] == ["q1", "q3"]


# Floors set from measured figures (warta eval on ../shared/corpus), moved with each refit of the decisions.
# The answer/refuse decisions are fitted on the development sets' tuning halves only, so this set is
# held out (figures: notes/issue11.md).
FLOORS = {"answer_accuracy": 0.89, "citation_precision": 0.8, "refusal_accuracy": 0.75, "quote_fidelity": 1.0}


def test_development_set_meets_the_floors(corpus_app):
    questions = load_questions(Path(__file__).resolve().parents[1] / "evals" / "questions.jsonl")
    assert len(questions) >= 40
    [system] = harness.systems_for(corpus_app, k=corpus_app.settings.top_k)
    m = harness.run(system, questions)
    failures = [f"{r.id}: {r.why}" for r in system.results if not r.passed]
    for key, floor in FLOORS.items():
        assert m[key] >= floor, f"{key} {m[key]} < {floor}; failures: {failures}"
    assert m["false_refusal_rate"] <= 0.05
