"""A department's month: everything it must do in one calendar month, overdue first.

Each refresh cycle's update due in the month is listed even when an earlier period was missed
(then both are listed: the missed one as overdue, this month's as due), with one-off deadlines
and open event obligations due in the month. Pure: (dataset, evaluation, month) → rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zwgk.models import Dataset
from zwgk.rules.engine import Evaluation, ItemStatus, Status
from zwgk.rules.owners import Holding, holdings
from zwgk.summary.feed import due_dates


@dataclass(frozen=True)
class AgendaRow:
    status: ItemStatus
    due: date
    overdue: bool  # an earlier deadline, missed; otherwise due within the month
    holding: Holding | None = None


def agenda(dataset: Dataset, evaluation: Evaluation, first: date, last: date,
           dept: str | None = None) -> list[AgendaRow]:
    """Rows for [first, last] (a calendar month), overdue first, then by due date."""
    held = holdings(dataset, dept, (s.item for s in evaluation.statuses)) if dept else None
    rows: list[AgendaRow] = []
    for status in evaluation.statuses:
        if held is not None and status.item.id not in held:
            continue
        holding = held.get(status.item.id) if held is not None else None
        if status.status is Status.OVERDUE and status.due is not None:
            rows.append(AgendaRow(status, status.due, True, holding))
        # Every due date in the month — a cycle missed earlier still owes this period's update.
        dues = {day for day, _ in due_dates(status, last) if first <= day <= last}
        if status.status is Status.OVERDUE:
            dues.discard(status.due)  # type: ignore[arg-type]
        rows += [AgendaRow(status, day, False, holding) for day in sorted(dues)]
    rows.sort(key=lambda row: (not row.overdue, row.due, _time(row.status), row.status.item.ref))
    return rows


def _time(status: ItemStatus) -> str:
    return (status.obligation.due_time or "") if status.obligation else ""
