"""What the user typed, as values: the options commands share, the clock ("today" is the date
in Beijing), dates, moments and windows. A mistake is a UserError: a message and exit code 2,
never a traceback."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from zwgk.errors import UserError

if TYPE_CHECKING:
    from zwgk.summary.filters import ListFilter
from zwgk.report.registry import choices_help, formats_of

BEIJING = ZoneInfo("Asia/Shanghai")


DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="数据文件夹 (default: $ZWGK_DATA, ./data, or the bundled data)",
                 show_default=False),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="按哪一刻判断:日期 2026-11-20(按当天结束时)或 2026-11-20T14:30"
                 " (default: 北京时间此刻, now in Asia/Shanghai)",
                 show_default=False),
]
KnownAtOption = Annotated[str | None, typer.Option(
    "--known-at", help="按当时已登记的记录重演:只用该日及以前写入的日志 (replay what was known then)",
    show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON (one JSON object)")]
DataListOption = Annotated[
    list[Path] | None,
    typer.Option("--data", help="数据文件夹,可写多次以同时查看多个单位 (repeatable)", show_default=False),
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", help="多单位清单 zwgk.yaml (default: ./zwgk.yaml when present)",
                 show_default=False),
]
UnitOption = Annotated[
    list[str] | None,
    typer.Option("--unit", help="只看某个单位,可写多次 (with a workspace)", show_default=False),
]
WarnOption = Annotated[
    int | None,
    typer.Option("--warn-days", min=0, help="提前多少天提示“即将到期” (default: settings.yaml)",
                 show_default=False),
]


def today() -> date:
    """'Today' is the date in Beijing, whatever the machine's zone."""
    return datetime.now(BEIJING).date()


def now() -> datetime:
    return datetime.now(BEIJING).replace(microsecond=0)


def parse_day(text: str, option: str) -> date:
    """A date as people type it (zwgk/dates/typed.py); anything else is an error naming the forms."""
    from zwgk.dates.typed import FORMS, DateTextError, read_date

    try:
        return read_date(text, today())
    except DateTextError as error:
        raise UserError(f"{option}:{error}", (f"可写成 {FORMS}",)) from None


def parse_moment(text: str, option: str, bounded: bool = True) -> tuple[date, str | None]:
    """A date, or a date and a time of day ("HH:MM", Beijing time; an explicit offset is converted)."""
    from zwgk.dates.typed import FORMS, MOMENT_FORMS, DateTextError, read_moment

    try:
        day, at = read_moment(text, today(), bounded)
    except DateTextError as error:
        raise UserError(f"{option}:{error}", (f"可写成 {FORMS};带时刻:{MOMENT_FORMS}",)) from None
    return day, None if at is None else at.strftime("%H:%M")


def in_range(day: date, option: str) -> date:
    from zwgk.dates.typed import DateTextError
    from zwgk.dates.typed import in_range as bounded

    try:
        return bounded(day)
    except DateTextError as error:
        raise UserError(f"{option}:{error}") from None


def parse_window(text: str, start: date) -> int:
    """A window as people write it ('14d', '2周', '1个月') → days from `start`."""
    from zwgk.dates.typed import WINDOW_FORMS, DateTextError, read_window

    try:
        return read_window(text, start)
    except DateTextError as error:
        raise UserError(f"--within:{error}", (f"可写成 {WINDOW_FORMS}",)) from None


def parse_month(text: str | None, today_: date) -> tuple[date, date]:
    """--month: `2026-12`, `2026/12`, `2026年12月`, `12月` (this year); None: the month of `today_`."""
    import calendar
    import re

    if text is None:
        year, month = today_.year, today_.month
    else:
        found = re.fullmatch(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*月?", text.strip())
        if found is None or not 1 <= int(found[2]) <= 12 or not 1950 <= int(found[1] or today_.year) <= 2100:
            raise UserError(f"--month:'{text}' 不是月份 (not a month)", ("可写成 2026-12、2026年12月、12月",))
        year, month = int(found[1] or today_.year), int(found[2])
    first = date(year, month, 1)
    return first, date(year, month, calendar.monthrange(year, month)[1])


def known_at_day(text: str | None) -> date | None:
    return None if text is None else parse_day(text, "--known-at")


def as_of_moment(text: str | None) -> tuple[date, str | None]:
    """The instant a command judges at: now in Beijing when --as-of is not given; a plain date is
    the end of that day (a replay); a date and time is that instant. The time is "HH:MM" or None."""
    if text is None:
        moment = now()
        return moment.date(), moment.strftime("%H:%M")
    return parse_moment(text, "--as-of")


def clean_text(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def format_help(command: str) -> str:
    """`--format`'s help: the command's choices, from the format registry (zwgk/report/registry.py)."""
    return f"输出格式 (output format):{choices_help(command)}"


def chosen_format(command: str, name: str, json: bool = False, default: str = "text") -> str:
    """The --format asked for; `--json` is the same as `--format json`."""
    if json and name not in ("json", default):
        raise UserError(f"--json 与 --format {name} 不能同时使用 (--json means --format json)")
    name = "json" if json else name.strip().lower()
    if name not in formats_of(command):
        raise UserError(f"--format 应为 {choices_help(command)},而不是 '{name}'")
    return name


KindOption = Annotated[list[str] | None, typer.Option(
    "--kind", help="只看某类:task 任务 | column 栏目 | obligation 事件义务,可写多次", show_default=False)]
StatusFilterOption = Annotated[list[str] | None, typer.Option(
    "--status", help="只看某状态:overdue 逾期 | due_soon 即将到期 | open 未到期 …,可写多次",
    show_default=False)]
LeadOnlyOption = Annotated[bool, typer.Option("--lead-only", help="只看本处室牵头的(含经组牵头),需 --dept")]
GroupOption = Annotated[str | None, typer.Option("--group", help="只看某一级栏目,如 政策法规",
                                                show_default=False)]
SortOption = Annotated[str, typer.Option(
    "--sort", help="排序:due 到期日 | days 逾期/剩余天数 | dept 牵头处室")]


def list_filter(kinds: list[str] | None, statuses: list[str] | None, lead_only: bool, group: str | None,
                sort: str, dept: str | None) -> ListFilter:
    """The listing filters typed on the command line, in English or in the labels people see."""
    from zwgk.report.labels import KIND_LABEL, STATUS_LABEL
    from zwgk.rules.engine import Status
    from zwgk.summary.filters import KINDS, SORTS, ListFilter

    kind_names = {**{k: k for k in KINDS}, **{label: k for k, label in KIND_LABEL.items()}}
    status_names = {**{s.value: s for s in Status}, **{label: s for s, label in STATUS_LABEL.items()}}
    unknown = [k for k in kinds or () if k.strip().lower() not in kind_names]
    if unknown:
        raise UserError(f"--kind:未知的类型 {'、'.join(unknown)}",
                        (f"可写 {' | '.join(KINDS)} 或 任务、栏目、事件义务",))
    bad = [s for s in statuses or () if s.strip().lower() not in status_names]
    if bad:
        raise UserError(f"--status:未知的状态 {'、'.join(bad)}",
                        ("可写 " + " | ".join(s.value for s in Status)
                                                           + " 或 " + "、".join(STATUS_LABEL.values()),))
    if sort not in SORTS:
        raise UserError(f"--sort 应为 {' | '.join(SORTS)},而不是 '{sort}'")
    if lead_only and not dept:
        raise UserError("--lead-only 需要与 --dept 一起使用 (needs --dept)")
    return ListFilter(frozenset(kind_names[k.strip().lower()] for k in kinds or ()),
                      frozenset(status_names[s.strip().lower()] for s in statuses or ()),
                      lead_only, group.strip() if group else None, sort)  # type: ignore[arg-type]
