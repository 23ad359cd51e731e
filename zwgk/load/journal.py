"""Reading the journal: one JSON object a line, each validated, every fault a Diagnostic.

Lines are validated by pydantic-core straight from their bytes (the common case); a line with a
fault is read again slowly to say exactly what is wrong. Lines repeated by git's union merge
count once. A line that is provably what a zwgk writer left when it was stopped mid-line (see
`is_torn_write`) is a warning wherever it is — a torn line committed and then merged sits in the
middle — and every other faulty line is an error; `tail_state` gives the writer the same verdict
on a file's last line, so it cuts only what is torn and refuses what it cannot read.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Literal

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
TailState = Literal["blank", "record", "torn", "other"]
BOM = b"\xef\xbb\xbf"


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
    files = journal_files(folder, diagnostics)  # listed once: what is recorded is what is read
    if is_noting():
        note(str(folder) + LISTING, names(files))
    for path in files:
        merge(entries, _journal_file(path, diagnostics), diagnostics)
    return list(entries.values())


def merge(entries: dict[str, Located], found: list[Located], diagnostics: list[Diagnostic]) -> None:
    """Add one file's lines to the entries read so far (by id, in file order): a line repeated
    as written (git's union merge) counts once, another line under a known id is an error."""
    for entry, location in found:
        known = entries.get(entry.id)
        if known is None:
            entries[entry.id] = (entry, location)
        elif known[0] != entry:
            diagnostics.append(Diagnostic(
                location.path, location.line, 1, "journal-duplicate-id",
                f"日志编号 {entry.id} 重复且内容不同(首次见于 {known[1]})(duplicate journal id)",
                hint="两条记录不应共用编号;保留正确的一条。",
            ))


def _journal_file(path: Path, diagnostics: list[Diagnostic]) -> list[Located]:
    shown = display_path(path)
    raw = read_bytes(path, shown, diagnostics)
    return [] if raw is None else _parse_journal(raw, shown, diagnostics)


def _parse_journal(raw: bytes, shown: str, diagnostics: list[Diagnostic]) -> list[Located]:
    if b"\x00" in raw:
        first = raw.index(b"\x00")
        line = raw.count(b"\n", 0, first) + 1
        col = first - (raw.rfind(b"\n", 0, first) + 1) + 1
        diagnostics.append(Diagnostic(shown, line, col, "binary-file",
                                      "日志不是文本文件(含 NUL 字节)(binary file)",
                                      hint="日志由 zwgk 写入;NUL 多半来自别的程序或磁盘故障,"
                                           "请从 git 历史恢复这个文件。"))
        return []
    return parse_lines(raw, shown, 1, diagnostics)


def parse_lines(raw: bytes, shown: str, first: int, diagnostics: list[Diagnostic]) -> list[Located]:
    """The lines of a journal file from line `first` on: `raw` is what follows the file's
    first `first - 1` newlines, to its end (the whole file when `first` is 1), read as a whole
    file's lines are — the same diagnostics, line numbers, BOM and torn-last-line rules — so a
    snapshot of a file's beginning can be extended by reading only what was appended
    (zwgk/store/extend.py). A NUL byte is the whole file's fault (`_parse_journal`): the caller
    reads the whole file."""
    # Lines are read one by one: a line torn inside a Chinese character must not take the whole
    # journal down with it.
    lines = raw.split(b"\n")
    last = first + len(lines) - 1
    found = []
    days: dict[date, date] = {}  # a year file names each day many times: one object for each
    for number, raw_line in enumerate(lines, start=first):
        entry = _journal_line(raw_line, shown, number, number == last, diagnostics)
        if entry is not None:
            _set_date(entry, days.setdefault(entry.date, entry.date))
            found.append((entry, Location(shown, number, 1)))
    return found


_set_date = JournalEntry.__dict__["date"].__set__  # the slot itself: the entry is frozen


def tail_state(tail: bytes, first: bool) -> TailState:
    """What the bytes after a journal file's last newline are, read exactly as the loader reads
    them (so the writer cuts only what the loader calls torn, and refuses what it calls an error):
    "blank", a whole "record" that lacks only its newline, a "torn" write, or "other"."""
    problems: list[Diagnostic] = []
    if _journal_line(tail, "", 1 if first else 2, True, problems) is not None:
        return "record"
    if not problems:
        return "blank"
    return "torn" if [p.code for p in problems] == ["journal-torn-line"] else "other"


def _journal_line(
    raw_line: bytes, shown: str, number: int, is_last: bool, diagnostics: list[Diagnostic]
) -> JournalEntry | None:
    text = raw_line.removeprefix(BOM) if number == 1 else raw_line  # an editor's "UTF-8 with BOM"
    if not text.strip():
        return None
    try:  # the common case, parsed and validated in one step by pydantic-core
        return journal_adapter().validate_json(text)
    except (ValidationError, ValueError, RecursionError):
        pass  # read it again slowly, to say exactly what is wrong
    # A terminated line's CR is its CRLF ending (git's autocrlf), not part of what was written.
    if is_torn_write(raw_line if is_last else raw_line.removesuffix(b"\r")):
        diagnostics.append(_torn(raw_line, shown, number, is_last))
        return None
    return _read_slowly(text, shown, number, diagnostics)


def _torn(raw_line: bytes, shown: str, number: int, is_last: bool) -> Diagnostic:
    fragment = raw_line.decode("utf-8", errors="replace").rstrip("\r")[:200]
    if is_last:
        return Diagnostic(
            shown, number, 1, "journal-torn-line",
            "日志最后一行是一次中断的写入留下的残行,已忽略 (torn last line ignored)",
            severity="warning", source_line=fragment,
            hint=f"zwgk 下次往这个文件登记时会清除它(也可以删除第 {number} 行);"
                 "那条记录没有写完,需要重新登记。",
        )
    return Diagnostic(
        shown, number, 1, "journal-torn-line",
        "日志行是一次中断的写入留下的残行(多半是提交后又合并了分支),已忽略 (torn line ignored)",
        severity="warning", source_line=fragment,
        hint=f"删除第 {number} 行即可,别的行不用动;那条记录没有写完,需要重新登记。",
    )


def _read_slowly(
    text: bytes, shown: str, number: int, diagnostics: list[Diagnostic]
) -> JournalEntry | None:
    """A line the fast path refused, read again to say exactly what is wrong with it."""
    line = text.decode("utf-8", errors="replace").rstrip("\r")
    try:
        data = json.loads(text.decode("utf-8"))
    except RecursionError:
        diagnostics.append(Diagnostic(shown, number, 1, "journal-syntax",
                                      "日志行嵌套过深,不是 zwgk 写的记录 (nested too deeply)"))
        return None
    except UnicodeDecodeError:
        diagnostics.append(Diagnostic(
            shown, number, None, "journal-not-utf8", "日志行不是 UTF-8 文本 (not UTF-8)",
            hint="日志由 zwgk 写入;若曾用其他编辑器修改(如存成了 GBK),请以 UTF-8 保存。",
        ))
        return None
    except json.JSONDecodeError as error:
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


# --- what a torn write looks like -----------------------------------------------------------------

# zwgk writes each record as one line (zwgk.journal.encode): a flat JSON object in UTF-8 that
# begins with its id, with exactly ", " between fields and ": " after each name, only the
# journal's own field names, each once, and string values (`true` for `complex`). A writer
# stopped short (killed, or a full disk) leaves a strict prefix of such a line, cut at any byte.
_STRING_BODY = re.compile(r'(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*')
_CUT_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{0,3})?")
_FIELDS = frozenset(JOURNAL_FIELDS)


def is_torn_write(raw: bytes) -> bool:
    """Whether `raw` is provably what a zwgk writer left when it was stopped mid-line: a strict,
    non-empty prefix of a line zwgk writes (see above), ending at any byte — inside a
    character too. Anything else — a BOM, another encoding, a CR, other spacing, other keys, a
    complete line — was not left so by zwgk, and cutting it could destroy someone's work."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.end != len(raw) or error.reason != "unexpected end of data":
            return False
        # A character cut short: U+FFFD stands in for it, and is allowed only where zwgk writes
        # anything but ASCII, inside a string.
        text = raw[: error.start].decode("utf-8") + "\ufffd"
    return bool(text) and _is_cut_line(text)


def _is_cut_line(text: str) -> bool:
    """Whether text is a strict prefix of a line zwgk writes; each step returns True when the
    text ends inside it, and False at the first byte zwgk would not have written."""
    pos, seen = 0, set[str]()
    while True:
        opening = ', "' if seen else '{"'
        if not text.startswith(opening, pos):
            return opening.startswith(text[pos:])
        pos += len(opening)
        allowed = _FIELDS - seen if seen else {"id"}
        end = text.find('"', pos)
        if end < 0:
            return any(name.startswith(text[pos:]) for name in allowed)
        name = text[pos:end]
        if name not in allowed:
            return False
        seen.add(name)
        pos = end + 1
        for literal in (": ", "true" if name == "complex" else '"'):
            if not text.startswith(literal, pos):
                return literal.startswith(text[pos:])
            pos += len(literal)
        if name != "complex":
            body = _STRING_BODY.match(text, pos)  # always matches, if only ""
            pos = body.end() if body else pos
            if pos == len(text) or _CUT_ESCAPE.fullmatch(text, pos):
                return True
            if text[pos] != '"':
                return False
            pos += 1
        if pos == len(text):
            return True
