"""The command line: the only place that prints, reads the clock, or exits.

Each command is a few lines: load, ask the core, hand the result to a renderer.
Exit codes: 0 fine, 1 findings (overdue items, a failed check), 2 errors (bad data, bad input).
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console, RenderableType
from typer.core import TyperGroup

from zwgk.diagnostics import Diagnostic, has_errors
from zwgk.load import LoadResult, display_path, load_dataset
from zwgk.models import Dataset, Item, JournalEntry
from zwgk.query import resolve_item
from zwgk.workspace import UnitRun

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
        from zwgk.load import load_workspace

        units, problems = load_workspace(workspace)
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
    from zwgk.rules import evaluate
    from zwgk.workspace import UnitRun, tagged

    specs = unit_specs(data, workspace)
    if specs is None:
        folder = data_dir(data[0] if data else None)[0]
        result = load_dataset(folder)
        if not keep_broken or result.ok:
            report_problems(result)
        if not result.ok or result.dataset is None:
            _print_errors(result.diagnostics, "运行 zwgk validate 查看全部")
            return [UnitRun(display_path(folder), "", None, result.diagnostics)]
        dataset = result.dataset
        return [UnitRun(dataset.settings.unit, "", dataset, result.diagnostics,
                        evaluate(dataset, as_of, warn_days))]
    runs = []
    for name, path in specs:
        result = load_dataset(path)
        unit = name or (result.dataset.settings.unit if result.dataset else display_path(path))
        if wanted and unit not in wanted:
            continue
        evaluation = evaluate(result.dataset, as_of, warn_days) if result.ok and result.dataset else None
        if evaluation is not None:
            evaluation = replace(evaluation, statuses=tuple(tagged(evaluation.statuses, unit)))
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
                   for h in views.overdue(r.dataset, r.evaluation, owner)),
                  key=lambda h: (h.status.due, h.status.item.ref))
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.overdue_document(runs, day, held, owner)))
    else:
        from zwgk.report import terminal

        title = f"{owner or '全部'} 逾期事项 {len(held)} 项(截至 {day})"
        if held:
            out(terminal.overdue_table(held, title, with_role=owner is not None))
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
def record(
    item: Annotated[str, typer.Argument(help="编号、标题、栏目名或 一级/二级")],
    on: Annotated[str | None, typer.Option("--date", help="完成/更新日期 YYYY-MM-DD[THH:MM] (default: today)",
                                           show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help="登记人", show_default=False)] = None,
    url: Annotated[str | None, typer.Option("--url", help="证据链接 (evidence URL)",
                                            show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注", show_default=False)] = None,
    event: Annotated[str | None, typer.Option("--event", help="完成哪一个事件义务(事件号或其前缀)",
                                              show_default=False)] = None,
    data: DataOption = None,
) -> None:
    """登记一次完成或更新(附证据),追加到日志;事件触发的事项默认完成最早的待办义务。"""
    from zwgk import journal
    from zwgk.load import JOURNAL_DIR
    folder, chosen = data_dir(data)
    dataset = load_or_exit(data)
    found = lookup(lambda: resolve_item(dataset, item))
    day, at_time = parse_moment(on, "--date") if on else (today(), None)
    if day > today():
        raise UserError(f"--date {day} 晚于今天 {today()}:不能登记尚未发生的事 "
                        "(cannot record work dated in the future)")
    if not chosen:
        raise UserError("未指定数据文件夹:不能写入随程序安装的示例数据 (bundled data is read-only)",
                        ("用 zwgk init 新建数据文件夹,或用 --data / ZWGK_DATA 指定。",))
    event_id, verdict = fulfilment_for(dataset, found, day, event, at_time)
    stamp = now()
    entry = JournalEntry(
        id=journal.new_id(stamp), type="record", item=found.id, date=day, time=at_time,
        at=stamp.isoformat(), by=_text(by), url=_text(url), note=_text(note), event=event_id,
    )
    path = journal.append(folder / JOURNAL_DIR, entry, stamp)
    out(f"已登记 {entry.id}:{found.id} {found.title} {day}{verdict}  → {display_path(path)}")


def fulfilment_for(dataset: Dataset, item: Item, day: date, wanted: str | None,
                   at_time: str | None) -> tuple[str | None, str]:
    """Which event obligation a record closes (a named one, else the oldest open), and a verdict."""
    from zwgk.models import EventRule
    from zwgk.obligations import Obligation, is_late, obligations_of, oldest_open

    if not isinstance(item.rule, EventRule):
        if wanted:
            raise UserError(f"{item.id} 不是事件触发的事项,不能指定 --event (not event-triggered)")
        return None, ""
    obligations = obligations_of(item, dataset.journal, dataset.workdays(), max(day, today()))
    if wanted:
        matches = [o for o in obligations if o.event.id.startswith(wanted)]
        if len(matches) != 1:
            raise UserError(f"{item.id} 没有唯一匹配 '{wanted}' 的事件 (no single event matches)",
                            tuple(f"候选:{o.event.id} {o.event.title or ''}" for o in obligations))
        chosen: Obligation | None = matches[0]
        assert chosen is not None
        if chosen.fulfilment is not None:
            raise UserError(f"事件 {chosen.event.id} 已于 {chosen.fulfilment.date} 完成 (already fulfilled)")
    else:
        chosen = oldest_open(obligations)
        if chosen is None:
            return None, "(该事项没有待办的事件义务,记为一次更新)"
    probe = JournalEntry(id="-", type="record", item=item.id, date=day, time=at_time, at="-")
    late = is_late(chosen.due, probe)
    due = f"{chosen.due.day}{' ' + chosen.due.time if chosen.due.time else ''}"
    verdict = f",完成事件 {chosen.event.id}(应于 {due},{'逾期完成' if late else '按时完成'})"
    return chosen.event.id, verdict


@app.command()
def event(
    item: Annotated[str, typer.Argument(help="事件触发的事项:编号、标题或栏目名,如 上级文件、事故快讯")],
    on: Annotated[str, typer.Option("--date", help="事件日期 YYYY-MM-DD[THH:MM](北京时间)")],
    title: Annotated[str | None, typer.Option("--title", help="事件名称", show_default=False)] = None,
    dept: Annotated[str | None, typer.Option("--dept", help="承办处室", show_default=False)] = None,
    complex_case: Annotated[bool, typer.Option("--complex", help="情况复杂,适用延长时限")] = False,
    by: Annotated[str | None, typer.Option("--by", help="登记人", show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注", show_default=False)] = None,
    data: DataOption = None,
) -> None:
    """登记触发时限的事件(上级文件发布、事故、计划执法日期…),生成一项事件义务。"""
    from zwgk import journal
    from zwgk.load import JOURNAL_DIR
    from zwgk.models import EventRule
    from zwgk.obligations import due_for
    from zwgk.query import resolve_owner

    folder, chosen = data_dir(data)
    dataset = load_or_exit(data)
    found = lookup(lambda: resolve_item(dataset, item))
    rule = found.rule
    if not isinstance(rule, EventRule):
        names = [f"{i.id} {i.title}" for i in dataset.items if isinstance(i.rule, EventRule)]
        raise UserError(f"{found.id} {found.title} 不是事件触发的事项 (not an event-triggered item)",
                        tuple(f"事件触发的事项:{n}" for n in names))
    day, at_time = parse_moment(on, "--date")
    if rule.unit == "hours" and at_time is None:
        raise UserError(f"{found.title} 按小时计时,请写明事件时间,如 --date {day}T14:30 "
                        "(hour windows need a time)")
    if day > today() and rule.direction != "before":
        raise UserError(f"--date {day} 晚于今天:只有“提前公开”类事项可以登记将来的日期 "
                        "(only 'before' duties take a future date)")
    if complex_case and rule.complex_amount is None:
        raise UserError(f"{found.title} 没有“情况复杂”的延长时限 (no extended window for this item)")
    owner = lookup(lambda: resolve_owner(dataset, dept)) if dept else None
    if not chosen:
        raise UserError("未指定数据文件夹:不能写入随程序安装的示例数据 (bundled data is read-only)",
                        ("用 zwgk init 新建数据文件夹,或用 --data / ZWGK_DATA 指定。",))
    stamp = now()
    entry = JournalEntry(
        id=journal.new_id(stamp), type="event", item=found.id, date=day, time=at_time,
        at=stamp.isoformat(), by=_text(by), note=_text(note), title=_text(title), dept=owner,
        complex=complex_case,
    )
    due = due_for(rule, day, at_time, complex_case, dataset.workdays())
    path = journal.append(folder / JOURNAL_DIR, entry, stamp)
    out(f"已登记事件 {entry.id}:{found.id} {found.title} {day}{' ' + at_time if at_time else ''}"
        f" → 应于 {due.day}{' ' + due.time if due.time else ''} 前完成  ({display_path(path)})")
    if due.provisional:
        from zwgk.report.labels import provisional_note

        err(provisional_note(due.provisional_years))


@app.command()
def due(
    item: Annotated[str, typer.Argument(help="事件触发的事项")],
    start: Annotated[str, typer.Option("--from", help="事件日期 YYYY-MM-DD[THH:MM]")],
    complex_case: Annotated[bool, typer.Option("--complex", help="情况复杂,适用延长时限")] = False,
    data: DataOption = None, json: JsonOption = False,
) -> None:
    """时限计算器:某日发生/发布,何时到期?列出跳过的节假日和周末。"""
    from zwgk.models import EventRule
    from zwgk.obligations import due_for
    from zwgk.report.labels import describe_rule, provisional_note

    dataset = load_or_exit(data)
    found = lookup(lambda: resolve_item(dataset, item))
    if not isinstance(found.rule, EventRule):
        raise UserError(f"{found.id} {found.title} 不是事件触发的事项:{describe_rule(found.rule)}")
    if complex_case and found.rule.complex_amount is None:
        raise UserError(f"{found.title} 没有“情况复杂”的延长时限 (no extended window for this item)")
    day, at_time = parse_moment(start, "--from")
    calendar = dataset.workdays()
    result = due_for(found.rule, day, at_time, complex_case, calendar)
    skipped = calendar.skipped_between(day, result.day) if found.rule.unit == "working_days" else []
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps({
            "schema": jsonout.SCHEMA_VERSION, "item": found.id, "rule": describe_rule(found.rule),
            "event_date": day.isoformat(), "event_time": at_time, "due": result.day.isoformat(),
            "due_time": result.time, "provisional": result.provisional,
            "provisional_years": list(result.provisional_years),
            "skipped": [{"date": s.day.isoformat(), "reason": s.reason} for s in skipped],
        }))
        return
    weekday = "一二三四五六日"[result.day.weekday()]
    out(f"{found.id} {found.title}:{describe_rule(found.rule)}")
    out(f"事件:{day}{' ' + at_time if at_time else ''}  →  应完成:{result.day}(周{weekday})"
        f"{' ' + result.time if result.time else ''}")
    if skipped:
        out("跳过的非工作日:" + "、".join(f"{s.day:%m-%d} {s.reason}" for s in skipped))
    if result.provisional:
        err(provisional_note(result.provisional_years))


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
                  key=lambda row: (row.status.due, row.status.obligation.due_time or ""
                                   if row.status.obligation else "", row.status.item.ref))
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.upcoming_document(runs, day, rows, owner, days)))
    else:
        from zwgk.report import terminal

        title = f"{owner or '全部'} {days} 天内到期 {len(rows)} 项(截至 {day})"
        out(terminal.upcoming_table(rows, title) if rows else title)
    exit_if_broken(runs)


@app.command(name="log")
def log_(
    item: Annotated[str | None, typer.Argument(help="只看某事项 (optional)", show_default=False)] = None,
    since: Annotated[str | None, typer.Option("--since", help="自某日起 YYYY-MM-DD",
                                              show_default=False)] = None,
    data: DataOption = None, json: JsonOption = False,
) -> None:
    """日志:登记过的完成、更新和事件,最新的在前。"""
    dataset = load_or_exit(data)
    entries = list(dataset.journal)
    if item:
        found = lookup(lambda: resolve_item(dataset, item))
        entries = [e for e in entries if e.item == found.id]
    if since:
        start = parse_day(since, "--since")
        entries = [e for e in entries if e.date >= start]
    entries = newest_first(entries)
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.log_document(entries)))
        return
    from zwgk.report import terminal

    out(terminal.journal_table(entries, f"日志 {len(entries)} 条", dataset))


@app.command()
def validate(data: DataListOption = None, json: JsonOption = False,
             workspace: WorkspaceOption = None) -> None:
    """检查数据:错误(退出码 2)和源文自身的缺漏(警告);继承上级目录时列出继承结果。"""
    from zwgk.checks import check_future_entries
    from zwgk.report import diagnostics as render

    specs = unit_specs(data, workspace) or [(None, data_dir(data[0] if data else None)[0])]
    reports = []
    for name, folder in specs:
        result = load_dataset(folder)
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


@app.command()
def check(
    dept: Annotated[str | None, typer.Option("--dept", help="只检查某处室的事项", show_default=False)] = None,
    fail_on: Annotated[str, typer.Option("--fail-on", help="overdue 或 due_soon")] = "overdue",
    grace: Annotated[int, typer.Option("--grace", min=0, help="容许逾期的天数")] = 0,
    output_format: Annotated[str, typer.Option(
        "--format", help="text | github | gitlab | junit | json")] = "text",
    data: DataListOption = None, as_of: AsOfOption = None, warn_days: WarnOption = None,
    workspace: WorkspaceOption = None, unit: UnitOption = None,
) -> None:
    """CI 检查:无逾期退出 0,有逾期退出 1,数据有误退出 2。 (the CI gate)"""
    from zwgk.gate import GateResult, Outcome, gate
    from zwgk.query import holdings
    from zwgk.report.ci import FORMATS, github_diagnostics

    if output_format not in FORMATS:
        raise UserError(f"--format 应为 {' | '.join(FORMATS)},而不是 '{output_format}'")
    if fail_on not in ("overdue", "due_soon"):
        raise UserError(f"--fail-on 应为 overdue 或 due_soon,而不是 '{fail_on}'")
    day = as_of_date(as_of)
    runs = select_units(data, workspace, unit, day, warn_days, keep_broken=True)
    if output_format == "github":
        broken = [d for r in runs if r.broken for d in r.diagnostics]
        if broken:
            print_json(github_diagnostics(broken))
    owner = resolve_dept(runs, dept)
    outcomes: list[Outcome] = []
    for run in runs:
        if run.dataset is None or run.evaluation is None:
            continue
        only = set(holdings(run.dataset, owner, (s.item for s in run.evaluation.statuses))) \
            if owner else None
        outcomes += gate(run.dataset, run.evaluation, fail_on, grace, only).outcomes  # type: ignore[arg-type]
    result = GateResult(tuple(outcomes))
    evaluations = [r.evaluation for r in runs if r.evaluation is not None]
    print_json(FORMATS[output_format](result, day, evaluations[0].warn_days if evaluations else 14))
    exit_if_broken(runs)
    if result.failed:
        raise typer.Exit(1)


@app.command()
def init(
    target: Annotated[Path, typer.Argument(help="新仓库的文件夹")],
    from_bundled: Annotated[bool, typer.Option(
        "--from-bundled", help="以随程序附带的安徽省安全监管局全部任务和栏目为模板")] = False,
    unit: Annotated[str | None, typer.Option("--unit", help="单位名称", show_default=False)] = None,
    follows: Annotated[Path | None, typer.Option(
        "--follows", help="沿用哪个数据文件夹的目录(如省局的 data/)", show_default=False)] = None,
    no_git: Annotated[bool, typer.Option("--no-git", help="不运行 git init")] = False,
) -> None:
    """新建一个单位的数据仓库:数据模板、合并设置、CI 模板和说明。"""
    from zwgk.init import InitError, create_repository

    try:
        created = create_repository(target, bundled_data_dir(), from_bundled=from_bundled,
                                    unit=unit, tracking_since=today(), use_git=not no_git,
                                    follows=follows)
    except InitError as error:
        raise UserError(error.message) from None
    out(f"已在 {display_path(target)} 新建数据仓库:")
    for path in created.files:
        out(f"  {path}")
    out(created.git_message)
    out(f"下一步:cd {display_path(target)} && zwgk status")


# --- helpers --------------------------------------------------------------------------------


def lookup(find):  # type: ignore[no-untyped-def]
    from zwgk.query import LookupFailed

    try:
        return find()
    except LookupFailed as failure:
        raise UserError(failure.message, tuple(f"候选:{c}" for c in failure.candidates)) from None


def newest_first(entries):  # type: ignore[no-untyped-def]
    return sorted(entries, key=lambda e: (e.date, e.time or "", e.at), reverse=True)


def _text(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def _register_more_commands() -> None:
    """Commands that live in their own modules (they import nothing heavy until they run)."""
    from zwgk import report_cli

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
