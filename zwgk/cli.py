"""The command line: the only place that prints, reads the clock, or exits.

Each command is a few lines: load, ask the core, hand the result to a renderer.
Exit codes: 0 fine, 1 findings (overdue items, a failed check), 2 errors (bad data, bad input).
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from typer.core import TyperGroup
from rich.console import Console, RenderableType

from zwgk.diagnostics import Diagnostic, has_errors
from zwgk.load import LoadResult, display_path, load_dataset
from zwgk.models import Dataset

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
    _console().print(renderable)


def err(renderable: RenderableType | str) -> None:
    _console(stderr=True).print(renderable)


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
    from zwgk.report import diagnostics as render

    if not result.ok:
        console = _console(stderr=True)
        for diagnostic in result.diagnostics:
            if diagnostic.severity == "error":
                console.print(render.render(diagnostic), end="")
        console.print(render.summary(d for d in result.diagnostics if d.severity == "error")
                      + "  — 运行 zwgk validate 查看全部")
        raise typer.Exit(2)
    noteworthy = [d for d in result.diagnostics if not d.code.startswith("gap-")]
    if noteworthy:
        err(f"注意:数据有 {len(noteworthy)} 个警告,运行 zwgk validate 查看 "
            f"({len(noteworthy)} warnings; see zwgk validate)")


# --- commands -------------------------------------------------------------------------------


@app.command()
def status(data: DataOption = None, as_of: AsOfOption = None, json: JsonOption = False,
           warn_days: WarnOption = None) -> None:
    """总览:各状态数量、各处室情况、逾期最久的事项。 (the dashboard)"""
    from zwgk import views
    from zwgk.rules import evaluate

    dataset = load_or_exit(data)
    evaluation = evaluate(dataset, as_of_date(as_of), warn_days)
    rows = views.department_rows(dataset, evaluation)
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.status_document(dataset, evaluation, rows)))
        return
    from zwgk.report import terminal

    out(terminal.status_dashboard(dataset, evaluation, rows, views.overdue(dataset, evaluation)))


@app.command()
def overdue(
    dept: Annotated[str | None, typer.Option("--dept", help="处室名称或别名 (department name or alias)",
                                             show_default=False)] = None,
    data: DataOption = None, as_of: AsOfOption = None, json: JsonOption = False,
) -> None:
    """逾期事项,最早到期的在前;--dept 只看某处室(含经组承担的)。 Exit 1 when any."""
    from zwgk import views
    from zwgk.query import resolve_owner
    from zwgk.rules import evaluate

    dataset = load_or_exit(data)
    owner = lookup(lambda: resolve_owner(dataset, dept)) if dept else None
    evaluation = evaluate(dataset, as_of_date(as_of))
    held = views.overdue(dataset, evaluation, owner)
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.overdue_document(dataset, evaluation, held, owner)))
    else:
        from zwgk.report import terminal

        title = f"{owner or '全部'} 逾期事项 {len(held)} 项(截至 {evaluation.as_of})"
        if held:
            out(terminal.overdue_table(held, title, with_role=owner is not None))
        else:
            out(f"{owner or '全部'}:没有逾期事项(截至 {evaluation.as_of})")
    if held:
        raise typer.Exit(1)


@app.command()
def show(
    item: Annotated[str, typer.Argument(help="编号、标题、栏目名或 一级/二级")],
    data: DataOption = None, as_of: AsOfOption = None, json: JsonOption = False,
) -> None:
    """一个事项的全部信息:原文、解读、责任单位、登记记录、下次到期。"""
    from zwgk.query import resolve_item
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

    out(terminal.item_detail(dataset, evaluation.of(found.id), history))


@app.command()
def record(
    item: Annotated[str, typer.Argument(help="编号、标题、栏目名或 一级/二级")],
    on: Annotated[str | None, typer.Option("--date", help="完成/更新日期 (default: today)",
                                           show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help="登记人", show_default=False)] = None,
    url: Annotated[str | None, typer.Option("--url", help="证据链接 (evidence URL)",
                                            show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注", show_default=False)] = None,
    data: DataOption = None,
) -> None:
    """登记一次完成或更新(附证据),追加到日志。 (append a record to the journal)"""
    from zwgk import journal
    from zwgk.load import JOURNAL_DIR
    from zwgk.models import JournalEntry
    from zwgk.query import resolve_item

    folder, chosen = data_dir(data)
    dataset = load_or_exit(data)
    found = lookup(lambda: resolve_item(dataset, item))
    day = parse_day(on, "--date") if on else today()
    if day > today():
        raise UserError(f"--date {day} 晚于今天 {today()}:不能登记尚未发生的事 "
                        "(cannot record work dated in the future)")
    if not chosen:
        raise UserError("未指定数据文件夹:不能写入随程序安装的示例数据 (bundled data is read-only)",
                        ("用 zwgk init 新建数据文件夹,或用 --data / ZWGK_DATA 指定。",))
    stamp = now()
    entry = JournalEntry(
        id=journal.new_id(stamp), type="record", item=found.id, date=day, at=stamp.isoformat(),
        by=_text(by), url=_text(url), note=_text(note),
    )
    path = journal.append(folder / JOURNAL_DIR, entry, stamp)
    out(f"已登记 {entry.id}:{found.id} {found.title} {day}  → {display_path(path)}")


@app.command(name="log")
def log_(
    item: Annotated[str | None, typer.Argument(help="只看某事项 (optional)", show_default=False)] = None,
    since: Annotated[str | None, typer.Option("--since", help="自某日起 YYYY-MM-DD",
                                              show_default=False)] = None,
    data: DataOption = None, json: JsonOption = False,
) -> None:
    """日志:登记过的完成、更新和事件,最新的在前。"""
    from zwgk.query import resolve_item

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
def validate(data: DataOption = None, json: JsonOption = False) -> None:
    """检查数据:错误(退出码 2)和源文自身的缺漏(警告)。 (check the data files)"""
    from zwgk.checks import check_future_entries
    from zwgk.report import diagnostics as render

    folder, _ = data_dir(data)
    result = load_dataset(folder)
    found: list[Diagnostic] = list(result.diagnostics)
    if result.dataset is not None:
        found += check_future_entries(result.dataset, today())
    if json:
        from zwgk.report import jsonout

        print_json(jsonout.dumps(jsonout.diagnostics_document(found)))
    else:
        console = _console()
        for diagnostic in found:
            console.print(render.render(diagnostic), end="")
        items = len(result.dataset.items) if result.dataset else 0
        entries = len(result.dataset.journal) if result.dataset else 0
        console.print(f"{display_path(folder)}:{items} 个事项,{entries} 条日志;{render.summary(found)}")
    if has_errors(found) or result.dataset is None:
        raise typer.Exit(2)


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


def main() -> None:
    app()
