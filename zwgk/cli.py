"""The command line: the only place that prints, reads the clock, or exits.

Each command is a few lines: load, ask the core, hand the result to a renderer.
Exit codes: 0 fine, 1 findings (overdue items, a failed check), 2 errors (bad data, bad input).
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console, RenderableType
from typer.core import TyperGroup

from zwgk.diagnostics import Diagnostic, has_errors
from zwgk.load import LoadMemo, LoadResult, display_path, load_dataset
from zwgk.models import Dataset
from zwgk.query import resolve_item
from zwgk.workspace import UnitRun

if TYPE_CHECKING:
    from zwgk.report.terminal import Listing

BEIJING = ZoneInfo("Asia/Shanghai")

class _Commands(TyperGroup):
    """Turns zwgk's own failures into a message and an exit code, for every command at once."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        from zwgk.journal import JournalWriteError

        try:
            return super().invoke(ctx)
        except (UserError, JournalWriteError) as error:
            err(f"zwgk: 错误:{error.message}")
            for line in getattr(error, "details", ()):
                err(f"  {line}")
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    name="zwgk",
    cls=_Commands,
    help="政务公开合规跟踪:把公开任务、栏目更新和事件时限放在 YAML 里,按期检查。"
    " (a compliance tracker for government-openness duties kept in plain YAML)",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class UserError(Exception):
    """A mistake on the command line or in the data: a message and exit code 2, no traceback."""

    exit_code = 2

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


# --- consoles: colour only on a terminal, never with NO_COLOR -------------------------------


def _console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    is_tty = stream.isatty()
    width = None if is_tty else int(os.environ.get("COLUMNS", "160"))
    return Console(
        file=stream,
        width=width,
        no_color="NO_COLOR" in os.environ,
        force_terminal=is_tty and os.environ.get("TERM") != "dumb",
        color_system="auto" if is_tty and "NO_COLOR" not in os.environ else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def out(renderable: RenderableType | str) -> None:
    _console().print(_safe(renderable), soft_wrap=isinstance(renderable, str))


def out_listing(listing: Listing) -> None:
    """A long list: a Rich table on a terminal; plain aligned columns in a pipe or a file."""
    if sys.stdout.isatty():
        from zwgk.report.terminal import drawn

        out(drawn(listing))
    else:
        from zwgk.report.plain import columns

        sys.stdout.write(columns(listing))  # every cell is already printable()


def err(renderable: RenderableType | str) -> None:
    _console(stderr=True).print(_safe(renderable), soft_wrap=isinstance(renderable, str))


def _safe(renderable: RenderableType | str) -> RenderableType | str:
    """Plain messages often quote the user's input or the data: keep escape sequences out."""
    from zwgk.report.labels import printable

    return printable(renderable) if isinstance(renderable, str) else renderable


def print_json(text: str) -> None:
    sys.stdout.write(text + "\n")


# --- shared options -------------------------------------------------------------------------

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="数据文件夹 (default: $ZWGK_DATA, ./data, or the bundled data)",
                 show_default=False),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="按哪一天判断 YYYY-MM-DD (default: today in Asia/Shanghai)",
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
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{option} 应为 YYYY-MM-DD 格式的日期,而不是 '{text}' "
                        f"({option} must be a date like 2026-11-26)") from None


def parse_moment(text: str, option: str) -> tuple[date, str | None]:
    """YYYY-MM-DD or YYYY-MM-DDTHH:MM, read as Beijing time (an explicit offset is converted)."""
    text = text.strip()
    if "T" not in text and " " not in text:
        return parse_day(text, option), None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option} 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM,而不是 '{text}'") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(BEIJING)
    return moment.date(), moment.strftime("%H:%M")


def parse_window(text: str) -> int:
    """'14d', '2w', '30' → days."""
    cleaned = text.strip().lower()
    factor = 7 if cleaned.endswith("w") else 1
    number = cleaned.rstrip("dw")
    if not number.isdigit():
        raise UserError(f"--within 应写成 14d、2w 或 30,而不是 '{text}'")
    return int(number) * factor


def as_of_date(text: str | None) -> date:
    return parse_day(text, "--as-of") if text else today()


def bundled_data_dir() -> Path:
    """The data shipped with zwgk: inside the installed package, or the repo's data/ in a checkout."""
    packaged = Path(__file__).parent / "bundled"
    if (packaged / "tasks.yaml").is_file():
        return packaged
    return Path(__file__).parent.parent / "data"


def data_dir(explicit: Path | None) -> tuple[Path, bool]:
    """The data folder and whether the user chose it (bundled data is read-only)."""
    if explicit is not None:
        return explicit, True
    if os.environ.get("ZWGK_DATA"):
        return Path(os.environ["ZWGK_DATA"]), True
    if Path("data", "tasks.yaml").is_file():
        return Path("data"), True
    return bundled_data_dir(), False


def load_or_exit(data: Path | None) -> Dataset:
    """Load the data; on errors print them all (file:line:col, excerpt, caret) and exit 2."""
    folder, _ = data_dir(data)
    result = load_dataset(folder)
    report_problems(result)
    assert result.dataset is not None
    return result.dataset


def report_problems(result: LoadResult) -> None:
    if not result.ok:
        _print_errors(result.diagnostics, "运行 zwgk validate 查看全部")
        raise typer.Exit(2)
    noteworthy = [d for d in result.diagnostics if not d.code.startswith("gap-")]
    if noteworthy:
        err(f"注意:数据有 {len(noteworthy)} 个警告,运行 zwgk validate 查看 "
            f"({len(noteworthy)} warnings; see zwgk validate)")


# --- one unit or many -------------------------------------------------------------------------


def unit_specs(data: list[Path] | None, workspace: Path | None) -> list[tuple[str | None, Path]] | None:
    """The units a command looks at; None means the one default data folder."""
    if workspace is None and not data and not os.environ.get("ZWGK_DATA") and Path("zwgk.yaml").is_file():
        workspace = Path("zwgk.yaml")
    if workspace is not None:
        from zwgk.snapshot import workspace as workspace_units

        units, problems = workspace_units(workspace)
        if has_errors(problems) or not units:
            _print_errors(tuple(problems), "工作区清单有误 (the workspace file is invalid)")
            raise typer.Exit(2)
        return [(name, path) for name, path in units]
    if data and len(data) > 1:
        return [(None, path) for path in data]
    return None


def select_units(data: list[Path] | None, workspace: Path | None, wanted: list[str] | None,
                 as_of: date, warn_days: int | None, keep_broken: bool = False) -> list[UnitRun]:
    """Load and evaluate each unit. One unit: errors exit 2 at once, unless `keep_broken` asks
    for the broken unit back. Several: a broken unit's errors are printed with its own paths and
    the others still report."""
    from zwgk.snapshot import evaluated
    from zwgk.workspace import UnitRun, tagged_evaluation

    specs = unit_specs(data, workspace)
    if specs is None:
        folder = data_dir(data[0] if data else None)[0]
        result, evaluation = evaluated(folder, as_of, warn_days)
        if not result.ok and keep_broken:
            _print_errors(result.diagnostics, "运行 zwgk validate 查看全部")
            return [UnitRun(display_path(folder), "", None, result.diagnostics)]
        report_problems(result)  # exits 2 on errors; notes warnings
        dataset = result.dataset
        assert dataset is not None
        assert evaluation is not None
        return [UnitRun(dataset.settings.unit, "", dataset, result.diagnostics, evaluation)]
    runs = []
    memo = LoadMemo()  # a catalogue followed by many units is loaded once
    for name, path in specs:
        if name is not None and wanted and name not in wanted:
            continue  # not even loaded
        result, evaluation = evaluated(path, as_of, warn_days, memo, unit=name)
        unit = name or (result.dataset.settings.unit if result.dataset else display_path(path))
        if wanted and unit not in wanted:
            continue
        if evaluation is not None and name is None:
            evaluation = tagged_evaluation(evaluation, unit)
        runs.append(UnitRun(unit, display_path(path), result.dataset if result.ok else None,
                            result.diagnostics, evaluation))
    unknown = set(wanted or ()) - {run.name for run in runs}
    if unknown:
        raise UserError(f"没有这些单位:{'、'.join(sorted(unknown))} (unknown unit)",
                        tuple(f"可选:{name}" for name, _ in specs if name))
    for run in runs:
        if run.broken:
            _print_errors(run.diagnostics, f"单位 {run.name} 的数据有误,未计入 (unit skipped)")
    return runs


def is_multi(runs: list[UnitRun]) -> bool:
    """Several units (ids shown qualified), rather than the one default data folder."""
    return bool(runs) and runs[0].path != ""


def exit_if_broken(runs: list[UnitRun]) -> None:
    if any(run.broken for run in runs):
        raise typer.Exit(2)


def _print_errors(diagnostics: tuple[Diagnostic, ...], tail: str) -> None:
    from zwgk.report import diagnostics as render

    console = _console(stderr=True)
    errors = [d for d in diagnostics if d.severity == "error"]
    for diagnostic in errors:
        console.print(render.render(diagnostic), end="", soft_wrap=True)
    console.print(f"{render.summary(errors)}  — {tail}", soft_wrap=True)


# --- commands -------------------------------------------------------------------------------


@app.command()
def status(data: DataListOption = None, as_of: AsOfOption = None, json: JsonOption = False,
           warn_days: WarnOption = None, workspace: WorkspaceOption = None,
           unit: UnitOption = None) -> None:
    """总览:各状态数量、各处室(或各单位)情况、逾期最久的事项。 (the dashboard)"""
    from zwgk import views
    from zwgk.report import jsonout, terminal

    runs = select_units(data, workspace, unit, as_of_date(as_of), warn_days)
    if is_multi(runs):
        from zwgk.workspace import combine, ranked

        first = next((r.evaluation for r in runs if r.evaluation), None)
        combined = combine(runs, as_of_date(as_of), first.warn_days if first else 14)
        ranking = ranked(runs)
        if json:
            print_json(jsonout.dumps(jsonout.workspace_document(runs, ranking, combined)))
        else:
            held = [h for r in runs if r.dataset and r.evaluation
                    for h in views.overdue(r.dataset, r.evaluation)]
            out(terminal.workspace_dashboard(ranking, combined, held))
        exit_if_broken(runs)
        return
    (run,) = runs
    assert run.dataset is not None
    assert run.evaluation is not None
    rows = views.department_rows(run.dataset, run.evaluation)
    if json:
        print_json(jsonout.dumps(jsonout.status_document(run.dataset, run.evaluation, rows)))
        return
    out(terminal.status_dashboard(run.dataset, run.evaluation, rows,
                                  views.overdue(run.dataset, run.evaluation)))


@app.command()
def overdue(
    dept: Annotated[str | None, typer.Option("--dept", help="处室名称或别名 (department name or alias)",
                                             show_default=False)] = None,
    data: DataListOption = None, as_of: AsOfOption = None, json: JsonOption = False,
    workspace: WorkspaceOption = None, unit: UnitOption = None,
) -> None:
    """逾期事项,最早到期的在前;--dept 只看某处室(含经组承担的)。 Exit 1 when any."""
    from zwgk import views

    day = as_of_date(as_of)
    runs = select_units(data, workspace, unit, day, None)
    owner = resolve_dept(runs, dept)
    held = sorted((h for r in runs if r.dataset and r.evaluation
                   for h in views.overdue(r.dataset, r.evaluation, owner)), key=views.overdue_order)
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.overdue_document(runs, day, held, owner)))
    else:
        from zwgk.report import terminal

        title = f"{owner or '全部'} 逾期事项 {len(held)} 项(截至 {day})"
        if held:
            out_listing(terminal.overdue_listing(held, title, with_role=owner is not None))
        else:
            out(f"{owner or '全部'}:没有逾期事项(截至 {day})")
    exit_if_broken(runs)
    if held:
        raise typer.Exit(1)


def resolve_dept(runs: list[UnitRun], dept: str | None) -> str | None:
    """A department's canonical name; in a workspace, known to at least one unit."""
    from zwgk.query import LookupFailed, resolve_owner

    if not dept:
        return None
    failure: LookupFailed | None = None
    for run in runs:
        if run.dataset is not None:
            try:
                return resolve_owner(run.dataset, dept)
            except LookupFailed as error:
                failure = error
    if failure is None:
        raise UserError(f"找不到处室或单位 '{dept}' (unknown department)")
    raise UserError(failure.message, tuple(f"候选:{c}" for c in failure.candidates))


@app.command()
def show(
    item: Annotated[str, typer.Argument(help="编号、标题、栏目名或 一级/二级")],
    data: DataOption = None, as_of: AsOfOption = None, json: JsonOption = False,
) -> None:
    """一个事项的全部信息:原文、解读、责任单位、登记记录、下次到期。"""
    from zwgk.rules import evaluate

    dataset = load_or_exit(data)
    found = lookup(lambda: resolve_item(dataset, item))
    evaluation = evaluate(dataset, as_of_date(as_of))
    history = newest_first(e for e in dataset.journal if e.item == found.id)
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.show_document(
            dataset, evaluation, evaluation.of(found.id), history)))
        return
    from zwgk.report import terminal

    obligations = [s for s in evaluation.statuses
                   if s.obligation is not None and s.obligation.parent == found.id]
    out(terminal.item_detail(dataset, evaluation.of(found.id), history, obligations))


@app.command()
def upcoming(
    within: Annotated[str, typer.Option("--within", help="时间窗口,如 14d、2w、30")] = "14d",
    dept: Annotated[str | None, typer.Option("--dept", help="处室名称或别名", show_default=False)] = None,
    data: DataListOption = None, as_of: AsOfOption = None, json: JsonOption = False,
    workspace: WorkspaceOption = None, unit: UnitOption = None,
) -> None:
    """即将到期:窗口内到期、尚未完成的任务、栏目和事件义务,最近的在前。"""
    from zwgk import views

    days = parse_window(within)
    day = as_of_date(as_of)
    runs = select_units(data, workspace, unit, day, None)
    owner = resolve_dept(runs, dept)
    rows = sorted((row for r in runs if r.dataset and r.evaluation
                   for row in views.upcoming(r.dataset, r.evaluation, days, owner)),
                  key=views.upcoming_order)
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.upcoming_document(runs, day, rows, owner, days)))
    else:
        from zwgk.report import terminal

        title = f"{owner or '全部'} {days} 天内到期 {len(rows)} 项(截至 {day})"
        if rows:
            out_listing(terminal.upcoming_listing(rows, title))
        else:
            out(title)
    exit_if_broken(runs)


@app.command()
def validate(data: DataListOption = None, json: JsonOption = False,
             workspace: WorkspaceOption = None) -> None:
    """检查数据:错误(退出码 2)和源文自身的缺漏(警告);继承上级目录时列出继承结果。"""
    from zwgk.checks import check_future_entries
    from zwgk.report import diagnostics as render

    specs = unit_specs(data, workspace) or [(None, data_dir(data[0] if data else None)[0])]
    reports = []
    memo = LoadMemo()  # a catalogue followed by many units is loaded once
    for name, folder in specs:
        result = load_dataset(folder, memo=memo)
        found: list[Diagnostic] = list(result.diagnostics)
        if result.dataset is not None:
            found += check_future_entries(result.dataset, today())
        reports.append((name, folder, result, found))
    if json:
        from zwgk.report import jsonout

        documents = [dict(jsonout.diagnostics_document(found), unit=name, data=display_path(folder),
                          inherits=jsonout.inheritance(result.dataset))
                     for name, folder, result, found in reports]
        print_json(jsonout.dumps(documents[0] if len(documents) == 1 else
                                 {"schema": jsonout.SCHEMA_VERSION, "units": documents}))
    else:
        console = _console()
        for name, folder, result, found in reports:
            if len(reports) > 1:
                console.print(f"== {name} ({display_path(folder)}) ==", soft_wrap=True)
            for diagnostic in found:
                console.print(render.render(diagnostic), end="", soft_wrap=True)
            if result.dataset is not None and result.dataset.inherits is not None:
                console.print(_describe_inheritance(result.dataset), soft_wrap=True)
            items = len(result.dataset.items) if result.dataset else 0
            entries = len(result.dataset.journal) if result.dataset else 0
            console.print(f"{display_path(folder)}:{items} 个事项,{entries} 条日志;{render.summary(found)}",
                          soft_wrap=True)
    if any(has_errors(found) or result.dataset is None for _, _, result, found in reports):
        raise typer.Exit(2)


def _describe_inheritance(dataset: Dataset) -> str:
    inherits = dataset.inherits
    assert inherits is not None
    def listed(ids: tuple[str, ...]) -> str:
        return "、".join(ids) if ids else "无"
    return (f"继承自 {inherits.parent}:沿用 {len(inherits.inherited)} 项;"
            f"覆盖 {listed(inherits.overridden)};删除 {listed(inherits.dropped)};"
            f"新增 {listed(inherits.added)}")


# --- helpers --------------------------------------------------------------------------------


def lookup(find):  # type: ignore[no-untyped-def]
    from zwgk.query import LookupFailed

    try:
        return find()
    except LookupFailed as failure:
        raise UserError(failure.message, tuple(f"候选:{c}" for c in failure.candidates)) from None


def newest_first(entries):  # type: ignore[no-untyped-def]
    return sorted(entries, key=lambda e: (e.date, e.time or "", e.at), reverse=True)


def clean_text(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def _register_more_commands() -> None:
    """Commands that live in their own modules (they import nothing heavy until they run)."""
    from zwgk import cli_ci, cli_journal, report_cli

    cli_journal.register(app)
    cli_ci.register(app)
    report_cli.register(app)


_register_more_commands()


def _utf8_streams() -> None:
    """Windows pipes default to the ANSI code page (GBK), which cannot encode every character
    in the data: write UTF-8 to pipes and files (what jq, Excel's import and CI logs expect),
    and never crash on a character a console cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        if stream.isatty():
            reconfigure(errors="replace")
        else:
            reconfigure(encoding="utf-8", errors="replace")


def main() -> None:
    _utf8_streams()
    app()
