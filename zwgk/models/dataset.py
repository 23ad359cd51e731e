"""A loaded data folder as the rules see it: items, where each was defined, the journal, the calendar."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from zwgk.models.journal import JournalEntry, corrected
from zwgk.models.plan import (
    Column,
    Conflict,
    DeadlineRule,
    EventRule,
    OngoingRule,
    OwnersFile,
    PeriodicRule,
    Settings,
    Task,
    UnspecifiedRule,
)

# --- the loaded dataset ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int  # 1-based
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


ItemKind = Literal["task", "column", "obligation"]


@dataclass(frozen=True)
class Item:
    """A task or a website column, seen the same way by the rules and the renderers."""

    id: str
    kind: ItemKind
    title: str
    path: tuple[str, ...]
    lead: tuple[str, ...]
    responsible: tuple[str, ...]  # tasks: 责任处室; columns: 配合责任单位
    requirement: str | None  # the verbatim deadline phrase or refresh requirement
    rule: DeadlineRule | PeriodicRule | OngoingRule | EventRule | UnspecifiedRule
    text: str | None = None
    note: str | None = None
    conflicts: tuple[Conflict, ...] = ()
    unit: str | None = None  # set when several units are shown together
    source: Location | None = None  # where the item is defined (its YAML entry)

    @property
    def ref(self) -> str:
        """The id as shown: unit-qualified (合肥/C12) when several units are shown together."""
        return f"{self.unit}/{self.id}" if self.unit else self.id

    @classmethod
    def from_task(cls, task: Task, source: Location | None = None) -> Item:
        return cls(
            id=task.id,
            kind="task",
            title=task.title,
            path=(),
            lead=task.lead,
            responsible=task.responsible,
            requirement=task.deadline,
            rule=task.rule,
            text=task.text,
            note=task.note,
            conflicts=task.conflicts,
            source=source,
        )

    @classmethod
    def from_column(cls, column: Column, source: Location | None = None) -> Item:
        return cls(
            id=column.id,
            kind="column",
            title="/".join(column.path),
            path=column.path,
            lead=column.lead,
            responsible=column.cooperating,
            requirement=column.requirement,
            rule=column.rule,
            note=column.note,
            source=source,
        )


JournalRead = Callable[[], tuple[tuple[JournalEntry, ...], Mapping[str, Location]]]
# The corrected entries dated on or after a day, known without reading the journal (a snapshot
# keeps those the weekly report needs): that day, and how to make them.
RecentEntries = tuple[date, Callable[[], Sequence[JournalEntry]]]


class JournalRecords:
    """A unit's journal entries and the line each was read from.

    Given outright by a load; given as a function when the rest of the dataset came from a
    snapshot (snapshot.py), so that `status` on a ten-year journal does not read it at all and
    `show` reads it on first use; and the weekly report, which looks only at recent entries,
    takes them from `recent` when the snapshot kept them."""

    __slots__ = ("_corrected", "_entries", "_locations", "_read", "_recent")

    def __init__(self, entries: tuple[JournalEntry, ...] = (),
                 locations: Mapping[str, Location] | None = None, read: JournalRead | None = None,
                 recent: RecentEntries | None = None):
        self._entries, self._locations, self._read = entries, locations or {}, read
        self._corrected: tuple[JournalEntry, ...] | None = None
        self._recent = recent

    def since(self, day: date) -> tuple[JournalEntry, ...]:
        """The corrected entries dated on or after `day`, in the corrected view's order: from the
        kept recent entries when they reach back that far and the journal is not read yet."""
        if self._read is not None and self._recent is not None and day >= self._recent[0]:
            return tuple(entry for entry in self._recent[1]() if entry.date >= day)
        return tuple(entry for entry in self.entries if entry.date >= day)

    def _loaded(self) -> None:
        if self._read is not None:
            self._entries, self._locations = self._read()
            self._read = None

    @property
    def entries(self) -> tuple[JournalEntry, ...]:
        """The corrected view: what every rule and report judges by (voids and amends applied)."""
        if self._corrected is None:
            self._corrected = corrected(self.written)
        return self._corrected

    @property
    def written(self) -> tuple[JournalEntry, ...]:
        """Every line as written, corrections included, in file order (show and log)."""
        self._loaded()
        return self._entries

    @property
    def locations(self) -> Mapping[str, Location]:
        self._loaded()
        return self._locations

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JournalRecords):
            return NotImplemented
        return self.written == other.written and dict(self.locations) == dict(other.locations)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Dataset:
    """Everything zwgk knows about one unit: its plan, its owners and its journal."""

    settings: Settings
    owners: OwnersFile
    items: tuple[Item, ...]
    records: JournalRecords = field(default_factory=JournalRecords)
    calendar: CalendarData = field(default_factory=lambda: CalendarData())
    inherits: Inheritance | None = None  # set when settings.follows another unit's catalogue
    entries: Mapping[str, Task | Column] = field(default_factory=dict)  # the plan's models by id

    @property
    def journal(self) -> tuple[JournalEntry, ...]:
        """The journal as the rules judge it: corrections applied (models/journal.corrected)."""
        return self.records.entries

    @property
    def journal_as_written(self) -> tuple[JournalEntry, ...]:
        """Every journal line as written, corrections included (show, log, an inspector)."""
        return self.records.written

    @property
    def journal_locations(self) -> Mapping[str, Location]:
        """Journal entry id → the line it was read from."""
        return self.records.locations

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    @property
    def locations(self) -> dict[str, Location]:
        """Item id → its YAML entry (each item carries its own `source`)."""
        return {item.id: item.source for item in self.items if item.source is not None}


@dataclass(frozen=True)
class Inheritance:
    """How a following unit's catalogue was resolved from its parent's."""

    parent: str  # the parent's data folder, as shown
    inherited: tuple[str, ...]
    overridden: tuple[str, ...]
    dropped: tuple[str, ...]
    added: tuple[str, ...]


def require_date(value: object, what: str) -> date:
    # datetime is a date subclass but never equals a date, so it would silently
    # miss every lookup; and which calendar day an instant is depends on the time
    # zone, which is the caller's decision, not ours.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True)
class DayOverride:
    """The bureau's own ruling on one day; wins over the ``holidays`` package."""

    day: date
    working: bool  # True: a working day (e.g. a make-up Saturday); False: a day off
    name: str = ""  # e.g. "国庆节" or "国庆节调休上班"

    def __post_init__(self) -> None:
        require_date(self.day, "DayOverride.day")
        # A truthy string such as "false" from a hand-made mapping must not
        # silently become a working day.
        if not isinstance(self.working, bool):
            raise TypeError(f"DayOverride.working must be bool, not {type(self.working).__name__}")
        if not isinstance(self.name, str):
            raise TypeError(f"DayOverride.name must be str, not {type(self.name).__name__}")


@dataclass(frozen=True)
class CalendarData:
    """The office's corrections to the working-day calendar, from calendar.yaml."""

    overrides: tuple[DayOverride, ...] = ()
    official_years: tuple[int, ...] = ()
