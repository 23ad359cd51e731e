"""Finding things by the names people use: items by id, title or column path; owners by name or alias;
each as written first, then as typed in pinyin (rules/pinyin.py: zcfgc, flfg, yingjiban); and which
items a department holds — as lead, as responsible, or through a group or sub-unit.
Also a journal's entries in the order people read them (newest first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from zwgk.errors import LookupFailed, did_you_mean
from zwgk.models import (
    Dataset,
    Group,
    Item,
    JournalEntry,
    Owner,
    OwnersFile,
    canonical_owners,
    normalise_name,
)
from zwgk.rules import pinyin

Role = Literal["lead", "responsible"]
ROLE_LABEL = {"lead": "牵头", "responsible": "责任/配合"}


def item_names(item: Item) -> list[str]:
    names = [item.id, item.title]
    if item.kind == "column":
        names.append(item.path[-1])
    return names


def resolve_item(dataset: Dataset, text: str) -> Item:
    """By id, title (a column's 一级/二级) or column name: exact before partial, Chinese before pinyin."""
    wanted = normalise_name(text)
    for exact in (
        [i for i in dataset.items if normalise_name(i.id) == wanted],
        [i for i in dataset.items if normalise_name(i.title) == wanted],
        [i for i in dataset.items if i.kind == "column" and normalise_name(i.path[-1]) == wanted],
    ):
        if found := _one(exact, f"'{text}' 对应多个事项,请写明编号或 一级/二级 (ambiguous item)"):
            return found
    partial = [i for i in dataset.items if any(wanted in normalise_name(n) for n in item_names(i))]
    if found := _one(partial, f"'{text}' 对应多个事项,请写明 (ambiguous item)", 12):
        return found
    if pinyin.applies(text) and (found := _item_by_pinyin(dataset, text)):
        return found
    every = {name: i for i in dataset.items for name in item_names(i)}
    said = ({name: pinyin.spellings(name) for name, i in every.items() if name != i.id}  # ids are not spoken
            if pinyin.applies(text) else None)
    guess = did_you_mean(text, every, said)
    hint = [f"{every[guess].id} {every[guess].title}"] if guess else []
    raise LookupFailed(f"找不到事项 '{text}' (unknown item)", hint)


def _item_by_pinyin(dataset: Dataset, text: str) -> Item | None:
    """zcfg/flfg, flfg, falvfagui: the same tiers as in Chinese, after them (ids are not spoken)."""
    typed = pinyin.fold(text)
    for whole in (
        [i for i in dataset.items if pinyin.matches(typed, i.title, "whole")],
        [i for i in dataset.items if i.kind == "column" and pinyin.matches(typed, i.path[-1], "whole")],
    ):
        if found := _one(whole, f"'{text}' 按拼音对应多个事项,请写明编号或 一级/二级 (ambiguous item)"):
            return found
    partial = [i for i in dataset.items if any(pinyin.matches(typed, n, "part") for n in item_names(i)[1:])]
    return _one(partial, f"'{text}' 按拼音对应多个事项,请写明 (ambiguous item)", 12)


def _one(found: list[Item], ambiguous: str, shown: int | None = None) -> Item | None:
    """The one item found, None for none; several are an error listing them (the first `shown`)."""
    if len(found) > 1:
        raise LookupFailed(ambiguous, (f"{i.id} {i.title}" for i in found[:shown]))
    return found[0] if found else None


def resolve_owner(dataset: Dataset, text: str) -> str:
    """By name or alias of an owner or group, as written, then as spoken in pinyin (zcfgc, yingjiban)."""
    names = canonical_owners(dataset.owners)
    found = names.get(normalise_name(text))
    if found is not None:
        return found
    if pinyin.applies(text):
        typed = pinyin.fold(text)
        heard = list(dict.fromkeys(owner for spelling, owner in names.items()
                                   if pinyin.matches(typed, spelling, "whole")))
        if len(heard) == 1:
            return heard[0]
        if heard:
            raise LookupFailed(f"'{text}' 按拼音对应多个处室或单位,请写明 (ambiguous department)", heard)
    entries: tuple[Owner | Group, ...] = (*dataset.owners.owners, *dataset.owners.groups)
    said = None
    if pinyin.applies(text):  # an alias's pinyin suggests its owner too: hefe → 合肥市安全监管局
        said = {e.name: [way for n in (e.name, *e.aliases) for way in pinyin.spellings(n)] for e in entries}
    guess = did_you_mean(text, [e.name for e in entries], said)
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
    return holdings_of(dataset, (owner,), items)[owner]


def holdings_of(
    dataset: Dataset, owners: Iterable[str], items: Iterable[Item] | None = None
) -> dict[str, dict[str, Holding]]:
    """`holdings` for each of several owners, the items read once (a report's departments)."""
    canonical = canonical_owners(dataset.owners)
    reached_by: dict[str, list[tuple[str, str | None]]] = {}  # a name → each owner reaching it, and how
    found: dict[str, dict[str, Holding]] = {}
    for owner in owners:
        found[owner] = {}
        for reached, via in owner_reach(dataset, owner).items():
            reached_by.setdefault(reached, []).append((owner, via))
    named: dict[str, str] = {}  # each way of writing an owner, read once (10,000 items name a few dozen)
    for item in dataset.items if items is None else items:
        best: dict[str, Holding] = {}
        for role, refs in (("lead", item.lead), ("responsible", item.responsible)):
            for ref in refs:
                name = named.get(ref)
                if name is None:
                    name = named[ref] = canonical.get(normalise_name(ref), ref)
                for owner, via in reached_by.get(name, ()):
                    candidate = Holding(role, via)  # type: ignore[arg-type]
                    if owner not in best or _rank(candidate) < _rank(best[owner]):
                        best[owner] = candidate
        for owner, holding in best.items():
            found[owner][item.id] = holding
    return found


def _rank(holding: Holding) -> tuple[int, int]:
    return (holding.via is not None, holding.role != "lead")


def departments(dataset: Dataset) -> list[str]:
    """The owners shown in per-department tables: internal departments, units, roles and bodies."""
    return [o.name for o in dataset.owners.owners if o.kind in {"department", "unit", "role", "body"}]


def newest_first(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    """The latest work first: by date, then the time of day it names, then when it was written."""
    return sorted(entries, key=lambda e: (e.date, e.time or "", e.at), reverse=True)


def group_led(dataset: Dataset, item: Item) -> bool:
    """Led by whole groups only (对应各处室): an event on it must name the department it lands on,
    or it would land on every department of the group."""
    groups = {g.name for g in dataset.owners.groups}
    return bool(item.lead) and all(lead in groups for lead in item.lead)


def default_department(dataset: Dataset, item: Item) -> str | None:
    """Where an event on a group-led duty lands when no department is named: its rule's `dept`."""
    default = getattr(item.rule, "dept", None)
    return resolve_owner(dataset, default) if default and group_led(dataset, item) else None
