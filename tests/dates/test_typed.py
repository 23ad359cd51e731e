"""Dates as people type them: one reading or a refusal, never a guess."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk.dates.typed import DateTextError, read_date, read_moment
from zwgk.models import FIRST_DAY, LAST_DAY

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(("text", "day"), [
    ("2026-11-20", date(2026, 11, 20)),
    ("2026/11/20", date(2026, 11, 20)),
    ("2026.11.20", date(2026, 11, 20)),
    ("2026-1-5", date(2026, 1, 5)),
    ("2026年11月20日", date(2026, 11, 20)),
    ("2026年1月5号", date(2026, 1, 5)),
    ("11月20日", date(2026, 11, 20)),
    ("今天", TODAY),
    ("昨天", date(2026, 12, 1)),
    ("前天", date(2026, 11, 30)),
    (" 2026-11-20 ", date(2026, 11, 20)),
])
def test_the_forms_people_type(text: str, day: date) -> None:
    assert read_date(text, TODAY) == day


@pytest.mark.parametrize("text", ["", "  ", "20261120", "11/20/2026", "2026-11", "2026/11-20", "明天", "2026-02-30",
                                  "2023-02-29", "2月30日", "9999-12-31", "1900-01-01", "2026-13-01"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(DateTextError):
        read_date(text, TODAY)


def test_the_year_range_is_the_models() -> None:
    assert read_date(FIRST_DAY.isoformat(), TODAY) == FIRST_DAY
    assert read_date(LAST_DAY.isoformat(), TODAY) == LAST_DAY
    assert read_date("2999-01-01", TODAY, bounded=False) == date(2999, 1, 1)


@pytest.mark.parametrize(("text", "moment"), [
    ("2026-11-20T14:30", (date(2026, 11, 20), time(14, 30))),
    ("2026-11-20 06:02", (date(2026, 11, 20), time(6, 2))),
    ("2026/11/20 6:02", (date(2026, 11, 20), time(6, 2))),
    ("2026-11-20T06:30+00:00", (date(2026, 11, 20), time(14, 30))),  # converted to Beijing
    ("2026-11-20T20:00Z", (date(2026, 11, 21), time(4, 0))),
    ("2026-11-20", (date(2026, 11, 20), None)),
])
def test_moments(text: str, moment: tuple[date, time | None]) -> None:
    assert read_moment(text, TODAY) == moment


@pytest.mark.parametrize("text", ["2026-11-20T24:00", "2026-11-20T12:60", "2026-11-20T", "2026-11-20T1430"])
def test_impossible_moments_are_refused(text: str) -> None:
    with pytest.raises(DateTextError):
        read_moment(text, TODAY)


@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_every_form_of_a_day_reads_back_to_it(day: date) -> None:
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month:02d}.{day.day}",
                 f"{day.year}年{day.month}月{day.day}日"):
        assert read_date(text, TODAY) == day
