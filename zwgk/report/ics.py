"""`zwgk ics`: the deadlines as an iCalendar feed (RFC 5545), via the icalendar package (imported here).

Date deadlines are all-day events (VALUE=DATE); hour windows of event obligations are timed
events in Asia/Shanghai with a VTIMEZONE. UIDs hash the item's id (unit-qualified across units,
so 合肥/C12 and 芜湖/C12 differ) and due date, so importing the feed again updates events instead
of duplicating them. Across units each summary starts with 【unit】. Reminders are relative to the
deadline and sized to its window, never before the event that started it: an all-day deadline
reminds at 09:00 the day before ("明天到期"), or at 09:00 on the day itself ("今天到期") when the
event was that day or the day before (a same-day duty); an hour window reminds a fifth of the
window ahead (1 hour before a 5-hour deadline), at least 15 minutes. Deadlines are transparent
(they do not mark the calendar busy).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from zwgk.models import EventRule
from zwgk.report.labels import KIND_LABEL, PROVISIONAL_MARK, STATUS_LABEL, describe_rule
from zwgk.report.safe import clean, one_line, owners
from zwgk.summary.feed import Deadline, DeadlineFeed

TZID = "Asia/Shanghai"
BEIJING = ZoneInfo(TZID)
SUMMARY_PREFIX = {"task": "任务到期", "column": "栏目更新", "obligation": "事件时限"}
SUMMARY_LIMIT = 200
ALL_DAY_REMINDER = timedelta(hours=-15)  # the day before, 09:00
SAME_DAY_REMINDER = timedelta(hours=9)  # the day itself, 09:00
SHORTEST_TIMED_REMINDER = timedelta(minutes=15)


def render(feed: DeadlineFeed) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//zwgk//政务公开到期日//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"{one_line(feed.unit)} 政务公开到期日" + (f"({one_line(feed.dept)})" if feed.dept else "")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    if any(d.time for d in feed.deadlines):
        calendar.add_component(_vtimezone())
    # DTSTAMP is the snapshot's date, not the clock: the same data gives the same bytes.
    stamp = datetime.combine(feed.as_of, time(0, 0), tzinfo=BEIJING).astimezone(ZoneInfo("UTC"))
    for deadline in feed.deadlines:
        calendar.add_component(_event(deadline, stamp, feed))
    return calendar.to_ical()


def _vtimezone():  # type: ignore[no-untyped-def]
    """China Standard Time: UTC+8 all year, no daylight saving since 1991."""
    from icalendar import Timezone, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(hours=8))
    standard.add("tzoffsetto", timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def _event(deadline: Deadline, stamp: datetime, feed: DeadlineFeed):  # type: ignore[no-untyped-def]
    from icalendar import Alarm, Event

    item = deadline.status.item
    mark = PROVISIONAL_MARK if deadline.provisional else ""
    # Across units the summary starts with the unit, so a shared calendar reads at a glance.
    unit = f"【{item.unit}】" if item.unit else ""
    summary = one_line(f"{unit}{SUMMARY_PREFIX[item.kind]}:{item.id if unit else item.ref} {item.title}")
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 1] + "…"
    event = Event()
    event.add("uid", deadline.uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary + mark)
    if deadline.time:
        event.add("dtstart", datetime.combine(deadline.day, time.fromisoformat(deadline.time),
                                              tzinfo=BEIJING))
    else:
        event.add("dtstart", deadline.day)
        event.add("duration", timedelta(days=1))
    event.add("description", _description(deadline, feed))
    event.add("categories", [KIND_LABEL[item.kind], "政务公开"])
    event.add("transp", "TRANSPARENT")
    trigger, when = reminder(deadline)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{when}:{summary}")
    alarm.add("trigger", trigger)
    event.add_component(alarm)
    return event


def reminder(deadline: Deadline) -> tuple[timedelta, str]:
    """The alarm's trigger (relative to the event's start) and what it says."""
    info = deadline.status.obligation
    rule = deadline.status.item.rule
    if deadline.time and info is not None and isinstance(rule, EventRule):
        hours = rule.complex_amount if info.complex and rule.complex_amount is not None else rule.amount
        ahead = max(SHORTEST_TIMED_REMINDER, timedelta(hours=hours) / 5)
        ahead = min(ahead, timedelta(hours=hours))  # never before the event itself
        ahead -= timedelta(minutes=ahead.seconds // 60 % 15)  # whole quarter hours
        return -ahead, f"{_duration(ahead)}后到期"
    if info is not None and (deadline.day - info.event_date).days <= 1:
        return SAME_DAY_REMINDER, "今天到期"  # the day before would come before the event
    return ALL_DAY_REMINDER, "明天到期"


def _duration(span: timedelta) -> str:
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    return (f"{hours} 小时" if hours else "") + (f"{minutes} 分钟" if minutes else "")


def _description(deadline: Deadline, feed: DeadlineFeed) -> str:
    status = deadline.status
    item = status.item
    lines = [
        f"编号:{item.ref}({KIND_LABEL[item.kind]})",
        f"事项:{item.title}",
        f"要求(原文):{item.requirement or '(源文空白)'}",
        f"解读:{describe_rule(item.rule)}",
        f"牵头:{owners(item.lead)}",
        f"{'责任' if item.kind == 'task' else '配合'}:{owners(item.responsible)}",
        f"截至 {feed.as_of} 的状态:{STATUS_LABEL[status.status]}",
    ]
    if deadline.recurring:
        lines.append("(周期性要求的后续周期)")
    info = status.obligation
    if info is not None:
        at = f" {info.event_time}" if info.event_time else ""
        lines.append(f"事件:{info.event_id} {info.event_date}{at}")
        if info.provisional:
            lines.append(f"该日期为暂定:{'、'.join(map(str, info.provisional_years))} 年放假安排尚未正式公布")
    if item.text:
        lines.append(f"原文:{item.text}")
    return clean("\n".join(lines))
