"""Every command through typer's CliRunner, text and JSON, on the small fixture dataset."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli as run

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
AS_OF = "2026-11-26"
ESCAPE = "\x1b["


@pytest.fixture
def data(mini_data: Path) -> Path:
    return mini_data



def as_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = run(*args, "--json")
    return json.loads(result.stdout)


class TestStatus:
    def test_json_has_the_documented_fields(self, data: Path) -> None:
        doc = as_json("status", "--data", str(data), "--as-of", AS_OF)
        assert doc["as_of"] == AS_OF
        keys = {"id", "kind", "title", "path", "lead", "responsible", "requirement", "due",
                "status", "last"}
        assert all(keys <= set(item) for item in doc["items"])
        by_id = {item["id"]: item for item in doc["items"]}
        assert by_id["C01"]["path"] == ["政策法规", "法律法规"]
        assert (by_id["C01"]["status"], by_id["C01"]["due"]) == ("overdue", "2026-06-30")
        assert by_id["T05"]["status"] == "unspecified"

    def test_record_then_status_gives_the_periods_due_dates(self, data: Path) -> None:
        assert run("record", "法律法规", "--date", "2026-11-10", "--data", str(data)).exit_code == 0
        doc = as_json("status", "--data", str(data), "--as-of", AS_OF)
        c01 = next(i for i in doc["items"] if i["id"] == "C01")
        assert (c01["status"], c01["due"], c01["last"]) == ("ok", "2026-12-31", "2026-11-10")
        assert c01["missed"] == ["2026-H1"]
        before = as_json("status", "--data", str(data), "--as-of", "2026-11-09")
        assert next(i for i in before["items"] if i["id"] == "C01")["status"] == "overdue"

    def test_text_dashboard_is_plain_when_piped(self, data: Path) -> None:
        result = run("status", "--data", str(data), "--as-of", AS_OF)
        assert result.exit_code == 0
        assert ESCAPE not in result.stdout
        assert "逾期" in result.stdout and "政策法规处" in result.stdout

    def test_no_color_is_respected(self, data: Path) -> None:
        result = run("status", "--data", str(data), "--as-of", AS_OF, env={"NO_COLOR": "1"})
        assert ESCAPE not in result.stdout

    def test_rich_markup_in_names_prints_literally(self, data: Path) -> None:
        tasks = (data / "tasks.yaml").read_text(encoding="utf-8")
        (data / "tasks.yaml").write_text(tasks.replace("title: 一次性任务", "title: '[bold red]x[/]'"),
                                         encoding="utf-8")
        result = run("overdue", "--data", str(data), "--as-of", AS_OF)
        assert "[bold red]x[/]" in result.stdout


class TestOverdue:
    def test_a_department_sees_what_it_holds_through_groups(self, data: Path) -> None:
        doc = as_json("overdue", "--dept", "法规处", "--data", str(data), "--as-of", AS_OF)
        assert doc["dept"] == "政策法规处"
        roles = {item["id"]: (item["role"], item["via"]) for item in doc["items"]}
        assert roles["C01"] == ("lead", None)
        assert roles["T01"] == ("responsible", "各处室、单位")  # held through a group
        assert "C04" not in roles  # 规划科技处's alone

    def test_oldest_first_and_exit_one_when_any(self, data: Path) -> None:
        result = run("overdue", "--data", str(data), "--as-of", AS_OF, "--json")
        dues = [item["due"] for item in json.loads(result.stdout)["items"]]
        assert dues == sorted(dues) and result.exit_code == 1

    def test_nothing_overdue_exits_zero(self, data: Path) -> None:
        assert run("overdue", "--data", str(data), "--as-of", "2026-01-15").exit_code == 0

    def test_unknown_department_is_an_error_with_a_suggestion(self, data: Path) -> None:
        result = run("overdue", "--dept", "政策法规", "--data", str(data))
        assert result.exit_code == 2 and "政策法规处" in result.output


class TestShowRecordLog:
    def test_show_by_column_path(self, data: Path) -> None:
        doc = as_json("show", "政策法规/法律法规", "--data", str(data), "--as-of", AS_OF)
        assert doc["item"]["id"] == "C01" and doc["item"]["next_due"] == "2026-12-31"

    def test_show_text_has_the_verbatim_requirement(self, data: Path) -> None:
        result = run("show", "T03", "--data", str(data), "--as-of", AS_OF)
        assert "每年11月前" in result.stdout and "10-31" in result.stdout

    def test_ambiguous_item_lists_candidates_and_writes_nothing(self, data: Path) -> None:
        result = run("record", "坚持", "--data", str(data))
        assert result.exit_code == 2 and "T02" in result.output and "T04" in result.output
        assert not (data / "journal").exists()

    def test_record_refuses_a_future_date(self, data: Path) -> None:
        result = run("record", "C01", "--date", "2999-01-01", "--data", str(data))
        assert result.exit_code == 2 and not (data / "journal").exists()

    def test_log_newest_first_with_filters(self, data: Path) -> None:
        for day in ("2026-03-01", "2026-09-01"):
            run("record", "C02", "--date", day, "--by", "张三", "--data", str(data))
        run("record", "C01", "--date", "2026-05-01", "--data", str(data))
        entries = as_json("log", "--data", str(data))["entries"]
        assert [e["date"] for e in entries] == ["2026-09-01", "2026-05-01", "2026-03-01"]
        only = as_json("log", "媒体关注", "--since", "2026-06-01", "--data", str(data))["entries"]
        assert [(e["item"], e["date"], e["by"]) for e in only] == [("C02", "2026-09-01", "张三")]


class TestValidate:
    def test_clean_data_exits_zero_and_lists_the_sources_gaps(self, data: Path) -> None:
        result = run("validate", "--data", str(data))
        assert result.exit_code == 0
        assert "[gap-no-owner]" in result.stdout and "[gap-unspecified]" in result.stdout

    def test_a_broken_file_gives_file_line_col_and_exit_two(self, data: Path) -> None:
        text = (data / "columns.yaml").read_text(encoding="utf-8")
        (data / "columns.yaml").write_text(text.replace("lead: [规划科技处]", "lead: [规划科处]"),
                                           encoding="utf-8")
        result = run("status", "--data", str(data))
        assert result.exit_code == 2
        assert re.search(r"columns\.yaml:22:12: 错误 \[unknown-owner\]", result.output)
        assert "是否是 '规划科技处'" in result.output and "Traceback" not in result.output


class TestEvents:
    def test_event_then_record_closes_the_obligation_late(self, data: Path) -> None:
        assert run("event", "事故快讯", "--date", "2026-11-20", "--title", "某矿", "--data",
                   str(data)).exit_code == 0
        doc = as_json("status", "--data", str(data), "--as-of", "2026-11-21")
        (ob,) = [i for i in doc["items"] if i["kind"] == "obligation"]
        assert (ob["item"], ob["event_date"], ob["due"], ob["status"]) == (
            "C03", "2026-11-20", "2026-11-20", "overdue")
        overdue = as_json("overdue", "--data", str(data), "--as-of", "2026-11-21")
        assert ob["id"] in [i["id"] for i in overdue["items"]]
        result = run("record", "C03", "--date", "2026-11-21", "--data", str(data))
        assert "逾期完成" in result.stdout
        after = as_json("status", "--data", str(data), "--as-of", "2026-11-21")
        (ob,) = [i for i in after["items"] if i["kind"] == "obligation"]
        assert (ob["status"], ob["late"]) == ("done", True)

    def test_event_on_a_non_event_item_is_refused(self, data: Path) -> None:
        result = run("event", "C01", "--date", "2026-11-20", "--data", str(data))
        assert result.exit_code == 2 and "C03" in result.output

    def test_upcoming_lists_open_items_soonest_first(self, data: Path) -> None:
        doc = as_json("upcoming", "--within", "60d", "--data", str(data), "--as-of", AS_OF)
        assert [(i["id"], i["days_left"]) for i in doc["items"]] == [("T02", 35)]


def test_today_is_beijings_date_whatever_the_machine_zone() -> None:
    import os
    import subprocess
    import sys
    from datetime import datetime
    from zoneinfo import ZoneInfo

    code = "from zwgk.cli.options import today; print(today())"
    env = {**os.environ, "TZ": "UTC"}
    before = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    printed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             check=True).stdout.strip()
    after = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert date.fromisoformat(printed) in {before, after}


def test_hour_windows_are_beijing_time_whatever_the_machine_zone(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    data = Path(__file__).parents[2] / "data"
    env = {**os.environ, "TZ": "UTC", "COLUMNS": "200"}
    def due_json(moment: str) -> dict:  # type: ignore[type-arg]
        out = subprocess.run([sys.executable, "-m", "zwgk", "due", "B06", "--from", moment, "--json",
                              "--data", str(data)], env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    local = due_json("2026-11-26T21:30")
    assert (local["due"], local["due_time"]) == ("2026-11-27", "02:30")
    # The same moment written in UTC: 13:30Z is 21:30 in Beijing.
    utc = due_json("2026-11-26T13:30+00:00")
    assert (utc["event_date"], utc["event_time"], utc["due"], utc["due_time"]) == (
        "2026-11-26", "21:30", "2026-11-27", "02:30")


class TestEventLifecycleOnTheBundledData:
    """For an event on any date: status shows the due date per the official calendar, overdue lists
    it the day after it lapses, record closes it, upcoming shows it while it is open."""

    @pytest.fixture
    def bundled(self, tmp_path: Path) -> Path:
        target = tmp_path / "data"
        shutil.copytree(Path(__file__).parents[2] / "data", target)
        return target

    def test_superior_document_the_day_before_national_day(self, bundled: Path) -> None:
        assert run("event", "上级文件", "--date", "2026-09-30", "--title", "某规范性文件",
                   "--data", str(bundled)).exit_code == 0
        def obligation(as_of: str, command: str = "status") -> list[dict]:  # type: ignore[type-arg]
            doc = as_json(command, "--data", str(bundled), "--as-of", as_of)
            return [i for i in doc["items"] if i["kind"] == "obligation"]
        (ob,) = obligation("2026-10-01")
        assert (ob["item"], ob["due"], ob["status"], ob["provisional"]) == (
            "C10", "2026-10-08", "due_soon", False)
        assert [i["id"] for i in obligation("2026-10-01", "upcoming")] == [ob["id"]]
        assert obligation("2026-10-08", "overdue") == []
        assert [i["id"] for i in obligation("2026-10-09", "overdue")] == [ob["id"]]
        assert run("record", "上级文件", "--date", "2026-10-08", "--data", str(bundled)).exit_code == 0
        (closed,) = obligation("2026-10-09")
        assert (closed["status"], closed["late"]) == ("done", False)
        assert obligation("2026-10-09", "upcoming") == []

    def test_a_future_enforcement_plan_is_due_three_working_days_before(self, bundled: Path) -> None:
        result = run("event", "监管执法双随机一公开", "--date", "2027-10-11", "--dept", "监管一处",
                     "--data", str(bundled))  # a group's duty names its department
        assert result.exit_code == 0
        assert "暂定" in result.output  # 2027's notice is not out: provisional, and it says so
        (ob,) = [i for i in as_json("status", "--data", str(bundled))["items"]
                 if i["kind"] == "obligation"]
        assert (ob["due"], ob["provisional"], ob["provisional_years"]) == ("2027-10-06", True, [2027])


def test_piped_output_is_utf8_even_where_the_code_page_is_gbk() -> None:
    """A Windows pipe defaults to GBK, which cannot encode every character in the data."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "zwgk", "status", "--data", str(MINI_COPY)],
                          env=env, capture_output=True, check=True)
    assert "逾期".encode() in done.stdout  # UTF-8 bytes, not GBK
    done.stdout.decode("utf-8")


MINI_COPY = Path(__file__).parents[1] / "fixtures" / "mini"
