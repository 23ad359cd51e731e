"""Nothing is recorded before it happened, to the minute: a record or an event later today than
now is refused like one dated tomorrow (a 'before' duty's planned date excepted)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli, write_yaml

from zwgk.cli import importing
from zwgk.cli import journal as commands

NOW = datetime(2026, 11, 26, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai"))

HOURS = """
columns:
  - id: C05
    path: [回应关切, 突发事件]
    lead: [政策法规处]
    requirement: 5小时内
    rule: {kind: event, trigger: 突发事件, unit: hours, amount: 5, direction: after}
  - id: C06
    path: [执法公示, 执法计划]
    lead: [政策法规处]
    requirement: 提前3个工作日
    rule: {kind: event, trigger: 计划执法日期, unit: working_days, amount: 3, direction: before}
"""


@pytest.fixture
def at_ten_fifteen(monkeypatch: pytest.MonkeyPatch, mini_data: Path) -> Path:
    for module in (commands, importing):
        monkeypatch.setattr(module, "now", lambda: NOW)
        monkeypatch.setattr(module, "today", lambda: NOW.date())
    write_yaml(mini_data, "columns.yaml", HOURS)
    return mini_data


@pytest.mark.parametrize(("command", "moment", "refused"), [
    ("record", "2026-11-26T10:15", False),
    ("record", "2026-11-26T10:16", True),
    ("record", "2026-11-26", False),
    ("event", "2026-11-26T09:00", False),
    ("event", "2026-11-26T13:00", True),
])
def test_a_moment_later_today_is_refused(at_ten_fifteen: Path, command: str, moment: str, refused: bool) -> None:
    item = "C02" if command == "record" else "C05"
    if command == "record":
        write_yaml(at_ten_fifteen, "columns.yaml", HOURS + "  - id: C02\n    path: [a, b]\n    lead: [办公室]\n"
                   "    rule: {kind: periodic, cycle: month}\n")
    result = run_cli(command, item, "--date", moment, "--data", str(at_ten_fifteen))
    assert (result.exit_code == 2) is refused, result.output
    if refused:
        assert "晚于现在 10:15" in result.output
        assert not (at_ten_fifteen / "journal").exists()


def test_a_planned_enforcement_date_may_lie_ahead(at_ten_fifteen: Path) -> None:
    later = date(2026, 12, 3).isoformat()
    assert run_cli("event", "C06", "--date", later, "--data", str(at_ten_fifteen)).exit_code == 0


def import_errors(data: Path, folder: Path, rows: str) -> list[dict[str, object]]:
    """The errors `zwgk import --json` reports for a sheet of these rows (it must refuse it)."""
    sheet = folder / "台账.csv"
    sheet.write_text("类型,事项,日期,时间,事件\n" + rows, encoding="utf-8")
    result = run_cli("import", str(sheet), "--data", str(data), "--json")
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)["errors"]  # type: ignore[no-any-return]


def test_a_sheet_row_timed_later_today_imports_nothing_and_names_its_cell(at_ten_fifteen: Path,
                                                                        tmp_path: Path) -> None:
    errors = import_errors(at_ten_fifteen, tmp_path, "事件,C05,2026-11-26,09:00,早上的\n"
                                                     "事件,C05,2026-11-26,13:00,下午的\n")
    assert [(e["row"], e["column"]) for e in errors] == [(3, "D")]
    assert "晚于现在 10:15" in errors[0]["message"]
    assert not (at_ten_fifteen / "journal").exists(), "one bad row and nothing is appended"


def test_a_sheet_row_recording_an_hour_window_needs_its_time(at_ten_fifteen: Path, tmp_path: Path) -> None:
    errors = import_errors(at_ten_fifteen, tmp_path, "事件,C05,2026-11-26,08:00,早上的\n"
                                                     "登记,C05,2026-11-26,,\n")
    assert [(e["row"], e["column"]) for e in errors] == [(3, "D")]
    assert "按小时计时" in errors[0]["message"]
