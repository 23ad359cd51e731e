"""A unit that follows another's catalogue: inherit its tasks, columns and owners, then add,
drop or override entries — the provincial catalogue is written once, each city adjusts it.

Pure: parent models and the child's parsed files in, the resolved entries and diagnostics out.
A child's tasks.yaml (likewise columns.yaml) may hold:

    tasks: [...]        new entries (their ids must not exist in the parent)
    override:           partial entries: the fields given replace the parent's
      - {id: C12, lead: [办公室]}
    drop: [T23]         parent entries this unit does not keep
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from zwgk.errors import Diagnostic, did_you_mean
from zwgk.load.checks import check_refs
from zwgk.load.validation import FileSource, translate
from zwgk.models import Group, Location, Owner, OwnersFile

CHILD_KEYS = {"tasks": ("tasks", "override", "drop"), "columns": ("columns", "override", "drop")}


@dataclass
class Resolution:
    """What a following unit did to the parent's entries, for `zwgk validate` to show."""

    parent: str
    inherited: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass
class Resolved:
    entries: list[Any]
    locations: dict[str, Location]
    diagnostics: list[Diagnostic]


def resolve_entries(
    key: str, model: type[BaseModel], parent: Sequence[Any], parent_locations: dict[str, Location],
    child: tuple[Any, FileSource] | None, resolution: Resolution, owners: Mapping[str, str],
) -> Resolved:
    """Apply a child's additions, overrides and drops to the parent's tasks or columns."""
    entries = {entry.id: entry for entry in parent}
    locations = {i: loc for i, loc in parent_locations.items() if i in entries}
    found: list[Diagnostic] = []
    added: list[Any] = []
    if child is not None:
        raw, source = child
        if not isinstance(raw, dict):
            found.append(source.diagnostic((), "not-a-mapping", "文件顶层应是键值映射 (expected a mapping)"))
            raw = {}
        for unknown in sorted(set(raw) - set(CHILD_KEYS[key]), key=str):
            found.append(source.diagnostic((unknown,), "extra_forbidden",
                                           f"未知字段 '{unknown}' (unknown key)",
                                           hint=f"可用:{', '.join(CHILD_KEYS[key])}", prefer_key=True))
        _drop(raw.get("drop"), entries, source, found, resolution)
        _override(key, model, raw.get("override"), entries, locations, source, found, resolution)
        added = _additions(key, model, raw.get(key), entries, locations, source, found, resolution)
        found += _owner_refs(key, raw, source, owners)
    resolution.inherited += [i for i in entries if i not in resolution.overridden]
    found.sort(key=lambda d: d.line or 0)  # in the order a clerk reads the file
    return Resolved([*entries.values(), *added], locations, found)


ROLES = {"tasks": ("lead", "responsible"), "columns": ("lead", "cooperating")}


def _owner_refs(key: str, raw: dict[str, Any], source: FileSource,
                owners: Mapping[str, str]) -> list[Diagnostic]:
    """Owners named by the child's own entries must exist in the resolved owners."""
    found: list[Diagnostic] = []
    for section in (key, "override"):
        for n, entry in enumerate(raw.get(section) or []):
            if not isinstance(entry, dict):
                continue
            for role in ROLES[key]:
                refs = entry.get(role)
                if isinstance(refs, list) and all(isinstance(r, str) for r in refs):
                    found += check_refs(refs, (section, n, role), owners, source)
    return found


def _as_list(value: Any, loc: tuple[Any, ...], source: FileSource, found: list[Diagnostic]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        found.append(source.diagnostic(loc, "list_type", f"'{loc[-1]}' 应为列表 (expected a list)"))
        return []
    return value


def _drop(value: Any, entries: dict[str, Any], source: FileSource, found: list[Diagnostic],
          resolution: Resolution) -> None:
    for n, item_id in enumerate(_as_list(value, ("drop",), source, found)):
        if isinstance(item_id, str) and item_id in entries:  # a mapping or a list is no id
            del entries[item_id]
            resolution.dropped.append(item_id)
        else:
            guess = did_you_mean(str(item_id), entries)
            found.append(source.diagnostic(
                ("drop", n), "drop-points-at-nothing",
                f"drop 的 {item_id!r} 在上级目录中不存在 (drop points at nothing)",
                hint=f"是否是 '{guess}'?" if guess else None))


def _override(
    key: str, model: type[BaseModel], value: Any, entries: dict[str, Any],
    locations: dict[str, Location], source: FileSource, found: list[Diagnostic],
    resolution: Resolution,
) -> None:
    for n, patch in enumerate(_as_list(value, ("override",), source, found)):
        loc = ("override", n)
        if not isinstance(patch, dict) or "id" not in patch:
            found.append(source.diagnostic(loc, "override-needs-id",
                                           "override 的每一项都要写 id (each override needs an id)"))
            continue
        item_id = patch["id"]
        if not isinstance(item_id, str) or item_id not in entries:
            guess = did_you_mean(str(item_id), entries)
            found.append(source.diagnostic(
                (*loc, "id"), "override-points-at-nothing",
                f"override 的 {item_id!r} 在上级目录中不存在 (override points at nothing)",
                hint=f"是否是 '{guess}'?" if guess else "新增的条目请写在 " + key + " 下。"))
            continue
        merged = {**entries[item_id].model_dump(exclude_defaults=True), **patch}
        try:
            entries[item_id] = model.model_validate(merged)
        except ValidationError as error:
            # The fault is the child's when it wrote that field; else it came with the parent's.
            written = frozenset(patch)

            def by_child(at: tuple[Any, ...], keys: frozenset[str] = written) -> bool:
                return bool(at) and at[0] in keys

            found += entry_errors(error, source, loc, by_child)
            continue
        span = source.map.at((*loc, "id")) or source.map.at(loc)
        if span is not None:
            locations[item_id] = Location(source.path, span.line, span.col)
        resolution.overridden.append(item_id)


def _additions(
    key: str, model: type[BaseModel], value: Any, entries: dict[str, Any],
    locations: dict[str, Location], source: FileSource, found: list[Diagnostic],
    resolution: Resolution,
) -> list[Any]:
    added = []
    for n, raw in enumerate(_as_list(value, (key,), source, found)):
        try:
            entry = model.model_validate(raw)
        except ValidationError as error:
            found += entry_errors(error, source, (key, n))
            continue
        if entry.id in entries or entry.id in resolution.added:  # type: ignore[attr-defined]
            found.append(source.diagnostic(
                (key, n, "id"), "duplicate-id",
                f"编号 {entry.id} 已在上级目录中,修改请写在 override 下 (id exists in the parent)"))  # type: ignore[attr-defined]
            continue
        span = source.map.at((key, n, "id"))
        if span is not None:
            locations[entry.id] = Location(source.path, span.line, span.col)  # type: ignore[attr-defined]
        resolution.added.append(entry.id)  # type: ignore[attr-defined]
        added.append(entry)
    return added


def entry_errors(
    error: ValidationError, source: FileSource, prefix: tuple[Any, ...],
    written_here: Callable[[tuple[Any, ...]], bool] = lambda _loc: True,
) -> list[Diagnostic]:
    """pydantic saw one entry on its own: put its error positions back under the entry's place."""
    found = []
    for detail in error.errors(include_url=False):
        field_loc = tuple(detail["loc"])
        message, hint = translate(detail, field_loc)
        where = (*prefix, *field_loc) if written_here(field_loc) else prefix
        found.append(source.diagnostic(where, detail["type"], message, hint=hint,
                                       prefer_key=detail["type"] == "extra_forbidden"))
    return found


def resolve_owners(parent: OwnersFile, child: OwnersFile | None) -> OwnersFile:
    """A child's owners and groups are added, or replace the parent's of the same name."""
    if child is None:
        return parent
    owners: dict[str, Owner] = {o.name: o for o in parent.owners}
    owners.update({o.name: o for o in child.owners})
    groups: dict[str, Group] = {g.name: g for g in parent.groups}
    groups.update({g.name: g for g in child.groups})
    return OwnersFile(owners=tuple(owners.values()), groups=tuple(groups.values()))
