"""The one format registry: every format a command lists is wired end to end, and the lists
people see (`--format` help, the error for a wrong one) are the registry's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from zwgk.report.registry import COMMAND_VIEWS, FORMATS, RENDERERS, formats_of, renderer

AS_OF = "2026-11-26"
ARGS = {  # what each command needs besides --data and --format
    "status": ["--as-of", AS_OF],
    "overdue": ["--as-of", AS_OF],
    "upcoming": ["--as-of", AS_OF, "--within", "60d"],
    "show": ["C02", "--as-of", AS_OF],
    "agenda": ["--as-of", AS_OF],
    "log": [],
    "validate": [],
    "check": ["--as-of", AS_OF],
    "report": ["--as-of", AS_OF, "-o", "-"],
    "inspect": ["--as-of", AS_OF, "-o", "-"],
    "scan": ["--site", str(Path(__file__).parents[1] / "fixtures" / "site-offline.yaml"), "--dry-run"],
}
WIRED = [(command, name) for command in COMMAND_VIEWS for name in formats_of(command)]


def test_every_registered_renderer_is_a_function_of_a_known_format() -> None:
    for (view, name), target in RENDERERS.items():
        assert name in FORMATS, (view, name)
        assert callable(renderer(view, name)), target


def test_the_views_of_one_command_offer_the_same_formats() -> None:
    for command, views in COMMAND_VIEWS.items():
        offered = {view: {n for v, n in RENDERERS if v == view} for view in views}
        assert len({frozenset(f) for f in offered.values()}) == 1, (command, offered)


def test_every_command_with_a_view_is_covered_here() -> None:
    assert set(ARGS) == set(COMMAND_VIEWS)


@pytest.mark.parametrize(("command", "name"), WIRED, ids=[f"{c}-{n}" for c, n in WIRED])
def test_every_format_of_every_command_runs(mini_data: Path, monkeypatch: pytest.MonkeyPatch,
                                            command: str, name: str) -> None:
    monkeypatch.chdir(mini_data.parent)
    result = run_cli(command, *ARGS[command], "--data", "data", "--format", name)
    assert result.exit_code in (0, 1), result.output  # findings are fine; errors and crashes are not
    assert result.stdout.strip(), f"{command} --format {name} printed nothing"
    if name != "xlsx":
        assert result.stdout.endswith("\n"), "a text output ends its last line"
    if name in ("json", "gitlab"):
        json.loads(result.stdout)


@pytest.mark.parametrize("command", [c for c in COMMAND_VIEWS if "json" in formats_of(c)])
def test_json_is_format_json(mini_data: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.chdir(mini_data.parent)
    args = [command, *ARGS[command], "--data", "data"]
    assert run_cli(*args, "--json").stdout == run_cli(*args, "--format", "json").stdout


def test_a_short_answer_is_one_whole_line(mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini_data.parent)
    nothing_due = run_cli("upcoming", "--data", "data", "--as-of", AS_OF, "--within", "1d")
    assert nothing_due.stdout == f"全部 1 天内到期 0 项(截至 {AS_OF})\n"
    summary = run_cli("validate", "--data", "data").stdout.splitlines()[-1]
    assert summary.startswith("data:9 个事项,0 条日志;") and summary.endswith("warnings)")


@pytest.mark.parametrize("command", list(COMMAND_VIEWS))
def test_help_and_errors_name_the_registrys_choices(mini_data: Path, monkeypatch: pytest.MonkeyPatch,
                                                    command: str) -> None:
    monkeypatch.chdir(mini_data.parent)
    choices = " | ".join(formats_of(command))
    assert choices in " ".join(run_cli(command, "--help").output.split())  # help text wraps
    wrong = run_cli(command, *ARGS[command], "--data", "data", "--format", "docx")
    assert wrong.exit_code == 2
    assert choices in wrong.output and "'docx'" in wrong.output
