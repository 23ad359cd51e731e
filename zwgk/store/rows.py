"""A snapshot's rows: statuses, periods and diagnostics as plain values (marshal), and back.

Part of snapshot.py (what a snapshot holds), kept apart so each module reads at once.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from zwgk.dates.periods import Period
from zwgk.errors import Diagnostic
from zwgk.models import Item, Location
from zwgk.rules.engine import ItemStatus, ObligationInfo, Status, obligation_fields

_DIAGNOSTIC_FIELDS = tuple(f.name for f in fields(Diagnostic))


def diagnostic_row(d: Diagnostic) -> tuple[Any, ...]:
    return tuple(getattr(d, name) for name in _DIAGNOSTIC_FIELDS)


def status_row(s: ItemStatus, position: dict[str, int]) -> tuple[Any, ...]:
    o = s.obligation
    obligation = None if o is None else (
        o.parent, o.event_id, o.event_date.toordinal(), o.event_time, o.due_time,
        o.provisional_years, o.complex, o.fulfilled_by, _ordinal(o.fulfilled_on),
        None if o.event_at is None else (o.event_at.path, o.event_at.line, o.event_at.col),
        s.item.title, s.item.lead, s.item.text, o.fulfilled_at)
    return (position[s.item.id] if o is None else -1, s.status.value, _ordinal(s.due),
            _ordinal(s.last), s.days_overdue, s.late, tuple(_period_row(p) for p in s.missed),
            _period_row(s.period), _ordinal(s.next_due), obligation, s.hours_overdue)


class Days(dict[int | None, date | None]):
    """Ordinal → date, each made once: a snapshot names the same few thousand days many times."""

    def __missing__(self, ordinal: int | None) -> date | None:
        day = self[ordinal] = None if ordinal is None else date.fromordinal(ordinal)
        return day


_STATUSES = {status.value: status for status in Status}
_STATUS_FIELDS = tuple(f.name for f in fields(ItemStatus))
_INFO_FIELDS = tuple(f.name for f in fields(ObligationInfo))
_ITEM_FIELDS = tuple(f.name for f in fields(Item))
_new = object.__new__


def _restored(kind: type[Any], names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """An instance from its own kept field values, made the way pickle makes one (no __init__
    runs; these dataclasses have no __post_init__): a frozen dataclass's __init__ sets each
    field through object.__setattr__, two to three times slower for 16,000 statuses."""
    made = _new(kind)
    made.__dict__.update(zip(names, values, strict=True))
    return made


def status_from(row: tuple[Any, ...], items: tuple[Item, ...], by_id: dict[str, Item],
                 days: Days) -> ItemStatus:
    position, status, due, last, days_overdue, late, missed, period, next_due, obligation, hours = row
    info = None
    if obligation is None:
        item = items[position]
    else:
        (parent, event_id, event_date, event_time, due_time, provisional, complex_case,
         fulfilled_by, fulfilled_on, event_at, title, lead, text, fulfilled_at) = obligation
        item = _restored(Item, _ITEM_FIELDS,
                         obligation_fields(by_id[parent], event_id, title, lead, text))
        info = _restored(ObligationInfo, _INFO_FIELDS, (
            parent, event_id, days[event_date], event_time, due_time, provisional, complex_case,
            fulfilled_by, days[fulfilled_on], None if event_at is None else Location(*event_at),
            fulfilled_at))
    return _restored(ItemStatus, _STATUS_FIELDS, (  # type: ignore[no-any-return]
        item, _STATUSES[status], days[due], days[last], days_overdue, late,
        tuple(_period_from(p) for p in missed) if missed else (),
        None if period is None else _period_from(period), days[next_due], info, hours))


def _ordinal(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _period_row(period: Period | None) -> tuple[int, int, str] | None:
    return None if period is None else (period.start.toordinal(), period.end.toordinal(), period.cycle)


def _period_from(row: tuple[int, int, str]) -> Period:
    start, end, cycle = row
    return Period(date.fromordinal(start), date.fromordinal(end), cycle)  # type: ignore[arg-type]
