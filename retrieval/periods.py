"""Whether a candidate speaks of the time a question asks about ("on 11 July 2022", "in the third
quarter of 2022"). A news article is about the days around its date, so the article's date counts
as well as a period its text names: a market report dated 20 May 2019 answers "on 20 May 2019"
without naming the day; GDP for a quarter is reported in the weeks after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from text.dates import Period, named_periods, periods

# How long after a period its figures are still news (a day's prices by next morning, a month's
# inflation early the next month, a quarter's growth within weeks, a year's in the next quarter).
_REPORTED_WITHIN = {"day": 1, "month": 40, "quarter": 60, "half": 75, "year": 100}


@dataclass(frozen=True)
class PeriodEvidence:
    asked: bool  # the question names a period
    dated: bool  # the candidate's article is dated in it (or in the days it is reported)
    stated: bool  # the candidate (or its chunk) names a period that overlaps it
    conflict: bool  # … names periods of its kind, and neither it nor its chunk names the asked one so
    dated_elsewhere: bool = False  # the article is dated, outside it and the days it is reported in


NOT_ASKED = PeriodEvidence(False, False, False, False)


def asked_periods(question: str) -> tuple[Period, ...]:
    return tuple(periods(question))


def article_date(date_iso: str | None) -> date | None:
    if not date_iso or date_iso.startswith("--"):
        return None
    try:
        return date.fromisoformat(date_iso[:10])
    except ValueError:
        return None


def period_evidence(asked: tuple[Period, ...], date_iso: str | None, sentence: str, chunk: str) -> PeriodEvidence:
    if not asked:
        return NOT_ASKED
    published = article_date(date_iso)
    dated = published is not None and any(
        p.first <= published <= p.last + timedelta(days=_REPORTED_WITHIN[p.grain]) for p in asked)
    in_sentence, in_chunk = (named_periods(text, published.year if published else None) for text in (sentence, chunk))
    stated = _speaks_of(in_sentence, asked) or _speaks_of(in_chunk, asked)
    # Another time than the one asked, and the asked one nowhere near as its kind: a day the article
    # mentions ("Kamis (1/12)") says nothing of December's inflation.
    conflict = (any(_elsewhen(n, p) for n in in_sentence for p in asked)
                and not any(n.grain == p.grain and n.overlaps(p) for n in in_sentence + in_chunk for p in asked))
    return PeriodEvidence(True, dated, stated, conflict, dated_elsewhere=published is not None and not dated)


def _elsewhen(named: Period, asked: Period) -> bool:
    """``named`` is another time than ``asked``: of its kind or finer ("Senin (3/5)" for November),
    outside it, and not a day its figures are reported on (Thursday's report of Wednesday's close)."""
    if not _as_fine(named, asked) or named.overlaps(asked):
        return False
    return not (named.grain == "day" and asked.last < named.first <= asked.last + timedelta(days=_REPORTED_WITHIN[asked.grain]))


def _speaks_of(named: list[Period], asked: tuple[Period, ...]) -> bool:
    return any(n.overlaps(p) for n in named for p in asked if _as_fine(n, p))


def _as_fine(named: Period, asked: Period) -> bool:
    """A named period speaks of the asked one when it is no coarser ("2022" says nothing of July)."""
    return (named.last - named.first) <= (asked.last - asked.first)
