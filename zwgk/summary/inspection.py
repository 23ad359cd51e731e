"""What `zwgk inspect` answers — the spot check of each unit (zwgk/rules/inspection.py) — and the
findings a CI gate fails on (`check --inspect [--grace N]`).

Pure: loaded and judged units in, frozen values out. A unit whose data is broken keeps a row,
marked broken, so the province's 通报 view shows it instead of losing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from zwgk.models import Dataset, Location
from zwgk.rules.engine import Evaluation
from zwgk.rules.inspection import Indicator, Inspection, inspect
from zwgk.summary.units import UnitRun


@dataclass(frozen=True)
class UnitInspection:
    name: str
    inspection: Inspection | None  # None: the unit's data is broken

    @property
    def veto(self) -> bool:
        return self.inspection is not None and self.inspection.veto


@dataclass(frozen=True)
class InspectAnswer:
    """The spot check on `as_of`: one unit, or a workspace's units (`multi`: a units × indicators table)."""

    as_of: date
    units: tuple[UnitInspection, ...]
    multi: bool = False

    @property
    def veto(self) -> bool:
        return any(unit.veto for unit in self.units)


def inspect_runs(runs: Sequence[UnitRun], as_of: date, multi: bool) -> InspectAnswer:
    units = []
    for run in runs:
        if run.dataset is None or run.evaluation is None or run.broken:
            units.append(UnitInspection(run.name, None))
        else:
            units.append(UnitInspection(run.name, inspect(run.dataset, run.evaluation, as_of)))
    return InspectAnswer(as_of, tuple(units), multi)


@dataclass(frozen=True)
class InspectionFinding:
    """A veto tripped on the check date, or tripping within the grace days after it."""

    indicator: Indicator
    days_left: int  # 0: tripped now
    location: Location | None  # the YAML entry of the column to update first, to annotate
    unit: str | None = None

    @property
    def message(self) -> str:
        found = self.indicator
        where = f"{self.unit}:" if self.unit else ""
        first = "、".join(found.update_first[:5])
        if self.days_left == 0:
            return (f"{where}单项否决 {found.name}:{found.count} 个,达到 {found.threshold} 个"
                    + (f"(先更新 {first})" if first else ""))
        return (f"{where}{found.trips_on} 起单项否决 {found.name}(还有 {self.days_left} 天)"
                + (f",先更新 {first}" if first else ""))


def inspection_findings(dataset: Dataset, evaluation: Evaluation, grace: int = 0,
                        unit: str | None = None) -> tuple[InspectionFinding, ...]:
    """For `check --inspect [--grace N]`: the vetoes tripped on the evaluation's day, or that
    trip within `grace` days of it if nothing more is published. Empty: the gate passes."""
    found = inspect(dataset, evaluation)
    last = found.as_of + timedelta(days=grace)
    sources = dataset.locations
    findings = []
    for indicator in found.indicators:
        if indicator.trips_on is None or indicator.trips_on > last:
            continue
        first = next((sources[i] for i in indicator.update_first if i in sources), None)
        findings.append(InspectionFinding(indicator, (indicator.trips_on - found.as_of).days, first, unit))
    return tuple(findings)


def runs_findings(runs: Sequence[UnitRun], grace: int = 0,
                  multi: bool = False) -> tuple[InspectionFinding, ...]:
    """inspection_findings for every unit a command runs on (broken units are left to the caller,
    which reports their errors); across units each finding names its unit."""
    return tuple(finding for run in runs if run.dataset is not None and run.evaluation is not None
                 and not run.broken
                 for finding in inspection_findings(run.dataset, run.evaluation, grace,
                                                    run.name if multi else None))
