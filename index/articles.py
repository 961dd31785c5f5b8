"""Load one news article: decode it safely, drop what is not article text, read its metadata
and split the body into sentences whose offsets point into the original file text.

Every span here is a ``(start, end)`` pair into ``Article.source`` (the decoded file, unchanged),
so a citation can always be checked with ``source[start:end]``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from text.dates import calendar_words, stated_date
from text.sentences import sentence_spans

ARTICLE_SUFFIXES = (".txt", ".md")


class ArticleError(Exception):
    """A file that cannot be used as an article; the message says why."""


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index into Article.paragraphs
    section: int  # paragraphs separated by a dropped line belong to different sections


@dataclass(frozen=True)
class Article:
    doc_id: str
    source: str
    title: str
    date: str | None  # as the text states it, e.g. "Kamis (16 Mei)"
    date_iso: str | None  # "2026-01-28", or "--05-16" when no year is stated
    outlet: str | None
    credit: str | None  # wire credit such as "AFP, AP"
    paragraphs: tuple[tuple[int, int], ...]
    sections: tuple[int, ...]  # section number of each paragraph
    dropped: tuple[str, ...] = field(default=())  # lines judged not to be article text
    encoding: str = "utf-8"  # what the file was decoded as (see decode_with_encoding)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:16]

    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        for number, (start, end) in enumerate(self.paragraphs):
            for s, e in sentence_spans(self.source, start, end):
                out.append(Sentence(s, e, self.source[s:e], number, self.sections[number]))
        return out


# ---------------------------------------------------------------- decoding


# Offsets are defined on the text as decoded: UTF-8 with a leading byte-order mark removed (Python's
# "utf-8-sig"), or Windows-1252 for a file that is not UTF-8 (reported). ``article_text`` gives that text.
FALLBACK_ENCODING = "cp1252"


def decode_with_encoding(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a file, or ArticleError naming why it is not usable text."""
    if not data.strip():
        raise ArticleError("empty file")
    nul = data.find(b"\x00")
    if nul >= 0:
        # No text file holds a NUL; past the first bytes it is a binary tail or a corrupt copy.
        raise ArticleError(f"binary file (NUL byte at offset {nul})")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            text, encoding = data.decode(FALLBACK_ENCODING), FALLBACK_ENCODING
        except UnicodeDecodeError:
            raise ArticleError(f"not valid UTF-8 (byte {exc.start}) nor {FALLBACK_ENCODING}") from None
    sample = text[:65536]
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0)
    if control > 0.01 * len(sample):
        raise ArticleError("binary file (control characters)")
    if not text.strip():
        raise ArticleError("empty file")
    return text, encoding


def decode_article_bytes(data: bytes) -> str:
    return decode_with_encoding(data)[0]


def article_text(path: Path) -> str:
    """The text a citation's offsets point into (see ``decode_with_encoding``)."""
    return decode_article_bytes(Path(path).read_bytes())


def read_article(path: Path, *, max_bytes: int | None = None) -> Article:
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ArticleError(f"too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)})")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"unreadable: {exc.strerror or exc}") from None
    text, encoding = decode_with_encoding(data)
    article = replace(parse_article(path.name, text), encoding=encoding)
    if not article.paragraphs:
        raise ArticleError("no article text after cleaning")
    return article


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@dataclass(frozen=True)
class CorpusListing:
    files: list[Path]
    skipped: list[tuple[str, str]]  # (path under the folder, why it was not read)


def scan_corpus(folder: Path) -> CorpusListing:
    """Article files under ``folder`` (not hidden, *.txt / *.md), in a stable order.

    Symbolic links are never followed: a link to a file elsewhere would put text that is not part of
    the corpus into answers, and a link to a folder can loop. Each one is reported with its target.
    """
    folder = Path(folder)
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        here = Path(top)
        visible = lambda n: not n.startswith(".")  # noqa: E731
        for name in filter(visible, dirs + names):
            path = here / name
            if not path.is_symlink():
                if name in names and path.suffix.lower() in ARTICLE_SUFFIXES:
                    files.append(path)
            elif path.is_dir() or path.suffix.lower() in ARTICLE_SUFFIXES:
                kind = "folder" if path.is_dir() else "file"
                skipped.append((path.relative_to(folder).as_posix(), f"symbolic link to {kind} {os.readlink(path)}: not followed"))
        dirs[:] = sorted(filter(visible, dirs))  # os.walk does not descend into linked folders
    return CorpusListing(sorted(files), sorted(skipped))


def list_article_files(folder: Path) -> list[Path]:
    return scan_corpus(folder).files


# ---------------------------------------------------------------- metadata patterns

_WEEKDAY_RE = "|".join(sorted(calendar_words("weekday"), key=len, reverse=True))


def find_date(text: str) -> tuple[str, str | None] | None:
    """The first day-level date stated in ``text``: (as stated, ISO form or None)."""
    return stated_date(text)


# Lines of site chrome, comment forms, sharing widgets and gambling ads, in Indonesian and English.
_BOILERPLATE = re.compile(
    r"|".join(
        [
            r"tinggalkan (?:balasan|komentar)",
            r"leave a (?:reply|comment)",
            r"alamat email anda tidak akan",
            r"your email address will not be published",
            r"(?:ruas|kolom|bidang) yang wajib",
            r"required fields are marked",
            r"^(?:kirim|post|tulis|write) (?:komentar|comment)",
            r"^(?:nama|name|email|e-mail|situs web|website|komentar|comment)\s*\*?\s*:?$",
            r"simpan nama, email",
            r"save my name, email",
            r"^(?:bagikan|share)(?: ini| this| artikel| article)?\s*:?\s*(?:facebook|twitter|whatsapp|$)",
            r"^(?:baca juga|read also|read more|lihat juga|see also|related articles?|artikel terkait|berita terkait)\b",
            r"^(?:tags?|topik|kategori|category|categories)\s*:",
            r"^(?:follow|ikuti) (?:us|kami)\b",
            r"^(?:subscribe|berlangganan|sign up|daftar sekarang)\b",
            r"^(?:copyright|hak cipta)\b|^©",
            r"^(?:advertisement|iklan|sponsored|scroll to continue|gulir untuk)\b",
            r"\bklik (?:di )?sini\b|\bclick here\b",
            r"\b(?:togel|slot gacor|judi online|sbobet|casino online|kasino online|bandar judi)\b",
            r"\b(?:pengeluaran|keluaran|result|data|prediksi|bocoran)\s+(?:sgp|hk|sdy|sgp45|macau|toto)\b",
            r"\b(?:sgp|hk|sdy|toto)\s+(?:hari ini|pools?|prize|malam ini)\b",
        ]
    ),
    re.I,
)
# "MSc (AFP, AP)" or "(Reuters/AFP)": the desk's initials and wire services at the end.
_CREDIT = re.compile(
    r"^[\W_]*(?:[A-Za-z.]{1,6}\s*)?\((?P<wires>[A-Z][A-Za-z]{1,12}(?:\s*[,/;]\s*[A-Z][A-Za-z]{1,12}){0,4})\)[\W_]*$"
)
# "korannews.com – " or "KOMPAS.com - " at the start of the first paragraph.
_DOMAIN = re.compile(r"\b[A-Za-z0-9][\w-]*\.(?:com|co\.id|id|net|org|co\.uk|news|tv|co)\b", re.I)
_DOMAIN_DATELINE = re.compile(
    r"^(?P<outlet>[A-Za-z0-9][\w-]*\.(?:com|co\.id|id|net|org|co\.uk|news|tv|co))\s*[–—-]+\s+", re.I
)
# "Hongkong – SmokersWorld — " or "JAKARTA, KOMPAS - " (place, then outlet).
_PLACE_OUTLET_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .]{1,30}?)\s*(?:[–—-]+|,)\s*(?P<outlet>[A-Z][\w.]{1,30}(?: [A-Z][\w.]{1,20})?)\s*[–—]+\s+"
)
_DATE_ONLY_LINE = re.compile(r"^[\W_]*(?P<date>.{4,40}?)[\W_]*$")
# A drop cap glued to the first word ("SAYADalam", "IIn"): keep the word, lose the initial (see _drop_cap).
_DROP_CAP = re.compile(r"(?P<cap>[A-Z]{1,6})(?P<word>[A-Z][a-z]+)\b")
_TERMINAL = ".!?…:;"
_CLOSERS = "\"'”’»)]"


def _drop_cap(source: str, start: int, end: int) -> int:
    """How many letters of a drop cap open the article's first paragraph at ``start``: only when what
    is left is a real word ("SAYADalam" -> "Dalam", "IIn" -> "In"), a common word of either language
    or one the article writes in lower case too, and the glued form is not itself a name the article
    uses again ("JPMorgan" stays)."""
    from text.tokens import common_word

    m = _DROP_CAP.match(source, start, end)
    if not m:
        return 0
    word, glued = m.group("word"), m.group()
    if source.count(glued) > 1:
        return 0
    lower = re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", source)
    if not (common_word(word, "id") or common_word(word, "en") or lower):
        return 0
    return len(m.group("cap"))


def _is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.search(line))


def _looks_like_prose(line: str) -> bool:
    """Article text ends a sentence, or is long enough to be a pull quote; headings and chrome do neither."""
    stripped = line.rstrip().rstrip(_CLOSERS).rstrip()
    if stripped and stripped[-1] in _TERMINAL:
        return True
    return len(line.split()) >= 8


def _dateline(line: str) -> tuple[tuple[str, str | None], str | None] | None:
    """A line that holds nothing but a date, or an outlet's domain and a date ('• January 28, 2026',
    'cnnindonesia.com, 2019-06-10'): (the date, the outlet or None)."""
    found = find_date(line)
    if not found:
        return None
    rest = line.replace(found[0], " ")
    outlet = _DOMAIN.search(rest)
    if outlet:
        rest = rest[: outlet.start()] + rest[outlet.end() :]
    if re.search(r"\w{3,}", re.sub(rf"\b(?:{_WEEKDAY_RE}|published|diterbitkan|updated|diperbarui)\b", "", rest, flags=re.I)):
        return None
    return found, outlet.group(0) if outlet else None


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def parse_article(doc_id: str, source: str) -> Article:
    lines: list[tuple[int, int]] = []  # spans of non-empty lines, trimmed
    pos = 0
    for raw in source.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        left = len(body) - len(body.lstrip())
        text = body.strip()
        if text:
            lines.append((pos + left, pos + left + len(text)))
        pos += len(raw)

    title = ""
    date: tuple[str, str | None] | None = None
    outlet: str | None = None
    credit: str | None = None
    dropped: list[str] = []
    kept: list[tuple[int, int]] = []
    sections: list[int] = []
    section = 0
    after_drop = False

    for number, (start, end) in enumerate(lines):
        line = source[start:end]
        # A dateline above or below the headline; a headline that ends like a sentence ("…?") was
        # taken for the first paragraph until the dateline under it shows what it is.
        headline_kept = number == 1 and kept == [lines[0]]
        stated = _dateline(line) if number < 3 and (not kept or headline_kept) else None
        if stated:
            date = date or stated[0]
            outlet = outlet or stated[1]
            dropped.append(line)
            if headline_kept:
                kept.clear()
                sections.clear()
            continue
        if not title:
            title = line.lstrip("•*#-– ").strip()
            for pattern in (_DOMAIN_DATELINE, _PLACE_OUTLET_DATELINE):
                m = pattern.match(title)
                if m:
                    title = title[m.end() :]
                    break
            ends_sentence = line.rstrip().rstrip(_CLOSERS).rstrip()[-1:] in tuple(_TERMINAL)
            if not ends_sentence or line.startswith("#"):
                continue  # a headline, not body text
        elif _norm(line) == _norm(title):
            dropped.append(line)  # the headline repeated by the page template
            after_drop = True
            continue
        if _is_boilerplate(line):
            dropped.append(line)
            after_drop = True
            continue
        wires = _CREDIT.match(line)
        if wires and len(line) <= 40:
            credit = ", ".join(w.strip() for w in re.split(r"[,/;]", wires.group("wires")))
            dropped.append(line)
            after_drop = True
            continue
        if not _looks_like_prose(line):
            dropped.append(line)  # subheading, caption or stray chrome
            after_drop = True
            continue
        if not kept:
            for pattern in (_DOMAIN_DATELINE, _PLACE_OUTLET_DATELINE):
                m = pattern.match(line)
                if m:
                    outlet = m.group("outlet")
                    start += m.end()
                    break
        if not kept:
            start += _drop_cap(source, start, end)
        if after_drop and kept:
            section += 1
        after_drop = False
        kept.append((start, end))
        sections.append(section)

    if date is None:
        body = "\n".join(source[s:e] for s, e in kept)
        date = find_date(body)
    if not title:
        title = doc_id
    if len(title) > 160:
        title = title[:157].rsplit(" ", 1)[0] + "…"
    return Article(
        doc_id=doc_id,
        source=source,
        title=title,
        date=date[0] if date else None,
        date_iso=date[1] if date else None,
        outlet=outlet,
        credit=credit,
        paragraphs=tuple(kept),
        sections=tuple(sections),
        dropped=tuple(dropped),
    )
