"""The rule engine: (dataset, as-of date) → the status of every item. Pure; no I/O, no clock.

Each rule kind has one small function. Journal entries dated after `as_of` are invisible, so
`--as-of` replays the past exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from zwgk.dates.periods import Period, month_day_in, period_of, periods_between
from zwgk.dates.workdays import calendar_for
from zwgk.models import (
    UPDATES,
    Cycle,
    Dataset,
    DeadlineRule,
    EventRule,
    Item,
    JournalEntry,
    Location,
    OngoingRule,
    PeriodicRule,
    UnspecifiedRule,
    is_backfilled,
)
from zwgk.rules.obligations import Obligation, is_late, obligations_of


class Status(StrEnum):
    DONE = "done"
    OK = "ok"
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ONGOING = "ongoing"
    WAITING = "waiting"  # event-triggered, no obligation pending
    UNSPECIFIED = "unspecified"
    UNTRACKED = "untracked"  # a one-off deadline before tracking_since: not judged


@dataclass(frozen=True)
class ItemStatus:
    item: Item
    status: Status
    due: date | None
    last: date | None  # the latest journal record for the item, on or before as_of
    days_overdue: int | None = None
    late: bool = False  # done, but after the due date
    missed: tuple[Period, ...] = ()  # finished periods with no update in time
    period: Period | None = None  # the period now being judged (periodic duties)
    next_due: date | None = None
    obligation: ObligationInfo | None = None  # set on the statuses of event obligations
    # An hour window judged by the clock: how many whole hours past its deadline (days_overdue
    # then counts each started day, so a deadline missed by one hour is 1 day late for --grace).
    hours_overdue: int | None = None


@dataclass(frozen=True)
class ObligationInfo:
    """What an event obligation adds to a status: which event, which item, and how sure the date is."""

    parent: str  # the id of the column or task the event belongs to
    event_id: str
    event_date: date
    event_time: str | None
    due_time: str | None  # "HH:MM" for hour windows
    provisional_years: tuple[int, ...]
    complex: bool
    fulfilled_by: str | None
    fulfilled_on: date | None
    event_at: Location | None = None  # the journal line the event was recorded on (the evidence)
    fulfilled_at: str | None = None  # "HH:MM" of the fulfilling record, when it gave a time

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


@dataclass(frozen=True)
class Evaluation:
    as_of: date
    warn_days: int
    tracking_since: date
    statuses: tuple[ItemStatus, ...]
    # The time of day (Beijing, "HH:MM") the hour windows were judged at; None: the end of as_of
    # (a replay of a past day sees every deadline of that day as passed).
    at: str | None = None
    # The journal lines counted here that were written more than backfill_days after their date (补录).
    backfilled: tuple[str, ...] = ()

    def of(self, item_id: str) -> ItemStatus:
        return next(s for s in self.statuses if s.item.id == item_id)

    def with_status(self, *statuses: Status) -> list[ItemStatus]:
        return [s for s in self.statuses if s.status in statuses]


def evaluate(dataset: Dataset, as_of: date, warn_days: int | None = None,
             at: str | None = None) -> Evaluation:
    """Every item judged as of the end of `as_of`; with `at` ("HH:MM", Beijing), hour windows are
    then judged at that instant of the day (at_moment)."""
    return at_moment(_evaluate_day(dataset, as_of, warn_days), at)


def at_moment(evaluation: Evaluation, at: str | None) -> Evaluation:
    """The same evaluation with its hour windows judged at `at` on its as-of day. Only statuses of
    open hour-window obligations can change: every other rule is judged by the day."""
    if at is None or at == evaluation.at:
        return evaluation
    statuses = tuple(_hour_status(_undone(s), evaluation.as_of, at, evaluation.warn_days)
                     if s.obligation is not None and s.obligation.due_time
                     and (s.status is not Status.DONE or _done_later(s, evaluation.as_of, at))
                     else s for s in evaluation.statuses
                     if not _happens_later(s, evaluation.as_of, at))
    return replace(evaluation, statuses=statuses, at=at)


def _happens_later(status: ItemStatus, as_of: date, at: str) -> bool:
    """An hour window's event later on the day judged: at `at` it has not happened yet."""
    info = status.obligation
    return (info is not None and info.due_time is not None and info.event_date == as_of
            and info.event_time is not None and info.event_time > at)


def _done_later(status: ItemStatus, as_of: date, at: str) -> bool:
    """Fulfilled later on the day judged, by a record that gave its time: still open at `at`."""
    info = status.obligation
    return (info is not None and info.fulfilled_on == as_of and info.fulfilled_at is not None
            and info.fulfilled_at > at)


def _undone(status: ItemStatus) -> ItemStatus:
    """An obligation as it stood before the record that fulfilled it."""
    if status.status is not Status.DONE or status.obligation is None:
        return status
    info = replace(status.obligation, fulfilled_by=None, fulfilled_on=None, fulfilled_at=None)
    return replace(status, status=Status.OPEN, last=None, late=False, obligation=info)


def next_change(evaluation: Evaluation, moment: datetime) -> datetime | None:
    """The first instant after `moment` (naive Beijing time, a minute of the evaluation's as-of day)
    at which judging the hour windows at a later minute of that day (at_moment) gives another
    answer: a deadline passing, an hour or a started day more overdue. None when nothing judged by
    the hour is open. Pure: whoever keeps an answer keeps it only until then (zwgk/store/warm.py)."""
    minute = moment.replace(second=0, microsecond=0)
    step = timedelta(minutes=1)
    found: datetime | None = None
    now = minute.strftime("%H:%M")
    for s in evaluation.statuses:
        info = s.obligation
        if info is None or not info.due_time or s.due is None:
            continue
        # Lines timed later today: the event appears, or the record counts, at its minute.
        later = (info.event_time if info.event_date == minute.date() and (info.event_time or "") > now
                 else info.fulfilled_at if s.status is Status.DONE and info.fulfilled_on == minute.date()
                 and (info.fulfilled_at or "") > now else None)
        if later is not None:
            change = datetime.combine(minute.date(), time.fromisoformat(later))
            found = change if found is None else min(found, change)
            continue
        if s.status is Status.DONE:
            continue
        deadline = datetime.combine(s.due, time.fromisoformat(info.due_time))
        if minute <= deadline:  # overdue from the first minute after the deadline (now > deadline)
            change = deadline + step
        else:
            past = minute - deadline
            hour = deadline + timedelta(hours=past // timedelta(hours=1) + 1)
            day = deadline + timedelta(days=-(-past // timedelta(days=1))) + step
            change = min(hour, day)
        found = change if found is None else min(found, change)
    return found


def _hour_status(status: ItemStatus, as_of: date, at: str | None, warn: int) -> ItemStatus:
    info = status.obligation
    assert status.due is not None
    assert info is not None
    assert info.due_time is not None
    deadline = datetime.combine(status.due, time.fromisoformat(info.due_time))
    end_of_day = datetime.combine(as_of + timedelta(days=1), time())
    now = datetime.combine(as_of, time.fromisoformat(at)) if at else end_of_day
    if now > deadline:
        hours = int((now - deadline).total_seconds() // 3600)
        days = -(-(now - deadline).total_seconds() // 86400)  # each started day counts
        return replace(status, status=Status.OVERDUE, days_overdue=int(days), hours_overdue=hours)
    return replace(status, status=timing(status.due, as_of, warn), days_overdue=None, hours_overdue=None)


def _evaluate_day(dataset: Dataset, as_of: date, warn_days: int | None) -> Evaluation:
    warn = dataset.settings.warn_days if warn_days is None else warn_days
    records = records_by_item(dataset.journal, as_of)
    since = dataset.settings.tracking_since
    statuses = [
        judge_item(item, records.get(item.id, ()), as_of, since, warn) for item in dataset.items
    ]
    statuses += judge_obligations(dataset, as_of, warn)
    days = dataset.settings.backfill_days
    late_entries = tuple(e.id for e in dataset.journal if e.date <= as_of and is_backfilled(e, days))
    return Evaluation(as_of, warn, since, tuple(statuses), backfilled=late_entries)


def judge_obligations(dataset: Dataset, as_of: date, warn: int) -> list[ItemStatus]:
    """One status per recorded event of an event-triggered item."""
    by_item: dict[str, list[JournalEntry]] = {}
    for entry in dataset.journal:
        if entry.type == "event" or entry.event:
            by_item.setdefault(entry.item, []).append(entry)
    event_items = [i for i in dataset.items if isinstance(i.rule, EventRule) and i.id in by_item]
    if not event_items:
        return []  # the working-day calendar (and its holidays import) is not needed
    calendar = calendar_for(dataset.calendar)
    lines = dataset.journal_locations
    found = []
    for item in event_items:
        for obligation in obligations_of(item, by_item[item.id], calendar, as_of):
            found.append(_obligation_status(obligation, as_of, warn, lines.get(obligation.event.id)))
    return found


def _obligation_status(obligation: Obligation, as_of: date, warn: int,
                       event_at: Location | None) -> ItemStatus:
    event, parent, due, done = obligation.event, obligation.item, obligation.due, obligation.fulfilment
    item = obligation_item(parent, event.id, f"{parent.title}:{event.title or event.date.isoformat()}",
                           (event.dept,) if event.dept else parent.lead, event.note)
    info = ObligationInfo(parent.id, event.id, event.date, event.time, due.time,
                          due.provisional_years, event.complex,
                          done.id if done else None, done.date if done else None, event_at,
                          done.time if done else None)
    if done is not None:
        return ItemStatus(item, Status.DONE, due.day, done.date, late=is_late(due, done),
                          obligation=info)
    if due.time is not None:  # an hour window: judged by the clock, here at the end of as_of
        return _hour_status(ItemStatus(item, Status.OPEN, due.day, None, obligation=info), as_of, None, warn)
    status = timing(due.day, as_of, warn)
    overdue = (as_of - due.day).days if status is Status.OVERDUE else None
    return ItemStatus(item, status, due.day, None, days_overdue=overdue, obligation=info)


def obligation_item(parent: Item, event_id: str, title: str, lead: tuple[str, ...],
                    text: str | None) -> Item:
    """An event's obligation, seen as an item of its own: the parent's rule, the event's id."""
    return Item(*obligation_fields(parent, event_id, title, lead, text))


def obligation_fields(parent: Item, event_id: str, title: str, lead: tuple[str, ...],
                      text: str | None) -> tuple[Any, ...]:
    """An obligation item's field values, in Item's order (a snapshot rebuilds fifteen thousand
    obligation items from them without running the frozen dataclass's __init__)."""
    return (event_id, "obligation", title, parent.path, lead, parent.responsible,
            parent.requirement, parent.rule, text, None, (), parent.unit, None)


def records_by_item(journal: Sequence[JournalEntry], as_of: date) -> dict[str, list[date]]:
    """Dates of work done per item, sorted, ignoring anything dated after as_of: records and what
    `zwgk scan` observed on the site alike (UPDATES)."""
    found: dict[str, list[date]] = {}
    for entry in journal:
        if entry.type in UPDATES and entry.date <= as_of:
            found.setdefault(entry.item, []).append(entry.date)
    for dates in found.values():
        dates.sort()
    return found


def judge_item(
    item: Item, records: Sequence[date], as_of: date, since: date, warn: int
) -> ItemStatus:
    rule = item.rule
    last = records[-1] if records else None
    done = Status.OK if item.kind == "column" else Status.DONE
    if isinstance(rule, DeadlineRule):
        return _deadline(item, rule, records, as_of, since, warn)
    if isinstance(rule, PeriodicRule):
        return _periodic(item, rule.cycle, rule.by, records, as_of, since, warn, done, rule.dates or ())
    if isinstance(rule, OngoingRule):
        if rule.review is None:
            return ItemStatus(item, Status.ONGOING, None, last)
        return _periodic(item, rule.review, None, records, as_of, since, warn, Status.ONGOING)
    if isinstance(rule, EventRule):
        return ItemStatus(item, Status.WAITING, None, last)
    if isinstance(rule, UnspecifiedRule):
        return ItemStatus(item, Status.UNSPECIFIED, None, last)
    raise TypeError(f"unknown rule {rule!r}")  # pragma: no cover - the models admit no other


def timing(due: date, as_of: date, warn: int) -> Status:
    """open / due_soon / overdue for something not yet done."""
    if as_of > due:
        return Status.OVERDUE
    if (due - as_of).days <= warn:
        return Status.DUE_SOON
    return Status.OPEN


def _deadline(
    item: Item, rule: DeadlineRule, records: Sequence[date], as_of: date, since: date, warn: int
) -> ItemStatus:
    if rule.review is not None and (records or rule.due < since or as_of > rule.due):
        deliverable_missed = not records and rule.due >= since
        if not deliverable_missed:  # delivered (or before tracking): the periodic duty after it runs
            after = max(since, rule.due + timedelta(days=1))
            return _periodic(item, rule.review, None, records, as_of, after, warn, Status.ONGOING)
    if records:
        late = records[0] > rule.due
        status = Status.ONGOING if rule.then == "ongoing" else Status.DONE
        return ItemStatus(item, status, rule.due, records[-1], late=late)
    if rule.due < since:
        # Due before the office started tracking: not judged. The ongoing duty after it still runs.
        status = Status.ONGOING if rule.then == "ongoing" else Status.UNTRACKED
        return ItemStatus(item, status, rule.due, None)
    status = timing(rule.due, as_of, warn)
    overdue = (as_of - rule.due).days if status is Status.OVERDUE else None
    return ItemStatus(item, status, rule.due, None, days_overdue=overdue)


def due_of(period: Period, by: str | None, dates: Sequence[date] = ()) -> date:
    """A period's due date: the office's own date for that year, else `by` (yearly), else its end."""
    if dates and period.cycle == "year":
        own = next((day for day in dates if day.year == period.start.year), None)
        if own is not None:
            return own
    return month_day_in(period.start.year, by) if by else period.end


def _periodic(
    item: Item, cycle: Cycle, by: str | None, records: Sequence[date], as_of: date,
    since: date, warn: int, done: Status, dates: Sequence[date] = (),
) -> ItemStatus:
    last = records[-1] if records else None
    judged = [p for p in periods_between(since, max(since, as_of), cycle) if due_of(p, by, dates) >= since]
    missed = tuple(
        p for p in judged
        if as_of > due_of(p, by, dates) and not any(p.start <= d <= due_of(p, by, dates) for d in records)
    )
    # A missed period stays overdue until something is recorded in or after it.
    unmade = next((p for p in missed if last is None or last < p.start), None)
    current = period_of(as_of, cycle)
    if as_of < since or due_of(current, by, dates) < since:
        current = next(iter(judged), period_of(since, cycle))
        if due_of(current, by, dates) < since:
            current = current.next()
    due = due_of(current, by, dates)
    satisfied = any(current.start <= d <= as_of for d in records)
    # The next date by which an update is needed: this period's unless it already has one.
    next_due = due_of(current.next(), by, dates) if satisfied else due
    if unmade is not None:
        unmade_due = due_of(unmade, by, dates)
        return ItemStatus(item, Status.OVERDUE, unmade_due, last, (as_of - unmade_due).days,
                          missed=missed, period=unmade, next_due=next_due)
    if satisfied:
        late = current in missed
        return ItemStatus(item, done, due, last, late=late, missed=missed, period=current,
                          next_due=next_due)
    return ItemStatus(item, timing(due, as_of, warn), due, last, missed=missed, period=current,
                      next_due=next_due)
