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
from typing import Any, Generic, get_args, get_origin

from pydantic import BaseModel, ValidationError

from zwgk.errors import Diagnostic, has_errors
from zwgk.load.files import (
    JOURNAL_DIR,
    LISTING,
    PLAN_FILES,
    SITE_FILE,
    as_now,
    bundled_data_dir,
    display_path,
    noted_too,
    noting,
)
from zwgk.load.journal import load_journal, read_journal, records
from zwgk.load.plan import item_locations, located, read_yaml
from zwgk.load.validation import FileSource, ModelT, lookalike_hint, pydantic_diagnostics
from zwgk.load.workspace import load_workspace
from zwgk.models import (
    ColumnsFile,
    Dataset,
    Item,
    JournalRecords,
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

    results: dict[tuple[Path, bool], LoadResult] = field(default_factory=dict)  # (folder, plan only)
    inputs: dict[str, str | None] = field(default_factory=dict)


def load_dataset(
    root: Path, _following: tuple[Path, ...] = (), memo: LoadMemo | None = None, plan_only: bool = False
) -> LoadResult:
    """Load one data folder. `memo` shares loads within one command: a province's catalogue,
    followed by sixteen cities, is read once.

    `plan_only` leaves the journal out (an empty one), and out of the inputs: a followed
    catalogue is the parent's plan, not its records, so a city's snapshot stays valid when the
    province records something."""
    folder = root.resolve() if memo is not None else None
    if memo is not None and folder is not None:
        if (folder, plan_only) in memo.results:
            result = memo.results[(folder, plan_only)]
            noted_too(dict(result.inputs))
            return result
        if plan_only and (folder, False) in memo.results:
            result = _without_journal(root, memo.results[(folder, False)])
            memo.results[(folder, True)] = result
            noted_too(dict(result.inputs))
            return result
    with noting() as inputs:
        result = _load_dataset(root, _following, memo, plan_only)
        if result.dataset is not None and not _following:  # a followed catalogue's site is its own
            from zwgk.load.site import check_site  # the unit's own site.yaml (zwgk scan)

            result = replace(result, diagnostics=(*result.diagnostics, *check_site(root, result.dataset)))
    result = replace(result, inputs=MappingProxyType(inputs))
    if memo is not None and folder is not None:
        memo.results[(folder, plan_only)] = result
    return result


def _without_journal(root: Path, full: LoadResult) -> LoadResult:
    """A whole load seen as a plan-only one, as a follower sees it: no journal, and neither the
    journal's files nor the unit's own site.yaml (its pages, not the catalogue) among the inputs
    or the problems."""
    journal, site = (root / JOURNAL_DIR).resolve(), (root / SITE_FILE).resolve()

    def own(name: str) -> bool:
        where = Path(name.removesuffix(LISTING)).resolve()
        return where in (journal, site) or where.parent == journal

    inputs = {name: value for name, value in full.inputs.items() if not own(name)}
    dataset = replace(full.dataset, records=JournalRecords()) if full.dataset is not None else None
    kept = tuple(d for d in full.diagnostics if not (d.code.startswith("journal") or own(d.path)))
    return replace(full, dataset=dataset, inputs=MappingProxyType(inputs), diagnostics=kept)


def _load_dataset(
    root: Path, _following: tuple[Path, ...], memo: LoadMemo | None, plan_only: bool = False
) -> LoadResult:
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        what = "不是文件夹" if root.exists() else "不存在"
        return LoadResult(None, (Diagnostic(display_path(root), None, None, "no-data",
                                            f"数据文件夹{what} (data folder not found)",
                                            hint="用 --data 指定数据文件夹,或设置 ZWGK_DATA。"),))
    settings_read = read_yaml(root / "settings.yaml", diagnostics)
    settings = _validated(settings_read, Settings, diagnostics)
    if settings is not None and settings.model.follows:
        from zwgk.load.following import load_following

        return load_following(root, (settings.model, settings.source), diagnostics, _following, memo,
                              plan_only)
    if settings is None and settings_read is not None and isinstance(settings_read[0], dict) \
            and "follows" in settings_read[0]:
        return LoadResult(None, tuple(diagnostics))  # its other files are read against the parent's
    owners = _validated(read_yaml(root / "owners.yaml", diagnostics), OwnersFile, diagnostics)
    tasks = _validated(read_yaml(root / "tasks.yaml", diagnostics), TasksFile, diagnostics)
    columns = _validated(read_yaml(root / "columns.yaml", diagnostics), ColumnsFile, diagnostics)
    from zwgk.load import checks  # the YAML reader and the checks are imported only to read YAML
    from zwgk.load.calendar import load_calendar

    # Every error that can be known, in one run: the cross-file checks run on whatever validated.
    # The source's gaps (warnings) wait until the plan is whole, as do journal entries pointing
    # at items that may only be missing because their file has errors.
    found = checks.check_plan(owners, tasks, columns)
    whole = all(part is not None and part.complete for part in (settings, owners, tasks, columns))
    diagnostics += found if whole else [d for d in found if d.severity == "error"]
    calendar = load_calendar(root / "calendar.yaml", diagnostics)
    journal = load_journal(root / JOURNAL_DIR, diagnostics) if not plan_only else []
    if not whole or settings is None or owners is None or tasks is None or columns is None:
        return LoadResult(None, tuple(diagnostics))

    task_list, column_list = tasks.model.tasks, columns.model.columns
    items = (*(Item.from_task(t) for t in task_list), *(Item.from_column(c) for c in column_list))
    locations = {
        **item_locations(tasks.source, "tasks", [t.id for t in task_list]),
        **item_locations(columns.source, "columns", [c.id for c in column_list]),
    }
    items = located(items, locations)
    diagnostics += checks.check_journal(journal, {item.id for item in items})
    dataset = Dataset(
        settings.model, owners.model, items, records(journal), calendar,
        entries={**{t.id: t for t in task_list}, **{c.id: c for c in column_list}},
    )
    return LoadResult(dataset, tuple(diagnostics))


def _validated(
    read: tuple[Any, FileSource] | None, model: type[ModelT], diagnostics: list[Diagnostic]
) -> Validated[ModelT] | None:
    return validate_file(read[0], model, read[1], diagnostics) if read is not None else None


@dataclass(frozen=True)
class Validated(Generic[ModelT]):
    """A plan file as far as it validated.

    `model` holds every entry of the file's lists that is valid on its own — all of them when
    `complete`. `at` gives each kept entry's index in the file (None: the model is the whole
    file), `rejected` the raw entries that are not valid, so a check across files can use what
    is sound without calling a reference to a rejected entry unknown; None when some entries
    cannot be seen at all (a misspelt list name, a list that is not a list).
    """

    model: ModelT
    source: FileSource
    at: Mapping[str, tuple[int, ...]] | None = None
    rejected: Mapping[str, tuple[Any, ...]] | None = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.at is None

    def indexed(self, section: str) -> list[tuple[int, Any]]:
        """A list's kept entries, each with its index in the file (for pointing at it)."""
        entries = getattr(self.model, section)
        where = self.at[section] if self.at is not None else range(len(entries))
        return list(zip(where, entries, strict=True))


def validate_file(
    data: Any, model: type[ModelT], source: FileSource, diagnostics: list[Diagnostic]
) -> Validated[ModelT] | None:
    """A parsed plan file → its model; when it is not valid, its errors and (for a file of lists)
    the entries that are valid one by one. None when nothing of it can be used."""
    if not isinstance(data, dict):
        # every `key： value` typed with a Chinese input method reads as one long text
        slip = lookalike_hint(data) if isinstance(data, str) else None
        diagnostics.append(source.diagnostic((), "not-a-mapping",
                                             "文件顶层应是键值映射 (top level must be a mapping)",
                                             hint="; ".join(filter(None, (
                                                 slip, f"参考格式:{', '.join(model.model_fields)}")))))
        return None
    try:
        return Validated(model.model_validate(data), source)
    except ValidationError as error:
        diagnostics.extend(pydantic_diagnostics(error, source, model))
    return _entries_alone(data, model, source)


def _entries_alone(data: dict[Any, Any], model: type[ModelT], source: FileSource
                   ) -> Validated[ModelT] | None:
    sections = {name: entry for name, info in model.model_fields.items()
                if (entry := _entry_model(info.annotation)) is not None}
    if not sections:
        return None  # settings: one record, nothing to keep of it
    seen_all = set(data) <= set(model.model_fields)
    kept: dict[str, list[Any]] = {}
    at: dict[str, tuple[int, ...]] = {}
    rejected: dict[str, tuple[Any, ...]] = {}
    for name, entry_model in sections.items():
        raw = [] if data.get(name) is None else data[name]
        seen_all = seen_all and isinstance(raw, list)
        valid: list[tuple[int, Any]] = []
        bad: list[Any] = []
        for index, entry in enumerate(raw if isinstance(raw, list) else []):
            try:
                valid.append((index, entry_model.model_validate(entry)))
            except ValidationError:
                bad.append(entry)  # its errors were reported with the whole file's
        kept[name] = [entry for _, entry in valid]
        at[name] = tuple(index for index, _ in valid)
        rejected[name] = tuple(bad)
    try:
        partial = model.model_validate(kept)
    except ValidationError:  # pragma: no cover - the entries are valid models already
        return None
    return Validated(partial, source, at, rejected if seen_all else None)


def _entry_model(annotation: Any) -> type[BaseModel] | None:
    """The entry model of a `tuple[Entry, ...]` field, else None."""
    args = get_args(annotation)
    if get_origin(annotation) is tuple and args and isinstance(args[0], type) \
            and issubclass(args[0], BaseModel):
        return args[0]
    return None
