"""Publication dates as Chinese government list pages write them. Pure.

`2026-11-20`, `2026/11/20`, `2026.11.20`, `2026年11月20日`, any of them in brackets
(`[2026-11-20]`, `(2026-11-20)`, `【2026-11-20】`), `11-20` / `11月20日` under a year heading,
and dates carried only in an article URL the way TRS WCM writes them
(`/202611/t20261120_1234567.html`). A date that does not exist (2026-02-30) is no date.
"""

from __future__ import annotations

import re
from datetime import date

# Full dates: year, month, day, separated by -, /, . or written 年月日 (spaces allowed around).
_FULL = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"
    r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)")
# Month and day only: 11-20, 11/20, 11.20, 11月20日 (the year from a heading above the list).
_SHORT = re.compile(r"(?<![\d./-])(\d{1,2})\s*(?:[-/.]\s*(\d{1,2})(?![\d./-])|月\s*(\d{1,2})\s*日)")
# TRS WCM article URLs: /202611/t20261120_1234567.html (also tYYYYMMDD_… without the folder).
_TRS = re.compile(r"(?:^|/)t((?:19|20)\d{2})(\d{2})(\d{2})_\d+")
_YEAR_HEADING = re.compile(r"^\s*[\[【(（]?\s*((?:19|20)\d{2})\s*年?\s*[\]】)）]?\s*$")


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_date(text: str) -> date | None:
    """The first whole date written in text (the last one wins only if the first is impossible)."""
    for match in _FULL.finditer(text):
        year = int(match.group(1))
        month, day = (match.group(2), match.group(3)) if match.group(2) else (match.group(4), match.group(5))
        found = _day(year, int(month), int(day))
        if found is not None:
            return found
    return None


def short_date(text: str, year: int) -> date | None:
    """`11-20` or `11月20日` in text, in the given year."""
    for match in _SHORT.finditer(text):
        day = match.group(2) or match.group(3)
        found = _day(year, int(match.group(1)), int(day))
        if found is not None:
            return found
    return None


def url_date(url: str) -> date | None:
    """The date a TRS WCM article URL carries (`t20261120_1234567`), if any."""
    match = _TRS.search(url)
    return _day(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def year_heading(text: str) -> int | None:
    """A heading that is only a year (`2026`, `2026年`, `【2026年】`) sets the year of `11-20` below it."""
    match = _YEAR_HEADING.match(text)
    return int(match.group(1)) if match else None


def infer_year(month_day: tuple[int, int], today: date) -> int:
    """A list that writes `11-20` with no year heading: the latest year in which that day is not
    after today (a list page shows what was published, never the future)."""
    month, day = month_day
    year = today.year
    candidate = _day(year, month, day)
    return year if candidate is not None and candidate <= today else year - 1


def date_in(text: str, year: int | None, today: date | None) -> date | None:
    """A whole date in text, else a month-day in the heading's year (or the year inferred from
    today when there is no heading)."""
    found = full_date(text)
    if found is not None:
        return found
    if year is not None:
        return short_date(text, year)
    if today is not None:
        for match in _SHORT.finditer(text):
            month, day = int(match.group(1)), int(match.group(2) or match.group(3))
            if _day(2000, month, day) is not None:  # a leap year admits 02-29
                found = _day(infer_year((month, day), today), month, day)
                if found is not None:
                    return found
    return None
