"""Finding things by the names people use: items by id, title or column path; owners by name or alias;
and which items a department holds — as lead, as responsible, or through a group or sub-unit.
Also a journal's entries in the order people read them (newest first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from zwgk.errors import LookupFailed, did_you_mean
from zwgk.models import (
    Dataset,
    Item,
    JournalEntry,
    OwnersFile,
    canonical_owners,
    normalise_name,
)

Role = Literal["lead", "responsible"]
ROLE_LABEL = {"lead": "牵头", "responsible": "责任/配合"}


def item_names(item: Item) -> list[str]:
    names = [item.id, item.title]
    if item.kind == "column":
        names.append(item.path[-1])
    return names


def resolve_item(dataset: Dataset, text: str) -> Item:
    wanted = normalise_name(text)
    for exact in (
        [i for i in dataset.items if normalise_name(i.id) == wanted],
        [i for i in dataset.items if normalise_name(i.title) == wanted],
        [i for i in dataset.items if i.kind == "column" and normalise_name(i.path[-1]) == wanted],
    ):
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise LookupFailed(f"'{text}' 对应多个事项,请写明编号或 一级/二级 (ambiguous item)",
                               (f"{i.id} {i.title}" for i in exact))
    partial = [i for i in dataset.items if any(wanted in normalise_name(n) for n in item_names(i))]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise LookupFailed(f"'{text}' 对应多个事项,请写明 (ambiguous item)",
                           (f"{i.id} {i.title}" for i in partial[:12]))
    every = {name: i for i in dataset.items for name in item_names(i)}
    guess = did_you_mean(text, every)
    hint = [f"{every[guess].id} {every[guess].title}"] if guess else []
    raise LookupFailed(f"找不到事项 '{text}' (unknown item)", hint)


def resolve_owner(dataset: Dataset, text: str) -> str:
    names = canonical_owners(dataset.owners)
    found = names.get(normalise_name(text))
    if found is not None:
        return found
    spellings = [o.name for o in dataset.owners.owners] + [g.name for g in dataset.owners.groups]
    guess = did_you_mean(text, spellings)
    raise LookupFailed(f"找不到处室或单位 '{text}' (unknown department)", [guess] if guess else [])


@dataclass(frozen=True)
class Holding:
    role: Role
    via: str | None = None  # the group or sub-unit through which the department holds the item

    @property
    def label(self) -> str:
        role = ROLE_LABEL[self.role]
        return f"{role}(经 {self.via})" if self.via else role


def group_members(owners: OwnersFile) -> dict[str, frozenset[str]]:
    """Each group → every owner it contains, through nested groups (cycles are load errors)."""
    direct = {g.name: g.members for g in owners.groups}
    resolved: dict[str, frozenset[str]] = {}

    def expand(name: str, seen: frozenset[str]) -> frozenset[str]:
        if name in resolved:
            return resolved[name]
        members: set[str] = set()
        for member in direct.get(name, ()):
            if member in direct and member not in seen:
                members |= expand(member, seen | {member})
            elif member not in direct:
                members.add(member)
        resolved[name] = frozenset(members)
        return resolved[name]

    for group in direct:
        expand(group, frozenset({group}))
    return resolved


def owner_reach(dataset: Dataset, owner: str) -> dict[str, str | None]:
    """The canonical names whose items this owner holds → through what (None: the owner itself)."""
    reach: dict[str, str | None] = {owner: None}
    for sub in dataset.owners.owners:
        if sub.part_of == owner:
            reach.setdefault(sub.name, sub.name)
    for group, members in group_members(dataset.owners).items():
        if owner in members:
            reach.setdefault(group, group)
    return reach


def holdings(
    dataset: Dataset, owner: str, items: Iterable[Item] | None = None
) -> dict[str, Holding]:
    """Item id → how the owner holds it; direct roles win over roles held through a group.

    `items` defaults to the plan's items; pass an evaluation's items to include obligations.
    """
    reach = owner_reach(dataset, owner)
    canonical = canonical_owners(dataset.owners)
    named: dict[str, str] = {}  # each way of writing an owner, read once (10,000 items name a few dozen)
    found: dict[str, Holding] = {}
    for item in dataset.items if items is None else items:
        best: Holding | None = None
        for role, refs in (("lead", item.lead), ("responsible", item.responsible)):
            for ref in refs:
                name = named.get(ref)
                if name is None:
                    name = named[ref] = canonical.get(normalise_name(ref), ref)
                if name in reach:
                    candidate = Holding(role, reach[name])  # type: ignore[arg-type]
                    if best is None or _rank(candidate) < _rank(best):
                        best = candidate
        if best is not None:
            found[item.id] = best
    return found


def _rank(holding: Holding) -> tuple[int, int]:
    return (holding.via is not None, holding.role != "lead")


def departments(dataset: Dataset) -> list[str]:
    """The owners shown in per-department tables: internal departments, units, roles and bodies."""
    return [o.name for o in dataset.owners.owners if o.kind in {"department", "unit", "role", "body"}]


def newest_first(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    """The latest work first: by date, then the time of day it names, then when it was written."""
    return sorted(entries, key=lambda e: (e.date, e.time or "", e.at), reverse=True)
