"""zwgk.dates.periods: which calendar month, quarter, half-year or year a day falls in.

A refresh duty "每季度不少于1次更新" is judged per calendar period, so the periods must start on
the first of their first month, end on the last day of their last month (leap days included),
and follow one another without a gap or an overlap.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.dates.periods import CYCLE_LABEL, Period, month_day_in, period_of, periods_between
from zwgk.load.phrases import read_phrase
from zwgk.models import Cycle

ONE = timedelta(days=1)
CYCLES: tuple[Cycle, ...] = get_args(Cycle)
MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}

PROPS = settings(max_examples=300, deadline=None, database=None)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
cycles = st.sampled_from(CYCLES)


# --- boundaries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "cycle", "start", "end", "label", "key"),
    [
        # months: first and last day, 30- and 31-day months
        (date(2026, 11, 1), "month", date(2026, 11, 1), date(2026, 11, 30), "2026年11月", "2026-11"),
        (date(2026, 11, 30), "month", date(2026, 11, 1), date(2026, 11, 30), "2026年11月", "2026-11"),
        (date(2026, 1, 31), "month", date(2026, 1, 1), date(2026, 1, 31), "2026年1月", "2026-01"),
        (date(2026, 12, 31), "month", date(2026, 12, 1), date(2026, 12, 31), "2026年12月", "2026-12"),
        # quarters: Q1 to Q4, each at its first and last day
        (date(2026, 1, 1), "quarter", date(2026, 1, 1), date(2026, 3, 31), "2026年第1季度", "2026-Q1"),
        (date(2026, 3, 31), "quarter", date(2026, 1, 1), date(2026, 3, 31), "2026年第1季度", "2026-Q1"),
        (date(2026, 4, 1), "quarter", date(2026, 4, 1), date(2026, 6, 30), "2026年第2季度", "2026-Q2"),
        (date(2026, 6, 30), "quarter", date(2026, 4, 1), date(2026, 6, 30), "2026年第2季度", "2026-Q2"),
        (date(2026, 7, 1), "quarter", date(2026, 7, 1), date(2026, 9, 30), "2026年第3季度", "2026-Q3"),
        (date(2026, 9, 30), "quarter", date(2026, 7, 1), date(2026, 9, 30), "2026年第3季度", "2026-Q3"),
        (date(2026, 10, 1), "quarter", date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度", "2026-Q4"),
        (date(2026, 12, 31), "quarter", date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度", "2026-Q4"),
        # half-years: 上半年 ends on June 30, 下半年 starts on July 1
        (date(2026, 1, 1), "half_year", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年", "2026-H1"),
        (date(2026, 6, 30), "half_year", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年", "2026-H1"),
        (date(2026, 7, 1), "half_year", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年", "2026-H2"),
        (date(2026, 12, 31), "half_year", date(2026, 7, 1), date(2026, 12, 31), "2026年下半年", "2026-H2"),
        # years
        (date(2026, 1, 1), "year", date(2026, 1, 1), date(2026, 12, 31), "2026年", "2026"),
        (date(2026, 12, 31), "year", date(2026, 1, 1), date(2026, 12, 31), "2026年", "2026"),
    ],
)
def test_a_day_falls_in_the_calendar_period_that_contains_it(
    day: date, cycle: Cycle, start: date, end: date, label: str, key: str
) -> None:
    period = period_of(day, cycle)
    assert (period.start, period.end, period.cycle) == (start, end, cycle)
    assert (period.label, period.key) == (label, key)
    assert period.contains(day)


@pytest.mark.parametrize("cycle", CYCLES)
def test_the_period_after_december_31_starts_on_january_1_of_the_next_year(cycle: Cycle) -> None:
    last = period_of(date(2026, 12, 31), cycle)
    following = last.next()
    assert last.end == date(2026, 12, 31)
    assert following.start == date(2027, 1, 1)
    assert following == period_of(date(2027, 1, 1), cycle)
    assert following.key.startswith("2027")


@pytest.mark.parametrize(
    ("year", "february_ends", "q1_days", "h1_days", "year_days"),
    [
        (2024, date(2024, 2, 29), 91, 182, 366),  # divisible by 4
        (2023, date(2023, 2, 28), 90, 181, 365),  # not divisible by 4
        (2100, date(2100, 2, 28), 90, 181, 365),  # a century not divisible by 400
        (2000, date(2000, 2, 29), 91, 182, 366),  # divisible by 400
    ],
)
def test_leap_years_give_february_and_the_periods_holding_it_one_more_day(
    year: int, february_ends: date, q1_days: int, h1_days: int, year_days: int
) -> None:
    def length(period: Period) -> int:
        return (period.end - period.start).days + 1

    assert period_of(date(year, 2, 10), "month").end == february_ends
    assert period_of(date(year, 3, 1), "month").start == february_ends + ONE
    assert length(period_of(date(year, 2, 1), "quarter")) == q1_days
    assert length(period_of(date(year, 2, 1), "half_year")) == h1_days
    assert length(period_of(date(year, 2, 1), "year")) == year_days


def test_february_29_of_a_leap_year_is_the_last_day_of_its_month() -> None:
    period = period_of(date(2024, 2, 29), "month")
    assert (period.start, period.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period.next().start == date(2024, 3, 1)


# --- periods_between ------------------------------------------------------------------------


def test_periods_between_lists_every_period_touched_from_first_to_last() -> None:
    quarters = list(periods_between(date(2026, 2, 15), date(2026, 11, 3), "quarter"))
    assert [q.key for q in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    halves = list(periods_between(date(2025, 12, 31), date(2026, 1, 1), "half_year"))
    assert [h.key for h in halves] == ["2025-H2", "2026-H1"]


def test_periods_between_one_day_is_the_period_holding_it() -> None:
    day = date(2026, 5, 20)
    for cycle in CYCLES:
        assert list(periods_between(day, day, cycle)) == [period_of(day, cycle)]


def test_periods_between_is_empty_when_last_comes_before_the_first_period() -> None:
    assert list(periods_between(date(2026, 5, 1), date(2026, 3, 31), "month")) == []
    assert list(periods_between(date(2026, 7, 1), date(2026, 6, 30), "half_year")) == []


# --- month_day_in ---------------------------------------------------------------------------


def test_month_day_in_places_a_yearly_due_date_in_a_given_year() -> None:
    assert month_day_in(2026, "10-31") == date(2026, 10, 31)
    assert month_day_in(2027, "01-01") == date(2027, 1, 1)
    assert month_day_in(2024, "02-29") == date(2024, 2, 29)


@pytest.mark.parametrize("year", [2023, 2100])
def test_month_day_in_refuses_february_29_outside_a_leap_year(year: int) -> None:
    with pytest.raises(ValueError, match="day is out of range"):
        month_day_in(year, "02-29")


# --- CYCLE_LABEL ----------------------------------------------------------------------------


def test_cycle_label_names_every_cycle_the_model_allows() -> None:
    assert set(CYCLE_LABEL) == set(CYCLES)
    assert CYCLE_LABEL == {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}


@pytest.mark.parametrize("cycle", CYCLES)
def test_cycle_label_reads_back_as_its_own_cycle(cycle: Cycle) -> None:
    """The label is the phrase the source writes: 每季度不少于1次更新 means a quarterly duty."""
    reading = read_phrase(f"{CYCLE_LABEL[cycle]}不少于1次更新")
    assert reading is not None
    assert (reading.kind, reading.cycle) == ("periodic", cycle)


# --- properties -----------------------------------------------------------------------------


@PROPS
@given(day=days, cycle=cycles)
def test_a_period_runs_from_the_first_of_a_month_to_the_last_of_a_month(day: date, cycle: Cycle) -> None:
    period = period_of(day, cycle)
    assert period.contains(day)
    assert period.start.day == 1
    assert (period.end + ONE).day == 1
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    assert months == MONTHS[cycle]
    assert (period.start.month - 1) % MONTHS[cycle] == 0  # aligned to the calendar, not to `day`
    assert period_of(period.start, cycle) == period == period_of(period.end, cycle)


@PROPS
@given(day=days, cycle=cycles)
def test_every_day_belongs_to_exactly_one_period_of_each_cycle(day: date, cycle: Cycle) -> None:
    around = list(periods_between(day - timedelta(days=400), day + timedelta(days=400), cycle))
    holding = [period for period in around if period.contains(day)]
    assert holding == [period_of(day, cycle)]


@PROPS
@given(first=days, span=st.integers(min_value=0, max_value=1500), cycle=cycles)
def test_consecutive_periods_tile_the_calendar_without_gaps_or_overlaps(
    first: date, span: int, cycle: Cycle
) -> None:
    last = first + timedelta(days=span)
    periods = list(periods_between(first, last, cycle))
    assert periods[0].contains(first)
    assert periods[-1].contains(last)
    for before, after in pairwise(periods):
        assert after.start == before.end + ONE
        assert before.next() == after
    covered = sum((p.end - p.start).days + 1 for p in periods)
    assert covered == (periods[-1].end - periods[0].start).days + 1
    assert periods == sorted(periods)
    assert len({p.key for p in periods}) == len(periods)


@PROPS
@given(day=days)
def test_shorter_periods_nest_inside_longer_ones(day: date) -> None:
    chain = [period_of(day, cycle) for cycle in ("month", "quarter", "half_year", "year")]
    for inner, outer in pairwise(chain):
        assert outer.start <= inner.start and inner.end <= outer.end
