"""Sentence-aligned chunks under a token budget counted with tiktoken.

A chunk never crosses a line that cleaning dropped (its text is always the exact source slice
``source[start:end]``), and neighbouring chunks share one sentence so a statement split across
them is still retrievable whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.articles import Article, Sentence
from text.tokens import count_tokens

@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    n_tokens: int
    sentences: tuple[Sentence, ...]


def chunk_article(article: Article, max_tokens: int = 200, overlap: int = 1) -> list[Chunk]:
    sentences = article.sentences()
    tokens = [count_tokens(s.text) for s in sentences]
    groups: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i, sentence in enumerate(sentences):
        new_section = current and sentences[current[-1]].section != sentence.section
        if current and (new_section or used + tokens[i] > max_tokens):
            groups.append(current)
            carry = [] if new_section else current[-overlap:] if overlap else []
            carry = [j for j in carry if tokens[j] + tokens[i] <= max_tokens]
            if carry and len(carry) == len(current):
                carry = []  # a carried sentence that alone filled a chunk would repeat forever
            current = list(carry)
            used = sum(tokens[j] for j in current)
        current.append(i)
        used += tokens[i]
    if current:
        groups.append(current)

    chunks = []
    for index, group in enumerate(groups):
        first, last = sentences[group[0]], sentences[group[-1]]
        text = article.source[first.start : last.end]
        chunks.append(
            Chunk(
                chunk_id=f"{article.doc_id}#{index}",
                doc_id=article.doc_id,
                index=index,
                start=first.start,
                end=last.end,
                text=text,
                n_tokens=sum(tokens[j] for j in group),
                sentences=tuple(sentences[j] for j in group),
            )
        )
    return chunks
