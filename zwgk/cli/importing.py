"""`zwgk import`: bulk entry from the office's ledger (台账), an Excel workbook or a CSV read by
zwgk/load/sheet.py. Every row is checked first, by the rules of `zwgk record` and `zwgk event`;
one bad row and nothing is written, every bad row named by the row and column Excel shows.
A row is an event when its 类型 says 事件 (登记/记录/完成/更新 say record) or, without a 类型,
when its 事件 is filled; a record's 事件 names the event it fulfils. A row equal to a journal
line (type, item, date, time, URL, title, department, registrant, note) is skipped: importing a
sheet twice appends nothing. The rest goes in one locked write (journal.append_many), all or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.import_rows import Draft, RowReader, key_of
from zwgk.cli.options import DataOption, JsonOption, clean_text, now, today
from zwgk.cli.output import err, out, print_json
from zwgk.cli.units import for_writing, refuse_bundled
from zwgk.errors import EXIT_ERROR, Diagnostic
from zwgk.models import Dataset, EventRule, JournalEntry

if TYPE_CHECKING:
    from zwgk.load.sheet import Table
    from zwgk.report.labels import Grid

def register(app: typer.Typer) -> None:
    app.command(name="import", cls=ZwgkCommand)(import_)


def import_(
    file: Annotated[Path, typer.Argument(help="台账文件:Excel 工作簿 .xlsx,或 CSV(逗号、制表符或分号分隔)",
                                         show_default=False)],
    data: DataOption = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", help="工作表名称或序号 (default: 第一个有表头的工作表)", show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", help="“登记人”一栏为空的行记在谁名下",
                                           show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并列出将追加的记录,不写入")] = False,
    backfill: Annotated[bool, typer.Option("--backfill", help="登记早于跟踪起点的日期(有意补录)")] = False,
    json: JsonOption = False,
) -> None:
    """从台账(Excel 或 CSV)批量登记:先检查每一行,全部无误才一次写入日志;已登记过的行跳过。"""
    from zwgk import journal
    from zwgk.load import JOURNAL_DIR
    from zwgk.load.sheet import read_sheet

    folder, chosen, dataset = for_writing(data)
    read = read_sheet(file, sheet)
    table = read.table or _refuse(read.diagnostics, json, dry_run)
    err(describe(table))
    reader = RowReader(table, dataset, today(), clean_text(by), backfill, clock=f"{now():%H:%M}")
    # Already there: a line as written, or as corrected (a row matching an amended line is not new).
    existing = (*dataset.journal_as_written, *dataset.journal)
    new, skipped = sort_out(reader.drafts(), existing)
    stamp = now()
    entries, unclear = stamped(new, table, dataset, {e.id for e in existing}, stamp, today())
    if reader.problems or unclear:
        _refuse(sorted(reader.problems + unclear, key=lambda p: p.line or 0), json, dry_run)
    if entries and not dry_run:
        refuse_bundled(chosen)
    path = None if dry_run or not entries else journal.append_many(folder / JOURNAL_DIR, entries, stamp)
    if json:
        print_json(_json(entries, skipped, dry_run, table, path))
        return
    if dry_run and entries:
        out(listing(list(zip(new, entries, strict=True))))
    out(summary(len(entries), skipped, dry_run, path))


# --- drafts → journal entries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    draft: Draft
    reason: str  # "exists": in the journal already; "repeated": an earlier row of the sheet
    same_as: str | int  # the journal line's id, or the earlier row's number


def sort_out(drafts: Sequence[Draft], existing: Sequence[JournalEntry]) -> tuple[list[Draft], list[Skipped]]:
    """The drafts not yet in the journal (nor earlier in the sheet), and those skipped."""
    known: dict[tuple[object, ...], str | int] = {key_of(e): e.id for e in existing
                                                  if e.type in ("record", "event")}
    seen: dict[tuple[object, ...], str | int] = {}
    new, skipped = [], []
    for draft in drafts:
        key = key_of(draft.entry)
        if key in known or key in seen:
            reason = "exists" if key in known else "repeated"
            skipped.append(Skipped(draft, reason, known.get(key) or seen[key]))
        else:
            seen[key] = draft.row
            new.append(draft)
    return new, skipped


def stamped(drafts: Sequence[Draft], table: Table, dataset: Dataset, taken: set[str], stamp: datetime,
            today: date) -> tuple[list[JournalEntry], list[Diagnostic]]:
    """The drafts as journal lines — ids unique among the journal's, written at `stamp`, each
    record of an event-triggered item naming the obligation it fulfils — and the rows that
    cannot say which one."""
    from zwgk import journal

    used, entries = set(taken), []
    shared: dict[int, str] = {}  # a row that named an event kind → its happening's one id
    for draft in drafts:
        while (new_id := journal.new_id(stamp)) in used:
            continue
        used.add(new_id)
        if draft.happening is None:
            entries.append(replace(draft.entry, id=new_id, at=stamp.isoformat()))
            continue
        happening = shared.setdefault(draft.row, new_id)  # as `zwgk event 重大舆情` writes them
        entries.append(replace(draft.entry, id=f"{happening}.{draft.item.id}", at=stamp.isoformat(),
                               event=happening))
    return _linked(entries, drafts, table, dataset, today)


def _linked(entries: list[JournalEntry], drafts: Sequence[Draft], table: Table, dataset: Dataset,
            today: date) -> tuple[list[JournalEntry], list[Diagnostic]]:
    """Records of event-triggered items, in date order, each fulfilling the one open obligation
    of an event known by its date (the journal's or the sheet's), or the one its 事件 names;
    several open and none named is a problem, as it is for `zwgk record`."""
    wanted = {d.item.id for d in drafts if d.entry.type == "record" and isinstance(d.item.rule, EventRule)}
    if not wanted:
        return entries, []
    from zwgk.dates.workdays import calendar_for
    from zwgk.rules.obligations import obligations_of

    calendar = calendar_for(dataset.calendar)
    known = {item: [e for e in dataset.journal if e.item == item]  # its events and what fulfilled them
             + [e for e in entries if e.item == item and e.type == "event"] for item in wanted}
    linked, problems = list(entries), []
    for i in sorted((i for i, d in enumerate(drafts) if d.entry.type == "record" and d.item.id in wanted),
                    key=lambda i: (entries[i].date, entries[i].time or "", i)):
        entry, draft, ahead = entries[i], drafts[i], getattr(drafts[i].item.rule, "direction", "") == "before"
        obligations = obligations_of(draft.item, known[entry.item], calendar, max(entry.date, today))
        # An 'after' duty is fulfilled by work after its event; a 'before' one by work before it.
        waiting = sorted((o for o in obligations if o.fulfilment is None
                          and (ahead or o.event.date <= entry.date)
                          and draft.names in (None, o.event.title, o.event.id)),
                         key=lambda o: (o.due.day, o.due.time or "", o.event.id))
        if len(waiting) == 1:
            linked[i] = replace(entry, event=waiting[0].event.id)
            known[entry.item].append(linked[i])
        elif waiting or draft.names:
            message = (f"{entry.item} 有 {len(waiting)} 项待办的事件义务,请在“事件”一栏写明完成的是哪一项"
                       " (several open obligations: say which)" if waiting
                       else f"{entry.item} 没有待办的事件“{draft.names}” (no such open event)")
            hint = "候选:" + ";".join(f"{o.event.title or o.event.id}({o.event.date})" for o in waiting)
            column = table.columns.get("title") or table.columns.get("item")  # where to say which
            problems.append(Diagnostic(table.path, draft.row, column, "import-event", message,
                                       hint=hint if waiting else None))
    return linked, problems


# --- what is shown -----------------------------------------------------------------------------------


def describe(table: Table) -> str:
    """Which sheet was read, where its header is, and which column became which field."""
    from zwgk.load.sheet import LABEL, column_letter

    sheet = f" 工作表“{table.sheet}”" if table.sheet else f"({table.source})"
    used = "、".join(f"{LABEL[name]} {column_letter(col)}"
                    for name, col in sorted(table.columns.items(), key=lambda c: c[1]))
    unused = "、".join(f"{column_letter(col)} {head}" for col, head in table.unused)
    return (f"读取 {table.path}{sheet}:表头在第 {table.header_row} 行,{len(table.rows)} 行数据;{used}"
            + (f";未使用的列:{unused}" if unused else ""))


def _refuse(problems: Sequence[Diagnostic], json: bool, dry_run: bool) -> NoReturn:
    """Every problem on stderr as `台账.xlsx:第 7 行 C 列:…` — the row and column Excel shows —
    (and in the JSON asked for), then exit 2: nothing was written."""
    from zwgk.load.sheet import column_letter

    for problem in problems:
        row = f"第 {problem.line} 行" + (f" {column_letter(problem.col)} 列" if problem.col else "") + ":"
        err(f"{problem.path}:{row if problem.line else ''}{problem.message}")
        if problem.hint:
            err(f"  {problem.hint}")
    rows = len({p.line for p in problems if p.code.startswith("import-")})
    err((f"{rows} 行有误," if rows else "") + "未导入任何记录 (nothing was imported)")
    if json:
        print_json(_json([], [], dry_run, None, None, problems))
    raise typer.Exit(EXIT_ERROR)


def listing(pairs: Sequence[tuple[Draft, JournalEntry]]) -> Grid:
    """What would be appended, a row of the sheet a line."""
    from rich.text import Text

    from zwgk.report.labels import Fit, Grid, printable

    def cell(value: str | None, style: str = "") -> Text:
        return Text(printable(value or ""), style=style, overflow="fold")

    rows = [(cell(str(d.row)), cell("事件" if e.type == "event" else "完成/更新"),
             cell(e.date.isoformat() + (f" {e.time}" if e.time else "")), cell(e.item), cell(d.item.title),
             cell(e.by), cell(e.url), cell(e.title or e.dept or e.note),
             cell(e.event and f"完成 {e.event}", "dim")) for d, e in pairs]
    headers = ("行", "类型", "日期", "编号", "事项", "登记人", "证据", "事件/备注", "事件义务")
    return Grid(f"将追加 {len(pairs)} 条", headers,
                (Fit(), Fit(drop=5), Fit(), Fit(), Fit("main", 12), Fit("wrap", 6, drop=3),
                 Fit("url", 24, drop=2, optional=True), Fit("wrap", 16, drop=4), Fit(drop=1, optional=True)),
                rows, right=frozenset({0}))


def summary(added: int, skipped: Sequence[Skipped], dry_run: bool, path: Path | None) -> str:
    from zwgk.load import display_path

    exists = sum(1 for s in skipped if s.reason == "exists")
    repeated = f",表内重复 {len(skipped) - exists} 条" if len(skipped) > exists else ""
    counts = f"新增 {added} 条,已存在 {exists} 条{repeated}"
    if dry_run:
        return f"试运行,未写入任何内容:{counts} (dry run: nothing was written)"
    if path is None:
        return f"没有新的记录,未写入:{counts} (nothing new)"
    return f"已导入:{counts} → {display_path(path)}"


def _json(entries: Sequence[JournalEntry], skipped: Sequence[Skipped], dry_run: bool, table: Table | None,
          path: Path | None, errors: Sequence[Diagnostic] = ()) -> str:
    """What was appended, as the journal holds it, what was skipped and why; or the errors."""
    import json

    from zwgk.journal import as_record
    from zwgk.load import display_path
    from zwgk.load.sheet import column_letter
    from zwgk.report.jsonout import SCHEMA_VERSION

    found: dict[str, object] = {"schema": SCHEMA_VERSION, "dry_run": dry_run}
    if table is not None:
        found.update(file=table.path, sheet=table.sheet, header_row=table.header_row)
    found.update(journal=display_path(path) if path else None, appended=[as_record(e) for e in entries])
    found["skipped"] = [{"row": s.draft.row, "reason": s.reason, "same_as": s.same_as,
                         "type": s.draft.entry.type, "item": s.draft.item.id,
                         "date": s.draft.entry.date.isoformat()} for s in skipped]
    if errors:
        found["errors"] = [{"file": p.path, "row": p.line, "column": column_letter(p.col) if p.col else None,
                            "code": p.code, "message": p.message, "hint": p.hint} for p in errors]
    return json.dumps(found, ensure_ascii=False, indent=2)
