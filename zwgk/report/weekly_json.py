"""`zwgk report --format json`: the weekly report's facts as one JSON object. A public interface.

Text is kept exactly as written (JSON escapes control characters itself). Items use the same
object as `zwgk status --json` (`jsonout.item`), so a consumer parses both with one schema.

Schema (version 1; dates are ISO `YYYY-MM-DD` strings, `null` when absent):

    {
      "schema": 1,
      "kind": "weekly_report",
      "unit": str,                      # settings.unit
      "as_of": date,                    # statuses are judged on this day
      "dept": str | null,               # --dept, canonical name; null = the whole unit
      "tracking_since": date, "warn_days": int,
      "period": {"key": "2026-W48" | "2026-11-01_2026-11-30", "label": str,
                 "start": date, "end": date,          # inclusive
                 "activity_end": date},               # min(end, as_of): journal counted up to here
      "counts": {status: int, ...},     # every status (done ok open due_soon overdue ongoing waiting
                                        #   unspecified untracked); = `status --json` counts
                                        #   (with --dept: over the department's items)
      "total": int,
      "newly_overdue": [item],          # overdue at as_of, first overdue day (due+1) in the period
      "still_overdue": [item],          # the other overdue items, oldest due date first;
                                        #   len(newly_overdue) + len(still_overdue) == counts.overdue
      "upcoming_days": 14,
      "upcoming": [item + {"days_left": int}],        # = `upcoming --within 14d --json` items
      "activity": [{"id", "type": "record"|"observed"|"event", "item", "title", "date", "time", "by",
                    "url", "note", "event", "at", "backfilled", ...}],   # journal lines dated in the period
      "departments": [{"name", "overdue", "due_soon", "done_in_period", "lead_overdue", "total",
                       "counts": {status: int}}],
      "columns": [{"id", "title", "path", "lead", "requirement",
                   "cycle": "month"|"quarter"|"half_year"|"year",
                   "period": "2026-11"|"2026-Q4"|"2026-H2"|"2026", "period_label": str,
                   "due": date, "state": "met"|"not_yet"|"missed"|"untracked",
                   "last": date | null,
                   "missed": [period key],                     # missed periods, last 12 months
                   "months": [{"month": "2025-12", "state": ...}]}],   # 12 months, oldest first
      "missed_periods": [{"id", "title", "period", "label", "start", "end"}],
      "gaps": [{"code": "gap-no-owner"|"gap-unspecified"|"gap-conflict", "item": str | null,
                "message": str, "where": "file:line:col"}],
      "trend": [{"week": "2026-W44", "day": date, "overdue": int, "current": bool}],
                                        # overdue at the end of each of the 4 weeks before, then
                                        #   this week's (current: true, = counts.overdue)
      "items": [item + {"newly_overdue": bool, "records_in_period": int}]   # every item (= csv)
    }

`item` is the object of `zwgk status --json` (id, unit, kind, title, path, lead, responsible,
requirement, rule, status, due, last, days_overdue, hours_overdue (an hour window judged by the clock),
late, period, next_due, missed, source; event
obligations add item, event_date, event_time, due_time, due_at, provisional, …, event_source); with --dept it
also carries "role" and "via".
"""

from __future__ import annotations

from typing import Any

from zwgk.report.jsonout import SCHEMA_VERSION, dumps, entry, item
from zwgk.rules.engine import Status
from zwgk.summary.rollup import RollupReport
from zwgk.summary.weekly import WeeklyReport


def document(report: WeeklyReport) -> dict[str, Any]:
    p = report.period
    return {
        "schema": SCHEMA_VERSION,
        "kind": "weekly_report",
        "unit": report.unit,
        "as_of": report.as_of.isoformat(),
        "dept": report.dept,
        "tracking_since": report.tracking_since.isoformat(),
        "warn_days": report.warn_days,
        "period": {"key": p.key, "label": p.label, "start": p.start.isoformat(),
                   "end": p.end.isoformat(), "activity_end": report.activity_end.isoformat()},
        "counts": {status.value: n for status, n in report.counts},
        "total": report.total,
        "newly_overdue": [item(h.status, h.holding) for h in report.newly_overdue],
        "still_overdue": [item(h.status, h.holding) for h in report.still_overdue],
        "upcoming_days": report.upcoming_days,
        "upcoming": [dict(item(r.status, r.holding), days_left=r.days_left) for r in report.upcoming],
        "activity": [dict(entry(a.entry), title=a.item.title if a.item else None, backfilled=a.backfilled)
                     for a in report.activity],
        "departments": [
            {"name": d.name, "overdue": d.overdue, "due_soon": d.due_soon,
             "done_in_period": d.done_in_period, "lead_overdue": d.lead_overdue, "total": d.total,
             "counts": {status.value: n for status, n in d.counts}}
            for d in report.departments
        ],
        "columns": [
            {"id": c.status.item.ref, "title": c.status.item.title, "path": list(c.status.item.path),
             "lead": list(c.status.item.lead), "requirement": c.status.item.requirement,
             "cycle": c.cycle, "period": c.period.key, "period_label": c.period.label,
             "due": c.due.isoformat(), "state": c.state,
             "last": c.status.last.isoformat() if c.status.last else None,
             "missed": [m.key for m in c.missed],
             "months": [{"month": m.month, "state": m.state} for m in c.months]}
            for c in report.columns
        ],
        "missed_periods": [
            {"id": c.status.item.ref, "title": c.status.item.title, "period": m.key, "label": m.label,
             "start": m.start.isoformat(), "end": m.end.isoformat()}
            for c, m in report.missed
        ],
        "gaps": [{"code": g.code, "item": g.item, "message": g.message, "where": g.where}
                 for g in report.gaps],
        "items": [dict(item(line.status, line.holding), newly_overdue=line.newly_overdue,
                       records_in_period=line.records_in_period) for line in report.items],
        "trend": [{"week": t.key, "day": t.day.isoformat(), "overdue": t.overdue, "current": t.current}
                  for t in report.trend],
    }


def render(report: WeeklyReport) -> str:
    return dumps(document(report)) + "\n"


def rollup_document(rollup: RollupReport) -> dict[str, Any]:
    """The rollup: `units` as in `status --workspace --json` (plus `data`), the grid, and each
    unit's weekly report (the document above, its ids unit-qualified)."""
    p = rollup.period
    return {
        "schema": SCHEMA_VERSION,
        "kind": "weekly_rollup",
        "as_of": rollup.as_of.isoformat(),
        "dept": rollup.dept,
        "period": {"key": p.key, "label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat()},
        "units": [
            {"name": row.name, "data": rollup.path_of(row.name), "broken": row.broken,
             "counts": {status.value: row.counts.get(status, 0) for status in Status},
             "columns": row.columns, "columns_on_time": row.columns_on_time,
             "compliance": row.compliance,
             "behind": [{"group": group, "overdue_columns": n} for group, n in row.behind]}
            for row in rollup.units
        ],
        "groups": list(rollup.groups),
        "grid": [
            {"unit": row.unit, "broken": row.broken,
             "cells": [{"group": c.group, "overdue": c.overdue, "columns": c.columns,
                        "state": "broken" if row.broken else c.state} for c in row.cells]}
            for row in rollup.grid
        ],
        "reports": [document(report) for report in rollup.reports],
    }


def render_rollup(rollup: RollupReport) -> str:
    return dumps(rollup_document(rollup)) + "\n"
