"""Recording a read-only command's answer as the normal path gives it, for the warm path
(warm.py explains what makes a kept answer correct): its stdout and stderr bytes through a tee
under each stream, the inputs its loads noted, an audit hook that watches for anything else it
does (a write, a subprocess, a socket, a read the loads did not note), and the instant until
which the answer holds. Imported only when a command misses.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from typing import Any

from zwgk.store import cache, digests, warm
from zwgk.store.warm import (
    BEIJING_OFFSET,
    FORMAT,
    LISTING,
    PACKAGE,
    TARGET,
    Chunks,
    Files,
    _files,
    _until,
    _watch,
    as_before,
    exit_code,
    kept_at,
    key,
    settled,
    stat_of,
)


def record(argv: list[str], run: Callable[[], object]) -> int:
    from zwgk.load.files import noting

    name, started = key(argv), warm.clock()
    chunks: Chunks = []
    streams = sys.stdout, sys.stderr
    _watch.update(on=True, spoiled=False, opened=set(), listed=set(), allowed=set(),
                  root=os.path.abspath(cache.root()))
    _until.clear()
    _files.clear()
    _start_watching()
    try:
        teed = _teed(streams[0], 1, chunks), _teed(streams[1], 2, chunks)
    except (AttributeError, ValueError, OSError):  # streams without bytes beneath: just run
        _watch["on"] = False
        return exit_code(run)
    try:
        sys.stdout, sys.stderr = teed
        with noting() as inputs:
            code = exit_code(run)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        _watch["spoiled"] = True
        raise
    finally:
        sys.stdout, sys.stderr = streams
        _watch["on"] = False
    if code in (0, 1) and not _watch["spoiled"]:
        _keep(name, started, dict(inputs), chunks, code, list(_files))
    return code


def _keep(name: str, started: float, inputs: dict[str, str], chunks: Chunks, code: int, files: Files) -> None:
    until = _valid_until(started)
    checked = _checked(inputs)
    if until is None or checked is None or not _reads_noted(inputs) or not warm.clock() < until:
        return
    written = {os.path.realpath(path) for path, _ in files}
    if any(os.path.realpath(noted) in written for noted in inputs):
        return  # the report overwrote one of its own inputs: the next run reads another file
    merged: Chunks = []
    for fd, data in chunks:
        if merged and merged[-1][0] == fd:
            merged[-1] = (fd, merged[-1][1] + data)
        elif data:
            merged.append((fd, data))
    cache.save(kept_at(name), (FORMAT, (checked, until, merged, code, files)))


def _valid_until(started: float) -> float | None:
    """The next midnight in Beijing after `started`, or the first clock-dependent change before it."""
    from datetime import datetime, timedelta, timezone

    beijing = timezone(timedelta(seconds=BEIJING_OFFSET))
    moment = datetime.fromtimestamp(started, beijing).replace(tzinfo=None, second=0, microsecond=0)
    until = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time())
    try:
        for change in _until:
            found = change(moment)
            if found is not None:
                until = min(until, found)
    except Exception:  # the answer's validity cannot be told: keep nothing
        return None
    return until.replace(tzinfo=beijing).timestamp()


def _checked(inputs: dict[str, str]) -> tuple[tuple[str, str, tuple[int, ...] | None], ...] | None:
    """Each input with the stat that may stand in for hashing it again; None when one changed
    since the load read it (the answer is then of files no longer there)."""
    checked = []
    for name, value in sorted(inputs.items()):
        mark = None
        if not name.endswith((LISTING, TARGET)) and value != "":
            try:
                stat_now = stat_of(name)
            except OSError:
                return None
            if digests.kept().as_now(name) != value:  # read again unless its stat is the one hashed
                return None
            if settled(stat_now):
                mark = stat_now
        elif not as_before(name, value, None):  # a listing, a followed path, an absent file
            return None
        checked.append((name, value, mark))
    return tuple(checked)


def _reads_noted(inputs: dict[str, str]) -> bool:
    """Every file opened and folder listed while the command ran is a noted input, or Python's,
    zwgk's, the cache's or the system's own (the time zone, the locale)."""
    noted = {os.path.abspath(name.removesuffix(LISTING)) for name in inputs}
    own = {os.path.join(os.path.abspath(p), "") for p in (
        sys.prefix, sys.base_prefix, sys.exec_prefix, PACKAGE, _watch["root"])}
    allowed = (*own, *SYSTEM)
    python_path = {os.path.abspath(p or ".") for p in sys.path}
    return (all(path in noted or path.startswith(allowed) for path in _watch["opened"])
            and all(path in noted or path in python_path or os.path.join(path, "").startswith(allowed)
                    for path in _watch["listed"]))


SYSTEM = ("/usr/share/zoneinfo/", "/usr/lib/locale/", "/usr/share/locale/", "/etc/", "/dev/", "/proc/",
          "/sys/")
_WRITES = ("os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.symlink", "os.link", "os.truncate",
           "os.chmod", "os.chown", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile")
_OUTSIDE = frozenset((
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.startfile", "os.kill", "pty.spawn", "socket.__new__", "socket.connect", "socket.bind",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.sendmsg", "webbrowser.open",
    "urllib.Request", "http.client.connect"))
_LISTINGS = frozenset(("os.scandir", "os.listdir"))
_WATCHED = frozenset(("open", *_LISTINGS, *_WRITES, *_OUTSIDE))  # every other event returns at once
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _start_watching() -> None:
    if not _watch.get("hooked"):
        sys.addaudithook(_audit)  # cannot be removed: it does nothing while no command is watched
        _watch["hooked"] = True


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event not in _WATCHED or not _watch["on"] or _watch["spoiled"]:
        return
    try:
        _watched(event, args)
    except Exception:  # a hook must never fail the operation it audits: keep nothing instead
        _watch["spoiled"] = True


def _watched(event: str, args: tuple[Any, ...]) -> None:
    if event == "open":
        path, mode, flags = args
        if path is None or isinstance(path, int):
            return
        where = os.path.abspath(os.fsdecode(path))
        if (mode and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & _WRITE_FLAGS):
            _watch["spoiled"] = not _may_write(where)
        else:
            _watch["opened"].add(where)
    elif event in _LISTINGS:
        path = args[0] if args and args[0] is not None else "."
        if not isinstance(path, int):
            _watch["listed"].add(os.path.abspath(os.fsdecode(path)))
    elif event in _WRITES:
        paths = [a for a in args if isinstance(a, str | bytes | os.PathLike)]
        _watch["spoiled"] = not paths or not all(_may_write(os.path.abspath(os.fsdecode(p))) for p in paths)
    elif event in _OUTSIDE:
        _watch["spoiled"] = True


def _may_write(where: str) -> bool:
    """In the cache, or the report file (and its temporary) that write_file declared."""
    return where in _watch["allowed"] or os.path.join(where, "").startswith(os.path.join(_watch["root"], ""))


class _Tee(io.RawIOBase):
    """The raw layer under a stream: each write goes on to the real stream and into `chunks`."""

    def __init__(self, target: Any, fd: int, chunks: Chunks) -> None:
        self._target, self._fd, self._chunks = target, fd, chunks

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raw = bytes(data)
        self._target.write(raw)
        self._target.flush()
        self._chunks.append((self._fd, raw))
        return len(raw)

    def isatty(self) -> bool:
        return bool(self._target.isatty())

    def fileno(self) -> int:
        return int(self._target.fileno())


def _teed(stream: Any, fd: int, chunks: Chunks) -> Any:
    """A text stream like `stream` (encoding, errors, line buffering) whose bytes are also kept."""
    target = stream.buffer
    tee = io.BufferedWriter(_Tee(target, fd, chunks))
    return io.TextIOWrapper(tee, encoding=stream.encoding, errors=stream.errors, newline=None,
                            line_buffering=stream.line_buffering,
                            write_through=getattr(stream, "write_through", False))
