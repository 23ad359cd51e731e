"""The harness's pure parts: samples, rows, the targets and their ratios, and the table it prints."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

DEPT = "政策法规处"
IMPORT_FLOOR = "import typer, yaml, pydantic, rich, dateutil"
STACK_LABEL = "floor: typer command printing one Rich table"
RECORD_LABEL = "zwgk status right after one zwgk record"
SCAN_LABEL_START = "zwgk scan of "
SCAN_FLOOR = "floor: pages × latency ÷ concurrency limit"


@dataclass(frozen=True)
class Sample:
    ms: float
    rss_mb: float


@dataclass(frozen=True)
class Row:
    fixture: str
    command: str
    cold_ms: float | None
    warm_ms: float | None
    rss_mb: float | None


@dataclass(frozen=True)
class Target:
    label: str
    measured: float | None  # the ratio (or MB) measured; None when not measured in this run
    bound: float
    unit: str = "×"
    detail: str = ""

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return "n/a"
        return "PASS" if self.measured <= self.bound else "MISS"


def median_sample(samples: Sequence[Sample]) -> Sample:
    return Sample(statistics.median(s.ms for s in samples), max(s.rss_mb for s in samples))


def find(rows: Sequence[Row], fixture: str, command: str) -> Row | None:
    return next((r for r in rows if r.fixture == fixture and r.command == command), None)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def targets(rows: Sequence[Row]) -> list[Target]:
    """The target ratios, from the table's rows (a missing row gives n/a, not a guess)."""
    floor = find(rows, "(none)", f"floor: python -c '{IMPORT_FLOOR}'")
    status = find(rows, "bundled", "zwgk status")
    floor_ms = floor.warm_ms if floor else None
    found = []
    for column, bound in (("cold", 1.2), ("warm", 0.5)):
        value = getattr(status, f"{column}_ms") if status else None
        found.append(Target(f"bundled: zwgk status ({column}) ≤ {bound} × bare import of runtime deps",
                            ratio(value, floor_ms), bound,
                            detail=_detail(value, floor_ms)))
    load = find(rows, "province", "floor: CSafeLoader load")
    province = find(rows, "province", "zwgk status")
    load_ms = load.warm_ms if load else None
    for column, bound in (("cold", 0.5), ("warm", 0.05)):
        value = getattr(province, f"{column}_ms") if province else None
        found.append(Target(f"province: zwgk status ({column}) ≤ {bound} × CSafeLoader load",
                            ratio(value, load_ms), bound, detail=_detail(value, load_ms)))
    found.append(Target("province: zwgk status peak RSS ≤ 400 MB",
                        province.rss_mb if province else None, 400.0, unit=" MB"))
    after_record = find(rows, "province", RECORD_LABEL)
    found.append(Target(f"province: {RECORD_LABEL} ≤ 0.03 × CSafeLoader load",
                        ratio(after_record.warm_ms if after_record else None, load_ms), 0.03,
                        detail=_detail(after_record.warm_ms if after_record else None, load_ms)))
    report = find(rows, "province", "zwgk report --format html")
    found.append(Target("province: zwgk report --format html (warm) ≤ 0.05 × CSafeLoader load",
                        ratio(report.warm_ms if report else None, load_ms), 0.05,
                        detail=_detail(report.warm_ms if report else None, load_ms)))
    found.append(Target("province: peak RSS of every command ≤ 200 MB",
                        max((r.rss_mb for r in rows if r.fixture == "province" and r.rss_mb is not None
                             and not r.command.startswith("floor")), default=None), 200.0, unit=" MB"))
    task = next((r for r in rows if r.fixture == "items10k" and r.command.startswith("task ")), None)
    overdue = find(rows, "items10k", f"zwgk overdue --dept {DEPT}")
    task_ms = task.warm_ms if task else None
    for column, bound in (("cold", 4.0), ("warm", 0.7)):
        value = getattr(overdue, f"{column}_ms") if overdue else None
        found.append(Target(f"items10k: zwgk overdue --dept X ({column}) ≤ {bound} × task overdue project:X",
                            ratio(value, task_ms), bound, detail=_detail(value, task_ms)))
    scan = next((r for r in rows if r.fixture == "scan" and r.command.startswith(SCAN_LABEL_START)), None)
    scan_floor = find(rows, "scan", SCAN_FLOOR)
    for column in ("cold", "warm"):
        value = getattr(scan, f"{column}_ms") if scan else None
        floor_value = scan_floor.warm_ms if scan_floor else None
        found.append(Target(f"scan ({column}) ≤ 1.3 × pages × latency ÷ concurrency limit",
                            ratio(value, floor_value), 1.3, detail=_detail(value, floor_value)))
    stack = find(rows, "(none)", STACK_LABEL)
    if stack is not None and floor_ms is not None:  # what bounds the two command-line targets
        found.append(Target("(bound) typer command printing one Rich table ≤ 1.2 × bare import",
                            ratio(stack.warm_ms, floor_ms), 1.2, detail=_detail(stack.warm_ms, floor_ms)))
        if task_ms is not None:
            found.append(Target("(bound) typer command printing one Rich table ≤ 1.0 × task overdue",
                                ratio(stack.warm_ms, task_ms), 1.0,
                                detail=_detail(stack.warm_ms, task_ms)))
    return found


def _detail(value: float | None, base: float | None) -> str:
    if value is None or base is None:
        return ""
    return f"{value:.0f} ms / {base:.0f} ms"


def _cell(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def format_table(rows: Sequence[Row]) -> str:
    lines = ["| fixture | command | cold ms | warm ms | peak RSS MB |", "|---|---|---:|---:|---:|"]
    lines += [f"| {r.fixture} | {r.command} | {_cell(r.cold_ms)} | {_cell(r.warm_ms)} "
              f"| {_cell(r.rss_mb, 1)} |" for r in rows]
    return "\n".join(lines)


def format_targets(found: Sequence[Target]) -> str:
    lines = []
    for target in found:
        if target.measured is None:
            lines.append(f"- {target.label}: not measured — n/a")
            continue
        shown = (f"{target.measured:.1f} MB" if target.unit == " MB"
                 else f"{target.measured:.3f}×")
        detail = f" ({target.detail})" if target.detail else ""
        lines.append(f"- {target.label}: {shown}{detail} — {target.verdict}")
    return "\n".join(lines)


