"""A what-said question may ask for a figure ("What range did X give …", "… say about how much …"):
a statement stating one is what answers it, as for a fact question (the decision's type evidence,
retrieval/extractive/_what_said.py). Here, what the question analysis reads as asked."""

from __future__ import annotations

import pytest

from retrieval.question import parse_question


@pytest.mark.parametrize("question, expects", [
    ("What range did Sinta Rahayu give for the rupiah on Monday?", "number"),
    ("What did Sinta Rahayu say about how much the rupiah could fall?", "number"),
    ("Apa kata Sinta Rahayu soal berapa besar pelemahan rupiah?", "number"),
    ("What did Sinta Rahayu say about the rupiah?", None),
    ("What did Sinta Rahayu say?", None),
])
def test_what_a_what_said_question_asks_for(question, expects):
    q = parse_question(question)
    assert q.kind == "what_said" and q.expects == expects
