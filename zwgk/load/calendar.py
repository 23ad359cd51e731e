"""calendar.yaml: the office's own entries from a State Council holiday notice, as overrides.

Read by hand rather than by a pydantic model because each message names the entry (第 N 条) the
way the notice is read. Every fault is reported, each at its own entry; a file with any fault is
not used. A year in `official_years` is the office's word that it entered that year's whole
notice, and is taken as such; when the entered days cannot be a whole notice, it is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zwgk.errors import Diagnostic
from zwgk.load.files import present
from zwgk.load.plan import read_yaml
from zwgk.models import CalendarData, DayOverride

if TYPE_CHECKING:
    from zwgk.load.validation import FileSource

_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Loc = tuple[Any, ...]


def load_calendar(path: Path, diagnostics: list[Diagnostic]) -> CalendarData:
    """calendar.yaml is optional: the office's own entries from a new State Council notice."""
    if not present(path):
        return CalendarData()
    read = read_yaml(path, diagnostics)
    if read is None:
        return CalendarData()
    data, source = read
    overrides, years, errors = read_overrides(data)
    found = [source.diagnostic(error.loc, "calendar", str(error), prefer_key=error.at_key)
             for error in errors]
    diagnostics += sorted(found, key=lambda d: (d.line or 0, d.col or 0))  # as the file reads
    if errors:
        return CalendarData()
    notices = incomplete_notices(overrides, years, source)
    diagnostics += [warning for _, warning in notices]
    doubtful = {year for year, _ in notices}
    return CalendarData(tuple(overrides), tuple(year for year, _ in years if year not in doubtful))


class OverrideDataError(ValueError):
    """A malformed calendar-override mapping.

    ``index`` is the 0-based position in ``days`` of the bad entry (None when
    the problem is not a single entry); ``loc`` is where in the file it is, so the
    caller can point at a file line.
    """

    def __init__(self, message: str, index: int | None = None, loc: Loc | None = None,
                 at_key: bool = False) -> None:
        super().__init__(message)
        self.index = index
        self.loc: Loc = loc if loc is not None else ("days", index) if index is not None else ()
        self.at_key = at_key  # point at the key itself (an unknown key), not at its value


_TOP_KEYS = frozenset({"official_years", "days"})
_ENTRY_KEYS = frozenset({"date", "working", "name"})


def _error(where: str, zh: str, en: str, index: int | None = None, loc: Loc | None = None,
           at_key: bool = False) -> OverrideDataError:
    return OverrideDataError(f"{where}：{zh} / {where}: {en}", index, loc, at_key)


def overrides_from_mapping(data: Mapping[str, Any]) -> tuple[list[DayOverride], list[int]]:
    """Validate an already-parsed ``calendar.yaml`` mapping into overrides and official years.

    Shape::

        official_years: [2027]        # optional
        days:                         # optional
          - {date: 2027-02-06, working: false, name: 春节}
          - {date: 2027-02-20, working: true, name: 春节调休上班}

    Dates may be ``datetime.date`` (what ``yaml.safe_load`` gives) or
    ``YYYY-MM-DD`` strings.  Unknown keys are rejected because a misspelt key
    would otherwise silently drop a ruling that moves deadlines.  Raises the first
    ``OverrideDataError`` (a ``ValueError``) with a Chinese + English message;
    ``read_overrides`` gives all of them.
    """
    overrides, years, errors = read_overrides(data)
    if errors:
        raise errors[0]
    return overrides, [year for year, _ in years]


def read_overrides(
    data: object,
) -> tuple[list[DayOverride], list[tuple[int, Loc]], list[OverrideDataError]]:
    """The overrides, the official years (each with where it is written) and every fault."""
    errors: list[OverrideDataError] = []
    if not isinstance(data, Mapping):
        errors.append(_error(
            "calendar",
            f"顶层应为映射（键值对），实际为 {type(data).__name__}",
            f"top level must be a mapping, got {type(data).__name__}",
        ))
        return [], [], errors
    for key in sorted(str(key) for key in data if key not in _TOP_KEYS):
        errors.append(_error(
            "calendar",
            f"未知的键 {key}（允许：official_years, days）",
            f"unknown key(s) {key} (allowed: official_years, days)",
            loc=(key,), at_key=True,
        ))
    days = _parse_days(data.get("days"), errors)
    return days, _parse_official_years(data.get("official_years"), errors), errors


def _parse_official_years(raw: object, errors: list[OverrideDataError]) -> list[tuple[int, Loc]]:
    if raw is None:  # "official_years:" with nothing after it
        return []
    if isinstance(raw, int) and not isinstance(raw, bool):
        written: list[tuple[object, Loc]] = [(raw, ("official_years",))]
    elif isinstance(raw, list):
        written = [(year, ("official_years", n)) for n, year in enumerate(raw)]
    else:
        errors.append(_error(
            "official_years",
            "应为年份列表，例如 [2027]",
            f"must be a list of years such as [2027], got {raw!r}",
            loc=("official_years",),
        ))
        return []
    years: list[tuple[int, Loc]] = []
    for year, loc in written:
        # bool is an int subclass; "2027" as a string is a quoting slip.
        if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
            errors.append(_error(
                "official_years",
                f"{year!r} 不是有效年份（1950–2100 的整数）",
                f"{year!r} is not a valid year (an integer 1950-2100)",
                loc=loc,
            ))
        elif year not in (seen for seen, _ in years):
            years.append((year, loc))
    return years


def _parse_days(raw: object, errors: list[OverrideDataError]) -> list[DayOverride]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(_error(
            "days",
            "应为列表，每项形如 {date: 2027-02-06, working: false, name: 春节}",
            f"must be a list of {{date, working, name}} entries, got {type(raw).__name__}",
            loc=("days",),
        ))
        return []
    result: list[DayOverride] = []
    seen: dict[date, int] = {}
    for index, entry in enumerate(raw):
        override = _parse_entry(index, entry, errors)
        if override is None:
            continue
        if override.day in seen:
            where = f"days[{index}]（第 {index + 1} 条）"
            first = seen[override.day] + 1
            errors.append(_error(
                where,
                f"日期 {override.day.isoformat()} 与第 {first} 条重复",
                f"date {override.day.isoformat()} repeats entry {first}",
                index,
            ))
            continue
        seen[override.day] = index
        result.append(override)
    return result


def _parse_entry(index: int, entry: object, errors: list[OverrideDataError]) -> DayOverride | None:
    """One entry, or None when it has faults: each of them is added to `errors`."""
    where = f"days[{index}]（第 {index + 1} 条）"
    if not isinstance(entry, Mapping):
        errors.append(_error(
            where,
            "应为 {date: …, working: true/false, name: …}",
            f"must be a mapping {{date, working, name}}, got {entry!r}",
            index,
        ))
        return None
    found: list[OverrideDataError] = []
    unknown = sorted(str(key) for key in entry if key not in _ENTRY_KEYS)
    if unknown:
        found.append(_error(
            where,
            f"未知的键 {', '.join(unknown)}（允许：date, working, name）",
            f"unknown key(s) {', '.join(unknown)} (allowed: date, working, name)",
            index,
        ))
    if "date" not in entry:
        found.append(_error(where, "缺少 date", "missing 'date'", index))
    if "working" not in entry:
        found.append(_error(where, "缺少 working（true 上班 / false 休息）", "missing 'working'", index))
    day = _parse_date(where, index, entry["date"], found) if "date" in entry else None
    working = entry.get("working")
    # Only real booleans: YAML already maps true/false, and a string like
    # "false" is truthy, so accepting it would invert the ruling.
    if "working" in entry and not isinstance(working, bool):
        found.append(_error(
            where,
            f"working 应为 true 或 false，实际为 {working!r}",
            f"'working' must be true or false, got {working!r}",
            index,
        ))
    name = entry.get("name", "")
    if name is None:
        name = ""
    if not isinstance(name, str):
        found.append(_error(
            where,
            f"name 应为文字，实际为 {name!r}",
            f"'name' must be text, got {name!r}",
            index,
        ))
    errors += found
    if found or day is None or not isinstance(working, bool) or not isinstance(name, str):
        return None
    return DayOverride(day=day, working=working, name=name.strip())


def _parse_date(where: str, index: int, raw: object, errors: list[OverrideDataError]) -> date | None:
    if isinstance(raw, datetime):
        errors.append(_error(
            where,
            f"date 应只写日期（YYYY-MM-DD），不含时间：{raw!r}",
            f"'date' must be a date without a time, got {raw!r}",
            index,
        ))
        return None
    if isinstance(raw, date):
        return raw
    # date.fromisoformat in 3.11 also takes 20270206 or 2027-W05-6; the file
    # format is YYYY-MM-DD only, so anything else is more likely a typo.
    if isinstance(raw, str) and _ISO_DATE_RE.match(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    errors.append(_error(
        where,
        f"date 应为有效日期 YYYY-MM-DD，实际为 {raw!r}",
        f"'date' must be a valid YYYY-MM-DD date, got {raw!r}",
        index,
    ))
    return None


# --- official_years: can the entered days be the year's whole notice? ----------------------------

STATUTORY = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
NEAR = timedelta(days=3)  # a notice's break runs a few days either side of the statutory days


def statutory_days(year: int) -> dict[str, list[date]]:
    """Each statutory holiday's days in `year` by the rules in force (春节 is 除夕 and 初一至初三
    since 2025, 劳动节 1–2 May; 元旦, 清明, 端午, 中秋 one day each, 国庆 three), as `holidays`
    computes them without a notice's 调休."""
    import holidays  # only when a calendar.yaml declares official years

    from zwgk.dates.workdays import holiday_name_zh

    china = holidays.China
    language = "zh_CN" if "zh_CN" in getattr(china, "supported_languages", ()) else None
    found: dict[str, list[date]] = {}
    for day, label in sorted(china(years=year, observed=False, language=language).items()):
        for part in holiday_name_zh(label).split("、"):
            name = "春节" if part == "农历除夕" else part
            if name in STATUTORY and day.year == year:
                found.setdefault(name, []).append(day)
    return found


def incomplete_notices(
    overrides: list[DayOverride], years: list[tuple[int, Loc]], source: FileSource
) -> list[tuple[int, Diagnostic]]:
    """A warning at each official year whose entered days cannot be the year's whole notice: fewer
    days off than its statutory holidays, a statutory holiday with no day off near it, or not
    one make-up working day. The office's entries still win day by day; but the year's dates are
    marked provisional until the notice is whole, so every output that relies on it says so."""
    found = []
    for year, loc in years:
        off = [o.day for o in overrides if not o.working and o.day.year == year]
        legal = statutory_days(year)
        total = sum(len(days) for days in legal.values())
        problems = []
        if len(off) < total:
            problems.append(f"只录入了 {len(off)} 个休息日,少于 {year} 年法定节假日的 {total} 天")
        missing = [name for name, days in legal.items()
                   if not any(days[0] - NEAR <= day <= days[-1] + NEAR for day in off)]
        if missing:
            problems.append(f"{'、'.join(missing)}没有录入")
        if not any(o.working and o.day.year == year for o in overrides):
            problems.append("没有调休上班日(working: true)")
        if problems:
            found.append((year, source.diagnostic(
                loc, "calendar-incomplete",
                f"official_years 写了 {year} 年,录入的日子却不像整份放假通知:{';'.join(problems)} "
                f"(official_years {year}: the entered days cannot be the year's whole notice)",
                severity="warning",
                hint=f"official_years 表示已录入该年通知的全部放假和调休上班日期;没录入的日子只能按 "
                     f"holidays 包推定,所以补全之前 {year} 年的日期仍标为暂定(provisional),各输出都会提示。"
                     f"请按国务院办公厅通知补全。")))
    return found
