"""The `--json` output: one JSON object per command. A public interface: see README, 'JSON schema'."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from zwgk.diagnostics import Diagnostic
from zwgk.models import Dataset, JournalEntry
from zwgk.query import Holding
from zwgk.rules import Evaluation, ItemStatus, Status
from zwgk.views import DepartmentRow, Held, UpcomingRow, status_counts

SCHEMA_VERSION = 1


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def item(status: ItemStatus, dataset: Dataset, holding: Holding | None = None) -> dict[str, Any]:
    it = status.item
    location = dataset.locations.get(it.id)
    found: dict[str, Any] = {
        "id": it.id,
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
        )
        found["source"] = None
    if holding is not None:
        found["role"] = holding.role
        found["via"] = holding.via
    return found


def upcoming_document(
    dataset: Dataset, evaluation: Evaluation, rows: list[UpcomingRow], dept: str | None, days: int
) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "as_of": evaluation.as_of.isoformat(),
        "dept": dept,
        "within_days": days,
        "items": [dict(item(r.status, dataset, r.holding), days_left=r.days_left) for r in rows],
    }


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
        "counts": {status.value: counts.get(status, 0) for status in Status},
        "departments": [
            {
                "name": row.name,
                "counts": {status.value: row.counts.get(status, 0) for status in Status},
                "lead_overdue": row.lead_overdue,
            }
            for row in rows
        ],
        "items": [item(s, dataset) for s in evaluation.statuses],
    }


def overdue_document(
    dataset: Dataset, evaluation: Evaluation, held: list[Held], dept: str | None
) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "as_of": evaluation.as_of.isoformat(),
        "dept": dept,
        "items": [item(h.status, dataset, h.holding) for h in held],
    }


def entry(e: JournalEntry) -> dict[str, Any]:
    return e.model_dump(mode="json", exclude_none=True)


def show_document(
    dataset: Dataset, evaluation: Evaluation, status: ItemStatus, history: Iterable[JournalEntry]
) -> dict[str, Any]:
    it = status.item
    found = item(status, dataset)
    found.update(text=it.text, note=it.note,
                 conflicts=[c.model_dump(mode="json", exclude_none=True) for c in it.conflicts])
    return {
        "schema": SCHEMA_VERSION,
        "as_of": evaluation.as_of.isoformat(),
        "item": found,
        "history": [entry(e) for e in history],
    }


def log_document(entries: Iterable[JournalEntry], as_of: str | None = None) -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "entries": [entry(e) for e in entries]}


def diagnostics_document(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    found = list(diagnostics)
    return {
        "schema": SCHEMA_VERSION,
        "errors": [d.to_json() for d in found if d.severity == "error"],
        "warnings": [d.to_json() for d in found if d.severity == "warning"],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
