"""`warta eval --calibrate`: fit the answerer's calibration (retrieval/calibration.py) for the
configured embedder on the tuning halves of the development sets, and write its file.

1. Every question of ``facqa-tune`` and ``news-tune`` goes through the usual answer path with a
   recording calibration registered for the embedder: each decision's candidates and their evidence
   are kept, and each candidate is labelled by the harness's own test (evals/harness.py): it answers
   when the words an answer citing it would show hold every ``must_include`` entry. Every candidate of
   an unanswerable near miss is negative.
2. A logistic model is fitted to the candidates (L2-regularised, standardised features), each set
   weighing the same.
3. The answer threshold and the join threshold are chosen on the same tuning halves by replaying
   each decision, figures averaged over the sets: the answer threshold maximises the share of the
   questions handled right (answered with the answer, or refused when unanswerable), the join rule
   (a floor and a share of the best P, Calibration.joins) answer accuracy + citation precision (more joined sentences
   always raise answer accuracy, as an answer passes when its words hold the answer anywhere, while
   they cite ever less relevant articles; refusing never raises this pair). The two are found in
   turn until neither moves; of near-ties (within ``TIE``) the lowest answer threshold (a refusal that
   gets no more questions right only costs an answer) and the join rule joining the most (the highest
   answer accuracy: the fuller answer, for the same reason).
   Questions that reach no decision (refused for an unknown name, "what did X say?" without a topic)
   count with the result they got, which no threshold changes.
0. BM25's shares, each for questions in the archive's language and in another (retrieval/search.py):
   the retrieval ranking's (score fusion) maximises hit@1 of the fused ranking on a grid, read once;
   the answerer's candidate ranking's (reciprocal ranks) is the one of ``FUSION_TRIES`` whose fitted
   decisions get the most questions right (of near-ties within ``TIE``, the one nearest their middle),
   steps 1-3 run for each (per relation; a pair of different shares is kept only when its own fit
   beats the single share's).
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.calibration import FEATURES, FIT_COMMAND, Calibration, calibration_key, calibration_path, fit_logistic, register_calibration

TUNE_SETS = ("facqa-tune", "news-tune")
L2 = 1.0
TIE = 0.005  # relative objective differences below this are ties: the middle of the tied range wins
T_GRID = 201
J_GRID = 41
JOIN_RATIOS = (0.0, 0.25, 0.5, 0.75, 0.9)  # the join ratios tried (a joining P as a share of the best)


@dataclass
class Decision:
    rows: np.ndarray
    shown: list[str]
    docs: list[str]
    join_keys: list
    limit: int | None
    kind: str
    off_target: np.ndarray  # per candidate: chosen best, it makes the answer a refusal (a near miss)
    excluded: np.ndarray | None = None  # per candidate: it is never chosen (None: none is)

    def eligible(self, p: np.ndarray) -> np.ndarray:
        """``p`` with the excluded candidates below any threshold: never the best, never joined."""
        return p if self.excluded is None else np.where(self.excluded, -1.0, p)


class Recorder:
    """A stand-in calibration that answers with every candidate and keeps each decision's evidence."""

    threshold = 0.0

    def __init__(self, fusion_bm25: float = 0.5, fusion_bm25_cross: float = 0.5, ranking_bm25: float = 0.5,
                 ranking_bm25_cross: float = 0.5) -> None:
        self.decisions: list[Decision] = []
        self.fusion_bm25, self.fusion_bm25_cross = fusion_bm25, fusion_bm25_cross
        self.ranking_bm25, self.ranking_bm25_cross = ranking_bm25, ranking_bm25_cross

    def probabilities(self, rows):
        return np.ones(len(rows))

    def answer_threshold(self, cross_language: bool = False) -> float:
        return self.threshold

    def joins(self, p, best) -> bool:
        return True

    def observe(self, question, rows, candidates, join_keys, limit) -> None:
        self.decisions.append(Decision(np.array(rows, dtype=float), [c.shown for c in candidates],
                                       [c.record.doc_id for c in candidates], list(join_keys), limit, question.kind,
                                       np.array([bool(c.off_target) for c in candidates]),
                                       np.array([bool(c.excluded) for c in candidates])))


@dataclass
class Group:
    """One question of a tuning set: its decision's candidates, or its fixed result when it has none."""

    set: str
    answerable: bool
    must_include: tuple[str, ...]
    sources: tuple[str, ...]
    decision: Decision | None = None
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0))
    fixed_passed: bool = False  # without a decision: the harness's verdict
    fixed_refused: bool = True
    fixed_cited: int = 0
    fixed_in_sources: int = 0
    cross: bool = False  # asked in another language than the archive's


FUSION_GRID = np.linspace(0.0, 1.0, 21)  # the BM25 shares tried for the retrieval ranking
FUSION_TRIES = (0.3, 0.5, 0.7, 0.9)  # … for the answerer's candidates (each costs one collection and fit)
FUSION_MIN_QUESTIONS = 20  # a set with fewer questions of a language relation does not weigh in its shares


def share_right(groups: list[Group], figures: dict) -> float:
    """The share of questions handled right at the fitted decisions, averaged over the sets."""
    out = []
    for name, f in figures.items():
        members = [g for g in groups if g.set == name]
        answerable = sum(g.answerable for g in members)
        right = f["answer_accuracy"] * answerable + f["refusal_accuracy"] * (len(members) - answerable)
        out.append(right / max(len(members), 1))
    return float(np.mean(out))


def right_by_relation(groups: list[Group], model: Calibration, cross: bool) -> float | None:
    """The share of the questions of one language relation (``cross``) that ``model``'s decisions get
    right, averaged over the sets with at least FUSION_MIN_QUESTIONS of them (all pooled when none has);
    None when there are none."""
    members = [g for g in groups if g.cross == cross]
    if not members:
        return None
    counts = {name: sum(g.set == name for g in members) for name in dict.fromkeys(g.set for g in members)}
    if not any(n >= FUSION_MIN_QUESTIONS for n in counts.values()):
        members = [Group("pooled", g.answerable, g.must_include, g.sources, g.decision, g.labels, g.fixed_passed,
                         g.fixed_refused, g.fixed_cited, g.fixed_in_sources, g.cross) for g in members]
    else:
        members = [g for g in members if counts[g.set] >= FUSION_MIN_QUESTIONS]
    probabilities = [model.probabilities(g.decision.rows) if g.decision is not None else np.zeros(0) for g in members]
    figures = replay(members, probabilities, np.array([model.threshold]), [(model.join_threshold, model.join_ratio)],
                     np.array([model.answer_threshold(True)]))
    return float(np.mean([f["right"][0, 0] / f["questions"] for f in figures.values()]))


@dataclass
class Ranked:
    """One answerable question's two rankings, read once so that every BM25 share can be tried on them."""

    sources: tuple[str, ...]
    cross: bool  # asked in another language than the archive's
    dense: list  # (chunk_id, normalised cosine), best first
    lexical: list  # (chunk_id, normalised BM25 score), best first
    doc_of: dict


def fusion_rankings(app, questions, depth: int = 30) -> list[Ranked]:
    """For each answerable question with sources: its source doc_ids, whether it crosses languages, and
    the dense and the BM25 ranking as ``Searcher.search`` fuses them (each hit's score, normalised as
    ``fuse`` normalises it: fusing them again gives the same ranking)."""
    searcher = app.searcher.pinned()
    out = []
    for q in questions:
        if not q.answerable or not q.sources:
            continue
        vector = app.embedder.embed_query(q.question)
        dense = searcher.search(q.question, depth, mode="dense", vector=vector, depth=depth)
        lexical = searcher.search(q.question, depth, mode="bm25", depth=depth)
        out.append(Ranked(tuple(q.sources), searcher.cross_language(q.question, None, searcher.corpus),
                          [(h.record.chunk_id, h.score) for h in dense], [(h.record.chunk_id, h.score) for h in lexical],
                          {h.record.chunk_id: h.record.doc_id for h in dense + lexical}))
    return out


def fusion_figures(rankings: list[Ranked], lexical_share: float, k: int = 5) -> tuple[float, float]:
    """(hit@1, recall@k): the shares of questions whose fused ranking (``retrieval.search.fuse``) puts
    a chunk of a source article first, and among the ``k`` chunks an answer's candidates come from."""
    from retrieval.search import fuse

    first = among = 0
    for r in rankings:
        ranked = [r.doc_of[c] for c, _ in fuse(r.dense, r.lexical, lexical_share)[:k]]
        first += bool(ranked) and ranked[0] in r.sources
        among += any(doc in r.sources for doc in ranked)
    n = max(len(rankings), 1)
    return first / n, among / n




def choose_fusion(per_set: dict[str, list[Ranked]], k: int = 5) -> tuple[dict[bool, float], dict]:
    """BM25's share for questions in the archive's language and for those in another (``cross``): for
    each, the share putting a source first most often (hit@1) in the fused ranking, averaged over the
    sets with at least FUSION_MIN_QUESTIONS such questions (all of them pooled when none has); of
    near-ties the middle. The recall of a source among the ``k`` chunks answers are drawn from is
    recorded beside it. A relation no question has takes the other's share."""
    chosen: dict[bool, float] = {}
    info: dict = {}
    for cross in (False, True):
        groups = {name: [r for r in rankings if r.cross == cross] for name, rankings in per_set.items()}
        groups = {name: rankings for name, rankings in groups.items() if rankings}
        if not groups:
            continue
        weighed = {name: rankings for name, rankings in groups.items() if len(rankings) >= FUSION_MIN_QUESTIONS}
        if not weighed:
            weighed = {"pooled": [r for rankings in groups.values() for r in rankings]}
        figures = np.array([[fusion_figures(rankings, w, k) for rankings in weighed.values()] for w in FUSION_GRID])
        chosen[cross] = float(FUSION_GRID[_middle_max(figures[:, :, 0].mean(axis=1), FUSION_GRID)])
        label = "cross" if cross else "same"
        info[f"ranking_{label}_language"] = {
            "questions": {name: len(rankings) for name, rankings in weighed.items()},
            "hit_at_1": {f"{w:.2f}": round(float(f), 4) for w, f in zip(FUSION_GRID, figures[:, :, 0].mean(axis=1))},
            "recall_at_k": {f"{w:.2f}": round(float(f), 4) for w, f in zip(FUSION_GRID, figures[:, :, 1].mean(axis=1))},
        }
    if not chosen:
        chosen = {False: 0.5, True: 0.5}
    chosen.setdefault(False, chosen.get(True, 0.5))
    chosen.setdefault(True, chosen[False])
    return chosen, info


def collect(app, set_name: str, questions, progress=None, fusion_bm25: float = 0.5,
            fusion_bm25_cross: float = 0.5, ranking: dict | None = None) -> list[Group]:
    from evals.harness import includes_all, judge

    ranking = ranking or {False: 0.5, True: 0.5}
    recorder = Recorder(fusion_bm25, fusion_bm25_cross, ranking[False], ranking[True])
    register_calibration(app.embedder.name, recorder)
    groups = []
    try:
        for number, q in enumerate(questions, 1):
            recorder.decisions = []
            answer = app.answer(q.question)
            group = Group(set_name, q.answerable, q.must_include, q.sources,
                          cross=app.searcher.cross_language(q.question, None, app.searcher.corpus))
            if recorder.decisions:
                decision = recorder.decisions[-1]
                group.decision = decision
                group.labels = np.array([q.answerable and not includes_all(text, q.must_include) for text in decision.shown],
                                        dtype=float)
            else:
                result = judge(q, answer, [])
                group.fixed_passed = result.passed and q.answerable
                group.fixed_refused = answer.refused
                group.fixed_cited = len(answer.citations) if q.answerable and not answer.refused else 0
                group.fixed_in_sources = sum(c.doc_id in q.sources for c in answer.citations) if group.fixed_cited else 0
            groups.append(group)
            if progress:
                progress(number, len(questions))
    finally:
        register_calibration(app.embedder.name, None)
    return groups


def _join_rule(join: tuple[float, float]) -> Calibration:
    """A calibration that only joins: (join threshold, join ratio)."""
    n = len(FEATURES)
    return Calibration(FEATURES, np.zeros(n), 0.0, np.zeros(n), np.ones(n), 0.0, *join)


def _chosen(p: np.ndarray, decision: Decision, rule: Calibration) -> list[int]:
    """The candidates _decide would choose under ``rule``'s joins, given the best answers."""
    order = np.argsort(-p, kind="stable")
    chosen, keys = [int(order[0])], {decision.join_keys[order[0]]}
    for i in order[1:]:
        if decision.limit is not None and len(chosen) >= decision.limit or not rule.joins(p[i], p[order[0]]):
            break
        if decision.join_keys[i] not in keys:
            keys.add(decision.join_keys[i])
            chosen.append(int(i))
    return chosen


def replay(groups: list[Group], probabilities: list[np.ndarray], thresholds: np.ndarray, joins: list,
           cross_thresholds: np.ndarray | None = None) -> dict:
    """Per set, answer accuracy, refusal accuracy, false refusals and citation precision for every
    threshold and join rule ((join threshold, join ratio) pairs): arrays shaped (len(thresholds), len(joins)).
    With ``cross_thresholds`` (as long as ``thresholds``), a question in another language than the
    archive's answers by those instead."""
    from evals.harness import includes_all

    out = {}
    rules = [_join_rule(join) for join in joins]
    for name in dict.fromkeys(g.set for g in groups):
        members = [(g, p) for g, p in zip(groups, probabilities) if g.set == name]
        answerable = sum(g.answerable for g, _ in members)
        unanswerable = len(members) - answerable
        shape = (len(thresholds), len(joins))
        passed, refused_right, refused_wrong = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        cited, in_sources = np.zeros(shape), np.zeros(shape)
        for g, p in members:
            if g.decision is None or not len(p):
                passed += g.fixed_passed
                refused_right += (not g.answerable) and g.fixed_refused
                refused_wrong += g.answerable and g.fixed_refused
                cited += g.fixed_cited
                in_sources += g.fixed_in_sources
                continue
            bar = cross_thresholds if g.cross and cross_thresholds is not None else thresholds
            p = g.decision.eligible(p)
            answers = ((p.max() >= bar) & ~g.decision.off_target[int(np.argmax(p))])[:, None]  # (T, 1)
            if not g.answerable:
                refused_right += ~answers
                continue
            refused_wrong += ~answers
            row_pass, row_cited, row_src = np.zeros(len(joins)), np.zeros(len(joins)), np.zeros(len(joins))
            for j, rule in enumerate(rules):
                chosen = _chosen(p, g.decision, rule)
                text = " ".join(g.decision.shown[i] for i in chosen)
                row_pass[j] = not includes_all(text, g.must_include)
                row_cited[j] = len(chosen)
                row_src[j] = sum(g.decision.docs[i] in g.sources for i in chosen)
            passed += answers * row_pass
            cited += answers * row_cited
            in_sources += answers * row_src
        out[name] = {
            "right": passed + refused_right,
            "questions": len(members),
            "answer_accuracy": passed / max(answerable, 1),
            "refusal_accuracy": refused_right / unanswerable if unanswerable else np.ones(shape),
            "false_refusal_rate": refused_wrong / max(answerable, 1),
            "citation_precision": np.divide(in_sources, cited, out=np.ones(shape), where=cited > 0),
        }
    return out


def choose_thresholds(groups: list[Group], probabilities: list[np.ndarray]) -> tuple[float, float | None, tuple, dict]:
    """(threshold, threshold for questions in another language (None with fewer than
    FUSION_MIN_QUESTIONS of them), (join threshold, join ratio), figures per set at them): the objective
    of the module docstring, each threshold chosen on its own questions' results."""
    best_ps = np.array([p.max() for g, p in zip(groups, probabilities) if g.decision is not None and len(p)])
    every = np.concatenate([p for p in probabilities if len(p)]) if best_ps.size else np.zeros(1)
    thresholds = np.unique(np.concatenate([np.quantile(best_ps, np.linspace(0, 1, T_GRID)) if best_ps.size else [0.5],
                                           [0.5]]))
    floors = np.unique(np.concatenate([np.quantile(every, np.linspace(0.5, 1, J_GRID)), thresholds[::10]]))
    joins = [(float(floor), ratio) for ratio in JOIN_RATIOS for floor in floors]  # ascending strictness per ratio
    crossing = sum(g.cross and g.decision is not None for g in groups) >= FUSION_MIN_QUESTIONS

    def objectives(same: np.ndarray, cross: np.ndarray):
        figures = replay(groups, probabilities, same, joins, cross if crossing else None)
        mean = {key: np.mean([f[key] for f in figures.values()], axis=0) for key in ("answer_accuracy", "citation_precision")}
        return figures, mean["answer_accuracy"] + mean["citation_precision"], mean["answer_accuracy"]

    def right(same: np.ndarray, cross: np.ndarray, join) -> np.ndarray:
        figures = replay(groups, probabilities, same, [join], cross if crossing else None)
        return np.mean([f["right"][:, 0] / f["questions"] for f in figures.values()], axis=0)

    ti, ci, ji = 0, 0, len(joins) - 1
    everywhere = np.ones(len(thresholds))
    for _ in range(20):
        new_ti = _lowest_max(right(thresholds, everywhere * thresholds[ci], joins[ji]))
        new_ci = new_ti
        if crossing:  # the threshold for questions in another language, on those questions' results
            new_ci = _lowest_max(right(everywhere * thresholds[new_ti], thresholds, joins[ji]))
        _, join_objective, accuracy = objectives(np.array([thresholds[new_ti]]), np.array([thresholds[new_ci]]))
        new_ji = _fullest_near_max(join_objective[0, :], accuracy[0, :])
        if (new_ti, new_ci, new_ji) == (ti, ci, ji):
            break
        ti, ci, ji = new_ti, new_ci, new_ji
    figures, _, _ = objectives(np.array([thresholds[ti]]), np.array([thresholds[ci]]))
    at = {name: {key: round(float(value[0, ji]), 4) for key, value in f.items() if key not in ("right", "questions")}
          for name, f in figures.items()}
    return float(thresholds[ti]), (float(thresholds[ci]) if crossing else None), joins[ji], at


def _lowest_max(values: np.ndarray) -> int:
    """Of the indices within TIE (relative) of the maximum, the first (the lowest answer threshold):
    where refusing more gets no more questions right, the question is answered."""
    return int(np.flatnonzero(values >= values.max() - TIE * abs(values.max()))[0])


def _fullest_near_max(values: np.ndarray, accuracy: np.ndarray) -> int:
    """Of the join rules within TIE (relative) of the best, the one whose answers pass most often (the
    one joining the most): where the tuning questions cannot tell two rules apart, the answer shows
    more of the evidence, as a near-tied answer threshold answers."""
    near = np.flatnonzero(values >= values.max() - TIE * abs(values.max()))
    return int(near[np.argmax(accuracy[near])])


def _middle_max(values: np.ndarray, grid: np.ndarray | None = None) -> int:
    """Of the indices within TIE (relative) of the maximum, the middle one; with ``grid`` (the values
    tried), the one nearest the middle of their values: the centre of the near-best range, not its
    edge, which the tuning questions alone would set."""
    near = np.flatnonzero(values >= values.max() - TIE * abs(values.max()))
    if grid is None:
        return int(near[len(near) // 2])
    middle = (grid[near].min() + grid[near].max()) / 2
    return int(near[np.argmin(np.abs(grid[near] - middle))])


def _middle_share(scored: dict[float, float]) -> float:
    """The share tried whose questions-right is the best or tied with it (TIE), nearest the middle of
    the tied ones: as for the thresholds, a difference of a question or two picks no edge."""
    grid = np.array(sorted(scored))
    return float(grid[_middle_max(np.array([scored[w] for w in grid]), grid)])


def fit(groups: list[Group], *, l2: float = L2) -> tuple[Calibration, dict]:
    decided = [g for g in groups if g.decision is not None and len(g.labels)]
    if not decided:
        raise ValueError("no decisions to fit on")
    rows = np.vstack([g.decision.rows for g in decided])
    labels = np.concatenate([g.labels for g in decided])
    if labels.min() == labels.max():
        raise ValueError("the candidates are all of one label: nothing to fit")
    # Each set weighs the same in the fit, however many candidates it has.
    per_set = {name: sum(len(g.labels) for g in decided if g.set == name) for name in dict.fromkeys(g.set for g in decided)}
    sample_weights = np.concatenate([np.full(len(g.labels), 1.0 / per_set[g.set]) for g in decided])
    weights, bias, mean, scale = fit_logistic(rows, labels, l2=l2, sample_weights=sample_weights)
    model = Calibration(FEATURES, weights, bias, mean, scale, 0.5, 0.5)
    probabilities = [model.probabilities(g.decision.rows) if g.decision is not None else np.zeros(0) for g in groups]
    model.threshold, model.threshold_cross, (model.join_threshold, model.join_ratio), figures = choose_thresholds(
        groups, probabilities)
    stats = {"candidates": int(len(labels)), "positive_candidates": int(labels.sum()), "decisions": len(decided),
             "questions": len(groups)}
    return model, {"figures": figures, **stats}


def calibrate(app, *, sets=TUNE_SETS, out: Path | None = None, progress=None) -> tuple[Path, Calibration]:
    """Collect on ``sets`` with ``app``'s embedder, fit, write the embedder's calibration file."""
    from evals.harness import load_questions

    embedder_name = app.embedder.name
    groups, used, loaded = [], {}, {}
    for name in sets:
        set_app, folder = set_app_for(app, name)
        questions = load_questions(folder / "questions.jsonl")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        used[name] = {"questions": len(questions), "fingerprint": manifest.get("fingerprint")}
        loaded[name] = (set_app, questions)
    # The retrieval ranking's BM25 shares are chosen on the rankings themselves, separately for
    # questions in the archive's language and in another: the share putting a source first most often.
    print("calibrate: the retrieval ranking's fusion of dense and BM25", file=sys.stderr)
    ranking, ranking_info = choose_fusion({name: fusion_rankings(a, qs) for name, (a, qs) in loaded.items()},
                                          k=app.settings.top_k)
    # The answerer's candidate ranking by what it does to the answers: for each share tried, the decisions
    # are collected and fitted anew (their evidence depends on the ranking); for each language relation
    # the share whose fitted decisions get the most of its questions right wins, and the decisions are
    # collected and fitted once more on the winning pair.
    def collect_all(same: float, cross: float) -> list[Group]:
        out = []
        for name, (set_app, questions) in loaded.items():
            print(f"calibrate: candidates' BM25 share {same:.1f} (cross-language {cross:.1f}): collecting on {name} "
                  f"({len(questions)} questions)", file=sys.stderr)
            out += collect(set_app, name, questions, progress=progress(name) if progress else None,
                           fusion_bm25=same, fusion_bm25_cross=cross, ranking=ranking)
        return out

    tried: dict[float, tuple] = {}
    for fusion in FUSION_TRIES:
        groups = collect_all(fusion, fusion)
        model, info = fit(groups)
        tried[fusion] = (groups, model, info, {cross: right_by_relation(groups, model, cross) for cross in (False, True)})
    shares = {}
    for cross in (False, True):
        scored = {w: t[3][cross] for w, t in tried.items() if t[3][cross] is not None}
        shares[cross] = _middle_share(scored) if scored else None
    shares[False] = shares[False] if shares[False] is not None else (shares[True] or 0.5)
    shares[True] = shares[True] if shares[True] is not None else shares[False]
    best = _middle_share({w: share_right(t[0], t[2]["figures"]) for w, t in tried.items()})
    groups, model, info, _ = tried[best]
    if shares[False] != shares[True]:
        # The pair wins only when its own fit gets more questions right than the best single share's:
        # each relation's pick rests on its own questions, the decisions are fitted on all of them.
        paired = collect_all(shares[False], shares[True])
        paired_model, paired_info = fit(paired)
        if share_right(paired, paired_info["figures"]) > share_right(groups, info["figures"]):
            groups, model, info = paired, paired_model, paired_info
        else:
            shares = {False: best, True: best}
    model.fusion_bm25, model.fusion_bm25_cross = shares[False], shares[True]
    model.ranking_bm25, model.ranking_bm25_cross = ranking[False], ranking[True]
    info.update(ranking_info, share_right=round(share_right(groups, info["figures"]), 4),
                fusion_share_right={f"{w:.1f}": {"all": round(share_right(t[0], t[2]["figures"]), 4),
                                                 **{("cross" if c else "same"): None if v is None else round(v, 4)
                                                    for c, v in t[3].items()}}
                                    for w, t in tried.items()})
    model.meta = {
        "embedder": embedder_name,
        "key": calibration_key(embedder_name),
        "fitted_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "fitted_by": f"WARTA_EMBEDDER={embedder_name} {FIT_COMMAND}",
        "method": f"logistic regression (L2 {L2}, standardised features, scipy L-BFGS) on candidate labels "
                  "'the shown words hold every must_include entry' (near misses: all negative)",
        "objective": "averaged over the sets; threshold: max share of questions right (answered with the answer "
                     f"or rightly refused), of values within {TIE} (relative) of the best the lowest; join threshold: "
                     f"max answer_accuracy + citation_precision, of values within {TIE} of the best the one with "
                     "the highest answer_accuracy; found in turn until stable",
        "sets": used,
        **info,
    }
    path = Path(out) if out else calibration_path(embedder_name)
    model.save(path)
    return path, model


def set_app_for(app, name: str, progress=None):
    """``app`` pointed at development set ``name`` (evals/devsets.py, built when missing) and its own
    embedded index under the set's folder, one per embedder, brought up to date; the configured index is
    not touched. Returns (app, the set's folder)."""
    from evals.devsets import devset_settings, ensure_set

    folder = ensure_set(name)
    set_app = type(app)(devset_settings(app.settings, name, folder))
    report = set_app.ingest(folder / "corpus", progress=progress)  # incremental
    print(f"{name}: index {set_app.settings.index_dir}: {report.lines()[0]}", file=sys.stderr)
    return set_app, folder


def summary(path: Path, model: Calibration) -> str:
    cross = "" if model.threshold_cross is None else f" (cross-language {model.threshold_cross:.4f})"
    lines = [f"wrote {path}", f"threshold {model.threshold:.4f}{cross}, join threshold {model.join_threshold:.4f}, "
                              f"join ratio {model.join_ratio:.2f}; BM25 share of the candidates' fusion {model.fusion_bm25:.2f} "
                              f"(cross-language {model.fusion_bm25_cross:.2f}), of the retrieval ranking "
                              f"{model.ranking_bm25:.2f} (cross-language {model.ranking_bm25_cross:.2f})"]
    order = np.argsort(-np.abs(model.weights))
    lines.append("weights (standardised): " + ", ".join(f"{model.features[i]} {model.weights[i]:+.2f}" for i in order))
    for name, figures in model.meta.get("figures", {}).items():
        lines.append(f"{name}: " + "  ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    return "\n".join(lines)
