"""The only module that writes: appends records and events to the journal, one JSON line each.

The journal is `journal/<year>.jsonl` beside the plan files: append-only (git diffs show only new
lines), merged by git's union driver (two branches that both recorded merge without conflict),
written under a cross-platform lock (filelock: fcntl on POSIX, msvcrt on Windows) with one write
and an fsync, so two `zwgk record` processes at once lose nothing and a killed writer leaves at
most its own line unfinished.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from zwgk.errors import JournalWriteError
from zwgk.models import JournalEntry

LOCK_TIMEOUT_SECONDS = 30
FIELD_ORDER = ("id", "type", "item", "date", "time", "by", "url", "note", "title", "dept",
               "complex", "event", "at")


def new_id(now: datetime) -> str:
    """Sortable by time, readable, and unique enough for 8 writers × 100 records a second."""
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


def as_record(entry: JournalEntry) -> dict[str, Any]:
    """The entry as its JSON line holds it: fields in a fixed order, empty ones left out."""
    data: dict[str, Any] = {}
    for key in FIELD_ORDER:
        value = getattr(entry, key)
        if value is None or (key == "complex" and not value):
            continue
        data[key] = value.isoformat() if key == "date" else value
    return data


def encode(entry: JournalEntry) -> bytes:
    return (json.dumps(as_record(entry), ensure_ascii=False, separators=(", ", ": ")) + "\n").encode()


def append(folder: Path, entry: JournalEntry, now: datetime) -> Path:
    """Append one entry to this year's journal file and return the file's path."""
    from filelock import FileLock, Timeout  # only writers pay for the import

    line = encode(entry)
    path = folder / f"{now.year}.jsonl"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / ".journal.lock"), timeout=LOCK_TIMEOUT_SECONDS):
            _append_line(path, line)
    except Timeout:
        raise JournalWriteError(
            f"{LOCK_TIMEOUT_SECONDS} 秒内未能锁定日志 {folder}(另一进程正在写入?)"
            "(could not lock the journal)"
        ) from None
    except OSError as error:
        raise JournalWriteError(
            f"无法写入日志 {path}:{error.strerror or error}(could not write the journal;"
            " nothing was changed)"
        ) from None
    return path


def _append_line(path: Path, line: bytes) -> None:
    with open(path, "a+b") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        start, prefix = _write_position(handle, size)
        if start == size:
            try:
                handle.write(prefix + line)  # "a" mode: lands at the end of the file
                handle.flush()
                os.fsync(handle.fileno())
            except OSError:
                handle.truncate(size)  # a full disk may have taken half the line: undo it
                raise
            return
        handle.seek(0)
        kept = handle.read(start)
    # A torn tail (a writer killed mid-line) is rare: replace the file in one atomic step, so a
    # failure at any point leaves the old journal, fragment and all, exactly as it was.
    _replace_atomically(path, kept + line)


def _replace_atomically(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def _last_line(handle: Any, size: int, chunk: int = 65536) -> bytes:
    """The bytes after the last newline, however long the line."""
    end = size
    while end > 0:
        start = max(0, end - chunk)
        handle.seek(start)
        block = handle.read(end - start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            start += newline + 1
            break
        end = start
    else:
        start = 0
    handle.seek(start)
    return handle.read(size - start)


def _write_position(handle: Any, size: int) -> tuple[int, bytes]:
    """Where the new line starts, and what must precede it.

    Bytes after the last newline that are not a complete JSON line are the remains of a writer
    killed mid-write, which never reported success: they are cut. A complete last line without
    a newline (a hand edit) is kept and terminated.
    """
    if size == 0:
        return 0, b""
    handle.seek(size - 1)
    if handle.read(1) == b"\n":
        return size, b""
    fragment = _last_line(handle, size)
    try:
        json.loads(fragment.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return size - len(fragment), b""
    return size, b"\n"
