"""Reading files, and keeping note of what was read.

Every file a load reads passes through `read_bytes`, and every optional file it looks for
through `present`: each notes the SHA-256 digest of the bytes used ("" when absent), so a
load can report its inputs as part of its result (LoadResult.inputs) and whoever keeps that
result (zwgk/store) can tell later whether any of them changed. Nothing here raises for bad
data: a file that cannot be read is a Diagnostic.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from zwgk.errors import Diagnostic

PLAN_FILES = ("settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml")
JOURNAL_DIR = "journal"
SITE_FILE = "site.yaml"  # optional: where each website column lives (zwgk scan, load/site.py)

# What the load in progress has read: each file's path → the digest of the bytes used ("" when
# it was absent), each journal folder's listing, and where each `follows` path led. Recorded
# where the reading happens, so a load's inputs are exactly what its result was computed from;
# `as_now` reads each of them again.
Inputs = dict[str, str]
_inputs: ContextVar[Inputs | None] = ContextVar("zwgk_inputs", default=None)
LISTING = "/*.jsonl"  # suffix of a journal folder's entry in Inputs
TARGET = "/->"  # suffix of a followed path's entry in Inputs (a symlink may be repointed)


def digest(raw: bytes) -> str:
    # SHA-256 rather than BLAKE2: CPUs of the last several years compute it in hardware
    # (~1.7 GB/s here against ~0.9), and a province's journals are 50 MB to hash on every run.
    return hashlib.sha256(raw).hexdigest()[:32]


@contextmanager
def noting() -> Iterator[Inputs]:
    """Note every file read inside the block (nested loads add theirs to the outer note)."""
    inputs: Inputs = {}
    token = _inputs.set(inputs)
    try:
        yield inputs
    finally:
        _inputs.reset(token)
        noted_too(inputs)


def is_noting() -> bool:
    return _inputs.get() is not None


def note(key: Path | str, value: str) -> None:
    inputs = _inputs.get()
    if inputs is not None:
        inputs[str(key)] = value


def noted_too(inputs: Inputs) -> None:
    """A memoised load still counts as read by whoever asks for it again."""
    outer = _inputs.get()
    if outer is not None:
        outer.update(inputs)


def present(path: Path) -> bool:
    """An optional file's existence; its absence is an input too."""
    if path.exists():
        return True
    note(path, "")
    return False


def as_now(name: str) -> str | None:
    """A noted input as it is now: a file's digest ("" when absent), a journal folder's
    listing, the folder a followed path leads to. None when a file cannot be read plainly:
    the full load then says what is wrong."""
    if name.endswith(LISTING):
        return listing(Path(name.removesuffix(LISTING)))
    if name.endswith(TARGET):
        return resolved(Path(name.removesuffix(TARGET)))
    path = Path(name)
    if not path.exists():
        return ""
    if not path.is_file():
        return None  # a folder or a pipe where a file should be
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def resolved(path: Path) -> str | None:
    """Where a path leads, through any symlinks; None for a symlink loop."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        return None


def journal_files(folder: Path, diagnostics: list[Diagnostic] | None = None) -> list[Path]:
    """The journal's year files: every `*.jsonl` entry of the folder, whatever it is — a folder
    or a pipe of that name is reported when it is read, never passed over in silence. No files
    when there is no journal folder yet; a journal that is not a folder, or cannot be listed, is
    a Diagnostic in `diagnostics` (a load with errors is never kept, so nothing stale is)."""
    try:
        with os.scandir(folder) as entries:
            found = [Path(entry.path) for entry in entries if entry.name.endswith(".jsonl")]
    except FileNotFoundError:
        if folder.is_symlink():
            _journal_folder_problem(folder, "指向不存在的位置 (a dangling symlink)", diagnostics)
        elif diagnostics is not None:
            # No journal folder yet: nothing recorded. Its absence is an input too — the listing
            # of a file where the folder should be is just as empty.
            note(folder, "")
        return []
    except NotADirectoryError:
        _journal_folder_problem(folder, "应是文件夹,却是文件 (a file where the folder should be)",
                                diagnostics)
        return []
    except OSError as error:
        _journal_folder_problem(folder, f"无法列出 (cannot list): {error.strerror or error}",
                                diagnostics, code="unreadable")
        return []
    return sorted(found)


def _journal_folder_problem(folder: Path, what: str, diagnostics: list[Diagnostic] | None,
                            code: str = "journal-not-a-folder") -> None:
    if diagnostics is None:
        return
    hint = ("检查这个文件夹的读取权限。" if code == "unreadable" else
            "日志是 journal/ 文件夹里每年一个的 <年份>.jsonl;把占着这个名字的东西改名或移走,"
            "zwgk 下次登记时会建好文件夹。")
    diagnostics.append(Diagnostic(display_path(folder), None, None, code, f"日志位置{what}",
                                  hint=hint))


def listing(folder: Path) -> str:
    """The journal files of a folder, as noted: their names, one per line."""
    return names(journal_files(folder))


def names(files: Sequence[Path]) -> str:
    return "\n".join(path.name for path in files)


def display_path(path: Path) -> str:
    """Paths relative to the working folder when inside it: shorter messages, clickable in editors."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def bundled_data_dir() -> Path:
    """The data shipped with zwgk: inside the installed package, or the repo's data/ in a checkout."""
    packaged = Path(__file__).parents[1] / "bundled"
    if (packaged / "tasks.yaml").is_file():
        return packaged
    return Path(__file__).parents[2] / "data"


def read_bytes(path: Path, shown: str, diagnostics: list[Diagnostic]) -> bytes | None:
    if path.exists() and not path.is_file() and not path.is_dir():
        # A named pipe or device would block or stream forever.
        diagnostics.append(Diagnostic(shown, None, None, "not-a-file",
                                      "这里应是普通文件 (not a regular file)"))
        return None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            diagnostics.append(Diagnostic(shown, None, None, "not-a-file",
                                          "这里应是普通文件,却是指向不存在位置的链接 (a dangling symlink)"))
            return None
        note(path, "")
        diagnostics.append(Diagnostic(shown, None, None, "missing-file", "缺少文件 (file not found)",
                                      hint="数据文件夹需要 " + "、".join(PLAN_FILES) + "。"))
    except IsADirectoryError:
        diagnostics.append(Diagnostic(shown, None, None, "not-a-file",
                                      "这里应是文件,却是文件夹 (a folder where a file should be)"))
    except PermissionError:
        diagnostics.append(Diagnostic(shown, None, None, "unreadable",
                                      "没有读取权限 (permission denied)"))
    except OSError as error:
        diagnostics.append(Diagnostic(shown, None, None, "unreadable",
                                      f"无法读取 (cannot read): {error.strerror}"))
    else:
        if is_noting():
            note(path, digest(raw))
        return raw
    return None
