from pathlib import Path

import pytest

from index.ingest import ingest
from index.store import IndexMismatch, StoreConfig, open_store
from tests.conftest import ARTICLE_A, HashEmbedder


def _store(tmp_path: Path, embedder):
    return open_store(StoreConfig(path=tmp_path / "index"), embedder)


def _ids(store):
    return sorted(store.chunks.get(include=[])["ids"]), sorted(store.sentences.get(include=[])["ids"])


def test_incremental_sync_adds_skips_updates_and_removes(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    first = ingest(small_corpus, store, hash_embedder)
    assert sorted(first.added) == ["a.txt", "b.md"] and not first.updated
    chunk_ids, sentence_ids = _ids(store)
    assert chunk_ids and sentence_ids

    calls = hash_embedder.calls
    again = ingest(small_corpus, store, hash_embedder)
    assert sorted(again.unchanged) == ["a.txt", "b.md"] and not again.changed
    assert hash_embedder.calls == calls  # nothing re-embedded
    assert _ids(store) == (chunk_ids, sentence_ids)

    (small_corpus / "a.txt").write_text(ARTICLE_A.replace("empat tahun", "lima tahun"), encoding="utf-8")
    (small_corpus / "b.md").unlink()
    third = ingest(small_corpus, store, hash_embedder)
    assert third.updated == ["a.txt"] and third.removed == ["b.md"]
    docs = {m["doc_id"] for m in store.chunks.get(include=["metadatas"])["metadatas"]}
    assert docs == {"a.txt"}
    texts = " ".join(store.chunks.get(include=["documents"])["documents"])
    assert "lima tahun" in texts and "empat tahun" not in texts
    assert not store.sentences.get(where={"doc_id": "b.md"}, include=[])["ids"]


def test_bad_files_are_reported_and_the_rest_lands(tmp_path, small_corpus, hash_embedder):
    (small_corpus / "empty.txt").write_bytes(b"")
    (small_corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (small_corpus / "latin1.txt").write_bytes("Judul\n\nCaf\xe9 di kota itu ramai sekali hari ini.".encode("latin-1"))
    (small_corpus / "garbled.txt").write_bytes(b"Judul\n\nTeks \x81\x8d\x8f\x90 yang rusak sama sekali.")
    (small_corpus / "notes.csv").write_text("ignored,file\n")
    store = _store(tmp_path, hash_embedder)
    report = ingest(small_corpus, store, hash_embedder)
    assert sorted(report.added) == ["a.txt", "b.md", "latin1.txt"]
    reasons = dict(report.skipped)
    assert set(reasons) == {"empty.txt", "binary.txt", "garbled.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"] and "UTF-8" in reasons["garbled.txt"]
    assert any("skipped: garbled.txt" in line for line in report.lines())
    # A Latin-1 file is saved by a fallback decode, and the report says so.
    assert dict(report.notes) == {"latin1.txt": "not UTF-8: decoded as cp1252"}
    texts = store.chunks.get(where={"doc_id": "latin1.txt"}, include=["documents"])["documents"]
    assert any("Café" in t for t in texts)


def test_a_file_that_turns_bad_keeps_its_indexed_version(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    (small_corpus / "a.txt").write_bytes(b"\xff\xfe broken")
    report = ingest(small_corpus, store, hash_embedder)
    assert [name for name, _ in report.skipped] == ["a.txt"] and not report.removed
    assert store.chunks.get(where={"doc_id": "a.txt"}, include=[])["ids"]


def test_an_interrupted_ingest_converges_with_no_duplicates(tmp_path, small_corpus, hash_embedder):
    reference = _store(tmp_path / "ref", hash_embedder)
    ingest(small_corpus, reference, hash_embedder)

    store = _store(tmp_path, hash_embedder)
    hash_embedder.fail_on = "harbour"  # b.md crashes mid-run, after a.txt was committed
    with pytest.raises(RuntimeError):
        ingest(small_corpus, store, hash_embedder)
    assert {m["doc_id"] for m in store.chunks.get(include=["metadatas"])["metadatas"]} == {"a.txt"}

    hash_embedder.fail_on = None
    report = ingest(small_corpus, store, hash_embedder)
    assert report.added == ["b.md"] and report.unchanged == ["a.txt"]
    assert _ids(store) == _ids(reference)


def test_an_index_from_another_embedder_is_a_clear_error_until_rebuilt(tmp_path, small_corpus, hash_embedder):
    ingest(small_corpus, _store(tmp_path, hash_embedder), hash_embedder)
    other = HashEmbedder("test-hash:other")
    with pytest.raises(IndexMismatch, match="warta ingest --rebuild"):
        _store(tmp_path, other)
    rebuilt = open_store(StoreConfig(path=tmp_path / "index"), other, rebuild=True)
    report = ingest(small_corpus, rebuilt, other)
    assert sorted(report.added) == ["a.txt", "b.md"]
    assert _store(tmp_path, other).count() == rebuilt.count()


def test_chunk_metadata_carries_offsets_quotes_and_speakers(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    source = (small_corpus / "a.txt").read_text(encoding="utf-8")
    got = store.chunks.get(where={"doc_id": "a.txt"}, include=["documents", "metadatas"])
    for text, meta in zip(got["documents"], got["metadatas"]):
        assert source[meta["start"] : meta["end"]] == text
        assert meta["title"] == "Menteri Fiktif Bicara Soal Pelabuhan Baru"
    quoted = store.chunks.get(where={"speakers": {"$contains": "Rina Wulandari"}}, include=[])["ids"]
    assert quoted


def test_a_nickname_declared_in_one_article_finds_the_statements_of_another(tmp_path, hash_embedder):
    from retrieval.extractive import answer_extractively
    from retrieval.search import Searcher

    corpus = tmp_path / "nick"
    corpus.mkdir()
    (corpus / "one.txt").write_text(
        "Presiden Buka Pameran Tani\nPresiden Raden Wijaya Kusuma (Rawi) membuka pameran tani di Malang, Senin.\n",
        encoding="utf-8")
    (corpus / "two.txt").write_text(
        "Rawi Minta Harga Pupuk Ditekan\n“Harga pupuk harus turun sebelum musim tanam,” kata Rawi di Kediri, Selasa.\n",
        encoding="utf-8")
    store = _store(tmp_path, hash_embedder)
    ingest(corpus, store, hash_embedder)
    searcher = Searcher(store, hash_embedder)
    assert searcher.corpus.speakers_matching("Raden Wijaya Kusuma") == ["Rawi"]
    answer = answer_extractively("Apa kata Raden Wijaya Kusuma?", searcher)
    assert not answer.refused and "Harga pupuk harus turun" in answer.answer
    assert [c.doc_id for c in answer.citations] == ["two.txt"]

    (corpus / "one.txt").unlink()  # the declaration goes with its article
    ingest(corpus, store, hash_embedder)
    assert Searcher(store, hash_embedder).corpus.speakers_matching("Raden Wijaya Kusuma") == []


def test_all_vectors_are_kept_in_a_file_until_the_collection_changes(tmp_path, small_corpus, hash_embedder):
    store = _store(tmp_path, hash_embedder)
    ingest(small_corpus, store, hash_embedder)
    ids, vectors, metas = store.all_vectors("sentences")
    cached = list((tmp_path / "index").glob("*vectors-sentences*.npz"))
    assert len(cached) == 1
    reopened = _store(tmp_path, hash_embedder)
    again = reopened.all_vectors("sentences")
    assert again[0] == ids and (again[1] == vectors).all() and again[2] == metas

    (small_corpus / "b.md").unlink()
    ingest(small_corpus, reopened, hash_embedder)  # a new generation: the file no longer answers
    after, _, after_metas = reopened.all_vectors("sentences")
    assert set(after) < set(ids) and all(m["doc_id"] == "a.txt" for m in after_metas)
