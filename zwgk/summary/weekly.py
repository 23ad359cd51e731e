"""The weekly report, computed once: (dataset, evaluation, period) → frozen facts.

Pure, like `views`: no I/O, no clock, no printing. Every number a renderer shows (md, html, xlsx,
csv, json, ics) is decided here, and the counts come from `views` over the same `Evaluation` that
`zwgk status --json` uses, so the weekly report can never disagree with the dashboard.

Readings where the issue text is silent (all documented in the report's JSON schema too):
- The period is inclusive, Monday to Sunday for an ISO week. Journal lines count only up to
  as-of (`activity_end`), the way `--as-of` replays the past everywhere else.
- "Newly overdue" = overdue at as-of and its first overdue day (due + 1) falls in the period;
  "still overdue" = the other overdue items. Together they are exactly the headline overdue count.
- With a department, every section (counts included) covers only the items it holds, as
  `zwgk overdue --dept` counts them; the appendix of source gaps is always whole.
- The calendar lists, from as-of to as-of + N months: open one-off deadlines, open event
  obligations, and for refresh (and review) cycles the due date of every period in the window,
  not only the next one. Deadlines already past (the overdue) are in the report, not the calendar.
- The trend compares this week's overdue count (at as-of, the headline) with each of the four
  weeks before the period, each judged at its last day (a Sunday for ISO weeks) by the same
  engine over the same loaded dataset: four more evaluations, no second reading of any file.
  With a department, each point counts only what it holds then, as the headline does now.
- A department "leads" an overdue item when it is that item's lead, itself, through a sub-unit or
  through a group (`views.department_row`'s lead_overdue); the chart shows those, not everything
  it shares through 各处室.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal, get_args

from zwgk.dates.periods import Period, period_of
from zwgk.dates.weeks import ReportPeriod, report_period, week_of
from zwgk.errors import Diagnostic
from zwgk.models import UPDATES, Cycle, Dataset, Item, JournalEntry, PeriodicRule
from zwgk.rules.engine import Evaluation, ItemStatus, Status, due_of, evaluate, records_by_item
from zwgk.rules.owners import Holding, holdings
from zwgk.summary.ledger import is_backfilled
from zwgk.summary.views import (
    Held,
    UpcomingRow,
    department_row,
    department_rows,
    overdue,
    status_counts,
    upcoming,
)

UPCOMING_DAYS = 14
GRID_MONTHS = 12
GAP_CODES = ("gap-no-owner", "gap-unspecified", "gap-conflict")
TREND_WEEKS = 4  # earlier weeks the trend shows beside this one

ColumnState = Literal["met", "not_yet", "missed", "untracked"]


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """A journal line dated in the period: work done (record) or an event that starts a duty."""

    entry: JournalEntry
    item: Item | None  # None for a line about an item no longer in the plan
    unit: str | None = None  # set when several units are shown together
    backfilled: bool = False  # written more than backfill_days after its date (补录)

    @property
    def fulfils(self) -> str | None:
        return self.entry.event

    @property
    def ref(self) -> str:
        """The item's id as shown: unit-qualified (合肥/C12) when several units are shown together."""
        return f"{self.unit}/{self.entry.item}" if self.unit else self.entry.item


@dataclass(frozen=True)
class DepartmentLine:
    name: str
    overdue: int
    due_soon: int
    done_in_period: int  # journal records (completions and updates) in the period
    lead_overdue: int
    total: int
    counts: tuple[tuple[Status, int], ...]
    lead_overdue_items: tuple[str, ...] = ()  # the refs counted in lead_overdue, oldest due first


@dataclass(frozen=True)
class TrendPoint:
    """The overdue count of one week, judged at `day` (its last day, or as-of for this week)."""

    key: str  # 2026-W47 (the ISO week of `day`)
    day: date
    overdue: int
    current: bool = False  # this report's own week


@dataclass(frozen=True)
class MonthCell:
    month: str  # 2026-11
    state: ColumnState  # the state of the column's own period that contains this month


@dataclass(frozen=True)
class ColumnFreshness:
    """A website column with a refresh cycle, judged in its own cycle at as-of."""

    status: ItemStatus
    cycle: Cycle
    period: Period  # the cycle's period containing as-of
    due: date  # when the current period's update is due
    state: ColumnState
    missed: tuple[Period, ...]  # missed periods that overlap the last 12 months
    months: tuple[MonthCell, ...]  # GRID_MONTHS cells, oldest first, ending with as-of's month


@dataclass(frozen=True)
class Gap:
    """A defect of the source document itself (no owner, no window, contradictions)."""

    code: str
    item: str | None
    message: str
    where: str


@dataclass(frozen=True)
class ItemLine:
    status: ItemStatus
    holding: Holding | None
    newly_overdue: bool
    records_in_period: int


@dataclass(frozen=True)
class WeeklyReport:
    unit: str
    as_of: date
    tracking_since: date
    warn_days: int
    dept: str | None
    period: ReportPeriod
    activity_end: date  # min(period.end, as_of): journal lines after as-of are not known yet
    counts: tuple[tuple[Status, int], ...]  # every Status, in enum order
    newly_overdue: tuple[Held, ...]
    still_overdue: tuple[Held, ...]
    upcoming: tuple[UpcomingRow, ...]
    upcoming_days: int
    activity: tuple[Activity, ...]
    departments: tuple[DepartmentLine, ...]
    columns: tuple[ColumnFreshness, ...]
    grid_months: tuple[str, ...]
    gaps: tuple[Gap, ...]
    items: tuple[ItemLine, ...]
    trend: tuple[TrendPoint, ...] = ()  # the TREND_WEEKS weeks before the period, oldest first, then this one

    def count(self, status: Status) -> int:
        return dict(self.counts)[status]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def missed(self) -> tuple[tuple[ColumnFreshness, Period], ...]:
        """Every missed period of the last 12 months, column by column, oldest first."""
        return tuple((c, p) for c in self.columns for p in c.missed)


Judge = Callable[[date], Sequence[ItemStatus]]  # a unit's overdue statuses at the end of a day


def build_weekly(
    dataset: Dataset, evaluation: Evaluation, start: date, end: date, dept: str | None = None,
    diagnostics: Iterable[Diagnostic] = (), unit: str | None = None, judge: Judge | None = None,
) -> WeeklyReport:
    """The weekly report for [start, end] (inclusive) as seen at the evaluation's as-of; dept is a
    canonical name. `unit` names the unit in a workspace: the report is titled by it, and the
    evaluation given is that unit's, every id qualified (summary.units.tagged_evaluation).

    `judge` gives the dataset's overdue statuses at the end of an earlier day (the trend's
    week-ends): by default the engine, run again; a caller with a store of judgements may
    answer from it."""
    as_of = evaluation.as_of
    period = report_period(start, end)
    held = holdings(dataset, dept, (s.item for s in evaluation.statuses)) if dept else None
    mine = _restricted(evaluation, held)
    counts = status_counts(mine)
    activity_end = min(end, as_of)

    all_overdue = overdue(dataset, evaluation, dept)
    newly = tuple(h for h in all_overdue if _became_overdue_in(h.status, start, end))
    still = tuple(h for h in all_overdue if not _became_overdue_in(h.status, start, end))
    activity = _activity(dataset, held, start, activity_end, unit)
    records = Counter(a.entry.item for a in activity if a.entry.type in UPDATES)
    newly_ids = {h.status.item.id for h in newly}
    items = tuple(
        ItemLine(s, held.get(s.item.id) if held else None, s.item.id in newly_ids,
                 records.get(s.item.id, 0))
        for s in mine.statuses
    )
    return WeeklyReport(
        unit=unit or dataset.settings.unit, as_of=as_of, tracking_since=evaluation.tracking_since,
        warn_days=evaluation.warn_days, dept=dept, period=period, activity_end=activity_end,
        counts=tuple((status, counts.get(status, 0)) for status in Status),
        newly_overdue=newly, still_overdue=still,
        upcoming=tuple(upcoming(dataset, evaluation, UPCOMING_DAYS, dept)),
        upcoming_days=UPCOMING_DAYS,
        activity=activity,
        departments=_departments(dataset, evaluation, dept, activity),
        columns=_columns(dataset, mine, as_of),
        grid_months=_grid_months(as_of),
        gaps=_gaps(dataset, diagnostics, unit),
        items=items,
        trend=(*_earlier_weeks(dataset, evaluation, start, dept, judge),
               TrendPoint(period.key if period.is_week else week_of(as_of).key, as_of,
                          counts.get(Status.OVERDUE, 0), current=True)),
    )


def _earlier_weeks(dataset: Dataset, evaluation: Evaluation, start: date,
                   dept: str | None, judge: Judge | None = None) -> tuple[TrendPoint, ...]:
    """The overdue count at the last day of each of the TREND_WEEKS weeks before `start`."""
    found = []
    for back in range(TREND_WEEKS, 0, -1):
        day = start - timedelta(days=1 + 7 * (back - 1))
        late = list(judge(day) if judge is not None
                    else evaluate(dataset, day, evaluation.warn_days).with_status(Status.OVERDUE))
        if dept is not None:
            held = holdings(dataset, dept, (s.item for s in late))
            late = [s for s in late if s.item.id in held]
        found.append(TrendPoint(week_of(day).key, day, len(late)))
    return tuple(found)


def _restricted(evaluation: Evaluation, held: dict[str, Holding] | None) -> Evaluation:
    if held is None:
        return evaluation
    return replace(evaluation, statuses=tuple(s for s in evaluation.statuses if s.item.id in held))


def _became_overdue_in(status: ItemStatus, start: date, end: date) -> bool:
    """Its first overdue day lies in the period: the day after the due date, or for an hour
    window (judged by the clock) the due day itself."""
    if status.due is None:
        return False
    by_the_hour = status.obligation is not None and status.obligation.due_time is not None
    return start <= status.due + timedelta(days=0 if by_the_hour else 1) <= end


def _activity(
    dataset: Dataset, held: dict[str, Holding] | None, start: date, end: date, unit: str | None = None
) -> tuple[Activity, ...]:
    """Journal lines dated in [start, end]; with a department, those about what it holds."""
    items = {item.id: item for item in dataset.items}
    late = dataset.settings.backfill_days
    found = []
    for entry in dataset.records.since(start):
        if entry.date > end or entry.type == "probe":  # a page's state is no update
            continue
        if held is not None and not (entry.item in held or entry.id in held
                                     or (entry.event is not None and entry.event in held)):
            continue
        found.append(Activity(entry, items.get(entry.item), unit, is_backfilled(entry, late)))
    found.sort(key=lambda a: (a.entry.date, a.entry.time or "", a.entry.at, a.entry.id))
    return tuple(found)


def _departments(
    dataset: Dataset, evaluation: Evaluation, dept: str | None, activity: Sequence[Activity]
) -> tuple[DepartmentLine, ...]:
    rows = department_rows(dataset, evaluation)
    if dept is not None:
        rows = [r for r in rows if r.name == dept] or [department_row(dataset, evaluation, dept)]
    late = overdue(dataset, evaluation)  # oldest due first
    lines = []
    for row in rows:
        done = sum(1 for a in activity if a.entry.type in UPDATES and a.entry.item in row.items)
        led = tuple(h.status.item.ref for h in late if h.status.item.id in row.led_overdue)
        lines.append(DepartmentLine(
            row.name, row.counts[Status.OVERDUE], row.counts[Status.DUE_SOON], done, row.lead_overdue,
            row.total, tuple((status, row.counts.get(status, 0)) for status in Status), led))
    return tuple(lines)


def _grid_months(as_of: date) -> tuple[str, ...]:
    return tuple(f"{d.year}-{d.month:02d}" for d in _month_starts(as_of))


def _month_starts(as_of: date) -> list[date]:
    index = as_of.year * 12 + as_of.month - 1
    return [date((i // 12), i % 12 + 1, 1) for i in range(index - GRID_MONTHS + 1, index + 1)]


def journal_from(as_of: date, start: date) -> date:
    """The earliest journal date the report for a period beginning `start`, seen at `as_of`,
    looks at: the period's own lines, and each column's updates in the periods of its grid (the
    earliest begins with the first grid month's year, for a yearly cycle)."""
    first = _month_starts(as_of)[0]
    return min(start, *(period_of(first, cycle).start for cycle in get_args(Cycle)))


def _columns(dataset: Dataset, evaluation: Evaluation, as_of: date) -> tuple[ColumnFreshness, ...]:
    window = _month_starts(as_of)
    # Only the grid's periods are judged below (_state counts a date from its period's start).
    records = records_by_item(dataset.records.since(journal_from(as_of, window[0])), as_of)
    since = evaluation.tracking_since
    found = []
    for status in evaluation.statuses:
        rule = status.item.rule
        if status.item.kind != "column" or not isinstance(rule, PeriodicRule):
            continue
        dates = records.get(status.item.id, [])
        current = period_of(as_of, rule.cycle)
        found.append(ColumnFreshness(
            status, rule.cycle, current, due_of(current, rule.by, rule.dates or ()),
            _state(current, rule, status, dates, since, as_of),
            tuple(p for p in status.missed if p.end >= window[0]),
            tuple(MonthCell(f"{m.year}-{m.month:02d}",
                            _state(period_of(m, rule.cycle), rule, status, dates, since, as_of))
                  for m in window),
        ))
    found.sort(key=lambda c: c.status.item.id)
    return tuple(found)


def _state(period: Period, rule: PeriodicRule, status: ItemStatus, dates: Sequence[date], since: date,
           as_of: date) -> ColumnState:
    """A period of a refresh cycle as the rules judge it: missed, met, not yet due, or before tracking."""
    due = due_of(period, rule.by, rule.dates or ())
    if due < since:
        return "untracked"
    if period in status.missed:
        return "missed"
    if any(period.start <= d <= min(due, as_of) for d in dates):
        return "met"
    return "not_yet" if as_of <= due else "missed"


def _gaps(dataset: Dataset, diagnostics: Iterable[Diagnostic], unit: str | None = None) -> tuple[Gap, ...]:
    ids = {item.id for item in dataset.items}
    found = []
    for d in diagnostics:
        if d.code not in GAP_CODES:
            continue
        ref = (f"{unit}/{d.item}" if unit else d.item) if d.item in ids else None
        found.append(Gap(d.code, ref, d.message, d.where))
    return tuple(found)


