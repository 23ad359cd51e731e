"""`zwgk ics`: the deadline calendar parses back with icalendar: stable UIDs, reminders sized to
the window, all-day dates, Beijing-time hour windows, every overdue deadline on today, short
summaries, nothing outside the requested months (updates across imports: test_ics_updates.py)."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import run_cli, unit_with_hours

from zwgk.summary.feed import deadline_uid

AS_OF = "2026-11-26T12:00"
EVENTS = [
    {"id": "20261126-103000-000000c1", "type": "event", "item": "C05", "date": "2026-11-26",
     "time": "10:30", "title": "某地爆炸", "at": "2026-11-26T10:40:00+08:00"},
    {"id": "20261125-220000-000000c2", "type": "event", "item": "C05", "date": "2026-11-25",
     "time": "22:00", "title": "夜间险情", "at": "2026-11-25T22:10:00+08:00"},
    {"id": "20261124-083000-000000c3", "type": "event", "item": "C03", "date": "2026-11-24",
     "title": "某矿透水", "at": "2026-11-24T08:30:00+08:00"},  # due 11-24: overdue
    {"id": "20261125-160000-000000c4", "type": "record", "item": "T01", "date": "2026-11-25",
     "at": "2026-11-25T16:00:00+08:00"},  # T01 done: its event is cancelled
]
JOURNAL_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{8}")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_data(tmp_path)


def feed(*args: str, as_of: str = AS_OF) -> bytes:
    result = run_cli("ics", "--data", "data", "--as-of", as_of, *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def ref_of(event: object) -> str:
    found = re.search(r"编号:(\S+?)\(", str(event["description"]))  # type: ignore[index]
    assert found, event
    return found.group(1)


def events(raw: bytes, cancelled: bool = False) -> dict[str, object]:
    """`ref@day` → event, the live ones (or, with cancelled=True, the cancelled ones)."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(raw)
    return {f"{ref_of(e)}@{_day(e)}": e for e in calendar.walk("VEVENT")
            if (str(e["status"]) == "CANCELLED") == cancelled}


def _day(event: object) -> str:
    start = event["dtstart"].dt  # type: ignore[index]
    return (start.date() if isinstance(start, datetime) else start).isoformat()


def test_the_feed_holds_every_deadline_and_every_overdue_one_on_today(data: Path) -> None:
    found = events(feed())
    assert sorted(found) == sorted([
        "C02@2026-11-30", "C02@2026-12-31", "C02@2027-01-31",  # every month of the cycle
        "C01@2026-12-31", "C04@2026-12-31", "T02@2026-12-31",
        "20261126-103000-000000c1@2026-11-26",  # 10:30 + 5 hours: 15:30, still ahead at 12:00
        # overdue, on today: the missed cycles, the yearly self-check, the passed obligations
        "C01@2026-11-26", "C02@2026-11-26", "C04@2026-11-26", "T03@2026-11-26",
        "20261125-220000-000000c2@2026-11-26", "20261124-083000-000000c3@2026-11-26",
    ])
    for key, event in found.items():
        overdue = str(event["summary"]).startswith("【逾期】")
        assert overdue == (key.endswith("@2026-11-26") and "c1" not in key), key
    assert sorted(events(feed(), cancelled=True)) == ["T01@2026-08-31"]


def test_uids_are_stable_and_the_bytes_identical_across_runs(data: Path) -> None:
    first, second = feed(), feed()
    assert first == second
    uids = [str(e["uid"]) for e in events(first).values()]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@zwgk") for uid in uids)
    assert deadline_uid("C02|2026-11") in uids
    # A new journal line elsewhere moves neither the other events' UIDs nor their SEQUENCE.
    before = {key: (str(e["uid"]), int(e["sequence"])) for key, e in events(first).items()}
    with open(data / "journal" / "2026.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "x1", "type": "record", "item": "C04", "date": "2026-11-20",
                                 "at": "2026-11-20T09:00:00+08:00"}) + "\n")
    after = {key: (str(e["uid"]), int(e["sequence"])) for key, e in events(feed()).items()}
    assert {k: v for k, v in after.items() if not k.startswith("C04")} == {
        k: v for k, v in before.items() if not k.startswith("C04")}
    assert deadline_uid("C04|2026-Q4") not in {uid for uid, _ in after.values()}  # met: cancelled
    cancelled = {str(e["uid"]) for e in events(feed(), cancelled=True).values()}
    assert {deadline_uid("C04|2026-Q4"), before["C04@2026-11-26"][0]} <= cancelled


def test_reminders_are_sized_to_the_window_and_never_precede_the_event(data: Path) -> None:
    for key, event in events(feed()).items():
        [alarm] = event.walk("VALARM")  # type: ignore[attr-defined]
        assert str(alarm["action"]) == "DISPLAY"
        trigger, start = alarm["trigger"].dt, event["dtstart"].dt  # type: ignore[index]
        if isinstance(start, datetime):  # the 5-hour window: one hour ahead, after the event
            assert trigger == -timedelta(hours=1), key
            assert str(alarm["description"]).startswith("1 小时后到期"), key
        elif str(event["summary"]).startswith("【逾期】"):  # type: ignore[index]
            assert trigger == timedelta(hours=9), key  # 09:00 today
            assert str(alarm["description"]).startswith("已逾期"), key
        else:  # a task's or a column's date: 09:00 the day before
            assert trigger == timedelta(hours=-15), key
            assert str(alarm["description"]).startswith("明天到期"), key
    for event in events(feed(), cancelled=True).values():
        assert not event.walk("VALARM")  # type: ignore[attr-defined]
    raw = feed().decode()
    assert "TRIGGER:-PT15H" in raw  # all-day: 09:00 the day before
    assert "TRIGGER:-PT1H" in raw  # 5 hours: one hour ahead
    assert "TRIGGER:-P1D" not in raw  # a day ahead of a 5-hour deadline is before the event


def test_a_same_day_duty_reminds_that_morning_as_due_today(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    accident = {"id": "20261126-083000-000000d1", "type": "event", "item": "C03", "date": "2026-11-26",
                "title": "某矿冒顶", "at": "2026-11-26T08:30:00+08:00"}
    write_data(tmp_path, [accident])
    obligation = events(feed())["20261126-083000-000000d1@2026-11-26"]
    [alarm] = obligation.walk("VALARM")  # type: ignore[attr-defined]
    assert alarm["trigger"].dt == timedelta(hours=9)  # 09:00 that day, not the day before
    assert str(alarm["description"]).startswith("今天到期")


def test_dates_are_all_day_and_hour_windows_are_beijing_times(data: Path) -> None:
    raw = feed().decode()
    assert "DTSTART;VALUE=DATE:20261231" in raw
    assert "DTSTART;TZID=Asia/Shanghai:20261126T153000" in raw  # 10:30 + 5 hours
    early = feed(as_of="2026-11-26T01:00").decode()
    assert "DTSTART;TZID=Asia/Shanghai:20261126T030000" in early  # 22:00 + 5 hours, next day
    assert "DTSTART;TZID=Asia/Shanghai:20261126T030000" not in raw  # passed by 12:00: overdue
    from icalendar import Calendar

    calendar = Calendar.from_ical(raw.encode())
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Asia/Shanghai"
    for event in calendar.walk("VEVENT"):
        start = event["dtstart"].dt
        if isinstance(start, datetime):
            assert start.utcoffset() == timedelta(hours=8)
            assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
        else:
            assert event["dtstart"].params.get("VALUE") == "DATE"
        assert event["last-modified"].dt.utcoffset() == timedelta(0)
        assert int(event["sequence"]) >= 0


def test_summaries_are_short_and_ids_are_in_the_description(data: Path) -> None:
    found = events(feed())
    assert str(found["C01@2026-11-26"]["summary"]) == "【逾期】法律法规 — 政策法规处"
    assert str(found["C04@2026-12-31"]["summary"]) == "发布实录 — 规划科技处"
    description = str(found["C04@2026-12-31"]["description"])
    assert "编号:C04(栏目)" in description and "周期:2026年第4季度" in description
    assert "要求(原文):每季度不少于1次更新" in description
    assert "牵头:规划科技处" in description
    t02 = str(found["T02@2026-12-31"]["description"])
    assert "要求(原文):2026年12月底 长期坚持" in t02 and "责任:各处室" in t02
    assert "原文:建立制度并长期坚持。" in t02
    hours = found["20261126-103000-000000c1@2026-11-26"]
    assert str(hours["summary"]) == "突发事件:某地爆炸 — 办公室"
    assert "事件:20261126-103000-000000c1 2026-11-26 10:30" in str(hours["description"])
    [t01] = events(feed(), cancelled=True).values()
    assert str(t01["summary"]) == "【已完成】一次性任务 — 规划科技处"
    assert "20261125-160000-000000c4" in str(t01["description"])
    from icalendar import Calendar

    for event in Calendar.from_ical(feed()).walk("VEVENT"):
        assert not JOURNAL_ID.search(str(event["summary"])), event["summary"]
        assert len(str(event["summary"])) <= 60


def test_months_and_dept_narrow_the_feed(data: Path) -> None:
    overdue = {"C01@2026-11-26", "C02@2026-11-26", "C04@2026-11-26", "T03@2026-11-26",
               "20261125-220000-000000c2@2026-11-26", "20261124-083000-000000c3@2026-11-26"}
    assert sorted(events(feed("--months", "1"))) == sorted(
        {*overdue, "20261126-103000-000000c1@2026-11-26", "C02@2026-11-30"})
    mine = events(feed("--dept", "规划科技处"))
    assert sorted(mine) == ["C01@2026-11-26", "C01@2026-12-31", "C04@2026-11-26", "C04@2026-12-31",
                            "T02@2026-12-31", "T03@2026-11-26"]  # T02, T03: through 各处室
    assert "规划科技处" in feed("--dept", "规划科技处").decode()  # the calendar's name says whose
    result = run_cli("ics", "--data", "data", "--as-of", AS_OF, "--months", "0")
    assert result.exit_code == 2


def test_output_file(data: Path) -> None:
    result = run_cli("ics", "--data", "data", "--as-of", AS_OF, "-o", "zwgk.ics")
    assert result.exit_code == 0 and result.stdout == ""
    assert Path("zwgk.ics").read_bytes() == feed()
    assert Path("zwgk.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_hostile_text_stays_inert_in_the_feed(data: Path) -> None:
    tasks = data / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    evil = "\\u202e<script>x</script>\\x1b[2J\\r\\nDTSTART:19700101\\u0007[red]x[/red]"
    text = text.replace("title: 先完成后坚持", f'title: "{evil}{"长" * 10_000}"')
    text = text.replace("deadline: 2026年12月底 长期坚持", f'deadline: "=HYPERLINK(\\"http://x\\"){evil}"')
    tasks.write_text(text, encoding="utf-8")
    raw = feed()
    from icalendar import Calendar

    calendar = Calendar.from_ical(raw)
    [t02] = [e for e in calendar.walk("VEVENT") if ref_of(e) == "T02"]
    summary, description = str(t02["summary"]), str(t02["description"])
    assert len(summary) <= 60
    assert summary.startswith("\ufffd<script>x</script>\ufffd[2J")
    assert "[red]x[/red]" in description and '=HYPERLINK("http://x")' in description
    assert "长" * 10_000 in description
    for value in (summary, description):
        odd = {ch for ch in value if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")}
        assert not odd
    # the injected "DTSTART" stayed inside the text: one start per event
    starts = len(calendar.walk("VEVENT")) + len(calendar.walk("STANDARD"))  # VTIMEZONE has one too
    assert raw.count(b"\r\nDTSTART") == starts


def test_out_dir_writes_one_feed_per_unit(data: Path) -> None:
    result = run_cli("ics", "--data", "data", "--as-of", AS_OF, "--out-dir", "feeds")
    assert result.exit_code == 0, result.output
    assert Path("feeds/测试局.ics").read_bytes() == feed()
    result = run_cli("ics", "--data", "data", "--as-of", AS_OF, "--out-dir", "feeds", "--dept", "规划科技处")
    assert result.exit_code == 0, result.output
    assert Path("feeds/测试局-规划科技处.ics").read_bytes() == feed("--dept", "规划科技处")
    both = run_cli("ics", "--data", "data", "--as-of", AS_OF, "--out-dir", "feeds", "-o", "x.ics")
    assert both.exit_code == 2 and not Path("x.ics").exists()


def write_data(folder: Path, events: list[dict[str, str]] = EVENTS) -> Path:
    return unit_with_hours(folder, events)  # type: ignore[arg-type]
