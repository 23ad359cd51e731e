"""The only module that writes: appends records and events to the journal, one JSON line each.

The journal is `journal/<year>.jsonl` beside the plan files: append-only (git diffs show only new
lines), merged by git's union driver (two branches that both recorded merge without conflict),
written under a cross-platform lock (filelock: fcntl on POSIX, msvcrt on Windows) with one write
and an fsync, so two `zwgk record` processes at once lose nothing and a killed writer leaves at
most its own line unfinished. The next append cuts such a torn tail, and only that: the bytes
after the last newline are cut only when they are provably the start of a line zwgk was writing
(zwgk.load.journal.is_torn_write); a whole record without its newline is terminated; anything
else is refused, the file untouched. A write that fails (a full disk) leaves the file byte for
byte as it was.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from zwgk.errors import JournalWriteError
from zwgk.load.files import display_path
from zwgk.load.journal import tail_state
from zwgk.models import JournalEntry

LOCK_TIMEOUT_SECONDS = 30
FIELD_ORDER = ("id", "type", "item", "date", "time", "by", "url", "note", "title", "dept",
               "complex", "event", "corrects", "reason", "state", "at")


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
    # zwgk.load.journal.is_torn_write knows this exact form (id first, ", " and ": ", flat): a
    # change here must change it too, or the next record will refuse a torn tail it could cut.
    return (json.dumps(as_record(entry), ensure_ascii=False, separators=(", ", ": ")) + "\n").encode()


def append(folder: Path, entry: JournalEntry, now: datetime) -> Path:
    """Append one entry to this year's journal file and return the file's path."""
    return append_many(folder, [entry], now)


def append_many(folder: Path, entries: Sequence[JournalEntry], now: datetime) -> Path:
    """Append several entries to this year's journal file in one locked write, all of them or
    none, and return the file's path; no entries write nothing (not even an empty file).

    The lines are joined and handed to `_append_line` as one: one lock, one write, one fsync,
    and the same undo — a failure (a full disk) leaves the file byte for byte as it was."""
    from filelock import FileLock, Timeout  # only writers pay for the import

    path = folder / f"{now.year}.jsonl"
    if not entries:
        return path
    lines = b"".join(encode(entry) for entry in entries)
    _refuse_what_is_not_a_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder / ".journal.lock"), timeout=LOCK_TIMEOUT_SECONDS):
            _refuse_what_is_not_a_file(path)
            _append_line(path, lines)
    except Timeout:
        raise JournalWriteError(
            f"{LOCK_TIMEOUT_SECONDS} 秒内未能锁定日志 {folder}(另一进程正在写入?)"
            "(could not lock the journal; nothing was changed)"
        ) from None
    except OSError as error:
        raise JournalWriteError(
            f"无法写入日志 {path}:{error.strerror or error}(could not write the journal;"
            + (f" none of the {len(entries)} entries was written," if len(entries) > 1 else "")
            + " nothing was changed)"
        ) from None
    return path


def _refuse_what_is_not_a_folder(folder: Path) -> None:
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise JournalWriteError(
            f"日志位置 {display_path(folder)} 不是文件夹(是文件或失效的链接):未写入任何内容"
            " (the journal is not a folder; nothing was changed)",
            ("日志是 journal/ 文件夹里每年一个的 <年份>.jsonl;把这个文件改名或移走后再登记。",),
        )


def _refuse_what_is_not_a_file(path: Path) -> None:
    """A folder, a named pipe (opening it could block) or a dangling link where the year's
    file should be: say so, rather than fail obscurely, block, or create the link's target."""
    if not path.is_symlink() and not path.exists():
        return  # the year's first record creates it
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        what = "指向不存在位置的链接"
    else:
        if stat.S_ISREG(mode):
            return
        what = "文件夹" if stat.S_ISDIR(mode) else "命名管道" if stat.S_ISFIFO(mode) else "特殊文件"
    raise JournalWriteError(
        f"日志 {display_path(path)} 不是普通文件(是{what}):未写入任何内容"
        " (the journal file is not a regular file; nothing was changed)",
        ("运行 zwgk validate 查看;把它改名或移走后再登记。",),
    )


def _append_line(path: Path, line: bytes) -> None:
    created = not path.exists()
    try:
        # Unbuffered: a buffered file flushes what failed to land when it is truncated or closed,
        # so the undo below would put back the bytes it meant to remove.
        with open(path, "a+b", buffering=0) as handle:
            size = handle.seek(0, os.SEEK_END)
            start, prefix = _write_position(path, handle, size)
            if start == size:
                try:
                    _write_all(handle, prefix + line)  # "a" mode: lands at the end of the file
                    os.fsync(handle.fileno())
                except OSError:
                    _undo(path, handle, size)  # a full disk may have taken half the line
                    raise
                if created:
                    _sync_folder(path.parent)  # the new year's file is there after a power cut too
                return
            kept = _read_at(handle, 0, start)
    except OSError:
        if created:  # the year's first record failed: leave no empty file behind
            path.unlink(missing_ok=True)
        raise
    # A torn tail (a writer killed mid-line) is rare: replace the file in one atomic step, so a
    # failure at any point leaves the old journal, fragment and all, exactly as it was.
    _replace_atomically(path, kept + line)


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so a file created or renamed in it survives a crash (POSIX; Windows
    cannot open a folder for this and makes the entry durable with the file itself)."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_all(handle: Any, data: bytes) -> None:
    """Write every byte, or raise: an unbuffered write may take only part of what it is given."""
    view = memoryview(data)
    while view:
        written = handle.write(view)
        if not written:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]


def _undo(path: Path, handle: Any, size: int) -> None:
    try:
        handle.truncate(size)
    except OSError as error:
        # What landed is the start of zwgk's own line: a torn write, which the next record cuts.
        raise JournalWriteError(
            f"无法写入日志 {path}:{error.strerror or error};文件末尾可能留下了这次没写完的一行,"
            "zwgk 下次登记时会清除它 (could not write the journal, nor undo the partial line)"
        ) from None


def _replace_atomically(path: Path, content: bytes) -> None:
    # Through a symlink, the file it points to is replaced, and the link is kept; the new file
    # keeps the old one's permissions.
    target = Path(os.path.realpath(path))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb", buffering=0) as handle:
            _write_all(handle, content)
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        replace_when_free(temporary, target)
        _sync_folder(target.parent)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


REPLACE_ATTEMPTS = 10
REPLACE_PAUSE_SECONDS = 0.2


def replace_when_free(source: Path, target: Path, attempts: int = REPLACE_ATTEMPTS,
                      pause: float = REPLACE_PAUSE_SECONDS) -> None:
    """os.replace, retried while another program holds the target open.

    On Windows a file that Excel, WPS, an editor or a virus scanner has open cannot be replaced
    (PermissionError, "being used by another process"); they let go within moments, so a few
    short retries turn a failure into a pause. The last attempt's error is the one raised."""
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(pause * (attempt + 1) / 2)


def _read_at(handle: Any, start: int, length: int) -> bytes:
    handle.seek(start)
    parts = []
    while length > 0:
        part = handle.read(length)
        if not part:
            break
        parts.append(part)
        length -= len(part)
    return b"".join(parts)


def _last_line(handle: Any, size: int, chunk: int = 65536) -> bytes:
    """The bytes after the last newline, however long the line."""
    end = size
    while end > 0:
        start = max(0, end - chunk)
        block = _read_at(handle, start, end - start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            start += newline + 1
            break
        end = start
    else:
        start = 0
    return _read_at(handle, start, size - start)


def _write_position(path: Path, handle: Any, size: int) -> tuple[int, bytes]:
    """Where the new line starts, and what must precede it.

    The bytes after the last newline are read as the loader reads them. A torn write — provably
    the start of a line zwgk was writing when it was stopped, which never reported success — is
    cut. A whole record (or blank space) that lacks only its newline is kept and terminated.
    Anything else is someone's work zwgk cannot read: refused, the file untouched.
    """
    if size == 0 or _read_at(handle, size - 1, 1) == b"\n":
        return size, b""
    tail = _last_line(handle, size)
    start = size - len(tail)
    state = tail_state(tail, first=start == 0)
    if state == "torn":
        return start, b""
    if state in ("record", "blank"):
        return size, b"\n"
    number = _newlines_before(handle, start) + 1
    raise JournalWriteError(
        f"日志 {display_path(path)} 第 {number} 行没有换行结尾,既不是完整的记录,也不是 zwgk "
        "中断写入留下的残行:为免毁掉别人的内容,未写入任何内容 (the journal's last line is"
        " unterminated and neither a record nor a torn zwgk write; nothing was changed)",
        (f"运行 zwgk validate 查看第 {number} 行错在哪里;改正它(以 UTF-8 保存)并在行末补上换行,"
         "或删除这一行,再登记。",),
    )


def _newlines_before(handle: Any, end: int, chunk: int = 1 << 20) -> int:
    count = 0
    for start in range(0, end, chunk):
        count += _read_at(handle, start, min(chunk, end - start)).count(b"\n")
    return count
