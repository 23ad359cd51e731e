"""Dates and moments as people type them, read strictly: one reading or a refusal.

Accepted: 2026-11-20, 2026/11/20, 2026.11.20 (month and day may have one digit), 2026年11月20日,
11月20日 (this year), 今天, 昨天, 前天; a moment adds a time, `2026-11-20T14:30` or
`2026-11-20 14:30`. Refused: anything else — `20261120` (eight digits could be a typo for
anything), `11/20/2026`, an empty string — and any day outside the years zwgk can count in.
Pure: "today" is an argument.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zwgk.models import FIRST_DAY, LAST_DAY

FORMS = "2026-11-20、2026/11/20、2026.11.20、2026年11月20日、11月20日、今天、昨天、前天"
MOMENT_FORMS = "2026-11-20、2026-11-20T14:30(或 2026-11-20 14:30)"
_RELATIVE = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
_NUMERIC = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_CHINESE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")
_MOMENT = re.compile(r"(.+?)(?:T| +)(\d{1,2}):(\d{2})")
_OFFSET = re.compile(r"T\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})$")
BEIJING = ZoneInfo("Asia/Shanghai")


class DateTextError(ValueError):
    """Text that is not a date in one of the accepted forms (the message says why, in Chinese)."""


def read_date(text: str, today: date, bounded: bool = True) -> date:
    """The day `text` names. DateTextError for an empty, ambiguous or impossible one, and (when
    `bounded`) for one outside the years zwgk counts in; a caller with a more telling refusal
    (a record dated in the future) checks the range itself, after that one."""
    cleaned = text.strip()
    if not cleaned:
        raise DateTextError("不能为空 (empty)")
    if cleaned in _RELATIVE:
        return today - timedelta(days=_RELATIVE[cleaned])
    if match := _NUMERIC.fullmatch(cleaned):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    elif match := _CHINESE.fullmatch(cleaned):
        year = int(match[1]) if match[1] else today.year
        month, day = int(match[2]), int(match[3])
    else:
        raise DateTextError(f"'{text}' 不是可识别的日期格式 (not a date zwgk reads)")
    try:
        found = date(year, month, day)
    except ValueError:
        raise DateTextError(f"'{text}' 不是存在的日期 (no such day)") from None
    return in_range(found) if bounded else found


def read_moment(text: str, today: date, bounded: bool = True) -> tuple[date, time | None]:
    """A day, with the time of day when one is given, in Beijing time (an ISO instant with an
    explicit offset, `2026-11-20T06:30+00:00`, is converted)."""
    cleaned = text.strip()
    if _OFFSET.search(cleaned):
        try:
            moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00")).astimezone(BEIJING)
        except (ValueError, OverflowError):
            raise DateTextError(f"'{text}' 不是可识别的时刻 (not a moment zwgk reads)") from None
        day = in_range(moment.date()) if bounded else moment.date()
        return day, moment.time().replace(second=0, microsecond=0)
    match = _MOMENT.fullmatch(cleaned)
    if match is None:
        return read_date(cleaned, today, bounded), None
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        raise DateTextError(f"'{text}' 的时刻不存在 (no such time of day)")
    return read_date(match[1], today, bounded), time(hour, minute)


def in_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateTextError(f"{day} 超出可计算的范围 {FIRST_DAY}—{LAST_DAY} (out of range)")
    return day


WINDOW_FORMS = "14、14d、14天、2w、2周、2星期、1个月、3月、1年、两周、一个月"
_WINDOW = re.compile(r"(?P<number>\d+|[一二两三四五六七八九十]+)\s*"
                     r"(?P<unit>d|天|日|w|周|星期|个月|月|m|mo|y|年)?")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
MAX_WINDOW_DAYS = 3660


def read_window(text: str, start: date) -> int:
    """A window as people write it, in days from `start` (a month is a calendar month from it)."""
    found = _WINDOW.fullmatch(text.strip().lower())
    if found is None:
        raise DateTextError(f"'{text}' 不是可识别的时间窗口 (not a window zwgk reads)")
    from dateutil.relativedelta import relativedelta  # only a window in months or years needs it

    number = _number(found["number"])
    unit = found["unit"] or "d"
    try:
        if unit in ("个月", "月", "m", "mo"):
            days = ((start + relativedelta(months=min(number, 1200))) - start).days
        elif unit in ("y", "年"):
            days = ((start + relativedelta(years=min(number, 100))) - start).days
        else:
            days = number * (7 if unit in ("w", "周", "星期") else 1)
    except (ValueError, OverflowError):  # past the end of the calendar: too long by any measure
        days = MAX_WINDOW_DAYS + 1
    if days > MAX_WINDOW_DAYS:
        raise DateTextError(f"'{text}' 太长,最多约 10 年 (window too long)")
    return days


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _, ones = text.partition("十")
    if "十" in text:
        return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(ones, 0) if ones else 0)
    return _NUMERALS[text] if len(text) == 1 else int("".join(str(_NUMERALS[c]) for c in text))
