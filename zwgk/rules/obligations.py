"""Event-triggered duties: each recorded event starts an obligation with its own due date.

Pure: (item, event entries, records, working-day calendar, as-of) → obligation statuses.
Due dates follow the item's rule: the same day; N working days after the event; N working days
before it (a planned enforcement date); or N hours after it, in Beijing time. A year whose
holiday notice is not out yet gives a provisional due date, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from zwgk.dates.workdays import WorkdayCalendar, calendar_for
from zwgk.errors import UserError
from zwgk.models import Dataset, EventRule, Item, JournalEntry, entered_on, normalise_name


@dataclass(frozen=True)
class Due:
    day: date
    time: str | None  # "HH:MM" for hour windows, else the end of `day`
    provisional_years: tuple[int, ...]
    window: int  # the number of days or hours applied (the extended one for complex cases)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


def event_moment(day: date, at: str | None) -> datetime:
    return datetime.combine(day, time.fromisoformat(at) if at else time(0, 0))


def due_for(rule: EventRule, day: date, at: str | None, complex_case: bool,
            calendar: WorkdayCalendar) -> Due:
    """When an obligation started by an event on `day` (at `at`, Beijing time) falls due."""
    amount = rule.complex_amount if complex_case and rule.complex_amount is not None else rule.amount
    if rule.unit == "same_day":
        return Due(day, None, _provisional(calendar, day, day), 0)
    if rule.unit == "hours":
        moment = event_moment(day, at) + timedelta(hours=amount)
        return Due(moment.date(), moment.strftime("%H:%M"), (), amount)
    if rule.direction == "before":
        due = calendar.subtract_working_days(day, amount)
    else:
        due = calendar.add_working_days(day, amount)
    return Due(due, None, _provisional(calendar, day, due), amount)


def _provisional(calendar: WorkdayCalendar, a: date, b: date) -> tuple[int, ...]:
    return tuple(calendar.provisional_years_between(min(a, b), max(a, b)))


def is_late(due: Due, record: JournalEntry) -> bool:
    if record.date != due.day:
        return record.date > due.day
    # Same day: only an hour window can be missed within it.
    return due.time is not None and record.time is not None and record.time > due.time


@dataclass(frozen=True)
class Obligation:
    event: JournalEntry
    item: Item
    due: Due
    fulfilment: JournalEntry | None  # the record that closed it, if any, on or before as_of


def obligations_of(
    item: Item, entries: Sequence[JournalEntry], calendar: WorkdayCalendar, as_of: date
) -> list[Obligation]:
    """The item's obligations from events dated on or before as_of ('before' duties: announced by
    then), each with the record that names it as fulfilled."""
    assert isinstance(item.rule, EventRule)
    rule = item.rule
    records = {e.event: e for e in sorted(entries, key=lambda e: (e.date, e.time or ""), reverse=True)
               if e.type == "record" and e.event and e.date <= as_of}
    found = []
    for event in entries:
        if event.type != "event" or event.item != item.id:
            continue
        due = due_for(rule, event.date, event.time, event.complex, calendar)
        # A 'before' duty exists from the moment it is announced (recorded), not from the event.
        known_from = entered_on(event) if rule.direction == "before" else event.date
        if min(known_from, event.date) > as_of:
            continue
        found.append(Obligation(event, item, due, records.get(event.id)))
    return found


def oldest_open(obligations: Sequence[Obligation]) -> Obligation | None:
    open_ones = [o for o in obligations if o.fulfilment is None]
    return min(open_ones, key=lambda o: (o.due.day, o.due.time or "", o.event.id), default=None)


def happenings(items: Sequence[Item]) -> dict[str, tuple[Item, ...]]:
    """Event kind (事件类型) → the duties it starts, in catalogue order: every event-triggered
    item whose rule names it in `happening` (重大舆情 → B06's 5 h statement, B07's 24 h briefing)."""
    found: dict[str, list[Item]] = {}
    for item in items:
        if isinstance(item.rule, EventRule) and item.rule.happening:
            found.setdefault(item.rule.happening, []).append(item)
    return {name: tuple(duties) for name, duties in found.items()}


def happening_named(items: Sequence[Item], text: str) -> tuple[str, tuple[Item, ...]] | None:
    """The event kind `text` names (as item names are matched: spacing and width folded), with
    the duties it starts; None when it names none."""
    wanted = normalise_name(text)
    return next(((name, duties) for name, duties in happenings(items).items()
                 if normalise_name(name) == wanted), None)


@dataclass(frozen=True)
class Fulfilment:
    """What a record of an event-triggered item closes: the obligation (None when none is open:
    the record is an update) and whether it came after the deadline."""

    obligation: Obligation | None
    late: bool = False


def fulfilment_for(dataset: Dataset, item: Item, day: date, at_time: str | None,
                   wanted: str | None, today: date) -> Fulfilment | None:
    """Which event obligation a record dated `day` closes: the one `wanted` names (an event id or
    its prefix), else the oldest open one. None for an item that is not event-triggered."""
    if not isinstance(item.rule, EventRule):
        if wanted:
            raise UserError(f"{item.id} 不是事件触发的事项,不能指定 --event (not event-triggered)")
        return None
    obligations = obligations_of(item, dataset.journal, calendar_for(dataset.calendar), max(day, today))
    if item.rule.direction == "after":  # work done before an event cannot be its response
        obligations = [o for o in obligations if o.event.date <= day]
    if wanted:
        # An event line's id, or the id of the happening it belongs to (one `zwgk event 重大舆情`
        # gives B06 and B07 one shared id, which names either duty's obligation here).
        matches = [o for o in obligations if o.event.id.startswith(wanted)
                   or (o.event.event or "").startswith(wanted)]
        if len(matches) != 1:
            raise UserError(f"{item.id} 没有唯一匹配 '{wanted}' 的事件 (no single event matches)",
                            tuple(f"候选:{o.event.id} {o.event.title or ''}" for o in obligations))
        chosen = matches[0]
        if chosen.fulfilment is not None:
            raise UserError(f"事件 {chosen.event.id} 已于 {chosen.fulfilment.date} 完成 (already fulfilled)")
    else:
        waiting = [o for o in obligations if o.fulfilment is None]
        if len(waiting) > 1:
            waiting.sort(key=lambda o: (o.due.day, o.due.time or "", o.event.id))
            raise UserError(f"{item.id} 有 {len(waiting)} 项待办的事件义务:请用 --event 指明完成的是哪一项 "
                            "(several open obligations: say which)",
                            tuple(f"--event {o.event.id}  {o.event.title or o.event.date}  应于 {o.due.day}"
                                  f"{' ' + o.due.time if o.due.time else ''}" for o in waiting))
        found = oldest_open(obligations)
        if found is None:
            return Fulfilment(None)
        chosen = found
    probe = JournalEntry(id="-", type="record", item=item.id, date=day, time=at_time, at="-")
    return Fulfilment(chosen, is_late(chosen.due, probe))
