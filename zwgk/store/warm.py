"""The warm path: a read-only command run again on unchanged inputs answers from the bytes it
printed last time, before typer, rich or pydantic are imported (zwgk/__main__.py).

Correct by construction — an answer is kept only when every fact it came from is known, and
given back only when every one of them is unchanged:

- *Which commands*: only those that read and print (READ_ONLY), and `report`/`ics` writing
  their one file (`-o FILE`, or the report's default name); any other command, `--help`,
  completion, an unknown command simply runs. While a command runs, an audit hook
  (sys.addaudithook) watches it: a file written or renamed outside the cache — but the report
  file cli/output.write_file declares (`writing`), through its temporary file beside it — a
  subprocess, a socket, or a file read that the load did not note as an input (outside
  Python's own and zwgk's own files) and nothing is kept. A kept report file is given back by
  writing its bytes again the way write_file does (a temporary file, then os.replace), before
  anything is printed; if that write fails, the normal path runs and says why. A file whose
  bytes are not the same from run to run (xlsx carries the moment it was made) is not kept,
  nor one that is also an input.
- *The key*: the arguments, the working folder, the whole environment (but OLDPWD), the terminal
  (isatty of stdin/stdout/stderr, the window size of a terminal, the streams' encodings, the
  Windows console code page), what ./data and ./zwgk.yaml are, Python (version, executable,
  flags), zwgk's own files (name, size, mtime and inode of every file of the package: a
  developer edits code without bumping the version) and the library folders on sys.path inside
  Python's prefix (an install or upgrade renames a *.dist-info folder, which changes the
  folder's mtime; code on PYTHONPATH outside it is keyed by the variable, not watched).
- *The inputs*: every file, journal folder listing and followed path the loads noted
  (zwgk.load.files.noting), with its digest. They are checked again on every warm run: a
  listing and a followed path are read again; a file's digest is computed again unless its
  stat — size, mtime_ns, ctime_ns, inode, device — is the one recorded *and* its mtime was at
  least two seconds older than the moment it was recorded (a write within the same timestamp
  tick would otherwise go unseen; ctime cannot be set back). A git checkout or a copy gives a
  file a new mtime: it is then hashed again, and an unchanged content still answers.
- *The clock*: an answer holds until the next midnight in Beijing (a day is what every rule
  judges by) or, earlier, the next instant at which an hour window judged by the clock would
  read otherwise (rules.engine.next_change, registered by the store as it judges). An answer
  that would already have gone stale while its command ran is not kept.
- *Stored* with cache.py's atomic marshal files, in the cache's `warm/` subfolder (removed by
  `zwgk cache clear`); ZWGK_NO_CACHE=1 turns it off; anything unreadable is a miss. The bytes
  of stdout and stderr are kept in the order they were written, with the exit code (0 or 1
  only: an error is worked out again).
"""

from __future__ import annotations

import os
import sys
import time

from zwgk.store import cache

TYPE_CHECKING = False  # typing itself is not imported on the warm path
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from pathlib import Path
    from typing import Any

READ_ONLY = frozenset(("status", "overdue", "show", "upcoming", "agenda", "log", "validate", "check",
                       "report", "ics"))
NOT_KEPT_ARGS = frozenset(("--help", "-h", "--version", "--install-completion", "--show-completion"))
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMAT = 2
LISTING = "/*.jsonl"  # the same suffixes as zwgk.load.files's noted inputs
TARGET = "/->"
SETTLED_NS = 2_000_000_000  # a file's mtime this much older than its stat is trusted (see above)
# Windows gives the creation time as st_ctime: a rewrite that puts the old size and mtime back
# would look unchanged, so there a file is always hashed again.
STAT_TRUSTED = os.name != "nt"
BEIJING_OFFSET = 8 * 3600  # Asia/Shanghai has kept UTC+8 without summer time since 1991

Chunks = list[tuple[int, bytes]]
Files = list[tuple[str, bytes]]  # a report file's path, as given, and its bytes


def clock() -> float:
    """The instant (seconds since the epoch) every warm decision is made at; tests replace it
    together with zwgk.cli.options.now/today."""
    return time.time()


# --- which commands --------------------------------------------------------------------------


def command_of(argv: list[str]) -> str | None:
    """The read-only command `argv` runs, or None when it runs anything else."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        if argv[index] == "--encoding":
            index += 2
        elif argv[index].startswith("--encoding="):
            index += 1
        else:
            return None
    if index >= len(argv) or argv[index] not in READ_ONLY:
        return None
    command, rest = argv[index], argv[index + 1:]
    if any(arg in NOT_KEPT_ARGS for arg in rest):
        return None
    return command


def enabled() -> bool:
    return cache.enabled() and not any(
        name.startswith("_ZWGK") for name in os.environ)  # _ZWGK_COMPLETE: shell completion


# --- the key ---------------------------------------------------------------------------------


def key(argv: list[str]) -> str:
    parts: list[object] = [FORMAT, sys.version, sys.executable, sys.platform, tuple(sys.flags),
                           os.getcwd(), tuple(argv)]
    parts += sorted((name, value) for name, value in os.environ.items() if name != "OLDPWD")
    parts += _terminal()
    parts += [(name, os.path.isdir(name), os.path.isfile(name)) for name in ("data", "zwgk.yaml")]
    parts += _code()
    return cache.digest(repr(parts).encode("utf-8", "surrogateescape"))


def _terminal() -> list[object]:
    facts: list[object] = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            tty = stream.isatty()
            facts.append((tty, getattr(stream, "encoding", None), getattr(stream, "errors", None)))
            if tty:
                facts.append(tuple(os.get_terminal_size(stream.fileno())))
        except (AttributeError, OSError, ValueError):
            facts.append(None)
    if sys.platform == "win32":
        import ctypes

        facts.append(ctypes.windll.kernel32.GetConsoleOutputCP())  # type: ignore[attr-defined]
    return facts


def _code() -> list[object]:
    """zwgk's every file (but compiled ones) and the library folders Python imports from."""
    marks: list[object] = []
    folders = [PACKAGE]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__":
                            folders.append(entry.path)
                        continue
                    stat = entry.stat()
                    marks.append((entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except OSError:
            marks.append(None)
    prefixes = tuple({os.path.join(p, "") for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})
    for place in sys.path:
        if not os.path.join(place, "").startswith(prefixes):
            continue  # the working folder, a checkout: they change with every file made there
        try:
            found = os.stat(place)
        except OSError:
            continue
        marks.append((place, found.st_mtime_ns, found.st_ino))
    return sorted(marks, key=repr)


# --- the warm run ----------------------------------------------------------------------------


def kept_at(name: str) -> Path:
    return cache.root() / cache.WARM / f"{name}.marshal"


def answer(argv: list[str]) -> tuple[Chunks, int, Files] | None:
    """The kept answer to `argv` if every fact it came from is unchanged; None: run the command."""
    if command_of(argv) is None or not enabled():
        return None
    if not all(hasattr(stream, "buffer") for stream in (sys.stdout, sys.stderr)):
        return None  # a closed stream (None) or one without bytes beneath: the normal path says so
    try:
        version, (inputs, until, chunks, code, files) = cache.load(kept_at(key(argv)))  # None: a miss
        if version != FORMAT or not clock() < until or not unchanged(inputs):
            return None
        return ([(int(fd), bytes(data)) for fd, data in chunks], int(code),
                [(str(path), bytes(data)) for path, data in files])
    except Exception:  # anything unreadable or of another shape is a miss
        return None


def write_again(files: Files) -> bool:
    """Each kept report file written as cli/output.write_file writes it; False (the normal path
    then runs, and says why) when one cannot be."""
    for path, data in files:
        temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except OSError:
            import contextlib  # only here: the warm path imports as little as it can

            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return False
    return True


def replay(kept: tuple[Chunks, int, Files]) -> int:
    chunks, code, _ = kept
    try:
        for fd, data in chunks:
            stream = sys.stdout if fd == 1 else sys.stderr
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
    except BrokenPipeError:
        pass
    return code


def unchanged(inputs: tuple[tuple[str, str, tuple[int, ...] | None], ...]) -> bool:
    return all(as_before(name, value, mark) for name, value, mark in inputs)


def as_before(name: str, value: str, mark: tuple[int, ...] | None) -> bool:
    if name.endswith(LISTING):
        return _listing(name.removesuffix(LISTING)) == value
    if name.endswith(TARGET):
        return os.path.realpath(name.removesuffix(TARGET)) == value
    if value == "":
        return not os.path.exists(name)
    try:
        if mark is not None and stat_of(name) == mark:
            return True
        with open(name, "rb") as handle:
            return cache.digest(handle.read()) == value
    except OSError:
        return False


def settled(stat: tuple[int, ...]) -> bool:
    """Whether a file with this stat (stat_of) may be known by it from now on: its mtime and
    ctime at least SETTLED_NS old, so a later write, even within the same timestamp tick, gives
    another stat. Never where the stat cannot tell a rewrite (STAT_TRUSTED)."""
    oldest = time.time_ns() - SETTLED_NS
    return STAT_TRUSTED and stat[1] < oldest and stat[2] < oldest


def stat_of(name: str) -> tuple[int, ...]:
    stat = os.stat(name)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


def _listing(folder: str) -> str | None:
    """As zwgk.load.files.listing: the names of the folder's *.jsonl entries, sorted."""
    try:
        with os.scandir(folder) as entries:
            return "\n".join(sorted(entry.name for entry in entries if entry.name.endswith(".jsonl")))
    except (FileNotFoundError, NotADirectoryError):
        return ""
    except OSError:
        return None


def serve(argv: list[str], run: Callable[[], object]) -> int:
    """One command: from its kept answer, or `run` (the normal path) — watched, and kept."""
    kept = answer(argv)
    if kept is not None and write_again(kept[2]):
        return replay(kept)
    if command_of(argv) is None or not enabled():
        return exit_code(run)
    from zwgk.store.record import record

    return record(argv, run)


def exit_code(run: Callable[[], object]) -> int:
    try:
        run()
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        raise
    return 0


# --- what the normal path tells while it is watched (record.py) ---------------------------

_watch: dict[str, Any] = {"on": False}
_until: list[Callable[[datetime], datetime | None]] = []
_files: Files = []


def depends_on_clock(change: Callable[[datetime], datetime | None]) -> None:
    """Told by the store as it judges: given a minute (naive Beijing), the next instant after it
    at which the answer judged then would read otherwise (None: not before midnight)."""
    if _watch["on"]:
        _until.append(change)


def writing(temporary: str, output: str) -> None:
    """Told by cli/output.write_file before it writes a report file through `temporary`: the
    one write (and rename) a watched command may make."""
    if _watch["on"]:
        _watch["allowed"].update((os.path.abspath(temporary), os.path.abspath(output)))


def wrote(output: str, data: bytes) -> None:
    """Told by cli/output.write_file once the file is in place: kept, to be written again. The
    path as it was given (the working folder is in the key): `a/../r.md` goes where the system
    takes it, through a symlink `a`, as the normal path's did."""
    if _watch["on"]:
        _files.append((output, data))


def not_reproducible() -> None:
    """Told by a renderer whose bytes differ from run to run (xlsx keeps the moment it was made):
    nothing is kept, so every run makes its own."""
    if _watch["on"]:
        _watch["spoiled"] = True
