"""The cyclic collector is paused while a journal or a snapshot is made, and only then; what is
made is frozen only by the `zwgk` command, a process that exits after one command."""

from __future__ import annotations

import gc

import pytest

from zwgk.store import heap
from zwgk.store.heap import making_many


class Entry:
    """Stands for a journal entry: an object the collector tracks."""


def tracked(made: list[Entry]) -> bool:
    return any(obj is made[0] for obj in gc.get_objects())


def test_the_collector_is_paused_inside_and_running_after() -> None:
    assert gc.isenabled()
    with making_many():
        assert not gc.isenabled()
        made = [Entry() for _ in range(100)]
    assert gc.isenabled()
    assert tracked(made), "in-process runs (tests, CliRunner) freeze nothing"


def test_the_command_freezes_what_it_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_freezing", True)
    try:
        with making_many():
            made = [Entry() for _ in range(100)]
        assert not tracked(made), "frozen: later collections do not walk it"
    finally:
        gc.unfreeze()


def test_an_error_inside_still_restarts_the_collector() -> None:
    with pytest.raises(ValueError, match="bad line"), making_many():
        raise ValueError("a bad line")
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    gc.disable()
    try:
        with making_many():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
