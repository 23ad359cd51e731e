"""Publication dates in every form Chinese list pages write them (zwgk/scan/dates.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk.scan.dates import date_in, full_date, infer_year, short_date, url_date, year_heading

FORMS = (
    lambda d: f"{d:%Y-%m-%d}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d:%Y.%m.%d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"[{d:%Y-%m-%d}]",
    lambda d: f"【{d:%Y/%m/%d}】",
    lambda d: f"({d.year}年{d:%m}月{d:%d}日)",
)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@given(days, st.sampled_from(FORMS), st.sampled_from(["", "发布时间:", "  ", "通知 "]))
def test_every_written_form_reads_back(day: date, form, before: str) -> None:  # type: ignore[no-untyped-def]
    assert full_date(before + form(day) + " 浏览次数 12") == day
    assert date_in(form(day), None, None) == day


@given(days)
def test_trs_urls_carry_the_date(day: date) -> None:
    assert url_date(f"https://www.ah.gov.cn/zwgk/{day:%Y%m}/t{day:%Y%m%d}_1234567.html") == day
    assert url_date(f"./t{day:%Y%m%d}_88.shtml") == day


@given(days)
def test_month_day_under_a_year_heading(day: date) -> None:
    assert short_date(f"{day.month:02d}-{day.day:02d}", day.year) == day
    assert short_date(f"{day.month}月{day.day}日", day.year) == day


def test_impossible_dates_are_no_dates() -> None:
    assert full_date("2026-02-30") is None
    assert url_date("/202602/t20260230_1.html") is None
    assert full_date("第 2026 号文件") is None


def test_year_headings() -> None:
    assert year_heading("2026年") == 2026
    assert year_heading(" 【2025年】 ") == 2025
    assert year_heading("2026年工作要点") is None


@pytest.mark.parametrize(("month_day", "today", "year"), [
    ((11, 20), date(2026, 12, 1), 2026),
    ((12, 20), date(2026, 12, 1), 2025),  # a list never shows the future
])
def test_a_year_inferred_without_heading(month_day: tuple[int, int], today: date, year: int) -> None:
    assert infer_year(month_day, today) == year
    assert date_in(f"{month_day[0]}-{month_day[1]}", None, today) == date(year, *month_day)
