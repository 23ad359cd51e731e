"""What the user typed never turns into a wrong answer or a traceback: empty values, eight-digit
dates, dates outside the years zwgk counts, arguments in GBK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, tree_bytes, write_yaml


@pytest.mark.parametrize("args", [
    ["record", "T01", "--date", ""],
    ["record", "T01", "--date="],
    ["record", "T01", "--by", " "],
    ["overdue", "--dept", ""],
    ["show", ""],
    ["log", "--since", ""],
    ["report", "--week", ""],
])
def test_an_empty_value_is_an_error_not_a_default(mini_data: Path, args: list[str]) -> None:
    before = tree_bytes(mini_data)
    result = run_cli(*args, "--data", str(mini_data))
    assert result.exit_code == 2, result.output
    assert "参数是空的" in result.output
    assert tree_bytes(mini_data) == before, "nothing was recorded"


@pytest.mark.parametrize("option", [["status", "--as-of"], ["check", "--as-of"], ["due", "C03", "--from"],
                                    ["record", "T01", "--date"], ["log", "--since"]])
@pytest.mark.parametrize("value", ["9999-12-31", "20261120", "0001-01-01", "2026-02-30"])
def test_a_date_zwgk_cannot_count_with_is_refused_with_the_forms(mini_data: Path, option: list[str],
                                                                 value: str) -> None:
    result = run_cli(*option, value, "--data", str(mini_data))
    assert result.exit_code == 2, result.output
    assert any(why in result.output for why in ("可写成", "晚于今天", "超出可计算的范围")), result.output


def test_dates_as_people_type_them(mini_data: Path) -> None:
    result = run_cli("status", "--data", str(mini_data), "--as-of", "2026年11月26日", "--json")
    assert result.exit_code == 0
    assert '"as_of": "2026-11-26"' in result.stdout


def test_an_absurd_window_is_a_load_error_at_its_line(mini_data: Path) -> None:
    text = (mini_data / "columns.yaml").read_text(encoding="utf-8")
    write_yaml(mini_data, "columns.yaml", text.replace("unit: same_day, amount: 0", "unit: hours, amount: 100000000"))
    line = next(n for n, row in enumerate((mini_data / "columns.yaml").read_text("utf-8").splitlines(), 1)
                if "100000000" in row)
    for command in (["validate"], ["status"], ["check"], ["show", "C03"], ["report"], ["ics"]):
        result = run_cli(*command, "--data", str(mini_data))
        assert result.exit_code == 2, (command, result.output)
        assert f"columns.yaml:{line}:" in result.output and "时限 100000000 过大" in result.output


def test_a_journal_date_outside_the_years_is_a_load_error(mini_data: Path) -> None:
    (mini_data / "journal").mkdir()
    (mini_data / "journal" / "2026.jsonl").write_text(
        '{"id": "x1", "type": "event", "item": "C03", "date": "9999-12-30", "at": "2026-11-26T10:00:00+08:00"}\n',
        encoding="utf-8")
    result = run_cli("status", "--data", str(mini_data))
    assert result.exit_code == 2
    assert "2026.jsonl:1:" in result.output and "超出可计算的范围" in result.output


def test_an_argument_typed_in_gbk_is_read_as_gbk(mini_data: Path) -> None:
    """A GBK console on a UTF-8 machine: Python keeps the bytes as surrogates."""
    env = dict(os.environ, ZWGK_NO_CACHE="1", PYTHONUTF8="1", COLUMNS="120")
    arg = "法律法规".encode("gbk")
    result = subprocess.run([os.fsencode(sys.executable), b"-m", b"zwgk", b"show", arg,
                             b"--data", os.fsencode(mini_data)], capture_output=True, env=env, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "C01" in result.stdout.decode("utf-8")
    junk = subprocess.run([os.fsencode(sys.executable), b"-m", b"zwgk", b"show", b"\xff\xfe\xff",
                           b"--data", os.fsencode(mini_data)], capture_output=True, env=env, check=False)
    assert junk.returncode == 2
    assert b"Traceback" not in junk.stderr


def test_an_unexpected_failure_is_exit_3_in_one_line(mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from zwgk.cli import app
    from zwgk.summary import views

    def broken(*_: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(views, "department_rows", broken)
    result = CliRunner().invoke(app, ["status", "--data", str(mini_data), "--as-of", "2026-11-26"],
                                env={"ZWGK_NO_CACHE": "1"})
    assert result.exit_code == 3
    assert "内部错误" in result.output and "KeyError" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ["upcoming", "--within", "9999年"], ["upcoming", "--within", "99999个月"],
    ["status", "--as-of", "9999-12-31T23:59-05:00"], ["status", "--as-of", "0001-01-01T00:00+14:00"],
    ["report", "--week", "9999-W52"], ["agenda", "--month", "0000-12"],
])
def test_values_past_the_calendar_are_refused_not_overflowed(mini_data: Path, args: list[str]) -> None:
    result = run_cli(*args, "--data", str(mini_data))
    assert result.exit_code == 2, result.output
    assert "内部错误" not in result.output
