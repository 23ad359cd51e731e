"""The cyclic collector is paused while a journal or a snapshot is made, and only then."""

from __future__ import annotations

import gc

import pytest

from zwgk.heap import making_many


def test_the_collector_is_paused_inside_and_running_after() -> None:
    assert gc.isenabled()
    with making_many():
        assert not gc.isenabled()
        made = [{"entry": n} for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made), "what was made is out of the collector's sight"


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
