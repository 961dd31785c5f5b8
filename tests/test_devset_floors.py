"""Regression floors on the check halves of the development sets (evals/floors.json): the figures
measured when the floors were set, rounded down. A change that loses quality on data it was never
tuned on fails here. Needs ../shared/dev-data (the sets are built from it under .warta/devsets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((ROOT / "evals" / "floors.json").read_text(encoding="utf-8"))
DEV_DATA = ROOT.parent / "shared" / "dev-data"


def _check(figures: dict, floors: dict) -> list[str]:
    failed = []
    for metric, floor in floors.items():
        if metric.endswith("_max"):
            name = metric.removesuffix("_max")
            if figures[name] > floor:
                failed.append(f"{name} {figures[name]} > {floor}")
        elif figures[metric] < floor:
            failed.append(f"{metric} {figures[metric]} < {floor}")
    return failed


@pytest.mark.parametrize("name", [n for n in FLOORS if not n.startswith("attribution-")])
def test_answer_quality_stays_above_its_floor(name, tmp_path, monkeypatch):
    from bot.cli import main

    if name != "seed" and not DEV_DATA.is_dir():
        pytest.fail(f"{DEV_DATA} is missing: the check halves are built from it")
    for key in ("WARTA_LLM", "WARTA_EMBEDDER", "CHROMA_HOST", "WARTA_INDEX_DIR", "WARTA_CORPUS"):
        monkeypatch.delenv(key, raising=False)
    out = tmp_path / "report.json"
    assert main(["eval", "--set", name, "--json", str(out)]) in (0, 1)
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert not _check(figures, FLOORS[name]), (name, _check(figures, FLOORS[name]))


@pytest.mark.parametrize("name, labelled_set, split", [("attribution-check", "news", "check"),
                                                      ("attribution-facqa-tune", "facqa", "tune")])
def test_attribution_stays_above_its_floor(name, labelled_set, split):
    from evals.attribution import SETS, archive_aliases, load_labels, score

    labels, read, archive = SETS[labelled_set]
    documents = read.read_text(encoding="utf-8").split() if read else []
    tally = score(load_labels(labels), archive, aliases=archive_aliases(archive), documents=documents)[split]
    figures = {"precision": tally.precision, "recall": tally.recall, "named_as_labelled": tally.named_as_labelled}
    assert not _check(figures, FLOORS[name]), figures
