"""`zwgk ics` across time: a calendar that imported last week's feed shows this week's truth after
importing this one. The calendar here applies RFC 5545/5546's update rules — an event is kept
by UID, replaced by a higher SEQUENCE (or the same SEQUENCE and a later DTSTAMP), removed by
STATUS:CANCELLED — and is fed one export a day while the journal changes: a record that meets
a deadline, an amend that moves an event, an hour window that passes, a month that is missed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli, unit_with_hours

WORKING_DAY_COLUMN = """\
  - id: C06
    path: [政策法规, 政策解读]
    lead: [政策法规处]
    requirement: 文件印发后1个工作日内解读
    rule: {kind: event, trigger: 文件印发, unit: working_days, amount: 1}
"""
E1, E2 = "20261120-101000-000000e1", "20261123-090000-000000e2"
JOURNAL = [
    # a 5-hour window: 10:00 + 5 h = 15:00, met only the next morning
    {"id": E1, "type": "event", "item": "C05", "date": "2026-11-20", "time": "10:00",
     "title": "某地爆炸", "at": "2026-11-20T10:10:00+08:00"},
    {"id": "20261121-090000-000000r1", "type": "record", "item": "C05", "event": E1,
     "date": "2026-11-21", "at": "2026-11-21T09:00:00+08:00"},
    # one working day from Monday 11-23 (due Tuesday 11-24); the amend moves the event to Friday
    # 11-20, so it was due Monday 11-23: overdue from 11-24 on, until met on 11-25
    {"id": E2, "type": "event", "item": "C06", "date": "2026-11-23", "title": "某文件印发",
     "at": "2026-11-23T09:00:00+08:00"},
    {"id": "20261123-150000-000000a2", "type": "amend", "item": "C06", "corrects": E2,
     "date": "2026-11-20", "reason": "印发日期写错", "at": "2026-11-23T15:00:00+08:00"},
    {"id": "20261125-100000-000000r2", "type": "record", "item": "C06", "event": E2,
     "date": "2026-11-25", "at": "2026-11-25T10:00:00+08:00"},
    # the monthly column (missed since January) is updated on 12-03: every one of its events goes
    {"id": "20261203-100000-000000r3", "type": "record", "item": "C02", "date": "2026-12-03",
     "url": "https://example.gov.cn/a", "at": "2026-12-03T10:00:00+08:00"},
    {"id": "20261201-100000-000000r4", "type": "record", "item": "T02", "date": "2026-12-01",
     "at": "2026-12-01T10:00:00+08:00"},
]


@dataclass(frozen=True)
class Held:
    sequence: int
    stamp: datetime
    cancelled: bool
    content: tuple[str, ...]


class SubscribedCalendar:
    """What a calendar keeps of the feeds it imported, by RFC 5546's rules for PUBLISH."""

    def __init__(self) -> None:
        self.events: dict[str, Held] = {}

    def load(self, raw: bytes) -> dict[str, Held]:
        from icalendar import Calendar

        feed = {str(e["uid"]): held(e) for e in Calendar.from_ical(raw).walk("VEVENT")}
        for uid, new in feed.items():
            old = self.events.get(uid)
            if old is None and new.cancelled:
                continue  # a cancellation of something never held
            if old is None or (new.sequence, new.stamp) > (old.sequence, old.stamp):
                self.events[uid] = new
        return feed

    def shown(self) -> dict[str, tuple[str, ...]]:
        return {uid: e.content for uid, e in self.events.items() if not e.cancelled}


def held(event: Any) -> Held:
    start = event["dtstart"].dt
    content = (start.isoformat(), str(event["summary"]), str(event["status"]), str(event["description"]))
    return Held(int(event["sequence"]), event["dtstamp"].dt, str(event["status"]) == "CANCELLED", content)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = unit_with_hours(tmp_path, JOURNAL)  # type: ignore[arg-type]
    with open(folder / "columns.yaml", "a", encoding="utf-8") as handle:
        handle.write(WORKING_DAY_COLUMN)
    return folder


def export(moment: str) -> bytes:
    """The feed exported at `moment`, from the journal as it stood then (the lines written by
    then: an amend corrects its line from the moment it is written, whatever its date)."""
    written = [line for line in JOURNAL if line["at"][:16] <= moment]
    (Path("data") / "journal" / "2026.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in written), encoding="utf-8")
    result = run_cli("ics", "--data", "data", "--as-of", moment)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def moments() -> list[str]:
    found = []
    day = date(2026, 11, 17)
    while day <= date(2026, 12, 8):
        found.append(f"{day}T12:00")
        day += timedelta(days=1)
    found[found.index("2026-11-20T12:00")] = "2026-11-20T10:30"  # the 5-hour window still open
    found.insert(found.index("2026-11-21T12:00"), "2026-11-20T16:00")  # and passed
    return found


def test_a_calendar_importing_every_day_shows_each_days_truth(data: Path) -> None:
    calendar = SubscribedCalendar()
    previous: dict[str, Held] = {}
    for moment in moments():
        feed = calendar.load(export(moment))
        truth = {uid: e.content for uid, e in feed.items() if not e.cancelled}
        assert calendar.shown() == truth, moment
        for uid, now in feed.items():  # SEQUENCE grows with every change and only then
            before = previous.get(uid)
            if before is not None and before.content != now.content:
                assert now.sequence > before.sequence, (moment, now.content, before.content)
            elif before is not None:
                assert now.sequence == before.sequence, (moment, now.content)
        previous = feed


def test_last_weeks_calendar_shows_this_weeks_truth(data: Path) -> None:
    """The issue's 'done when': one import a week apart, across a met deadline and a moved one."""
    calendar = SubscribedCalendar()
    calendar.load(export("2026-11-23T12:00"))
    week1 = summaries(calendar)
    assert "某文件印发" in " ".join(week1.values()) and "某地爆炸" not in " ".join(week1.values())
    feed = calendar.load(export("2026-11-30T12:00"))
    assert calendar.shown() == {uid: e.content for uid, e in feed.items() if not e.cancelled}
    week2 = summaries(calendar)
    assert not any("某文件印发" in s for s in week2.values())  # moved, then met: gone
    overdue = sorted(s for s in week2.values() if s.startswith("【逾期】"))
    assert overdue == ["【逾期】一次性任务 — 规划科技处", "【逾期】发布实录 — 规划科技处",
                       "【逾期】媒体关注 — 政策法规处",
                       "【逾期】年度自查 — 办公室", "【逾期】法律法规 — 政策法规处"]
    assert {key[:10] for key, summary in week2.items() if summary.startswith("【逾期】")} == {"2026-11-30"}
    calendar.load(export("2026-12-07T12:00"))  # C02 and T02 met in the week
    week3 = " ".join(summaries(calendar).values())
    assert "媒体关注" in week3  # December's and January's updates are still to come
    assert "【逾期】媒体关注" not in week3 and "先完成后坚持" not in week3


def summaries(calendar: SubscribedCalendar) -> dict[str, str]:
    """`day#summary` → summary, for what the calendar shows."""
    return {f"{content[0][:10]}#{content[1]}": content[1] for content in calendar.shown().values()}


def test_the_moved_and_met_events_keep_their_uid_and_grow_their_sequence(data: Path) -> None:
    from icalendar import Calendar

    def e2(moment: str) -> Any:
        events = Calendar.from_ical(export(moment)).walk("VEVENT")
        [event] = [e for e in events if E2 in str(e["description"])]
        return event

    first, moved, met = e2("2026-11-23T12:00"), e2("2026-11-24T12:00"), e2("2026-11-25T12:00")
    assert len({str(e["uid"]) for e in (first, moved, met)}) == 1
    assert first["dtstart"].dt == date(2026, 11, 24) and str(first["summary"]).startswith("政策解读")
    assert "应于 2026-11-24" in str(first["description"])
    assert moved["dtstart"].dt == date(2026, 11, 24) and str(moved["summary"]).startswith("【逾期】")
    assert "应于 2026-11-23" in str(moved["description"])
    assert str(met["status"]) == "CANCELLED" and "20261125-100000-000000r2" in str(met["description"])
    assert int(first["sequence"]) < int(moved["sequence"]) < int(met["sequence"])
    assert first["last-modified"].dt < moved["last-modified"].dt < met["last-modified"].dt
    # cancelled for a fortnight after the deadline and its meeting, then left out
    assert E2 in export("2026-12-09T12:00").decode()
    assert E2 not in export("2026-12-10T12:00").decode()


def test_an_hour_window_alarm_is_hours_ahead_and_its_passing_moves_it_to_today(data: Path) -> None:
    from icalendar import Calendar

    def e1(moment: str) -> Any:
        [event] = [e for e in Calendar.from_ical(export(moment)).walk("VEVENT") if E1 in str(e["description"])]
        return event

    open_, passed = e1("2026-11-20T10:30"), e1("2026-11-20T16:00")
    assert open_["dtstart"].dt == datetime.fromisoformat("2026-11-20T15:00:00+08:00")
    [alarm] = open_.walk("VALARM")
    assert alarm["trigger"].dt == -timedelta(hours=1)  # a fifth of 5 hours, not a day
    assert passed["dtstart"].dt == date(2026, 11, 20) and str(passed["summary"]).startswith("【逾期】")
    assert "已逾期 1 小时" in str(passed["description"])
    assert int(passed["sequence"]) > int(open_["sequence"])


def test_every_overdue_item_of_the_big_fixture_is_in_the_feed(tmp_path: Path) -> None:
    from icalendar import Calendar

    from zwgk.bench import AS_OF
    from zwgk.bench.generate import generate

    generate(tmp_path, seed=7, scale=0.05, only=("big",))
    folder = str(tmp_path / "big")
    overdue = run_cli("overdue", "--data", folder, "--as-of", AS_OF.isoformat(), "--json")
    items = json.loads(overdue.stdout)["items"]
    assert len(items) > 20
    result = run_cli("ics", "--data", folder, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    events = Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    on_today = [e for e in events if str(e["summary"]).startswith("【逾期】") and str(e["status"]) == "CONFIRMED"]
    assert all(e["dtstart"].dt == AS_OF for e in on_today)
    shown = sorted(str(e["description"]).split("编号:", 1)[1].split("(", 1)[0] for e in on_today)
    assert shown == sorted(item["id"] for item in items)
