"""A department's reminder as each channel shows it: DingTalk markdown, WeCom markdown, email
text and HTML, all in Chinese.

Each platform has a size limit — a DingTalk robot's markdown about 20,000 bytes, a WeCom robot's
4,096 bytes — so the list is cut at the most items that fit (and at MAX_ITEMS for reading on a
phone) and the message says how many more there are and which command lists them all. The data's
text is made printable and, in markdown, loses the characters that would make it markup (a
title cannot turn into a link or a coloured `<font>`). Renderers receive a finished reminder and
do no date arithmetic.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zwgk.report.labels import due_text, event_refs, overdue_text, printable
from zwgk.rules.engine import ItemStatus
from zwgk.rules.owners import Holding
from zwgk.summary.reminders import Reminder

DINGTALK_LIMIT = 20_000  # bytes of markdown text a DingTalk robot accepts
WECOM_LIMIT = 4_096  # bytes of markdown content a WeCom robot accepts
EMAIL_ITEMS = 500
MAX_ITEMS = 100  # a robot message is read on a phone: past this, the rest is a count
# What would be markup in a robot's markdown, as the full-width characters that read the same.
_MARKUP = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "<>[]*`#|_~"})


@dataclass(frozen=True)
class Message:
    via: str
    title: str  # a robot message's title; an email's subject
    text: str  # markdown for the robots, plain text for email
    html: str | None = None  # email only
    shown: int = 0  # items listed
    total: int = 0  # items the reminder holds
    payload: dict[str, Any] = field(default_factory=dict)  # the robot's JSON body

    @property
    def digest(self) -> str:
        whole = "\0".join((self.title, self.text, self.html or ""))
        return hashlib.sha256(whole.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Row:
    """One listed item in words: reference, title, when, how late or near, the department's role."""

    overdue: bool
    ref: str
    title: str
    due: str
    when: str  # 逾期 26 天 / 还有 5 天
    role: str


def rows(reminder: Reminder) -> list[Row]:
    refs = event_refs(reminder.evaluation.statuses)
    found = [_row(h.status, h.holding, True, refs, _late(h.status)) for h in reminder.overdue]
    found += [_row(r.status, r.holding, False, refs,
                   "今天到期" if r.days_left == 0 else f"还有 {r.days_left} 天") for r in reminder.due_soon]
    return found


def _late(status: ItemStatus) -> str:
    said = overdue_text(status)
    return f"逾期 {said}" if status.hours_overdue is not None else f"逾期 {said} 天"


def _row(status: ItemStatus, holding: Holding | None, late: bool, refs: dict[tuple[str | None, str], str],
         when: str) -> Row:
    item = status.item
    ref = refs.get((item.unit, item.id), item.ref) if status.obligation else item.ref
    return Row(late, printable(ref), printable(item.title), due_text(status), when,
               holding.label if holding else "")


def headline(reminder: Reminder) -> str:
    return f"逾期 {len(reminder.overdue)} 项,即将到期 {len(reminder.due_soon)} 项({reminder.due_within} 天内)"


def more_line(reminder: Reminder, hidden: int) -> str:
    return (f"……另有 {hidden} 项未列出,运行 zwgk overdue --dept {printable(reminder.dept)}"
            f" 和 zwgk upcoming --dept {printable(reminder.dept)} --within {reminder.due_within}d 查看全部")


def fitted(listed: list[Row], build: Callable[[list[Row], int], str], limit: int,
           cap: int) -> tuple[str, int]:
    """The message with the most rows (up to `cap`) whose UTF-8 size is within `limit`, and how
    many rows it shows. Size grows with the rows shown, so the most that fit is found by halving."""
    low, high = 0, min(cap, len(listed))
    while low < high:
        middle = (low + high + 1) // 2
        if len(build(listed[:middle], len(listed) - middle).encode("utf-8")) <= limit:
            low = middle
        else:
            high = middle - 1
    return build(listed[:low], len(listed) - low), low


def _md(text: str) -> str:
    return printable(text).translate(_MARKUP)


# --- DingTalk ---------------------------------------------------------------------------------


def dingtalk(reminder: Reminder) -> Message:
    title = f"政务公开提醒:{printable(reminder.dept)} {headline(reminder)}"
    listed = rows(reminder)

    def build(shown: list[Row], hidden: int) -> str:
        parts = [f"### 政务公开提醒:{_md(reminder.dept)}",
                 f"{_md(reminder.unit)} · {reminder.as_of.isoformat()} · {headline(reminder)}"]
        parts += _md_sections(reminder, shown, lambda r: f"**{r.when}**")
        if hidden:
            parts.append(_md(more_line(reminder, hidden)))
        parts.append("> 完成后登记:zwgk record 编号 --date 日期 --url 证据链接")
        return "\n\n".join(parts)

    text, shown = fitted(listed, build, DINGTALK_LIMIT, MAX_ITEMS)
    payload = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return Message("dingtalk", title, text, shown=shown, total=len(listed), payload=payload)


def _md_sections(reminder: Reminder, shown: list[Row], when: Callable[[Row], str]) -> list[str]:
    parts = []
    for late, heading, count in ((True, "逾期", len(reminder.overdue)),
                                 (False, f"即将到期({reminder.due_within} 天内)", len(reminder.due_soon))):
        mine = [r for r in shown if r.overdue is late]
        if not count:
            continue
        parts.append(f"**{heading}:{count} 项**")
        if mine:
            parts.append("\n".join(
                f"{n}. {_md(r.ref)} {_md(r.title)} — 应完成 {_md(r.due)},{when(r)}"
                + (f"({_md(r.role)})" if r.role else "")
                for n, r in enumerate(mine, 1)))
    return parts


# --- WeCom ------------------------------------------------------------------------------------


def wecom(reminder: Reminder) -> Message:
    title = f"政务公开提醒:{printable(reminder.dept)} {headline(reminder)}"
    listed = rows(reminder)

    def build(shown: list[Row], hidden: int) -> str:
        parts = [f"### 政务公开提醒:{_md(reminder.dept)}",
                 f"> {_md(reminder.unit)} · {reminder.as_of.isoformat()} · {headline(reminder)}"]
        colour = {True: "warning", False: "comment"}
        parts += _md_sections(reminder, shown,
                              lambda r: f'<font color="{colour[r.overdue]}">{r.when}</font>')
        if hidden:
            parts.append(_md(more_line(reminder, hidden)))
        return "\n".join(parts)

    text, shown = fitted(listed, build, WECOM_LIMIT, MAX_ITEMS)
    payload = {"msgtype": "markdown", "markdown": {"content": text}}
    return Message("wecom", title, text, shown=shown, total=len(listed), payload=payload)


# --- email ------------------------------------------------------------------------------------


def email(reminder: Reminder) -> Message:
    subject = (f"【政务公开提醒】{printable(reminder.dept)}:逾期 {len(reminder.overdue)} 项,"
               f"即将到期 {len(reminder.due_soon)} 项({reminder.as_of.isoformat()})")
    listed = rows(reminder)
    shown = listed[:EMAIL_ITEMS]
    hidden = len(listed) - len(shown)
    return Message("email", subject, _email_text(reminder, shown, hidden),
                   _email_html(reminder, shown, hidden), shown=len(shown), total=len(listed))


def _email_text(reminder: Reminder, shown: list[Row], hidden: int) -> str:
    lines = [f"{printable(reminder.dept)}:", "",
             f"{printable(reminder.unit)} 截至 {reminder.as_of.isoformat()},{headline(reminder)}。", ""]
    for late, heading in ((True, "逾期"), (False, f"即将到期({reminder.due_within} 天内)")):
        mine = [r for r in shown if r.overdue is late]
        if mine:
            lines.append(f"{heading}:")
            lines += [f"  {n}. {r.ref} {r.title} — 应完成 {r.due},{r.when}"
                      + (f"({r.role})" if r.role else "") for n, r in enumerate(mine, 1)]
            lines.append("")
    if hidden:
        lines += [more_line(reminder, hidden), ""]
    lines += ["完成后请登记:zwgk record 编号 --date 日期 --url 证据链接", "", "—— zwgk 自动发送,请勿直接回复"]
    return "\n".join(lines) + "\n"


def _email_html(reminder: Reminder, shown: list[Row], hidden: int) -> str:
    esc = html.escape
    cells = "".join(
        f'<tr><td>{n}</td><td style="color:{"#c00" if r.overdue else "#a60"}">{esc(r.when)}</td>'
        f"<td>{esc(r.ref)}</td><td>{esc(r.title)}</td><td>{esc(r.due)}</td><td>{esc(r.role)}</td></tr>"
        for n, r in enumerate(shown, 1))
    more = f"<p>{esc(more_line(reminder, hidden))}</p>" if hidden else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
        f"<p>{esc(printable(reminder.dept))}:</p>"
        f"<p>{esc(printable(reminder.unit))} 截至 {reminder.as_of.isoformat()},"
        f"{esc(headline(reminder))}。</p>"
        '<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">'
        "<tr><th>序号</th><th>状态</th><th>编号</th><th>事项</th><th>应完成</th><th>本处室角色</th></tr>"
        f"{cells}</table>{more}"
        "<p>完成后请登记:<code>zwgk record 编号 --date 日期 --url 证据链接</code></p>"
        "<p>—— zwgk 自动发送,请勿直接回复</p></body></html>"
    )


RENDER: dict[str, Callable[[Reminder], Message]] = {"dingtalk": dingtalk, "wecom": wecom, "email": email}
