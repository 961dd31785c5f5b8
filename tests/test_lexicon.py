"""The persisted BM25 index and corpus statistics (index/lexicon.py): the same scores as bm25s, an
incremental update equal to a full rebuild, and a new process that reads it without rebuilding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from index.ingest import ingest
from index.store import StoreConfig, open_store
from retrieval.search import ChunkRecord, Searcher
from retrieval.text import query_terms, terms
from tests.conftest import ARTICLE_A, ARTICLE_B

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["pelabuhan baru Lamongan", "harbour master Baker boats", "biaya logistik sepertiga", "What did Rina say?",
           "pelabuhan pelabuhan", "nothing matches xyzzy"]

ARTICLE_C = """Pasar Ikan Baru di Pelabuhan Lamongan
Lamongan – WartaUji — Pasar ikan baru dibuka di dekat pelabuhan Lamongan pada Rabu.
“Nelayan kini bisa menjual langsung,” kata Sari Dewi, kepala dinas perikanan fiktif.
Dewi menambahkan bahwa pasar itu menampung 200 pedagang.
"""


def _store(path: Path, embedder):
    return open_store(StoreConfig(path=path / "chroma"), embedder)


def _snapshot(store, embedder) -> dict:
    corpus = Searcher(store, embedder).corpus
    return {
        "bm25": {q: corpus.bm25_scores(q) for q in QUERIES},
        "df": dict(corpus.document_frequencies.items()),
        "speakers": [(s, [(r.chunk_id, q.start, q.end) for r, q in corpus.speakers[s]]) for s in corpus.speakers],
        "records": [(r.chunk_id, r.text, r.start, r.end) for r in corpus.records],
        "quoting": {s: sorted(corpus.quoting([s])) for s in corpus.speakers},
    }


def test_scores_equal_bm25s_over_the_same_records(tmp_path, small_corpus, hash_embedder):
    import bm25s

    (small_corpus / "c.txt").write_text(ARTICLE_C, encoding="utf-8")
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder, max_tokens=40)
    corpus = Searcher(store, hash_embedder).corpus
    records = sorted(
        (ChunkRecord.from_stored(c.chunk_id, c.text, c.metadata) for c in store.all_chunks()),
        key=lambda r: (r.doc_id, r.start),
    )
    assert len(records) > 3
    reference = bm25s.BM25()
    reference.index([terms(r.title + "\n" + r.text) or ["∅"] for r in records], show_progress=False)
    for q in QUERIES:
        tokens = query_terms(q)
        expected = np.asarray(reference.get_scores(tokens)) if tokens else np.zeros(len(records))
        got = corpus.bm25_scores(q)
        assert {r.chunk_id: float(s) for r, s in zip(records, expected) if s > 0} == got  # bit for bit


def test_incremental_updates_equal_a_full_rebuild(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path / "live", hash_embedder)
    ingest(small_corpus, store, hash_embedder, max_tokens=40)
    # edit one article, delete one, add one
    (small_corpus / "a.txt").write_text(ARTICLE_A.replace("empat tahun", "lima tahun yang panjang"), encoding="utf-8")
    (small_corpus / "b.md").unlink()
    (small_corpus / "c.txt").write_text(ARTICLE_C, encoding="utf-8")
    report = ingest(small_corpus, store, hash_embedder, max_tokens=40)
    assert report.updated == ["a.txt"] and report.removed == ["b.md"] and report.added == ["c.txt"]

    rebuilt = _store(tmp_path / "fresh", hash_embedder)
    ingest(small_corpus, rebuilt, hash_embedder, max_tokens=40)
    live, fresh = _snapshot(store, hash_embedder), _snapshot(rebuilt, hash_embedder)
    assert live == fresh
    assert "Tom Baker" not in dict(live["speakers"]) and "Sari Dewi" in dict(live["speakers"])

    # and back: the removed article returns, the edit is undone
    (small_corpus / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    (small_corpus / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    ingest(small_corpus, store, hash_embedder, max_tokens=40)
    again = _store(tmp_path / "fresh2", hash_embedder)
    ingest(small_corpus, again, hash_embedder, max_tokens=40)
    assert _snapshot(store, hash_embedder) == _snapshot(again, hash_embedder)
    # document frequencies of terms that left the corpus drop to zero and stop counting as vocabulary
    assert "panjang" not in Searcher(store, hash_embedder).corpus.vocabulary


def test_an_old_index_without_a_lexicon_is_mirrored_once(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    expected = _snapshot(store, hash_embedder)
    store.lexicon.close()
    store.lexicon.path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(store.lexicon.path) + suffix).unlink(missing_ok=True)
    reopened = _store(tmp_path, hash_embedder)  # as an index built before the lexicon existed
    assert _snapshot(reopened, hash_embedder) == expected


SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.conftest import HashEmbedder
from index.lexicon import Lexicon
from index.store import StoreConfig, open_store
from retrieval.search import Searcher

def refuse(*args, **kwargs):
    raise AssertionError("the lexicon was rebuilt")
Lexicon.sync_from = refuse
embedder = HashEmbedder()
from pathlib import Path
store = open_store(StoreConfig(path=Path({path!r})), embedder)
corpus = Searcher(store, embedder).corpus
print(json.dumps({{q: corpus.bm25_scores(q) for q in {queries!r}}}))
"""


def test_a_new_process_reads_it_without_rebuilding(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    here = {q: Searcher(store, hash_embedder).corpus.bm25_scores(q) for q in QUERIES}
    script = SCRIPT.format(root=str(ROOT), path=str(tmp_path / "chroma"), queries=QUERIES)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == here


# ------------------------------------------------------------------ top-k pruning (Lexicon.bm25 with a limit)

WORDS = [f"kata{i:02d}" for i in range(60)]  # Zipf-like: kata00 is in most chunks, kata59 in few
ZIPF = [1 / (i + 1) for i in range(len(WORDS))]


def _random_article(rng, doc_id: str) -> list[tuple[str, str, dict]]:
    rows = []
    for c in range(rng.randint(1, 5)):
        text = " ".join(rng.choices(WORDS, ZIPF, k=rng.randint(3, 40)))
        rows.append((f"{doc_id}#{c}", text, {"doc_id": doc_id, "title": doc_id, "start": c * 1000, "end": c * 1000 + 999}))
    return rows


def _cut(scores: dict[int, float], limit: int) -> dict[int, float]:
    """Every chunk scoring at least the limit-th best (ties at the cut included)."""
    ranked = sorted(scores.values(), reverse=True)
    floor = ranked[limit - 1] if len(ranked) >= limit else 0.0
    return {c: s for c, s in scores.items() if s >= floor}


def _true_bounds(lexicon) -> list[tuple]:
    return sorted(lexicon.db.execute("SELECT term, tf, MIN(len) FROM postings GROUP BY term, tf"))


def _check_pruned_equals_exhaustive(lexicon, rng, trials: int = 150) -> int:
    """Asserts the pruned top-k equals the exhaustive one on random queries; returns how many
    queries read fewer terms' postings whole than they have terms (pruning happened)."""
    from index.lexicon import Lexicon

    statements: list[str] = []
    lexicon.db.set_trace_callback(statements.append)
    pruned = 0
    try:
        for _ in range(trials):
            tokens = terms(" ".join(rng.choices(WORDS, ZIPF, k=rng.randint(2, 7))))
            limit = rng.choice([1, 2, 5, 10, 30, 60])
            full = dict(lexicon.bm25(tokens))
            statements.clear()
            got = lexicon.bm25(tokens, limit)
            whole_reads = sum(1 for s in statements if "FROM postings WHERE term =" in s and "chunk IN" not in s)
            pruned += whole_reads < len(set(tokens))
            got = dict(got)
            assert len(got) == len(lexicon.bm25(tokens, limit))  # no duplicates
            want = _cut(full, limit)
            # everything at or above the cut, with the exhaustive score bit for bit; nothing made up
            assert {c: got.get(c) for c in want} == want, (tokens, limit)
            assert all(full[c] == s for c, s in got.items()), (tokens, limit)
    finally:
        lexicon.db.set_trace_callback(None)
    assert isinstance(lexicon, Lexicon)
    return pruned


def test_pruned_top_k_equals_the_exhaustive_top_k(tmp_path):
    import random

    from index.lexicon import Lexicon

    rng = random.Random(6)
    lexicon = Lexicon(tmp_path / "lexicon.sqlite3")
    lexicon.PRUNE_ABOVE = 0  # MaxScore on every query, however small the lists
    docs = [f"d{i:03d}" for i in range(400)]
    for doc_id in docs:
        lexicon.write_document(doc_id, "h1", _random_article(rng, doc_id))
    assert _check_pruned_equals_exhaustive(lexicon, rng) > 20  # and it does prune, on most queries
    # incremental updates: deletions (bounds held by a leaving chunk are recomputed) and rewrites
    for doc_id in rng.sample(docs, 120):
        lexicon.delete_document(doc_id)
    for doc_id in rng.sample(docs, 120):
        lexicon.write_document(doc_id, "h2", _random_article(rng, doc_id))
    assert sorted(lexicon.db.execute("SELECT term, tf, len FROM bounds")) == _true_bounds(lexicon)
    assert _check_pruned_equals_exhaustive(lexicon, rng) > 20


def test_a_lexicon_written_before_the_bounds_gets_them_on_open(tmp_path):
    import random

    from index.lexicon import Lexicon

    rng = random.Random(7)
    path = tmp_path / "lexicon.sqlite3"
    lexicon = Lexicon(path)
    for i in range(50):
        lexicon.write_document(f"d{i}", "h", _random_article(rng, f"d{i}"))
    expected = _true_bounds(lexicon)
    lexicon.db.execute("DELETE FROM bounds")
    lexicon.db.execute("DELETE FROM meta WHERE key = 'bounds'")
    lexicon.close()
    reopened = Lexicon(path)
    reopened.PRUNE_ABOVE = 0
    assert sorted(reopened.db.execute("SELECT term, tf, len FROM bounds")) == expected
    _check_pruned_equals_exhaustive(reopened, rng, trials=40)


def test_the_bounds_of_an_ingested_index_follow_edits(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder, max_tokens=40)
    (small_corpus / "a.txt").write_text(ARTICLE_A.replace("empat tahun", "lima tahun yang panjang"), encoding="utf-8")
    (small_corpus / "b.md").unlink()
    (small_corpus / "c.txt").write_text(ARTICLE_C, encoding="utf-8")
    ingest(small_corpus, store, hash_embedder, max_tokens=40)
    lexicon = store.lexicon
    assert sorted(lexicon.db.execute("SELECT term, tf, len FROM bounds")) == _true_bounds(lexicon)
    corpus = Searcher(store, hash_embedder).corpus
    for q in QUERIES:
        full = corpus.bm25_scores(q)
        for limit in (1, 2, 3):
            top = corpus.bm25(q, limit)
            best = sorted(full.items(), key=lambda item: -item[1])[:limit]
            assert [s for _, s in top] == [s for _, s in best]


def test_kept_postings_follow_what_another_writer_changes(tmp_path, small_corpus, hash_embedder, monkeypatch):
    """A warm reader keeps long postings lists in memory; when another writer (process or replica)
    changes the file, the reader's next question sees the new scores, the same as a fresh reader's."""
    from index.lexicon import Lexicon

    monkeypatch.setattr(Lexicon, "CACHE_LISTS_FROM", 1)  # keep every list, however short
    writer = _store(tmp_path, hash_embedder)
    ingest(small_corpus, writer, hash_embedder)
    reader = Searcher(_store(tmp_path, hash_embedder), hash_embedder)
    before = {q: reader.corpus.bm25_scores(q) for q in QUERIES}
    assert reader.store.lexicon is not writer.lexicon and reader.store.lexicon._postings_cache
    (small_corpus / "c.txt").write_text(ARTICLE_C, encoding="utf-8")
    ingest(small_corpus, writer, hash_embedder)
    after = {q: reader.corpus.bm25_scores(q) for q in QUERIES}
    fresh = Searcher(_store(tmp_path, hash_embedder), hash_embedder).corpus
    assert after == {q: fresh.bm25_scores(q) for q in QUERIES}
    assert after != before  # the new article's chunks score, and N and avgdl moved
