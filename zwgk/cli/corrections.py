"""`zwgk void` and `zwgk amend`: put a wrong journal line right without erasing it.

A correction is a new line that names the line it corrects and says why; the corrected line is
never touched, so the journal's earlier bytes are what they were and git's history shows both.
Every rule and report judges by the corrected view (zwgk/models/journal.corrected); `show` and
`log` show the original, the correction, who and why.
"""

from __future__ import annotations

from typing import Annotated

import typer

from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import DataOption, JsonOption, clean_text, in_range, now, parse_moment, today
from zwgk.cli.output import out
from zwgk.cli.units import for_writing, refuse_bundled
from zwgk.errors import LookupFailed, UserError, did_you_mean
from zwgk.load import display_path
from zwgk.models import CORRECTABLE, UPDATES, Dataset, JournalEntry, base_of, corrections

ReasonOption = Annotated[str, typer.Option("--reason", help="为什么更正(必填,记入日志)")]
RecordArgument = Annotated[str, typer.Argument(help="要更正的日志记录号(zwgk log 可查)")]
ByOption = Annotated[str | None, typer.Option("--by", help="更正人(谁做的更正)", show_default=False)]


def register(app: typer.Typer) -> None:
    app.command(name="void", cls=ZwgkCommand)(void)
    app.command(name="amend", cls=ZwgkCommand)(amend)


def void(record: RecordArgument, reason: ReasonOption, by: ByOption = None, data: DataOption = None,
         json: JsonOption = False) -> None:
    """作废一条日志记录(追加一条更正,原记录不动);作废事件时,它的待办义务一并作废。

    写事件类型登记的事件号(zwgk event 重大舆情 给出的),它的每项义务一并作废。"""
    dataset, folder = _writable(data)
    # One happening's lines share its id in `event`: voiding that id voids every duty it started.
    happening = [e for e in dataset.journal_as_written if e.type == "event" and e.event == record.strip()]
    targets = happening or [find_entry(dataset, record)]
    states = corrections(dataset.journal_as_written)
    standing = [t for t in targets if not (t.id in states and states[t.id].voided_by)]
    if not standing:
        target = targets[0]
        raise UserError(f"{target.id} 已于更正 {states[target.id].voided_by} 作废 (already void)")
    stamp = now()
    entries = [_correction(dataset, "void", target, reason, by, stamp) for target in standing]
    said = "、".join(f"{t.id}({t.item} {t.date})" for t in standing)
    _append(folder, entries, stamp, json, f"已作废 {said}")


def amend(
    record: RecordArgument, reason: ReasonOption,
    on: Annotated[str | None, typer.Option("--date", help="改正后的日期 YYYY-MM-DD[THH:MM]",
                                           show_default=False)] = None,
    url: Annotated[str | None, typer.Option("--url", help="改正后的证据链接", show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="改正后的备注", show_default=False)] = None,
    by: ByOption = None, data: DataOption = None, json: JsonOption = False,
) -> None:
    """更正一条日志记录的日期、链接或备注(追加一条更正,原记录不动)。"""
    dataset, folder = _writable(data)
    target = find_entry(dataset, record)
    if on is None and url is None and note is None:
        raise UserError("没有要更正的内容:写明 --date、--url 或 --note (nothing to amend)")
    written = {e.id: e for e in dataset.journal_as_written}
    base_id = target.id if target.type in CORRECTABLE else base_of(target, written)
    base = next((e for e in dataset.journal if e.id == base_id), None)
    if base is None or base_id is None:
        raise UserError(f"{target.id} 已作废,不能再更正 (void: nothing to amend)")
    # Without --date the amend carries the date as written: the corrected view reads it as no change.
    day, at_time = (parse_moment(on, "--date", bounded=False) if on is not None
                    else (written[base_id].date, None))
    if on is not None:
        if day > today() and base.type in UPDATES:
            raise UserError(f"--date {day} 晚于今天:不能把完成日期改到将来 (cannot be in the future)")
        in_range(day, "--date")
    stamp = now()
    entry = _correction(dataset, "amend", target, reason, by, stamp, date=day,
                        time=at_time if on is not None else None, url=clean_text(url), note=clean_text(note))
    _append(folder, [entry], stamp, json, f"已更正 {target.id}({target.item})")


def find_entry(dataset: Dataset, wanted: str) -> JournalEntry:
    """A journal line by its id or a unique prefix of it; otherwise an error listing near ids."""
    lines = dataset.journal_as_written
    cleaned = wanted.strip()
    exact = [e for e in lines if e.id == cleaned]
    found = exact or [e for e in lines if e.id.startswith(cleaned)]
    if len(found) == 1:
        return found[0]
    if found:
        raise LookupFailed(f"'{wanted}' 对应多条日志记录,请写完整的记录号 (ambiguous record id)",
                           (f"{e.id} {e.type} {e.item} {e.date}" for e in found[:12]))
    guess = did_you_mean(cleaned, [e.id for e in lines])
    near = [e for e in lines if e.id == guess] if guess else []
    raise LookupFailed(f"找不到日志记录 '{wanted}' (unknown record id)",
                       [f"{e.id} {e.type} {e.item} {e.date}" for e in near] or ["用 zwgk log 查看记录号"])



def _writable(data: object) -> tuple[Dataset, object]:
    folder, chosen, dataset = for_writing(data)  # type: ignore[arg-type]
    refuse_bundled(chosen)
    return dataset, folder


def _correction(dataset: Dataset, kind: str, target: JournalEntry, reason: str, by: str | None, stamp: object,
                **changes: object) -> JournalEntry:
    from zwgk import journal

    why = clean_text(reason)
    if why is None:
        raise UserError("--reason 不能为空:更正要说明理由 (a correction says why)")
    return JournalEntry(
        id=journal.new_id(stamp), type=kind, item=target.item,  # type: ignore[arg-type]
        date=changes.pop("date", None) or today(),  # type: ignore[arg-type]
        at=stamp.isoformat(),  # type: ignore[attr-defined]
        corrects=target.id, reason=why, by=clean_text(by), **changes,  # type: ignore[arg-type]
    )


def _append(folder: object, entries: list[JournalEntry], stamp: object, json: bool, said: str) -> None:
    from zwgk import journal
    from zwgk.cli.journal import print_appended
    from zwgk.load import JOURNAL_DIR

    path = journal.append_many(folder / JOURNAL_DIR, entries, stamp)  # type: ignore[operator, arg-type]
    if json:
        print_appended(entries, path)
        return
    ids = "、".join(e.id for e in entries)
    out(f"{said}:更正记录 {ids},理由:{entries[0].reason}  → {display_path(path)}")
