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
    "log": [],
    "validate": [],
    "check": ["--as-of", AS_OF],
    "report": ["--as-of", AS_OF, "-o", "-"],
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
    if name in ("json", "gitlab"):
        json.loads(result.stdout)


@pytest.mark.parametrize("command", [c for c in COMMAND_VIEWS if "json" in formats_of(c)])
def test_json_is_format_json(mini_data: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.chdir(mini_data.parent)
    args = [command, *ARGS[command], "--data", "data"]
    assert run_cli(*args, "--json").stdout == run_cli(*args, "--format", "json").stdout


@pytest.mark.parametrize("command", list(COMMAND_VIEWS))
def test_help_and_errors_name_the_registrys_choices(mini_data: Path, monkeypatch: pytest.MonkeyPatch,
                                                    command: str) -> None:
    monkeypatch.chdir(mini_data.parent)
    choices = " | ".join(formats_of(command))
    assert choices in " ".join(run_cli(command, "--help").output.split())  # help text wraps
    wrong = run_cli(command, *ARGS[command], "--data", "data", "--format", "docx")
    assert wrong.exit_code == 2
    assert choices in wrong.output and "'docx'" in wrong.output
