"""Tests for zwgk.workdays: China's official working-day calendar.

Known dates come from the State Council General Office's yearly holiday notices
(国务院办公厅关于某年部分节假日安排的通知); each was also checked against
holidays 0.109 before being asserted here.  Reference counts in the property
tests use ``holidays.China.is_working_day`` directly, not the code under test.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.dates.workdays import (
    DayOverride,
    SkippedDay,
    WorkdayCalendar,
    holiday_name_zh,
)
from zwgk.load.calendar import OverrideDataError, overrides_from_mapping

D = date
ONE = timedelta(days=1)

# No example database: keeps test runs from writing .hypothesis/ into the repo.
# No deadline: the first call in a process imports and builds the holidays data.
PROPS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

CAL = WorkdayCalendar()
REF = holidays.China(years=range(2000, 2031), language="zh_CN")

dates_2017_2028 = st.dates(min_value=D(2017, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=1, max_value=20)


def ref_working(day: date) -> bool:
    return REF.is_working_day(day)


def ref_count_between(a: date, b: date) -> int:
    """Reference: working days strictly between a and b (a <= b)."""
    n = 0
    day = a + ONE
    while day < b:
        n += ref_working(day)
        day += ONE
    return n


def date_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- 2026 notice (国办发明电〔2025〕7号) -----------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 4),  # Sun, 元旦调休上班
        D(2026, 2, 14),  # Sat, 春节调休上班
        D(2026, 2, 28),  # Sat, 春节调休上班
        D(2026, 5, 9),  # Sat, 劳动节调休上班
        D(2026, 9, 20),  # Sun, 国庆节调休上班
        D(2026, 10, 10),  # Sat, 国庆节调休上班
    ],
)
def test_2026_makeup_weekend_days_are_working(day: date) -> None:
    assert day.weekday() >= 5
    assert CAL.is_working_day(day)
    assert CAL.day_name(day) == "调休上班"


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (D(2026, 10, 1), D(2026, 10, 7)),  # 国庆节 10月1日至7日放假调休
        (D(2026, 2, 15), D(2026, 2, 23)),  # 春节 2月15日至23日放假调休
        (D(2026, 1, 1), D(2026, 1, 3)),  # 元旦 1月1日至3日
        (D(2026, 5, 1), D(2026, 5, 5)),  # 劳动节 5月1日至5日
    ],
)
def test_2026_holiday_blocks_are_off(first: date, last: date) -> None:
    for day in date_range(first, last):
        assert not CAL.is_working_day(day), day
    # The days around each block are working days (the block is exactly that long).
    assert CAL.is_working_day(first - ONE)
    assert CAL.is_working_day(last + ONE)


# --- several years' notices ----------------------------------------------------


@pytest.mark.parametrize(
    ("friday", "makeup"),
    [
        (D(2019, 10, 11), D(2019, 10, 12)),  # 2019 notice: 10月12日（星期六）上班
        (D(2020, 5, 8), D(2020, 5, 9)),  # 2020 notice: 5月9日（星期六）上班
        (D(2020, 10, 9), D(2020, 10, 10)),  # 2020 notice: 10月10日（星期六）上班
        (D(2023, 5, 5), D(2023, 5, 6)),  # 2023 notice: 5月6日（周六）上班
        (D(2024, 5, 10), D(2024, 5, 11)),  # 2024 notice: 5月11日（周六）上班
        (D(2024, 9, 13), D(2024, 9, 14)),  # 2024 notice: 9月14日（周六）上班
        (D(2024, 10, 11), D(2024, 10, 12)),  # 2024 notice: 10月12日（周六）上班
        (D(2025, 10, 10), D(2025, 10, 11)),  # 2025 notice: 10月11日（周六）上班
        (D(2026, 2, 13), D(2026, 2, 14)),  # 2026 notice: 2月14日（周六）上班
    ],
)
def test_friday_before_makeup_saturday(friday: date, makeup: date) -> None:
    assert friday.weekday() == 4
    assert makeup.weekday() == 5
    assert CAL.add_working_days(friday, 1) == makeup


@pytest.mark.parametrize(
    ("event", "due"),
    [
        (D(2019, 9, 30), D(2019, 10, 8)),  # 2019: 10月1日至7日
        (D(2020, 9, 30), D(2020, 10, 9)),  # 2020: 中秋国庆 10月1日至8日
        (D(2023, 9, 28), D(2023, 10, 7)),  # 2023: 9月29日至10月6日, 10月7日（周六）上班
        (D(2024, 9, 30), D(2024, 10, 8)),  # 2024: 10月1日至7日
        (D(2025, 9, 30), D(2025, 10, 9)),  # 2025: 10月1日至8日
        (D(2026, 9, 30), D(2026, 10, 8)),  # 2026: 10月1日至7日
    ],
)
def test_day_before_national_day_plus_one(event: date, due: date) -> None:
    assert CAL.add_working_days(event, 1) == due


@pytest.mark.parametrize(
    ("event", "n", "due"),
    [
        (D(2019, 2, 1), 1, D(2019, 2, 2)),  # 2019: 2月2日（星期六）上班
        (D(2019, 2, 1), 2, D(2019, 2, 3)),  # 2019: 2月3日（星期日）上班
        (D(2019, 2, 1), 3, D(2019, 2, 11)),  # 2019: 2月4日至10日放假
        (D(2020, 1, 23), 1, D(2020, 2, 3)),  # 2020: 延长至2月2日 (国办发明电〔2020〕1号)
        (D(2023, 1, 20), 1, D(2023, 1, 28)),  # 2023: 1月21日至27日, 1月28日（周六）上班
        (D(2024, 2, 9), 1, D(2024, 2, 18)),  # 2024: 除夕 2月9日 still a working day; 2月10日至17日
        (D(2025, 1, 24), 1, D(2025, 1, 26)),  # 2025: 1月26日（周日）上班
        (D(2025, 1, 27), 1, D(2025, 2, 5)),  # 2025: 1月28日（除夕）至2月4日
        (D(2026, 2, 13), 2, D(2026, 2, 24)),  # 2026: 2月15日至23日
    ],
)
def test_spring_festival(event: date, n: int, due: date) -> None:
    assert CAL.add_working_days(event, n) == due


@pytest.mark.parametrize(
    ("monday", "expected"),
    [
        (D(2019, 4, 8), D(2019, 4, 2)),  # 2019 清明 4月5日至7日
        (D(2019, 5, 6), D(2019, 4, 29)),  # 2019 劳动节 5月1日至4日, 5月5日（星期日）上班
        (D(2024, 4, 8), D(2024, 4, 2)),  # 2024 清明 4月4日至6日, 4月7日（周日）上班
        (D(2025, 4, 7), D(2025, 4, 1)),  # 2025 清明 4月4日至6日
        (D(2020, 10, 12), D(2020, 9, 30)),  # 2020: 10月10日（星期六）上班, then 10/9, 9/30
    ],
)
def test_three_working_days_before_monday_after_holiday(monday: date, expected: date) -> None:
    assert monday.weekday() == 0
    assert CAL.subtract_working_days(monday, 3) == expected


@pytest.mark.parametrize(
    ("event", "n", "due"),
    [
        (D(2018, 12, 28), 1, D(2018, 12, 29)),  # 2019 notice: 2018年12月29日（星期六）上班
        (D(2018, 12, 28), 2, D(2019, 1, 2)),  # 2019 notice: 2018-12-30 至 2019-01-01
        (D(2019, 12, 31), 2, D(2020, 1, 3)),  # 2020 notice: 元旦 1月1日
        (D(2022, 12, 30), 1, D(2023, 1, 3)),  # 2023 notice: 2022-12-31 至 2023-01-02
        (D(2023, 12, 29), 3, D(2024, 1, 4)),  # 2024 notice: 元旦 1月1日
        (D(2024, 12, 31), 3, D(2025, 1, 6)),  # 2025 notice: 元旦 1月1日
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # 2026 notice: 1月4日（周日）上班
    ],
)
def test_across_new_year(event: date, n: int, due: date) -> None:
    assert CAL.add_working_days(event, n) == due
    # Counting back from a working due date lands on the event when it is a working day.
    if CAL.is_working_day(event):
        assert CAL.subtract_working_days(due, n) == event


# --- zero, bad arguments ---------------------------------------------------------


@pytest.mark.parametrize("day", [D(2026, 10, 1), D(2026, 10, 4), D(2026, 10, 9), D(2026, 10, 10)])
def test_zero_days_is_the_day_itself(day: date) -> None:
    assert CAL.add_working_days(day, 0) == day
    assert CAL.subtract_working_days(day, 0) == day


def test_negative_n_is_rejected() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        CAL.add_working_days(D(2026, 1, 5), -1)
    with pytest.raises(ValueError, match=">= 0"):
        CAL.subtract_working_days(D(2026, 1, 5), -1)


def test_datetime_is_rejected() -> None:
    # A datetime would never match a date key and silently count wrong.
    with pytest.raises(TypeError):
        CAL.is_working_day(datetime(2026, 10, 1, 9, 0))
    with pytest.raises(TypeError):
        CAL.add_working_days(datetime(2026, 10, 1, 9, 0), 1)
    with pytest.raises(TypeError):
        DayOverride(datetime(2027, 2, 6), working=True)


def test_non_bool_working_is_rejected() -> None:
    with pytest.raises(TypeError):
        DayOverride(D(2027, 2, 6), working="false")  # type: ignore[arg-type]


# --- agreement with the package ------------------------------------------------------


def test_agrees_with_holidays_package_2000_to_2030() -> None:
    # Our per-year tables must give exactly the package's answer, including the
    # year-crossing make-up days (e.g. 2018-12-29, 2011-12-31).
    for day in date_range(D(2000, 1, 1), D(2030, 12, 31)):
        assert CAL.is_working_day(day) == REF.is_working_day(day), day
        if not CAL.is_working_day(day) and day in REF:
            assert CAL.day_name(day) == REF[day].replace("; ", "、"), day


def test_english_names_translate_to_the_packages_chinese_names() -> None:
    # The fallback table must reproduce zh_CN exactly for every year the package knows.
    years = range(1950, 2101)
    english = holidays.China(years=years, language="en_US")
    chinese = holidays.China(years=years, language="zh_CN")
    assert len(english) > 1000
    for day, name in english.items():
        assert holiday_name_zh(name) == chinese[day].replace("; ", "、"), (day, name)


def test_holiday_name_zh_fallbacks() -> None:
    assert holiday_name_zh("National Day (observed)") == "国庆节（补假）"
    assert (
        holiday_name_zh("Day off (substituted from 09/20/2026)") == "休息日（由 2026-09-20 调休）"
    )
    assert holiday_name_zh("Mid-Autumn Festival; National Day") == "中秋节、国庆节"
    assert holiday_name_zh("国庆节") == "国庆节"
    assert holiday_name_zh("Some New Holiday") == "Some New Holiday"
    assert holiday_name_zh("Some New Holiday (observed)") == "Some New Holiday (observed)"


# --- day names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 10, 9), ""),  # ordinary Friday
        (D(2026, 10, 10), "调休上班"),  # make-up Saturday
        (D(2026, 10, 1), "国庆节"),
        (D(2026, 10, 3), "国庆节"),  # holiday on a Saturday: the holiday wins over 周六
        (D(2026, 10, 4), "周日"),  # plain Sunday inside the break
        (D(2026, 10, 5), "国庆节（补假）"),
        (D(2026, 10, 6), "休息日（由 2026-09-20 调休）"),
        (D(2026, 1, 1), "元旦"),
        (D(2026, 2, 16), "农历除夕"),
        (D(2026, 2, 17), "春节"),
        (D(2026, 4, 5), "清明节"),
        (D(2026, 5, 1), "劳动节"),
        (D(2026, 6, 19), "端午节"),
        (D(2026, 9, 25), "中秋节"),
        (D(2020, 10, 1), "中秋节、国庆节"),
        (D(2026, 3, 7), "周六"),
        (D(2026, 3, 8), "周日"),
    ],
)
def test_day_name(day: date, name: str) -> None:
    assert CAL.day_name(day) == name


def test_skipped_between_names_weekends_and_holidays() -> None:
    expected = [
        SkippedDay(D(2026, 10, 1), "国庆节"),
        SkippedDay(D(2026, 10, 2), "国庆节"),
        SkippedDay(D(2026, 10, 3), "国庆节"),
        SkippedDay(D(2026, 10, 4), "周日"),
        SkippedDay(D(2026, 10, 5), "国庆节（补假）"),
        SkippedDay(D(2026, 10, 6), "休息日（由 2026-09-20 调休）"),
        SkippedDay(D(2026, 10, 7), "休息日（由 2026-10-10 调休）"),
    ]
    assert CAL.skipped_between(D(2026, 9, 30), D(2026, 10, 8)) == expected
    assert CAL.skipped_between(D(2026, 10, 8), D(2026, 9, 30)) == expected
    # Endpoints are excluded even when they are days off.
    assert CAL.skipped_between(D(2026, 10, 1), D(2026, 10, 7)) == expected[1:-1]
    assert CAL.skipped_between(D(2026, 3, 6), D(2026, 3, 9)) == [
        SkippedDay(D(2026, 3, 7), "周六"),
        SkippedDay(D(2026, 3, 8), "周日"),
    ]
    assert CAL.skipped_between(D(2026, 3, 7), D(2026, 3, 7)) == []
    assert CAL.skipped_between(D(2026, 3, 9), D(2026, 3, 10)) == []


# --- official / provisional -------------------------------------------------------------


@pytest.mark.parametrize("year", range(2017, 2027))
def test_published_years_are_official(year: int) -> None:
    assert not CAL.is_provisional(year)


@pytest.mark.parametrize("year", [2027, 2028, 2035, 1999])
def test_unpublished_years_are_provisional(year: int) -> None:
    assert CAL.is_provisional(year)


def test_official_years_override_makes_a_year_official() -> None:
    cal = WorkdayCalendar(official_years=[2027])
    assert not cal.is_provisional(2027)
    assert cal.is_provisional(2028)
    # Overrides alone do not make a year official: the office must say so.
    assert WorkdayCalendar([DayOverride(D(2027, 2, 20), True)]).is_provisional(2027)


def test_provisional_years_between() -> None:
    assert CAL.provisional_years_between(D(2026, 1, 1), D(2026, 12, 31)) == []
    assert CAL.provisional_years_between(D(2026, 12, 20), D(2027, 1, 10)) == [2027]
    assert CAL.provisional_years_between(D(2028, 3, 1), D(2026, 3, 1)) == [2027, 2028]
    cal = WorkdayCalendar(official_years=[2027])
    assert cal.provisional_years_between(D(2026, 12, 20), D(2027, 1, 10)) == []
    assert cal.provisional_years_between(D(2026, 12, 20), D(2028, 1, 10)) == [2028]


# --- overrides ------------------------------------------------------------------------------


def test_override_makes_weekend_a_working_day() -> None:
    saturday = D(2027, 2, 6)
    assert saturday.weekday() == 5
    assert not CAL.is_working_day(saturday)
    cal = WorkdayCalendar([DayOverride(saturday, working=True, name="春节调休上班")])
    assert cal.is_working_day(saturday)
    assert cal.day_name(saturday) == "春节调休上班"
    assert cal.add_working_days(D(2027, 2, 5), 1) == saturday
    assert WorkdayCalendar([DayOverride(saturday, True)]).day_name(saturday) == "调休上班"


def test_override_makes_weekday_a_day_off() -> None:
    # Provisional 2027: the package's rules end 春节 on Wed 02-10; suppose the
    # notice then adds Thu 02-11.
    thursday = D(2027, 2, 11)
    assert thursday.weekday() == 3
    assert CAL.is_working_day(thursday)
    assert CAL.add_working_days(D(2027, 2, 4), 1) == thursday
    cal = WorkdayCalendar([DayOverride(thursday, working=False, name="春节")])
    assert not cal.is_working_day(thursday)
    assert cal.day_name(thursday) == "春节"
    assert cal.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 12)
    assert SkippedDay(thursday, "春节") in cal.skipped_between(D(2027, 2, 4), D(2027, 2, 12))
    assert WorkdayCalendar([DayOverride(thursday, False)]).day_name(thursday) == "休息日"


def test_override_wins_over_package_holiday() -> None:
    # Correcting the package: a listed holiday declared a working day.
    cal = WorkdayCalendar([DayOverride(D(2026, 10, 1), working=True)])
    assert cal.is_working_day(D(2026, 10, 1))
    assert cal.day_name(D(2026, 10, 1)) == ""
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 1)
    # An unnamed day-off override on a package holiday keeps the package's name.
    cal = WorkdayCalendar([DayOverride(D(2026, 10, 1), working=False)])
    assert cal.day_name(D(2026, 10, 1)) == "国庆节"


def test_conflicting_overrides_are_rejected() -> None:
    with pytest.raises(ValueError, match="2027-02-06"):
        WorkdayCalendar([DayOverride(D(2027, 2, 6), True), DayOverride(D(2027, 2, 6), False)])
    same = DayOverride(D(2027, 2, 6), True, "x")
    assert WorkdayCalendar([same, same]).is_working_day(D(2027, 2, 6))


# --- properties -------------------------------------------------------------------------------


@PROPS
@given(event=dates_2017_2028, n=counts)
def test_add_lands_on_nth_working_day(event: date, n: int) -> None:
    due = CAL.add_working_days(event, n)
    assert due > event
    assert ref_working(due)
    assert ref_count_between(event, due) == n - 1
    # Every day strictly between is either counted or explained.
    assert (due - event).days - 1 == (n - 1) + len(CAL.skipped_between(event, due))


@PROPS
@given(event=dates_2017_2028, n=counts)
def test_subtract_lands_on_nth_working_day_before(event: date, n: int) -> None:
    day = CAL.subtract_working_days(event, n)
    assert day < event
    assert ref_working(day)
    assert ref_count_between(day, event) == n - 1


@PROPS
@given(d1=dates_2017_2028, d2=dates_2017_2028, n=counts)
def test_add_and_subtract_are_monotone(d1: date, d2: date, n: int) -> None:
    d1, d2 = sorted((d1, d2))
    assert CAL.add_working_days(d1, n) <= CAL.add_working_days(d2, n)
    assert CAL.subtract_working_days(d1, n) <= CAL.subtract_working_days(d2, n)


@PROPS
@given(event=dates_2017_2028, n=counts)
def test_round_trips(event: date, n: int) -> None:
    back = CAL.subtract_working_days(CAL.add_working_days(event, n), n)
    forth = CAL.add_working_days(CAL.subtract_working_days(event, n), n)
    if ref_working(event):
        assert back == event
        assert forth == event
    else:
        # From a day off, the round trip snaps to the nearest working day on that side.
        assert back < event
        assert forth > event
        assert ref_count_between(back, event) == 0
        assert ref_count_between(event, forth) == 0


@PROPS
@given(event=dates_2017_2028, a=st.integers(0, 20), b=st.integers(0, 20))
def test_counts_compose(event: date, a: int, b: int) -> None:
    assert CAL.add_working_days(CAL.add_working_days(event, a), b) == CAL.add_working_days(
        event, a + b
    )
    assert CAL.subtract_working_days(
        CAL.subtract_working_days(event, a), b
    ) == CAL.subtract_working_days(event, a + b)


@PROPS
@given(a=dates_2017_2028, b=dates_2017_2028)
def test_skipped_between_is_symmetric_and_exact(a: date, b: date) -> None:
    skipped = CAL.skipped_between(a, b)
    assert skipped == CAL.skipped_between(b, a)
    lo, hi = sorted((a, b))
    expected = [d for d in date_range(lo + ONE, hi - ONE) if not ref_working(d)] if hi > lo else []
    assert [s.day for s in skipped] == expected
    assert all(s.reason for s in skipped)


override_lists = st.lists(
    st.builds(
        DayOverride,
        day=st.dates(min_value=D(2026, 12, 1), max_value=D(2027, 3, 31)),
        working=st.booleans(),
        name=st.sampled_from(["", "春节", "春节调休上班"]),
    ),
    max_size=15,
    unique_by=lambda o: o.day,
)


@PROPS
@given(overrides=override_lists, event=st.dates(D(2026, 11, 15), D(2027, 3, 31)), n=counts)
def test_overrides_always_win(overrides: list[DayOverride], event: date, n: int) -> None:
    cal = WorkdayCalendar(overrides)
    ruling = {o.day: o.working for o in overrides}

    def working(day: date) -> bool:
        return ruling[day] if day in ruling else ref_working(day)

    for o in overrides:
        assert cal.is_working_day(o.day) == o.working
    due = cal.add_working_days(event, n)
    assert working(due)
    assert sum(working(d) for d in date_range(event + ONE, due - ONE)) == n - 1


# --- loader helper ---------------------------------------------------------------------------


CALENDAR_YAML = """\
official_years: [2027]
days:
  - {date: 2027-02-06, working: false, name: 春节}
  - {date: 2027-02-20, working: true, name: 春节调休上班}
"""


def test_overrides_from_yaml_text() -> None:
    overrides, years = overrides_from_mapping(yaml.safe_load(CALENDAR_YAML))
    assert years == [2027]
    assert overrides == [
        DayOverride(D(2027, 2, 6), working=False, name="春节"),
        DayOverride(D(2027, 2, 20), working=True, name="春节调休上班"),
    ]
    cal = WorkdayCalendar(overrides, years)
    assert not cal.is_provisional(2027)
    assert cal.is_working_day(D(2027, 2, 20))


def test_overrides_from_mapping_accepts_iso_strings_and_optional_parts() -> None:
    overrides, years = overrides_from_mapping(
        {
            "days": [
                {"date": "2027-10-09", "working": True},
                {"date": D(2027, 10, 8), "working": False, "name": None},
            ]
        }
    )
    assert overrides == [DayOverride(D(2027, 10, 9), True), DayOverride(D(2027, 10, 8), False)]
    assert years == []
    assert overrides_from_mapping({}) == ([], [])
    assert overrides_from_mapping({"days": None, "official_years": None}) == ([], [])
    assert overrides_from_mapping({"official_years": 2027}) == ([], [2027])
    assert overrides_from_mapping({"official_years": [2027, 2027, 2028]}) == ([], [2027, 2028])


GOOD = {"date": "2027-02-06", "working": False}


@pytest.mark.parametrize(
    ("data", "index"),
    [
        ([GOOD], None),  # top level not a mapping
        ({"dayz": [GOOD]}, None),  # misspelt key
        ({"days": GOOD}, None),  # days not a list
        ({"days": ["2027-02-06"]}, 0),  # entry not a mapping
        ({"days": [GOOD, {"working": True}]}, 1),  # missing date
        ({"days": [{"date": "2027-02-06"}]}, 0),  # missing working
        ({"days": [{"date": "2027-02-06", "working": "false"}]}, 0),  # string, not bool
        ({"days": [{"date": "2027-02-06", "working": 0}]}, 0),
        ({"days": [{"date": "2027/02/06", "working": False}]}, 0),
        ({"days": [{"date": "2027-02-30", "working": False}]}, 0),
        ({"days": [{"date": "20270206", "working": False}]}, 0),
        ({"days": [{"date": 20270206, "working": False}]}, 0),
        ({"days": [{"date": datetime(2027, 2, 6, 9), "working": False}]}, 0),
        ({"days": [{"date": "2027-02-06", "working": False, "name": 3}]}, 0),
        ({"days": [{"date": "2027-02-06", "working": False, "nmae": "春节"}]}, 0),
        ({"days": [GOOD, {"date": D(2027, 2, 6), "working": True}]}, 1),  # duplicate date
        ({"official_years": ["2027"]}, None),
        ({"official_years": [True]}, None),
        ({"official_years": [27]}, None),
        ({"official_years": "2027"}, None),
    ],
)
def test_overrides_from_mapping_rejects_bad_data(data: object, index: int | None) -> None:
    # OverrideDataError is the promised ValueError, with the entry index added.
    assert issubclass(OverrideDataError, ValueError)
    with pytest.raises(OverrideDataError) as info:
        overrides_from_mapping(data)  # type: ignore[arg-type]
    error = info.value
    assert error.index == index
    message = str(error)
    # Bilingual: some Chinese for the clerk, some English for the maintainer.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert " / " in message
    english = message.split(" / ", 1)[1]
    words = ("must", "unknown", "missing", "repeats", "not a valid")
    assert any(word in english for word in words), message


# --- cost ------------------------------------------------------------------------------------


def test_holidays_is_imported_lazily() -> None:
    # Load the module file on its own so the assertion is about this module only,
    # not about whatever the package __init__ imports.
    module = Path(__file__).resolve().parents[2] / "zwgk" / "dates" / "workdays.py"
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('wd', {str(module)!r})\n"
        "mod = importlib.util.module_from_spec(spec)\n"
        "sys.modules['wd'] = mod\n"
        "spec.loader.exec_module(mod)\n"
        "assert 'holidays' not in sys.modules, 'imported at module load'\n"
        "import datetime\n"
        "assert mod.WorkdayCalendar().is_working_day(datetime.date(2026, 10, 10))\n"
        "assert 'holidays' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-B", "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_repeated_lookups_are_fast() -> None:
    cal = WorkdayCalendar([DayOverride(D(2027, 2, 6), True)])
    days = [D(2017, 1, 1) + timedelta(days=i % 4383) for i in range(100_000)]
    cal.provisional_years_between(days[0], max(days))  # warm the per-year tables
    started = time.perf_counter()
    for day in days:
        cal.is_working_day(day)
    elapsed = time.perf_counter() - started
    # Measured about 0.03 s; the bound only catches a lost cache.
    assert elapsed < 1.0, elapsed
