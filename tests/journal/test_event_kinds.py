"""One happening, one command: an event kind named in the data starts every duty it implies, with
one shared id that `record --event` and `void` understand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, write_yaml

AS_OF = "2026-11-26"

TASKS = """
tasks:
  - id: T01
    source: body
    title: 权威信息发布
    text: 5小时内发布权威信息。
    lead: [政策法规处]
    deadline: 5小时内
    rule: {kind: event, trigger: 重大舆情, unit: hours, amount: 5, direction: after, happening: 重大舆情}
  - id: T02
    source: body
    title: 新闻发布会
    text: 24小时内举行新闻发布会。
    lead: [政策法规处]
    deadline: 24小时内
    rule: {kind: event, trigger: 重大舆情, unit: hours, amount: 24, direction: after, happening: 重大舆情}
  - id: T03
    source: body
    title: 部门文件
    text: 1个工作日内公开。
    lead: [各处室]
    deadline: 1个工作日内
    rule: {kind: event, trigger: 文件印发, unit: working_days, amount: 1, direction: after, happening: 文件印发}
  - id: T04
    source: body
    title: 文件解读
    text: 同步解读。
    lead: [各处室]
    deadline: 同步
    rule: {kind: event, trigger: 文件印发, unit: same_day, amount: 0, direction: after, happening: 文件印发,
           dept: 办公室}
"""


@pytest.fixture
def data(mini_data: Path) -> Path:
    write_yaml(mini_data, "tasks.yaml", TASKS)
    return mini_data


def event(data: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("event", *args, "--data", str(data), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["appended"]  # type: ignore[no-any-return]


def obligations(data: Path) -> dict[str, dict[str, object]]:
    result = run_cli("status", "--data", str(data), "--as-of", AS_OF, "--json")
    return {i["id"]: i for i in json.loads(result.stdout)["items"] if i["kind"] == "obligation"}


def test_one_command_starts_every_duty_of_the_kind_with_one_shared_id(data: Path) -> None:
    lines = event(data, "重大舆情", "--date", "2026-11-25T09:30", "--title", "某矿透水舆情")
    assert [line["item"] for line in lines] == ["T01", "T02"]
    shared = lines[0]["event"]
    assert all(line["event"] == shared and str(line["id"]).startswith(f"{shared}.") for line in lines)
    dues = {o["item"]: (o["due"], o["due_time"]) for o in obligations(data).values()}
    assert dues == {"T01": ("2026-11-25", "14:30"), "T02": ("2026-11-26", "09:30")}


def test_the_text_answer_lists_each_duty_and_its_deadline(data: Path) -> None:
    result = run_cli("event", "重大舆情", "--date", "2026-11-25T09:30", "--data", str(data))
    assert result.exit_code == 0, result.output
    assert "重大舆情" in result.output and "生成 2 项义务" in result.output
    assert "T01 权威信息发布 → 应于 2026-11-25 14:30" in result.output
    assert "T02 新闻发布会 → 应于 2026-11-26 09:30" in result.output


def test_a_record_names_one_duty_of_the_happening_by_the_shared_id(data: Path) -> None:
    shared = event(data, "重大舆情", "--date", "2026-11-25T09:30")[0]["event"]
    result = run_cli("record", "T02", "--event", str(shared), "--date", "2026-11-25T20:00", "--data", str(data),
                     "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["appended"][0]["event"] == f"{shared}.T02"
    states = {o["item"]: o["status"] for o in obligations(data).values()}
    assert states["T02"] == "done" and states["T01"] != "done"


def test_voiding_the_shared_id_voids_every_duty_it_started(data: Path) -> None:
    shared = event(data, "重大舆情", "--date", "2026-11-25T09:30")[0]["event"]
    result = run_cli("void", str(shared), "--reason", "不属重大舆情", "--data", str(data), "--json")
    assert result.exit_code == 0, result.output
    assert [v["corrects"] for v in json.loads(result.stdout)["appended"]] == [f"{shared}.T01", f"{shared}.T02"]
    assert obligations(data) == {}
    again = run_cli("void", str(shared), "--reason", "再来", "--data", str(data))
    assert again.exit_code == 2 and "已于更正" in again.output


def test_a_group_duty_takes_the_datas_default_department_or_asks(data: Path) -> None:
    asked = run_cli("event", "文件印发", "--date", "2026-11-24", "--data", str(data))
    assert asked.exit_code == 2 and "--dept" in asked.output and "部门文件" in asked.output
    assert not (data / "journal").exists(), "nothing is appended when one duty cannot be placed"
    lines = event(data, "文件印发", "--date", "2026-11-24", "--dept", "规划科技处")
    assert [(line["item"], line["dept"]) for line in lines] == [("T03", "规划科技处"), ("T04", "规划科技处")]


def test_a_default_department_in_the_data_places_the_duty(mini_data: Path) -> None:
    write_yaml(mini_data, "tasks.yaml", TASKS.replace("happening: 文件印发, unit", "unit").replace(
        "    rule: {kind: event, trigger: 文件印发, unit: working_days, amount: 1, direction: after, happening: 文件印发}",
        "    rule: {kind: event, trigger: 文件印发, unit: working_days, amount: 1, direction: after, dept: 规划科技处}"))
    lines = event(mini_data, "部门文件", "--date", "2026-11-24")
    assert [(line["item"], line["dept"]) for line in lines] == [("T03", "规划科技处")]


def test_an_hour_duty_in_the_kind_needs_a_time_and_nothing_is_written_without(data: Path) -> None:
    result = run_cli("event", "重大舆情", "--date", "2026-11-25", "--data", str(data))
    assert result.exit_code == 2 and "T14:30" in result.output
    assert not (data / "journal").exists()


def test_a_kind_is_found_before_an_item_and_an_unknown_name_lists_the_kinds(data: Path) -> None:
    result = run_cli("event", "T01", "--date", "2026-11-25T09:30", "--data", str(data), "--json")
    assert [line["item"] for line in json.loads(result.stdout)["appended"]] == ["T01"], "an item id is one duty"
    assert "event" not in json.loads(result.stdout)["appended"][0], "a single duty has no happening id"
    wrong = run_cli("event", "T01 ", "--date", "2026-11-25T09:30", "--data", str(data))
    assert wrong.exit_code == 0
    not_event = run_cli("event", "C01", "--date", "2026-11-25", "--data", str(data))
    assert not_event.exit_code == 2 and "事件类型:重大舆情(T01、T02)" in not_event.output


def test_a_kind_named_like_an_item_is_a_validation_error(mini_data: Path) -> None:
    write_yaml(mini_data, "tasks.yaml", TASKS.replace("happening: 重大舆情}", "happening: 法律法规}", 1))
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 2
    assert "happening-names-item" in result.output or "同名" in result.output
    assert "tasks.yaml:8:" in result.output


def test_an_unknown_default_department_is_a_validation_error(mini_data: Path) -> None:
    write_yaml(mini_data, "tasks.yaml", TASKS.replace("dept: 办公室", "dept: 办工室"))
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 2 and "办工室" in result.output and "办公室" in result.output


def test_the_bundled_catalogue_names_its_two_happenings() -> None:
    from zwgk.load import bundled_data_dir, load_dataset
    from zwgk.rules.obligations import happenings

    dataset = load_dataset(bundled_data_dir()).dataset
    assert dataset is not None
    kinds = {name: [i.id for i in items] for name, items in happenings(dataset.items).items()}
    assert kinds == {"重大舆情": ["B06", "B07"], "上级政策发布": ["B08", "C10"]}


def test_a_sheet_row_naming_a_kind_imports_every_duty_once(data: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "台账.csv"
    sheet.write_text("类型,事项,日期,时间,事件\n事件,重大舆情,2026-11-25,09:30,某矿透水舆情\n", encoding="utf-8")
    result = run_cli("import", str(sheet), "--data", str(data), "--json")
    assert result.exit_code == 0, result.output
    lines = json.loads(result.stdout)["appended"]
    assert [(line["item"], line["time"]) for line in lines] == [("T01", "09:30"), ("T02", "09:30")]
    assert lines[0]["event"] == lines[1]["event"] and lines[0]["id"] == f"{lines[0]['event']}.T01"
    again = run_cli("import", str(sheet), "--data", str(data), "--json")
    assert json.loads(again.stdout)["appended"] == [], "importing the same sheet twice appends nothing"


def test_import_places_a_group_duty_by_the_rules_default_as_event_does(data: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "台账.csv"
    sheet.write_text("类型,事项,日期,事件\n事件,文件解读,2026-11-24,某文件\n", encoding="utf-8")
    result = run_cli("import", str(sheet), "--data", str(data), "--json")
    assert result.exit_code == 0, result.output
    [line] = json.loads(result.stdout)["appended"]
    assert (line["item"], line["dept"]) == ("T04", "办公室")
    by_command = event(data, "T04", "--date", "2026-11-25")
    assert by_command[0]["dept"] == "办公室", "the same default as zwgk event"
