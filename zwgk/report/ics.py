"""`zwgk ics`: the deadlines as an iCalendar feed (RFC 5545), via the icalendar package (imported here).

The frozen DeadlineFeed (summary/feed.py) decides what each event is; this module only writes it.
Date deadlines are all-day events (VALUE=DATE); live hour windows of event obligations are timed
events in Asia/Shanghai with a VTIMEZONE. Overdue deadlines are all-day events on as-of, their
summary marked 【逾期】; a met deadline is `STATUS:CANCELLED`. Each event has the feed's stable
UID, `SEQUENCE` and `LAST-MODIFIED` from the journal, and a DTSTAMP that is the later of as-of and
LAST-MODIFIED (never the clock: the same data gives the same bytes), so a calendar importing a
new feed updates or removes the events it holds (RFC 5546: a higher SEQUENCE wins).

Summaries are short — `【逾期】法律法规 — 政策法规处`: state, what, who leads — with ids and the
rest in the description (journal ids are 24 characters). Across units each summary starts with
【unit】. Reminders are relative to the deadline and sized to its window, never before the event
that started it: an all-day deadline reminds at 09:00 the day before ("明天到期"), or at 09:00 on
the day itself ("今天到期") when the event was that day or the day before (a same-day duty); an
hour window reminds a fifth of the window ahead (1 hour before a 5-hour deadline), at least 15
minutes; an overdue deadline at 09:00 on as-of; a cancelled one not at all. Deadlines are
transparent (they do not mark the calendar busy).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from zwgk.models import EventRule
from zwgk.report.labels import KIND_LABEL, PROVISIONAL_MARK, describe_rule
from zwgk.report.safe import clean, clipped, one_line, owners, short
from zwgk.summary.feed import KEEP_CANCELLED_DAYS, Deadline, DeadlineFeed

TZID = "Asia/Shanghai"
BEIJING = ZoneInfo(TZID)
UTC = ZoneInfo("UTC")
STATE_MARK = {"open": "", "overdue": "【逾期】", "met": "【已完成】", "merged": "【逾期】"}
TITLE_LIMIT = 40  # characters of the item's title in a summary (the whole title is in the description)
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
    # DTSTAMP is the snapshot's date (or the event's last change, if later), not the clock.
    stamp = datetime.combine(feed.as_of, time(0, 0), tzinfo=BEIJING)
    for deadline in feed.deadlines:
        calendar.add_component(_event(deadline, max(stamp, deadline.modified), feed))
    return calendar.to_ical()


def summary_of(deadline: Deadline) -> str:
    """`【逾期】法律法规 — 政策法规处`: the state, the item's short title, who leads."""
    item = deadline.status.item
    unit = f"【{item.unit}】" if item.unit else ""
    title = item.title
    parent = "/".join(item.path)
    if item.path and item.kind != "task" and title.startswith(parent):  # a column, or its event's
        title = item.path[-1] + title[len(parent):]
    title = short(title, TITLE_LIMIT)
    lead = one_line("、".join(item.lead)) or "未指定牵头"
    summary = f"{unit}{STATE_MARK[deadline.state]}{title} — {lead}"
    mark = PROVISIONAL_MARK if deadline.provisional and not deadline.cancelled else ""
    return clipped(summary, SUMMARY_LIMIT) + mark


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
    summary = summary_of(deadline)
    event = Event()
    event.add("uid", deadline.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("last-modified", deadline.modified.astimezone(UTC))
    event.add("sequence", deadline.sequence)
    event.add("summary", summary)
    if deadline.time:
        event.add("dtstart", datetime.combine(deadline.day, time.fromisoformat(deadline.time),
                                              tzinfo=BEIJING))
    else:
        event.add("dtstart", deadline.day)
        event.add("duration", timedelta(days=1))
    event.add("status", "CANCELLED" if deadline.cancelled else "CONFIRMED")
    event.add("description", _description(deadline, feed))
    event.add("categories", [KIND_LABEL[item.kind], "政务公开"])
    event.add("transp", "TRANSPARENT")
    if deadline.cancelled:
        return event  # nothing to be reminded of
    trigger, when = reminder(deadline)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{when}:{summary}")
    alarm.add("trigger", trigger)
    event.add_component(alarm)
    return event


def reminder(deadline: Deadline) -> tuple[timedelta, str]:
    """The alarm's trigger (relative to the event's start) and what it says."""
    if deadline.state == "overdue":
        return SAME_DAY_REMINDER, "已逾期"
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
    """What, whose, and how it stands — text that changes only when the event does (no as-of
    date on a live event), so re-importing an unchanged feed changes nothing."""
    status = deadline.status
    item = status.item
    lines = [_standing(deadline),
             f"编号:{item.ref}({KIND_LABEL[item.kind]})",
             f"事项:{item.title}"]
    if deadline.period is not None:
        lines.append(f"周期:{deadline.period.label}")
    lines += [
        f"要求(原文):{item.requirement or '(源文空白)'}",
        f"解读:{describe_rule(item.rule)}",
        f"牵头:{owners(item.lead)}",
        f"{'责任' if item.kind == 'task' else '配合'}:{owners(item.responsible)}",
    ]
    info = status.obligation
    if info is not None:
        at = f" {info.event_time}" if info.event_time else ""
        lines.append(f"事件:{info.event_id} {info.event_date}{at}")
        if info.provisional:
            lines.append(f"该日期为暂定:{'、'.join(map(str, info.provisional_years))} 年放假安排尚未正式公布")
    if item.text:
        lines.append(f"原文:{item.text}")
    return clean("\n".join(lines))


def _standing(deadline: Deadline) -> str:
    due = f"{deadline.due}" + (f" {deadline.status.obligation.due_time}"
                               if deadline.status.obligation and deadline.status.obligation.due_time else "")
    if deadline.state == "overdue":
        hours, days = deadline.status.hours_overdue, deadline.status.days_overdue or 0
        late = f"{hours} 小时" if hours is not None and hours < 24 else f"{days} 天"
        return f"已逾期 {late}(应于 {due}),截至 {deadline.day}"
    if deadline.state == "met":
        record = deadline.met_by
        how = f"(记录 {record.id})" if record is not None else ""
        done = record.date if record is not None else deadline.day
        return f"已于 {done} 完成{how};此日程已取消,保留 {KEEP_CANCELLED_DAYS} 天以便已订阅的日历删除"
    if deadline.state == "merged":
        return f"该周期({due} 到期)未更新,已并入本项的逾期日程;此日程已取消"
    return f"应于 {due} 前完成"
