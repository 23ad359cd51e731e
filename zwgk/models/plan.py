"""The plan files' models: owners and groups, deadline rules, tasks, columns, settings, workspaces.

Pydantic models, frozen and strict about unknown keys, so a typo in a hand-edited file
surfaces as an error instead of being silently ignored. No I/O happens here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

Text = Annotated[str, Strict(), StringConstraints(min_length=1)]
# The days zwgk counts in: the calendar's data and Python's dates reach far wider, but a date
# outside these years in a plan or a journal is a typo, and bounding it here keeps every sum
# of a date and a window inside what date arithmetic can hold.
FIRST_DAY = date(1950, 1, 1)
LAST_DAY = date(2100, 12, 31)
MAX_WINDOW = 8784  # hours in a leap year: no openness window is longer


def in_years(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"日期 {value} 超出可计算的范围 {FIRST_DAY}—{LAST_DAY} (date out of range)")
    return value


def _window(value: int) -> int:
    if value > MAX_WINDOW:
        raise ValueError(f"时限 {value} 过大,最多 {MAX_WINDOW}(一年的小时数)(window too large)")
    return value


Day = Annotated[date, Strict(), AfterValidator(in_years)]
Count = Annotated[int, Strict(), Field(ge=0)]
Window = Annotated[int, Strict(), Field(ge=0), AfterValidator(_window)]
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
    return text.replace(" ", "").replace("\u3000", "").replace("\uff08", "(").replace("\uff09", ")").upper()


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
    """A one-off deliverable, optionally followed by an ongoing duty (…底 长期坚持); `review` makes
    that duty periodic from the period after the deliverable (自2017年起…纳入年度考核: yearly)."""

    kind: Literal["deadline"]
    due: Day
    then: Literal["ongoing"] | None = None
    review: Cycle | None = None

    @model_validator(mode="after")
    def _review_follows_ongoing(self) -> DeadlineRule:
        if self.review is not None and self.then != "ongoing":
            raise ValueError("review 只用于 then: ongoing 之后的持续职责 (review needs then: ongoing)")
        return self


class PeriodicRule(Model):
    """At least one update in every calendar period; `by` moves a yearly due date forward."""

    kind: Literal["periodic"]
    cycle: Cycle
    by: Annotated[str, Strict()] | None = None
    # The office's own due date for a given year, when the source ties it to an event whose dates
    # vary (每年省人代会期间: the session's last day, once announced); wins over `by` that year.
    dates: tuple[Day, ...] | None = None

    @model_validator(mode="after")
    def _one_date_a_year(self) -> PeriodicRule:
        if self.dates and self.cycle != "year":
            raise ValueError("dates 只用于 cycle: year (dates need a yearly cycle)")
        years = [day.year for day in self.dates or ()]
        if len(set(years)) != len(years):
            raise ValueError("dates 中每年只能有一个日期 (one date a year)")
        return self

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
    amount: Window
    direction: Literal["after", "before"] = "after"
    complex_amount: Window | None = None
    target_hours: Window | None = None
    # The named happening (事件类型) this duty runs from: one `zwgk event 重大舆情` starts every
    # duty that names it, with one shared event id (B06's 5 h statement and B07's 24 h briefing).
    happening: Text | None = None
    # The department an event lands on when the duty's lead is a whole group (对应各处室) and
    # `--dept` is not given; without it such an event asks for --dept.
    dept: Text | None = None


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


# How the national spot check (《政府网站与政务新媒体检查指标》, 国办秘函〔2019〕19号) reads a
# column: its rolling look-back window comes from the category (zwgk/rules/inspection.py), the
# reading says why the column was put there, as a deadline's `note` says how it was read.
InspectionCategory = Literal["dynamic", "notice", "policy", "personnel_plan", "interaction", "other"]


class Inspection(Model):
    """A column's inspection category (动态要闻类 2 周, 通知公告/政策文件类 6 个月, 人事/规划计划类
    1 年, 政务咨询类 the interaction rules, other: no rolling window) and the reading behind it."""

    category: InspectionCategory
    reading: Text


class MessageDuty(Model):
    """Marks a task as the reply window for public messages (留言): its unanswered events are
    what the spot check's interaction veto (互动回应差) counts."""

    category: Literal["interaction"]
    reading: Text


# --- plan items ---------------------------------------------------------------------------


class Task(Model):
    id: ItemId
    source: Literal["annex1", "body", "cover"]  # cover: the letter sending the draft for comments
    section: Text | None = None
    title: Text
    text: Text
    lead: tuple[Text, ...] = ()
    responsible: tuple[Text, ...] = ()
    deadline: Text | None = None
    rule: Rule
    note: Text | None = None
    conflicts: tuple[Conflict, ...] = ()
    inspection: MessageDuty | None = None  # a reply window for public messages (zwgk inspect)

    @field_validator("inspection")
    @classmethod
    def _replies_need_events(cls, value: MessageDuty | None, info: ValidationInfo) -> MessageDuty | None:
        if value is not None and not isinstance(info.data.get("rule"), EventRule | None):
            raise ValueError("inspection 只用于事件类职责(rule 写 kind: event,每条留言登记为一个事件)"
                             " (a reply window needs an event rule)")
        return value


class Column(Model):
    id: ItemId
    path: Annotated[tuple[Text, ...], Field(min_length=1, max_length=2)]
    lead: tuple[Text, ...] = ()
    cooperating: tuple[Text, ...] = ()
    requirement: Text | None = None
    rule: Rule
    merged: Annotated[bool, Strict()] = False
    note: Text | None = None
    inspection: Inspection | None = None  # the spot check's reading of this column (zwgk inspect)


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
    backfill_days: Count = 7  # an entry written more than this many days after its date is 补录
    follows: Text | None = None  # another unit's data folder whose catalogue this unit inherits
