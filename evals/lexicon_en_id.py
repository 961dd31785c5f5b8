"""Build ``text/data/lexicon_en_id.txt``, the general English-to-Indonesian word lexicon, from the
FreeDict English-Indonesian dictionary (FreeDict + WikDict, from Wiktionary; CC BY-SA 3.0) as
Debian's ``dict-freedict-eng-ind`` package ships it in dictd format:

    apt-get download dict-freedict-eng-ind && dpkg-deb -x dict-freedict-eng-ind_*.deb /tmp/fd
    python -m evals.lexicon_en_id /tmp/fd/usr/share/dictd/freedict-eng-ind

Kept: one-word English headwords and their one-word Indonesian translations (a multi-word translation,
"bahan bakar", is no word that stands for the English one); people's given names and surnames are
left out (a name is written the same in both languages, "Aaron" is no "Harun" in a news report).
Beside it, ``text/data/name_phrases_en_id.txt``: the multi-word proper nouns ("United States",
"Middle East", "White House") with their Indonesian names ("Amerika Serikat", "Timur Tengah",
"Gedung Putih"), which no word-by-word translation gives.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "text" / "data" / "lexicon_en_id.txt"
PHRASES = OUTPUT.with_name("name_phrases_en_id.txt")
HEADER = (
    "# English one-word headwords and their one-word Indonesian translations, tab-separated, a third"
    " column \"name\" where the headword is a proper noun (\"Java\", \"Borneo\"): the FreeDict"
    " English-Indonesian dictionary (FreeDict + WikDict, from Wiktionary; CC BY-SA 3.0, see"
    " lexicon_en_id.NOTICE), edition {edition} as Debian's dict-freedict-eng-ind ships it; built by"
    " `python -m evals.lexicon_en_id`; a general resource, not from any archive or question set"
)
PHRASES_HEADER = (
    "# English proper nouns of several words and their Indonesian names, tab-separated, the names"
    " separated by \"; \": the multi-word proper nouns of the FreeDict English-Indonesian dictionary"
    " (FreeDict + WikDict, from Wiktionary; CC BY-SA 3.0, see lexicon_en_id.NOTICE), edition {edition};"
    " built by `python -m evals.lexicon_en_id`; a general resource, not from any archive or question set"
)
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_WORD = re.compile(r"^[a-z][a-z-]*[a-z]$")
_NUMBERED = re.compile(r"^\s*\d+\.\s+(\S.*)$")
_PERSONAL_NAME = re.compile(r"\b(given name|surname|family name)\b", re.I)


def _b64(value: str) -> int:
    number = 0
    for char in value:
        number = number * 64 + _B64.index(char)
    return number


def _dict_path(base: Path) -> Path:
    zipped = base.with_suffix(".dict.dz")
    return zipped if zipped.exists() else base.with_suffix(".dict")


def _read_dict(path: Path) -> bytes:
    raw = path.read_bytes()
    # dictzip is gzip with random-access extras; a plain gunzip reads it whole
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def entries(base: Path):
    """(headword, part of speech, translation lines, gloss lines) for each entry of a dictd pair
    ``<base>.index`` and ``<base>.dict[.dz]``."""
    index = base.with_suffix(".index").read_text(encoding="utf-8").splitlines()
    data = _read_dict(_dict_path(base))
    for line in index:
        headword, offset, length = line.split("\t")
        if headword.startswith("00database"):
            continue
        text = data[_b64(offset):_b64(offset) + _b64(length)].decode("utf-8")
        for entry in re.split(r"\n(?=\S[^\n]*<[a-z]+>\s*$)", text.strip(), flags=re.M):
            lines = entry.splitlines()
            if not lines:
                continue
            pos = re.search(r"<([a-z]+)>\s*$", lines[0])
            translations, glosses = [], []
            for n, body in enumerate(lines[1:]):
                numbered = _NUMBERED.match(body)
                if n == 0 or numbered:
                    translations.append(numbered.group(1) if numbered else body)
                elif not re.fullmatch(r"\s*\d+\.\s*", body):
                    glosses.append(body.strip())
            yield headword, pos.group(1) if pos else "", translations, glosses


def _words(translation_line: str) -> list[str]:
    line = re.sub(r"\s+\d+\.\s*$", "", translation_line)  # the next sense's number trails the line
    line = re.sub(r"\([^)]*\)", "", line)
    items = [item.strip().lower() for item in line.split(",")]
    return [item for item in items if _WORD.match(item) and len(item) >= 3]


def lexicon(base: Path) -> dict[tuple[str, bool], list[str]]:
    """(English word, whether the entry is a proper noun) -> its Indonesian words."""
    out: dict[tuple[str, bool], list[str]] = {}
    for headword, pos, translations, glosses in entries(base):
        if " " in headword or not re.fullmatch(r"[A-Za-z][A-Za-z-]*", headword):
            continue
        if pos == "pn" and any(_PERSONAL_NAME.search(g) for g in glosses):
            continue
        english = headword.lower()
        found = out.setdefault((english, pos == "pn"), [])
        for line in translations:
            found.extend(w for w in _words(line) if w != english and w not in found)
    return {key: ids for key, ids in sorted(out.items()) if ids}


def name_phrases(base: Path) -> dict[str, list[str]]:
    """English proper nouns of several words (folded, as the index lists them) -> their Indonesian
    names as written ("united states" -> ["Amerika Serikat", "Amerika"]). A translation in lower case
    ("sistem tatasurya") names nothing and is left out."""
    out: dict[str, list[str]] = {}
    for headword, pos, translations, glosses in entries(base):
        if pos != "pn" or " " not in headword or any(_PERSONAL_NAME.search(g) for g in glosses):
            continue
        if not re.fullmatch(r"[a-z][a-z' -]*[a-z]", headword):
            continue
        found = out.setdefault(headword, [])
        for line in translations:
            line = re.sub(r"\s+\d+\.\s*$", "", re.sub(r"\([^)]*\)", "", line))
            for name in (item.strip() for item in line.split(",")):
                if name[:1].isupper() and re.fullmatch(r"[^\W\d_][\w' -]*", name) and name not in found:
                    found.append(name)
    return {english: names for english, names in sorted(out.items()) if names}


def _edition(base: Path) -> str:
    data = _read_dict(_dict_path(base))
    match = re.search(rb"Edition: (\S+)", data[:4000])
    return match.group(1).decode() if match else "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", type=Path, help="the dictd files' path without suffix (…/freedict-eng-ind)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--phrases", type=Path, default=PHRASES)
    args = parser.parse_args(argv)
    words = lexicon(args.base)
    lines = [HEADER.format(edition=_edition(args.base))]
    lines += [f"{english}\t{' '.join(ids)}" + ("\tname" if name else "") for (english, name), ids in words.items()]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(words)} English words written to {args.output}")
    phrases = name_phrases(args.base)
    lines = [PHRASES_HEADER.format(edition=_edition(args.base))]
    lines += [f"{english}\t{'; '.join(names)}" for english, names in phrases.items()]
    args.phrases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(phrases)} English names of several words written to {args.phrases}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
