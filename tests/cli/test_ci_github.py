"""`zwgk check` on GitHub and in JUnit: annotations within GitHub's 10-per-step limit with none
dropped, the Markdown job summary appended to $GITHUB_STEP_SUMMARY with a link per item, and
JUnit suites named after their unit (one per unit in a workspace)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import run_cli as run

PROVINCE = Path(__file__).parents[1] / "fixtures" / "province"
AS_OF = "2026-11-26"
OVERDUE, DUE_SOON = 15, 12
GITHUB = {"GITHUB_SERVER_URL": "https://github.example.gov.cn", "GITHUB_REPOSITORY": "office/zwgk-data",
          "GITHUB_SHA": "0123456789abcdef"}


@pytest.fixture
def data(mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini unit with 15 more overdue tasks and 12 due within two weeks; cwd is its parent,
    so paths print as data/… (as in a checkout)."""
    monkeypatch.chdir(mini_data.parent)
    lines = []
    for number in range(OVERDUE + DUE_SOON):
        due = f"2026-{2 + number % 9:02d}-{1 + number:02d}" if number < OVERDUE else f"2026-12-{number - OVERDUE + 1:02d}"
        lines += [f"  - id: T{50 + number}", "    source: annex1", f"    title: 任务{number}", "    text: 做。",
                  "    lead: [办公室]", f"    deadline: 到 {due}", f"    rule: {{kind: deadline, due: {due}}}"]
    with open(mini_data / "tasks.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return Path("data")


def check(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run("check", "--data", "data", "--as-of", AS_OF, "--warn-days", "30", *args, env=env)


def verdicts(verdict: str) -> set[str]:
    doc = json.loads(check("--format", "json").stdout)
    return {r["id"] for r in doc["results"] if r["verdict"] == verdict}


def line_of(path: str, item_id: str) -> int:
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"\s*- id: {item_id}\s*$", line):
            return number
    raise AssertionError(item_id)


def test_annotations_keep_to_ten_per_kind_and_the_rest_are_logged(data: Path) -> None:
    result = check("--format", "github")
    assert result.exit_code == 1
    out = result.stdout
    failed, warned = verdicts("fail"), verdicts("warn")
    assert len(failed) > 10 and len(warned) > 10
    for command, ids, noun in (("error", failed, "失败"), ("warning", warned, "提醒")):
        annotations = re.findall(rf"^::{command} (.*)$", out, re.M)
        assert len(annotations) == 10, command
        assert f"另有 {len(ids) - 9} 项{noun}" in annotations[-1]  # the tenth says how many more
        annotated = set(re.findall(r"title=[^:]+ ([TC]\d\d)::", "\n".join(annotations)))
        logged = set(re.findall(rf"^data/\S+:\d+: {noun} \S+ ([TC]\d\d):", out, re.M))
        assert len(annotated) == 9 and not annotated & logged
        assert annotated | logged == ids  # none dropped
    # the most important are annotated: the longest overdue, the nearest due
    errors = re.findall(r"^::error .*逾期 (\d+) 天", out, re.M)
    logged_days = re.findall(r"^data/\S+:\d+: 失败 .*逾期 (\d+) 天", out, re.M)
    assert min(map(int, errors)) >= max(map(int, logged_days))
    assert re.match(rf"zwgk: \d+ passed, {len(failed)} failed", out.rstrip().splitlines()[-1])


def test_the_job_summary_is_appended_with_counts_and_a_link_per_item(data: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("# 上一步写的\n", encoding="utf-8")
    result = check("--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary), **GITHUB})
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# 上一步写的\n## zwgk check — 测试局:截至 2026-11-26")  # appended
    failed, warned = verdicts("fail"), verdicts("warn")
    passed = json.loads(check("--format", "json").stdout)["summary"]["passed"]
    assert f"| {passed} | {len(failed)} | {len(warned)} | 3 | 0 |" in text
    assert f"### 失败({len(failed)})" in text and f"### 提醒({len(warned)})" in text
    blob = "https://github.example.gov.cn/office/zwgk-data/blob/0123456789abcdef/"
    rows = re.findall(r"^\| (?:逾期|即将到期) ([TC]\d\d) \|.*\[(data/[^:\]]+):(\d+)\]\((\S+)\) \|$", text, re.M)
    assert {item for item, *_ in rows} == failed | warned  # every item, each with its link
    for item, path, line, url in rows:
        assert int(line) == line_of(path, item)
        assert url == f"{blob}{path}#L{line}"


def test_without_the_repository_the_summary_gives_plain_paths(data: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    assert check("--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}).exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert "](" not in text and re.search(r"\| data/tasks\.yaml:\d+ \|$", text, re.M)


def test_no_summary_for_other_formats_or_without_the_variable(data: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    for fmt in ("text", "junit", "json", "gitlab"):
        check("--format", fmt, env={"GITHUB_STEP_SUMMARY": str(summary), **GITHUB})
    assert not summary.exists()
    assert check("--format", "github", env={"GITHUB_STEP_SUMMARY": ""}).exit_code == 1
    assert not summary.exists()


def test_an_unwritable_summary_is_noted_and_the_gate_still_decides(data: Path, tmp_path: Path) -> None:
    result = check("--format", "github", env={"GITHUB_STEP_SUMMARY": str(tmp_path)})  # a folder
    assert result.exit_code == 1
    assert "作业摘要" in result.output


def test_a_huge_summary_is_cut_with_a_count_not_silently(data: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zwgk.report.ci.SUMMARY_LIMIT", 1500)
    summary = tmp_path / "step-summary.md"
    check("--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert re.search(r"另有 \d+ 项,见日志和 JUnit 报告", text)


def test_a_clean_run_summarises_that_nothing_is_due(data: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    result = run("check", "--data", "data", "--as-of", "2026-01-02", "--format", "github",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0
    assert "没有逾期或需提醒的事项" in summary.read_text(encoding="utf-8")


def test_junit_suite_is_the_units_name_and_stays_the_same_from_day_to_day(data: Path) -> None:
    names = []
    for day in ("2026-11-26", "2026-11-27"):
        root = ElementTree.fromstring(run("check", "--data", "data", "--as-of", day, "--format", "junit")
                                      .stdout.encode())
        names.append([s.get("name") for s in root.findall("testsuite")])
    assert names == [["测试局"], ["测试局"]]


def test_junit_has_one_suite_per_unit_in_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PROVINCE, tmp_path / "province")
    monkeypatch.chdir(tmp_path)
    result = run("check", "--workspace", "province/zwgk.yaml", "--as-of", AS_OF, "--format", "junit")
    root = ElementTree.fromstring(result.stdout.encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["省局", "合肥", "芜湖"]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases) > 0
        assert int(suite.get("failures", "")) == sum(c.find("failure") is not None for c in cases)
        if suite.get("name") != "省局":
            assert all(c.get("name", "").startswith(f"{suite.get('name')}/") for c in cases)
    assert int(root.get("tests", "")) == sum(int(s.get("tests", "")) for s in suites)
