"""`zwgk report`: the weekly report's facts (zwgk/weekly.py) and every format that shows them.

Golden files for md and json (regenerate with ZWGK_UPDATE_GOLDEN=1 after a deliberate change),
read-back for csv and xlsx, hostile text in every format, and the rule that the report's
headline numbers are `zwgk status --json`'s.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import MINI, run_cli
from typer.testing import CliRunner

from zwgk.cli.app import app
from zwgk.dates.weeks import parse_week, report_period, week_of
from zwgk.load import load_dataset
from zwgk.rules.engine import Status, evaluate
from zwgk.summary.weekly import build_weekly

AS_OF = "2026-11-26"  # a Thursday in 2026-W48 (Mon 11-23 … Sun 11-29)
GOLDEN = Path(__file__).parents[1] / "golden"

# Fixed ids and stamps, so the output is the same on every run.
JOURNAL = [
    {"id": "20261020-090000-00000001", "type": "record", "item": "C01", "date": "2026-10-20",
     "by": "李四", "url": "https://example.gov.cn/c01", "at": "2026-10-20T09:00:00+08:00"},
    {"id": "20261120-100000-00000002", "type": "event", "item": "C03", "date": "2026-11-20",
     "title": "某化工厂火灾", "at": "2026-11-20T10:00:00+08:00"},
    {"id": "20261120-150000-00000003", "type": "record", "item": "C03", "date": "2026-11-20",
     "by": "王五", "url": "https://example.gov.cn/kuaixun/1", "event": "20261120-100000-00000002",
     "at": "2026-11-20T15:00:00+08:00"},
    {"id": "20261124-083000-00000004", "type": "event", "item": "C03", "date": "2026-11-24",
     "title": "某矿透水", "dept": "政策法规处", "at": "2026-11-24T08:30:00+08:00"},
    {"id": "20261124-110000-00000005", "type": "record", "item": "C02", "date": "2026-11-24",
     "by": "张三", "url": "https://example.gov.cn/c02", "note": "更新媒体关注", "at": "2026-11-24T11:00:00+08:00"},
    {"id": "20261125-160000-00000006", "type": "record", "item": "T01", "date": "2026-11-25",
     "by": "赵六", "url": "https://example.gov.cn/t01", "at": "2026-11-25T16:00:00+08:00"},
    {"id": "20261126-090000-00000007", "type": "record", "item": "T04", "date": "2026-11-26",
     "note": "持续推进", "at": "2026-11-26T09:00:00+08:00"},
    # After as-of: invisible to a report made on 11-26, even though 11-27 is in the week.
    {"id": "20261127-090000-00000008", "type": "record", "item": "C04", "date": "2026-11-27",
     "by": "未来", "at": "2026-11-27T09:00:00+08:00"},
]


def write_journal(data: Path, entries: list[dict[str, object]]) -> None:
    folder = data / "journal"
    folder.mkdir(exist_ok=True)
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    with open(folder / "2026.jsonl", "a", encoding="utf-8") as handle:
        handle.write(lines)


@pytest.fixture
def weekly_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini dataset at ./data (cwd = tmp_path, so paths print as data/…) with a journal."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    write_journal(data, JOURNAL)
    monkeypatch.chdir(tmp_path)
    return data


def report(*args: str) -> str:
    result = run_cli("report", "--data", "data", "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def status_counts(as_of: str = AS_OF) -> dict[str, int]:
    result = run_cli("status", "--json", "--data", "data", "--as-of", as_of)
    return json.loads(result.stdout)["counts"]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ZWGK_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} missing: run with ZWGK_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


# --- golden files ------------------------------------------------------------------------------------


def test_markdown_matches_its_golden_file(weekly_data: Path) -> None:
    check_golden("weekly-mini.md", report("--format", "md"))


def test_json_matches_its_golden_file(weekly_data: Path) -> None:
    check_golden("weekly-mini.json", report("--format", "json"))


# --- the facts -----------------------------------------------------------------------------------------


def build(data: Path, as_of: str = AS_OF, dept: str | None = None, start: str = "2026-11-23",
          end: str = "2026-11-29"):  # type: ignore[no-untyped-def]
    loaded = load_dataset(data)
    assert loaded.dataset is not None
    return build_weekly(loaded.dataset, evaluate(loaded.dataset, date.fromisoformat(as_of)), date.fromisoformat(start),
                        date.fromisoformat(end), dept, loaded.diagnostics)


def test_headline_counts_are_status_json_counts(weekly_data: Path) -> None:
    doc = json.loads(report("--format", "json"))
    assert doc["counts"] == status_counts()
    assert doc["total"] == sum(status_counts().values())


def test_newly_and_still_overdue_split_the_overdue_count(weekly_data: Path) -> None:
    built = build(weekly_data)
    assert [h.status.item.id for h in built.newly_overdue] == ["20261124-083000-00000004"]
    assert [h.status.item.id for h in built.still_overdue] == ["C04", "T03"]  # oldest due first
    assert len(built.newly_overdue) + len(built.still_overdue) == built.count(Status.OVERDUE)
    assert built.still_overdue[0].status.days_overdue == 240


def test_an_item_due_the_day_before_the_week_became_overdue_in_it(weekly_data: Path) -> None:
    # T03 is due 10-31: its first overdue day, 11-01, is in a period starting 11-01 …
    built = build(weekly_data, start="2026-11-01", end="2026-11-07")
    assert "T03" in [h.status.item.id for h in built.newly_overdue]
    # … but not in one starting 11-02.
    built = build(weekly_data, start="2026-11-02", end="2026-11-08")
    assert "T03" not in [h.status.item.id for h in built.newly_overdue]


def test_activity_is_the_journal_of_the_period_up_to_as_of(weekly_data: Path) -> None:
    built = build(weekly_data)
    assert [a.entry.id[-1] for a in built.activity] == ["4", "5", "6", "7"]  # not 8: after as-of
    assert built.activity_end == date(2026, 11, 26)
    later = build(weekly_data, as_of="2026-11-30")
    assert [a.entry.id[-1] for a in later.activity] == ["4", "5", "6", "7", "8"]


def test_department_rows_agree_with_status_and_count_the_weeks_records(weekly_data: Path) -> None:
    built = build(weekly_data)
    doc = json.loads(run_cli("status", "--json", "--data", "data", "--as-of", AS_OF).stdout)
    dashboard = {d["name"]: d["counts"] for d in doc["departments"]}
    for line in built.departments:
        assert line.overdue == dashboard[line.name]["overdue"]
        assert line.due_soon == dashboard[line.name]["due_soon"]
    done = {line.name: line.done_in_period for line in built.departments}
    # C02 (政策法规处 leads, 值班室 of 办公室 cooperates), T01 (规划科技处 leads; 各处室、单位), T04 (办公室)
    assert done == {"办公室": 3, "政策法规处": 2, "规划科技处": 1}


def test_column_refresh_states_in_their_own_cycles(weekly_data: Path) -> None:
    columns = {c.status.item.id: c for c in build(weekly_data).columns}
    assert set(columns) == {"C01", "C02", "C04"}  # C03 is event-triggered: not a refresh cycle
    assert (columns["C01"].period.key, columns["C01"].state) == ("2026-H2", "met")
    assert (columns["C02"].period.key, columns["C02"].state) == ("2026-11", "met")
    assert (columns["C04"].period.key, columns["C04"].state) == ("2026-Q4", "not_yet")
    assert [p.key for p in columns["C04"].missed] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert len(columns["C02"].missed) == 10  # January … October
    grid = columns["C04"].months
    assert [m.month for m in grid][:2] == ["2025-12", "2026-01"] and grid[-1].month == "2026-11"
    assert [m.state for m in grid] == ["untracked"] + ["missed"] * 9 + ["not_yet"] * 2


def test_missed_periods_are_limited_to_the_last_twelve_months(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    built = build(data, as_of="2028-03-15", start="2028-03-13", end="2028-03-19")
    c02 = next(c for c in built.columns if c.status.item.id == "C02")
    assert c02.missed[0].key == "2027-04"  # 2027-04 … 2028-02
    assert len(c02.missed) == 11
    assert len(c02.status.missed) > 11  # the rules still know them all


def test_gaps_come_from_the_diagnostics_passed_in(weekly_data: Path) -> None:
    gaps = build(weekly_data).gaps
    assert [(g.code, g.item) for g in gaps] == [("gap-no-owner", "T05"), ("gap-unspecified", "T05")]
    assert gaps[0].where.startswith("data/tasks.yaml:")


def test_a_department_sees_only_what_it_holds(weekly_data: Path) -> None:
    built = build(weekly_data, dept="规划科技处")
    held = {line.status.item.id for line in built.items}
    assert "T03" in held  # through 各处室
    assert "C02" not in held
    assert built.total == len(built.items)
    assert [d.name for d in built.departments] == ["规划科技处"]
    assert all(h.holding is not None for h in built.still_overdue)
    doc = json.loads(report("--format", "json", "--dept", "规划科技处"))
    assert doc["dept"] == "规划科技处"
    assert doc["counts"]["overdue"] == len(doc["newly_overdue"]) + len(doc["still_overdue"])


def test_the_trend_is_this_week_against_the_four_before_each_as_status_saw_it(weekly_data: Path) -> None:
    built = build(weekly_data)
    assert [(p.key, p.day.isoformat(), p.current) for p in built.trend] == [
        ("2026-W44", "2026-11-01", False), ("2026-W45", "2026-11-08", False),
        ("2026-W46", "2026-11-15", False), ("2026-W47", "2026-11-22", False), ("2026-W48", AS_OF, True)]
    for point in built.trend:  # each week-end's count is what `zwgk status` said that day
        assert point.overdue == status_counts(point.day.isoformat())["overdue"], point
    assert built.trend[-1].overdue == built.count(Status.OVERDUE)


def test_a_departments_trend_counts_what_it_held_overdue_then(weekly_data: Path) -> None:
    built = build(weekly_data, dept="规划科技处")
    for point in built.trend:
        result = run_cli("overdue", "--json", "--data", "data", "--dept", "规划科技处",
                         "--as-of", point.day.isoformat())
        assert point.overdue == len(json.loads(result.stdout)["items"]), point
    assert built.trend[-1].overdue == built.count(Status.OVERDUE)


def test_department_lines_list_the_overdue_items_each_leads(weekly_data: Path) -> None:
    built = build(weekly_data)
    overdue_ids = {h.status.item.ref for h in (*built.newly_overdue, *built.still_overdue)}
    for line in built.departments:
        assert len(line.lead_overdue_items) == line.lead_overdue, line
        assert set(line.lead_overdue_items) <= overdue_ids
    for line in build(weekly_data, dept="规划科技处").departments:
        assert len(line.lead_overdue_items) == line.lead_overdue


def test_a_group_can_be_the_department(weekly_data: Path) -> None:
    built = build(weekly_data, dept="各处室")
    assert [d.name for d in built.departments] == ["各处室"]


def test_upcoming_is_views_upcoming_within_14_days(weekly_data: Path) -> None:
    tasks = weekly_data / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8") + (
        "  - id: T06\n    source: body\n    title: 近期任务\n    text: 月初前完成。\n"
        "    lead: [办公室]\n    deadline: 2026年12月5日前\n    rule: {kind: deadline, due: 2026-12-05}\n"),
        encoding="utf-8")
    doc = json.loads(report("--format", "json"))
    expected = json.loads(run_cli("upcoming", "--within", "14d", "--json", "--data", "data",
                                  "--as-of", AS_OF).stdout)["items"]
    assert doc["upcoming"] == expected
    assert [(i["id"], i["days_left"]) for i in doc["upcoming"]] == [("T06", 9)]
    assert "| 2026-12-05 | 9 | T06 | 任务 | 近期任务 | 即将到期 | 办公室 |" in report("--format", "md")


# --- periods and options ------------------------------------------------------------------------------


def test_periods() -> None:
    assert week_of(date(2026, 11, 29)).key == "2026-W48"  # a Sunday belongs to the week before it
    assert week_of(date(2026, 11, 30)).start == date(2026, 11, 30)
    assert parse_week("2026-W48") == week_of(date(2026, 11, 23))
    assert parse_week("2026w1").start == date(2025, 12, 29)  # ISO week 1 can start in December
    for bad in ("2026-48", "2026-W54", "W48", "2026-W"):
        with pytest.raises(ValueError):  # noqa: PT011 (the CLI turns any ValueError into one message)
            parse_week(bad)
    assert report_period(date(2026, 11, 1), date(2026, 11, 30)).key == "2026-11-01_2026-11-30"
    with pytest.raises(ValueError, match="<"):
        report_period(date(2026, 11, 2), date(2026, 11, 1))


def test_week_and_range_options(weekly_data: Path) -> None:
    assert json.loads(report("--format", "json", "--week", "2026-W47"))["period"]["start"] == "2026-11-16"
    doc = json.loads(report("--format", "json", "--from", "2026-11-01", "--to", "2026-11-30"))
    assert doc["period"]["key"] == "2026-11-01_2026-11-30"
    assert len(doc["activity"]) == 6  # the 11-27 record is after as-of
    for args, message in [(("--week", "2026-48"), "--week"), (("--week", "2026-W48", "--from", "2026-11-01"),
                          "--week"), (("--from", "2026-11-01"), "--to"),
                          (("--from", "2026-11-30", "--to", "2026-11-01"), "早于"),
                          (("--format", "pdf"), "--format"), (("--dept", "[red]x[/red]"), "[red]x[/red]")]:
        result = run_cli("report", "--data", "data", "--as-of", AS_OF, *args)
        assert result.exit_code == 2, args
        assert message in result.output  # Rich markup in the input is quoted literally


# --- output files -------------------------------------------------------------------------------------


def test_files_get_a_default_name_and_text_goes_to_stdout(weekly_data: Path) -> None:
    for fmt in ("html", "csv", "xlsx"):
        result = run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert Path(f"zwgk-周报-2026-W48.{fmt}").stat().st_size > 500
    assert not list(Path().glob("*.md")) and report("--format", "md").startswith("# 测试局")
    result = run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "xlsx", "--dept", "法规处")
    assert Path("zwgk-周报-2026-W48-政策法规处.xlsx").exists(), result.output
    result = run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "md", "-o", "out/w.md")
    assert result.exit_code == 2 and not Path("out").exists()  # no folder: a clear error, no file
    assert run_cli("report", "--data", "data", "--as-of", AS_OF, "-o", "w.md").exit_code == 0
    assert Path("w.md").read_text(encoding="utf-8") == report("--format", "md")


def test_a_failed_render_leaves_no_file(weekly_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk.report import html

    def broken(_report: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(html, "render", broken)
    outcome = CliRunner().invoke(app, ["report", "--data", "data", "--as-of", AS_OF, "--format", "html",
                                       "-o", "w.html"])
    assert outcome.exit_code == 3, "zwgk's own failure: exit 3, never 1 (findings)"
    assert "内部错误" in outcome.output and "RuntimeError: renderer failed" in outcome.output
    assert "Traceback" not in outcome.output
    assert not Path("w.html").exists() and not list(Path().glob(".*tmp"))


def test_every_format_choice_is_wired(weekly_data: Path) -> None:
    from zwgk.report.registry import formats_of

    assert set(formats_of("report")) == {"md", "html", "xlsx", "csv", "json"}
    for fmt in formats_of("report"):
        result = run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", fmt, "-o", f"r.{fmt}")
        assert result.exit_code == 0, (fmt, result.output)
        assert Path(f"r.{fmt}").stat().st_size > 200


# --- html (static; the browser test renders it) ---------------------------------------------------------


def test_html_headline_numbers_are_status_json_counts(weekly_data: Path) -> None:
    assert run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "html", "-o", "r.html").exit_code == 0
    page = Path("r.html").read_text(encoding="utf-8")
    shown = dict(re.findall(r'data-status="(\w+)" data-count="(\d+)"', page))
    counts = status_counts()
    assert {k: int(v) for k, v in shown.items() if k != "total"} == counts
    assert int(shown["total"]) == sum(counts.values())
    assert_self_contained(page)


def assert_self_contained(page: str) -> None:
    """Nothing the page would fetch: no src, no link/href to anywhere, no CSS import or url()."""
    assert not re.search(r"<(script|link|img|iframe|object|embed|base)\b", page, re.I)
    assert not re.search(r"\b(src|href|srcset|xlink:href|action|formaction)\s*=", page, re.I)
    assert not re.search(r"@import|url\s*\(", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert '@page { size: A4' in page and "@media print" in page and '"PingFang SC"' in page


# --- csv and xlsx read back -----------------------------------------------------------------------------


def test_csv_is_one_bom_table_of_every_item(weekly_data: Path) -> None:
    run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "csv", "-o", "r.csv")
    raw = Path("r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == sum(status_counts().values())
    t03 = next(r for r in rows if r["编号"] == "T03")
    assert (t03["状态"], t03["状态代码"], t03["应完成"], t03["逾期天数"], t03["牵头"]) == (
        "逾期", "overdue", "2026-10-31", "26", "办公室")
    assert next(r for r in rows if r["编号"] == "C02")["本期完成/更新次数"] == "1"


def test_xlsx_reads_back_with_sheets_frozen_headers_dates_and_widths(weekly_data: Path) -> None:
    from openpyxl import load_workbook

    run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "xlsx", "-o", "r.xlsx")
    book = load_workbook("r.xlsx")
    assert book.sheetnames == ["概况", "本期新增逾期", "仍逾期", "两周内到期", "本期完成与更新", "各处室",
                               "栏目更新", "未按期周期", "源文缺漏", "全部事项"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.b
    still = book["仍逾期"]
    assert [c.value for c in still[1]][:6] == ["序号", "编号", "类型", "事项", "应完成", "逾期天数"]
    assert still["A2"].value == 1 and still["A3"].value == 2
    due = still["E2"]
    assert isinstance(due.value, datetime) and due.value.date() == date(2026, 3, 31)
    assert due.number_format == "yyyy-mm-dd"
    assert still["F2"].value == 240 and still["F2"].fill.fgColor.rgb.endswith("FFC7CE")
    summary = {row[1].value: row[2].value for row in book["概况"].iter_rows(min_row=2)}
    assert summary["逾期"] == status_counts()["overdue"] and summary["截至"].date() == date(2026, 11, 26)
    # widths fit Chinese text: a CJK character counts as two
    assert book["仍逾期"].column_dimensions["D"].width >= 2 * len("回应关切/媒体关注") - 2
    every = {row[1].value: row[1:] for row in book["全部事项"].iter_rows(min_row=2)}
    assert every["T03"][9].value.date() == date(2026, 10, 31) and every["T03"][9].number_format == "yyyy-mm-dd"
    assert every["T03"][7].value == "逾期" and every["T03"][7].fill.fgColor.rgb.endswith("FFC7CE")
    states = {row[1].value: row[7] for row in book["栏目更新"].iter_rows(min_row=2)}
    assert states["C01"].value == "已更新" and states["C01"].fill.fgColor.rgb.endswith("C6EFCE")


# --- hostile text in every format ------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
MARKUP = "[red]x[/red]"
RTL = "abc\u202edef"
CONTROL = "a\x07b\x00c\x1b[2Jd\re\x0bf\u2028g"
LONG = "长" * 10_000
EVIL_OWNER = "@SUM(1+1)*cmd|' /C calc'!A0"


def yq(text: str) -> str:
    """A YAML double-quoted scalar holding any text."""
    escaped = "".join(ch if " " <= ch <= "~" and ch not in '"\\' else
                      ("\\" + ch if ch in '"\\' else f"\\u{ord(ch):04x}") for ch in text)
    return f'"{escaped}"'


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def hostile(weekly_data: Path) -> Path:
    tasks = weekly_data / "tasks.yaml"
    replace_once(tasks, "title: 一次性任务", f"title: {yq(FORMULA)}")
    replace_once(tasks, "title: 年度自查", f"title: {yq(SCRIPT + MARKUP)}")
    replace_once(tasks, "title: 长期坚持", f"title: {yq(LONG)}")
    replace_once(tasks, "title: 先完成后坚持", f"title: {yq(RTL + CONTROL)}")
    replace_once(tasks, "deadline: 每年11月前", f"deadline: {yq('-1+每年11月前' + SCRIPT)}")
    replace_once(tasks, "lead: [规划科技处]", f"lead: [{yq(EVIL_OWNER)}]")
    owners = weekly_data / "owners.yaml"
    replace_once(owners, "  - name: 局主要负责人\n", f"  - name: {yq(EVIL_OWNER)}\n    kind: department\n"
                 "  - name: 局主要负责人\n")
    replace_once(weekly_data / "settings.yaml", "unit: 测试局", f"unit: {yq('<b>局</b>' + RTL)}")
    write_journal(weekly_data, [
        {"id": "20261123-090000-0000000a", "type": "record", "item": "T04", "date": "2026-11-23",
         "by": f"=cmd|' /C calc'!A0{MARKUP}", "url": "javascript:alert(1)//" + SCRIPT,
         "note": CONTROL + RTL + "\t+tab", "at": "2026-11-23T09:00:00+08:00"}])
    return weekly_data


def no_invisible(text: str, allowed: str = "\n") -> None:
    odd = {f"U+{ord(ch):04X}" for ch in text
           if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")}
    assert not odd, odd


def test_hostile_markdown_is_escaped_and_inert(hostile: Path) -> None:
    text = report("--format", "md")
    no_invisible(text)
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\[red\\]x\\[/red\\]" in text  # rendered Markdown shows [red]x[/red]
    assert "<b>" not in text
    assert "abc\ufffddef" in text
    assert LONG in text  # nothing cut
    for line in text.splitlines():
        if line.startswith("| "):  # every row keeps its column count: no '|' got through
            assert len(re.findall(r"(?<!\\)\|", line)) in {8, 9, 11, 7, 10, 6, 5}, line


def test_hostile_json_round_trips(hostile: Path) -> None:
    raw = report("--format", "json")
    assert "\x1b" not in raw and "\x00" not in raw
    doc = json.loads(raw)
    titles = {i["id"]: i["title"] for i in doc["items"]}
    assert (titles["T01"], titles["T03"], titles["T04"]) == (FORMULA, SCRIPT + MARKUP, LONG)
    assert doc["unit"] == "<b>局</b>" + RTL
    assert doc["activity"][0]["note"] == CONTROL + RTL + "\t+tab"


def test_hostile_csv_is_neutralised(hostile: Path) -> None:
    run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "csv", "-o", "r.csv")
    text = Path("r.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            no_invisible(cell)
    cells = {r[0]: r for r in rows}
    assert cells["T01"][2] == "'" + FORMULA
    assert cells["T01"][3] == "'" + EVIL_OWNER
    assert cells["T03"][5] == "'-1+每年11月前" + SCRIPT
    assert cells["T04"][2] == LONG


def test_hostile_xlsx_holds_text_never_formulas(hostile: Path) -> None:
    from openpyxl import load_workbook

    run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "xlsx", "-o", "r.xlsx")
    book = load_workbook("r.xlsx")
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
                    no_invisible(cell.value)
                    seen.add(cell.value)
    assert "'" + FORMULA in seen and "'" + EVIL_OWNER in seen and LONG in seen
    assert any(v.startswith("'=cmd") for v in seen)  # the journal's 登记人
    assert book["概况"]["C2"].value == "<b>局</b>abc\ufffddef"


def test_hostile_html_is_escaped(hostile: Path) -> None:
    run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "html", "-o", "r.html")
    page = Path("r.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page and "&lt;b&gt;局&lt;/b&gt;" in page
    assert "[red]x[/red]" in page  # no markup language here: the text as written
    assert "javascript:" in page and 'href' not in page  # the link is text, never a link
    no_invisible(page)
    assert LONG in page
    assert_self_contained(page)


# --- lazy imports ---------------------------------------------------------------------------------------

PROBE = """
import json, sys
from zwgk.cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
heavy = ["openpyxl", "jinja2", "icalendar"]
sys.stderr.write(json.dumps([m for m in heavy if m in sys.modules]))
"""


def imported_by(cwd: Path, *args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                            check=True, cwd=cwd)
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_only_the_chosen_renderer_pays_for_its_library(tmp_path: Path) -> None:
    common = ("--data", str(MINI), "--as-of", AS_OF)
    assert imported_by(tmp_path, "report", *common) == []
    assert imported_by(tmp_path, "report", "--format", "xlsx", *common) == ["openpyxl"]
    assert imported_by(tmp_path, "ics", *common) == ["icalendar"]
