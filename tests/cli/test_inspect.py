"""`zwgk inspect`: the verdict first, the forecast sentence, exit 0/1/2, the JSON shape, html to a
file, evidence from `zwgk record`, and across a workspace one table of units × indicators."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MINI, TESTS, run_cli, tree_bytes, write_yaml

COLUMNS = """\
columns:
  - id: C01
    path: [信息公开专题, 工作动态]
    lead: [办公室]
    rule: {kind: periodic, cycle: half_year}
    inspection: {category: dynamic, reading: 动态要闻类}
  - id: C02
    path: [政策法规, 法律法规]
    lead: [政策法规处]
    rule: {kind: periodic, cycle: half_year}
    inspection: {category: policy, reading: 政策文件类}
  - id: C03
    path: [通知公告, 公示]
    lead: [办公室]
    rule: {kind: periodic, cycle: half_year}
    inspection: {category: notice, reading: 通知公告类}
  - id: C04
    path: [通知公告, 预警]
    lead: [办公室]
    rule: {kind: periodic, cycle: half_year}
    inspection: {category: notice, reading: 通知公告类}
  - id: C05
    path: [通知公告, 黑名单]
    lead: [办公室]
    rule: {kind: periodic, cycle: half_year}
    inspection: {category: notice, reading: 通知公告类}
"""
KEYS = {"code", "name", "count", "threshold", "tripped", "items", "trips_on"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("owners.yaml", "settings.yaml", "tasks.yaml"):
        shutil.copy(MINI / name, folder / name)
    write_yaml(folder, "columns.yaml", COLUMNS)
    return folder


def record(data: Path, item: str, day: str, *extra: str) -> None:
    result = run_cli("record", item, "--date", day, "--by", "张三", "--data", str(data), *extra)
    assert result.exit_code == 0, result.output


def inspect(data: Path, as_of: str, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("inspect", "--data", str(data), "--as-of", as_of, *args)


def fresh(data: Path) -> None:
    for item, day in (("C01", "2026-11-28"), ("C02", "2026-10-01"), ("C03", "2026-09-01"),
                      ("C04", "2026-08-01"), ("C05", "2026-07-20")):
        record(data, item, day, "--url", f"https://example.gov.cn/{item}.html")


def test_no_veto_exits_0_and_says_when_it_will_trip(data: Path) -> None:
    fresh(data)
    result = inspect(data, "2026-12-02")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("抽查模拟 · 检查日 2026-12-02 · 测试局")
    assert lines[1].startswith("结论:目前合格")
    # the homepage (newest evidence 11-28) goes first: 12-13
    assert "2026-12-13 起首页 2 周无更新 → 单项否决(还有 11 天" in lines[1]
    # the five windowed columns: C01 12-13, C05 2027-01-21, C04 02-02, C03 03-02, C02 04-02
    assert "2027-04-02 起第 5 个栏目超期 → 单项否决" in result.stdout
    assert "栏目不更新:先更新 C01 信息公开专题/工作动态(2026-12-13 起)" in result.stdout


def test_a_veto_exits_1_and_comes_first(data: Path) -> None:
    result = inspect(data, "2026-12-02")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].startswith("结论:不合格 —— 单项否决")
    assert "栏目不更新(5 个,达到 5 个)" in result.stdout
    assert "空白栏目(5 个,达到 5 个)" in result.stdout


def test_json_shape(data: Path) -> None:
    fresh(data)
    result = inspect(data, "2026-12-02", "--json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert list(body)[:3] == ["as_of", "veto", "unit"]
    assert body["as_of"] == "2026-12-02" and body["veto"] is False
    codes = [i["code"] for i in body["indicators"]]
    assert codes == ["stale", "not_updated", "empty", "homepage", "interaction"]
    for indicator in body["indicators"]:
        assert set(indicator) >= KEYS
        assert isinstance(indicator["items"], list)
    stale = body["indicators"][0]
    assert (stale["count"], stale["threshold"], stale["tripped"], stale["trips_on"]) == (0, 5, False, "2027-04-02")
    assert stale["update_first"][0] == {"id": "C01", "on": "2026-12-13"}
    assert body["indicators"][4]["trips_on"] is None
    assert body["score"] == 100 and body["unverified"] == [] and body["uncategorised"] == []


def test_a_record_without_a_url_counts_but_is_unverified(data: Path) -> None:
    record(data, "C01", "2026-11-28")
    body = json.loads(inspect(data, "2026-12-02", "--json").stdout)
    assert body["unverified"] == ["C01"]
    assert "C01" not in body["indicators"][0]["items"]
    assert "最新证据没有链接(未核实)的栏目:C01" in inspect(data, "2026-12-02").stdout


def test_html_is_written_to_a_file_or_to_stdout(data: Path, monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = inspect(data, "2026-12-02", "--format", "html")
    assert result.exit_code == 1
    page = (tmp_path / "zwgk-抽查-2026-12-02.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in page and "<script" not in page
    assert "单项否决" in page
    assert inspect(data, "2026-12-02", "--format", "html", "-o", "-").stdout.startswith("<!DOCTYPE html>")


def test_text_to_a_file(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "抽查.txt"
    result = inspect(data, "2026-12-02", "-o", str(target))
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8").splitlines()[1].startswith("结论:不合格")


def test_hostile_unit_names_are_escaped(data: Path) -> None:
    (data / "settings.yaml").write_text("unit: '<script>alert(1)</script>\u202e'\ntracking_since: 2026-01-01\n",
                                        encoding="utf-8")
    page = inspect(data, "2026-12-02", "--format", "html", "-o", "-").stdout
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\u202e" not in page
    assert "\u202e" not in inspect(data, "2026-12-02").stdout  # a bidi override never reaches the terminal


def test_inspect_writes_nothing_into_the_data(data: Path) -> None:
    fresh(data)
    before = tree_bytes(data)
    inspect(data, "2026-12-02")
    assert tree_bytes(data) == before


@pytest.fixture
def province(tmp_path: Path) -> Path:
    target = tmp_path / "province"
    shutil.copytree(TESTS / "fixtures" / "province", target)
    return target


def test_workspace_one_table_of_units_by_indicators(province: Path) -> None:
    result = run_cli("inspect", "--workspace", str(province / "zwgk.yaml"), "--as-of", "2026-11-26")
    assert result.exit_code == 1, result.output
    table = result.stdout.split("== ")[0]
    assert "各单位 × 单项否决指标" in table
    for unit in ("省局", "合肥", "芜湖"):
        assert unit in table
        assert f"== {unit} ==" in result.stdout
    body = json.loads(run_cli("inspect", "--workspace", str(province / "zwgk.yaml"), "--as-of", "2026-11-26",
                              "--json").stdout)
    assert [u["unit"] for u in body["units"]] == ["省局", "合肥", "芜湖"]
    assert body["veto"] is True
    hefei = body["units"][1]
    assert "C90" in hefei["uncategorised"]  # the fixture's catalogue carries no categories
    empty = {i["code"]: i for i in hefei["indicators"]}["empty"]
    assert "C01" not in empty["items"]  # 合肥 recorded C01 and C02 on 2026-11-01


def test_workspace_with_a_broken_unit_reports_the_others_and_exits_2(province: Path) -> None:
    (province / "芜湖" / "settings.yaml").write_text("unit: [\n", encoding="utf-8")
    result = run_cli("inspect", "--workspace", str(province / "zwgk.yaml"), "--as-of", "2026-11-26")
    assert result.exit_code == 2
    assert "数据有误" in result.stdout and "== 合肥 ==" in result.stdout


# --- check --inspect: the CI gate fails on a veto, or on one due within --grace days ----------


def check(data: Path, as_of: str, *args: str):  # type: ignore[no-untyped-def]
    write_yaml(data, "tasks.yaml", "tasks: []\n")  # only the columns: the gate fails on nothing else
    return run_cli("check", "--data", str(data), "--as-of", as_of, "--inspect", *args)


def test_check_inspect_passes_while_no_veto_is_near_and_fails_within_grace(data: Path) -> None:
    fresh(data)
    clean = check(data, "2026-12-02", "--format", "json")
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.stdout)["inspection"] == []
    near = check(data, "2026-12-02", "--grace", "11", "--format", "json")  # the homepage trips 12-13
    assert near.exit_code == 1, near.output
    vetoes = json.loads(near.stdout)["inspection"]
    assert [(v["code"], v["trips_on"], v["days_left"], v["tripped"]) for v in vetoes] == [
        ("homepage", "2026-12-13", 11, False)]
    assert json.loads(near.stdout)["summary"]["failed"] == 1
    assert check(data, "2026-12-02", "--grace", "10").exit_code == 0, "12-13 is 11 days away"


def test_check_inspect_fails_on_a_tripped_veto_in_every_format(data: Path) -> None:
    fresh(data)
    for fmt, mark in (("text", "失败 抽查 单项否决 首页 2 周无更新"), ("github", "::error file="),
                      ("junit", 'type="inspection"'), ("gitlab", "zwgk-inspect-homepage")):
        result = check(data, "2026-12-20", "--format", fmt)
        assert result.exit_code == 1, result.output
        assert mark in result.stdout, (fmt, result.stdout)


def test_check_without_inspect_ignores_the_spot_check(data: Path) -> None:
    fresh(data)
    result = run_cli("check", "--data", str(data), "--as-of", "2026-12-20", "--format", "json")
    assert json.loads(result.stdout)["inspection"] == []


def test_the_homepage_rule_judges_what_the_homepage_scan_showed(data: Path) -> None:
    fresh(data)  # the newest column evidence is 11-28: standing in for the homepage, no veto yet
    assert inspect(data, "2026-12-02", "--json").exit_code == 0
    journal = data / "journal" / "2026.jsonl"
    with journal.open("a", encoding="utf-8") as handle:  # what `zwgk scan` wrote of the homepage
        handle.write('{"id": "20261101-090000-0000h001", "type": "observed", "item": "H00", '
                     '"date": "2026-11-01", "url": "https://example.gov.cn/yw/1.html", "title": "要闻", '
                     '"at": "2026-11-01T09:00:00+08:00"}\n')
    result = inspect(data, "2026-12-02", "--json")
    assert result.exit_code == 1, result.output
    home = next(i for i in json.loads(result.stdout)["indicators"] if i["code"] == "homepage")
    assert home["tripped"] and home["trips_on"] == "2026-12-02"  # tripped already: the check date
    assert "首页巡检所见最新发布 2026-11-01" in home["basis"]
    validated = run_cli("validate", "--data", str(data))
    assert "journal-unknown-item" not in validated.output, "the homepage's lines are not unknown items"


def test_a_veto_in_the_job_summary_is_a_failure_not_a_data_error(data: Path, tmp_path: Path) -> None:
    fresh(data)
    summary = tmp_path / "summary.md"
    result = run_cli("check", "--data", str(data), "--as-of", "2026-12-20", "--inspect", "--format", "github",
                     env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    header, _rule, counts = summary.read_text(encoding="utf-8").splitlines()[2:5]
    assert header == "| 通过 | 失败 | 提醒 | 跳过 | 数据错误 |"
    failed, errors = counts.strip("|").split("|")[1], counts.strip("|").split("|")[4]
    assert int(errors) == 0 and int(failed) >= 1, counts
