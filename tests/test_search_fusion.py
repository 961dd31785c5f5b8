"""The fused ranking: scores normalised per question, BM25's share per relation of the question's
language to the archive's, dense ranks from a chunk's closest sentence, and how calibrate fits it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.ingest import ingest
from index.store import StoreConfig, open_store
from retrieval.calibration import FEATURES, Calibration, calibration_for, load_calibration, register_calibration
from retrieval.search import Searcher, fuse


def test_fuse_normalises_each_ranking_and_weighs_bm25_by_its_share():
    dense = [("a", 0.90), ("b", 0.85), ("c", 0.80)]
    lexical = [("c", 12.0), ("d", 6.0)]
    # BM25 alone and dense alone keep their own order
    assert [c for c, _ in fuse(dense, lexical, 1.0)][:2] == ["c", "d"]
    assert [c for c, _ in fuse(dense, lexical, 0.0)][:3] == ["a", "b", "c"]
    scores = dict(fuse(dense, lexical, 0.5))
    assert scores["a"] == pytest.approx(0.5)  # the best cosine is 1, no BM25
    assert scores["b"] == pytest.approx(0.25)
    assert scores["c"] == pytest.approx(0.5)  # the lowest cosine listed is 0, the best BM25 1
    assert scores["d"] == pytest.approx(0.25)
    # a BM25 leader far ahead of the rest wins over the dense leader once BM25 weighs enough
    assert fuse(dense, lexical, 0.6)[0][0] == "c"
    assert fuse([], [], 0.5) == []
    assert fuse([("a", 0.5)], [], 0.5) == [("a", 0.5)]  # one cosine: it is the best


def _calibration(same: float, cross: float, ranking: float = 0.8, ranking_cross: float = 0.6) -> Calibration:
    n = len(FEATURES)
    return Calibration(FEATURES, np.zeros(n), 0.0, np.zeros(n), np.ones(n), 0.5, 0.5, 0.0, same, cross,
                       ranking, ranking_cross)


def test_the_bm25_share_follows_the_question_language_relative_to_the_archive(tmp_path, small_corpus, hash_embedder):
    (small_corpus / "b.md").unlink()  # the English article: an Indonesian archive
    store = open_store(StoreConfig(path=tmp_path / "index"), hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    searcher = Searcher(store, hash_embedder)
    fitted = calibration_for(hash_embedder.name)  # the test double's, registered by conftest
    register_calibration(hash_embedder.name, _calibration(0.9, 0.4))
    try:
        corpus = searcher.corpus
        assert searcher.cross_language("Apa kata menteri soal pelabuhan?", None, corpus) is False
        assert searcher.cross_language("What did the minister say about the port?", None, corpus) is True
        assert searcher.cross_language("pelabuhan", "en", corpus) is True  # a given language wins
        assert searcher.fusion_share(False, candidates=True) == 0.9
        assert searcher.fusion_share(True, candidates=True) == 0.4
        assert searcher.fusion_share(False) == 0.8 and searcher.fusion_share(True) == 0.6
        register_calibration(hash_embedder.name, None)
        assert searcher.fusion_share(True) == 0.5  # no calibration: an even share
    finally:
        register_calibration(hash_embedder.name, fitted)


def test_dense_ranks_chunks_by_their_closest_sentence(tmp_path, small_corpus, hash_embedder):
    store = open_store(StoreConfig(path=tmp_path / "index"), hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    searcher = Searcher(store, hash_embedder)
    corpus = searcher.corpus
    ids, matrix, _ = store.all_vectors("sentences")
    sentence = ids[len(ids) // 2]
    vector = matrix[len(ids) // 2]
    ranked = corpus.dense_chunks(vector, 3)
    doc_id, _, span = sentence.rpartition("@")
    start, end = (int(x) for x in span.split("-"))
    first = corpus.get(ranked[0][0])
    assert first.doc_id == doc_id and first.start <= start and end <= first.end
    assert ranked[0][1] == pytest.approx(1.0, abs=1e-5)  # the sentence itself
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert len({c for c, _ in ranked}) == len(ranked)
    # through Chroma's index (an archive too large for exact search) the same chunk comes first
    corpus._vectors["sentences"] = None
    assert corpus.dense_chunks(vector, 3)[0][0] == ranked[0][0]
    # a hit's dense score is the cosine of the chunk as a whole (its own vector), not of its closest sentence
    hits = searcher.search("pelabuhan", 3, vector=vector, lang="id")
    whole = corpus.chunk_cosines(vector, [h.record.chunk_id for h in hits])
    listed = [h for h in hits if h.dense is not None]
    assert listed and all(h.dense == pytest.approx(whole[h.record.chunk_id]) for h in listed)
    assert dict(corpus.dense("chunks", vector, 100))[hits[0].record.chunk_id] == pytest.approx(whole[hits[0].record.chunk_id])


def test_calibrate_fits_a_share_per_language_relation():
    from evals.calibrate import Ranked, choose_fusion, fusion_figures

    # Same-language questions: BM25 has the source first, dense second. Cross-language ones: dense
    # has it first and BM25 misses it, BM25's leader is a lone term match.
    same = [Ranked(("s",), False, [("x", 0.9), ("s1", 0.85), ("y", 0.8)], [("s1", 10.0), ("x", 2.0)], {"x": "x", "y": "y", "s1": "s"})]
    cross = [Ranked(("s",), True, [("s1", 0.9), ("x", 0.89), ("y", 0.8)], [("x", 10.0)], {"x": "x", "y": "y", "s1": "s"})]
    assert fusion_figures(same, 1.0, k=1) == (1.0, 1.0)
    assert fusion_figures(same, 0.0, k=1) == (0.0, 0.0)
    shares, info = choose_fusion({"set": same + cross}, k=1)
    assert shares[False] > 0.5 > shares[True]
    assert set(info) == {"ranking_same_language", "ranking_cross_language"}
    # a set without cross-language questions: the cross share is the same-language one
    only, _ = choose_fusion({"set": same}, k=1)
    assert only[True] == only[False]


def test_the_shares_survive_their_file_and_an_older_file_has_one_share_for_all(tmp_path):
    model = _calibration(0.85, 0.6, 0.9, 0.65)
    model.save(tmp_path / "x.json")
    again = load_calibration(tmp_path / "x.json")
    assert (again.fusion_bm25, again.fusion_bm25_cross, again.ranking_bm25, again.ranking_bm25_cross) == \
        (0.85, 0.6, 0.9, 0.65)
    data = model.to_dict()
    for key in ("fusion_bm25_cross", "ranking_bm25", "ranking_bm25_cross"):
        del data[key]
    older = Calibration.from_dict(data)
    assert (older.fusion_bm25_cross, older.ranking_bm25, older.ranking_bm25_cross) == (0.85, 0.85, 0.85)


def test_the_answerers_candidates_come_from_reciprocal_ranks_over_the_chunk_vectors(tmp_path, small_corpus,
                                                                                     hash_embedder):
    from retrieval.search import fuse_ranks

    assert [c for c, _ in fuse_ranks([("a", 0.9), ("b", 0.1)], [("b", 3.0), ("c", 2.0)], 0.5)] == ["b", "a", "c"]
    store = open_store(StoreConfig(path=tmp_path / "index"), hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    searcher = Searcher(store, hash_embedder)
    vector = hash_embedder.embed_query("pelabuhan baru Lamongan")
    hits = searcher.search("pelabuhan baru Lamongan", 3, vector=vector, lang="id", candidates=True)
    chunk_dense = dict(searcher.corpus.dense("chunks", vector, 100))
    assert hits and all(h.dense == pytest.approx(chunk_dense[h.record.chunk_id]) for h in hits if h.dense is not None)


def test_calibrate_weighs_each_language_relation_by_its_own_questions():
    from evals.calibrate import FUSION_MIN_QUESTIONS, Group, right_by_relation

    model = _calibration(0.5, 0.5)
    groups = [Group("a", True, ("x",), ("d",), fixed_passed=True, fixed_refused=False, cross=True)] * 3 + \
             [Group("b", False, (), (), fixed_refused=False, cross=True)]  # answered a near miss
    groups += [Group("a", True, ("x",), ("d",), fixed_passed=False, cross=False)] * FUSION_MIN_QUESTIONS
    assert right_by_relation(groups, model, True) == pytest.approx(0.75)  # too few per set: pooled
    assert right_by_relation(groups, model, False) == 0.0
    assert right_by_relation([g for g in groups if g.cross], model, False) is None


@pytest.mark.parametrize("question, topic", [
    ("What did Ibrahim Assuaibi say on 28 July 2020 about the Fed's bond buying?", "the Fed's bond buying"),
    ("What did Lukman Leong say about the gold outlook on 1 November 2021?", "the gold outlook"),
    ("What did Luhut claim in August 2022 about Indonesia's economic performance?", "Indonesia's economic performance"),
    ("Apa kata Ibrahim pada Selasa 28 Juli 2020 soal obligasi?", "obligasi"),
    ("Apa kata Sri Mulyani soal pertumbuhan ekonomi kuartal III 2018?", "pertumbuhan ekonomi kuartal III 2018"),
    ("What did Jokowi say in May?", "in May"),  # nothing but the time: it stays the topic
])
def test_a_what_said_topic_leaves_out_when_it_was_said(question, topic):
    from retrieval.question import parse_question

    parsed = parse_question(question)
    assert parsed.kind == "what_said" and parsed.topic == topic
