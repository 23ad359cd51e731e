"""The commands people read in the office terminal: `status`, `overdue`, `upcoming`, `show`.

Each is a few lines: choose the units (cli/units.py), ask the core, put the answer in a frozen
value (zwgk/summary/answers.py) and hand it to the renderer its --format names
(zwgk/report/registry.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from zwgk.cli.completion import complete_departments, complete_items
from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import (
    AsOfOption,
    DataListOption,
    DataOption,
    GroupOption,
    JsonOption,
    KindOption,
    KnownAtOption,
    LeadOnlyOption,
    SortOption,
    StatusFilterOption,
    UnitOption,
    WarnOption,
    WorkspaceOption,
    as_of_moment,
    chosen_format,
    format_help,
    known_at_day,
    list_filter,
    parse_month,
    parse_window,
)
from zwgk.cli.output import emit
from zwgk.cli.units import exit_if_broken, is_multi, load_or_exit, resolve_dept, select_units
from zwgk.report.registry import renderer
from zwgk.rules.owners import newest_first, resolve_item

StatusFormat = Annotated[str, typer.Option("--format", help=format_help("status"))]
OverdueFormat = Annotated[str, typer.Option("--format", help=format_help("overdue"))]
UpcomingFormat = Annotated[str, typer.Option("--format", help=format_help("upcoming"))]
AgendaFormat = Annotated[str, typer.Option("--format", help=format_help("agenda"))]
ShowFormat = Annotated[str, typer.Option("--format", help=format_help("show"))]
DeptOption = Annotated[str | None, typer.Option("--dept", help="处室名称或别名 (department name or alias)",
                                                autocompletion=complete_departments,
                                                show_default=False)]


def register(app: typer.Typer) -> None:
    for command in (status, overdue, show, upcoming, agenda):
        app.command(cls=ZwgkCommand)(command)


def status(data: DataListOption = None, as_of: AsOfOption = None, json: JsonOption = False,
           warn_days: WarnOption = None, workspace: WorkspaceOption = None,
           unit: UnitOption = None, output_format: StatusFormat = "text",
           known_at: KnownAtOption = None) -> None:
    """总览:各状态数量、各处室(或各单位)情况、逾期最久的事项。 (the dashboard)"""
    from zwgk.summary import views
    from zwgk.summary.answers import StatusAnswer, UnitsStatusAnswer

    chosen = chosen_format("status", output_format, json)
    day, at = as_of_moment(as_of)
    runs = select_units(data, workspace, unit, day, warn_days, at=at, known_at=known_at_day(known_at))
    if is_multi(runs):
        from zwgk.summary.units import combine, ranked

        first = next((r.evaluation for r in runs if r.evaluation), None)
        combined = combine(runs, day, first.warn_days if first else 14)
        held = tuple(h for r in runs if r.dataset and r.evaluation
                     for h in views.overdue(r.dataset, r.evaluation))
        emit(renderer("status-units", chosen)(
            UnitsStatusAnswer(tuple(runs), tuple(ranked(runs)), combined, held)))
        exit_if_broken(runs)
        return
    (run,) = runs
    assert run.dataset is not None
    assert run.evaluation is not None
    rows = tuple(views.department_rows(run.dataset, run.evaluation))
    emit(renderer("status", chosen)(StatusAnswer(
        run.dataset, run.evaluation, rows, tuple(views.overdue(run.dataset, run.evaluation)))))


def overdue(dept: DeptOption = None, data: DataListOption = None, as_of: AsOfOption = None,
            json: JsonOption = False, workspace: WorkspaceOption = None, unit: UnitOption = None,
            output_format: OverdueFormat = "text", known_at: KnownAtOption = None,
            kind: KindOption = None, status_filter: StatusFilterOption = None,
            lead_only: LeadOnlyOption = False,
            group: GroupOption = None, sort: SortOption = "due",
) -> None:
    """逾期事项,最早到期的在前;--dept 只看某处室(含经组承担的)。有逾期时退出码 1。"""
    from zwgk.summary import views
    from zwgk.summary.answers import OverdueAnswer

    chosen = chosen_format("overdue", output_format, json)
    day, at = as_of_moment(as_of)
    runs = select_units(data, workspace, unit, day, None, at=at, known_at=known_at_day(known_at))
    owner = resolve_dept(runs, dept)
    keep = list_filter(kind, status_filter, lead_only, group, sort, owner)
    held = tuple(keep.apply(sorted((h for r in runs if r.dataset and r.evaluation
                                    for h in views.overdue(r.dataset, r.evaluation, owner)),
                                   key=views.overdue_order)))
    emit(renderer("overdue", chosen)(OverdueAnswer(tuple(runs), day, held, owner)))
    exit_if_broken(runs)
    if held:
        raise typer.Exit(1)


def upcoming(
    within: Annotated[str, typer.Option("--within", help="时间窗口,如 14d、2w、30")] = "14d",
    dept: DeptOption = None, data: DataListOption = None, as_of: AsOfOption = None,
    json: JsonOption = False, workspace: WorkspaceOption = None, unit: UnitOption = None,
    output_format: UpcomingFormat = "text", known_at: KnownAtOption = None,
    kind: KindOption = None, status_filter: StatusFilterOption = None, lead_only: LeadOnlyOption = False,
    group: GroupOption = None, sort: SortOption = "due",
) -> None:
    """即将到期:窗口内到期、尚未完成的任务、栏目和事件义务,最近的在前。"""
    from zwgk.summary import views
    from zwgk.summary.answers import UpcomingAnswer

    chosen = chosen_format("upcoming", output_format, json)
    day, at = as_of_moment(as_of)
    days = parse_window(within, day)
    runs = select_units(data, workspace, unit, day, None, at=at, known_at=known_at_day(known_at))
    owner = resolve_dept(runs, dept)
    keep = list_filter(kind, status_filter, lead_only, group, sort, owner)
    rows = tuple(keep.apply(sorted((row for r in runs if r.dataset and r.evaluation
                                    for row in views.upcoming(r.dataset, r.evaluation, days, owner)),
                                   key=views.upcoming_order)))
    emit(renderer("upcoming", chosen)(UpcomingAnswer(tuple(runs), day, rows, owner, days)))
    exit_if_broken(runs)


def agenda(
    dept: DeptOption = None,
    month: Annotated[str | None, typer.Option("--month",
                                              help="哪个月,如 2026-12 或 12月 (default: --as-of 所在的月)",
                                              show_default=False)] = None,
    data: DataListOption = None, as_of: AsOfOption = None, json: JsonOption = False,
    workspace: WorkspaceOption = None, unit: UnitOption = None,
    output_format: AgendaFormat = "text", known_at: KnownAtOption = None,
    kind: KindOption = None, status_filter: StatusFilterOption = None, lead_only: LeadOnlyOption = False,
    group: GroupOption = None, sort: SortOption = "due",
) -> None:
    """本月要做的事:各栏目本期应更新的(前期漏更的同时列出)、到期的任务和事件义务,逾期的在前。"""
    from zwgk.summary.agenda import agenda as month_agenda
    from zwgk.summary.answers import AgendaAnswer

    chosen = chosen_format("agenda", output_format, json)
    day, at = as_of_moment(as_of)
    first, last = parse_month(month, day)
    runs = select_units(data, workspace, unit, day, None, at=at, known_at=known_at_day(known_at))
    owner = resolve_dept(runs, dept)
    rows = tuple(row for r in runs if r.dataset and r.evaluation
                 for row in month_agenda(r.dataset, r.evaluation, first, last, owner))
    keep = list_filter(kind, status_filter, lead_only, group, sort, owner)
    rows = tuple(keep.apply(sorted(rows, key=lambda r: (not r.overdue, r.due, r.status.item.ref))))
    emit(renderer("agenda", chosen)(AgendaAnswer(tuple(runs), day, f"{first:%Y-%m}", rows, owner)))
    exit_if_broken(runs)


def show(
    item: Annotated[str, typer.Argument(help="编号、标题、栏目名或 一级/二级",
                                        autocompletion=complete_items)],
    data: DataOption = None, as_of: AsOfOption = None, json: JsonOption = False,
    output_format: ShowFormat = "text",
) -> None:
    """一个事项的全部信息:原文、解读、责任单位、登记记录、下次到期。"""
    from zwgk.rules.engine import at_moment, evaluate
    from zwgk.store.snapshot import judged_by_clock
    from zwgk.summary.answers import ShowAnswer

    chosen = chosen_format("show", output_format, json)
    dataset = load_or_exit(data)
    found = resolve_item(dataset, item)
    day, at = as_of_moment(as_of)
    whole_day = evaluate(dataset, day)
    judged_by_clock(whole_day)  # a kept answer holds only until an hour window reads otherwise
    evaluation = at_moment(whole_day, at)
    from zwgk.summary.ledger import line_facts

    history = tuple(newest_first(e for e in dataset.journal_as_written if e.item == found.id))
    obligations = tuple(s for s in evaluation.statuses
                        if s.obligation is not None and s.obligation.parent == found.id)
    emit(renderer("show", chosen)(ShowAnswer(dataset, evaluation, evaluation.of(found.id), history,
                                             obligations, line_facts(dataset))))
