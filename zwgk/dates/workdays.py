"""China's official working-day calendar (工作日) for counting statutory deadlines.

Openness duties are counted in working days, and in China "working day" is not
"Monday to Friday": each year the State Council General Office (国务院办公厅)
publishes a notice that turns public holidays into days off and turns some
weekend days into working days (调休上班).  This module answers the questions the
deadline rules need -- is this a working day, which day is the n-th working day
after/before an event, which days were skipped and why -- on top of the
``holidays`` package's China calendar plus the bureau's own overrides.

Official versus provisional years
---------------------------------
``holidays`` keeps producing a China calendar for years whose notice has not
been published yet (it applies the statutory rules, e.g. 春节 = 除夕 + 初一..初三),
but it cannot know that year's 调休 arrangement, so such a year is only a guess.
We call a year *official* when ``holidays`` lists at least one make-up weekend
working day in it -- every notice since the 2001 one has had some -- or when the
bureau has entered the notice itself and declared the year in ``official_years``.
Every other year is *provisional* and callers should flag deadlines in it.

Verified with holidays 0.109: 2001-2026 each have 5-12 make-up weekend working
days (2017: 5, 2020: 6, 2025: 5, 2026: 6), so 2017-2026 are official; 2027 and
later have none, so 2027 is provisional; years before 2001 have none either and
are treated as provisional.  The rule's one blind spot: a future notice with no
make-up day at all would look provisional -- the bureau then lists the year in
``official_years``.

Names: ``holidays`` is asked for ``zh_CN`` labels (explicitly, because otherwise
it follows the process locale).  Its labels are used verbatim -- e.g. 农历除夕,
国庆节（补假）, 休息日（由 2026-09-20 调休） -- except that simultaneous holidays,
which it joins with "; ", are joined with 、 as in the notices (中秋节、国庆节).
If a ``holidays`` version lacks ``zh_CN``, the English labels are translated to
the same strings, and unknown ones are kept in English.

Pure: no I/O, no clock.  ``holidays`` is imported lazily so commands that never
count working days do not pay for the import; and where a year's table comes from
can be set once by the program (``use_year_source``): zwgk's command line keeps
the tables in its cache (zwgk/store/yeartables.py), since importing ``holidays``
and building its first China year costs about 100 ms, a kept table well under one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from zwgk.models import CalendarData, DayOverride
from zwgk.models import require_date as _check_date

__all__ = [
    "DayOverride",
    "SkippedDay",
    "WorkdayCalendar",
    "YearTable",
    "calendar_for",
    "holiday_name_zh",
    "use_year_source",
    "year_table",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5
_WEEKDAY_NAMES = {5: "周六", 6: "周日"}
# A weekday made non-working by an override that gave no name.
_UNNAMED_DAY_OFF = "休息日"
_MAKEUP_WORKDAY = "调休上班"

# English labels of holidays' China calendar (holidays 0.109, en_US) mapped to
# the package's own zh_CN labels.  Only used when zh_CN is unavailable; a test
# checks the mapping reproduces zh_CN for every year the package knows.
_EN_TO_ZH: Mapping[str, str] = {
    "New Year's Day": "元旦",
    "Chinese New Year's Eve": "农历除夕",
    "Chinese New Year (Spring Festival)": "春节",
    "Chinese New Year Extended Holiday": "春节延长假期",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
    "70th Anniversary of the Victory of the Chinese People's War of Resistance "
    "against Japanese Aggression and the World Anti-Fascist War": (
        "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    ),
}
_OBSERVED_RE = re.compile(r"^(?P<base>.+) \(observed\)$")
_SUBSTITUTED_RE = re.compile(
    r"^Day off \(substituted from (?P<m>\d{2})/(?P<d>\d{2})/(?P<y>\d{4})\)$"
)


def holiday_name_zh(name: str) -> str:
    """Return the Chinese label for a ``holidays`` China label (English or Chinese).

    Chinese labels pass through unchanged; unknown English labels are kept as they
    are rather than guessed, so a clerk never sees an invented name.
    """
    return "、".join(_part_to_zh(part) for part in name.split("; "))


def _part_to_zh(part: str) -> str:
    if part in _EN_TO_ZH:
        return _EN_TO_ZH[part]
    if m := _OBSERVED_RE.match(part):
        base = _EN_TO_ZH.get(m["base"])
        return f"{base}（补假）" if base is not None else part
    if m := _SUBSTITUTED_RE.match(part):
        return f"休息日（由 {m['y']}-{m['m']}-{m['d']} 调休）"
    return part


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A non-working day passed over while counting, with the clerk-facing reason."""

    day: date
    reason: str  # "周六", "周日", or the holiday's name (Chinese where known)


@dataclass(frozen=True, slots=True)
class YearTable:
    """What ``holidays`` says about one year, reduced to what we look up."""

    days_off: Mapping[date, str]  # date -> Chinese label; may include weekend days
    makeup_workdays: frozenset[date]  # weekend days that are working days


class WorkdayCalendar:
    """The working-day calendar: ``holidays`` China, corrected by the bureau's overrides.

    Observably immutable: the per-year tables it builds on first use are a cache
    of a pure function of the year.
    """

    __slots__ = ("_official_years", "_overrides", "_years")

    def __init__(
        self, overrides: Iterable[DayOverride] = (), official_years: Iterable[int] = ()
    ) -> None:
        by_day: dict[date, DayOverride] = {}
        for override in overrides:
            if not isinstance(override, DayOverride):
                raise TypeError(f"overrides must be DayOverride, not {type(override).__name__}")
            previous = by_day.get(override.day)
            # Two different rulings for one day is a data error; picking one
            # silently could move a legal deadline.
            if previous is not None and previous != override:
                raise ValueError(
                    f"{override.day.isoformat()} 有两条不同的日历覆盖 / "
                    f"conflicting overrides for {override.day.isoformat()}: "
                    f"{previous!r} vs {override!r}"
                )
            by_day[override.day] = override
        years: set[int] = set()
        for year in official_years:
            if isinstance(year, bool) or not isinstance(year, int):
                raise TypeError(f"official_years must be int, not {type(year).__name__}")
            years.add(year)
        self._overrides: Mapping[date, DayOverride] = by_day
        self._official_years: frozenset[int] = frozenset(years)
        self._years: dict[int, YearTable] = {}

    # -- per-year data ---------------------------------------------------------

    def _year(self, year: int) -> YearTable:
        data = self._years.get(year)
        if data is None:
            data = self._years[year] = _year_source(year)
        return data

    def _is_working(self, day: date) -> bool:
        # Hot path of every count: no argument checks here, only dict/set lookups.
        override = self._overrides.get(day)
        if override is not None:
            return override.working
        data = self._years.get(day.year)
        if data is None:
            data = self._year(day.year)
        if day.weekday() >= _SATURDAY:
            return day in data.makeup_workdays
        return day not in data.days_off

    # -- public API ------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (工作日)."""
        return self._is_working(_check_date(day, "day"))

    def is_provisional(self, year: int) -> bool:
        """Whether ``year``'s calendar is a rule-based guess rather than a published notice."""
        if year in self._official_years:
            return False
        return not self._year(year).makeup_workdays

    def day_name(self, day: date) -> str:
        """Chinese label of a day for explanations.

        Non-working day: the holiday name (override name first), else 周六/周日,
        else 休息日.  Make-up weekend working day: the override's name or 调休上班.
        Ordinary working day: "".
        """
        _check_date(day, "day")
        override = self._overrides.get(day)
        weekend = day.weekday() >= _SATURDAY
        if self._is_working(day):
            if not weekend:
                return ""
            return (override.name if override is not None else "") or _MAKEUP_WORKDAY
        if override is not None and override.name:
            return override.name
        package_name = self._year(day.year).days_off.get(day)
        if package_name:
            return package_name
        return _WEEKDAY_NAMES.get(day.weekday(), _UNNAMED_DAY_OFF)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after ``start``; ``start`` itself when n == 0.

        "By the end of the next working day after the event" is
        ``add_working_days(event, 1)``.  ``start`` need not be a working day.
        """
        return self._step(start, n, _ONE_DAY)

    def subtract_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly before ``start``; ``start`` itself when n == 0.

        "Publish 3 working days before the enforcement date" is
        ``subtract_working_days(enforcement, 3)``.
        """
        return self._step(start, n, -_ONE_DAY)

    def _step(self, start: date, n: int, step: timedelta) -> date:
        day = _check_date(start, "start")
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be int, not {type(n).__name__}")
        # A negative count is almost certainly a sign error in a rule; refuse it
        # rather than silently counting the other way.
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        remaining = n
        while remaining:
            day += step
            if self._is_working(day):
                remaining -= 1
        return day

    def skipped_between(self, start: date, end: date) -> list[SkippedDay]:
        """Non-working days strictly between ``start`` and ``end`` (either order), sorted."""
        lo, hi = sorted((_check_date(start, "start"), _check_date(end, "end")))
        return [
            SkippedDay(day, self.day_name(day))
            for day in _days_strictly_between(lo, hi)
            if not self._is_working(day)
        ]

    def provisional_years_between(self, start: date, end: date) -> list[int]:
        """Provisional years touched by the closed interval between the dates; [] if none."""
        lo, hi = sorted((_check_date(start, "start"), _check_date(end, "end")))
        return [year for year in range(lo.year, hi.year + 1) if self.is_provisional(year)]


def _days_strictly_between(lo: date, hi: date) -> Iterator[date]:
    day = lo + _ONE_DAY
    while day < hi:
        yield day
        day += _ONE_DAY


def year_table(year: int) -> YearTable:
    """One year of ``holidays``' China calendar (a pure function of the year and the package)."""
    if not date.min.year <= year <= date.max.year:
        raise ValueError(f"year out of range: {year}")
    # Imported here, not at module top: see the module docstring.
    import holidays

    china = holidays.China
    # Without an explicit language the labels follow the process locale, which
    # would make explanations differ between machines.
    language = "zh_CN" if "zh_CN" in getattr(china, "supported_languages", ()) else None
    calendar = china(years=year, language=language)
    days_off = {day: holiday_name_zh(name) for day, name in calendar.items() if day.year == year}
    # The package pre-loads make-up days of year-crossing arrangements (e.g.
    # 2018-12-29 for New Year 2019) into every instance, so keep only this year's.
    makeup = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return YearTable(days_off=days_off, makeup_workdays=makeup)


_year_source: Callable[[int], YearTable] = year_table


def use_year_source(source: Callable[[int], YearTable]) -> None:
    """Where every calendar made from now on takes its year tables: a keeper of the tables
    `year_table` gives (the same tables, from somewhere faster)."""
    global _year_source
    _year_source = source
    calendar_for.cache_clear()


@lru_cache(maxsize=8)
def calendar_for(data: CalendarData) -> WorkdayCalendar:
    """China's working days with the office's own corrections (calendar.yaml) winning."""
    return WorkdayCalendar(data.overrides, data.official_years)
