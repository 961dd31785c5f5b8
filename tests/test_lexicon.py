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
from text.tokens import query_terms, terms
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


# ------------------------------------------------------------------ top-k (Lexicon.bm25 with a limit)

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


def _check_top_k(lexicon, rng, trials: int = 150) -> None:
    for _ in range(trials):
        tokens = terms(" ".join(rng.choices(WORDS, ZIPF, k=rng.randint(2, 7))))
        limit = rng.choice([1, 2, 5, 10, 30, 60])
        full = dict(lexicon.bm25(tokens))
        got = lexicon.bm25(tokens, limit)
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)  # best first
        assert len(dict(got)) == len(got)  # no duplicates
        assert dict(got) == _cut(full, limit), (tokens, limit)  # the cut, ties included, scores as in full


def test_top_k_equals_the_exhaustive_cut_through_edits(tmp_path):
    import random

    from index.lexicon import Lexicon

    rng = random.Random(6)
    lexicon = Lexicon(tmp_path / "lexicon.sqlite3")
    docs = [f"d{i:03d}" for i in range(400)]
    for doc_id in docs:
        lexicon.write_document(doc_id, "h1", _random_article(rng, doc_id))
    _check_top_k(lexicon, rng)
    for doc_id in rng.sample(docs, 120):
        lexicon.delete_document(doc_id)
    for doc_id in rng.sample(docs, 120):
        lexicon.write_document(doc_id, "h2", _random_article(rng, doc_id))
    _check_top_k(lexicon, rng)
    # what FTS5 holds is what the articles left hold: no term of a deleted chunk is still counted
    held = {c for (c,) in lexicon.db.execute("SELECT id FROM chunks")}
    assert {d for (d,) in lexicon.db.execute("SELECT DISTINCT doc FROM fts_postings")} == held


def test_a_lexicon_in_an_older_layout_is_rebuilt_from_chroma(tmp_path, small_corpus, hash_embedder):
    import sqlite3

    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    expected = _snapshot(store, hash_embedder)
    path = store.lexicon.path
    store.lexicon.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    old = sqlite3.connect(path)  # the hand-written postings layout of earlier versions
    old.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); CREATE TABLE postings (term INTEGER, "
                      "chunk INTEGER, tf INTEGER, len INTEGER); INSERT INTO meta VALUES ('generation', '\"x\"');")
    old.close()
    reopened = _store(tmp_path, hash_embedder)
    assert _snapshot(reopened, hash_embedder) == expected
    tables = {n for (n,) in reopened.lexicon.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "postings" not in tables and "fts" in tables


class _CountingStore:
    """The real store, counting how often the collection's generation is read (a round trip each
    with a Chroma server)."""

    def __init__(self, store) -> None:
        self._store, self.generation_reads = store, 0

    def generation(self):
        self.generation_reads += 1
        return self._store.generation()

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_one_question_reads_the_index_generation_once(tmp_path, small_corpus, hash_embedder):
    from retrieval.answer import answer

    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    counting = _CountingStore(store)
    searcher = Searcher(counting, hash_embedder)
    for question in ("Apa kata Rina Wulandari?", "Who said it changes everything?", "How many boats use the harbour?"):
        before = counting.generation_reads
        answer(question, searcher)
        assert counting.generation_reads - before == 1, question


def test_dense_search_is_exact_and_filters_by_speaker(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder, max_tokens=40)
    corpus = Searcher(store, hash_embedder).corpus
    ids, vectors, metas = store.all_vectors("chunks")
    vector = hash_embedder.embed_query("pelabuhan baru biaya logistik")
    scores = vectors @ vector
    expected = [ids[i] for i in np.argsort(-scores, kind="stable")[:3]]
    assert [c for c, _ in corpus.dense("chunks", vector, 3)] == expected
    quoting = {i for i, m in zip(ids, metas) if "Rina Wulandari" in (m.get("speakers") or [])}
    got = corpus.dense("chunks", vector, 10, frozenset({"Rina Wulandari"}))
    assert got and {c for c, _ in got} == quoting
    sentence_ids, _, _ = store.all_vectors("sentences")
    assert {s for s, _ in corpus.dense("sentences", vector, 100)} == set(sentence_ids)
