"""zwgk.load.inherit: a following unit keeps its parent's catalogue, then drops, overrides and adds.

The parent is tests/fixtures/province/省局; the child's tasks.yaml or columns.yaml is read the way
zwgk/load/following.py reads it (read_yaml with allow_empty) and handed to resolve_entries with a
Resolution shared across both files. Every fault is a Diagnostic at the child's file:line:col.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import write_yaml

from zwgk.errors import Diagnostic
from zwgk.load import load_dataset
from zwgk.load.inherit import Resolution, Resolved, resolve_entries, resolve_owners
from zwgk.load.plan import read_yaml
from zwgk.load.validation import FileSource
from zwgk.models import Column, Group, Location, Owner, OwnersFile, Task, canonical_owners

PROVINCE = Path(__file__).parents[1] / "fixtures" / "province"
PARENT = load_dataset(PROVINCE / "省局").dataset
assert PARENT is not None
PARENT_TASKS = [PARENT.entries[i.id] for i in PARENT.items if i.kind == "task"]
PARENT_COLUMNS = [PARENT.entries[i.id] for i in PARENT.items if i.kind == "column"]
KNOWN = canonical_owners(PARENT.owners)


def new_task(item_id: str) -> str:
    """One entry of a `tasks:` list, seven lines long."""
    return (f"  - id: {item_id}\n    source: body\n    title: 市级新任务\n    text: 市里自己的事。\n"
            "    lead: [办公室]\n    deadline: 长期坚持\n    rule: {kind: ongoing}\n")


def read_child(folder: Path, name: str, text: str) -> tuple[Any, FileSource]:
    diagnostics: list[Diagnostic] = []
    read = read_yaml(write_yaml(folder, name, text), diagnostics, allow_empty=True)
    assert read is not None and diagnostics == [], diagnostics
    return read


def resolve_tasks(child: tuple[Any, FileSource] | None,
                  resolution: Resolution | None = None) -> tuple[Resolved, Resolution]:
    resolution = resolution or Resolution(parent="省局")
    resolved = resolve_entries("tasks", Task, PARENT_TASKS, dict(PARENT.locations), child, resolution, KNOWN)
    return resolved, resolution


def resolve_columns(child: tuple[Any, FileSource] | None,
                    resolution: Resolution | None = None) -> tuple[Resolved, Resolution]:
    resolution = resolution or Resolution(parent="省局")
    resolved = resolve_entries("columns", Column, PARENT_COLUMNS, dict(PARENT.locations), child,
                               resolution, KNOWN)
    return resolved, resolution


def ids(resolved: Resolved) -> list[str]:
    return [entry.id for entry in resolved.entries]


def where(diagnostic: Diagnostic) -> tuple[int | None, int | None, str]:
    return diagnostic.line, diagnostic.col, diagnostic.code


# --- inherited ------------------------------------------------------------------------------


def test_without_a_child_file_every_parent_entry_is_inherited_unchanged() -> None:
    resolved, resolution = resolve_tasks(None)
    assert resolved.entries == PARENT_TASKS
    assert resolved.diagnostics == []
    assert resolution == Resolution(parent="省局", inherited=["T01", "T02", "T03", "T04", "T05"])
    assert resolved.locations == {i: PARENT.locations[i] for i in ("T01", "T02", "T03", "T04", "T05")}


def test_a_comment_only_child_file_changes_nothing(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", "# 合肥沿用省局全部任务。\n")
    resolved, resolution = resolve_tasks(child)
    assert resolved.entries == PARENT_TASKS
    assert resolution.inherited == ["T01", "T02", "T03", "T04", "T05"]
    assert resolved.diagnostics == []


# --- dropped --------------------------------------------------------------------------------


def test_a_dropped_entry_leaves_the_catalogue_and_its_location_with_it(tmp_path: Path) -> None:
    resolved, resolution = resolve_tasks(read_child(tmp_path, "tasks.yaml", "drop: [T05, T02]\n"))
    assert ids(resolved) == ["T01", "T03", "T04"]
    assert resolution.dropped == ["T05", "T02"]
    assert resolution.inherited == ["T01", "T03", "T04"]
    assert {i: resolved.locations[i] for i in ids(resolved)} == {i: PARENT.locations[i] for i in ids(resolved)}
    assert resolved.diagnostics == []


def test_dropping_an_unknown_id_points_at_it_and_suggests_the_near_one(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", """
        drop:
          - T04
          - T5
    """)
    resolved, resolution = resolve_tasks(child)
    [found] = resolved.diagnostics
    assert where(found) == (3, 5, "drop-points-at-nothing")
    assert "'T5'" in found.message and found.hint == "是否是 'T05'?"
    assert found.source_line == "  - T5"
    assert resolution.dropped == ["T04"]
    assert "T05" in ids(resolved)


def test_dropping_an_id_with_nothing_near_gives_no_hint(tmp_path: Path) -> None:
    resolved, _ = resolve_tasks(read_child(tmp_path, "tasks.yaml", "drop: [培训制度]\n"))
    [found] = resolved.diagnostics
    assert (found.code, found.hint) == ("drop-points-at-nothing", None)


def test_drop_must_be_a_list(tmp_path: Path) -> None:
    resolved, resolution = resolve_tasks(read_child(tmp_path, "tasks.yaml", "drop: T05\n"))
    [found] = resolved.diagnostics
    assert where(found) == (1, 7, "list_type")
    assert resolution.dropped == [] and "T05" in ids(resolved)


def test_a_mapping_in_drop_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    resolved, _ = resolve_tasks(read_child(tmp_path, "tasks.yaml", "drop: [{id: T05}]\n"))
    assert [d.code for d in resolved.diagnostics] == ["drop-points-at-nothing"]


# --- overridden -----------------------------------------------------------------------------


def test_an_override_replaces_only_the_fields_it_writes(tmp_path: Path) -> None:
    child = read_child(tmp_path, "columns.yaml", """
        override:
          - id: C04
            lead: [办公室]
            requirement: 每半年不少于1次更新
            rule: {kind: periodic, cycle: half_year}
    """)
    resolved, resolution = resolve_columns(child)
    assert resolved.diagnostics == []
    c04 = next(entry for entry in resolved.entries if entry.id == "C04")
    parent_c04 = PARENT.entries["C04"]
    assert c04.lead == ("办公室",) and c04.requirement == "每半年不少于1次更新"
    assert c04.rule.cycle == "half_year"  # type: ignore[union-attr]
    assert c04.path == parent_c04.path  # type: ignore[union-attr]  # kept from the parent
    assert ids(resolved) == ["C01", "C02", "C03", "C04"]  # in the parent's place, not appended
    assert resolution.overridden == ["C04"]
    assert resolution.inherited == ["C01", "C02", "C03"]
    assert resolved.locations["C04"] == Location(child[1].path, 2, 9)  # the override's id
    assert resolved.locations["C01"] == PARENT.locations["C01"]


def test_overriding_an_unknown_id_suggests_the_near_one(tmp_path: Path) -> None:
    child = read_child(tmp_path, "columns.yaml", """
        override:
          - {id: C40, lead: [办公室]}
    """)
    resolved, resolution = resolve_columns(child)
    [found] = resolved.diagnostics
    assert where(found) == (2, 10, "override-points-at-nothing")
    assert found.hint == "是否是 'C04'?"
    assert resolution.overridden == []


def test_overriding_an_id_with_nothing_near_says_new_entries_go_under_the_list(tmp_path: Path) -> None:
    child = read_child(tmp_path, "columns.yaml", "override:\n  - {id: 城市动态, lead: [办公室]}\n")
    resolved, _ = resolve_columns(child)
    [found] = resolved.diagnostics
    assert found.hint == "新增的条目请写在 columns 下。"


def test_an_override_without_an_id_is_refused(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", """
        override:
          - lead: [办公室]
          - T01
    """)
    resolved, _ = resolve_tasks(child)
    assert [where(d) for d in resolved.diagnostics] == [(2, 5, "override-needs-id"), (3, 5, "override-needs-id")]
    assert resolved.entries == PARENT_TASKS


def test_an_invalid_overridden_value_is_reported_where_the_child_wrote_it(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", """
        override:
          - id: T03
            rule: {kind: periodic, cycle: weekly}
    """)
    resolved, resolution = resolve_tasks(child)
    [found] = resolved.diagnostics
    assert where(found) == (3, 35, "literal_error")
    assert "weekly" in found.message
    assert resolution.overridden == []
    assert next(e for e in resolved.entries if e.id == "T03") == PARENT.entries["T03"]


def test_a_misspelt_field_in_an_override_points_at_the_key(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", """
        override:
          - id: T03
            leed: [办公室]
    """)
    resolved, _ = resolve_tasks(child)
    [found] = resolved.diagnostics
    assert where(found) == (3, 5, "extra_forbidden")
    assert found.width == len("leed") and found.hint == "是否是 'lead'?"


# --- added ----------------------------------------------------------------------------------


def test_new_entries_come_after_the_parents_and_are_located_in_the_child(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", "tasks:\n" + new_task("T90"))
    resolved, resolution = resolve_tasks(child)
    assert resolved.diagnostics == []
    assert ids(resolved) == ["T01", "T02", "T03", "T04", "T05", "T90"]
    assert resolution.added == ["T90"]
    assert resolution.inherited == ["T01", "T02", "T03", "T04", "T05"]
    assert resolved.locations["T90"] == Location(child[1].path, 2, 9)


def test_a_new_entry_may_not_reuse_a_parent_id_or_its_own(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", "tasks:\n" + new_task("T01") + new_task("T90") + new_task("T90"))
    resolved, resolution = resolve_tasks(child)
    assert [where(d) for d in resolved.diagnostics] == [(2, 9, "duplicate-id"), (16, 9, "duplicate-id")]
    assert "override" in resolved.diagnostics[0].message
    assert resolution.added == ["T90"]
    assert ids(resolved).count("T90") == 1
    assert next(e for e in resolved.entries if e.id == "T01") == PARENT.entries["T01"]


def test_an_incomplete_new_entry_is_reported_at_the_entry(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", """
        tasks:
          - id: T91
            source: body
            text: 没有标题。
            rule: {kind: ongoing}
    """)
    resolved, resolution = resolve_tasks(child)
    [found] = resolved.diagnostics
    assert (found.line, found.code) == (2, "missing")
    assert "'title'" in found.message
    assert resolution.added == []


def test_owners_named_by_the_childs_own_entries_must_exist(tmp_path: Path) -> None:
    child = read_child(tmp_path, "columns.yaml", """
        columns:
          - id: C90
            path: [合肥专栏, 城市动态]
            lead: [局办公室, 宣传处]
            rule: {kind: ongoing}
        override:
          - {id: C01, cooperating: [政策法规科]}
    """)
    resolved, resolution = resolve_columns(child)
    assert [where(d) for d in resolved.diagnostics] == [(4, 18, "unknown-owner"), (7, 29, "unknown-owner")]
    assert "'宣传处'" in resolved.diagnostics[0].message  # the alias 局办公室 is known
    assert resolved.diagnostics[1].hint == "是否是 '政策法规处'?"
    assert resolution.added == ["C90"] and resolution.overridden == ["C01"]


# --- the file itself ------------------------------------------------------------------------


def test_an_unknown_top_level_key_lists_the_ones_a_child_may_use(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", "drop: [T05]\nremove: [T04]\n")
    resolved, resolution = resolve_tasks(child)
    [found] = resolved.diagnostics
    assert where(found) == (2, 1, "extra_forbidden")
    assert found.width == len("remove") and found.hint == "可用:tasks, override, drop"
    assert resolution.dropped == ["T05"]


def test_a_child_file_that_is_not_a_mapping_is_refused_and_the_parent_kept(tmp_path: Path) -> None:
    resolved, resolution = resolve_tasks(read_child(tmp_path, "tasks.yaml", "- T05\n"))
    assert [d.code for d in resolved.diagnostics] == ["not-a-mapping"]
    assert resolved.entries == PARENT_TASKS and resolution.dropped == []


def test_diagnostics_come_in_the_order_the_file_is_read(tmp_path: Path) -> None:
    child = read_child(tmp_path, "tasks.yaml", """
        override:
          - {id: T40}
        tasks:
          - {id: T01}
        drop: [T50]
    """)
    resolved, _ = resolve_tasks(child)
    assert [(d.line, d.code) for d in resolved.diagnostics] == [
        (2, "override-points-at-nothing"), (4, "missing"), (4, "missing"), (4, "missing"), (4, "missing"),
        (5, "drop-points-at-nothing")]


def test_one_resolution_over_tasks_and_columns_is_what_validate_shows(tmp_path: Path) -> None:
    """The 合肥 fixture, resolved as following.py does, and loaded through load_dataset."""
    resolution = Resolution(parent="省局")
    tasks, _ = resolve_tasks(read_child(tmp_path, "tasks.yaml", (PROVINCE / "合肥" / "tasks.yaml").read_text("utf-8")),
                             resolution)
    columns, _ = resolve_columns(
        read_child(tmp_path, "columns.yaml", (PROVINCE / "合肥" / "columns.yaml").read_text("utf-8")), resolution)
    assert tasks.diagnostics == columns.diagnostics == []
    assert resolution == Resolution(parent="省局", inherited=["T01", "T02", "T03", "T04", "C01", "C02"],
                                    overridden=["C04"], dropped=["T05", "C03"], added=["C90"])
    loaded = load_dataset(PROVINCE / "合肥")
    assert loaded.dataset is not None and loaded.dataset.inherits is not None
    inherits = loaded.dataset.inherits
    assert (list(inherits.inherited), list(inherits.overridden), list(inherits.dropped),
            list(inherits.added)) == (resolution.inherited, resolution.overridden, resolution.dropped,
                                      resolution.added)
    assert inherits.parent.endswith("省局")


# --- owners ---------------------------------------------------------------------------------


def test_without_child_owners_the_parents_are_used_as_they_are() -> None:
    assert resolve_owners(PARENT.owners, None) is PARENT.owners


def test_child_owners_replace_the_parents_of_the_same_name_and_add_the_rest() -> None:
    child = OwnersFile(
        owners=(Owner(name="办公室", kind="department", aliases=("市局办公室",)),
                Owner(name="城管科", kind="department")),
        groups=(Group(name="各处室", members=("办公室", "城管科")),
                Group(name="市级单位", members=("城管科",))),
    )
    owners = resolve_owners(PARENT.owners, child)
    assert [o.name for o in owners.owners] == ["办公室", "值班室", "政策法规处", "规划科技处", "局主要负责人", "城管科"]
    assert owners.owners[0].aliases == ("市局办公室",)  # the parent's alias 局办公室 is gone with it
    assert [g.name for g in owners.groups] == ["各处室", "各处室、单位", "市级单位"]
    assert owners.groups[0].members == ("办公室", "城管科")
    names = canonical_owners(owners)
    assert names["市局办公室"] == "办公室" and "局办公室" not in names
