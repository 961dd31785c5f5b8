"""Development sets (evals/devsets.py) and the attribution scorer (evals/attribution.py): the split
rule, FacQA near misses that are really unanswerable, halves that share no article, `warta eval --set`
end to end on a small made-up set, and the scorer's figures on a hand-made labelled sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import attribution, devsets
from evals.attribution import Label, same_speaker, score, score_article
from evals.devsets import DevSetError, facqa_sets, news_sets, normalise, split_of
from index.articles import read_article
from index.quotes import Quote

ROOT = Path(__file__).resolve().parents[1]
DEV_DATA = ROOT.parent / "shared" / "dev-data"
needs_dev_data = pytest.mark.skipif(not (DEV_DATA / "facqa" / "questions.jsonl").is_file(), reason="no ../shared/dev-data")


# ---------------------------------------------------------------- split rule


def test_split_rule_is_the_sha256_parity_and_roughly_balanced():
    import hashlib

    names = [f"doc_{i:04d}.txt" for i in range(2000)]
    for name in names[:50]:
        assert split_of(name) == ("tune" if int(hashlib.sha256(name.encode()).hexdigest(), 16) % 2 == 0 else "check")
        assert split_of(name) == split_of(name)
    tune = sum(split_of(n) == "tune" for n in names)
    assert 0.45 < tune / len(names) < 0.55


@needs_dev_data
def test_split_rule_agrees_with_the_labelled_files():
    for name in ("attribution.jsonl", "attribution_facqa.jsonl"):
        rows = [json.loads(line) for line in (ROOT / "evals" / "devsets" / name).read_text().splitlines() if line.strip()]
        assert rows and all(split_of(r["doc_id"]) == r["split"] for r in rows), name
    read = (ROOT / "evals" / "devsets" / "attribution_facqa_docs.txt").read_text().split()
    labelled = {json.loads(line)["doc_id"] for line in (ROOT / "evals" / "devsets" / "attribution_facqa.jsonl").read_text().splitlines()}
    assert labelled <= set(read) and all(split_of(d) == "tune" for d in read)


# ---------------------------------------------------------------- FacQA on the real data


@pytest.fixture(scope="module")
def facqa(tmp_path_factory):
    if not (DEV_DATA / "facqa" / "questions.jsonl").is_file():
        pytest.skip("no ../shared/dev-data")
    out = tmp_path_factory.mktemp("devsets")
    return out, facqa_sets(DEV_DATA, out)


def _questions(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()]


def test_facqa_near_misses_have_no_answer_in_their_ingested_half(facqa):
    out, counts = facqa
    gold = {}
    for line in (DEV_DATA / "facqa" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold[row["id"]] = row
    for half in ("tune", "check"):
        folder = out / f"facqa-{half}"
        ingested = {p.name: p.read_text(encoding="utf-8") for p in (folder / "corpus").iterdir()}
        haystack = normalise("\n".join(ingested.values()))
        questions = _questions(folder)
        near = [q for q in questions if not q["answerable"]]
        assert len(near) >= 100 and counts[f"facqa-{half}"]["near_miss"] == len(near)
        for q in near:
            assert q["kind"] == "unanswerable" and q["subkind"] == "near_miss" and q["sources"] == [] and q["must_include"] == []
            assert q["held_out_source"] not in ingested
            for entry in gold[q["id"]]["must_include"]:
                for alt in entry.split("|"):
                    assert normalise(alt) not in haystack, (q["id"], alt)
        for q in questions:
            assert q["split"] == half and q["lang"] == "id"
            if q["answerable"]:
                assert q["kind"] == "fact" and q["sources"][0] in ingested and q["must_include"] == gold[q["id"]]["must_include"]
                # the passage holds its answer (the dataset's gold span), so the question is fair
                assert normalise(q["must_include"][0]) in normalise(ingested[q["sources"][0]])
        assert all(split_of(name) == half for name in ingested)
    assert counts["facqa-tune"]["near_miss"] + counts["facqa-check"]["near_miss"] >= 200


def test_facqa_sets_are_deterministic_and_hard_linked(facqa, tmp_path):
    out, counts = facqa
    again = facqa_sets(DEV_DATA, tmp_path)
    assert {k: {**v, "corpus_method": None} for k, v in again.items()} == {k: {**v, "corpus_method": None} for k, v in counts.items()}
    for half in ("tune", "check"):
        assert (tmp_path / f"facqa-{half}" / "questions.jsonl").read_bytes() == (out / f"facqa-{half}" / "questions.jsonl").read_bytes()
        files = sorted((out / f"facqa-{half}" / "corpus").iterdir())
        assert not any(p.is_symlink() for p in files)  # ingest does not follow symbolic links
        original = DEV_DATA / "facqa" / "corpus" / files[0].name
        assert files[0].read_bytes() == original.read_bytes()
        if counts[f"facqa-{half}"]["corpus_method"] == "hardlink":
            assert files[0].stat().st_ino == original.stat().st_ino


def test_no_article_in_both_halves(facqa, tmp_path):
    out, _ = facqa
    tune = {p.name for p in (out / "facqa-tune" / "corpus").iterdir()}
    check = {p.name for p in (out / "facqa-check" / "corpus").iterdir()}
    assert tune and check and not tune & check
    q_tune = {s for q in _questions(out / "facqa-tune") for s in q["sources"] + [q.get("held_out_source", "")]} - {""}
    q_check = {s for q in _questions(out / "facqa-check") for s in q["sources"] + [q.get("held_out_source", "")]} - {""}
    assert not q_tune & q_check and not {q["id"] for q in _questions(out / "facqa-tune")} & {q["id"] for q in _questions(out / "facqa-check")}
    if devsets.NEWS_QUESTIONS.is_file():
        news_sets(DEV_DATA, tmp_path)
        n_tune = {p.name for p in (tmp_path / "news-tune" / "corpus").iterdir()}
        n_check = {p.name for p in (tmp_path / "news-check" / "corpus").iterdir()}
        assert n_tune and n_check and not n_tune & n_check
        assert len(n_tune | n_check) == len(list((DEV_DATA / "news-archive").glob("*.txt")))
        for half, corpus in (("tune", n_tune), ("check", n_check)):
            for q in _questions(tmp_path / f"news-{half}"):
                assert q["split"] == half and set(q["sources"]) <= corpus


# ---------------------------------------------------------------- news sets on made-up files


def _names(half: str, count: int, prefix: str) -> list[str]:
    out, i = [], 0
    while len(out) < count:
        name = f"{prefix}_{i:03d}.txt"
        if split_of(name) == half:
            out.append(name)
        i += 1
    return out


def test_news_sets_assign_questions_by_their_sources(tmp_path):
    archive = tmp_path / "dev" / "news-archive"
    archive.mkdir(parents=True)
    t, c = _names("tune", 2, "a"), _names("check", 2, "a")
    for name in t + c:
        (archive / name).write_text(f"Judul {name}\nwarta.test, 2024-01-02\n\nIsi berita {name} yang cukup panjang.\n")
    rows = [
        {"id": "n1", "question": "Q1?", "answerable": True, "sources": [t[0]], "must_include": ["x"]},
        {"id": "n2", "question": "Q2?", "answerable": True, "sources": [c[0], c[1]], "must_include": ["x"]},
        {"id": "n3", "question": "Q3?", "answerable": True, "sources": [t[1], c[1]], "must_include": ["x"]},  # both halves
        {"id": "n4", "question": "Q4?", "answerable": False, "sources": [], "must_include": [], "split": "check"},
    ]
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("".join(json.dumps(r) + "\n" for r in rows))
    counts = news_sets(tmp_path / "dev", tmp_path / "out", qfile)
    assert [q["id"] for q in _questions(tmp_path / "out" / "news-tune")] == ["n1"]
    assert [q["id"] for q in _questions(tmp_path / "out" / "news-check")] == ["n2", "n4"]
    assert counts["news-check"]["articles"] == 2 and counts["news-check"]["dropped_cross_half"] == 1
    assert sorted(p.name for p in (tmp_path / "out" / "news-tune" / "corpus").iterdir()) == sorted(t)
    with pytest.raises(DevSetError, match="does not exist yet"):
        news_sets(tmp_path / "dev", tmp_path / "out", tmp_path / "missing.jsonl")
    rows[0]["split"] = "check"  # contradicts its source's half
    qfile.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(DevSetError, match="sources are in 'tune'"):
        news_sets(tmp_path / "dev", tmp_path / "out", qfile)


# ---------------------------------------------------------------- warta eval --set, end to end


def _tiny_facqa(dev: Path) -> None:
    corpus = dev / "facqa" / "corpus"
    corpus.mkdir(parents=True)
    facts = [("Ibu kota provinsi itu adalah Kota Lumbara yang terletak di pesisir.", "Di mana ibu kota provinsi itu?", "Kota Lumbara"),
             ("Jembatan Sungai Merah dibangun pada tahun 1931 oleh insinyur Belanda.", "Kapan Jembatan Sungai Merah dibangun?", "1931"),
             ("Pelabuhan Tanjung Biru menampung 4000 kapal nelayan setiap musim.", "Berapa kapal yang ditampung Pelabuhan Tanjung Biru?", "4000 kapal"),
             ("Gunung Awan Putih meletus hebat dan abunya sampai ke Desa Karangsari.", "Abu Gunung Awan Putih sampai ke mana?", "Desa Karangsari")]
    rows = []
    names = _names("tune", 4, "facqa") + _names("check", 4, "facqa")
    for i, name in enumerate(names):
        text, question, answer = facts[i % 4]
        answer = f"{answer} {i}"  # one passage's answer occurs in no other passage
        (corpus / name).write_text(f"Kliping berita {i:04d}\n\n{text} Jawabnya {answer}.\n", encoding="utf-8")
        rows.append({"id": f"t{i}", "question": question, "answerable": True, "sources": [name], "must_include": [answer]})
    (dev / "facqa" / "questions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_warta_eval_set_builds_the_set_and_its_own_index(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    dev, cache, user_index = tmp_path / "dev", tmp_path / "cache", tmp_path / "user-index"
    _tiny_facqa(dev)
    monkeypatch.setattr(devsets, "DEV_DATA", dev)
    monkeypatch.setattr(devsets, "CACHE", cache)
    monkeypatch.setenv("WARTA_EMBEDDER", "test-hash")
    monkeypatch.setenv("WARTA_INDEX_DIR", str(user_index))
    monkeypatch.setenv("WARTA_LLM", "none")
    monkeypatch.delenv("CHROMA_HOST", raising=False)
    out = tmp_path / "report.json"
    assert main(["eval", "--set", "facqa-check", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["set"] == "facqa-check" and report["questions"] == len(_questions(cache / "facqa-check"))
    assert (cache / "facqa-check" / "index-test-hash" / "chroma").is_dir()
    assert not user_index.exists()  # the configured index is untouched
    manifest = json.loads((cache / "facqa-check" / "manifest.json").read_text())
    assert manifest["held_out_passages"] == 1 and manifest["ingested_passages"] == 3
    # a second run reuses the built set and index (nothing re-embedded)
    assert main(["eval", "--set", "facqa-check"]) == 0
    assert "added 0, updated 0, removed 0, unchanged 3" in capsys.readouterr().err
    assert main(["eval", "--set", "facqa-check", "--questions", "x.jsonl"]) == 2


# ---------------------------------------------------------------- attribution scorer


ARTICLE = (
    "Judul uji atribusi\nwarta.test, 2024-01-02\n\n"
    "Inflasi naik tajam bulan ini. "
    "\"Harga pangan masih tinggi,\" kata Gubernur Bank Sentral Budi Santoso. "
    "Menurut Budi, tekanan akan reda pada kuartal depan. "
    "Para analis menilai rupiah akan melemah. "
    "Siti Rahma mengatakan ekspor tumbuh kuat.\n"
)


def _label(text: str, kind: str, speaker: str | None, mention: str, doc: str = "uji.txt", split: str = "tune") -> Label:
    start = ARTICLE.index(text)
    return Label(doc, start, start + len(text), text, kind, speaker, mention, split)


def _quote(text: str, speaker: str, named: bool = True, kind: str = "reported", pad: int = 0) -> Quote:
    start = ARTICLE.index(text)
    end = start + len(text) + pad
    return Quote(speaker, named, kind, start, end, ARTICLE[start:end], start, end)


LABELS = [
    _label("Harga pangan masih tinggi,", "direct", "Budi Santoso", "role_name"),
    _label("tekanan akan reda pada kuartal depan", "reported", "Budi Santoso", "name"),
    _label("rupiah akan melemah", "reported", None, "unnamed"),
    _label("ekspor tumbuh kuat", "reported", "Siti Rahma", "name"),
]


def _fake_quotes(_article):
    return [
        _quote("Harga pangan masih tinggi,", "Budi Santoso", kind="direct", pad=2),  # a little wider: still a match
        _quote("tekanan akan reda pada kuartal depan", "Budi"),  # the surname left unresolved: same person
        _quote("rupiah akan melemah", "Budi Santoso"),  # a name on an unnamed speaker's words: wrong
        _quote("ekspor tumbuh kuat", "Dewi Rahma"),  # another first name: wrong speaker
        _quote("Inflasi naik tajam bulan ini", "Budi Santoso"),  # no statement there: wrong
        _quote("Para analis menilai rupiah", "para analis", named=False),  # claims no name: outside precision
    ]


def test_attribution_scorer_known_precision_and_recall(tmp_path):
    (tmp_path / "uji.txt").write_text(ARTICLE, encoding="utf-8")
    tallies = score(LABELS, tmp_path, extract=_fake_quotes)
    t = tallies["tune"]
    assert (t.system_correct, t.system_named, t.precision) == (2, 5, 0.4)
    assert (t.labels_found, t.labels_named, t.recall) == (2, 3, 0.6667)
    assert t.by_mention == {"role_name": 1, "name": 2} and t.found_by_mention == {"role_name": 1, "name": 1}
    assert sorted(e.what for e in t.errors) == ["unlabelled", "unnamed speaker", "wrong speaker"]
    wrong = next(e for e in t.errors if e.what == "wrong speaker")
    assert (wrong.expected, wrong.got, wrong.start) == ("Siti Rahma", "Dewi Rahma", LABELS[3].start)
    assert tallies["all"].to_dict()["precision"] == 0.4 and tallies["check"].labels == 0
    assert "precision" in attribution.report(tallies, ["tune", "check", "all"], errors=5)


def test_a_quote_found_in_an_article_read_without_statements_counts_against_precision(tmp_path):
    (tmp_path / "uji.txt").write_text(ARTICLE, encoding="utf-8")
    read = [name for name in ("a.txt", "b.txt", "c.txt") if split_of(name) == "tune"][0]
    (tmp_path / read).write_text(ARTICLE, encoding="utf-8")
    tallies = score(LABELS, tmp_path, extract=_fake_quotes, documents=[read])
    assert tallies["tune"].system_named == 10 and tallies["tune"].system_correct == 2


def test_attribution_spans_need_half_of_the_shorter_one(tmp_path):
    (tmp_path / "uji.txt").write_text(ARTICLE, encoding="utf-8")
    article = read_article(tmp_path / "uji.txt")
    label = LABELS[1]
    barely = Quote("Budi Santoso", True, "reported", label.start, label.end, "", label.start + 14, label.end + 30)
    short = Quote("Budi Santoso", True, "reported", label.start, label.end, "", label.end - 10, label.end + 40)
    assert score_article(article, [label], lambda a: [barely]).labels_found == 1
    t = score_article(article, [label], lambda a: [short])
    assert t.labels_found == 0 and sorted(e.what for e in t.errors) == ["missed", "unlabelled"]


def test_attribution_with_the_real_extractor_on_a_plain_quote(tmp_path):
    (tmp_path / "uji.txt").write_text(ARTICLE, encoding="utf-8")
    t = score([LABELS[0]], tmp_path)["tune"]
    assert t.labels_found == 1  # “…,” kata <role> <name>: the plainest attribution there is


def test_same_speaker():
    assert same_speaker("Sri Mulyani", "Sri Mulyani Indrawati")
    assert same_speaker("Perry", "Perry Warjiyo") and same_speaker("Warjiyo", "Perry Warjiyo")
    assert same_speaker("Mr. Dalton", "David Dalton") and same_speaker("BI", "Bank Indonesia")
    assert not same_speaker("John Dalton", "David Dalton")
    assert not same_speaker("Bappenas Bambang Brodjonegoro", "Bambang PS Brodjonegoro")  # employer glued on
    assert not same_speaker("Jokowi", "Joko Widodo")  # a nickname: not the name a reader asks for
    assert not same_speaker("Indonesia", "Bank Indonesia") and not same_speaker("Budi", None)
