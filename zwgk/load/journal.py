"""Reading the journal: one JSON object a line, each validated, every fault a Diagnostic.

Lines are validated by pydantic-core straight from their bytes (the common case); a line with a
fault is read again slowly to say exactly what is wrong. Lines repeated by git's union merge
count once.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from zwgk.errors import Diagnostic
from zwgk.load.files import (
    JOURNAL_DIR,
    LISTING,
    display_path,
    is_noting,
    journal_files,
    names,
    note,
    read_bytes,
)
from zwgk.models import JOURNAL_FIELDS, JournalEntry, JournalRecords, Location, journal_adapter

Located = tuple[JournalEntry, Location]


def _split(journal: list[Located]) -> tuple[tuple[JournalEntry, ...], dict[str, Location]]:
    """Entries, and the line each was read from."""
    return tuple(entry for entry, _ in journal), {entry.id: where for entry, where in journal}


def records(journal: list[Located]) -> JournalRecords:
    return JournalRecords(*_split(journal))


def read_journal(folder: Path) -> tuple[tuple[JournalEntry, ...], dict[str, Location]]:
    """A data folder's journal on its own (its problems were reported when the snapshot was made)."""
    return _split(load_journal(folder / JOURNAL_DIR, []))


def load_journal(folder: Path, diagnostics: list[Diagnostic]) -> list[tuple[JournalEntry, Location]]:
    """All journal entries, deduplicated by id (a union merge may repeat a line), in file order."""
    entries: dict[str, tuple[JournalEntry, Location]] = {}
    files = journal_files(folder)  # listed once: what is recorded is what is read
    if is_noting():
        note(str(folder) + LISTING, names(files))
    for path in files:
        for entry, location in _journal_file(path, diagnostics):
            known = entries.get(entry.id)
            if known is None:
                entries[entry.id] = (entry, location)
            elif known[0] != entry:
                diagnostics.append(Diagnostic(
                    location.path, location.line, 1, "journal-duplicate-id",
                    f"日志编号 {entry.id} 重复且内容不同(首次见于 {known[1]})(duplicate journal id)",
                    hint="两条记录不应共用编号;保留正确的一条。",
                ))
    return list(entries.values())


def _journal_file(path: Path, diagnostics: list[Diagnostic]) -> list[Located]:
    shown = display_path(path)
    raw = read_bytes(path, shown, diagnostics)
    return [] if raw is None else _parse_journal(raw, shown, diagnostics)


def _parse_journal(raw: bytes, shown: str, diagnostics: list[Diagnostic]) -> list[Located]:
    if b"\x00" in raw:
        diagnostics.append(Diagnostic(shown, None, None, "binary-file",
                                      "日志不是文本文件(含 NUL 字节)(binary file)"))
        return []
    # Lines are decoded one by one: a line torn inside a Chinese character must not take the
    # whole journal down with it.
    lines = raw.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    found = []
    for number, raw_line in enumerate(lines, start=1):
        if not raw_line.strip():
            continue
        is_torn_tail = number == len(lines)  # no newline after it: a write was cut short
        entry = _journal_line(raw_line, shown, number, is_torn_tail, diagnostics)
        if entry is not None:
            found.append((entry, Location(shown, number, 1)))
    return found


def _journal_line(
    raw_line: bytes, shown: str, number: int, is_torn_tail: bool, diagnostics: list[Diagnostic]
) -> JournalEntry | None:
    try:  # the common case, parsed and validated in one step by pydantic-core
        return journal_adapter().validate_json(raw_line)
    except (ValidationError, ValueError, RecursionError):
        pass  # read it again slowly, to say exactly what is wrong
    line = raw_line.decode("utf-8", errors="replace").rstrip("\r")
    try:
        data = json.loads(raw_line.decode("utf-8"))
    except RecursionError:
        diagnostics.append(Diagnostic(shown, number, 1, "journal-syntax",
                                      "日志行嵌套过深,不是 zwgk 写的记录 (nested too deeply)"))
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        if is_torn_tail:
            diagnostics.append(Diagnostic(
                shown, number, 1, "journal-torn-line", "日志最后一行不完整,已忽略 (torn last line ignored)",
                severity="warning", source_line=line[:200],
                hint="可能是写入时进程被中断;下次登记时 zwgk 会清除这段残余,这条记录需要重新登记。",
            ))
        elif isinstance(error, UnicodeDecodeError):
            diagnostics.append(Diagnostic(
                shown, number, None, "journal-not-utf8", "日志行不是 UTF-8 文本 (not UTF-8)",
                hint="日志由 zwgk 写入;若曾用其他编辑器修改,请以 UTF-8 保存。",
            ))
        else:
            diagnostics.append(Diagnostic(
                shown, number, error.colno, "journal-syntax",
                f"日志行不是合法 JSON:{error.msg} (invalid JSON line)", source_line=line[:200],
            ))
        return None
    if not isinstance(data, dict):
        diagnostics.append(Diagnostic(shown, number, 1, "journal-syntax",
                                      "日志行应是 JSON 对象 (expected a JSON object)"))
        return None
    from zwgk.load.validation import error_kind, translate

    try:
        return journal_adapter().validate_python(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            message, hint = translate(detail, tuple(detail["loc"]), JOURNAL_FIELDS)
            diagnostics.append(Diagnostic(shown, number, 1, "journal-" + error_kind(detail),
                                          message, hint=hint, source_line=line[:200]))
        return None
