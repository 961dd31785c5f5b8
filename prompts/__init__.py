"""Prompt files of the generative answerer (issue 4): ``system.txt`` (the rules), ``answer.txt`` (sources
and question) and ``rewrite.txt`` (a follow-up question made standalone from the chat history)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``prompts/<name>.txt``."""
    return files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8").strip() + "\n"
