"""The bot's words in English and Indonesian, and its command menu, from texts.json beside this module."""

from __future__ import annotations

import json
from importlib.resources import files

from text.tokens import detect_language

_DATA = json.loads(files(__package__).joinpath("texts.json").read_text(encoding="utf-8"))
TEXTS: dict[str, dict[str, str]] = _DATA["texts"]
COMMANDS: list[tuple[str, str]] = list(_DATA["commands"].items())
if TEXTS["en"].keys() != TEXTS["id"].keys():  # a text missing in one language would fail only when sent
    raise ValueError(f"texts.json: the languages differ in {sorted(TEXTS['en'].keys() ^ TEXTS['id'].keys())}")


def lang_of(text: str | None = None, language_code: str | None = None) -> str:
    """The language to answer in: the text's own, else the user's Telegram language."""
    if text and text.strip():
        return detect_language(text)
    return "id" if (language_code or "").lower().startswith("id") else "en"
