"""China's working-day year tables (dates/workdays.year_table), kept in the cache.

Importing `holidays` and building its first China year costs about 100 ms; every command that
judges a data folder afresh counts working days and paid it. A table is a pure function of the
year, zwgk's code and the installed libraries, so it is kept by exactly those: the store's
fingerprint (fingerprint.py — zwgk's files and the `holidays` package's, by size and
mtime: an upgrade is new files). Stored as plain values (day ordinals and names) with cache.py's
atomic marshal files; anything unreadable or of another shape is worked out again.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from zwgk.dates.workdays import YearTable, year_table
from zwgk.store import cache

FOLDER = "calendar"
KEEP = 64  # tables kept: a few decades of years, for the code installed now


def kept_at(year: int) -> Path:
    from zwgk.store.fingerprint import fingerprint

    return cache.root() / FOLDER / f"china-{year}-{fingerprint()}.marshal"


def kept_year(year: int) -> YearTable:
    """`year_table(year)`, from the cache when it holds it (and into it when not)."""
    if not cache.enabled() or not date.min.year <= year <= date.max.year:
        return year_table(year)  # out of range: year_table says so
    where = kept_at(year)
    found = _table(cache.load(where))
    if found is not None:
        return found
    table = year_table(year)
    if cache.save(where, ({day.toordinal(): name for day, name in table.days_off.items()},
                          tuple(sorted(day.toordinal() for day in table.makeup_workdays)))):
        cache.prune(where.parent, "china-*.marshal", KEEP)  # an upgrade's new set replaces the old
    return table


def _table(kept: Any) -> YearTable | None:
    try:
        days_off, makeup = kept
        return YearTable(days_off={date.fromordinal(day): str(name) for day, name in days_off.items()},
                         makeup_workdays=frozenset(date.fromordinal(day) for day in makeup))
    except Exception:  # None, or a file of another shape: a miss
        return None
