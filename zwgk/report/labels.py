"""Chinese labels and terminal styles for statuses and rule readings, shared by all renderers."""

from __future__ import annotations

from zwgk.dates.periods import CYCLE_LABEL
from zwgk.models import DeadlineRule, EventRule, OngoingRule, PeriodicRule, UnspecifiedRule
from zwgk.rules.engine import ItemStatus, Status

STATUS_LABEL = {
    Status.DONE: "已完成",
    Status.OK: "正常",
    Status.OPEN: "未到期",
    Status.DUE_SOON: "即将到期",
    Status.OVERDUE: "逾期",
    Status.ONGOING: "长期坚持",
    Status.WAITING: "待事件触发",
    Status.UNSPECIFIED: "无明确时限",
    Status.UNTRACKED: "早于跟踪起点",
}

STATUS_STYLE = {
    Status.DONE: "green",
    Status.OK: "green",
    Status.OPEN: "",
    Status.DUE_SOON: "yellow",
    Status.OVERDUE: "bold red",
    Status.ONGOING: "cyan",
    Status.WAITING: "dim",
    Status.UNSPECIFIED: "magenta",
    Status.UNTRACKED: "dim",
}

KIND_LABEL = {"task": "任务", "column": "栏目", "obligation": "事件义务"}

# Bidi overrides and isolates reorder what follows them on screen (a title could flip a date).
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), "\ufffd")


def printable(text: str) -> str:
    """Data as terminal-safe text on one line: no escape sequences, no control or bidi-override
    characters, no line breaks, and no `::` a CI runner would read as a command.

    Rich passes ESC through, so a title holding `\x1b[2J` would clear the clerk's screen; and
    zwgk's output lands in CI logs, where a line starting `::error` is obeyed.
    """
    text = text.translate(_BIDI)
    text = "".join(ch if ch.isprintable() or ch == "\u3000" else (" " if ch in "\t\n\r" else "\ufffd")
                   for ch in text)  # U+3000, the ideographic space, is everyday Chinese text
    return text.replace("::", ": :")  # visibly split: a CI runner no longer sees a command


def describe_rule(rule: object) -> str:
    """The structured reading of a deadline phrase, in words a clerk would use."""
    if isinstance(rule, DeadlineRule):
        text = f"一次性,{rule.due.isoformat()} 前完成"
        if rule.then == "ongoing" and rule.review:
            return text + f",此后{CYCLE_LABEL[rule.review]}至少 1 次"
        return text + ",此后长期坚持" if rule.then == "ongoing" else text
    if isinstance(rule, PeriodicRule):
        text = f"{CYCLE_LABEL[rule.cycle]}至少 1 次"
        if rule.by:
            text += f"(每年 {rule.by} 前)"
        if rule.dates:
            text += "(本单位定的日期:" + "、".join(d.isoformat() for d in rule.dates) + ")"
        return text
    if isinstance(rule, OngoingRule):
        return "长期坚持" + (f",{CYCLE_LABEL[rule.review]}复核" if rule.review else "")
    if isinstance(rule, EventRule):
        return describe_event(rule)
    if isinstance(rule, UnspecifiedRule):
        return f"无明确时限:{rule.reason}"
    return str(rule)


def describe_event(rule: EventRule) -> str:
    if rule.unit == "same_day":
        window = "当日"
    elif rule.unit == "hours":
        window = f"{rule.amount} 小时内"
    elif rule.direction == "before":
        window = f"提前 {rule.amount} 个工作日"
    else:
        window = f"{rule.amount} 个工作日内"
    text = f"事件触发:{rule.trigger} → {window}"
    if rule.complex_amount is not None:
        text += f"(情况复杂可延至 {rule.complex_amount} 个工作日)"
    if rule.target_hours is not None:
        text += f"(力争 {rule.target_hours} 小时内)"
    return text


PROVISIONAL_MARK = "(暂定)"


def overdue_text(status: ItemStatus) -> str:
    """How late: in hours for an hour window (judged by the clock), else in days."""
    if status.hours_overdue is not None:
        return f"{status.hours_overdue} 小时"
    return "" if status.days_overdue is None else str(status.days_overdue)


def due_text(status: ItemStatus) -> str:
    """The due date as shown to people: with the hour for hour windows, and marked provisional
    when it depends on a year whose official holiday notice is not out yet."""
    if status.due is None:
        return "—"
    text = status.due.isoformat()
    info = status.obligation
    if info is not None and info.due_time:
        text += f" {info.due_time}"
    if info is not None and info.provisional:
        text += PROVISIONAL_MARK
    return text


def provisional_note(years: tuple[int, ...] | list[int]) -> str:
    listed = "、".join(str(y) for y in years)
    return (f"注意:{listed} 年的放假调休安排尚未正式公布,该日期为暂定,"
            f"请在 calendar.yaml 中补录国务院办公厅通知 (provisional: no official calendar for {listed})")
