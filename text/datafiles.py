"""The one reader of ``text/data``: each file's first line (``# …``) says where its words come from;
blank lines and comments are skipped."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).with_name("data")


@lru_cache(maxsize=None)
def data_lines(name: str) -> tuple[str, ...]:
    """The lines of ``text/data/<name>.txt`` that hold data, stripped."""
    lines = (FOLDER / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
