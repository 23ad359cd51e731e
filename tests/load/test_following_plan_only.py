"""A unit that follows a catalogue reads the parent's plan, not its journal: the province's records
are the province's, so a city's answer (and its snapshot) does not change when the province records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zwgk.load import LoadMemo, load_dataset

PROVINCE = Path(__file__).parents[1] / "fixtures" / "province"


@pytest.fixture
def province(tmp_path: Path) -> Path:
    shutil.copytree(PROVINCE, tmp_path / "province")
    return tmp_path / "province"


def journal_inputs(inputs: dict[str, str], unit: Path) -> list[str]:
    return [name for name in inputs if Path(name.removesuffix("/*.jsonl")).resolve().is_relative_to(
        (unit / "journal").resolve())]


@pytest.mark.parametrize("parent_first", [True, False])
def test_a_citys_inputs_hold_none_of_the_provinces_journal(province: Path, parent_first: bool) -> None:
    memo = LoadMemo()
    if parent_first:  # a workspace that loads 省局 itself first shares that load
        assert load_dataset(province / "省局", memo=memo).dataset is not None
    city = load_dataset(province / "合肥", memo=memo)
    assert city.dataset is not None
    assert journal_inputs(dict(city.inputs), province / "省局") == []
    assert journal_inputs(dict(city.inputs), province / "合肥"), "its own journal is an input"


def test_a_broken_line_in_the_provinces_journal_does_not_stop_a_city(province: Path) -> None:
    journal = province / "省局" / "journal"
    journal.mkdir(exist_ok=True)
    (journal / "2026.jsonl").open("a", encoding="utf-8").write("{not json\n")
    assert load_dataset(province / "省局").dataset is None or any(
        d.severity == "error" for d in load_dataset(province / "省局").diagnostics)
    city = load_dataset(province / "合肥")
    assert city.dataset is not None and not [d for d in city.diagnostics if d.severity == "error"]


def test_the_parents_plan_still_reaches_the_city(province: Path) -> None:
    parent = load_dataset(province / "省局").dataset
    city = load_dataset(province / "合肥").dataset
    assert parent is not None and city is not None
    assert city.inherits is not None and set(city.inherits.inherited) <= {i.id for i in parent.items}
