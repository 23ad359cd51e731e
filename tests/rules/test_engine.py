"""The rule engine at its boundaries: period ends, leap years, tracking start, replay by as-of."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk.dates.periods import period_of, periods_between
from zwgk.models import (
    DeadlineRule,
    EventRule,
    Item,
    OngoingRule,
    PeriodicRule,
    UnspecifiedRule,
)
from zwgk.rules.engine import Status, judge_item

SINCE = date(2026, 1, 1)


def item(rule, kind="column") -> Item:  # type: ignore[no-untyped-def]
    return Item(id="C01", kind=kind, title="测试", path=("一级", "二级"), lead=("办公室",),
                responsible=(), requirement="原文", rule=rule)


def judge(rule, records=(), as_of=date(2026, 11, 26), since=SINCE, warn=14, kind="column"):  # type: ignore[no-untyped-def]
    return judge_item(item(rule, kind), sorted(records), as_of, since, warn)


HALF = PeriodicRule(kind="periodic", cycle="half_year")
MONTH = PeriodicRule(kind="periodic", cycle="month")
QUARTER = PeriodicRule(kind="periodic", cycle="quarter")
YEAR_BY_OCT = PeriodicRule(kind="periodic", cycle="year", by="10-31")


# --- one-off deadlines -----------------------------------------------------------------------


class TestDeadline:
    rule = DeadlineRule(kind="deadline", due=date(2026, 8, 31))

    def test_on_the_due_day_it_is_not_yet_overdue(self) -> None:
        assert judge(self.rule, as_of=date(2026, 8, 31), kind="task").status is Status.DUE_SOON

    def test_the_day_after_it_is_overdue_by_one_day(self) -> None:
        s = judge(self.rule, as_of=date(2026, 9, 1), kind="task")
        assert (s.status, s.days_overdue, s.due) == (Status.OVERDUE, 1, date(2026, 8, 31))

    def test_the_warning_window_is_inclusive(self) -> None:
        assert judge(self.rule, as_of=date(2026, 8, 17), kind="task").status is Status.DUE_SOON
        assert judge(self.rule, as_of=date(2026, 8, 16), kind="task").status is Status.OPEN

    def test_a_record_makes_it_done_and_remembers_lateness(self) -> None:
        on_time = judge(self.rule, [date(2026, 8, 31)], kind="task")
        late = judge(self.rule, [date(2026, 9, 2)], kind="task")
        assert (on_time.status, on_time.late) == (Status.DONE, False)
        assert (late.status, late.late, late.last) == (Status.DONE, True, date(2026, 9, 2))

    def test_then_ongoing_becomes_ongoing_once_delivered(self) -> None:
        rule = DeadlineRule(kind="deadline", due=date(2026, 12, 31), then="ongoing")
        assert judge(rule, [date(2026, 11, 1)], kind="task").status is Status.ONGOING
        assert judge(rule, kind="task").status is Status.OPEN

    def test_a_deadline_before_tracking_started_is_not_judged(self) -> None:
        old = DeadlineRule(kind="deadline", due=date(2017, 8, 31))
        assert judge(old, kind="task").status is Status.UNTRACKED
        old_then = DeadlineRule(kind="deadline", due=date(2017, 12, 31), then="ongoing")
        assert judge(old_then, kind="task").status is Status.ONGOING


# --- refresh cycles --------------------------------------------------------------------------


class TestRefreshCycle:
    def test_an_update_in_the_current_half_year_is_ok(self) -> None:
        s = judge(HALF, [date(2026, 1, 5), date(2026, 7, 1)])
        assert (s.status, s.due, s.period.key) == (Status.OK, date(2026, 12, 31), "2026-H2")

    def test_no_update_yet_this_period_is_open_until_the_warning_window(self) -> None:
        s = judge(HALF, [date(2026, 3, 1)], as_of=date(2026, 9, 1))
        assert (s.status, s.due) == (Status.OPEN, date(2026, 12, 31))
        assert judge(HALF, [date(2026, 3, 1)], as_of=date(2026, 12, 17)).status is Status.DUE_SOON

    def test_a_missed_period_is_overdue_from_its_last_day(self) -> None:
        s = judge(HALF, [], as_of=date(2026, 7, 1))
        assert (s.status, s.due, s.days_overdue) == (Status.OVERDUE, date(2026, 6, 30), 1)
        assert [p.key for p in s.missed] == ["2026-H1"]

    def test_the_last_day_of_the_period_still_counts(self) -> None:
        s = judge(HALF, [date(2026, 6, 30)], as_of=date(2026, 7, 1))
        assert s.status is Status.OPEN and s.missed == ()

    def test_a_later_update_clears_overdue_but_the_miss_is_kept(self) -> None:
        s = judge(HALF, [date(2026, 8, 1)], as_of=date(2026, 11, 26))
        assert s.status is Status.OK
        assert [p.key for p in s.missed] == ["2026-H1"]

    def test_overdue_points_at_the_oldest_unmade_period(self) -> None:
        s = judge(MONTH, [date(2026, 3, 15)], as_of=date(2026, 6, 2))
        assert (s.status, s.due) == (Status.OVERDUE, date(2026, 4, 30))
        assert [p.key for p in s.missed] == ["2026-01", "2026-02", "2026-04", "2026-05"]

    def test_leap_february_ends_on_the_29th(self) -> None:
        s = judge(MONTH, [date(2028, 1, 10)], as_of=date(2028, 3, 1), since=date(2028, 1, 1))
        assert (s.status, s.due, s.days_overdue) == (Status.OVERDUE, date(2028, 2, 29), 1)
        ok = judge(MONTH, [date(2028, 1, 10), date(2028, 2, 29)], as_of=date(2028, 2, 29),
                   since=date(2028, 1, 1))
        assert ok.status is Status.OK

    def test_quarters_are_calendar_quarters(self) -> None:
        s = judge(QUARTER, [date(2026, 9, 30)], as_of=date(2026, 10, 1))
        assert (s.status, s.due, s.period.key) == (Status.OPEN, date(2026, 12, 31), "2026-Q4")

    def test_periods_before_tracking_start_are_not_judged(self) -> None:
        s = judge(HALF, [], as_of=date(2026, 11, 26), since=date(2026, 7, 1))
        assert (s.status, s.missed) == (Status.OPEN, ())

    def test_as_of_before_tracking_start_is_judged_against_the_first_period(self) -> None:
        s = judge(HALF, [], as_of=date(2025, 12, 1), since=SINCE)
        assert (s.status, s.due) == (Status.OPEN, date(2026, 6, 30))

    def test_records_after_as_of_are_invisible_so_the_past_replays(self) -> None:
        from zwgk.models import JournalEntry
        from zwgk.rules.engine import records_by_item

        entries = [JournalEntry(id="a", type="record", item="C01", date=date(2026, 8, 1), at="x")]
        assert records_by_item(entries, date(2026, 7, 31)) == {}
        assert records_by_item(entries, date(2026, 8, 1)) == {"C01": [date(2026, 8, 1)]}

    def test_a_task_periodic_duty_is_done_not_ok(self) -> None:
        assert judge(HALF, [date(2026, 11, 1)], kind="task").status is Status.DONE


class TestYearlyBy:
    def test_before_the_by_date_it_is_open(self) -> None:
        s = judge(YEAR_BY_OCT, [], as_of=date(2026, 9, 1), kind="task")
        assert (s.status, s.due) == (Status.OPEN, date(2026, 10, 31))

    def test_after_the_by_date_without_a_record_it_is_overdue(self) -> None:
        s = judge(YEAR_BY_OCT, [], as_of=date(2026, 11, 1), kind="task")
        assert (s.status, s.due, s.days_overdue) == (Status.OVERDUE, date(2026, 10, 31), 1)

    def test_a_record_after_the_by_date_is_done_late(self) -> None:
        s = judge(YEAR_BY_OCT, [date(2026, 11, 10)], as_of=date(2026, 11, 26), kind="task")
        assert (s.status, s.late) == (Status.DONE, True)

    def test_tracking_started_after_this_years_by_date_waits_for_next_year(self) -> None:
        s = judge(YEAR_BY_OCT, [], as_of=date(2026, 11, 26), since=date(2026, 11, 26), kind="task")
        assert (s.status, s.due) == (Status.OPEN, date(2027, 10, 31))


class TestOtherKinds:
    def test_ongoing_reports_its_latest_progress(self) -> None:
        s = judge(OngoingRule(kind="ongoing"), [date(2026, 5, 1), date(2026, 9, 9)], kind="task")
        assert (s.status, s.last) == (Status.ONGOING, date(2026, 9, 9))

    def test_ongoing_with_a_review_cycle_goes_overdue_when_a_review_is_missed(self) -> None:
        s = judge(OngoingRule(kind="ongoing", review="quarter"), [date(2026, 2, 1)], kind="task",
                  as_of=date(2026, 7, 2))
        assert (s.status, s.due) == (Status.OVERDUE, date(2026, 6, 30))

    def test_unspecified_is_never_late(self) -> None:
        s = judge(UnspecifiedRule(kind="unspecified", reason="及时"), as_of=date(2030, 1, 1))
        assert s.status is Status.UNSPECIFIED

    def test_an_event_item_without_events_waits(self) -> None:
        rule = EventRule(kind="event", trigger="事故发生", unit="same_day", amount=0)
        assert judge(rule).status is Status.WAITING


# --- properties -------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
cycles = st.sampled_from(["month", "quarter", "half_year", "year"])


@given(days, cycles)
def test_every_day_lies_in_exactly_its_period(day: date, cycle: str) -> None:
    period = period_of(day, cycle)  # type: ignore[arg-type]
    assert period.start <= day <= period.end
    assert period.next().start == period.end + timedelta(days=1)
    assert period_of(period.end, cycle) == period  # type: ignore[arg-type]


@given(days, days, cycles)
def test_periods_between_tile_the_interval_without_gaps(a: date, b: date, cycle: str) -> None:
    first, last = min(a, b), max(a, b)
    periods = list(periods_between(first, last, cycle))  # type: ignore[arg-type]
    assert periods[0].contains(first) and periods[-1].contains(last)
    for before, after in pairwise(periods):
        assert after.start == before.end + timedelta(days=1)


@given(st.lists(days, max_size=6), days, cycles)
def test_an_update_in_the_current_period_is_never_overdue(records, as_of, cycle) -> None:  # type: ignore[no-untyped-def]
    rule = PeriodicRule(kind="periodic", cycle=cycle)
    current = period_of(as_of, cycle)
    stamped = sorted({*(d for d in records if d <= as_of), current.start if current.start <= as_of
                      else as_of})
    s = judge(rule, stamped, as_of=as_of, since=date(2000, 1, 1))
    assert s.status is Status.OK


@pytest.mark.parametrize(
    ("day", "cycle", "label"),
    [
        (date(2026, 6, 30), "half_year", "2026年上半年"),
        (date(2026, 7, 1), "half_year", "2026年下半年"),
        (date(2026, 12, 31), "quarter", "2026年第4季度"),
        (date(2024, 2, 29), "month", "2024年2月"),
        (date(2026, 1, 1), "year", "2026年"),
    ],
)
def test_period_labels_read_as_an_office_writes_them(day: date, cycle: str, label: str) -> None:
    assert period_of(day, cycle).label == label  # type: ignore[arg-type]
