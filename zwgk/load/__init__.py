"""The only reader of data files: a data folder → LoadResult(dataset, diagnostics, inputs).

load → parse → validate → cross-check, as one readable pipeline (after beancount's loader):
files.py reads bytes and notes what was read, plan.py turns a plan file into a validated model
(yamlsource.py keeps every value's position, validation.py points pydantic's errors at them),
journal.py reads the journal, calendar.py the office's calendar entries, following.py and
inherit.py a unit that follows another's catalogue, workspace.py a zwgk.yaml, checks.py the
cross-file checks and phrases.py the second reading of each deadline phrase. Every defect
becomes a `Diagnostic` pointing at file, line and column; nothing here raises for bad data,
prints, or exits. A result names its inputs, so whoever keeps it (zwgk/store) can tell whether
any of them changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from zwgk.errors import Diagnostic, has_errors
from zwgk.load.files import (
    JOURNAL_DIR,
    PLAN_FILES,
    as_now,
    bundled_data_dir,
    display_path,
    noted_too,
    noting,
)
from zwgk.load.journal import load_journal, read_journal, records
from zwgk.load.plan import item_locations, load_model, located
from zwgk.load.workspace import load_workspace
from zwgk.models import (
    ColumnsFile,
    Dataset,
    Item,
    OwnersFile,
    Settings,
    TasksFile,
)

__all__ = [
    "JOURNAL_DIR",
    "PLAN_FILES",
    "LoadMemo",
    "LoadResult",
    "as_now",
    "bundled_data_dir",
    "display_path",
    "load_dataset",
    "load_workspace",
    "read_journal",
]


@dataclass(frozen=True)
class LoadResult:
    dataset: Dataset | None  # None when errors make the data unusable
    diagnostics: tuple[Diagnostic, ...]
    # Every input the result was computed from: a file's path → the digest of its bytes ("" when
    # it was looked for and absent), a journal folder's listing, where a `follows` path led.
    inputs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not has_errors(self.diagnostics)


@dataclass
class LoadMemo:
    """What one command has read already: each folder's load, and inputs as they are now
    (as_now, for zwgk/store) — a catalogue followed by sixteen cities is read and hashed once."""

    results: dict[Path, LoadResult] = field(default_factory=dict)
    inputs: dict[str, str | None] = field(default_factory=dict)


def load_dataset(
    root: Path, _following: tuple[Path, ...] = (), memo: LoadMemo | None = None
) -> LoadResult:
    """Load one data folder. `memo` shares loads within one command: a province's catalogue,
    followed by sixteen cities, is read once."""
    key = root.resolve() if memo is not None else None
    if memo is not None and key in memo.results:
        result = memo.results[key]
        noted_too(dict(result.inputs))
        return result
    with noting() as inputs:
        result = _load_dataset(root, _following, memo)
    result = replace(result, inputs=MappingProxyType(inputs))
    if memo is not None and key is not None:
        memo.results[key] = result
    return result


def _load_dataset(
    root: Path, _following: tuple[Path, ...], memo: LoadMemo | None
) -> LoadResult:
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        what = "不是文件夹" if root.exists() else "不存在"
        return LoadResult(None, (Diagnostic(display_path(root), None, None, "no-data",
                                            f"数据文件夹{what} (data folder not found)",
                                            hint="用 --data 指定数据文件夹,或设置 ZWGK_DATA。"),))
    settings = load_model(root / "settings.yaml", Settings, diagnostics)
    if settings is not None and settings[0].follows:
        from zwgk.load.following import load_following

        return load_following(root, settings, diagnostics, _following, memo)
    owners = load_model(root / "owners.yaml", OwnersFile, diagnostics)
    tasks = load_model(root / "tasks.yaml", TasksFile, diagnostics)
    columns = load_model(root / "columns.yaml", ColumnsFile, diagnostics)
    if settings is None or owners is None or tasks is None or columns is None:
        return LoadResult(None, tuple(diagnostics))

    items = (*(Item.from_task(t) for t in tasks[0].tasks),
             *(Item.from_column(c) for c in columns[0].columns))
    locations = {
        **item_locations(tasks[1], "tasks", [t.id for t in tasks[0].tasks]),
        **item_locations(columns[1], "columns", [c.id for c in columns[0].columns]),
    }
    items = located(items, locations)
    from zwgk.load import checks  # the YAML reader and the checks are imported only to read YAML
    from zwgk.load.calendar import load_calendar

    diagnostics += checks.check_plan(owners[0], owners[1], tasks[0], tasks[1], columns[0], columns[1])
    calendar = load_calendar(root / "calendar.yaml", diagnostics)
    journal = load_journal(root / JOURNAL_DIR, diagnostics)
    diagnostics += checks.check_journal(journal, {item.id for item in items})
    dataset = Dataset(
        settings[0], owners[0], items, records(journal), calendar,
        entries={**{t.id: t for t in tasks[0].tasks}, **{c.id: c for c in columns[0].columns}},
    )
    return LoadResult(dataset, tuple(diagnostics))
