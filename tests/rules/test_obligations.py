"""Event obligations: due dates on China's working-day calendar, fulfilment, lateness, provisional years."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.dates.workdays import DayOverride, WorkdayCalendar
from zwgk.models import EventRule, Item, JournalEntry
from zwgk.rules.obligations import due_for, is_late, obligations_of, oldest_open

CALENDAR = WorkdayCalendar()
NEXT_WORKING_DAY = EventRule(kind="event", trigger="上级文件公开", unit="working_days", amount=1)
SAME_DAY = EventRule(kind="event", trigger="事故发生", unit="same_day", amount=0)
THREE_BEFORE = EventRule(kind="event", trigger="计划执法日期", unit="working_days", amount=3,
                         direction="before")
FIVE_HOURS = EventRule(kind="event", trigger="重大突发事件", unit="hours", amount=5)
SUGGESTION = EventRule(kind="event", trigger="公众意见建议", unit="working_days", amount=7,
                       complex_amount=15)


def due(rule: EventRule, day: date, at: str | None = None, complex_case: bool = False) -> date:
    return due_for(rule, day, at, complex_case, CALENDAR).day


@pytest.mark.parametrize(
    ("event", "expected", "why"),
    [
        (date(2026, 10, 9), date(2026, 10, 10), "Fri before make-up Sat 2026-10-10 (2026 notice)"),
        (date(2026, 9, 30), date(2026, 10, 8), "day before National Day 2026: 10-01..10-07 off"),
        (date(2025, 9, 30), date(2025, 10, 9), "National Day 2025: 10-01..10-08 off"),
        (date(2026, 2, 13), date(2026, 2, 14), "make-up Saturday 2026-02-14"),
        (date(2026, 2, 14), date(2026, 2, 24), "Spring Festival 2026: 02-15..02-23 off"),
        (date(2024, 2, 9), date(2024, 2, 18), "Spring Festival 2024: back on make-up Sunday 02-18"),
        (date(2019, 9, 27), date(2019, 9, 29), "make-up Sunday 2019-09-29 before National Day"),
        (date(2020, 1, 23), date(2020, 2, 3), "2020 Spring Festival, extended to 02-02"),
        (date(2023, 12, 29), date(2024, 1, 2), "New Year 2024"),
    ],
)
def test_next_working_day_across_holidays(event: date, expected: date, why: str) -> None:
    assert due(NEXT_WORKING_DAY, event) == expected, why


def test_three_working_days_before_a_monday_after_a_holiday() -> None:
    # Monday 2026-10-12 follows make-up Saturday 10-10 and the National Day week (10-01..10-07).
    assert due(THREE_BEFORE, date(2026, 10, 12)) == date(2026, 10, 8)
    assert CALENDAR.is_working_day(due(THREE_BEFORE, date(2026, 10, 12)))


def test_same_day_is_the_event_day_even_on_a_holiday() -> None:
    assert due(SAME_DAY, date(2026, 10, 1)) == date(2026, 10, 1)


def test_complex_cases_take_the_extended_window() -> None:
    simple = due(SUGGESTION, date(2026, 11, 2))
    extended = due(SUGGESTION, date(2026, 11, 2), complex_case=True)
    assert (simple, extended) == (date(2026, 11, 11), date(2026, 11, 23))


def test_hour_windows_cross_midnight_in_beijing_time() -> None:
    result = due_for(FIVE_HOURS, date(2026, 11, 26), "21:30", False, CALENDAR)
    assert (result.day, result.time) == (date(2026, 11, 27), "02:30")


def test_a_year_without_an_official_notice_is_provisional() -> None:
    result = due_for(NEXT_WORKING_DAY, date(2027, 9, 30), None, False, CALENDAR)
    assert result.provisional and result.provisional_years == (2027,)
    official = due_for(NEXT_WORKING_DAY, date(2026, 9, 30), None, False, CALENDAR)
    assert not official.provisional


def test_the_offices_calendar_entries_win() -> None:
    # The office enters a (hypothetical) 2027 notice: 2027-10-08 becomes a day off.
    calendar = WorkdayCalendar([DayOverride(date(2027, 10, 8), False, "国庆节")], [2027])
    result = due_for(NEXT_WORKING_DAY, date(2027, 10, 7), None, False, calendar)
    assert result.day == date(2027, 10, 11) and not result.provisional


def entry(kind: str, day: date, id_: str, event: str | None = None, time: str | None = None,
          at: str = "2026-11-01T09:00:00+08:00") -> JournalEntry:
    return JournalEntry(id=id_, type=kind, item="C09", date=day, time=time, at=at,  # type: ignore[arg-type]
                        event=event)


ITEM = Item(id="C09", kind="column", title="上级文件", path=("政策法规", "上级文件"),
            lead=("运维后台",), responsible=(), requirement="公开后1个工作日", rule=NEXT_WORKING_DAY)


def test_a_record_fulfils_the_event_it_names_and_lateness_is_kept() -> None:
    entries = [
        entry("event", date(2026, 11, 5), "e1"),
        entry("event", date(2026, 11, 9), "e2"),
        entry("record", date(2026, 11, 10), "r1", event="e1"),
    ]
    found = {o.event.id: o for o in obligations_of(ITEM, entries, CALENDAR, date(2026, 11, 26))}
    assert found["e1"].fulfilment is not None and is_late(found["e1"].due, found["e1"].fulfilment)
    assert found["e2"].fulfilment is None
    assert oldest_open(list(found.values())).event.id == "e2"  # type: ignore[union-attr]


def test_events_after_as_of_do_not_exist_yet() -> None:
    entries = [entry("event", date(2026, 11, 20), "e1")]
    assert obligations_of(ITEM, entries, CALENDAR, date(2026, 11, 19)) == []


def test_hour_lateness_is_judged_by_the_time_on_the_due_day() -> None:
    result = due_for(FIVE_HOURS, date(2026, 11, 26), "08:00", False, CALENDAR)
    on_time = entry("record", date(2026, 11, 26), "r", time="12:59")
    late = entry("record", date(2026, 11, 26), "r", time="13:01")
    assert not is_late(result, on_time) and is_late(result, late)


# --- properties ------------------------------------------------------------------------------

event_days = st.dates(min_value=date(2017, 1, 1), max_value=date(2028, 12, 31))
amounts = st.integers(min_value=1, max_value=20)


@settings(max_examples=200, deadline=None)
@given(event_days, amounts)
def test_working_days_strictly_between_event_and_due_are_n_minus_one(day: date, n: int) -> None:
    rule = EventRule(kind="event", trigger="x", unit="working_days", amount=n)
    result = due(rule, day)
    between = [d for d in _days(day, result)[1:-1] if CALENDAR.is_working_day(d)]
    assert len(between) == n - 1
    assert CALENDAR.is_working_day(result)


@settings(max_examples=200, deadline=None)
@given(event_days, event_days, amounts)
def test_due_dates_are_monotone_in_the_event_date(a: date, b: date, n: int) -> None:
    rule = EventRule(kind="event", trigger="x", unit="working_days", amount=n)
    first, second = min(a, b), max(a, b)
    assert due(rule, first) <= due(rule, second)


@settings(max_examples=200, deadline=None)
@given(event_days, amounts)
def test_a_before_date_is_a_working_day_strictly_before(day: date, n: int) -> None:
    rule = EventRule(kind="event", trigger="x", unit="working_days", amount=n, direction="before")
    result = due(rule, day)
    assert result < day and CALENDAR.is_working_day(result)


def _days(a: date, b: date) -> list[date]:
    from datetime import timedelta

    return [a + timedelta(days=i) for i in range((b - a).days + 1)]
