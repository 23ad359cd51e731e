"""The deadline feed (zwgk ics): every date by which something must be done, and what changed.

Pure: (dataset, evaluation, months) → a frozen DeadlineFeed; the iCalendar renderer only writes it.

A calendar that imported last week's feed must show this week's truth after importing this one,
so every deadline is an *occurrence* with a UID that never changes — the item's one-off
deadline, one period of a refresh cycle, one recorded event — and a version:

- **live** deadlines (open, due soon) sit on their due date; **overdue** ones sit on as-of
  (today), so a calendar shows them where they are read, every one of them;
- a deadline **met** is listed as cancelled (the calendar removes it) until KEEP_CANCELLED_DAYS
  after the later of its due date and the day it was met; a period missed behind an earlier
  missed one (the item's overdue event already stands for it) is cancelled the same way;
- `modified` (LAST-MODIFIED) is the latest moment that shaped what the event shows: the `at`
  of each journal line about it (the event, the record that met it, a void or amend of either),
  the moment it became overdue, and as-of while it stays overdue (it moves to each new today).
  Those are moments things became known, so they only grow; `sequence` counts minutes from
  SEQUENCE_EPOCH to `modified`, so it grows whenever time, summary or status change and stays
  equal when nothing did — derived from the journal, never from the clock of the export.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from zwgk.dates.periods import Period, period_of
from zwgk.dates.typed import BEIJING
from zwgk.dates.weeks import add_months
from zwgk.models import UPDATES, Dataset, DeadlineRule, JournalEntry, OngoingRule, PeriodicRule
from zwgk.rules.engine import Evaluation, ItemStatus, Status, due_of
from zwgk.rules.owners import holdings

KEEP_CANCELLED_DAYS = 14
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=BEIJING)
OPEN_STATUSES = (Status.OPEN, Status.DUE_SOON, Status.OVERDUE)

State = Literal["open", "overdue", "met", "merged"]


@dataclass(frozen=True)
class Deadline:
    """One occurrence of a deadline, as a calendar event: where it is shown and how it stands."""

    uid: str  # stable across runs: a hash of the item's id and the occurrence (never its date)
    status: ItemStatus
    day: date  # the day shown: the due date, or as-of for an overdue deadline
    time: str | None  # "HH:MM" (Asia/Shanghai) for a live hour window
    provisional: bool
    recurring: bool  # a later period of a refresh cycle, not the one now being judged
    due: date | None = None  # the deadline itself (day is as-of when it is overdue)
    state: State = "open"
    modified: datetime = SEQUENCE_EPOCH  # LAST-MODIFIED, Beijing time
    period: Period | None = None  # the refresh period this occurrence belongs to
    met_by: JournalEntry | None = None  # the record that met it

    @property
    def sequence(self) -> int:
        return max(0, int((self.modified - SEQUENCE_EPOCH).total_seconds()) // 60)

    @property
    def cancelled(self) -> bool:
        return self.state in ("met", "merged")


@dataclass(frozen=True)
class DeadlineFeed:
    unit: str
    as_of: date
    until: date  # inclusive
    dept: str | None
    deadlines: tuple[Deadline, ...]


def build_deadlines(dataset: Dataset, evaluation: Evaluation, months: int, dept: str | None = None,
                    unit: str | None = None) -> DeadlineFeed:
    """Every deadline from as_of to as_of + months (open one-off deadlines, event obligations,
    every period of a refresh or review cycle), every overdue one (on as_of), and the recently
    met ones as cancellations. With `unit` (a workspace) the evaluation's ids are unit-qualified,
    and so the UIDs, which hash the shown id, differ per unit."""
    as_of = evaluation.as_of
    until = add_months(as_of, months)
    held = holdings(dataset, dept, (s.item for s in evaluation.statuses)) if dept else None
    history = History(dataset, as_of)
    found: dict[str, Deadline] = {}
    for status in evaluation.statuses:
        if held is not None and status.item.id not in held:
            continue
        builder = Occurrences(status, as_of, until, evaluation.tracking_since, history)
        for deadline in builder.all():
            found.setdefault(deadline.uid, deadline)
    deadlines = sorted(found.values(), key=lambda d: (d.day, d.time or "", d.status.item.ref, d.uid))
    return DeadlineFeed(unit or dataset.settings.unit, as_of, until, dept, tuple(deadlines))


class History:
    """The journal lines that shape each item's events: updates by item, records by event, and
    the `at` of every correction (void, amend) by the line it corrects."""

    def __init__(self, dataset: Dataset, as_of: date) -> None:
        self.updates: dict[str, list[JournalEntry]] = {}
        for entry in dataset.journal:
            if entry.type in UPDATES and entry.date <= as_of:
                self.updates.setdefault(entry.item, []).append(entry)
        for entries in self.updates.values():
            entries.sort(key=lambda e: (e.date, e.time or "", e.at))
        self.by_id = {e.id: e for e in dataset.journal_as_written}
        self.corrected_at: dict[str, list[str]] = {}
        self.item_corrections: dict[str, list[str]] = {}
        for entry in dataset.journal_as_written:
            # Every correction counts, whatever its date (an amend's date is the corrected value).
            if entry.type in ("void", "amend") and entry.corrects:
                self.corrected_at.setdefault(entry.corrects, []).append(entry.at)
                target = self.by_id.get(entry.corrects)
                if target is not None:
                    self.item_corrections.setdefault(target.item, []).append(entry.at)

    def line_moments(self, line_id: str | None) -> list[datetime]:
        """When a line was written and when each correction of it was."""
        if line_id is None:
            return []
        found = [moment(at) for at in self.corrected_at.get(line_id, ())]
        line = self.by_id.get(line_id)
        return [*found, moment(line.at)] if line is not None else found


class Occurrences:
    """One status's occurrences: live, overdue, met and merged."""

    def __init__(self, status: ItemStatus, as_of: date, until: date, since: date,
                 history: History) -> None:
        self.status, self.as_of, self.until, self.since, self.history = status, as_of, until, since, history
        self.start = datetime.combine(since, time(0, 0), tzinfo=BEIJING)  # an untouched event's version
        self.today = datetime.combine(as_of, time(0, 0), tzinfo=BEIJING)
        item_id = status.item.id
        self.updates = history.updates.get(item_id, [])
        self.corrections = [moment(at) for at in history.item_corrections.get(item_id, ())]

    def all(self) -> Iterator[Deadline]:
        status = self.status
        if status.obligation is not None:
            yield from self._obligation()
            return
        rule = status.item.rule
        if isinstance(rule, DeadlineRule):
            yield from self._one_off(rule)
        cycle = rule.cycle if isinstance(rule, PeriodicRule) else getattr(rule, "review", None)
        # A deliverable not yet made is judged as a one-off; its review cycle starts after it.
        if cycle is not None and status.period is not None:
            yield from self._periodic(rule, cycle)  # type: ignore[arg-type]

    # --- kinds ------------------------------------------------------------------------------

    def _obligation(self) -> Iterator[Deadline]:
        status, info = self.status, self.status.obligation
        assert info is not None
        assert status.due is not None
        key = f"{status.item.ref}|event"
        moments = [self.start, *self.history.line_moments(info.event_id)]
        if status.status is Status.DONE:
            record = self.history.by_id.get(info.fulfilled_by or "")
            moments += self.history.line_moments(info.fulfilled_by)
            if self._keeps(status.due, record):
                yield self._make(key, status.due, None, "met", max(moments), met_by=record)
            return
        if status.status in OPEN_STATUSES and status.due <= self.until:
            yield self._live(key, status.due, info.due_time, moments)

    def _one_off(self, rule: DeadlineRule) -> Iterator[Deadline]:
        status, key = self.status, f"{self.status.item.ref}|due"
        if rule.due < self.since:
            return
        if self.updates:
            record = self.updates[0]
            moments = [self.start, *self.corrections, *self.history.line_moments(record.id)]
            if self._keeps(rule.due, record):
                yield self._make(key, rule.due, None, "met", max(moments), met_by=record)
        elif status.due == rule.due and status.status in OPEN_STATUSES and rule.due <= self.until:
            yield self._live(key, rule.due, None, [self.start, *self.corrections])

    def _periodic(self, rule: PeriodicRule | OngoingRule | DeadlineRule, cycle: str) -> Iterator[Deadline]:
        status = self.status
        by, dates = (rule.by, rule.dates or ()) if isinstance(rule, PeriodicRule) else (None, ())
        since = self.since
        if isinstance(rule, DeadlineRule):  # the review cycle runs after the deliverable
            since = max(since, rule.due + timedelta(days=1))
        base = [max(self.start, datetime.combine(since, time(0, 0), tzinfo=BEIJING)), *self.corrections]
        live: set[str] = set()
        for day, recurring in due_dates(status, self.until):
            period = period_of(day, cycle)  # type: ignore[arg-type]
            key = f"{status.item.ref}|{period.key}"
            overdue = status.status is Status.OVERDUE and day == status.due and not recurring
            if key in live or (day < self.as_of and not overdue) or day > self.until \
                    or due_of(period, by, dates) < since:
                continue
            live.add(key)
            yield self._live(key, day, None, base, period, recurring)
        shown = status.period if status.status is Status.OVERDUE else None
        for period in self._recent_periods(cycle, by, dates, since):
            key = f"{status.item.ref}|{period.key}"
            if key in live or period == shown:
                continue
            due = due_of(period, by, dates)
            # Met in time, or cleared later: an update in or after the period (as the engine judges).
            met = next((u for u in self.updates if u.date >= period.start), None)
            if met is not None:
                moments = [*base, *self.history.line_moments(met.id)]
                if self._keeps(due, met):
                    yield self._make(key, due, None, "met", max(moments), period, met_by=met)
            elif due < self.as_of and due >= self.as_of - timedelta(days=KEEP_CANCELLED_DAYS):
                # Missed behind an earlier missed period: the item's overdue event stands for it.
                became = datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=BEIJING)
                yield self._make(key, due, None, "merged", max([*base, became]), period)

    def _recent_periods(self, cycle: str, by: str | None, dates: Sequence[date],
                        since: date) -> Iterator[Period]:
        """Periods whose event a calendar may still hold: due from KEEP days ago to `until`, and
        those cleared by an update written in the last KEEP days (a missed period's overdue event)."""
        first = self.as_of - timedelta(days=KEEP_CANCELLED_DAYS)
        seen: set[Period] = set()
        period = period_of(first, cycle)  # type: ignore[arg-type]
        while period.start <= self.until:
            due = due_of(period, by, dates)
            if first <= due <= self.until and due >= since and period not in seen:
                seen.add(period)
                yield period
            period = period.next()
        for missed in self.status.missed:
            met = next((u for u in self.updates if u.date >= missed.start), None)
            if met is not None and missed not in seen and self._recent(met):
                seen.add(missed)
                yield missed

    # --- building ---------------------------------------------------------------------------

    def _live(self, key: str, due: date, due_time: str | None, moments: list[datetime],
              period: Period | None = None, recurring: bool = False) -> Deadline:
        status = self.status
        if status.status is Status.OVERDUE and not recurring and due == status.due:
            passed = (datetime.combine(due, time.fromisoformat(due_time), tzinfo=BEIJING) if due_time
                      else datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=BEIJING))
            return self._make(key, due, None, "overdue", max([*moments, self.today, passed]), period)
        return self._make(key, due, due_time, "open", max(moments), period, recurring=recurring)

    def _make(self, key: str, due: date, due_time: str | None, state: State, modified: datetime,
              period: Period | None = None, recurring: bool = False,
              met_by: JournalEntry | None = None) -> Deadline:
        info = self.status.obligation
        day = self.as_of if state == "overdue" else due
        return Deadline(deadline_uid(key), self.status, day, due_time, bool(info and info.provisional),
                        recurring, due, state, modified, period, met_by)

    def _keeps(self, due: date, record: JournalEntry | None) -> bool:
        """A met deadline stays (cancelled) until KEEP days after its due date or its meeting."""
        if due > self.until:
            return False
        return due >= self.as_of - timedelta(days=KEEP_CANCELLED_DAYS) or (
            record is not None and self._recent(record))

    def _recent(self, record: JournalEntry) -> bool:
        written = moment(record.at).date()
        return written >= self.as_of - timedelta(days=KEEP_CANCELLED_DAYS)


def moment(at: str) -> datetime:
    """A journal line's `at` as a Beijing time (a line without an offset is Beijing time)."""
    parsed = datetime.fromisoformat(at)
    return parsed.replace(tzinfo=BEIJING) if parsed.tzinfo is None else parsed.astimezone(BEIJING)


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


def deadline_uid(key: str) -> str:
    """`key` names the occurrence: `C02|2026-11` (a period), `T01|due`, `<event id>|event`."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return f"{digest}@zwgk"
