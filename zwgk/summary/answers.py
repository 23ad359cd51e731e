"""What each command answers, as one frozen value handed to whichever renderer the format names.

A command asks the core, puts the result here, and looks its renderer up in the format registry
(zwgk/report/registry.py); every renderer of a view takes the same answer, so a new format for
a command is one function that reads this value — no command body changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zwgk.errors import Diagnostic
    from zwgk.load import LoadResult
    from zwgk.models import Dataset, JournalEntry
    from zwgk.rules.engine import Evaluation, ItemStatus
    from zwgk.summary.agenda import AgendaRow
    from zwgk.summary.gate import GateResult
    from zwgk.summary.inspection import InspectionFinding
    from zwgk.summary.ledger import LateEntry, LineFacts
    from zwgk.summary.units import UnitRow, UnitRun
    from zwgk.summary.views import DepartmentRow, Held, UpcomingRow


@dataclass(frozen=True)
class StatusAnswer:
    """`status` for one unit: the counts, the department table, the worst overdue items."""

    dataset: Dataset
    evaluation: Evaluation
    rows: tuple[DepartmentRow, ...]
    overdue: tuple[Held, ...]


@dataclass(frozen=True)
class UnitsStatusAnswer:
    """`status` across units: the units ranked, their combined evaluation, every overdue item."""

    runs: tuple[UnitRun, ...]
    ranking: tuple[UnitRow, ...]
    combined: Evaluation
    overdue: tuple[Held, ...]


@dataclass(frozen=True)
class OverdueAnswer:
    runs: tuple[UnitRun, ...]
    as_of: date
    held: tuple[Held, ...]  # earliest due first
    owner: str | None  # the canonical --dept, or None for everyone


@dataclass(frozen=True)
class UpcomingAnswer:
    runs: tuple[UnitRun, ...]
    as_of: date
    rows: tuple[UpcomingRow, ...]  # soonest first
    owner: str | None
    days: int


@dataclass(frozen=True)
class AgendaAnswer:
    runs: tuple[UnitRun, ...]
    as_of: date
    month: str  # YYYY-MM
    rows: tuple[AgendaRow, ...]  # overdue first, then by due date
    owner: str | None


@dataclass(frozen=True)
class ShowAnswer:
    dataset: Dataset
    evaluation: Evaluation
    status: ItemStatus
    history: tuple[JournalEntry, ...]  # newest first, every line as written (corrections too)
    obligations: tuple[ItemStatus, ...]  # the item's event obligations
    facts: Mapping[str, LineFacts] = field(default_factory=dict)


@dataclass(frozen=True)
class LogAnswer:
    dataset: Dataset
    entries: tuple[JournalEntry, ...]  # newest first, every line as written (corrections too)
    facts: Mapping[str, LineFacts] = field(default_factory=dict)  # corrected? backfilled?


@dataclass(frozen=True)
class UnitCheck:
    """One data folder as `validate` read it: its load and every diagnostic found."""

    name: str | None  # the unit's name in a workspace; None for a lone folder
    folder: str  # as shown
    result: LoadResult
    found: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class ValidateAnswer:
    units: tuple[UnitCheck, ...]


@dataclass(frozen=True)
class CheckAnswer:
    result: GateResult
    as_of: date
    warn_days: int
    late: tuple[LateEntry, ...] = ()  # backfilled lines: warnings, or failures with --fail-on backfilled
    units: tuple[str, ...] = ()  # the units checked, by name (a JUnit suite each)
    inspection: tuple[InspectionFinding, ...] = ()  # check --inspect: vetoes tripped or near (failures)

    @property
    def failures(self) -> int:
        """What fails the gate: items, backfilled lines (with --fail-on backfilled), vetoes."""
        return (self.result.counts["fail"] + sum(entry.failed for entry in self.late)
                + len(self.inspection))
