"""calendar.yaml: the office's own entries from a State Council holiday notice, as overrides.

Read by hand rather than by a pydantic model because each message names the entry (第 N 条) the
way the notice is read; the first fault in a file stops the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from zwgk.errors import Diagnostic
from zwgk.load.files import present
from zwgk.load.plan import read_yaml
from zwgk.models import CalendarData, DayOverride

_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
def load_calendar(path: Path, diagnostics: list[Diagnostic]) -> CalendarData:
    """calendar.yaml is optional: the office's own entries from a new State Council notice."""
    if not present(path):
        return CalendarData()
    read = read_yaml(path, diagnostics)
    if read is None:
        return CalendarData()
    data, source = read
    try:
        overrides, official_years = overrides_from_mapping(data)
    except OverrideDataError as error:
        loc = ("days", error.index) if error.index is not None else ()
        diagnostics.append(source.diagnostic(loc, "calendar", str(error)))
        return CalendarData()
    except ValueError as error:
        diagnostics.append(source.diagnostic((), "calendar", str(error)))
        return CalendarData()
    return CalendarData(tuple(overrides), tuple(official_years))


class OverrideDataError(ValueError):
    """A malformed calendar-override mapping.

    ``index`` is the 0-based position in ``days`` of the bad entry (None when
    the problem is not a single entry) so the caller can point at a file line.
    """

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


_TOP_KEYS = frozenset({"official_years", "days"})
_ENTRY_KEYS = frozenset({"date", "working", "name"})


def _error(where: str, zh: str, en: str, index: int | None = None) -> OverrideDataError:
    return OverrideDataError(f"{where}：{zh} / {where}: {en}", index)


def overrides_from_mapping(data: Mapping[str, Any]) -> tuple[list[DayOverride], list[int]]:
    """Validate an already-parsed ``calendar.yaml`` mapping into overrides and official years.

    Shape::

        official_years: [2027]        # optional
        days:                         # optional
          - {date: 2027-02-06, working: false, name: 春节}
          - {date: 2027-02-20, working: true, name: 春节调休上班}

    Dates may be ``datetime.date`` (what ``yaml.safe_load`` gives) or
    ``YYYY-MM-DD`` strings.  Unknown keys are rejected because a misspelt key
    would otherwise silently drop a ruling that moves deadlines.  Raises
    ``OverrideDataError`` (a ``ValueError``) with a Chinese + English message;
    the caller adds the file name and line.
    """
    if not isinstance(data, Mapping):
        raise _error(
            "calendar",
            f"顶层应为映射（键值对），实际为 {type(data).__name__}",
            f"top level must be a mapping, got {type(data).__name__}",
        )
    unknown = sorted(str(key) for key in data if key not in _TOP_KEYS)
    if unknown:
        raise _error(
            "calendar",
            f"未知的键 {', '.join(unknown)}（允许：official_years, days）",
            f"unknown key(s) {', '.join(unknown)} (allowed: official_years, days)",
        )
    return _parse_days(data.get("days")), _parse_official_years(data.get("official_years"))


def _parse_official_years(raw: object) -> list[int]:
    if raw is None:  # "official_years:" with nothing after it
        return []
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = [raw]
    if not isinstance(raw, list):
        raise _error(
            "official_years",
            "应为年份列表，例如 [2027]",
            f"must be a list of years such as [2027], got {raw!r}",
        )
    years: list[int] = []
    for year in raw:
        # bool is an int subclass; "2027" as a string is a quoting slip.
        if isinstance(year, bool) or not isinstance(year, int) or not 1950 <= year <= 2100:
            raise _error(
                "official_years",
                f"{year!r} 不是有效年份（1950–2100 的整数）",
                f"{year!r} is not a valid year (an integer 1950-2100)",
            )
        if year not in years:
            years.append(year)
    return years


def _parse_days(raw: object) -> list[DayOverride]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _error(
            "days",
            "应为列表，每项形如 {date: 2027-02-06, working: false, name: 春节}",
            f"must be a list of {{date, working, name}} entries, got {type(raw).__name__}",
        )
    result: list[DayOverride] = []
    seen: dict[date, int] = {}
    for index, entry in enumerate(raw):
        override = _parse_entry(index, entry)
        if override.day in seen:
            where = f"days[{index}]（第 {index + 1} 条）"
            first = seen[override.day] + 1
            raise _error(
                where,
                f"日期 {override.day.isoformat()} 与第 {first} 条重复",
                f"date {override.day.isoformat()} repeats entry {first}",
                index,
            )
        seen[override.day] = index
        result.append(override)
    return result


def _parse_entry(index: int, entry: object) -> DayOverride:
    where = f"days[{index}]（第 {index + 1} 条）"
    if not isinstance(entry, Mapping):
        raise _error(
            where,
            "应为 {date: …, working: true/false, name: …}",
            f"must be a mapping {{date, working, name}}, got {entry!r}",
            index,
        )
    unknown = sorted(str(key) for key in entry if key not in _ENTRY_KEYS)
    if unknown:
        raise _error(
            where,
            f"未知的键 {', '.join(unknown)}（允许：date, working, name）",
            f"unknown key(s) {', '.join(unknown)} (allowed: date, working, name)",
            index,
        )
    if "date" not in entry:
        raise _error(where, "缺少 date", "missing 'date'", index)
    if "working" not in entry:
        raise _error(where, "缺少 working（true 上班 / false 休息）", "missing 'working'", index)
    day = _parse_date(where, index, entry["date"])
    working = entry["working"]
    # Only real booleans: YAML already maps true/false, and a string like
    # "false" is truthy, so accepting it would invert the ruling.
    if not isinstance(working, bool):
        raise _error(
            where,
            f"working 应为 true 或 false，实际为 {working!r}",
            f"'working' must be true or false, got {working!r}",
            index,
        )
    name = entry.get("name", "")
    if name is None:
        name = ""
    if not isinstance(name, str):
        raise _error(
            where,
            f"name 应为文字，实际为 {name!r}",
            f"'name' must be text, got {name!r}",
            index,
        )
    return DayOverride(day=day, working=working, name=name.strip())


def _parse_date(where: str, index: int, raw: object) -> date:
    if isinstance(raw, datetime):
        raise _error(
            where,
            f"date 应只写日期（YYYY-MM-DD），不含时间：{raw!r}",
            f"'date' must be a date without a time, got {raw!r}",
            index,
        )
    if isinstance(raw, date):
        return raw
    # date.fromisoformat in 3.11 also takes 20270206 or 2027-W05-6; the file
    # format is YYYY-MM-DD only, so anything else is more likely a typo.
    if isinstance(raw, str) and _ISO_DATE_RE.match(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise _error(
        where,
        f"date 应为有效日期 YYYY-MM-DD，实际为 {raw!r}",
        f"'date' must be a valid YYYY-MM-DD date, got {raw!r}",
        index,
    )
