"""The national spot check, simulated: (dataset, evaluation, check date) → the single-veto
indicators (单项否决) and the deductions (扣分) of 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号),
each with the first day it trips if nothing more is published. Pure; no I/O, no clock.

Windows are rolling, counted back from the check date with dateutil's relativedelta — not
calendar periods: a notice column is fresh on day d when its newest item is dated on or after
d − 6 months (08-31 − 6 months = 02-28, or 02-29 in a leap year). Every journal entry whose type
is in EVIDENCE_TYPES counts as something the column shows; a record without a URL counts too,
marked unverified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from zwgk.models import HOMEPAGE, UPDATES, Dataset, EventRule, Item, JournalEntry, OngoingRule, PeriodicRule
from zwgk.models.plan import Column, Task
from zwgk.rules.engine import Evaluation, ItemStatus, Status, judge_item, records_by_item

# What a column is seen to show: a clerk's record and what `zwgk scan` observed on the page.
EVIDENCE_TYPES = UPDATES  # what every rule counts as an update
# The states a scan writes when a column's page lists nothing (空白栏目), or lists items without a
# publication date (未注明发布时间的视为不更新).
EMPTY_STATE, UNDATED_STATE = "empty", "undated"

WINDOWS: Mapping[str, relativedelta] = {
    "dynamic": relativedelta(weeks=2),  # 动态、要闻类:监测时间点前 2 周
    "notice": relativedelta(months=6),  # 通知公告类:前 6 个月
    "policy": relativedelta(months=6),  # 政策文件类:前 6 个月
    "personnel_plan": relativedelta(years=1),  # 人事、规划计划类:前 1 年(普查口径与商业监测)
}
HOMEPAGE_WINDOW = relativedelta(weeks=2)  # 监测 2 周,首页无信息更新
UNANSWERED = relativedelta(months=3)  # 超过 3 个月未回应有效留言
MESSAGE_LOOKBACK = relativedelta(years=1)  # 监测时间点前 1 年内的留言
REPLY_DEDUCTION_WINDOW = relativedelta(months=2)  # 留言答复 2 个月未更新

NAMES = {
    "stale": "栏目不更新(动态要闻 2 周、通知公告/政策文件 6 个月、人事/规划计划 1 年)",
    "not_updated": "应更新但未更新的栏目",
    "empty": "空白栏目",
    "homepage": "首页 2 周无更新",
    "interaction": "留言超过 3 个月未回应",
}
THRESHOLDS = {"stale": 5, "not_updated": 10, "empty": 5, "homepage": 1, "interaction": 1}


@dataclass(frozen=True)
class ColumnFacts:
    """One column as the inspector sees it on the check date."""

    item: Item
    category: str  # the catalogue's inspection category; "other" when the column has none
    newest: date | None  # the newest evidence dated on or before the check date
    verified: bool  # the newest evidence carries a URL (a record without one is unverified)
    shown: str | None = None  # what the last scan found the page to be, unless published since

    @property
    def shown_empty(self) -> bool:
        return self.shown == EMPTY_STATE


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    threshold: int
    count: int  # on the check date
    items: tuple[str, ...]  # what is counted on the check date (column ids, or message ids)
    trips_on: date | None  # the first day from the check date on which it trips; None: never
    update_first: tuple[str, ...] = ()  # whose staleness trips it soonest, soonest first
    when: tuple[date, ...] = ()  # the day each of update_first goes bad (from the check date)
    relief: tuple[str, ...] = ()  # the fewest of those whose update today pushes trips_on back
    pushed_to: date | None = None  # trips_on once `relief` is updated today (None: never)
    basis: str = ""  # how it was counted, in a sentence

    @property
    def tripped(self) -> bool:
        return self.count >= self.threshold


@dataclass(frozen=True)
class Deduction:
    code: str
    name: str
    points: int
    items: tuple[str, ...]


@dataclass(frozen=True)
class Inspection:
    as_of: date
    indicators: tuple[Indicator, ...]
    deductions: tuple[Deduction, ...]
    columns: tuple[ColumnFacts, ...]
    uncategorised: tuple[str, ...]  # columns without an inspection category (judged as other)

    @property
    def veto(self) -> bool:
        return any(i.tripped for i in self.indicators)

    @property
    def score(self) -> int:
        return 100 - sum(d.points for d in self.deductions)

    @property
    def unverified(self) -> tuple[str, ...]:
        return tuple(c.item.id for c in self.columns if c.newest is not None and not c.verified)


# --- date arithmetic ---------------------------------------------------------------------------


def fresh_on(newest: date | None, day: date, window: relativedelta) -> bool:
    """Something dated within the window counted back from `day`: newest ≥ day − window."""
    return newest is not None and newest >= day - window


def stale_from(newest: date | None, window: relativedelta, as_of: date) -> date:
    """The first day from `as_of` on which nothing is within the window (no evidence: as_of).

    d ↦ d − window never decreases but can stand still at month ends (08-29, 08-30 and 08-31 less
    six months are all 02-28 in a common year), so the day is found by stepping from newest +
    window, which is never past it, rather than by inverting the subtraction."""
    if newest is None:
        return as_of
    day = newest + window
    while fresh_on(newest, day, window):
        day += timedelta(days=1)
    return max(day, as_of)


def nth_day(days: Iterable[tuple[date, str]], n: int) -> date | None:
    """The n-th earliest of the days (1-based), or None when there are fewer."""
    ordered = sorted(days)
    return ordered[n - 1][0] if n >= 1 and len(ordered) >= n else None


# --- the facts ---------------------------------------------------------------------------------


def category_of(entry: Task | Column | None) -> str | None:
    inspection = getattr(entry, "inspection", None)
    return inspection.category if inspection is not None else None


def column_facts(dataset: Dataset, as_of: date) -> tuple[ColumnFacts, ...]:
    newest: dict[str, JournalEntry] = {}
    state: dict[str, tuple[date, str]] = {}
    for entry in dataset.journal:
        if entry.date > as_of:
            continue
        if entry.type in EVIDENCE_TYPES:
            held = newest.get(entry.item)
            if held is None or (entry.date, bool(entry.url)) > (held.date, bool(held.url)):
                newest[entry.item] = entry
        shown = getattr(entry, "state", None)  # a scan's column-state line (zwgk scan)
        if isinstance(shown, str) and (entry.item not in state or entry.date >= state[entry.item][0]):
            state[entry.item] = (entry.date, shown)
    found = []
    for item in dataset.items:
        if item.kind != "column":
            continue
        last = newest.get(item.id)
        # the page as last scanned, unless something was published after that scan
        shown = (state[item.id][1] if item.id in state and (last is None or last.date <= state[item.id][0])
                 else None)
        found.append(ColumnFacts(item, category_of(dataset.entries.get(item.id)) or "other",
                                 last.date if last else None, bool(last and last.url), shown))
    return tuple(found)


# --- the indicators ----------------------------------------------------------------------------


def counted(code: str, as_of: date, bad_from: Mapping[str, date],
            relieve: Mapping[str, date | None], basis: str) -> Indicator:
    """An indicator that trips when `threshold` things are bad at once: each thing's first bad day
    (bad_from), and the first bad day it would have if updated today (relieve; None: never)."""
    threshold = THRESHOLDS[code]
    days = [(day, key) for key, day in bad_from.items()]
    now = tuple(sorted(key for key, day in bad_from.items() if day <= as_of))
    trips_on = nth_day(days, threshold)
    soonest = [(day, key) for day, key in sorted(days) if trips_on is not None and day <= trips_on]
    first = tuple(key for _, key in soonest)
    # To push the day back, fewer than `threshold` things may be bad by it: update that many of
    # them, choosing those an update today keeps good longest (never bad again first).
    def kept(key: str) -> tuple[int, int]:
        again = relieve.get(key)
        return (0, 0) if again is None else (1, -again.toordinal())

    relief = tuple(sorted(first, key=kept)[: len(first) - threshold + 1]) if first else ()
    after = {**bad_from}
    for key in relief:
        again = relieve.get(key)
        if again is None:
            del after[key]
        else:
            after[key] = again
    pushed = nth_day([(day, key) for key, day in after.items()], threshold) if relief else None
    return Indicator(code, NAMES[code], threshold, len(now), now, trips_on, first,
                     tuple(day for day, _ in soonest), relief, pushed, basis)


def stale_columns(facts: Sequence[ColumnFacts], as_of: date) -> Indicator:
    windowed = [f for f in facts if f.category in WINDOWS]
    # a page whose items carry no date is not updated, whatever was recorded before the scan
    bad = {f.item.id: stale_from(None if f.shown == UNDATED_STATE else f.newest, WINDOWS[f.category], as_of)
           for f in windowed}
    relieve = {f.item.id: stale_from(as_of, WINDOWS[f.category], as_of) for f in windowed}
    return counted("stale", as_of, bad, relieve,
                   f"{len(windowed)} 个栏目按滚动窗口判断(从检查日往前数);无证据的栏目算作未更新")


def overdue_from(status: ItemStatus, as_of: date) -> date | None:
    """The first day from as_of a column is overdue under its own refresh rule, if nothing more
    is recorded: today when it already is, else the day after the date its next update is due."""
    if status.status is Status.OVERDUE:
        return as_of
    due = status.next_due or status.due
    return max(due + timedelta(days=1), as_of) if due is not None else None


def refreshed(rule: object) -> bool:
    return isinstance(rule, PeriodicRule) or (isinstance(rule, OngoingRule) and rule.review is not None)


def not_updated(dataset: Dataset, evaluation: Evaluation, facts: Sequence[ColumnFacts],
                as_of: date) -> Indicator:
    """Columns overdue under zwgk's own refresh rules (每半年不少于1次更新 …) — the columns that
    should be updated and are not; an update today is judged again by the same engine."""
    statuses = {s.item.id: s for s in evaluation.statuses if s.item.kind == "column"}
    newest = {f.item.id: f.newest for f in facts}
    recorded = records_by_item(dataset.journal, as_of)
    bad: dict[str, date] = {}
    relieve: dict[str, date | None] = {}
    since, warn = evaluation.tracking_since, evaluation.warn_days
    for item in dataset.items:
        status = statuses.get(item.id)
        if item.kind != "column" or status is None or not refreshed(item.rule):
            continue
        day = overdue_from(status, as_of)
        if day is None:
            continue
        bad[item.id] = day
        records = sorted({*recorded.get(item.id, ()), *([newest[item.id]] if newest[item.id] else ()), as_of})
        relieve[item.id] = overdue_from(judge_item(item, records, as_of, since, warn), as_of)
    return counted("not_updated", as_of, bad, relieve, "按本单位目录中的更新周期,已逾期的栏目")


def empty_columns(facts: Sequence[ColumnFacts], as_of: date) -> Indicator:
    bad = {f.item.id: as_of for f in facts if f.newest is None or f.shown_empty}
    return counted("empty", as_of, bad, dict.fromkeys(bad),
                   "从未有过证据(登记或巡检)的栏目,或巡检发现页面为空的栏目")


def homepage(facts: Sequence[ColumnFacts], as_of: date, shown: date | None = None) -> Indicator:
    """What the homepage showed when `zwgk scan` read it (`shown`: the newest publication date
    seen there up to as_of); without a scan of the homepage, the newest evidence across all
    columns stands for its news: a homepage shows the newest items of its columns."""
    dated = [(f.newest, f.item.id) for f in facts if f.newest is not None]
    newest = (shown, "首页") if shown is not None else max(dated, default=None)
    day = stale_from(newest[0] if newest else None, HOMEPAGE_WINDOW, as_of)
    dynamic = tuple(sorted(f.item.id for f in facts if f.category == "dynamic")) or (
        tuple(sorted(f.item.id for f in facts))[:1])
    basis = (f"首页巡检所见最新发布 {shown}" if shown is not None
             else f"以全部栏目中最新的证据 {newest[0]}({newest[1]})代表首页" if newest
             else "没有任何栏目的证据")
    pushed = stale_from(as_of, HOMEPAGE_WINDOW, as_of)
    return Indicator("homepage", NAMES["homepage"], 1, int(day <= as_of), (), day,
                     dynamic, (day,) * len(dynamic), dynamic[:1], pushed if dynamic else None, basis)


def message_duties(dataset: Dataset) -> tuple[str, ...]:
    """Items whose events are public messages: tasks (or event columns) marked as reply windows
    (`inspection: {category: interaction}`) in the catalogue — B09 and B10 in the bundled data."""
    return tuple(item.id for item in dataset.items
                 if isinstance(item.rule, EventRule)
                 and category_of(dataset.entries.get(item.id)) == "interaction")


def unanswered_from(received: date, as_of: date) -> date | None:
    """The first day from as_of a message received then counts: unanswered more than 3 months,
    and still within the year before the check date (None once it has left that year)."""
    day = stale_from(received, UNANSWERED, as_of)
    return day if received >= day - MESSAGE_LOOKBACK else None


def interaction(dataset: Dataset, evaluation: Evaluation, as_of: date) -> Indicator:
    duties = set(message_duties(dataset))
    bad: dict[str, date] = {}
    for status in evaluation.statuses:
        info = status.obligation
        if info is None or info.parent not in duties or status.status is Status.DONE:
            continue
        day = unanswered_from(info.event_date, as_of)
        if day is not None:
            bad[status.item.id] = day
    return counted("interaction", as_of, bad, dict.fromkeys(bad),
                   f"{'、'.join(sorted(duties)) or '无'} 登记的公众留言,一年内超过 3 个月未答复的")


def deductions(facts: Sequence[ColumnFacts], as_of: date) -> tuple[Deduction, ...]:
    """The deductions zwgk can compute, each taken once (the table caps each indicator's total)."""
    found = []
    policy = tuple(f.item.id for f in facts
                   if f.category == "policy" and not fresh_on(f.newest, as_of, WINDOWS["policy"]))
    if policy:
        found.append(Deduction("policy_stale", "政策文件类栏目 6 个月未更新", 5, policy))
    replies = tuple(f.item.id for f in facts
                    if f.category == "interaction" and not fresh_on(f.newest, as_of, REPLY_DEDUCTION_WINDOW))
    if replies:
        found.append(Deduction("replies_stale", "留言答复 2 个月未更新", 3, replies))
    return tuple(found)


def inspect(dataset: Dataset, evaluation: Evaluation, as_of: date | None = None) -> Inspection:
    """The spot check on `as_of` (default: the evaluation's day), from the evidence up to then."""
    day = evaluation.as_of if as_of is None else as_of
    facts = column_facts(dataset, day)
    indicators = (
        stale_columns(facts, day),
        not_updated(dataset, evaluation, facts, day),
        empty_columns(facts, day),
        homepage(facts, day, max((e.date for e in dataset.journal if e.item == HOMEPAGE
                                  and e.type == "observed" and e.date <= day), default=None)),
        interaction(dataset, evaluation, day),
    )
    missing = tuple(f.item.id for f in facts if category_of(dataset.entries.get(f.item.id)) is None)
    return Inspection(day, indicators, deductions(facts, day), facts, missing)
