"""The weekly report across units (a province and its city bureaus), computed once: runs → frozen facts.

Pure, like `weekly`: no I/O, no clock, no printing. The units section and the grid are read from
the same per-unit `Evaluation` as `zwgk status --workspace` (via `workspace.ranked`), so the
rollup can never disagree with the dashboard; each unit's own section is its `WeeklyReport`,
titled by the unit, with unit-qualified ids (合肥/C12).

Readings where the issue text is silent:
- The grid counts, per unit and first-level column group (一级栏目), the website columns with a
  refresh cycle and how many of them are overdue — the numbers behind `columns`,
  `columns_on_time` and `behind` of `status --json`. Groups are listed in the order the units
  first name them (workspace order), so the province's catalogue sets the order.
- The units section and the grid always cover each unit as a whole; `--dept` narrows only the
  per-unit sections (a city may not even have that department).
- A broken unit keeps its row, marked broken, and has no section of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from zwgk.dates.weeks import ReportPeriod, report_period
from zwgk.models import PeriodicRule
from zwgk.rules.engine import Status
from zwgk.summary.feed import Deadline, DeadlineFeed, build_deadlines
from zwgk.summary.units import UnitRow, UnitRun, ranked
from zwgk.summary.weekly import Judge, WeeklyReport, build_weekly

CellState = Literal["behind", "on_time", "none", "broken"]


@dataclass(frozen=True)
class GridCell:
    group: str  # a first-level column name (一级栏目)
    overdue: int  # columns with a refresh cycle in this group that are overdue
    columns: int  # columns with a refresh cycle in this group

    @property
    def state(self) -> CellState:
        if not self.columns:
            return "none"
        return "behind" if self.overdue else "on_time"


@dataclass(frozen=True)
class GridRow:
    unit: str
    broken: bool
    cells: tuple[GridCell, ...]  # one per RollupReport.groups, in that order


@dataclass(frozen=True)
class RollupReport:
    as_of: date
    period: ReportPeriod
    dept: str | None
    units: tuple[UnitRow, ...]  # ranked: broken first, then most overdue
    paths: tuple[tuple[str, str], ...]  # unit → its data folder, as shown
    groups: tuple[str, ...]  # the grid's columns
    grid: tuple[GridRow, ...]  # in the order of `units`
    reports: tuple[WeeklyReport, ...]  # each unit that loaded, in the order of `units`

    @property
    def title(self) -> str:
        names = [name for name, _ in self.paths]
        return "、".join(names) if len(names) <= 4 else f"{'、'.join(names[:3])}等 {len(names)} 个单位"

    def path_of(self, unit: str) -> str:
        return dict(self.paths).get(unit, "")


def build_rollup(runs: Sequence[UnitRun], as_of: date, start: date, end: date,
                 dept: str | None = None,
                 judge: Callable[[UnitRun], Judge | None] | None = None) -> RollupReport:
    """The rollup of the weekly report for [start, end] over `runs` (evaluated at as_of); `dept`,
    a canonical name, narrows each unit's own section to what that department holds there."""
    period = report_period(start, end)
    rows = ranked(runs)
    by_name = {run.name: run for run in runs}
    groups = _groups(runs)
    grid = tuple(_grid_row(by_name[row.name], groups) for row in rows)
    reports = tuple(
        build_weekly(run.dataset, run.evaluation, start, end, dept, run.diagnostics, unit=run.name,
                     judge=judge(run) if judge is not None else None)
        for run in (by_name[row.name] for row in rows)
        if run.dataset is not None and run.evaluation is not None and not run.broken
    )
    return RollupReport(as_of, period, dept, tuple(rows), tuple((r.name, r.path) for r in runs),
                        groups, grid, reports)


def _periodic_columns(run: UnitRun) -> list[tuple[str, bool]]:
    """(group, overdue) for each column with a refresh cycle — what `workspace.unit_row` counts."""
    if run.evaluation is None:
        return []
    return [(s.item.path[0], s.status is Status.OVERDUE) for s in run.evaluation.statuses
            if s.item.kind == "column" and isinstance(s.item.rule, PeriodicRule)]


def _groups(runs: Sequence[UnitRun]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for run in runs:
        for group, _ in _periodic_columns(run):
            seen.setdefault(group, None)
    return tuple(seen)


def _grid_row(run: UnitRun, groups: tuple[str, ...]) -> GridRow:
    columns = _periodic_columns(run)
    cells = tuple(GridCell(group, sum(1 for g, late in columns if g == group and late),
                           sum(1 for g, _ in columns if g == group)) for group in groups)
    return GridRow(run.name, run.broken, cells)


# --- the deadline calendar across units -----------------------------------------------------------


def build_feed(runs: Sequence[UnitRun], as_of: date, months: int, dept: str | None = None) -> DeadlineFeed:
    """Every unit's deadlines in one feed; ids (and so UIDs) are unit-qualified."""
    feeds = [build_deadlines(run.dataset, run.evaluation, months, dept, unit=run.name)
             for run in runs if run.dataset is not None and run.evaluation is not None and not run.broken]
    deadlines: list[Deadline] = sorted((d for f in feeds for d in f.deadlines),
                                       key=lambda d: (d.day, d.time or "", d.status.item.ref))
    until = max((f.until for f in feeds), default=as_of)
    return DeadlineFeed("、".join(run.name for run in runs), as_of, until, dept, tuple(deadlines))
