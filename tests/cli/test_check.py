"""`zwgk check` (the CI gate) in every format, also on a repository fresh from `zwgk init`
(init itself: test_init.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import run_cli as run

from zwgk.report.registry import formats_of

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
AS_OF = "2026-11-26"


@pytest.fixture
def data(mini_data: Path) -> Path:
    return mini_data



def check(data: Path, *args: str):  # type: ignore[no-untyped-def]
    return run("check", "--data", str(data), "--as-of", AS_OF, *args)


def line_of(path: Path, item_id: str) -> int:
    """Where an item is defined: the line holding `- id: <item_id>`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"\s*- id: {item_id}\s*$", line):
            return number
    raise AssertionError(item_id)


class TestExitCodes:
    def test_overdue_items_fail_with_one(self, data: Path) -> None:
        result = check(data)
        assert result.exit_code == 1
        assert "失败 C01" in result.stdout
        assert re.search(r"^zwgk: \d+ passed, 5 failed, \d+ skipped", result.stdout, re.M)

    def test_nothing_due_passes_with_zero(self, data: Path) -> None:
        assert run("check", "--data", str(data), "--as-of", "2026-01-10").exit_code == 0

    def test_grace_tolerates_days_of_lateness(self, data: Path) -> None:
        # The youngest overdue item (T03, due 10-31) is 26 days late on 11-26; the oldest 299.
        assert check(data, "--grace", "298").exit_code == 1
        assert check(data, "--grace", "299").exit_code == 0

    def test_fail_on_due_soon(self, data: Path) -> None:
        assert run("check", "--data", str(data), "--as-of", "2026-01-20").exit_code == 0
        assert run("check", "--data", str(data), "--as-of", "2026-01-20",
                   "--fail-on", "due_soon").exit_code == 1

    def test_dept_limits_the_gate(self, data: Path) -> None:
        result = check(data, "--dept", "规划科技处", "--format", "json")
        ids = {r["id"] for r in json.loads(result.stdout)["results"]}
        assert "C04" in ids and "C02" not in ids

    def test_invalid_data_exits_two(self, data: Path) -> None:
        (data / "tasks.yaml").write_text("tasks: [", encoding="utf-8")
        result = check(data, "--format", "github")
        assert result.exit_code == 2
        assert re.search(r"^::error file=.*tasks\.yaml,line=2,col=1,title=zwgk yaml-syntax::",
                         result.stdout, re.M)


class TestFormats:
    def test_every_format_choice_is_wired(self, data: Path) -> None:
        for name in formats_of("check"):
            result = check(data, "--format", name)
            assert result.exit_code == 1 and result.stdout.strip(), name

    def test_github_annotations_point_at_the_items_yaml_line(self, data: Path) -> None:
        result = check(data, "--format", "github")
        found = re.findall(r"^::error file=([^,]+),line=(\d+),title=[^:]+::(C\d\d|T\d\d) ",
                           result.stdout, re.M)
        assert found
        for path, line, item_id in found:
            assert int(line) == line_of(Path(path), item_id)

    def test_gitlab_code_quality_has_stable_fingerprints(self, data: Path) -> None:
        first = json.loads(check(data, "--format", "gitlab").stdout)
        second = json.loads(check(data, "--format", "gitlab").stdout)
        assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
        assert len({i["fingerprint"] for i in first}) == len(first)
        for issue in first:
            assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
            assert issue["severity"] in {"critical", "minor"}
            assert issue["location"]["lines"]["begin"] >= 1

    def test_junit_is_one_testcase_per_item_and_a_failure_per_overdue(self, data: Path) -> None:
        root = ElementTree.fromstring(check(data, "--format", "junit").stdout.encode())
        suite = root.find("testsuite")
        assert suite is not None
        cases = suite.findall("testcase")
        failures = [c for c in cases if c.find("failure") is not None]
        assert int(suite.get("tests", "")) == len(cases) == 9
        assert int(suite.get("failures", "")) == len(failures) == 5
        assert int(suite.get("skipped", "")) == len([c for c in cases if c.find("skipped") is not None])
        assert {c.get("name", "").split()[0] for c in failures} == {"T01", "T03", "C01", "C02", "C04"}

    def test_json_summary_counts_add_up(self, data: Path) -> None:
        doc = json.loads(check(data, "--format", "json").stdout)
        summary = doc["summary"]
        assert summary["passed"] + summary["failed"] + summary["skipped"] == len(doc["results"])

    def test_a_title_cannot_forge_a_ci_line(self, data: Path) -> None:
        tasks = (data / "tasks.yaml").read_text(encoding="utf-8")
        (data / "tasks.yaml").write_text(
            tasks.replace("title: 一次性任务", 'title: "x\\n::error file=evil::pwned"'), encoding="utf-8")
        out = check(data, "--format", "github").stdout
        assert not re.search(r"^::error file=evil", out, re.M)


def test_an_init_repo_fails_on_an_overdue_item_and_passes_once_recorded(tmp_path: Path) -> None:
    """The issue's 'done when': a push with an overdue item fails with an annotation on the
    item's YAML line; recording the work makes the next run pass."""
    from datetime import timedelta

    from zwgk.cli.options import today

    repo = tmp_path / "office"
    assert run("init", str(repo), "--from-bundled", "--no-git").exit_code == 0
    data = repo / "data"
    settings = data / "settings.yaml"
    started = today() - timedelta(days=70)  # the office has been tracking for ten weeks
    settings.write_text(re.sub(r"(?m)^tracking_since: .*$", f"tracking_since: {started}",
                               settings.read_text(encoding="utf-8")), encoding="utf-8")

    failing = run("check", "--data", str(data), "--format", "github")
    assert failing.exit_code == 1
    annotations = re.findall(r"^::error file=([^,]+),line=(\d+),title=[^:]+::([TCB]\d\d) ",
                             failing.stdout, re.M)
    assert annotations
    for path, line, item_id in annotations:
        assert int(line) == line_of(Path(path), item_id)

    overdue_ids = {r["id"] for r in json.loads(run("check", "--data", str(data), "--format",
                                                   "json").stdout)["results"]
                   if r["verdict"] == "fail"}
    # At most 10 error annotations (GitHub shows no more per step); the rest are log lines.
    logged = re.findall(r"^([^:\s]+):(\d+): 失败 [^:]+:([TCB]\d\d) ", failing.stdout, re.M)
    assert len(re.findall(r"^::error ", failing.stdout, re.M)) == min(10, len(overdue_ids))
    assert overdue_ids == {item_id for _, _, item_id in annotations + logged}
    for path, line, item_id in logged:
        assert int(line) == line_of(Path(path), item_id)
    for item_id in sorted(overdue_ids):
        assert run("record", item_id, "--data", str(data), "--by", "测试").exit_code == 0
    assert run("check", "--data", str(data)).exit_code == 0


def test_an_overdue_obligation_points_at_the_journal_line_of_its_event(
        data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The evidence for an obligation is the line its event was recorded on; a snapshot knows
    it without reading the journal again (the CI gate on a ten-year journal)."""
    journal = data / "journal"
    journal.mkdir()
    lines = [{"id": "r1", "type": "record", "item": "C01", "date": "2026-11-02"},
             {"id": "e1", "type": "event", "item": "C03", "date": "2026-11-02", "title": "某矿事故"}]
    (journal / "2026.jsonl").write_text("".join(
        json.dumps({**line, "at": "2026-11-02T09:00:00+08:00"}, ensure_ascii=False) + "\n"
        for line in lines), encoding="utf-8")
    first = check(data, "--format", "github")
    assert re.search(r"^::error file=[^,]*2026\.jsonl,line=2,.*e1", first.stdout, re.M), first.stdout

    import zwgk.load
    import zwgk.load.journal
    from zwgk.store import cache

    assert list(cache.folder_for(data).glob("snapshot-*.marshal")), "the first run kept a snapshot"

    def no_journal(*args: object) -> None:
        raise AssertionError("the snapshot should answer without the journal")

    monkeypatch.setattr(zwgk.load, "load_journal", no_journal)
    monkeypatch.setattr(zwgk.load.journal, "load_journal", no_journal)
    assert check(data, "--format", "github").stdout == first.stdout
