"""The command line: the app, its dashboard and list commands, and the entry point.

Each command is a few lines: choose the units (cli_units), ask the core, hand the result to a
renderer; what the user typed becomes values in cli_input, and all printing goes through
console. Only the command line prints, reads the clock, or exits. Exit codes: 0 fine,
1 findings (overdue items, a failed check), 2 errors (bad data, bad input).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from zwgk.cli.options import (
    AsOfOption,
    DataListOption,
    DataOption,
    JsonOption,
    UnitOption,
    WarnOption,
    WorkspaceOption,
    as_of_date,
    parse_window,
    today,
)
from zwgk.cli.output import console, err, out, out_listing, print_json
from zwgk.cli.units import (
    exit_if_broken,
    is_multi,
    load_or_exit,
    resolve_dept,
    select_units,
    unit_folders,
)
from zwgk.errors import EXIT_CRASH, Diagnostic, ZwgkError, has_errors
from zwgk.load import LoadMemo, display_path
from zwgk.models import Dataset
from zwgk.rules.owners import newest_first, resolve_item
from zwgk.store.snapshot import loaded


class _Commands(TyperGroup):
    """The one place a failure becomes a message and an exit code, for every command at once.

    A ZwgkError (raised anywhere below) is its message, its details and its exit code (2).
    Anything else is zwgk's own failure: one line and exit 3, never a traceback, and never
    exit 1, which CI reads as "overdue". ZWGK_DEBUG=1 lets it through, traceback and all.
    """

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ZwgkError as error:
            err(f"zwgk: 错误:{error.message}")
            for line in error.details:
                err(f"  {line}")
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            # The framework's own usage errors (click's, or typer's vendored click) print themselves.
            if type(error).__module__.split(".")[0] in ("click", "typer"):
                raise
            if os.environ.get("ZWGK_DEBUG", "") not in ("", "0"):
                raise
            err(f"zwgk: 内部错误 (internal error): {type(error).__name__}: {error}"
                " — 请把命令和这行信息报告给维护者 (please report it; ZWGK_DEBUG=1 shows the traceback)")
            raise typer.Exit(EXIT_CRASH) from None


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


# --- commands -------------------------------------------------------------------------------


@app.command()
def status(data: DataListOption = None, as_of: AsOfOption = None, json: JsonOption = False,
           warn_days: WarnOption = None, workspace: WorkspaceOption = None,
           unit: UnitOption = None) -> None:
    """总览:各状态数量、各处室(或各单位)情况、逾期最久的事项。 (the dashboard)"""
    from zwgk.report import jsonout, terminal
    from zwgk.summary import views

    runs = select_units(data, workspace, unit, as_of_date(as_of), warn_days)
    if is_multi(runs):
        from zwgk.summary.units import combine, ranked

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
    from zwgk.summary import views

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


@app.command()
def show(
    item: Annotated[str, typer.Argument(help="编号、标题、栏目名或 一级/二级")],
    data: DataOption = None, as_of: AsOfOption = None, json: JsonOption = False,
) -> None:
    """一个事项的全部信息:原文、解读、责任单位、登记记录、下次到期。"""
    from zwgk.rules.engine import evaluate

    dataset = load_or_exit(data)
    found = resolve_item(dataset, item)
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
    from zwgk.summary import views

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
    from zwgk.load.checks import check_future_entries
    from zwgk.report import diagnostics as render

    specs = unit_folders(data, workspace)
    reports = []
    memo = LoadMemo()  # a catalogue followed by many units is loaded once
    for name, folder in specs:
        result = loaded(folder, memo=memo)
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
        to = console()
        for name, folder, result, found in reports:
            if len(reports) > 1:
                to.print(f"== {name} ({display_path(folder)}) ==", soft_wrap=True)
            for diagnostic in found:
                to.print(render.render(diagnostic), end="", soft_wrap=True)
            if result.dataset is not None and result.dataset.inherits is not None:
                to.print(_describe_inheritance(result.dataset), soft_wrap=True)
            items = len(result.dataset.items) if result.dataset else 0
            entries = len(result.dataset.journal) if result.dataset else 0
            to.print(f"{display_path(folder)}:{items} 个事项,{entries} 条日志;{render.summary(found)}",
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


def _register_more_commands() -> None:
    """Commands that live in their own modules (they import nothing heavy until they run)."""
    from zwgk.cli import ci as cli_ci
    from zwgk.cli import journal as cli_journal
    from zwgk.cli import reports as report_cli

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
