"""Many units, one picture: combine each unit's evaluation into one, and rank the units.

Pure: loaded units in, a combined evaluation (items tagged with their unit, shown as `合肥/C12`)
and one row per unit out. A unit whose data is broken still has a row, marked broken, so the
province sees it instead of losing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from zwgk.errors import Diagnostic, has_errors
from zwgk.models import Dataset, PeriodicRule
from zwgk.rules.engine import Evaluation, ItemStatus, Status


@dataclass(frozen=True)
class UnitRun:
    name: str
    path: str
    dataset: Dataset | None
    diagnostics: tuple[Diagnostic, ...]
    evaluation: Evaluation | None = None
    folder: Path | None = None  # where it was loaded from (a store can judge it at another day)

    @property
    def broken(self) -> bool:
        return self.dataset is None or has_errors(self.diagnostics)


@dataclass(frozen=True)
class UnitRow:
    name: str
    counts: Counter[Status]
    columns: int  # website columns with a refresh cycle
    columns_on_time: int  # …of which not overdue
    behind: tuple[tuple[str, int], ...]  # first-level column group → overdue columns in it
    broken: bool = False

    @property
    def compliance(self) -> float | None:
        return self.columns_on_time / self.columns if self.columns else None


def tagged(statuses: Sequence[ItemStatus], unit: str) -> list[ItemStatus]:
    return [s if s.item.unit == unit else replace(s, item=replace(s.item, unit=unit))
            for s in statuses]


def tagged_evaluation(evaluation: Evaluation, unit: str) -> Evaluation:
    """The evaluation with every item tagged with its unit (shown 合肥/C12)."""
    return replace(evaluation, statuses=tuple(tagged(evaluation.statuses, unit)))


def combine(runs: Sequence[UnitRun], as_of: date, warn: int) -> Evaluation:
    statuses: list[ItemStatus] = []
    for run in runs:
        if run.evaluation is not None:
            statuses += tagged(run.evaluation.statuses, run.name)
    since = min((r.evaluation.tracking_since for r in runs if r.evaluation), default=as_of)
    late = tuple(line for r in runs if r.evaluation for line in r.evaluation.backfilled)
    return Evaluation(as_of, warn, since, tuple(statuses), backfilled=late)


def unit_row(run: UnitRun) -> UnitRow:
    if run.evaluation is None:
        return UnitRow(run.name, Counter(), 0, 0, (), broken=True)
    statuses = run.evaluation.statuses
    columns = [s for s in statuses if s.item.kind == "column" and isinstance(s.item.rule, PeriodicRule)]
    late = [s for s in columns if s.status is Status.OVERDUE]
    behind = Counter(s.item.path[0] for s in late)
    return UnitRow(
        run.name, Counter(s.status for s in statuses), len(columns), len(columns) - len(late),
        tuple(sorted(behind.items(), key=lambda kv: (-kv[1], kv[0]))), broken=run.broken,
    )


def ranked(runs: Sequence[UnitRun]) -> list[UnitRow]:
    """Broken units first (they need fixing before anything else), then most overdue."""
    rows = [unit_row(run) for run in runs]
    rows.sort(key=lambda r: (not r.broken, -r.counts[Status.OVERDUE], r.compliance or 0, r.name))
    return rows
