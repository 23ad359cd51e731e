"""Calendar periods: months, quarters (Q1–Q4), half-years (上半年/下半年) and years.

A refresh duty "每季度不少于1次更新" means one update inside each calendar quarter; these helpers
say which period a day falls in, where it ends, and which periods lie between two days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from zwgk.models import Cycle

_MONTHS_PER = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
CYCLE_LABEL = {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive: the period's last day
    cycle: Cycle

    @property
    def label(self) -> str:
        year, month = self.start.year, self.start.month
        if self.cycle == "month":
            return f"{year}年{month}月"
        if self.cycle == "quarter":
            return f"{year}年第{(month - 1) // 3 + 1}季度"
        if self.cycle == "half_year":
            return f"{year}年{'上' if month == 1 else '下'}半年"
        return f"{year}年"

    @property
    def key(self) -> str:
        """A short machine label: 2026-11, 2026-Q4, 2026-H2, 2026."""
        year, month = self.start.year, self.start.month
        return {
            "month": f"{year}-{month:02d}",
            "quarter": f"{year}-Q{(month - 1) // 3 + 1}",
            "half_year": f"{year}-H{1 if month == 1 else 2}",
            "year": f"{year}",
        }[self.cycle]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return period_of(self.end + timedelta(days=1), self.cycle)


def period_of(day: date, cycle: Cycle) -> Period:
    span = _MONTHS_PER[cycle]
    first_month = (day.month - 1) // span * span + 1
    start = date(day.year, first_month, 1)
    return Period(start, _last_day(day.year, first_month + span - 1), cycle)


def _last_day(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def periods_between(first: date, last: date, cycle: Cycle) -> Iterator[Period]:
    """Every period from the one containing `first` to the one containing `last`, in order."""
    period = period_of(first, cycle)
    while period.start <= last:
        yield period
        period = period.next()


def month_day_in(year: int, month_day: str) -> date:
    """'10-31' in a given year."""
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, day)
