"""A unit that follows another's catalogue: load the parent, then apply this unit's changes
(add, override, drop: zwgk/load/inherit.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from zwgk.errors import Diagnostic, has_errors

# Imported by load_dataset when a unit follows another, so the package is complete by then.
from zwgk.load import LoadMemo, LoadResult, checks, load_dataset  # the same pipeline, one level up
from zwgk.load.calendar import load_calendar
from zwgk.load.files import JOURNAL_DIR, TARGET, display_path, note, present
from zwgk.load.files import resolved as resolved_path
from zwgk.load.inherit import Resolution, resolve_entries, resolve_owners
from zwgk.load.journal import load_journal, records
from zwgk.load.plan import load_model, located, read_yaml
from zwgk.models import (
    Column,
    Dataset,
    Inheritance,
    Item,
    Location,
    OwnersFile,
    Settings,
    Task,
    canonical_owners,
)

if TYPE_CHECKING:
    from zwgk.load.validation import FileSource


def load_following(
    root: Path, settings: tuple[Settings, FileSource], diagnostics: list[Diagnostic],
    following: tuple[Path, ...], memo: LoadMemo | None, plan_only: bool = False,
) -> LoadResult:
    """A unit that inherits another's catalogue: load the parent, then apply this unit's changes."""
    model, source = settings
    target = resolved_path(root / str(model.follows))
    if target is None:
        diagnostics.append(source.diagnostic(("follows",), "follows-broken",
                                             f"上级目录 {model.follows} 是循环的符号链接 (a symlink loop)"))
        return LoadResult(None, tuple(diagnostics))
    note(f"{root / str(model.follows)}{TARGET}", target)
    parent_root = Path(target)
    chain = (*following, root.resolve())
    if parent_root in chain:
        diagnostics.append(source.diagnostic(("follows",), "follows-cycle",
                                             f"follows 形成循环:{display_path(parent_root)} "
                                             "(units follow each other in a circle)"))
        return LoadResult(None, tuple(diagnostics))
    parent = load_dataset(parent_root, chain, memo, plan_only=True)  # the parent's plan, not its records
    # The parent's warnings are the parent's to show; its errors stop this unit too.
    diagnostics += [d for d in parent.diagnostics if d.severity == "error"]
    if parent.dataset is None:
        message = f"上级目录 {display_path(parent_root)} 无法读取 (the followed data is invalid)"
        diagnostics.append(source.diagnostic(("follows",), "follows-broken", message))
        return LoadResult(None, tuple(diagnostics))
    base = parent.dataset
    child_owners = (load_model(root / "owners.yaml", OwnersFile, diagnostics)
                    if present(root / "owners.yaml") else None)
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
        child = read_yaml(root / name, diagnostics, allow_empty=True) if present(root / name) else None
        resolved = resolve_entries(key, model_type, parent_entries, dict(base.locations), child,
                                   resolution, known)
        diagnostics += resolved.diagnostics
        items += [from_model(entry) for entry in resolved.entries]  # type: ignore[operator]
        entries.update({entry.id: entry for entry in resolved.entries})
        locations.update(resolved.locations)
    calendar = (load_calendar(root / "calendar.yaml", diagnostics)
                if present(root / "calendar.yaml") else base.calendar)
    # A unit followed in turn (city ← district) lends its plan, not its records.
    journal = load_journal(root / JOURNAL_DIR, diagnostics) if not plan_only else []
    diagnostics += checks.check_journal(journal, {item.id for item in items})
    items = list(located(items, locations))
    inherits = Inheritance(resolution.parent, tuple(resolution.inherited),
                           tuple(resolution.overridden), tuple(resolution.dropped),
                           tuple(resolution.added))
    dataset = Dataset(model, owners, tuple(items), records(journal), calendar, inherits, entries)
    if has_errors(diagnostics):
        return LoadResult(None, tuple(diagnostics))
    return LoadResult(dataset, tuple(diagnostics))
