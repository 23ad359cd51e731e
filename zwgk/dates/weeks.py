"""Report periods: an ISO week (Monday to Sunday) or a free range of days, and month steps.

Date arithmetic only; the weekly report (zwgk/summary/weekly.py) and the deadline feed ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date  # inclusive
    key: str  # 2026-W48, or 2026-11-01_2026-11-30 for a free range
    label: str  # 2026年第48周(11月23日—11月29日)

    @property
    def is_week(self) -> bool:
        return "W" in self.key


def week_of(day: date) -> ReportPeriod:
    """The ISO week (Monday–Sunday) containing `day`."""
    weekday = day.isoweekday()
    return report_period(day - timedelta(days=weekday - 1), day + timedelta(days=7 - weekday))


def parse_week(text: str) -> ReportPeriod:
    """'2026-W48' (or 2026W48, 2026-w48) → that ISO week; ValueError otherwise."""
    cleaned = text.strip().upper().replace("-", "")
    year, _, week = cleaned.partition("W")
    if not (year.isdigit() and week.isdigit() and len(year) == 4) or not 1950 <= int(year) <= 2100:
        raise ValueError(text)
    start = date.fromisocalendar(int(year), int(week), 1)  # ValueError for week 54 etc.
    return report_period(start, start + timedelta(days=6))


def report_period(start: date, end: date) -> ReportPeriod:
    if end < start:
        raise ValueError(f"{end} < {start}")
    year, week, weekday = start.isocalendar()
    if weekday == 1 and end == start + timedelta(days=6):
        return ReportPeriod(start, end, f"{year}-W{week:02d}",
                            f"{year}年第{week}周({_md(start)}—{_md(end)})")
    return ReportPeriod(start, end, f"{start.isoformat()}_{end.isoformat()}",
                        f"{start.isoformat()} 至 {end.isoformat()}")


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"




def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (01-31 → 02-28)."""
    from dateutil.relativedelta import relativedelta  # imported by the feed only, not by every command

    return day + relativedelta(months=months)
