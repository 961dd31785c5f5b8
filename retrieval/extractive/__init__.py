"""The answerer that needs no LLM: it picks the source sentences that answer and returns them
verbatim, each with its citation, or refuses when the corpus does not hold the answer.

* "What did X say?"  -> X's own statements (from the quote index), narrowed to the topic if one is asked.
* "Who said …?"      -> the statement that best matches, and its speaker.
* anything else      -> the best-supported sentence(s) among the retrieved chunks.
"""

from __future__ import annotations


from retrieval.answer import Answer
from retrieval.calibration import calibration_for
from retrieval.extractive._common import MESSAGES, Shown, _Shown, citations, retrieved, states_asked
from retrieval.extractive._facts import _fact
from retrieval.extractive._what_said import _what_said
from retrieval.extractive._who_said import _who_said
from retrieval.question import parse_question
from retrieval.search import Searcher


def answer_extractively(question: str, searcher: Searcher, *, k: int = 5, shown: Shown = ()) -> Answer:
    """``shown``: (doc_id, start, end) of passages the user has already been given in this conversation
    ("What else did he say?"); they are not given again, the next ones are."""
    calibration_for(searcher.embedder.name)  # a missing calibration stops here, naming how to fit one
    parsed = parse_question(question)
    corpus = searcher.corpus
    out = Answer(question=question, answer="", refused=True)
    msg = MESSAGES[parsed.lang]
    if not corpus.records:
        out.answer = msg["empty"]
        return out
    shown = _Shown(shown)
    if parsed.kind in ("what_said", "who_said"):
        by_statements = _what_said if parsed.kind == "what_said" else _who_said
        said = by_statements(parsed, searcher, corpus, k, out, shown)
        if said is not None:
            return said
        # No statement of the quote index answers, yet a sentence may: "… kata Menteri X" unattributed,
        # or what a body never quoted offered ("What discount did Zorbex offer …").
        parsed = parse_question(question, as_fact=True)
    return _fact(parsed, searcher, corpus, k, out, shown)



__all__ = ["MESSAGES", "Shown", "answer_extractively", "citations", "retrieved", "states_asked"]
