"""The data model: what the plan files (settings, owners, tasks, columns) and the journal hold.

Pydantic models, frozen and strict about unknown keys, so a typo in a hand-edited file
surfaces as an error instead of being silently ignored. No I/O happens here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    TypeAdapter,
    field_validator,
)

Text = Annotated[str, Strict(), StringConstraints(min_length=1)]
Day = Annotated[date, Strict()]
Count = Annotated[int, Strict(), Field(ge=0)]
Cycle = Literal["month", "quarter", "half_year", "year"]
OwnerKind = Literal["department", "sub_unit", "unit", "role", "body", "city_bureau"]
ItemId = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Z][0-9]{2,}$")]

_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- owners -----------------------------------------------------------------------------


class Owner(Model):
    name: Text
    kind: OwnerKind
    aliases: tuple[Text, ...] = ()
    part_of: Text | None = None
    note: Text | None = None


class Group(Model):
    name: Text
    members: tuple[Text, ...]
    aliases: tuple[Text, ...] = ()
    note: Text | None = None


class OwnersFile(Model):
    owners: tuple[Owner, ...] = ()
    groups: tuple[Group, ...] = ()


def normalise_name(text: str) -> str:
    """Spaces and full-width brackets vary in hand-typed names: 政策解读 (上级) = 政策解读(上级)."""
    return text.replace(" ", "").replace("\u3000", "").replace("(", "(").replace(")", ")").upper()


def canonical_owners(owners: OwnersFile) -> dict[str, str]:
    """Every accepted spelling (name or alias, normalised) → the canonical owner or group name."""
    names: dict[str, str] = {}
    entries: list[Owner | Group] = [*owners.owners, *owners.groups]
    for entry in entries:
        names.setdefault(normalise_name(entry.name), entry.name)
        for alias in entry.aliases:
            names.setdefault(normalise_name(alias), entry.name)
    return names


# --- rules: the structured reading of a deadline phrase ---------------------------------


class DeadlineRule(Model):
    """A one-off deliverable, optionally followed by an ongoing duty (…底 长期坚持)."""

    kind: Literal["deadline"]
    due: Day
    then: Literal["ongoing"] | None = None


class PeriodicRule(Model):
    """At least one update in every calendar period; `by` moves a yearly due date forward."""

    kind: Literal["periodic"]
    cycle: Cycle
    by: Annotated[str, Strict()] | None = None

    @field_validator("by")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is not None:
            if not _MONTH_DAY.match(value):
                raise ValueError("by 应写成 \"MM-DD\",如 \"10-31\" (by must be \"MM-DD\")")
            month, day = (int(part) for part in value.split("-"))
            try:
                date(2023, month, day)  # a non-leap year: 02-29 would be due only every 4 years
            except ValueError:
                raise ValueError(f"不存在的日期 {value} (impossible month-day)") from None
        return value


class OngoingRule(Model):
    """长期坚持: no date; an optional review cycle turns it into a periodic duty."""

    kind: Literal["ongoing"]
    review: Cycle | None = None


class EventRule(Model):
    """A duty that runs from an event: same day, N working days after/before, N hours after."""

    kind: Literal["event"]
    trigger: Text
    unit: Literal["same_day", "working_days", "hours"]
    amount: Count
    direction: Literal["after", "before"] = "after"
    complex_amount: Count | None = None
    target_hours: Count | None = None


class UnspecifiedRule(Model):
    """The source gives no window (及时, 省政府统一部署, …): tracked, never judged late."""

    kind: Literal["unspecified"]
    reason: Text


Rule = Annotated[
    DeadlineRule | PeriodicRule | OngoingRule | EventRule | UnspecifiedRule,
    Field(discriminator="kind"),
]


class Conflict(Model):
    """Another phrase in the source for the same duty, kept verbatim beside its reading."""

    phrase: Text
    where: Text
    rule: Rule | None = None


# --- plan items ---------------------------------------------------------------------------


class Task(Model):
    id: ItemId
    source: Literal["annex1", "body"]
    section: Text | None = None
    title: Text
    text: Text
    lead: tuple[Text, ...] = ()
    responsible: tuple[Text, ...] = ()
    deadline: Text | None = None
    rule: Rule
    note: Text | None = None
    conflicts: tuple[Conflict, ...] = ()


class Column(Model):
    id: ItemId
    path: Annotated[tuple[Text, ...], Field(min_length=1, max_length=2)]
    lead: tuple[Text, ...] = ()
    cooperating: tuple[Text, ...] = ()
    requirement: Text | None = None
    rule: Rule
    merged: Annotated[bool, Strict()] = False
    note: Text | None = None


class TasksFile(Model):
    tasks: tuple[Task, ...] = ()


class ColumnsFile(Model):
    columns: tuple[Column, ...] = ()


class UnitRef(Model):
    name: Text
    data: Text  # the unit's data folder, relative to the workspace file


class WorkspaceFile(Model):
    """zwgk.yaml: the units shown together, e.g. a province and its cities."""

    units: Annotated[tuple[UnitRef, ...], Field(min_length=1)]


class Settings(Model):
    unit: Text
    source: Text | None = None
    tracking_since: Day
    warn_days: Count = 14
    follows: Text | None = None  # another unit's data folder whose catalogue this unit inherits



# --- the journal --------------------------------------------------------------------------

_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _iso_date(value: object) -> object:
    """Journal dates are ISO strings in JSON; refuse numbers, which pydantic would read as epochs."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, date):
        return value
    raise ValueError("应为日期 YYYY-MM-DD (expected an ISO date)")


JournalDay = Annotated[date, BeforeValidator(_iso_date)]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the journal: a record (work done) or an event (starts an obligation).

    A slotted dataclass rather than a pydantic model: a province's ten years hold 200,000 of
    them, and a model instance costs about twice the memory and time. pydantic still validates
    every line into it (`journal_adapter`), with unknown keys refused as in the plan files.
    """

    __pydantic_config__ = ConfigDict(extra="forbid")

    id: Text
    type: Literal["record", "event"]
    item: ItemId
    date: JournalDay
    at: Text  # when the line was written (ISO datetime, Asia/Shanghai)
    time: Annotated[str, Strict(), StringConstraints(pattern=_HH_MM.pattern)] | None = None
    by: Text | None = None
    url: Text | None = None
    note: Text | None = None
    title: Text | None = None
    dept: Text | None = None
    complex: Annotated[bool, Strict()] = False
    event: Text | None = None  # a record that fulfils a named event


JOURNAL_FIELDS = tuple(f.name for f in fields(JournalEntry))


@lru_cache(maxsize=1)
def journal_adapter() -> TypeAdapter[JournalEntry]:
    """The validator for one journal line, built on first use."""
    return TypeAdapter(JournalEntry)


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


class JournalRecords:
    """A unit's journal entries and the line each was read from.

    Given outright by a load; given as a function when the rest of the dataset came from a
    snapshot (snapshot.py), so that `status` on a ten-year journal does not read it at all and
    `show` or the weekly report read it on first use."""

    __slots__ = ("_entries", "_locations", "_read")

    def __init__(self, entries: tuple[JournalEntry, ...] = (),
                 locations: Mapping[str, Location] | None = None, read: JournalRead | None = None):
        self._entries, self._locations, self._read = entries, locations or {}, read

    def _loaded(self) -> None:
        if self._read is not None:
            self._entries, self._locations = self._read()
            self._read = None

    @property
    def entries(self) -> tuple[JournalEntry, ...]:
        self._loaded()
        return self._entries

    @property
    def locations(self) -> Mapping[str, Location]:
        self._loaded()
        return self._locations

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JournalRecords):
            return NotImplemented
        return self.entries == other.entries and dict(self.locations) == dict(other.locations)

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
        return self.records.entries

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

