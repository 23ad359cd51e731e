"""Hour windows are judged by the clock: a 5-hour duty is overdue the moment its deadline passes,
in Beijing time, whatever the date says — and `--as-of DATE` (a replay) means the end of that day."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import run_cli, unit_with_hours
from hypothesis import given
from hypothesis import strategies as st

from zwgk.load import load_dataset
from zwgk.rules.engine import Status, at_moment, evaluate, next_change

EVENING = {"id": "20261125-200000-000000e1", "type": "event", "item": "C05", "date": "2026-11-25",
           "time": "20:00", "title": "夜间爆炸", "at": "2026-11-25T20:05:00+08:00"}  # due 11-26 01:00




@pytest.fixture
def evening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return unit(tmp_path, [EVENING])


def obligation(data: Path, as_of: str) -> dict[str, object]:
    result = run_cli("status", "--data", "data", "--as-of", as_of, "--json")
    assert result.exit_code == 0, result.output
    [found] = [i for i in json.loads(result.stdout)["items"] if i["kind"] == "obligation"]
    return found


def test_the_deadline_passes_at_its_hour_not_at_midnight(evening: Path) -> None:
    before = obligation(evening, "2026-11-26T00:59")
    assert before["status"] == "due_soon"
    after = obligation(evening, "2026-11-26T06:02")
    assert after["status"] == "overdue"
    assert after["hours_overdue"] == 5
    assert after["days_overdue"] == 1  # a started day counts for --grace


def test_a_plain_date_is_the_end_of_that_day(evening: Path) -> None:
    assert obligation(evening, "2026-11-26")["status"] == "overdue"
    assert obligation(evening, "2026-11-25")["status"] == "due_soon"  # 01:00 tomorrow is not past


def test_check_fails_the_moment_an_hour_deadline_passes(evening: Path) -> None:
    def line(as_of: str) -> str:
        result = run_cli("check", "--data", "data", "--as-of", as_of)
        [found] = [li for li in result.output.splitlines() if EVENING["id"] in li]
        return found

    assert "失败" in line("2026-11-26T06:02") and "逾期 5 小时" in line("2026-11-26T06:02")
    assert "提醒" in line("2026-11-26T00:30") and "即将到期" in line("2026-11-26T00:30")
    only_it = run_cli("check", "--data", "data", "--as-of", "2026-11-26T06:02", "--dept", "办公室",
                      "--format", "json")
    verdicts = {r["id"]: r["verdict"] for r in json.loads(only_it.stdout)["results"]}
    assert verdicts[EVENING["id"]] == "fail"


def test_a_kept_answer_is_not_the_answer_an_hour_later(evening: Path) -> None:
    """The snapshot is kept by the content of the files; the clock is judged on every run."""
    assert obligation(evening, "2026-11-26T00:30")["status"] == "due_soon"  # makes the snapshot
    assert obligation(evening, "2026-11-26T01:01")["status"] == "overdue"  # from it
    assert obligation(evening, "2026-11-26T00:30")["status"] == "due_soon"


def test_overdue_lists_say_hours(evening: Path) -> None:
    result = run_cli("overdue", "--data", "data", "--as-of", "2026-11-26T06:02")
    assert result.exit_code == 1
    assert "5 小时" in result.output


def test_a_record_within_the_window_closes_it_on_time(tmp_path: Path) -> None:
    done = {"id": "20261126-003000-000000e2", "type": "record", "item": "C05", "date": "2026-11-26",
            "time": "00:30", "event": EVENING["id"], "at": "2026-11-26T00:31:00+08:00"}
    dataset = load_dataset(unit(tmp_path, [EVENING, done])).dataset
    assert dataset is not None
    [status] = [s for s in evaluate(dataset, date(2026, 11, 26), at="06:02").statuses if s.obligation]
    assert status.status is Status.DONE
    assert not status.late


@given(minutes=st.integers(min_value=0, max_value=48 * 60))
def test_overdue_exactly_when_the_instant_is_past_the_deadline(tmp_path_factory: pytest.TempPathFactory,
                                                               minutes: int) -> None:
    dataset = _dataset(tmp_path_factory)
    moment = datetime(2026, 11, 25, 0, 0) + timedelta(minutes=minutes)
    judged = evaluate(dataset, moment.date(), at=moment.strftime("%H:%M"))
    found = [s for s in judged.statuses if s.obligation]
    if moment < datetime(2026, 11, 25, 20, 0):  # before the event: there is no obligation yet
        assert found == []
        return
    [status] = found
    deadline = datetime(2026, 11, 26, 1, 0)
    assert (status.status is Status.OVERDUE) == (moment > deadline)
    if moment > deadline:
        assert status.hours_overdue == (moment - deadline) // timedelta(hours=1)
    # re-judging a kept evaluation at the instant gives the same answer as judging afresh
    kept = evaluate(dataset, moment.date())
    assert at_moment(kept, moment.strftime("%H:%M")) == judged


_CACHE: dict[str, object] = {}


def _dataset(factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if "dataset" not in _CACHE:
        _CACHE["dataset"] = load_dataset(unit(factory.mktemp("hours"), [EVENING])).dataset
    return _CACHE["dataset"]


def test_times_are_beijing_whatever_the_machine_zone(evening: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert obligation(evening, "2026-11-25T17:01:00+00:00")["status"] == "overdue"  # 01:01 Beijing
    assert obligation(evening, "2026-11-25T17:00:00Z")["status"] == "due_soon"  # 01:00: due, not past


def unit(folder: Path, events: list[dict[str, str]]) -> Path:
    return unit_with_hours(folder, events)  # type: ignore[arg-type]


def test_judged_at_an_instant_the_days_later_lines_have_not_happened(tmp_path: Path) -> None:
    done = {"id": "20261126-003000-000000e2", "type": "record", "item": "C05", "date": "2026-11-26",
            "time": "00:30", "event": EVENING["id"], "at": "2026-11-26T00:31:00+08:00"}
    dataset = load_dataset(unit(tmp_path, [EVENING, done])).dataset
    assert dataset is not None

    def obligation(day: date, at: str) -> list[Status]:
        return [s.status for s in evaluate(dataset, day, at=at).statuses if s.obligation]

    assert obligation(date(2026, 11, 25), "19:59") == [], "the event at 20:00 has not happened"
    assert obligation(date(2026, 11, 25), "20:00") in ([Status.OPEN], [Status.DUE_SOON])
    assert obligation(date(2026, 11, 26), "00:29") != [Status.DONE], "the 00:30 record is still to come"
    assert obligation(date(2026, 11, 26), "00:30") == [Status.DONE]
    assert obligation(date(2026, 11, 26), "01:01") == [Status.DONE]


def test_an_answer_kept_now_changes_when_a_line_timed_later_today_comes_due(tmp_path: Path) -> None:
    done = {"id": "20261126-003000-000000e2", "type": "record", "item": "C05", "date": "2026-11-26",
            "time": "00:30", "event": EVENING["id"], "at": "2026-11-26T00:31:00+08:00"}
    dataset = load_dataset(unit(tmp_path, [EVENING, done])).dataset
    assert dataset is not None
    day = evaluate(dataset, date(2026, 11, 26))
    assert next_change(day, datetime(2026, 11, 26, 0, 10)) == datetime(2026, 11, 26, 0, 30)
    assert next_change(evaluate(dataset, date(2026, 11, 25)), datetime(2026, 11, 25, 9, 0)) == \
        datetime(2026, 11, 25, 20, 0)


def test_a_record_of_an_hour_window_says_when_and_is_late_after_its_deadline(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk.cli import journal as commands
    from zwgk.cli import options

    moment = datetime(2026, 11, 26, 6, 30, tzinfo=options.BEIJING)
    for module in (commands, options):
        monkeypatch.setattr(module, "now", lambda: moment)
        monkeypatch.setattr(module, "today", lambda: moment.date())
    folder = unit(tmp_path, [EVENING])
    dated = run_cli("record", "C05", "--date", "2026-11-26", "--data", str(folder))
    assert dated.exit_code == 2 and "T14:30" in dated.output, "a day alone cannot say whether 01:00 was met"
    now = run_cli("record", "C05", "--data", str(folder))  # no --date: made now, 06:30
    assert now.exit_code == 0, now.output
    assert "逾期完成" in now.output
