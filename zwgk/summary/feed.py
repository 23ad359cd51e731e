"""The deadline feed (zwgk ics): every date by which something must be done, from as-of on.

Pure: (dataset, evaluation, months) → a frozen DeadlineFeed; the iCalendar renderer only writes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from zwgk.dates.periods import period_of
from zwgk.dates.weeks import add_months
from zwgk.models import Dataset, PeriodicRule
from zwgk.rules.engine import Evaluation, ItemStatus, Status, due_of
from zwgk.rules.owners import holdings


@dataclass(frozen=True)
class Deadline:
    """One date by which something must be done: an all-day date, or a Beijing time of day."""

    uid: str  # stable across runs: a hash of the item's id and the due date
    status: ItemStatus
    day: date
    time: str | None  # "HH:MM" (Asia/Shanghai) for hour windows
    provisional: bool
    recurring: bool  # a later period of a refresh cycle, not the one now being judged


@dataclass(frozen=True)
class DeadlineFeed:
    unit: str
    as_of: date
    until: date  # inclusive
    dept: str | None
    deadlines: tuple[Deadline, ...]


OPEN_STATUSES = (Status.OPEN, Status.DUE_SOON, Status.OVERDUE)


def build_deadlines(dataset: Dataset, evaluation: Evaluation, months: int, dept: str | None = None,
                    unit: str | None = None) -> DeadlineFeed:
    """Every deadline from as_of to as_of + months: open one-off deadlines and event obligations,
    and the due date of every period of a refresh or review cycle in that window. With `unit`
    (a workspace) the evaluation's ids are unit-qualified, and so the UIDs, which hash the shown
    id, differ per unit."""
    as_of = evaluation.as_of
    until = add_months(as_of, months)
    held = holdings(dataset, dept, (s.item for s in evaluation.statuses)) if dept else None
    found: dict[tuple[str, date], Deadline] = {}
    for status in evaluation.statuses:
        if held is not None and status.item.id not in held:
            continue
        for day, recurring in due_dates(status, until):
            if as_of <= day <= until and (status.item.ref, day) not in found:
                info = status.obligation
                found[(status.item.ref, day)] = Deadline(
                    deadline_uid(status.item.ref, day), status, day,
                    info.due_time if info else None, bool(info and info.provisional), recurring)
    deadlines = sorted(found.values(), key=lambda d: (d.day, d.time or "", d.status.item.ref))
    return DeadlineFeed(unit or dataset.settings.unit, as_of, until, dept, tuple(deadlines))


def due_dates(status: ItemStatus, until: date) -> Iterator[tuple[date, bool]]:
    """An item's due dates, and whether each is a later period of its cycle: the open deadline,
    the next due date of a refresh (or review) cycle, then every later period's up to `until`."""
    if status.status in OPEN_STATUSES and status.due is not None:
        yield status.due, False
    if status.next_due is None or status.period is None:
        return
    yield status.next_due, False
    rule = status.item.rule
    cycle = rule.cycle if isinstance(rule, PeriodicRule) else getattr(rule, "review", None)  # type: ignore[union-attr]
    if cycle is None:
        return
    by, dates = (rule.by, rule.dates or ()) if isinstance(rule, PeriodicRule) else (None, ())
    period = period_of(status.next_due, cycle)
    while due_of(period, by, dates) <= until:
        if due_of(period, by, dates) > status.next_due:
            yield due_of(period, by, dates), True
        period = period.next()


def deadline_uid(ref: str, day: date) -> str:
    digest = hashlib.sha256(f"{ref}|{day.isoformat()}".encode()).hexdigest()[:20]
    return f"{digest}@zwgk"

