"""`zwgk report` and `zwgk ics`: the weekly report and the deadline calendar (registered on the app).

Two short commands in the house pattern: load, ask the core (`zwgk.weekly`), hand the frozen
result to the renderer the format names. Across units (repeated --data, --workspace, or a
./zwgk.yaml) the core is `zwgk.rollup` and each renderer's `render_rollup`: the units ranked,
a unit × column-group grid, then each unit's own report; a broken unit's errors are printed
with its own paths, the others still report, and the exit code is 2.

This module imports only typer at the top; each renderer (and openpyxl, icalendar) is imported
when its format is asked for. A file is opened only once rendering has succeeded, and written
through a temporary file, so a failed run never leaves an empty or half-written report behind.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zwgk.cli.completion import complete_departments
from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import (
    AsOfOption,
    DataListOption,
    JsonOption,
    UnitOption,
    WorkspaceOption,
    chosen_format,
    format_help,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from zwgk.dates.weeks import ReportPeriod
    from zwgk.load import LoadMemo
    from zwgk.models import Dataset
    from zwgk.rules.engine import Evaluation, ItemStatus
    from zwgk.summary.units import UnitRun
    from zwgk.summary.weekly import Judge


ReportFormat = Annotated[str, typer.Option("--format", help=format_help("report"))]
DEFAULT_MONTHS = 3

DeptOption = Annotated[str | None, typer.Option("--dept", help="只看某处室(含经组承担的事项)",
                                                autocompletion=complete_departments,
                                                show_default=False)]
OutputOption = Annotated[Path | None, typer.Option(
    "-o", "--output", help="输出文件;'-' 为标准输出 (default: md/json 输出到标准输出,"
    "html/csv/xlsx 写入当前目录的 zwgk-周报-<周期>.<格式>)", show_default=False)]
IcsOutputOption = Annotated[Path | None, typer.Option(
    "-o", "--output", help="输出文件,如 zwgk.ics (default: 标准输出)", show_default=False)]


def register(app: typer.Typer) -> None:
    app.command(name="report", cls=ZwgkCommand)(report)
    app.command(name="ics", cls=ZwgkCommand)(ics)


def report(
    week: Annotated[str | None, typer.Option(
        "--week", help="ISO 周,如 2026-W48 (default: 含 --as-of 的那一周)", show_default=False)] = None,
    start: Annotated[str | None, typer.Option("--from", help="周期开始 YYYY-MM-DD(含)",
                                              show_default=False)] = None,
    end: Annotated[str | None, typer.Option("--to", help="周期结束 YYYY-MM-DD(含)",
                                            show_default=False)] = None,
    dept: DeptOption = None,
    output_format: ReportFormat = "md",
    output: OutputOption = None,
    data: DataListOption = None,
    as_of: AsOfOption = None,
    workspace: WorkspaceOption = None,
    unit: UnitOption = None,
    json: JsonOption = False,
) -> None:
    """周报:总体情况、本期新增逾期、仍逾期、两周内到期、本期完成与更新、各处室、栏目更新、源文缺漏。
    多个单位时为汇总:各单位排名、单位×一级栏目网格,再逐个单位列出周报。"""
    from zwgk.cli.options import as_of_moment
    from zwgk.cli.units import exit_if_broken, is_multi, resolve_dept, select_units
    from zwgk.load import LoadMemo
    from zwgk.report.registry import FORMATS, renderer

    chosen = FORMATS[chosen_format("report", output_format, json, default="md")]
    day, at = as_of_moment(as_of)
    period = _period(week, start, end, day)
    memo = LoadMemo()  # the trend's earlier days judge the very loads the units came from
    runs = select_units(data, workspace, unit, day, None, at=at, memo=memo)
    if is_multi(runs):
        from zwgk.summary.rollup import build_rollup

        owner = resolve_dept(runs, dept)
        rollup = build_rollup(runs, day, period.start, period.end, owner, judge=_kept_judgements(memo))
        payload = renderer("report-units", chosen.name)(rollup)
        name = "周报汇总"
    else:
        from zwgk.summary.weekly import build_weekly

        dataset, evaluation = _dataset(runs)
        owner = _owner(dataset, dept)
        judge = _kept_judgements(memo)
        weekly = build_weekly(dataset, evaluation, period.start, period.end, owner, runs[0].diagnostics,
                              judge=judge(runs[0]) if judge else None)
        payload = renderer("report", chosen.name)(weekly)
        name = "周报"
    if output is None and not chosen.to_stdout:
        from zwgk.report.safe import file_part

        output = Path(f"zwgk-{name}-{period.key}{'-' + file_part(owner) if owner else ''}.{chosen.suffix}")
    _emit(payload, output, binary=chosen.suffix == "xlsx")
    exit_if_broken(runs)


def _kept_judgements(memo: LoadMemo) -> Callable[[UnitRun], Judge | None] | None:
    """Each unit's overdue statuses at the end of an earlier day (the report's trend), from the
    store's snapshots when its inputs are unchanged: what the engine would judge again.
    None without a cache: the engine then judges the loaded data again, with no file read twice.
    `memo` is the one the units were loaded with: a unit loaded afresh is not loaded again, and
    a catalogue followed by many units is hashed once."""
    from zwgk.store import cache

    if not cache.enabled():
        return None
    return lambda run: _judgements_of(run, memo)


def _judgements_of(run: UnitRun, memo: LoadMemo) -> Judge | None:
    from zwgk.store.snapshot import overdue_at

    folder, warn = run.folder, run.evaluation.warn_days if run.evaluation else None
    if folder is None:
        return None

    def judged(day: date) -> Sequence[ItemStatus]:
        found = overdue_at(folder, day, warn, memo)
        if found is None:  # cannot be, for a unit that loaded: judge afresh rather than fail
            from zwgk.rules.engine import Status, evaluate

            assert run.dataset is not None
            return evaluate(run.dataset, day, warn).with_status(Status.OVERDUE)
        return found

    return judged


def ics(
    output: IcsOutputOption = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out-dir", help="每个单位一个日历文件,写入该文件夹:<单位>.ics(加 --dept 时 <单位>-<处室>.ics)",
        show_default=False)] = None,
    dept: DeptOption = None,
    months: Annotated[int, typer.Option("--months", min=1, max=36, help="向后几个月")] = DEFAULT_MONTHS,
    data: DataListOption = None,
    as_of: AsOfOption = None,
    workspace: WorkspaceOption = None,
    unit: UnitOption = None,
) -> None:
    """日历订阅(iCalendar):今后 N 个月的到期日和全部逾期事项(逾期的排在今天),按时限提醒;
    已完成的保留为“已取消”,再次导入即更新日历。多个单位时合为一个日历,每项标题以【单位】开头;
    --out-dir 则每个单位一个文件。"""
    from zwgk.cli.options import UserError, as_of_moment
    from zwgk.cli.units import exit_if_broken, is_multi, resolve_dept, select_units
    from zwgk.report import ics as render_ics

    if output is not None and out_dir is not None:
        raise UserError("-o 与 --out-dir 只能选一个 (use either -o FILE or --out-dir DIR)")
    day, at = as_of_moment(as_of)
    runs = select_units(data, workspace, unit, day, None, at=at)
    if out_dir is not None:
        _unit_feeds(runs, out_dir, months, dept)
    elif is_multi(runs):
        from zwgk.summary.rollup import build_feed

        feed = build_feed(runs, day, months, resolve_dept(runs, dept))
    else:
        from zwgk.summary.feed import build_deadlines

        dataset, evaluation = _dataset(runs)
        feed = build_deadlines(dataset, evaluation, months, _owner(dataset, dept))
    if out_dir is None:
        _emit(render_ics.render(feed), output)
    exit_if_broken(runs)


def _unit_feeds(runs: list[UnitRun], out_dir: Path, months: int, dept: str | None) -> None:
    """One feed per unit, `<unit>.ics` (`<unit>-<dept>.ics`), each with the UIDs the combined
    feed gives it; every feed is rendered before the first file is written."""
    from zwgk.cli.units import is_multi, resolve_dept
    from zwgk.errors import UserError
    from zwgk.load import display_path
    from zwgk.report import ics as render_ics
    from zwgk.report.safe import file_part
    from zwgk.summary.feed import build_deadlines

    multi = is_multi(runs)
    owner = resolve_dept(runs, dept) if multi else None
    files: dict[Path, bytes] = {}
    for run in runs:
        if run.dataset is None or run.evaluation is None or run.broken:
            continue
        chosen = owner if multi else _owner(run.dataset, dept)
        feed = build_deadlines(run.dataset, run.evaluation, months, chosen, unit=run.name if multi else None)
        name = file_part(run.name) + (f"-{file_part(chosen)}" if chosen else "")
        path = out_dir / f"{name}.ics"
        if path in files:
            raise UserError(f"两个单位的日历文件同名:{display_path(path)} (two units share a file name)")
        files[path] = render_ics.render(feed)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"无法创建 {display_path(out_dir)}:{error.strerror or error}") from None
    for path, payload in files.items():
        _emit(payload, path)


# --- helpers ---------------------------------------------------------------------------------------


def _period(week: str | None, start: str | None, end: str | None, day: date) -> ReportPeriod:
    from zwgk.cli.options import UserError, parse_day
    from zwgk.dates.weeks import parse_week, report_period, week_of

    if week and (start or end):
        raise UserError("--week 不能与 --from/--to 同时使用 (use either --week or --from/--to)")
    if week:
        try:
            return parse_week(week)
        except ValueError:
            raise UserError(f"--week 应写成 2026-W48 这样的 ISO 周,而不是 '{week}'") from None
    if start or end:
        if not (start and end):
            raise UserError("--from 和 --to 需同时指定 (give both --from and --to)")
        first, last = parse_day(start, "--from"), parse_day(end, "--to")
        if last < first:
            raise UserError(f"--to {last} 早于 --from {first} (the period ends before it starts)")
        return report_period(first, last)
    return week_of(day)


def _dataset(runs: list[UnitRun]) -> tuple[Dataset, Evaluation]:
    """The one unit's dataset and its evaluation (select_units has already printed its errors
    and exited 2): the report judges with the evaluation the snapshot gave, never again."""
    dataset, evaluation = runs[0].dataset, runs[0].evaluation
    assert dataset is not None
    assert evaluation is not None
    return dataset, evaluation


def _owner(dataset: Dataset, dept: str | None) -> str | None:
    from zwgk.rules.owners import resolve_owner

    return resolve_owner(dataset, dept) if dept else None


def _emit(payload: str | bytes, output: Path | None, binary: bool = False) -> None:
    from zwgk.cli.output import write_file
    from zwgk.errors import UserError

    raw = payload.encode("utf-8") if isinstance(payload, str) else payload
    if binary:
        from zwgk.store import warm

        warm.not_reproducible()  # an xlsx carries the moment it was made
    if output is None or str(output) == "-":
        if binary and sys.stdout.isatty():
            raise UserError("该格式是二进制文件,不能输出到终端;请用 -o 指定文件 (binary output: use -o FILE)")
        if isinstance(payload, str):
            sys.stdout.write(payload)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    write_file(raw, output)
