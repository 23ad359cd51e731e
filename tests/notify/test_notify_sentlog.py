"""The sent-log (zwgk/send/sentlog.py): where it lives, what one entry keys, what it keeps, and
that a log it cannot write stops the run before anything is sent."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from zwgk.send.sentlog import KEEP_DAYS, Key, SentLog, StateError, state_root


def test_the_state_folder_is_chosen_option_then_variable_then_the_users(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_STATE_DIR", str(tmp_path / "env"))
    assert state_root(tmp_path / "option") == tmp_path / "option"
    assert state_root() == tmp_path / "env"
    monkeypatch.delenv("ZWGK_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert state_root() == tmp_path / "xdg" / "zwgk"
    monkeypatch.delenv("ZWGK_CACHE_DIR", raising=False)
    from zwgk.store import cache

    assert cache.root() != state_root()  # `zwgk cache clear` never reaches it


def test_one_entry_per_day_department_channel_and_destination(tmp_path: Path) -> None:
    log = SentLog(tmp_path, "测试局")
    log.prepare()
    day = date(2026, 11, 26)
    key = Key(day, "办公室", "dingtalk", "$DT")
    assert log.sent(key) is None
    log.record(key, "d" * 64, "2026-11-26T08:00:00+08:00")
    assert log.sent(key) is not None
    assert log.sent(Key(day, "办公室", "wecom", "$DT")) is None
    assert log.sent(Key(day, "办公室", "dingtalk", "$OTHER")) is None
    assert log.sent(Key(day + timedelta(days=1), "办公室", "dingtalk", "$DT")) is None
    assert SentLog(tmp_path, "另一个单位").sent(key) is None  # one log per unit


def test_old_lines_are_dropped_and_a_torn_line_is_skipped(tmp_path: Path) -> None:
    log = SentLog(tmp_path, "测试局")
    log.prepare()
    old = date(2026, 1, 1)
    log.record(Key(old, "办公室", "email", "a@b.cn"), "x", "t")
    with log.path.open("ab") as handle:
        handle.write(b'{"day": "2026-0')  # a torn tail
    now = old + timedelta(days=KEEP_DAYS + 1)
    log.record(Key(now, "办公室", "email", "a@b.cn"), "y", "t")
    days = [json.loads(line)["day"] for line in log.path.read_text(encoding="utf-8").splitlines()]
    assert days == [now.isoformat()]
    assert not list(log.folder.glob(".*.tmp"))


def test_a_state_folder_that_cannot_be_made_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(StateError, match="状态文件夹不能写入"):
        SentLog(blocker, "测试局").prepare()
