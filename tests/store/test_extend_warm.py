"""The warm path (zwgk/store/warm.py) over the incremental journal (zwgk/store/extend.py): an
answer worked out by extending the journal notes the same inputs a full read notes, so it is
kept, given back while nothing changes, and missed as soon as another line is appended."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI

from zwgk.cli import options
from zwgk.store import extend, warm

BEIJING = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)


def normal() -> None:
    from zwgk.cli.app import main

    main()


class Zwgk:
    """`zwgk ARGS` in-process as zwgk/__main__.py runs it: through the warm path, or with every
    cache off (a full read)."""

    def __init__(self, capsys: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys, self.monkeypatch = capsys, monkeypatch

    def __call__(self, *argv: str, cached: bool = True) -> tuple[bytes, bytes, int, bool]:
        self.monkeypatch.setattr(sys, "argv", ["zwgk", *argv])
        if cached:
            self.monkeypatch.delenv("ZWGK_NO_CACHE", raising=False)
        else:
            self.monkeypatch.setenv("ZWGK_NO_CACHE", "1")
        self.capsys.readouterr()
        for stream in (sys.stdout, sys.stderr):
            stream.reconfigure(encoding="utf-8", errors="strict")
        hit = cached and warm.answer(list(argv)) is not None
        code = warm.serve(list(argv), normal) if cached else warm.exit_code(normal)
        out, err = self.capsys.readouterr()
        self.monkeypatch.delenv("ZWGK_NO_CACHE", raising=False)
        return out, err, code, hit


@pytest.fixture
def zwgk(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> Zwgk:
    monkeypatch.setattr(warm, "clock", lambda: NOW.timestamp())
    monkeypatch.setattr(options, "now", lambda: NOW.replace(microsecond=0))
    monkeypatch.setattr(options, "today", lambda: NOW.date())
    monkeypatch.delenv("ZWGK_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    code = warm._code()  # an edit to the checkout while the suite runs must not make it miss
    monkeypatch.setattr(warm, "_code", lambda: code)
    return Zwgk(capsysbinary, monkeypatch)


def record(entry_id: str, item: str) -> str:
    return json.dumps({"id": entry_id, "type": "record", "item": item, "date": "2026-11-25",
                       "at": "2026-11-25T09:00:00+08:00"}, ensure_ascii=False) + "\n"


def test_an_extended_answer_is_kept_and_missed_like_any_other(
        zwgk: Zwgk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "journal").mkdir()
    journal = data / "journal" / "2026.jsonl"
    journal.write_text(record("r0", "C01"), encoding="utf-8")
    taken: list[bool] = []
    real = extend.grown

    def spy(*args: Any) -> Any:
        found = real(*args)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(extend, "grown", spy)
    argv = ("status", "--data", str(data))
    zwgk(*argv)  # the first load: a light base
    for n, item in enumerate(("C02", "C04", "C02")):
        with journal.open("a", encoding="utf-8") as handle:
            handle.write(record(f"r{n + 1}", item))
        out, err, code, hit = zwgk(*argv)
        assert not hit, "answered from before the line was appended"
        assert (out, err, code) == zwgk(*argv, cached=False)[:3]
        again = zwgk(*argv)
        assert again[3], "an answer worked out from the journal's base is kept"
        assert again[:3] == (out, err, code)
    assert taken == [False, True, True]  # the first change makes the whole base, then extensions
