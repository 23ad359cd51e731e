"""The `--json` output: one JSON object per command. A public interface: see README, 'JSON schema'."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from zwgk.errors import Diagnostic
from zwgk.models import Dataset, JournalEntry
from zwgk.rules.engine import Evaluation, ItemStatus, Status
from zwgk.rules.owners import Holding
from zwgk.summary.answers import (
    AgendaAnswer,
    LogAnswer,
    OverdueAnswer,
    ShowAnswer,
    StatusAnswer,
    UnitsStatusAnswer,
    UpcomingAnswer,
    ValidateAnswer,
)
from zwgk.summary.units import UnitRow, UnitRun
from zwgk.summary.views import DepartmentRow, Held, UpcomingRow, status_counts

SCHEMA_VERSION = 1


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def item(status: ItemStatus, holding: Holding | None = None) -> dict[str, Any]:
    it = status.item
    location = it.source
    found: dict[str, Any] = {
        "id": it.ref,
        "unit": it.unit,
        "kind": it.kind,
        "title": it.title,
        "path": list(it.path),
        "lead": list(it.lead),
        "responsible": list(it.responsible),
        "requirement": it.requirement,
        "rule": it.rule.model_dump(mode="json", exclude_none=True),
        "status": status.status.value,
        "due": _iso(status.due),
        "last": _iso(status.last),
        "days_overdue": status.days_overdue,
        "hours_overdue": status.hours_overdue,
        "late": status.late,
        "period": status.period.key if status.period else None,
        "next_due": _iso(status.next_due),
        "missed": [p.key for p in status.missed],
        "source": f"{location.path}:{location.line}" if location else None,
    }
    info = status.obligation
    if info is not None:
        found.update(
            item=info.parent,
            event_date=info.event_date.isoformat(),
            event_time=info.event_time,
            due_time=info.due_time,
            due_at=f"{status.due.isoformat()}T{info.due_time}:00+08:00"
            if status.due and info.due_time else None,
            provisional=info.provisional,
            provisional_years=list(info.provisional_years),
            complex=info.complex,
            fulfilled_by=info.fulfilled_by,
            event_source=f"{info.event_at.path}:{info.event_at.line}" if info.event_at else None,
        )
    if holding is not None:
        found["role"] = holding.role
        found["via"] = holding.via
    return found


def _by_status(counts: Mapping[Status, int]) -> dict[str, int]:
    return {status.value: counts.get(status, 0) for status in Status}


def _listing(runs: Sequence[UnitRun], as_of: date, dept: str | None, **fields: Any) -> dict[str, Any]:
    """The frame shared by the list commands (overdue, upcoming)."""
    return {"schema": SCHEMA_VERSION, "as_of": as_of.isoformat(), "units": _unit_names(runs),
            "dept": dept, **fields}


def upcoming_document(
    runs: Sequence[UnitRun], as_of: date, rows: list[UpcomingRow], dept: str | None, days: int
) -> dict[str, Any]:
    return _listing(runs, as_of, dept, within_days=days,
                    items=[dict(item(r.status, r.holding), days_left=r.days_left) for r in rows])


def _unit_names(runs: Sequence[UnitRun]) -> list[str] | None:
    """Only in a workspace: a single unit's documents stay as they were."""
    return [r.name for r in runs] if any(r.path for r in runs) else None


def status_document(
    dataset: Dataset, evaluation: Evaluation, rows: list[DepartmentRow]
) -> dict[str, Any]:
    counts = status_counts(evaluation)
    return {
        "schema": SCHEMA_VERSION,
        "as_of": evaluation.as_of.isoformat(),
        "unit": dataset.settings.unit,
        "tracking_since": evaluation.tracking_since.isoformat(),
        "warn_days": evaluation.warn_days,
        "counts": _by_status(counts),
        "backfilled": len(evaluation.backfilled),
        "departments": [
            {
                "name": row.name,
                "counts": _by_status(row.counts),
                "lead_overdue": row.lead_overdue,
            }
            for row in rows
        ],
        "items": [item(s) for s in evaluation.statuses],
    }


def overdue_document(
    runs: Sequence[UnitRun], as_of: date, held: list[Held], dept: str | None
) -> dict[str, Any]:
    return _listing(runs, as_of, dept, items=[item(h.status, h.holding) for h in held])


def workspace_document(
    runs: Sequence[UnitRun], rows: Sequence[UnitRow], combined: Evaluation
) -> dict[str, Any]:
    """`status --json` across units: units ranked, then every item with its unit."""
    counts = status_counts(combined)
    paths = {r.name: r.path for r in runs}
    return {
        "schema": SCHEMA_VERSION,
        "as_of": combined.as_of.isoformat(),
        "counts": _by_status(counts),
        "units": [
            {
                "name": row.name,
                "data": paths.get(row.name),
                "broken": row.broken,
                "counts": _by_status(row.counts),
                "columns": row.columns,
                "columns_on_time": row.columns_on_time,
                "compliance": row.compliance,
                "behind": [{"group": group, "overdue_columns": n} for group, n in row.behind],
            }
            for row in rows
        ],
        "items": [item(s) for s in combined.statuses],
    }


_ENTRY_KEYS = ("id", "type", "item", "date", "time", "at", "by", "url", "note", "title", "dept",
               "complex", "event", "corrects", "reason", "state")


def entry(e: JournalEntry) -> dict[str, Any]:
    """Every key but the empty ones; `complex` always (schema 1 has always given it)."""
    values = {key: getattr(e, key) for key in _ENTRY_KEYS}
    values["date"] = e.date.isoformat()
    return {key: value for key, value in values.items() if value is not None}


def show_document(
    dataset: Dataset, evaluation: Evaluation, status: ItemStatus, history: Iterable[JournalEntry]
) -> dict[str, Any]:
    it = status.item
    found = item(status)
    found.update(text=it.text, note=it.note,
                 conflicts=[c.model_dump(mode="json", exclude_none=True) for c in it.conflicts])
    return {
        "schema": SCHEMA_VERSION,
        "as_of": evaluation.as_of.isoformat(),
        "item": found,
        "history": [entry(e) for e in history],
    }


def log_document(entries: Iterable[JournalEntry]) -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "entries": [entry(e) for e in entries]}


def inheritance(dataset: Dataset | None) -> dict[str, Any] | None:
    """How a following unit's catalogue was resolved (null for a unit that follows nothing)."""
    if dataset is None or dataset.inherits is None:
        return None
    i = dataset.inherits
    return {"parent": i.parent, "inherited": list(i.inherited), "overridden": list(i.overridden),
            "dropped": list(i.dropped), "added": list(i.added)}


def diagnostics_document(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    found = list(diagnostics)
    return {
        "schema": SCHEMA_VERSION,
        "errors": [d.to_json() for d in found if d.severity == "error"],
        "warnings": [d.to_json() for d in found if d.severity == "warning"],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# --- the views (zwgk/report/registry.py): one answer in, one JSON document out -------------------


def status(answer: StatusAnswer) -> str:
    return dumps(status_document(answer.dataset, answer.evaluation, list(answer.rows)))


def units_status(answer: UnitsStatusAnswer) -> str:
    return dumps(workspace_document(answer.runs, answer.ranking, answer.combined))


def overdue(answer: OverdueAnswer) -> str:
    return dumps(overdue_document(answer.runs, answer.as_of, list(answer.held), answer.owner))


def upcoming(answer: UpcomingAnswer) -> str:
    return dumps(upcoming_document(answer.runs, answer.as_of, list(answer.rows), answer.owner,
                                   answer.days))


def agenda(answer: AgendaAnswer) -> str:
    return dumps(_listing(answer.runs, answer.as_of, answer.owner, month=answer.month, items=[
        dict(item(r.status, r.holding), agenda_due=r.due.isoformat(),
             agenda="overdue" if r.overdue else "due")
        for r in answer.rows]))


def show(answer: ShowAnswer) -> str:
    from zwgk.summary.ledger import facts_json

    document = show_document(answer.dataset, answer.evaluation, answer.status, answer.history)
    for shown, line in zip(document["history"], answer.history, strict=True):
        shown.update(facts_json(answer.facts, line))
    return dumps(document)


def log(answer: LogAnswer) -> str:
    from zwgk.summary.ledger import facts_json

    document = log_document(answer.entries)
    for shown, line in zip(document["entries"], answer.entries, strict=True):
        shown.update(facts_json(answer.facts, line))
    return dumps(document)


def validate(answer: ValidateAnswer) -> str:
    documents = [dict(diagnostics_document(unit.found), unit=unit.name, data=unit.folder,
                      inherits=inheritance(unit.result.dataset)) for unit in answer.units]
    return dumps(documents[0] if len(documents) == 1 else {"schema": SCHEMA_VERSION, "units": documents})
