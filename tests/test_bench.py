"""`warta bench`: the synthetic archive generator, and a tiny run that produces every figure.
A benchmark is not a test: nothing here asserts a time."""

from __future__ import annotations

import json

from evals.bench import REQUIRED_KEYS, run_bench, synthetic_archive, table
from index.articles import read_article


def _contents(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_synthetic_archive_is_deterministic_with_distinct_ids(tmp_path, small_corpus):
    first = synthetic_archive(small_corpus, tmp_path / "one", 3)
    second = synthetic_archive(small_corpus, tmp_path / "two", 3)
    assert _contents(tmp_path / "one") == _contents(tmp_path / "two")
    assert len(first) == 3 * 2 and len({p.name for p in first}) == len(first)
    assert _contents(tmp_path / "one") != _contents(synthetic_archive(small_corpus, tmp_path / "other", 3, seed=7)[0].parent)
    # every article is readable, and its sentences come from the corpus
    source = " ".join(p.read_text(encoding="utf-8") for p in small_corpus.iterdir())
    for path in first:
        article = read_article(path)
        assert article.sentences() and all(s.text in source for s in article.sentences())
    # a larger factor is a larger archive with ids of its own
    bigger = synthetic_archive(small_corpus, tmp_path / "big", 5)
    assert len(bigger) == 10 and not {p.name for p in bigger} & {p.name for p in first}


def test_a_tiny_bench_writes_every_key(tmp_path, small_corpus):
    questions = ["Apa kata Rina Wulandari?", "How many boats already use the harbour?"]
    figures = run_bench(small_corpus, questions, scales=[1, 2], repeats=1, warmup=0, workdir=tmp_path / "work",
                        large_sizes=[0.02, 0.05], log=lambda line: None)
    missing = [k for k in REQUIRED_KEYS + ["scale_1_ingest_s", "scale_2_query_p95_ms"] if k not in figures]
    assert not missing
    assert all(figures[k] is not None for k in REQUIRED_KEYS)
    json.dumps(figures)  # flat and serialisable
    assert "scale_2_query_p95_ms_growth" in figures and "projection_1m_query_p95_ms" in figures
    assert "ingest_ratio" in table(figures, [1, 2])
    assert figures["large_0.05mb_quotes_s"] is not None and "large article" in table(figures, [1, 2])


def test_a_large_article_has_about_the_size_asked_and_reads_as_one_article(tmp_path, small_corpus):
    from evals.bench import large_article

    path = large_article(small_corpus, tmp_path, 0.1)
    assert 100_000 <= path.stat().st_size < 110_000
    assert len(read_article(path).sentences()) > 500
