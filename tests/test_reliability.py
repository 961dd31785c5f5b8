"""What machines and users do to an index: huge files, killed writers, racing writers, read-only and
full disks, odd questions."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index.ingest import ingest
from index.lexicon import Lexicon
from index.lock import IndexLocked, WriterLock
from index.store import IndexBusy, IndexWriteError, StoreConfig, open_store
from tests.conftest import ARTICLE_A, ROOT, HashEmbedder

WARTA = [sys.executable, "-m", "bot.cli"]


def _store(folder: Path, embedder, **kw):
    return open_store(StoreConfig(path=folder / "index"), embedder, **kw)


def _ids(store):
    return sorted(store.chunks.get(include=[])["ids"]), sorted(store.sentences.get(include=[])["ids"])


def _article(n: int) -> str:
    return (f"Kabar Kota Nomor {n}\n\nWarga kota nomor {n} membangun jembatan baru pada musim hujan.\n"
            f"“Jembatan ini untuk anak-anak kami,” kata Sari Lestari{n}, ketua warga.\n")


def _app(tmp_path: Path, corpus: Path, embedder, **env):
    from bot.app import Warta
    from bot.config import Settings
    from index.embeddings import register_embedder
    from retrieval.calibration import calibration_for, register_calibration

    register_embedder("test-reliability", lambda arg, _options: embedder)
    register_calibration("test-reliability", calibration_for("test-hash"))  # the hash double's
    settings = Settings(WARTA_CORPUS=str(corpus), WARTA_INDEX_DIR=str(tmp_path / "index"), CHROMA_HOST="",
                        WARTA_EMBEDDER="test-reliability", **env)
    embedder.name = "test-reliability"
    return Warta(settings)


# ------------------------------------------------------------------ item 2: big files, commit per article


class _WatchingEmbedder(HashEmbedder):
    """Records how many articles the store held when the big article's sentences were embedded."""

    def __init__(self) -> None:
        super().__init__()
        self.store = None
        self.held_when_big = None

    def embed_passages(self, texts):
        if self.store is not None and any("RAKSASA" in t for t in texts):
            self.held_when_big = len(self.store.held_doc_ids())
        return super().embed_passages(texts)


def test_articles_before_a_large_one_are_committed_first_and_an_oversized_one_is_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(5):
        (corpus / f"{n}.txt").write_text(_article(n), encoding="utf-8")
    sentence = "Kata RAKSASA muncul di kalimat panjang ini bersama angka dan nama kota. "
    (corpus / "5-large.txt").write_text("Laporan Panjang\n\n" + sentence * 4000, encoding="utf-8")  # ~290 KB
    (corpus / "6-huge.txt").write_text("Laporan Raksasa\n\n" + sentence * 20000, encoding="utf-8")  # ~1.4 MB
    embedder = _WatchingEmbedder()
    store = _store(tmp_path, embedder)
    embedder.store = store
    report = ingest(corpus, store, embedder, max_bytes=1_000_000)
    assert embedder.held_when_big == 5  # the five small articles landed before the large one was embedded
    assert sorted(report.added) == ["0.txt", "1.txt", "2.txt", "3.txt", "4.txt", "5-large.txt"]
    assert dict(report.skipped) == {"6-huge.txt": "too large (1.4 MB; the limit is 1.0 MB)"}


# ------------------------------------------------------------------ item 6: orphans of a killed ingest


def test_records_of_an_article_killed_mid_write_and_then_deleted_are_removed(tmp_path, small_corpus, monkeypatch):
    embedder = HashEmbedder()
    store = _store(tmp_path, embedder)
    real_write = Lexicon.write_document

    def killed_on_b(self, doc_id, *args, **kw):
        if doc_id == "b.md":
            raise KeyboardInterrupt  # the process dies after Chroma holds b.md, before the lexicon does
        return real_write(self, doc_id, *args, **kw)

    monkeypatch.setattr(Lexicon, "write_document", killed_on_b)
    with pytest.raises(KeyboardInterrupt):
        ingest(small_corpus, store, embedder)
    monkeypatch.setattr(Lexicon, "write_document", real_write)
    assert store.sentences.get(where={"doc_id": "b.md"}, include=[])["ids"]

    (small_corpus / "b.md").unlink()
    report = ingest(small_corpus, store, embedder)
    assert report.removed == ["b.md"]
    assert store.held_doc_ids() == {"a.txt"}
    assert set(store.lexicon.documents()) == {"a.txt"}


def test_an_orphan_left_without_any_lexicon_trace_is_reconciled_too(tmp_path, small_corpus):
    embedder = HashEmbedder()
    store = _store(tmp_path, embedder)
    ingest(small_corpus, store, embedder)
    store.lexicon.delete_document("b.md")  # as an older version killed between the two writes left it
    (small_corpus / "b.md").unlink()
    ingest(small_corpus, store, embedder)
    assert store.held_doc_ids() == {"a.txt"}


# ------------------------------------------------------------------ item 4: one writer at a time


def test_a_second_writer_is_told_who_holds_the_lock_or_waits_for_it(tmp_path, small_corpus):
    app = _app(tmp_path, small_corpus, HashEmbedder())
    held = WriterLock(app.settings.store_config().lock_path(), command="warta ingest --rebuild")
    held.acquire()
    with pytest.raises(IndexLocked, match=rf"pid {os.getpid()} on .*warta ingest --rebuild"):
        app.ingest()
    threading.Timer(0.5, held.release).start()
    report = app.ingest(wait=10)
    assert sorted(report.added) == ["a.txt", "b.md"]
    assert WriterLock(app.settings.store_config().lock_path()).holder() is None


def test_a_question_on_an_empty_index_being_built_does_not_start_a_second_ingest(tmp_path, small_corpus):
    embedder = HashEmbedder()
    app = _app(tmp_path, small_corpus, embedder)
    held = WriterLock(app.settings.store_config().lock_path())
    held.acquire()
    try:
        with pytest.raises(IndexBusy, match="being built"):
            app.ensure_index()
        assert embedder.calls == 0
    finally:
        held.release()


def test_a_reader_keeps_answering_while_a_rebuild_runs(tmp_path, small_corpus):
    embedder = HashEmbedder()
    writer = _app(tmp_path, small_corpus, embedder)
    writer.ingest()
    reader = _app(tmp_path, small_corpus, embedder)
    errors: list[BaseException] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                reader.answer("Apa kata Rina Wulandari?")
            except BaseException as exc:  # noqa: BLE001 - any crash fails the test
                errors.append(exc)
                return

    thread = threading.Thread(target=ask)
    thread.start()
    try:
        for _ in range(3):
            writer.ingest(rebuild=True)
    finally:
        stop.set()
        thread.join()
    assert not errors, errors
    assert reader.answer("Apa kata Rina Wulandari?").citations


def test_a_second_ingest_process_exits_2_naming_the_holder(tmp_path, small_corpus):
    index = tmp_path / "index"
    lock = WriterLock(StoreConfig(path=index / "chroma").lock_path())
    lock.acquire()
    try:
        run = subprocess.run([*WARTA, "ingest", str(small_corpus)], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "WARTA_INDEX_DIR": str(index), "CHROMA_HOST": ""}, timeout=120)
    finally:
        lock.release()
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().count("\n") == 0 and f"pid {os.getpid()}" in run.stderr


# ------------------------------------------------------------------ item 3: read-only and full storage


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here (needs root): {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs: a disk that fills up."""
    folder = tmp_path / "disk"
    folder.mkdir()
    _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder))
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only_view(tmp_path):
    """``make(folder)`` gives a read-only bind mount of ``folder`` (what a read-only volume looks like)."""
    mounts = []

    def make(folder: Path) -> Path:
        view = tmp_path / f"ro-{len(mounts)}"
        view.mkdir()
        _mount("--bind", str(folder), str(view))
        mounts.append(view)
        _mount("-o", "remount,bind,ro", str(view))
        return view

    yield make
    for view in mounts:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_an_index_on_read_only_storage_answers_and_refuses_writes(tmp_path, small_corpus, read_only_view):
    embedder = HashEmbedder()
    store = _store(tmp_path / "built", embedder)
    ingest(small_corpus, store, embedder)
    expected = _ids(store)
    view = read_only_view(tmp_path / "built")

    reading = _store(view, embedder, read_only=True)
    assert reading.read_only and _ids(reading) == expected
    assert reading.search_chunks(embedder.embed_query("pelabuhan Lamongan"), 1)
    with pytest.raises(IndexWriteError, match=rf"cannot write the index at {view / 'index'}: read-only storage"):
        _store(view, embedder)


def test_ask_serves_a_read_only_index_and_ingest_exits_2_in_one_line(tmp_path, shared_corpus, read_only_view):
    env = {**os.environ, "WARTA_CORPUS": str(shared_corpus), "CHROMA_HOST": ""}
    built = tmp_path / "built"
    subprocess.run([*WARTA, "ingest"], cwd=ROOT, env={**env, "WARTA_INDEX_DIR": str(built)}, check=True,
                   capture_output=True, timeout=600)
    view = read_only_view(built)
    env["WARTA_INDEX_DIR"] = str(view)
    ask = subprocess.run([*WARTA, "ask", "What did Dalton say?"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert ask.returncode == 0, ask.stderr
    assert "Dalton" in ask.stdout and "[1]" in ask.stdout
    again = subprocess.run([*WARTA, "ingest"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 2
    assert again.stderr.strip() == f"warta: cannot write the index at {view / 'chroma'}: read-only storage"


def test_a_full_disk_stops_ingest_with_the_cause_and_a_rerun_converges(tmp_path, small_disk):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(30):
        (corpus / f"{n:02d}.txt").write_text(_article(n) * 3, encoding="utf-8")
    embedder = HashEmbedder()
    reference = _store(tmp_path / "ref", embedder)
    ingest(corpus, reference, embedder)

    store = open_store(StoreConfig(path=small_disk / "index"), embedder)
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"\0" * max(free - 64 * 1024, 0))
    with pytest.raises(IndexWriteError, match=rf"cannot write the index at {small_disk / 'index'}: no space left"):
        ingest(corpus, store, embedder)

    filler.unlink()
    store = open_store(StoreConfig(path=small_disk / "index"), embedder)
    ingest(corpus, store, embedder)
    assert _ids(store) == _ids(reference)
    assert store.lexicon.documents() == reference.lexicon.documents()


# ------------------------------------------------------------------ item 7: questions


def test_ask_refuses_an_empty_or_overlong_question_before_any_work(tmp_path):
    env = {**os.environ, "WARTA_INDEX_DIR": str(tmp_path / "index"), "CHROMA_HOST": ""}
    for question, message in (("   ", "the question is empty"), ("x" * 100_000, "100,000 characters long")):
        run = subprocess.run([*WARTA, "ask", question], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert run.returncode == 2 and message in run.stderr
    assert not (tmp_path / "index").exists()  # nothing was opened, embedded or ingested


def test_chat_does_not_echo_an_overlong_question(corpus_app):
    from bot.repl import Repl

    repl = Repl(corpus_app)
    with repl.console.capture() as captured:
        repl.run_lines(iter(["y" * 5000 + "\n"]))
    out = captured.get()
    assert "yyyy" not in out and "5,000 characters long" in out


# ------------------------------------------------------------------ item 10: duplicates


def test_identical_sentences_of_duplicate_articles_are_not_repeated(tmp_path, small_corpus):
    (small_corpus / "a-copy.txt").write_text(ARTICLE_A, encoding="utf-8")
    app = _app(tmp_path, small_corpus, HashEmbedder())
    app.ingest()
    answer = app.answer("Apa kata Rina Wulandari?")
    quotes = [c.quote for c in answer.citations]
    assert quotes and len(quotes) == len(set(quotes))
