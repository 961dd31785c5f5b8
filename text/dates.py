"""Dates and periods as news copy and questions write them, in English and Indonesian: the one
reader of a stated date (an article's dateline) and of the period a question asks about ("pada
kuartal III 2022", "on Monday 20 May 2019", "in April 2018"). Month names come from the CLDR
calendar list, the words for quarters and halves from a data file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from text.datafiles import data_lines
from text.wordlists import alternation


@lru_cache(maxsize=1)
def calendar_pairs() -> tuple[tuple[str, str], ...]:
    """(English, Indonesian) month names, then weekday names, from text/data/calendar_en_id.txt."""
    return tuple(tuple(line.split()) for line in data_lines("calendar_en_id"))


@lru_cache(maxsize=1)
def _words() -> tuple[dict[str, int], set[str], dict[str, str]]:
    calendar = calendar_pairs()
    months: dict[str, int] = {}
    for number, (en, id_) in enumerate(calendar[:12], 1):
        months[en] = months[id_] = number
    weekdays = {w for pair in calendar[12:] for w in pair} | {"ahad", "jum'at"}
    periods: dict[str, str] = {}
    for line in data_lines("periods_en_id"):
        kind, *words = line.split()
        if kind.startswith("month"):
            months.update({w: int(kind[5:]) for w in words})
        else:
            periods.update({w: kind for w in words})
    return months, weekdays, periods


def calendar_words(kind: str) -> frozenset[str]:
    """The month ("month") or weekday ("weekday") names both languages write, abbreviations included."""
    months, weekdays, _ = _words()
    return frozenset(months if kind == "month" else weekdays)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    months, weekdays, periods = _words()
    month = rf"(?P<month>{alternation(months)})\.?"
    weekday = rf"(?:(?:{alternation(weekdays)}),?\s*)"
    year = r"(?P<year>(?:19|20)\d\d)"
    part = rf"(?P<part>{alternation(w for w, k in periods.items() if k in ('quarter', 'half'))})"
    ordinal = rf"(?P<ordinal>{alternation(w for w, k in periods.items() if k.startswith('ordinal'))})"
    flags = re.I
    return {
        "iso": re.compile(rf"\b{year}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})\b"),
        "numeric": re.compile(rf"{weekday}?\(?\b(?P<day>\d{{1,2}})/(?P<month>\d{{1,2}})/(?P<year>(?:19|20)?\d\d)\b\)?", flags),
        "month_day_year": re.compile(rf"\b{weekday}?{month}\s+(?P<day>\d{{1,2}}),?\s+{year}\b", flags),
        "day_month_year": re.compile(rf"\b{weekday}?(?P<day>\d{{1,2}})\s+{month}\s+{year}\b", flags),
        "weekday_day_month": re.compile(rf"\b{weekday}\(\s*(?P<day>\d{{1,2}})\s+{month}\s*\)", flags),
        # "kuartal III 2022", "kuartal ketiga 2022", "triwulan I-2023", "Q2 2023", "semester I 2023"
        "part_ordinal_year": re.compile(rf"\b{part}[\s-]*{ordinal}(?:\s*(?:tahun|of|-)\s*|\s+|-){year}\b", flags),
        # "the third quarter of 2021", "paruh pertama 2023" is above; "first half of 2023"
        "ordinal_part_year": re.compile(rf"\b{ordinal}[\s-]+{part}\s+(?:of\s+|tahun\s+)?{year}\b", flags),
        "month_year": re.compile(rf"\b{month}\s+(?:tahun\s+)?{year}\b", flags),
        "year": re.compile(rf"(?<![\w.,/-]){year}(?!\w|[.,/-]\d)"),
    }


@dataclass(frozen=True)
class Period:
    """A stretch of days a text names, both ends included; ``grain`` says how it was named."""

    first: date
    last: date
    grain: str  # "day", "month", "quarter", "half", "year"
    start: int  # where the text names it
    end: int

    def overlaps(self, other: Period) -> bool:
        return self.first <= other.last and other.first <= self.last


def _month_number(text: str) -> int | None:
    text = text.lower().rstrip(".")
    number = int(text) if text.isdigit() else _words()[0].get(text)
    return number if number and 1 <= number <= 12 else None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _ordinal(word: str) -> int:
    return int(_words()[2][word.lower()][-1])


def periods(text: str) -> list[Period]:
    """Every date or period ``text`` names, in order; a stretch is read once, most precisely (the
    year of "20 Mei 2019" is not a second period)."""
    return list(_periods(text))


@lru_cache(maxsize=4096)  # a chunk's text is read once for all its candidate sentences
def _periods(text: str) -> tuple[Period, ...]:
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _patterns().items():
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            period = _read(kind, m)
            if period is not None:
                found.append(period)
                taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda p: p.start))


def _read(kind: str, m: re.Match[str]) -> Period | None:
    groups = m.groupdict()
    if kind == "weekday_day_month":
        return None  # no year: see stated_date
    year = int(groups["year"]) if groups.get("year") else None
    if year is not None and year < 100:
        year += 2000
    if year is None:
        return None
    if kind in ("iso", "numeric", "month_day_year", "day_month_year"):
        month = _month_number(groups["month"])
        day = _day(year, month, int(groups["day"])) if month else None
        return Period(day, day, "day", m.start(), m.end()) if day else None
    if kind == "month_year":
        month = _month_number(groups["month"])
        if not month:
            return None
        return Period(date(year, month, 1), _month_end(year, month), "month", m.start(), m.end())
    if kind in ("part_ordinal_year", "ordinal_part_year"):
        part = _words()[2][groups["part"].lower()]
        number = _ordinal(groups["ordinal"])
        size = 3 if part == "quarter" else 6
        if number * size > 12:
            return None
        first_month = (number - 1) * size + 1
        return Period(date(year, first_month, 1), _month_end(year, first_month + size - 1), part, m.start(), m.end())
    return Period(date(year, 1, 1), date(year, 12, 31), "year", m.start(), m.end())


def stated_date(text: str) -> tuple[str, str | None] | None:
    """The first day-level date stated in ``text``: (as stated, ISO form; "--MM-DD" when the text
    gives no year, as in "Kamis (16 Mei)"), or None."""
    best: tuple[int, str, str | None] | None = None
    for kind in ("iso", "numeric", "month_day_year", "day_month_year", "weekday_day_month"):
        m = next((m for m in _patterns()[kind].finditer(text) if _stated(kind, m)), None)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.group(0).strip(), _stated(kind, m))
    return None if best is None else (best[1], best[2])


def _stated(kind: str, m: re.Match[str]) -> str | None:
    if kind == "weekday_day_month":
        month = _month_number(m.group("month"))
        day = int(m.group("day"))
        return f"--{month:02d}-{day:02d}" if month and 1 <= day <= 31 else None
    period = _read(kind, m)
    return period.first.isoformat() if period else None


def day_months(text: str, year: int) -> list[Period]:
    """Dates written without a year, as Indonesian copy dates the days of its own week ("Senin
    (10/6)", "Selasa (6/3) mendatang"), read in ``year`` (the article's)."""
    out = []
    for pattern in _yearless():
        for m in pattern.finditer(text):
            month = _month_number(m.group("month"))
            day = _day(year, month, int(m.group("day"))) if month else None
            if day:
                out.append(Period(day, day, "day", m.start(), m.end()))
    return sorted(out, key=lambda p: p.start)


def named_periods(text: str, year: int | None) -> list[Period]:
    """Every period ``text`` names: ``periods`` and, read in ``year``, its yearless days (none
    without a year)."""
    return periods(text) + (day_months(text, year) if year else [])


_ANY_LEAP_YEAR = 2000  # only where a yearless day stands is used; a leap year reads "(29/2)" too


def without_dates(text: str) -> str:
    """``text`` with every date and period it names blanked out ("Selasa (6/3)", "kuartal I 2018",
    "20 Mei 2019"): what is left of its numbers are amounts, rates and counts."""
    spans = [(p.start, p.end) for p in named_periods(text, _ANY_LEAP_YEAR)]
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@lru_cache(maxsize=1)
def _yearless() -> tuple[re.Pattern[str], ...]:
    """ "(10/6)", "1 Oktober", "October 1" with no year after them (a year makes them ``periods``')."""
    month = rf"(?P<month>{alternation(_words()[0])})\.?"
    no_year = r"(?!,?\s*(?:tahun\s+)?(?:19|20)\d\d\b)"
    return (re.compile(r"\((?P<day>\d{1,2})/(?P<month>\d{1,2})\)"),
            re.compile(rf"(?<![\d.,/])\b(?P<day>\d{{1,2}})\s+{month}(?!\w){no_year}", re.I),
            re.compile(rf"\b{month}\s+(?P<day>\d{{1,2}})\b(?![.,]\d){no_year}", re.I))
