"""zwgk.load.calendar: calendar.yaml, every bad entry at once, and official years that cannot be
a whole notice.

The entry messages are those overrides_from_mapping raises (tests/dates/test_workdays.py pins
them); here, a file with several faults reports each at its own entry, and a year declared in
`official_years` whose entered days cannot be that year's whole State Council notice is a warning
at the year (the year is still taken as official: it is the office's word).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import write_yaml

from zwgk.dates.workdays import calendar_for
from zwgk.errors import Diagnostic
from zwgk.load.calendar import load_calendar, overrides_from_mapping, statutory_days
from zwgk.models import CalendarData

# The README's example of a whole notice: holidays' statutory days for 2027 plus a plausible 调休.
WHOLE_2027 = """\
# 2027 年放假安排(示例格式:日期按 holidays 推定的法定节假日加上设想的调休,
# 不是正式通知;请以国务院办公厅当年的通知为准逐日录入)
official_years: [2027]
days:
  # 元旦:1 月 1 日至 3 日放假,共 3 天
  - {date: 2027-01-01, working: false, name: 元旦}
  - {date: 2027-01-02, working: false, name: 元旦}
  - {date: 2027-01-03, working: false, name: 元旦}
  # 春节:2 月 5 日(除夕)至 14 日放假调休,共 10 天;1 月 31 日(周日)、2 月 20 日(周六)上班
  - {date: 2027-01-31, working: true, name: 春节调休上班}
  - {date: 2027-02-05, working: false, name: 春节}
  - {date: 2027-02-06, working: false, name: 春节}
  - {date: 2027-02-07, working: false, name: 春节}
  - {date: 2027-02-08, working: false, name: 春节}
  - {date: 2027-02-09, working: false, name: 春节}
  - {date: 2027-02-10, working: false, name: 春节}
  - {date: 2027-02-11, working: false, name: 春节}
  - {date: 2027-02-12, working: false, name: 春节}
  - {date: 2027-02-13, working: false, name: 春节}
  - {date: 2027-02-14, working: false, name: 春节}
  - {date: 2027-02-20, working: true, name: 春节调休上班}
  # 清明节:4 月 3 日至 5 日放假,共 3 天
  - {date: 2027-04-03, working: false, name: 清明节}
  - {date: 2027-04-04, working: false, name: 清明节}
  - {date: 2027-04-05, working: false, name: 清明节}
  # 劳动节:5 月 1 日至 5 日放假调休,共 5 天;4 月 25 日(周日)上班
  - {date: 2027-04-25, working: true, name: 劳动节调休上班}
  - {date: 2027-05-01, working: false, name: 劳动节}
  - {date: 2027-05-02, working: false, name: 劳动节}
  - {date: 2027-05-03, working: false, name: 劳动节}
  - {date: 2027-05-04, working: false, name: 劳动节}
  - {date: 2027-05-05, working: false, name: 劳动节}
  # 端午节:6 月 9 日放假,共 1 天
  - {date: 2027-06-09, working: false, name: 端午节}
  # 中秋节:9 月 15 日放假,共 1 天
  - {date: 2027-09-15, working: false, name: 中秋节}
  # 国庆节:10 月 1 日至 7 日放假调休,共 7 天;9 月 26 日(周日)、10 月 9 日(周六)上班
  - {date: 2027-09-26, working: true, name: 国庆节调休上班}
  - {date: 2027-10-01, working: false, name: 国庆节}
  - {date: 2027-10-02, working: false, name: 国庆节}
  - {date: 2027-10-03, working: false, name: 国庆节}
  - {date: 2027-10-04, working: false, name: 国庆节}
  - {date: 2027-10-05, working: false, name: 国庆节}
  - {date: 2027-10-06, working: false, name: 国庆节}
  - {date: 2027-10-07, working: false, name: 国庆节}
  - {date: 2027-10-09, working: true, name: 国庆节调休上班}
"""


def loaded(tmp_path: Path, text: str) -> tuple[CalendarData, list[Diagnostic]]:
    found: list[Diagnostic] = []
    return load_calendar(write_yaml(tmp_path, "calendar.yaml", text), found), found


def places(found: list[Diagnostic]) -> list[tuple[int | None, int | None, str, str]]:
    return [(d.line, d.col, d.code, d.severity) for d in found]


# --- every fault at once ------------------------------------------------------------------


def test_every_bad_entry_is_reported_each_at_its_own_entry(tmp_path: Path) -> None:
    calendar, found = loaded(tmp_path, """
        days:
          - {date: 2027-02-06, working: false, name: 春节}
          - {date: 2027-02-07, working: nope, name: 春节}
          - {date: 2027/02/08, working: false}
          - {date: 2027-02-20, working: true, nmae: 春节调休上班}
          - {date: 2027-02-06, working: true}
    """)
    assert places(found) == [(3, 5, "calendar", "error"), (4, 5, "calendar", "error"),
                             (5, 5, "calendar", "error"), (6, 5, "calendar", "error")]
    assert "working 应为 true 或 false" in found[0].message
    assert "date 应为有效日期 YYYY-MM-DD" in found[1].message
    assert "未知的键 nmae" in found[2].message
    assert "与第 1 条重复" in found[3].message
    assert calendar == CalendarData()  # a file with faults is not used


def test_each_message_is_the_one_the_single_fault_raises(tmp_path: Path) -> None:
    entry = {"date": "2027-02-07", "working": "nope", "name": "春节"}
    with pytest.raises(ValueError, match="working") as raised:
        overrides_from_mapping({"days": [entry]})
    _, found = loaded(tmp_path, "days:\n  - {date: 2027-02-07, working: nope, name: 春节}\n")
    assert [d.message for d in found] == [str(raised.value)]


def test_faults_outside_the_entries_are_pointed_at_too(tmp_path: Path) -> None:
    _, found = loaded(tmp_path, """
        official_years: [2027, "2028", 1900]
        dayz: []
        days:
          - {date: 2027-02-06}
    """)
    assert places(found) == [(1, 24, "calendar", "error"), (1, 32, "calendar", "error"),
                             (2, 1, "calendar", "error"), (4, 5, "calendar", "error")]
    assert "未知的键 dayz" in found[2].message and found[2].width == len("dayz")
    assert "缺少 working" in found[3].message


def test_two_faults_of_one_entry_are_both_reported(tmp_path: Path) -> None:
    _, found = loaded(tmp_path, "days:\n  - {working: maybe, nmae: x}\n")
    assert [d.message.split("：", 1)[1].split(" / ")[0] for d in found] == [
        "未知的键 nmae（允许：date, working, name）", "缺少 date", "working 应为 true 或 false，实际为 'maybe'"]


# --- official_years: can the entered days be a whole notice? --------------------------------


def test_a_year_declared_official_with_two_entries_is_a_warning_at_the_year(tmp_path: Path) -> None:
    calendar, found = loaded(tmp_path, """
        official_years: [2026, 2027]
        days:
          - {date: 2027-02-06, working: false, name: 春节}
          - {date: 2027-02-07, working: false, name: 春节}
    """)
    # The entries win day by day, but a year whose notice is not whole stays provisional, so every
    # output that relies on it says so (2026 is official anyway: the holidays package has its notice).
    assert calendar.official_years == ()
    assert calendar_for(calendar).is_provisional(2027)
    assert not calendar_for(calendar).is_provisional(2026)
    assert not calendar_for(calendar).is_working_day(date(2027, 2, 7))  # an entry still counts
    warnings = {(d.line, d.col): d for d in found}
    assert set(warnings) == {(1, 18), (1, 24)} and all(d.severity == "warning" for d in found)
    message = warnings[(1, 24)].message
    assert "只录入了 2 个休息日,少于 2027 年法定节假日的 13 天" in message
    assert "元旦、清明节、劳动节、端午节、中秋节、国庆节没有录入" in message
    assert "没有调休上班日" in message
    assert "2027 年的日期仍标为暂定" in (warnings[(1, 24)].hint or "")


def test_a_whole_notice_is_not_warned_about(tmp_path: Path) -> None:
    calendar, found = loaded(tmp_path, WHOLE_2027)
    assert found == []
    workdays = calendar_for(calendar)
    assert not workdays.is_working_day(date(2027, 2, 12))  # the notice's own day off
    assert workdays.is_working_day(date(2027, 1, 31))  # and its make-up Sunday


def test_the_whole_notice_example_holds_every_statutory_day(tmp_path: Path) -> None:
    calendar, _ = loaded(tmp_path, WHOLE_2027)
    off = {o.day for o in calendar.overrides if not o.working}
    assert {day for days in statutory_days(2027).values() for day in days} <= off


def test_a_notice_without_a_make_up_day_is_only_said_to_have_none(tmp_path: Path) -> None:
    text = "\n".join(line for line in WHOLE_2027.splitlines() if "working: true" not in line)
    _, [found] = loaded(tmp_path, text)
    assert found.code == "calendar-incomplete"
    assert found.message.split(":", 1)[1].startswith("没有调休上班日")


def test_a_statutory_holiday_left_out_is_named(tmp_path: Path) -> None:
    text = "\n".join(line for line in WHOLE_2027.splitlines() if "中秋节" not in line)
    _, [found] = loaded(tmp_path, text)
    assert "中秋节没有录入" in found.message and "休息日" not in found.message


def test_a_single_official_year_is_pointed_at_where_it_is_written(tmp_path: Path) -> None:
    _, [found] = loaded(tmp_path, "official_years: 2027\n")
    assert (found.line, found.col, found.width) == (1, 17, 4)
    assert "只录入了 0 个休息日" in found.message


@pytest.mark.parametrize(("year", "total", "spring", "labour"),
                         [(2014, 11, 3, 1), (2024, 11, 3, 1), (2025, 13, 4, 2), (2027, 13, 4, 2)])
def test_the_statutory_days_follow_the_rules_in_force(year: int, total: int, spring: int, labour: int) -> None:
    days = statutory_days(year)
    assert set(days) == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
    assert (sum(map(len, days.values())), len(days["春节"]), len(days["劳动节"])) == (total, spring, labour)
    assert len(days["国庆节"]) == 3 and all(len(days[name]) == 1 for name in ("元旦", "清明节", "端午节", "中秋节"))
