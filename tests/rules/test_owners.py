"""zwgk.rules.owners and the owner names of zwgk.models: finding things by the names people type.

Items are found by id, title or column name (exact before partial; ambiguity and misses raise
LookupFailed with the near candidates); owners by name or alias; and a department holds an
item as lead or as responsible, directly or through a group or one of its sub-units.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.errors import LookupFailed
from zwgk.load import load_dataset
from zwgk.models import (
    Dataset,
    Group,
    Item,
    JournalEntry,
    OngoingRule,
    Owner,
    OwnersFile,
    Settings,
    canonical_owners,
    normalise_name,
)
from zwgk.rules.owners import (
    ROLE_LABEL,
    Holding,
    departments,
    group_members,
    holdings,
    newest_first,
    owner_reach,
    resolve_item,
    resolve_owner,
)

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
PROPS = settings(max_examples=200, deadline=None, database=None)


def load_mini() -> Dataset:
    result = load_dataset(MINI)
    assert result.dataset is not None, result.diagnostics
    return result.dataset


MINI_DATASET = load_mini()


@pytest.fixture
def mini() -> Dataset:
    """tests/fixtures/mini: T01–T05 and C01–C04, owned by 办公室 (with sub-unit 值班室) and others."""
    return MINI_DATASET


def task(item_id: str, title: str, lead: tuple[str, ...] = (), responsible: tuple[str, ...] = ()) -> Item:
    return Item(id=item_id, kind="task", title=title, path=(), lead=lead, responsible=responsible,
                requirement=None, rule=OngoingRule(kind="ongoing"))


def column(item_id: str, path: tuple[str, ...], lead: tuple[str, ...] = (),
           cooperating: tuple[str, ...] = ()) -> Item:
    return Item(id=item_id, kind="column", title="/".join(path), path=path, lead=lead,
                responsible=cooperating, requirement=None, rule=OngoingRule(kind="ongoing"))


def dataset(items: tuple[Item, ...] = (), owners: tuple[Owner, ...] = (),
            groups: tuple[Group, ...] = ()) -> Dataset:
    return Dataset(Settings(unit="测试局", tracking_since=date(2026, 1, 1)),
                   OwnersFile(owners=owners, groups=groups), items)


def department(name: str, *aliases: str) -> Owner:
    return Owner(name=name, kind="department", aliases=aliases)


# --- normalise_name and canonical_owners ----------------------------------------------------


def test_normalise_name_drops_ascii_and_ideographic_spaces_and_upper_cases() -> None:
    assert normalise_name(" 政策 法规处 ") == "政策法规处"
    assert normalise_name("政策\u3000法规处") == "政策法规处"
    assert normalise_name("c12") == "C12"


def test_normalise_name_treats_full_width_brackets_as_ascii_ones() -> None:
    assert normalise_name("政策解读 （上级）") == normalise_name("政策解读(上级)")


def test_canonical_owners_maps_every_name_and_alias_to_its_owner_or_group(mini: Dataset) -> None:
    names = canonical_owners(mini.owners)
    assert names["办公室"] == names["局办公室"] == "办公室"
    assert names["法规处"] == "政策法规处"
    assert names["各处室、单位"] == "各处室、单位"
    assert set(names.values()) == {"办公室", "值班室", "政策法规处", "规划科技处", "局主要负责人",
                                   "各处室", "各处室、单位"}


def test_canonical_owners_keys_are_normalised_and_the_first_spelling_wins() -> None:
    owners = OwnersFile(owners=(department("信息 中心", "info"), department("别的处", "INFO")),
                        groups=(Group(name="全体", members=("信息 中心",), aliases=("all",)),))
    names = canonical_owners(owners)
    assert names == {"信息中心": "信息 中心", "INFO": "信息 中心", "别的处": "别的处",
                     "全体": "全体", "ALL": "全体"}


# --- resolve_item ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("T01", "T01"),  # id
        ("t01", "T01"),  # ids are upper-cased
        (" T 01", "T01"),  # and spaces dropped
        ("一次性任务", "T01"),  # a task's title
        ("政策法规/法律法规", "C01"),  # a column's 一级/二级
        ("法律法规", "C01"),  # a column's own name
        ("媒体 关注", "C02"),  # a column's own name, spaced
        ("法规", "C01"),  # part of one item's name only
        ("自查", "T03"),  # part of a title
    ],
)
def test_resolve_item_finds_an_item_by_id_title_or_column_name(mini: Dataset, typed: str, found: str) -> None:
    assert resolve_item(mini, typed).id == found


def test_an_exact_title_wins_over_titles_that_contain_it() -> None:
    items = (task("T01", "公开"), task("T02", "公开目录"))
    assert resolve_item(dataset(items), "公开").id == "T01"


def test_an_exact_id_wins_over_a_title_that_spells_the_same() -> None:
    items = (task("T01", "T02"), task("T02", "另一件"))
    assert resolve_item(dataset(items), "T02").id == "T02"


def test_a_partial_name_held_by_several_items_is_ambiguous_and_lists_them(mini: Dataset) -> None:
    with pytest.raises(LookupFailed, match="ambiguous item") as caught:
        resolve_item(mini, "坚持")
    assert caught.value.candidates == ("T02 先完成后坚持", "T04 长期坚持")
    assert caught.value.details == ("候选:T02 先完成后坚持", "候选:T04 长期坚持")


def test_a_column_name_under_two_headings_is_ambiguous_until_the_heading_is_given() -> None:
    items = (column("C01", ("市级", "工作动态")), column("C02", ("县级", "工作动态")))
    with pytest.raises(LookupFailed, match="一级/二级") as caught:
        resolve_item(dataset(items), "工作动态")
    assert caught.value.candidates == ("C01 市级/工作动态", "C02 县级/工作动态")
    assert resolve_item(dataset(items), "县级/工作动态").id == "C02"


def test_ambiguous_partial_matches_list_at_most_twelve_candidates() -> None:
    items = tuple(task(f"T{n:02d}", f"制度{n}") for n in range(1, 16))
    with pytest.raises(LookupFailed) as caught:
        resolve_item(dataset(items), "制度")
    assert len(caught.value.candidates) == 12
    assert caught.value.candidates[0] == "T01 制度1"


def test_an_unknown_item_suggests_the_nearest_spelling(mini: Dataset) -> None:
    with pytest.raises(LookupFailed, match="unknown item") as caught:
        resolve_item(mini, "一次性任物")
    assert caught.value.candidates == ("T01 一次性任务",)
    assert caught.value.exit_code == 2


def test_an_unknown_item_with_nothing_near_has_no_candidates(mini: Dataset) -> None:
    with pytest.raises(LookupFailed, match="找不到事项 'zzz'") as caught:
        resolve_item(mini, "zzz")
    assert caught.value.candidates == ()


@PROPS
@given(item=st.sampled_from(MINI_DATASET.items), lower=st.booleans(),
       pad=st.lists(st.sampled_from(["", " ", "\u3000"]), min_size=3, max_size=3))
def test_every_item_is_found_by_its_own_id_however_it_is_typed(item: Item, lower: bool, pad: list[str]) -> None:
    letter = item.id[0].lower() if lower else item.id[0]
    typed = pad[0] + letter + pad[1] + item.id[1:] + pad[2]
    assert resolve_item(MINI_DATASET, typed) == item


# --- resolve_owner --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "owner"),
    [
        ("办公室", "办公室"),
        ("局办公室", "办公室"),  # an alias
        ("法规处", "政策法规处"),
        (" 政策 法规处", "政策法规处"),  # spaces vary in hand-typed names
        ("值班室", "值班室"),  # a sub-unit
        ("各处室、单位", "各处室、单位"),  # a group
    ],
)
def test_resolve_owner_accepts_names_aliases_and_groups(mini: Dataset, typed: str, owner: str) -> None:
    assert resolve_owner(mini, typed) == owner


def test_an_unknown_department_suggests_the_nearest_name(mini: Dataset) -> None:
    with pytest.raises(LookupFailed, match="unknown department") as caught:
        resolve_owner(mini, "办工室")
    assert caught.value.candidates == ("办公室",)
    with pytest.raises(LookupFailed) as far:
        resolve_owner(mini, "财务审计处")
    assert far.value.candidates == ()


# --- groups, sub-units and holdings ---------------------------------------------------------


def test_group_members_expand_nested_groups_to_owners(mini: Dataset) -> None:
    assert group_members(mini.owners) == {
        "各处室": frozenset({"办公室", "政策法规处", "规划科技处"}),
        "各处室、单位": frozenset({"办公室", "政策法规处", "规划科技处"}),  # through 各处室
    }


def test_group_members_follow_three_levels_and_shared_subgroups() -> None:
    owners = OwnersFile(
        owners=(department("甲"), department("乙"), department("丙"), department("丁")),
        groups=(
            Group(name="全体", members=("东片", "西片", "丁")),
            Group(name="东片", members=("核心", "乙")),
            Group(name="西片", members=("核心",)),
            Group(name="核心", members=("甲", "丙")),
        ),
    )
    members = group_members(owners)
    assert members["核心"] == {"甲", "丙"}
    assert members["东片"] == {"甲", "乙", "丙"}
    assert members["西片"] == {"甲", "丙"}
    assert members["全体"] == {"甲", "乙", "丙", "丁"}


def test_group_members_terminate_on_a_cycle() -> None:
    """A cycle is a load error (group-cycle); expanding one must still not loop forever."""
    owners = OwnersFile(owners=(department("甲"), department("乙")),
                        groups=(Group(name="A", members=("B", "甲")), Group(name="B", members=("A", "乙"))))
    members = group_members(owners)
    assert set(members) == {"A", "B"}
    assert members["A"] == {"甲", "乙"}


def test_owner_reach_adds_sub_units_and_every_group_that_contains_the_owner(mini: Dataset) -> None:
    assert owner_reach(mini, "办公室") == {"办公室": None, "值班室": "值班室", "各处室": "各处室",
                                          "各处室、单位": "各处室、单位"}
    assert owner_reach(mini, "局主要负责人") == {"局主要负责人": None}


def test_holdings_of_a_department_direct_through_groups_and_through_sub_units(mini: Dataset) -> None:
    assert holdings(mini, "办公室") == {
        "T01": Holding("responsible", "各处室、单位"),  # a group holding the group 各处室
        "T02": Holding("responsible", "各处室"),
        "T03": Holding("lead"),
        "T04": Holding("lead"),
        "C01": Holding("responsible", "各处室"),  # a column's cooperating units count as responsible
        "C02": Holding("responsible", "值班室"),  # its sub-unit 值班室 cooperates
        "C03": Holding("responsible", "值班室"),
    }
    assert holdings(mini, "局主要负责人") == {}


def test_a_direct_role_wins_over_any_role_held_through_a_group() -> None:
    owners = (department("办公室"), department("法规处"))
    groups = (Group(name="各处室", members=("办公室", "法规处")),)
    items = (
        task("T01", "组牵头、本处责任", lead=("各处室",), responsible=("办公室",)),
        task("T02", "组牵头、组责任", lead=("各处室",), responsible=("各处室",)),
        task("T03", "本处牵头也责任", lead=("办公室",), responsible=("办公室",)),
    )
    held = holdings(dataset(items, owners, groups), "办公室")
    assert held == {"T01": Holding("responsible"), "T02": Holding("lead", "各处室"), "T03": Holding("lead")}


def test_holdings_read_references_by_alias_and_normalised_spelling() -> None:
    owners = (department("办公室", "局办公室"),)
    items = (task("T01", "别名", lead=("局办公室",)), task("T02", "空格", responsible=(" 办公 室",)),
             task("T03", "无关", lead=("别的处",)))
    assert holdings(dataset(items, owners), "办公室") == {"T01": Holding("lead"),
                                                        "T02": Holding("responsible")}


def test_holdings_look_only_at_the_items_given(mini: Dataset) -> None:
    extra = task("O01", "义务", lead=("办公室",))
    assert holdings(mini, "办公室", [extra]) == {"O01": Holding("lead")}


def test_holding_labels_name_the_role_and_what_it_is_held_through() -> None:
    assert ROLE_LABEL == {"lead": "牵头", "responsible": "责任/配合"}
    assert Holding("lead").label == "牵头"
    assert Holding("responsible").label == "责任/配合"
    assert Holding("lead", "各处室").label == "牵头(经 各处室)"
    assert Holding("responsible", "值班室").label == "责任/配合(经 值班室)"


def test_departments_list_departments_units_roles_and_bodies_but_not_sub_units(mini: Dataset) -> None:
    assert departments(mini) == ["办公室", "政策法规处", "规划科技处", "局主要负责人"]
    owners = tuple(Owner(name=kind, kind=kind) for kind in  # type: ignore[arg-type]
                   ("department", "sub_unit", "unit", "role", "body", "city_bureau"))
    assert departments(dataset(owners=owners)) == ["department", "unit", "role", "body"]


# --- newest_first ---------------------------------------------------------------------------


def entry(entry_id: str, day: date, at: str, time: str | None = None) -> JournalEntry:
    return JournalEntry(id=entry_id, type="record", item="T01", date=day, at=at, time=time)


def test_newest_first_orders_by_date_then_time_of_day_then_when_written() -> None:
    entries = [
        entry("old", date(2026, 3, 1), "2026-03-01T08:00:00+08:00"),
        entry("morning", date(2026, 3, 2), "2026-03-05T08:00:00+08:00", "09:00"),
        entry("untimed-early", date(2026, 3, 2), "2026-03-02T10:00:00+08:00"),
        entry("afternoon", date(2026, 3, 2), "2026-03-02T08:00:00+08:00", "15:30"),
        entry("untimed-late", date(2026, 3, 2), "2026-03-02T18:00:00+08:00"),
    ]
    assert [e.id for e in newest_first(entries)] == [
        "afternoon", "morning", "untimed-late", "untimed-early", "old"]


@PROPS
@given(st.lists(st.tuples(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
                          st.sampled_from([None, "08:00", "12:00", "23:59"]),
                          st.integers(min_value=0, max_value=99)), max_size=20))
def test_newest_first_never_puts_an_older_day_before_a_newer_one(rows: list[tuple[date, str | None, int]]) -> None:
    entries = [entry(f"e{n}", day, f"2026-01-01T00:00:{sec:02d}", time) for n, (day, time, sec) in enumerate(rows)]
    ordered = newest_first(entries)
    assert sorted(e.id for e in ordered) == sorted(e.id for e in entries)
    assert all(a.date >= b.date for a, b in pairwise(ordered))


@pytest.mark.parametrize("folder", [MINI, Path(__file__).parents[2] / "data"], ids=["mini", "bundled"])
def test_every_owner_s_holdings_at_once_are_each_owner_s_holdings(folder: Path) -> None:
    from zwgk.rules.engine import evaluate
    from zwgk.rules.owners import holdings_of

    dataset = load_dataset(folder).dataset
    assert dataset is not None
    statuses = evaluate(dataset, date(2026, 11, 26)).statuses  # obligations included
    owners = [owner.name for owner in dataset.owners.owners] + [group.name for group in dataset.owners.groups]
    together = holdings_of(dataset, owners, [s.item for s in statuses])
    for owner in owners:
        assert together[owner] == holdings(dataset, owner, [s.item for s in statuses]), owner
        assert list(together[owner]) == list(holdings(dataset, owner, [s.item for s in statuses]))
