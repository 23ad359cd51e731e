"""Chinese labels and terminal styles for statuses and rule readings, shared by all renderers."""

from __future__ import annotations

from zwgk.models import DeadlineRule, EventRule, OngoingRule, PeriodicRule, UnspecifiedRule
from zwgk.periods import CYCLE_LABEL
from zwgk.rules import Status

STATUS_LABEL = {
    Status.DONE: "已完成",
    Status.OK: "正常",
    Status.OPEN: "未到期",
    Status.DUE_SOON: "即将到期",
    Status.OVERDUE: "逾期",
    Status.ONGOING: "长期坚持",
    Status.WAITING: "待事件触发",
    Status.UNSPECIFIED: "无明确时限",
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
}

KIND_LABEL = {"task": "任务", "column": "栏目", "obligation": "事件义务"}


def describe_rule(rule: object) -> str:
    """The structured reading of a deadline phrase, in words a clerk would use."""
    if isinstance(rule, DeadlineRule):
        text = f"一次性,{rule.due.isoformat()} 前完成"
        return text + ",此后长期坚持" if rule.then == "ongoing" else text
    if isinstance(rule, PeriodicRule):
        text = f"{CYCLE_LABEL[rule.cycle]}至少 1 次"
        return text + f"(每年 {rule.by} 前)" if rule.by else text
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
