"""zwgk.cli.completion: what Tab offers for ITEM and --dept — the default data folder's items and
departments whose id, Chinese name or pinyin begins with what was typed — quietly, and nothing
at all (never a traceback) when the data cannot be read.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import loaded_dataset

from zwgk.cli import completion
from zwgk.cli.completion import complete_departments, complete_items, department_choices, item_choices
from zwgk.load import bundled_data_dir
from zwgk.models import Dataset, Owner, OwnersFile

MINI = Path(__file__).parents[1] / "fixtures" / "mini"


MINI_DATASET = loaded_dataset(MINI)
BUNDLED = loaded_dataset(bundled_data_dir())


@pytest.fixture
def in_mini(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_DATA", str(MINI))


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A folder with no data/ and no $ZWGK_DATA: the default is the bundled data."""
    monkeypatch.delenv("ZWGK_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- items ------------------------------------------------------------------------------------


def test_nothing_typed_offers_every_item_by_id_with_its_title() -> None:
    offered = item_choices(MINI_DATASET, "")
    assert [value for value, _ in offered] == [i.id for i in MINI_DATASET.items]
    assert ("C01", "政策法规/法律法规") in offered and ("T01", "一次性任务") in offered


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("C0", ["C01", "C02", "C03", "C04"]),  # by id
        ("t0", ["T01", "T02", "T03", "T04", "T05"]),  # ids in any case
        # A Chinese prefix completes to the name (a shell keeps only what begins with the typed text)
        ("法律", ["法律法规"]),  # a column's own name
        ("政策", ["政策法规/法律法规"]),  # a column's 一级/二级
        ("一次", ["一次性任务"]),  # a task's title
        ("flfg", ["C01"]),  # pinyin initials
        ("zcfg", ["C01"]),
        ("zhengc", ["C01"]),  # full pinyin, the last syllable half typed
        ("falvf", ["C01"]),
        ("shigukx", ["C03"]),
        ("xyz", []),
    ],
)
def test_items_are_offered_by_id_chinese_name_or_pinyin_prefix(typed: str, offered: list[str]) -> None:
    assert [value for value, _ in item_choices(MINI_DATASET, typed)] == offered


def test_ids_come_before_names_and_names_before_pinyin() -> None:
    """c: the columns by id, then 长期坚持 by its pinyin — each item once."""
    assert [value for value, _ in item_choices(MINI_DATASET, "c")] == ["C01", "C02", "C03", "C04", "T04"]


def test_items_of_the_bundled_data_by_pinyin_and_polyphonic_readings() -> None:
    assert [v for v, _ in item_choices(BUNDLED, "zcfg")] == ["C07", "C08", "C09", "C10", "C11", "C12", "C13"]
    assert item_choices(BUNDLED, "flfg") == [("C07", "政策法规/法律法规")]
    assert [v for v, _ in item_choices(BUNDLED, "chongdianling")][:1] == ["C35"]  # 重 read chong
    assert [v for v, _ in item_choices(BUNDLED, "hangzhengquanli")][:1] == ["C20"]  # 行 read hang


# --- departments ------------------------------------------------------------------------------


def test_departments_are_offered_with_their_kind_and_aliases() -> None:
    offered = dict(department_choices(MINI_DATASET, ""))
    assert list(offered) == ["办公室", "值班室", "政策法规处", "规划科技处", "局主要负责人", "各处室", "各处室、单位"]
    assert offered["办公室"] == "处室;又称 局办公室"
    assert offered["值班室"] == "下属单位(属 办公室)"
    assert offered["局主要负责人"] == "职务"
    assert offered["各处室"] == "组"


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("政策", ["政策法规处"]),
        ("法规", ["政策法规处"]),  # by the alias 法规处
        ("局", ["办公室", "局主要负责人"]),  # 局办公室 is an alias
        ("zcfgc", ["政策法规处"]),
        ("zcf", ["政策法规处"]),
        ("zhengce", ["政策法规处"]),
        ("gcs", ["各处室", "各处室、单位"]),
        ("z", ["值班室", "政策法规处"]),
        ("xyz", []),
    ],
)
def test_departments_by_name_alias_or_pinyin_prefix(typed: str, offered: list[str]) -> None:
    assert [value for value, _ in department_choices(MINI_DATASET, typed)] == offered


def test_chinese_matches_come_before_pinyin_ones() -> None:
    """g: a department named in Latin letters before those whose pinyin begins with g."""
    owners = OwnersFile(owners=(*MINI_DATASET.owners.owners, Owner(name="GIS组", kind="department")),
                        groups=MINI_DATASET.owners.groups)
    assert [v for v, _ in department_choices(replace(MINI_DATASET, owners=owners), "g")] == [
        "GIS组", "规划科技处", "各处室", "各处室、单位"]


def test_bundled_departments_by_pinyin() -> None:
    assert department_choices(BUNDLED, "yjb") == [("应急办", "处室")]
    assert [v for v, _ in department_choices(BUNDLED, "xzsp")] == ["行政审批办"]
    assert [v for v, _ in department_choices(BUNDLED, "luan")] == ["六安市安全监管局"]  # the alias 六安
    assert [v for v, _ in department_choices(BUNDLED, "liuan")] == ["六安市安全监管局"]
    assert [v for v, _ in department_choices(BUNDLED, "czs")] == ["滁州市安全监管局", "池州市安全监管局"]


# --- the default data folder, quietly ----------------------------------------------------------


def test_completion_reads_the_default_data_folder(in_mini: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert complete_items("flfg") == [("C01", "政策法规/法律法规")]
    assert complete_departments("zcfgc") == [("政策法规处", "处室;又称 法规处")]
    assert capsys.readouterr() == ("", "")


def test_the_bundled_data_is_offered_without_the_note_about_it(
        nowhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert complete_departments("yjb") == [("应急办", "处室")]
    assert complete_items("C07") == [("C07", "政策法规/法律法规")]
    assert capsys.readouterr() == ("", "")  # data_dir()'s note on stderr would garble the prompt


def test_a_data_folder_in_the_current_folder_is_used(nowhere: Path) -> None:
    data = nowhere / "data"
    data.mkdir()
    for path in MINI.glob("*.yaml"):
        (data / path.name).write_bytes(path.read_bytes())
    assert complete_items("T0")[0] == ("T01", "一次性任务")


def test_no_data_offers_nothing_and_says_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ZWGK_DATA", str(tmp_path / "missing"))
    assert complete_items("") == []
    assert complete_departments("") == []
    assert capsys.readouterr() == ("", "")


def test_broken_data_offers_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "settings.yaml").write_text("unit: [\n", encoding="utf-8")
    (tmp_path / "tasks.yaml").write_text("tasks: {\n", encoding="utf-8")
    monkeypatch.setenv("ZWGK_DATA", str(tmp_path))
    assert complete_items("T") == []
    assert capsys.readouterr() == ("", "")


def test_any_failure_offers_nothing(monkeypatch: pytest.MonkeyPatch, in_mini: None,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    def broken(dataset: Dataset, typed: str) -> list[tuple[str, str]]:
        raise RuntimeError("boom")

    assert completion._offer(broken, "x") == []
    import zwgk.store.snapshot

    monkeypatch.setattr(zwgk.store.snapshot, "loaded", lambda *_: (_ for _ in ()).throw(OSError("gone")))
    assert complete_departments("z") == []
    assert capsys.readouterr() == ("", "")


def test_completion_functions_take_what_typer_passes() -> None:
    """typer's autocompletion= finds the typed word by a parameter annotated str or named incomplete."""
    import inspect

    for complete in (complete_items, complete_departments):
        assert list(inspect.signature(complete).parameters) == ["incomplete"]


def test_a_real_bash_completion_offers_what_was_typed(mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through typer's bash protocol, as the installed completion script calls it."""
    import os
    import subprocess
    import sys

    script = Path(sys.executable).parent / "zwgk"
    if not script.exists():
        pytest.skip("the zwgk script is not installed beside this interpreter")
    monkeypatch.chdir(mini_data.parent)
    env = {**os.environ, "_ZWGK_COMPLETE": "complete_bash", "COMP_CWORD": "2", "ZWGK_NO_CACHE": "1"}
    for typed, offered in (("C0", "C01"), ("法", "法律法规")):
        result = subprocess.run([str(script)], capture_output=True, text=True,
                                env={**env, "COMP_WORDS": f"zwgk show {typed}"}, check=False)
        assert offered in result.stdout.split(), (typed, result.stdout, result.stderr)


def test_event_offers_the_kinds_first_then_only_event_triggered_items() -> None:
    from zwgk.cli.completion import event_choices

    offered = event_choices(BUNDLED, "")
    assert offered[:2] == [("重大舆情", "事件类型:B06、B07"), ("上级政策发布", "事件类型:B08、C10")]
    assert all(value in {"重大舆情", "上级政策发布"} or value.startswith(("B", "C"))
               for value, _ in offered)
    assert "T01" not in [value for value, _ in offered], "a one-off task is not an event's duty"
    assert [value for value, _ in event_choices(BUNDLED, "zdyq")] == ["重大舆情"]
