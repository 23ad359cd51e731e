"""Which data a command judges: an office's ./data is never silently replaced by the bundled data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI, run_cli


@pytest.fixture
def typo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """./data with tasks.yml typed for tasks.yaml."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZWGK_DATA", raising=False)
    shutil.copytree(MINI, tmp_path / "data")
    (tmp_path / "data" / "tasks.yaml").rename(tmp_path / "data" / "tasks.yml")
    return tmp_path / "data"


@pytest.mark.parametrize("command", [["validate"], ["status"], ["check"], ["overdue"], ["report"]])
def test_an_incomplete_data_folder_is_an_error_naming_what_is_missing(typo: Path, command: list[str]) -> None:
    result = run_cli(*command)
    assert result.exit_code == 2, result.output
    assert "data/tasks.yaml" in result.output and "missing-file" in result.output
    assert "安徽省安全生产监督管理局" not in result.output, "never the bundled data in its place"


def test_without_a_data_folder_the_bundled_data_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZWGK_DATA", raising=False)
    result = run_cli("status", "--as-of", "2026-11-26")
    assert result.exit_code == 0
    assert "随程序附带的示例数据" in result.output
    assert "随程序附带" not in result.stdout, "the note goes to stderr, so pipes and --json stay clean"
