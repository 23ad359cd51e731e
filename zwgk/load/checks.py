"""Cross-file checks on validated models: references, uniqueness, cycles, and the source's gaps.

Pure functions: (models, source maps) → diagnostics. The models are what validated of each file
(`Validated`: every entry valid on its own when the file has errors), so one schema error hides
no other error; a reference is called unknown only when every owner's spelling can be known.
Errors are defects a clerk must fix; warnings are gaps in the source document itself (no owner,
no window, contradicting phrases), which zwgk shows rather than papering over.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from zwgk.errors import Diagnostic, did_you_mean
from zwgk.load.phrases import Reading, agrees, read_phrase
from zwgk.models import (
    HOMEPAGE,
    ColumnsFile,
    Dataset,
    EventRule,
    Group,
    JournalEntry,
    Location,
    Owner,
    OwnersFile,
    PeriodicRule,
    Task,
    TasksFile,
    UnspecifiedRule,
    canonical_owners,
    normalise_name,
)

if TYPE_CHECKING:
    from zwgk.load import Validated
    from zwgk.load.validation import FileSource


def check_plan(
    owners: Validated[OwnersFile] | None,
    tasks: Validated[TasksFile] | None,
    columns: Validated[ColumnsFile] | None,
) -> list[Diagnostic]:
    """Every check across the plan files that can be made: on the entries that validated (all of
    them, or those valid on their own when a file has errors), so one schema error hides nothing
    else. None is a file that could not be read; references to owners are checked only when
    every owner's spelling is known."""
    found = check_owners(owners) if owners is not None else []
    known = known_owners(owners)
    found += _check_ids(tasks, columns)
    if tasks is not None:
        for index, task in tasks.indexed("tasks"):
            loc = ("tasks", index)
            for role in ("lead", "responsible"):
                found += check_refs(getattr(task, role), (*loc, role), known, tasks.source)
            found += _check_rule(task.rule, (*loc, "rule"), tasks.source)
            found += _check_event_dept(task.rule, (*loc, "rule"), known, tasks.source)
            found += _gaps(task.id, task.lead, task.rule, bool(task.conflicts), loc, tasks.source,
                           task.deadline)
            found += _check_reading(task.id, task.deadline, task.rule, loc, tasks.source)
        found += _check_titles(tasks)
    if columns is not None:
        found += _check_columns(columns, known)
    found += _check_happenings(tasks, columns)
    return found


def _check_happenings(tasks: Validated[TasksFile] | None,
                      columns: Validated[ColumnsFile] | None) -> list[Diagnostic]:
    """An event kind's name must not also name an item: `zwgk event NAME` would mean either."""
    files = [(file, section) for file, section in ((tasks, "tasks"), (columns, "columns"))
             if file is not None]
    located = [(entry.rule.happening, (section, index, "rule", "happening"), file.source)
               for file, section in files for index, entry in file.indexed(section)
               if isinstance(entry.rule, EventRule) and entry.rule.happening]
    if not located:
        return []  # no event kind is named, so no name of an item needs working out
    names: dict[str, str] = {}
    for file, section in files:
        for _, entry in file.indexed(section):
            spoken = (entry.title,) if isinstance(entry, Task) else (entry.path[-1], "/".join(entry.path))
            for name in (entry.id, *spoken):
                names.setdefault(normalise_name(name), entry.id)
    return [source.diagnostic(loc, "happening-names-item",
                              f"事件类型“{kind}”与事项 {names[normalise_name(kind)]} 同名:zwgk event {kind} "
                              "会有歧义 (an event kind named like an item)",
                              hint="给事件类型另起一个名字,如“重大舆情”“上级政策发布”。")
            for kind, loc, source in located if normalise_name(kind) in names]


def _check_columns(columns: Validated[ColumnsFile], known: Mapping[str, str] | None) -> list[Diagnostic]:
    found = []
    source = columns.source
    seen_paths: dict[tuple[str, ...], str] = {}
    for index, column in columns.indexed("columns"):
        loc = ("columns", index)
        for role in ("lead", "cooperating"):
            found += check_refs(getattr(column, role), (*loc, role), known, source)
        found += _check_rule(column.rule, (*loc, "rule"), source)
        found += _check_event_dept(column.rule, (*loc, "rule"), known, source)
        found += _gaps(column.id, column.lead, column.rule, False, loc, source, column.requirement)
        found += _check_reading(column.id, column.requirement, column.rule, loc, source)
        if column.path in seen_paths:
            found.append(source.diagnostic(
                (*loc, "path"), "duplicate-column",
                f"栏目 {'/'.join(column.path)} 重复(已有 {seen_paths[column.path]})(duplicate column)"))
        seen_paths.setdefault(column.path, column.id)
    return found


def known_owners(owners: Validated[OwnersFile] | None) -> dict[str, str] | None:
    """Every accepted spelling → its owner, counting the entries of owners.yaml that did not
    validate (a reference to an owner with a typo in its `kind` is not unknown); None when some
    owners cannot be seen at all, and so no reference can be called unknown."""
    if owners is None or owners.rejected is None:
        return None
    known = canonical_owners(owners.model)
    for entries in owners.rejected.values():
        for entry in entries:
            for spelling in _spellings(entry):
                known.setdefault(normalise_name(spelling), spelling)
    return known


def _spellings(entry: object) -> list[str]:
    """The name and aliases of a raw owners.yaml entry that did not validate."""
    if isinstance(entry, str):
        return [entry]
    if not isinstance(entry, dict):
        return []
    aliases = entry.get("aliases")
    written = [entry.get("name"), *(aliases if isinstance(aliases, list) else [aliases])]
    return [spelling for spelling in written if isinstance(spelling, str)]


def check_owners(owners: Validated[OwnersFile]) -> list[Diagnostic]:
    source = owners.source
    found: list[Diagnostic] = []
    spelled: dict[str, str] = {}
    entries: list[tuple[str, int, Owner | Group]] = [("owners", i, o) for i, o in owners.indexed("owners")]
    entries += [("groups", i, g) for i, g in owners.indexed("groups")]
    for section, index, entry in entries:
        for spelling, loc in [(entry.name, (section, index, "name"))] + [
            (alias, (section, index, "aliases", n)) for n, alias in enumerate(entry.aliases)
        ]:
            if spelling in spelled:
                found.append(source.diagnostic(
                    loc, "duplicate-owner",
                    f"名称 '{spelling}' 已被 '{spelled[spelling]}' 使用 (name or alias used twice)"))
            spelled.setdefault(spelling, entry.name)
    known = known_owners(owners)
    kinds = {o.name for o in owners.model.owners}
    unread = (owners.rejected or {}).get("owners", ())
    kinds |= {name for e in unread if isinstance(name := e.get("name") if isinstance(e, dict) else e, str)}
    for index, owner in owners.indexed("owners"):
        loc = ("owners", index, "part_of")
        if owner.kind == "sub_unit" and owner.part_of is None:
            found.append(source.diagnostic(("owners", index), "missing",
                                           f"下属单位 '{owner.name}' 缺少 part_of (sub_unit needs part_of)"))
        if owner.kind != "sub_unit" and owner.part_of is not None:
            message = "只有 kind: sub_unit 才能写 part_of (only sub_units take part_of)"
            found.append(source.diagnostic(loc, "part-of-not-sub-unit", message))
        if owner.part_of is not None and known is not None and owner.part_of not in kinds:
            guess = did_you_mean(owner.part_of, kinds)
            found.append(source.diagnostic(loc, "unknown-owner",
                                           f"未知的上级单位 '{owner.part_of}' (unknown owner)",
                                           hint=f"是否是 '{guess}'?" if guess else None))
    for index, group in owners.indexed("groups"):
        found += check_refs(group.members, ("groups", index, "members"), known, source)
    found += _check_group_cycles(owners)
    return found


def _check_group_cycles(owners: Validated[OwnersFile]) -> list[Diagnostic]:
    members = {g.name: g.members for g in owners.model.groups}
    found = []
    for index, group in owners.indexed("groups"):
        path = _cycle_from(group.name, members)
        if path:
            found.append(owners.source.diagnostic(
                ("groups", index, "members"), "group-cycle",
                f"组 '{group.name}' 循环包含自身:{' → '.join(path)} (group contains itself)",
                hint="组的成员不能(直接或间接)包含该组本身。"))
    return found


def _cycle_from(start: str, members: Mapping[str, Sequence[str]]) -> list[str]:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        name, path = stack.pop()
        for member in members.get(name, ()):
            if member == start:
                return [*path, member]
            if member in members and member not in visited:
                visited.add(member)
                stack.append((member, [*path, member]))
    return []


def _check_ids(tasks: Validated[TasksFile] | None, columns: Validated[ColumnsFile] | None
               ) -> list[Diagnostic]:
    found = []
    first: dict[str, tuple[tuple[object, ...], FileSource]] = {}
    located = [(t.id, ("tasks", i, "id"), tasks.source) for i, t in tasks.indexed("tasks")] if tasks else []
    located += [(c.id, ("columns", i, "id"), columns.source)
                for i, c in columns.indexed("columns")] if columns else []
    for item_id, loc, source in located:
        if item_id == HOMEPAGE:
            found.append(source.diagnostic(loc, "reserved-id",
                                           f"编号 {item_id} 留给网站首页的巡检记录 (reserved: the homepage)",
                                           hint="换一个编号,如 T28 或 C68。"))
        if item_id in first:
            where = _where(*first[item_id])
            found.append(source.diagnostic(loc, "duplicate-id",
                                           f"编号 {item_id} 重复(已用于 {where})(duplicate id)",
                                           hint="每个任务和栏目的编号必须唯一。"))
        else:
            first[item_id] = loc, source  # its line is looked up only if the id comes again
    return found


def _where(loc: tuple[object, ...], source: FileSource) -> str:
    span = source.map.locate(loc)
    return f"{source.path}:{span.line}" if span else source.path


def check_refs(
    refs: Iterable[str], loc: tuple[object, ...], known: Mapping[str, str] | None, source: FileSource
) -> list[Diagnostic]:
    """References to owners or groups that name none of them; none when the owners cannot all be
    known (`known` is None)."""
    if known is None:
        return []
    return [d for n, ref in enumerate(refs) for d in _check_ref(ref, (*loc, n), known, source)]


def _check_ref(ref: str, at: tuple[object, ...], known: Mapping[str, str],
               source: FileSource) -> list[Diagnostic]:
    """One reference to an owner or group, at `at`: none when it names one."""
    if _normalised(ref) in known:
        return []
    return [source.diagnostic(at, "unknown-owner", f"未知的责任单位 '{ref}' (unknown owner)",
                              hint=_ref_hint(ref, known))]


# A plan names the same few dozen owners thousands of times over.
_normalised = lru_cache(maxsize=4096)(normalise_name)


def _ref_hint(ref: str, known: Mapping[str, str]) -> str:
    parts = [part for part in re.split("[，、]", ref) if part]
    if len(parts) > 1 and all(normalise_name(part) in known for part in parts):
        # `[办公室，政策法规处]` typed with a Chinese input method is one name with a comma in it
        return f"这是 {len(parts)} 个单位写在了一起:列表项之间请用半角逗号“,”分隔,如 [{', '.join(parts)}]。"
    if "，" in ref:
        return "名称中有全角逗号“，”;若是多个单位,请改为半角逗号“,”分隔。"
    guess = did_you_mean(ref, set(known.values()))
    return f"是否是 '{guess}'?" if guess else "先在 owners.yaml 中添加它。"


def _check_rule(rule: object, loc: tuple[object, ...], source: FileSource) -> list[Diagnostic]:
    if isinstance(rule, PeriodicRule) and rule.by is not None and rule.cycle != "year":
        return [source.diagnostic((*loc, "by"), "by-needs-year",
                                  "by 只用于 cycle: year (by applies to yearly cycles only)")]
    if isinstance(rule, EventRule):
        if rule.complex_amount is not None and rule.complex_amount < rule.amount:
            return [source.diagnostic((*loc, "complex_amount"), "complex-shorter",
                                      "complex_amount 不应小于 amount (extension is shorter)")]
        if rule.unit == "same_day" and rule.amount != 0:
            return [source.diagnostic((*loc, "amount"), "same-day-amount",
                                      "unit: same_day 时 amount 应为 0 (same_day takes amount 0)")]
    return []


def _check_event_dept(rule: object, loc: tuple[object, ...], known: Mapping[str, str] | None,
                      source: FileSource) -> list[Diagnostic]:
    """An event's default department names an owner, like lead and responsible do."""
    if not isinstance(rule, EventRule) or rule.dept is None or known is None:
        return []
    return _check_ref(rule.dept, (*loc, "dept"), known, source)


def _gaps(
    item_id: str, lead: Sequence[str], rule: object, has_conflicts: bool,
    loc: tuple[object, ...], source: FileSource, phrase: str | None = None,
) -> list[Diagnostic]:
    found = []
    if not lead:
        found.append(source.diagnostic((*loc, "lead"), "gap-no-owner",
                                       f"{item_id} 源文未指定牵头单位 (the source names no owner)",
                                       severity="warning", hint="由政务公开办确认责任单位后填写 lead。",
                                       item=item_id))
    if isinstance(rule, UnspecifiedRule):
        found.append(source.diagnostic((*loc, "rule"), "gap-unspecified",
                                       f"{item_id} 源文未规定时限:{rule.reason} (no window in the source)",
                                       severity="warning", item=item_id))
    if isinstance(rule, PeriodicRule) and rule.cycle == "year" and phrase and "期间" in phrase \
            and not rule.dates:
        # 每年省人代会期间: a season, not a date; the reading is looser than the source.
        found.append(source.diagnostic(
            (*loc, "rule"), "gap-season",
            f"{item_id} 源文“{phrase}”随会期而定,没有固定日期:暂按每年 {rule.by or '12-31'} 前判断 "
            "(the source names an event's dates, not a day)", severity="warning",
            hint="当年会期公布后,在 rule 的 dates 中写明会期最后一天,如 dates: [2027-01-18]。", item=item_id))
    if has_conflicts:
        found.append(source.diagnostic(
            (*loc, "conflicts"), "gap-conflict",
            f"{item_id} 源文前后表述不一,见 conflicts (the source contradicts itself)", severity="warning",
            item=item_id))
    return found


def _check_reading(
    item_id: str, phrase: str | None, rule: object, loc: tuple[object, ...], source: FileSource
) -> list[Diagnostic]:
    """A second reading of the verbatim phrase; disagreement is worth a look, not an error."""
    reading = read_phrase(phrase) if phrase else None
    if reading is None or agrees(reading, rule):
        return []
    return [source.diagnostic(
        (*loc, "rule"), "reading-mismatch",
        f"{item_id} 的 rule 与原文“{phrase}”的字面解读({_describe(reading)})不一致 "
        "(the rule disagrees with the phrase)", severity="warning",
        hint="若是有意的解读,请在 note 中说明理由。")]


def _describe(reading: Reading) -> str:
    details = {"due": reading.due, "cycle": reading.cycle, "by": reading.by, "unit": reading.unit,
               "amount": reading.amount}
    shown = ", ".join(f"{k}={v}" for k, v in details.items() if v is not None)
    if reading.kind == "event" and reading.direction == "before":
        shown += ", direction=before"
    if reading.then_ongoing:
        shown += ", then=ongoing"
    return f"kind={reading.kind}" + (f", {shown}" if shown else "")


def _check_titles(tasks: Validated[TasksFile]) -> list[Diagnostic]:
    found = []
    first: dict[str, str] = {}
    for index, task in tasks.indexed("tasks"):
        if task.title in first:
            found.append(tasks.source.diagnostic(
                ("tasks", index, "title"), "duplicate-title",
                f"标题 '{task.title}' 与 {first[task.title]} 重复 (duplicate title)",
                severity="warning", hint="按标题查找时会有歧义;请用编号。"))
        first.setdefault(task.title, task.id)
    return found


def check_journal(
    entries: Sequence[tuple[JournalEntry, Location]], item_ids: set[str]
) -> list[Diagnostic]:
    found = []
    for entry, where in entries:
        if entry.item not in item_ids and entry.item != HOMEPAGE:  # the homepage's scan lines
            found.append(Diagnostic(where.path, where.line, 1, "journal-unknown-item",
                                    f"日志记录 {entry.id} 指向不存在的事项 {entry.item},已忽略 "
                                    "(journal entry for an unknown item is ignored)", severity="warning",
                                    hint="若事项已改编号,请在新编号下重新登记。"))
    return found


def check_future_entries(dataset: Dataset, today: date) -> list[Diagnostic]:
    """Entries dated after today count from that day on — except a planned date (an event of a
    duty due *before* it, like an enforcement plan), which counts from the day it was recorded,
    as `upcoming` and `status` count it: that one is not worth a warning."""
    planned = {item.id for item in dataset.items
               if isinstance(item.rule, EventRule) and item.rule.direction == "before"}
    found = []
    for entry in dataset.journal:
        where = dataset.journal_locations.get(entry.id)
        if entry.type == "event" and entry.item in planned:
            continue
        if entry.date > today and where is not None:
            found.append(Diagnostic(
                where.path, where.line, 1, "journal-future-date",
                f"日志记录 {entry.id} 的日期 {entry.date} 晚于今天 {today},在该日前不计入 "
                "(dated in the future; ignored until then)", severity="warning"))
    return found
