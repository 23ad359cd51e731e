"""Shell completion for ITEM and --dept: the items and departments of the default data folder whose
id, Chinese name or pinyin begins with what was typed, as (value, help) pairs for typer's
`autocompletion=`.

Completion runs inside the user's shell at every Tab, so it says nothing and never fails: no data
folder, broken data or any other trouble offers nothing, and the note data_dir() prints when it
falls back to the bundled data is swallowed. Ids come before Chinese names, Chinese names before
pinyin — the order lookups resolve in (rules/owners.py).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable

from zwgk.models import Dataset, Group, Owner, normalise_name
from zwgk.rules import pinyin
from zwgk.rules.owners import item_names

Choice = tuple[str, str]  # (what the shell inserts, what it shows beside it)

KIND_LABEL = {"department": "处室", "sub_unit": "下属单位", "unit": "直属单位", "role": "职务",
              "body": "议事机构", "city_bureau": "市局"}


def complete_items(incomplete: str) -> list[Choice]:
    """ITEM: the id to insert (a column name may sit under two headings; an id is always one
    item and needs no quoting), its title beside it."""
    return _offer(item_choices, incomplete)


def complete_events(incomplete: str) -> list[Choice]:
    """`zwgk event`'s argument: the event kinds first (重大舆情 starts B06、B07), then the
    event-triggered items."""
    return _offer(event_choices, incomplete)


def complete_departments(incomplete: str) -> list[Choice]:
    """--dept: the canonical name to insert, its kind (and aliases) beside it."""
    return _offer(department_choices, incomplete)


def item_choices(dataset: Dataset, typed: str) -> list[Choice]:
    """Items whose id, title (一级/二级) or column name begins with `typed`, as written or in pinyin."""
    wanted = normalise_name(typed)
    found: dict[str, Choice] = {}  # item id → what to insert; the first tier to offer an item places it
    for item in dataset.items:
        if normalise_name(item.id).startswith(wanted):
            found.setdefault(item.id, (item.id, item.title))
    for item in dataset.items:
        # A Chinese prefix completes to the name itself: shells keep only candidates that begin
        # with what was typed, and every name is accepted where an ITEM is.
        name = next((n for n in item_names(item)[1:] if normalise_name(n).startswith(wanted)), None)
        if name is not None:
            found.setdefault(item.id, (name, f"{item.id} {item.title}"))
    if pinyin.applies(typed):
        folded = pinyin.fold(typed)
        for item in dataset.items:
            if any(pinyin.matches(folded, n, "start") for n in item_names(item)[1:]):
                found.setdefault(item.id, (item.id, item.title))
    return list(found.values())


def event_choices(dataset: Dataset, typed: str) -> list[Choice]:
    """Event kinds whose name begins with `typed` (as written or in pinyin), then the
    event-triggered items item_choices offers."""
    from zwgk.models import EventRule
    from zwgk.rules.obligations import happenings

    wanted = normalise_name(typed)
    folded = pinyin.fold(typed) if pinyin.applies(typed) else None
    kinds = [(name, "事件类型:" + "、".join(d.id for d in duties))
             for name, duties in happenings(dataset.items).items()
             if normalise_name(name).startswith(wanted)
             or (folded is not None and pinyin.matches(folded, name, "start"))]
    triggered = {item.id for item in dataset.items if isinstance(item.rule, EventRule)}
    return kinds + [choice for choice in item_choices(dataset, typed)
                    if choice[0] in triggered or choice[1].split(" ")[0] in triggered]


def department_choices(dataset: Dataset, typed: str) -> list[Choice]:
    """Owners and groups (all that --dept accepts) whose name or an alias begins with `typed`."""
    wanted = normalise_name(typed)
    entries: tuple[Owner | Group, ...] = (*dataset.owners.owners, *dataset.owners.groups)
    tiers: list[Iterable[Owner | Group]] = [
        (e for e in entries if any(normalise_name(n).startswith(wanted) for n in (e.name, *e.aliases))),
    ]
    if pinyin.applies(typed):
        folded = pinyin.fold(typed)
        tiers.append(e for e in entries
                     if any(pinyin.matches(folded, n, "start") for n in (e.name, *e.aliases)))
    found = {e.name: _described(e) for tier in tiers for e in tier}
    return list(found.items())


def _described(entry: Owner | Group) -> str:
    kind = KIND_LABEL.get(entry.kind, entry.kind) if isinstance(entry, Owner) else "组"
    if isinstance(entry, Owner) and entry.part_of:
        kind += f"(属 {entry.part_of})"
    return f"{kind};又称 {'、'.join(entry.aliases)}" if entry.aliases else kind


def _offer(choose: Callable[[Dataset, str], list[Choice]], incomplete: str | None) -> list[Choice]:
    # Imported here: the app imports this module to wire options, and a command that is not
    # completing should not pay for the store.
    from zwgk.cli.units import data_dir
    from zwgk.store.snapshot import loaded

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            dataset = loaded(data_dir(None)[0]).dataset
            return choose(dataset, incomplete or "") if dataset is not None else []
    except Exception:  # a Tab must never print a traceback into the user's command line
        return []
