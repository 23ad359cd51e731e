"""What the user typed, as values: the options commands share, the clock ("today" is the date
in Beijing), dates, moments and windows. A mistake is a UserError: a message and exit code 2,
never a traceback."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from zwgk.errors import UserError
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


def parse_window(text: str) -> int:
    """'14d', '2w', '30' → days."""
    cleaned = text.strip().lower()
    factor = 7 if cleaned.endswith("w") else 1
    number = cleaned.rstrip("dw")
    if not number.isdigit():
        raise UserError(f"--within 应写成 14d、2w 或 30,而不是 '{text}'")
    return int(number) * factor


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
