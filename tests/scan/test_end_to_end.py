"""`zwgk scan` end to end against the local test site: the journal fills with what each column
shows, status and check judge by it, a second scan appends nothing, a backdated article between
two scans is a finding, corrections work on observations, show/log mark 巡检 and 登记."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_cli, tree_bytes
from sitedata import *  # noqa: F403 (the site fixtures)

from zwgk.bench.website import Website, backdate

SCAN = ("scan", "--timeout", "0.5", "--delay", "0")


def lines(data: Path) -> list[dict]:
    return [json.loads(line) for f in sorted((data / "journal").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def scan_json(data: Path, *extra: str):  # type: ignore[no-untyped-def]
    result = run_cli(*SCAN, "--data", str(data), "--json", *extra)
    return result, json.loads(result.stdout)


def test_scan_fills_the_journal_and_reports_each_column(scanned_data: Path, website: Website) -> None:
    result, answer = scan_json(scanned_data)
    assert result.exit_code == 1, result.output  # findings: 404, timeout, empty, undated, robots
    states = {c["id"]: c["state"] for c in answer["columns"]}
    assert states == {"C01": "ok", "C02": "ok", "C03": "ok", "C04": "ok", "C05": "ok", "C06": "unreachable",
                      "C07": "ok", "C08": "unreachable", "C09": "ok", "C10": "empty", "C11": "undated",
                      "C12": "unreachable", "H00": "ok"}  # H00: the homepage (site.yaml's home)
    by_id = {c["id"]: c for c in answer["columns"]}
    assert by_id["C01"]["entries"] == 3 and by_id["C01"]["pages"] == 2 and by_id["C01"]["newest"] == "2026-11-20"
    assert by_id["C04"]["newest"] == "2026-10-12"  # TRS dates, two pages
    assert by_id["C02"]["newest"] == "2026-11-25"  # GBK in <meta>
    assert by_id["C03"]["newest"] == "2026-11-28"  # GBK undeclared
    assert "HTTP 404" in by_id["C06"]["problems"][0]["message"]
    assert by_id["C10"]["problems"][0]["code"] == "empty"
    assert set(answer) >= {"as_of", "columns"}
    assert set(by_id["C01"]) >= {"id", "url", "state", "entries", "new", "newest", "problems"}
    written = lines(scanned_data)
    observed = [e for e in written if e["type"] == "observed"]
    assert len(observed) == sum(c["new"] for c in answer["columns"]) == 3 + 2 + 2 + 3 + 2 + 1 + 1 + 2
    assert {e["date"] for e in observed if e["item"] == "H00"} == {"2026-11-27", "2026-11-20"}
    assert by_id["H00"]["problems"] == [], "a homepage's older news is not backdating"
    assert {e["date"] for e in observed if e["item"] == "C01"} == {"2026-11-20", "2026-10-15", "2026-05-06"}
    probes = {e["item"]: e["state"] for e in written if e["type"] == "probe"}
    assert probes == {"C06": "unreachable", "C08": "unreachable", "C10": "empty", "C11": "undated",
                      "C12": "unreachable"}

    before = tree_bytes(scanned_data)
    again, second = scan_json(scanned_data)
    assert again.exit_code == 1
    assert tree_bytes(scanned_data) == before  # idempotent: nothing appended the second time
    assert all(c["new"] == 0 for c in second["columns"])


def test_status_and_check_judge_by_what_the_site_shows(scanned_data: Path, website: Website) -> None:
    def overdue() -> set[str]:
        result = run_cli("status", "--data", str(scanned_data), "--as-of", "2026-12-01", "--json")
        return {i["id"] for i in json.loads(result.stdout)["items"] if i["status"] == "overdue"}

    assert {"C01", "C02", "C03"} <= overdue()  # nothing recorded for November
    scan_json(scanned_data)
    now_overdue = overdue()
    assert not now_overdue & {"C01", "C02", "C03", "C07", "C09"}  # the site shows November articles
    assert {"C04", "C06", "C10", "C11"} <= now_overdue
    check = run_cli("check", "--data", str(scanned_data), "--as-of", "2026-12-01", "--json")
    verdicts = {r["id"]: r["verdict"] for r in json.loads(check.stdout)["results"]}
    assert verdicts["C04"] == "fail" and verdicts["C01"] == "pass"
    report = run_cli("report", "--data", str(scanned_data), "--as-of", "2026-12-01", "--from", "2026-11-01",
                     "--to", "2026-11-30", "--format", "json")
    activity = json.loads(report.stdout)["activity"]
    assert {a["item"] for a in activity if a["type"] == "observed"} >= {"C01", "C02", "C03", "C07", "C09"}


def test_a_backdated_article_between_two_scans(scanned_data: Path, website: Website) -> None:
    scan_json(scanned_data)
    backdate(website)
    result, answer = scan_json(scanned_data, "--column", "C01")
    assert result.exit_code == 1
    (c01,) = answer["columns"]
    assert c01["new"] == 1
    assert [p["code"] for p in c01["problems"]] == ["backdated"]
    assert "2026-08-01" in c01["problems"][0]["message"]


def test_dry_run_writes_nothing_and_text_output(scanned_data: Path, website: Website) -> None:
    before = tree_bytes(scanned_data)
    result = run_cli(*SCAN, "--data", str(scanned_data), "--dry-run", "--column", "C01", "--column", "C02")
    assert result.exit_code == 0, result.output
    assert tree_bytes(scanned_data) == before
    assert "试运行" in result.output and "C01" in result.output and "正常" in result.output


def test_each_finding_is_a_line_of_its_own_when_piped(scanned_data: Path, website: Website) -> None:
    result = run_cli(*SCAN, "--data", str(scanned_data), "--dry-run")
    findings = [line for line in result.stdout.splitlines() if re.match(r"C\d\d (无法访问|空白栏目|\d+ 篇)", line)]
    assert len(findings) >= 4, result.stdout
    assert all(line.count("无法访问") + line.count("空白栏目") <= 1 for line in findings)
    assert result.stdout.splitlines()[-1].startswith("试运行"), "the summary is its own last line"
    assert "原正常" not in result.stdout, "a first visit has no earlier state to have changed from"


def test_a_manual_record_not_on_the_page_and_corrections(scanned_data: Path, website: Website) -> None:
    run_cli("record", "C01", "--data", str(scanned_data), "--date", "2026-11-25", "--url",
            "https://example.gov.cn/not-there.html")
    _, answer = scan_json(scanned_data, "--column", "C01")
    assert [p["code"] for p in answer["columns"][0]["problems"]] == ["record-not-on-page"]
    log = run_cli("log", "C01", "--data", str(scanned_data))
    assert "巡检" in log.output and "登记" in log.output
    observed = next(e for e in lines(scanned_data) if e["type"] == "observed")
    voided = run_cli("void", observed["id"], "--reason", "不是本栏目的文章", "--data", str(scanned_data))
    assert voided.exit_code == 0, voided.output
    amended = [e for e in lines(scanned_data) if e["type"] == "observed"][1]
    fixed = run_cli("amend", amended["id"], "--date", "2026-10-16", "--reason", "页面日期有误",
                    "--data", str(scanned_data))
    assert fixed.exit_code == 0, fixed.output
    shown = json.loads(run_cli("log", "C01", "--data", str(scanned_data), "--json").stdout)["entries"]
    assert any(e["id"] == observed["id"] and e.get("voided_by") for e in shown) or \
        any(e.get("corrects") == observed["id"] for e in shown)
    scan_json(scanned_data, "--column", "C01")  # a voided observation is not written again
    assert len([e for e in lines(scanned_data) if e["type"] == "observed"]) == 3


def test_without_site_yaml_scan_says_so(mini_data: Path) -> None:
    result = run_cli("scan", "--data", str(mini_data))
    assert result.exit_code == 2
    assert "site.yaml" in result.output and "不存在" in result.output
