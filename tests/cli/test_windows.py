"""Windows habits, with the Windows code paths forced: what a pipe gets, the paths CI shows, a
journal file another program holds open."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from zwgk.cli.encoding import Choice, choose
from zwgk.errors import UserError


def test_a_pipe_on_chinese_windows_gets_the_consoles_code_page() -> None:
    """PowerShell and cmd decode a program's output with the console's output code page."""
    assert choose(False, None, "win32", 936) == Choice("cp936")
    assert choose(False, None, "win32", 65001) == Choice("cp65001")


def test_without_a_console_or_elsewhere_a_pipe_gets_utf8() -> None:
    assert choose(False, None, "win32", 0) == Choice("utf-8")  # a CI runner, a scheduled task
    assert choose(False, None, "linux", 0) == Choice("utf-8")


def test_a_terminal_keeps_its_own_and_never_crashes() -> None:
    assert choose(True, None, "win32", 936) == Choice(None, "replace")


def test_the_encoding_asked_for_wins_for_pipes() -> None:
    assert choose(False, "utf-8-sig", "win32", 936).encoding == "utf-8-sig"
    assert choose(False, "GBK", "linux", 0).encoding == "gbk"
    with pytest.raises(UserError, match="不认识的编码"):
        choose(False, "klingon", "linux", 0)


@pytest.mark.parametrize(("asked", "decoded"), [("gbk", "gbk"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")])
def test_the_real_command_writes_what_was_asked(asked: str, decoded: str, tmp_path: Path) -> None:
    data = Path(__file__).parents[2] / "data"
    env = dict(os.environ, ZWGK_NO_CACHE="1")
    for args, extra in (([ "--encoding", asked], {}), ([], {"ZWGK_ENCODING": asked})):
        raw = subprocess.run([sys.executable, "-m", "zwgk", *args, "status", "--data", str(data), "--as-of",
                              "2026-11-26"], capture_output=True, env={**env, **extra}, check=True).stdout
        text = raw.decode(decoded)
        assert text.startswith("安徽省安全生产监督管理局")
        assert raw.startswith(b"\xef\xbb\xbf") == (asked == "utf-8-sig")


def test_ci_output_uses_forward_slashes_whatever_the_platform_wrote() -> None:
    from zwgk.models import Location
    from zwgk.report import ci
    from zwgk.rules.engine import Status
    from zwgk.summary.answers import CheckAnswer
    from zwgk.summary.gate import GateResult, Outcome

    status = _overdue_status()
    outcome = Outcome(status, "fail", Location("data\\tasks.yaml", 12, 3))  # as os.path.relpath on Windows
    answer = CheckAnswer(GateResult((outcome,)), date(2026, 11, 26), 14)
    for render in (ci.text, ci.github, ci.gitlab, ci.junit, ci.json_report):
        shown = render(answer)
        assert "data/tasks.yaml" in shown and "data\\tasks.yaml" not in shown and "data\\\\tasks" not in shown, render
    assert status.status is Status.OVERDUE


def _overdue_status():  # type: ignore[no-untyped-def]
    from zwgk.models import DeadlineRule, Item
    from zwgk.rules.engine import ItemStatus, Status

    item = Item("T01", "task", "一次性任务", (), ("办公室",), (), None,
                DeadlineRule(kind="deadline", due=date(2026, 8, 31)))  # type: ignore[arg-type]
    return ItemStatus(item, Status.OVERDUE, date(2026, 8, 31), None, 87)


def test_a_journal_file_held_open_by_another_program_is_waited_for(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk import journal

    calls = []
    real = os.replace

    def held_twice(source: object, target: object) -> None:
        calls.append(target)
        if len(calls) <= 2:
            raise PermissionError(13, "The process cannot access the file because it is being used")
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(journal.os, "replace", held_twice)
    (tmp_path / "a").write_text("new")
    (tmp_path / "b").write_text("old")
    journal.replace_when_free(tmp_path / "a", tmp_path / "b", pause=0.001)
    assert (tmp_path / "b").read_text() == "new" and len(calls) == 3

    calls.clear()
    (tmp_path / "a").write_text("newer")
    monkeypatch.setattr(journal.os, "replace", lambda *_: (_ for _ in ()).throw(PermissionError(13, "held")))
    with pytest.raises(PermissionError):
        journal.replace_when_free(tmp_path / "a", tmp_path / "b", attempts=3, pause=0.001)
    assert (tmp_path / "b").read_text() == "new", "never half-replaced"
