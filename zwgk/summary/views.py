"""What each report shows, computed once: counts, per-department rows, overdue lists.

Pure functions over an `Evaluation`, shared by every renderer so the terminal, JSON and the
weekly report can never disagree about a number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from zwgk.models import Dataset
from zwgk.rules.engine import Evaluation, ItemStatus, Status
from zwgk.rules.owners import Holding, departments, holdings, holdings_of


@dataclass(frozen=True)
class DepartmentRow:
    name: str
    counts: Counter[Status]
    lead_overdue: int  # overdue items it leads: itself, or through a sub-unit or a group (牵头(经 …))
    items: frozenset[str] = frozenset()  # the ids it holds, directly or through a group
    led_overdue: frozenset[str] = frozenset()  # the ids of those lead_overdue items

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Held:
    status: ItemStatus
    holding: Holding | None


def status_counts(evaluation: Evaluation) -> Counter[Status]:
    return Counter(s.status for s in evaluation.statuses)


def department_rows(dataset: Dataset, evaluation: Evaluation) -> list[DepartmentRow]:
    """One row per department that holds anything, the most overdue first."""
    names = departments(dataset)
    by_id = {s.item.id: s for s in evaluation.statuses}
    held = holdings_of(dataset, names, (s.item for s in evaluation.statuses))
    rows = [row for row in (_row(name, held[name], by_id) for name in names) if row.items]
    rows.sort(key=lambda r: (-r.counts[Status.OVERDUE], -r.counts[Status.DUE_SOON], r.name))
    return rows


def department_row(dataset: Dataset, evaluation: Evaluation, name: str) -> DepartmentRow:
    """What one owner (a department, or a group or sub-unit chosen with --dept) holds."""
    by_id = {s.item.id: s for s in evaluation.statuses}
    return _row(name, holdings(dataset, name, (s.item for s in evaluation.statuses)), by_id)


def _row(name: str, held: dict[str, Holding], by_id: dict[str, ItemStatus]) -> DepartmentRow:
    led = frozenset(item_id for item_id, h in held.items()
                    if h.role == "lead" and by_id[item_id].status is Status.OVERDUE)
    return DepartmentRow(name, Counter(by_id[item_id].status for item_id in held), len(led),
                         frozenset(held), led)


def overdue(dataset: Dataset, evaluation: Evaluation, dept: str | None = None) -> list[Held]:
    """Overdue items, oldest due date first; with a department, only the ones it holds."""
    held = holdings(dataset, dept, (s.item for s in evaluation.statuses)) if dept else None
    rows = [
        Held(s, held.get(s.item.id) if held is not None else None)
        for s in evaluation.with_status(Status.OVERDUE)
        if held is None or s.item.id in held
    ]
    rows.sort(key=overdue_order)
    return rows


def overdue_order(held: Held) -> tuple[object, ...]:
    """Oldest due date first; also the order across units, where ids carry the unit."""
    return (held.status.due, held.status.item.ref)


@dataclass(frozen=True)
class UpcomingRow:
    status: ItemStatus
    days_left: int
    holding: Holding | None = None


WAITING_ON_SOMEONE = (Status.OPEN, Status.DUE_SOON)


def upcoming(
    dataset: Dataset, evaluation: Evaluation, within_days: int, dept: str | None = None
) -> list[UpcomingRow]:
    """Everything not yet done that falls due from as_of to as_of + within_days, soonest first."""
    held = holdings(dataset, dept, (s.item for s in evaluation.statuses)) if dept else None
    rows = [
        UpcomingRow(s, (s.due - evaluation.as_of).days, held.get(s.item.id) if held else None)
        for s in evaluation.statuses
        if s.status in WAITING_ON_SOMEONE and s.due is not None
        and 0 <= (s.due - evaluation.as_of).days <= within_days
        and (held is None or s.item.id in held)
    ]
    rows.sort(key=upcoming_order)
    return rows


def upcoming_order(row: UpcomingRow) -> tuple[object, ...]:
    """Soonest first, hour windows by their hour; also the order across units."""
    obligation = row.status.obligation
    return (row.status.due, (obligation.due_time or "") if obligation else "", row.status.item.ref)
