"""The only module that reads data files: a data folder → (Dataset, diagnostics).

load → parse → validate → cross-check, as one readable pipeline (after beancount's loader).
Every defect becomes a `Diagnostic` pointing at file, line and column; nothing here raises
for bad data, prints, or exits.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from zwgk.store import cache
from zwgk.errors import Diagnostic, has_errors
from zwgk.store.heap import making_many
from zwgk.models import (
    JOURNAL_FIELDS,
    CalendarData,
    Column,
    ColumnsFile,
    Dataset,
    Inheritance,
    Item,
    JournalEntry,
    JournalRecords,
    Location,
    OwnersFile,
    Settings,
    Task,
    TasksFile,
    WorkspaceFile,
    journal_adapter,
)

if TYPE_CHECKING:
    from zwgk.load.validation import FileSource

Located = tuple[JournalEntry, Location]
PLAN_FILES = ("settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml")
JOURNAL_DIR = "journal"
ModelT = TypeVar("ModelT", bound=BaseModel)


# What a load read, while a snapshot (snapshot.py) is being made: each file's path → the digest
# of the bytes used ("" when it was absent), each journal folder's listing, and where each
# `follows` path led. Recorded where the reading happens, so a snapshot's inputs are exactly
# what the result was computed from; `as_now` reads each of them again.
Reads = dict[str, str]
_reads: ContextVar[Reads | None] = ContextVar("zwgk_reads", default=None)
LISTING = "/*.jsonl"  # suffix of a journal folder's entry in Reads
TARGET = "/->"  # suffix of a followed path's entry in Reads (a symlink may be repointed)


@contextmanager
def recording() -> Iterator[Reads]:
    """Record every file read inside the block (nested loads add theirs to the outer record)."""
    reads: Reads = {}
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)
        _reads_too(reads)


def _note(key: Path | str, value: str) -> None:
    reads = _reads.get()
    if reads is not None:
        reads[str(key)] = value


def _present(path: Path) -> bool:
    """An optional file's existence; its absence is an input too."""
    if path.exists():
        return True
    _note(path, "")
    return False


def as_now(name: str) -> str | None:
    """A recorded input (Reads) as it is now: a file's digest ("" when absent), a journal
    folder's listing, the folder a followed path leads to. None when a file cannot be read
    plainly: the full load then says what is wrong."""
    if name.endswith(LISTING):
        return listing(Path(name.removesuffix(LISTING)))
    if name.endswith(TARGET):
        return _resolved(Path(name.removesuffix(TARGET)))
    path = Path(name)
    if not path.exists():
        return ""
    if not path.is_file():
        return None  # a folder or a pipe where a file should be
    try:
        return cache.digest(path.read_bytes())
    except OSError:
        return None


def _resolved(path: Path) -> str | None:
    """Where a path leads, through any symlinks; None for a symlink loop."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        return None


def listing(folder: Path) -> str:
    """The journal files of a folder, as recorded: their names, one per line."""
    return _names(journal_files(folder))


def _names(files: Sequence[Path]) -> str:
    return "\n".join(path.name for path in files)


@dataclass(frozen=True)
class LoadResult:
    dataset: Dataset | None  # None when errors make the data unusable
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not has_errors(self.diagnostics)


def display_path(path: Path) -> str:
    """Paths relative to the working folder when inside it: shorter messages, clickable in editors."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def load_dataset(
    root: Path, _following: tuple[Path, ...] = (), memo: LoadMemo | None = None
) -> LoadResult:
    """Load one data folder. `memo` shares loads within one command: a province's catalogue,
    followed by sixteen cities, is read once."""
    with making_many():  # the plan, its source positions and the journal last as long as the command
        if memo is None:
            return _load_dataset(root, _following, None)
        key = root.resolve()
        if key not in memo.results:
            with recording() as reads:
                memo.results[key] = (_load_dataset(root, _following, memo), reads)
        result, reads = memo.results[key]
        _reads_too(reads)
        return result


@dataclass
class LoadMemo:
    """What one command has read already: each folder's load (with what it read), and inputs
    as they are now (as_now, for snapshot.py) — a catalogue followed by sixteen cities is read
    and hashed once."""

    results: dict[Path, tuple[LoadResult, Reads]] = field(default_factory=dict)
    inputs: dict[str, str | None] = field(default_factory=dict)


def _reads_too(reads: Reads) -> None:
    """A memoised load still counts as read by whoever asks for it again."""
    outer = _reads.get()
    if outer is not None:
        outer.update(reads)


def _load_dataset(
    root: Path, _following: tuple[Path, ...], memo: LoadMemo | None
) -> LoadResult:
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        what = "不是文件夹" if root.exists() else "不存在"
        return LoadResult(None, (Diagnostic(display_path(root), None, None, "no-data",
                                            f"数据文件夹{what} (data folder not found)",
                                            hint="用 --data 指定数据文件夹,或设置 ZWGK_DATA。"),))
    settings = _load_model(root / "settings.yaml", Settings, diagnostics)
    if settings is not None and settings[0].follows:
        return _load_following(root, settings, diagnostics, _following, memo)
    owners = _load_model(root / "owners.yaml", OwnersFile, diagnostics)
    tasks = _load_model(root / "tasks.yaml", TasksFile, diagnostics)
    columns = _load_model(root / "columns.yaml", ColumnsFile, diagnostics)
    if settings is None or owners is None or tasks is None or columns is None:
        return LoadResult(None, tuple(diagnostics))

    items = (*(Item.from_task(t) for t in tasks[0].tasks),
             *(Item.from_column(c) for c in columns[0].columns))
    locations = {
        **_item_locations(tasks[1], "tasks", [t.id for t in tasks[0].tasks]),
        **_item_locations(columns[1], "columns", [c.id for c in columns[0].columns]),
    }
    items = _located(items, locations)
    from zwgk.load import checks  # the YAML reader and the checks are imported only to read YAML

    diagnostics += checks.check_plan(owners[0], owners[1], tasks[0], tasks[1], columns[0], columns[1])
    calendar = load_calendar(root / "calendar.yaml", diagnostics)
    journal = load_journal(root / JOURNAL_DIR, diagnostics)
    diagnostics += checks.check_journal(journal, {item.id for item in items})
    dataset = Dataset(
        settings[0], owners[0], items, _records(journal), calendar,
        entries={**{t.id: t for t in tasks[0].tasks}, **{c.id: c for c in columns[0].columns}},
    )
    return LoadResult(dataset, tuple(diagnostics))


def _load_following(
    root: Path, settings: tuple[Settings, FileSource], diagnostics: list[Diagnostic],
    following: tuple[Path, ...], memo: LoadMemo | None,
) -> LoadResult:
    """A unit that inherits another's catalogue: load the parent, then apply this unit's changes."""
    from zwgk.load.inherit import Resolution, resolve_entries, resolve_owners
    from zwgk.rules.owners import canonical_owners

    model, source = settings
    target = _resolved(root / str(model.follows))
    if target is None:
        diagnostics.append(source.diagnostic(("follows",), "follows-broken",
                                             f"上级目录 {model.follows} 是循环的符号链接 (a symlink loop)"))
        return LoadResult(None, tuple(diagnostics))
    _note(f"{root / str(model.follows)}{TARGET}", target)
    parent_root = Path(target)
    chain = (*following, root.resolve())
    if parent_root in chain:
        diagnostics.append(source.diagnostic(("follows",), "follows-cycle",
                                             f"follows 形成循环:{display_path(parent_root)} "
                                             "(units follow each other in a circle)"))
        return LoadResult(None, tuple(diagnostics))
    parent = load_dataset(parent_root, chain, memo)
    # The parent's warnings are the parent's to show; its errors stop this unit too.
    diagnostics += [d for d in parent.diagnostics if d.severity == "error"]
    if parent.dataset is None:
        message = f"上级目录 {display_path(parent_root)} 无法读取 (the followed data is invalid)"
        diagnostics.append(source.diagnostic(("follows",), "follows-broken", message))
        return LoadResult(None, tuple(diagnostics))
    base = parent.dataset
    child_owners = (_load_model(root / "owners.yaml", OwnersFile, diagnostics)
                    if _present(root / "owners.yaml") else None)
    owners = resolve_owners(base.owners, child_owners[0] if child_owners else None)
    known = canonical_owners(owners)
    resolution = Resolution(parent=display_path(parent_root))
    items: list[Item] = []
    entries: dict[str, Task | Column] = {}
    locations: dict[str, Location] = {}
    for key, name, model_type, from_model in (
        ("tasks", "tasks.yaml", Task, Item.from_task),
        ("columns", "columns.yaml", Column, Item.from_column),
    ):
        kind = "task" if key == "tasks" else "column"
        parent_entries = [base.entries[item.id] for item in base.items if item.kind == kind]
        child = read_yaml(root / name, diagnostics, allow_empty=True) if _present(root / name) else None
        resolved = resolve_entries(key, model_type, parent_entries, dict(base.locations), child,
                                   resolution, known)
        diagnostics += resolved.diagnostics
        items += [from_model(entry) for entry in resolved.entries]  # type: ignore[operator]
        entries.update({entry.id: entry for entry in resolved.entries})
        locations.update(resolved.locations)
    calendar = (load_calendar(root / "calendar.yaml", diagnostics)
                if _present(root / "calendar.yaml") else base.calendar)
    journal = load_journal(root / JOURNAL_DIR, diagnostics)
    from zwgk.load import checks

    diagnostics += checks.check_journal(journal, {item.id for item in items})
    items = list(_located(items, locations))
    inherits = Inheritance(resolution.parent, tuple(resolution.inherited),
                           tuple(resolution.overridden), tuple(resolution.dropped),
                           tuple(resolution.added))
    dataset = Dataset(model, owners, tuple(items), _records(journal), calendar, inherits, entries)
    if has_errors(diagnostics):
        return LoadResult(None, tuple(diagnostics))
    return LoadResult(dataset, tuple(diagnostics))


def _located(items: Sequence[Item], locations: dict[str, Location]) -> tuple[Item, ...]:
    return tuple(replace(item, source=locations.get(item.id)) for item in items)


def _item_locations(source: FileSource, key: str, ids: Sequence[str]) -> dict[str, Location]:
    locations = {}
    for index, item_id in enumerate(ids):
        span = source.map.at((key, index, "id")) or source.map.at((key, index))
        if span is not None:
            locations[item_id] = Location(source.path, span.line, span.col)
    return locations


def read_yaml(
    path: Path, diagnostics: list[Diagnostic], allow_empty: bool = False
) -> tuple[Any, FileSource] | None:
    """Read and parse one YAML file; None (with a diagnostic) when it cannot be used.

    `allow_empty`: a file holding only comments reads as an empty mapping (a following unit's
    tasks.yaml that changes nothing)."""
    from zwgk.load.validation import FileSource
    from zwgk.load.yamlsource import decode, parse

    shown = display_path(path)
    raw = _read_bytes(path, shown, diagnostics)
    if raw is None:
        return None
    text, problem = decode(raw, shown)
    if problem is not None or text is None:
        diagnostics.append(problem)  # type: ignore[arg-type]
        return None
    parsed = parse(text, shown)
    diagnostics.extend(parsed.diagnostics)
    if parsed.data is None and not parsed.diagnostics and allow_empty:
        return {}, FileSource(shown, parsed.source)
    if parsed.data is None and not parsed.diagnostics:
        diagnostics.append(Diagnostic(shown, None, None, "empty-file",
                                      "文件是空的(或只有注释)(file is empty)",
                                      hint="从 zwgk init 生成的模板或捆绑数据复制内容。"))
        return None
    if parsed.diagnostics and any(d.severity == "error" for d in parsed.diagnostics):
        return None
    return parsed.data, FileSource(shown, parsed.source)


def _read_bytes(path: Path, shown: str, diagnostics: list[Diagnostic]) -> bytes | None:
    if path.exists() and not path.is_file() and not path.is_dir():
        # A named pipe or device would block or stream forever.
        diagnostics.append(Diagnostic(shown, None, None, "not-a-file",
                                      "这里应是普通文件 (not a regular file)"))
        return None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        _note(path, "")
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
        if _reads.get() is not None:
            _note(path, cache.digest(raw))
        return raw
    return None


def _load_model(
    path: Path, model: type[ModelT], diagnostics: list[Diagnostic]
) -> tuple[ModelT, FileSource] | None:
    read = read_yaml(path, diagnostics)
    if read is None:
        return None
    data, source = read
    from zwgk.load.validation import pydantic_diagnostics

    if not isinstance(data, dict):
        diagnostics.append(source.diagnostic((), "not-a-mapping",
                                             "文件顶层应是键值映射 (top level must be a mapping)",
                                             hint=f"参考格式:{', '.join(model.model_fields)}"))
        return None
    try:
        return model.model_validate(data), source
    except ValidationError as error:
        diagnostics.extend(pydantic_diagnostics(error, source, model))
        return None


def load_calendar(path: Path, diagnostics: list[Diagnostic]) -> CalendarData:
    """calendar.yaml is optional: the office's own entries from a new State Council notice."""
    if not _present(path):
        return CalendarData()
    read = read_yaml(path, diagnostics)
    if read is None:
        return CalendarData()
    data, source = read
    from zwgk.dates.workdays import OverrideDataError, overrides_from_mapping

    try:
        overrides, official_years = overrides_from_mapping(data)
    except OverrideDataError as error:
        loc = ("days", error.index) if error.index is not None else ()
        diagnostics.append(source.diagnostic(loc, "calendar", str(error)))
        return CalendarData()
    except ValueError as error:
        diagnostics.append(source.diagnostic((), "calendar", str(error)))
        return CalendarData()
    return CalendarData(tuple(overrides), tuple(official_years))


def load_workspace(path: Path) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """zwgk.yaml → (unit name, data folder) pairs; folders are relative to the file."""
    diagnostics: list[Diagnostic] = []
    found = _load_model(path, WorkspaceFile, diagnostics)
    if found is None:
        return [], diagnostics
    model, source = found
    units = []
    seen: set[str] = set()
    for index, unit in enumerate(model.units):
        if unit.name in seen:
            diagnostics.append(source.diagnostic(("units", index, "name"), "duplicate-unit",
                                                 f"单位 '{unit.name}' 重复 (duplicate unit)"))
        seen.add(unit.name)
        units.append((unit.name, path.parent / unit.data))
    return units, diagnostics


# --- the journal -----------------------------------------------------------------------


def _split(journal: list[Located]) -> tuple[tuple[JournalEntry, ...], dict[str, Location]]:
    """Entries, and the line each was read from."""
    return tuple(entry for entry, _ in journal), {entry.id: where for entry, where in journal}


def _records(journal: list[Located]) -> JournalRecords:
    return JournalRecords(*_split(journal))


def read_journal(folder: Path) -> tuple[tuple[JournalEntry, ...], dict[str, Location]]:
    """A data folder's journal on its own (its problems were reported when the snapshot was made)."""
    with making_many():  # ten years are hundreds of thousands of entries
        return _split(load_journal(folder / JOURNAL_DIR, []))


def journal_files(folder: Path) -> list[Path]:
    try:
        found = [Path(entry.path) for entry in os.scandir(folder)
                 if entry.name.endswith(".jsonl") and entry.is_file()]
    except OSError:  # no journal folder yet (or not a folder, or unreadable: as glob would)
        return []
    return sorted(found)


def load_journal(folder: Path, diagnostics: list[Diagnostic]) -> list[tuple[JournalEntry, Location]]:
    """All journal entries, deduplicated by id (a union merge may repeat a line), in file order."""
    entries: dict[str, tuple[JournalEntry, Location]] = {}
    files = journal_files(folder)  # listed once: what is recorded is what is read
    if _reads.get() is not None:
        _note(str(folder) + LISTING, _names(files))
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
    raw = _read_bytes(path, shown, diagnostics)
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
