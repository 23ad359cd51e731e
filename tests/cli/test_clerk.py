"""The command line as an office clerk meets it: Chinese throughout, windows and months as people
write them, "what is mine this month", and Taskwarrior-like filters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from zwgk.dates.typed import DateTextError, read_window

DATA = Path(__file__).parents[2] / "data"
AS_OF = "2026-12-02"


def zwgk(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command (not CliRunner): what a terminal shows, stderr included."""
    return subprocess.run([sys.executable, "-m", "zwgk", *args], capture_output=True, text=True,
                          check=False, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin", "ZWGK_NO_CACHE": "1"})


@pytest.mark.parametrize(("args", "chinese"), [
    (["statuss"], "没有命令 'statuss',是否是 'status'?"),
    (["show"], "缺少参数 'item'"),
    (["init", "x", "--follow", "y"], "没有这个选项 --follow,是否是 --follows?"),
    (["ics", "--months", "abc"], "选项 '--months' 的值无效:应为整数"),
    (["status", "extra"], "多余的参数:extra"),
])
def test_the_frameworks_errors_are_chinese(args: list[str], chinese: str) -> None:
    result = zwgk(*args)
    assert result.returncode == 2
    assert chinese in result.stderr
    assert "用法 (Usage):" in result.stderr and "Error:" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [[], ["status"], ["overdue"], ["record"], ["cache"], ["cache", "clear"]])
def test_help_is_chinese(command: list[str]) -> None:
    text = zwgk(*command, "--help").stdout
    assert "用法 (Usage):" in text and "选项 (Options):" in text and "显示本帮助并退出。" in text
    for english in ("Show this message and exit.", "[required]", "[default:", "<list[Path]>", "<str>"):
        assert english not in text, english


def test_version_and_completion() -> None:
    assert zwgk("--version").stdout.startswith("zwgk ")
    top = zwgk("--help").stdout
    assert "--install-completion" in top and "为当前 shell 安装命令补全。" in top
    script = zwgk("--show-completion", "bash").stdout
    assert "_ZWGK_COMPLETE" in script or "complete" in script


@pytest.mark.parametrize(("text", "days"), [("14", 14), ("14d", 14), ("14天", 14), ("2w", 14), ("2周", 14),
                                            ("两周", 14), ("1个月", 31), ("一个月", 31), ("十五天", 15)])
def test_windows_as_people_write_them(text: str, days: int) -> None:
    from datetime import date

    assert read_window(text, date(2026, 12, 2)) == days


@pytest.mark.parametrize("text", ["", "abc", "14x", "-3d", "99999天"])
def test_other_windows_are_refused(text: str) -> None:
    from datetime import date

    with pytest.raises(DateTextError):
        read_window(text, date(2026, 12, 2))


def agenda(*args: str) -> dict[str, object]:
    result = run_cli("agenda", "--data", str(DATA), "--as-of", AS_OF, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_month_lists_this_periods_update_even_when_an_earlier_one_was_missed() -> None:
    """应急办's monthly column 预警信息 (C50) was missed in January: both dues are listed."""
    rows = [(i["id"], i["agenda"], i["agenda_due"]) for i in agenda("--dept", "应急办")["items"]]
    assert ("C50", "overdue", "2026-01-31") in rows
    assert ("C50", "due", "2026-12-31") in rows
    assert rows.index(("C50", "overdue", "2026-01-31")) < rows.index(("C50", "due", "2026-12-31"))
    kinds = [agenda_kind for _, agenda_kind, _ in rows]
    assert kinds == sorted(kinds, key=lambda k: k != "overdue"), "overdue first"


def test_another_month() -> None:
    found = agenda("--dept", "应急办", "--month", "2027-01")
    assert found["month"] == "2027-01"
    assert ("C50", "due", "2027-01-31") in [(i["id"], i["agenda"], i["agenda_due"]) for i in found["items"]]


def test_lead_means_the_same_in_the_table_and_the_lists() -> None:
    status = json.loads(run_cli("status", "--data", str(DATA), "--as-of", AS_OF, "--json").stdout)
    row = next(d for d in status["departments"] if d["name"] == "监管一处")
    listed = json.loads(run_cli("overdue", "--data", str(DATA), "--as-of", AS_OF, "--dept", "监管一处",
                                "--lead-only", "--json").stdout)["items"]
    assert row["lead_overdue"] == len(listed) > 0
    assert all(i["role"] == "lead" for i in listed)


def test_filters_narrow_and_sort() -> None:
    def ids(*args: str) -> list[str]:
        result = run_cli("overdue", "--data", str(DATA), "--as-of", AS_OF, "--json", *args)
        return [i["id"] for i in json.loads(result.stdout)["items"]]

    every = ids()
    assert set(ids("--kind", "任务")) == {i for i in every if i.startswith(("T", "B"))}
    assert set(ids("--kind", "column")) == {i for i in every if i.startswith("C")}
    assert set(ids("--group", "回应关切")) <= set(every) and ids("--group", "回应关切")
    assert run_cli("overdue", "--data", str(DATA), "--lead-only").exit_code == 2  # needs --dept
    assert run_cli("overdue", "--data", str(DATA), "--kind", "bogus").exit_code == 2


def test_log_filters(mini_data: Path) -> None:
    for day, who in (("2026-11-01", "张三"), ("2026-11-10", "李四"), ("2026-11-20", "张三")):
        assert run_cli("record", "C01", "--date", day, "--by", who, "--data", str(mini_data)).exit_code == 0

    def dates(*args: str) -> list[str]:
        result = run_cli("log", "--data", str(mini_data), "--json", *args)
        return [e["date"] for e in json.loads(result.stdout)["entries"]]

    assert dates("--by", "张三") == ["2026-11-20", "2026-11-01"]
    assert dates("--since", "2026-11-05", "--until", "2026/11/15") == ["2026-11-10"]
    assert dates("--item", "C01") == dates("C01") == ["2026-11-20", "2026-11-10", "2026-11-01"]
