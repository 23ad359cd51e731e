"""Chinese labels and terminal styles for statuses and rule readings, shared by all renderers;
the short references of event obligations (C10#3); and text fitted to a width in terminal cells
(a Chinese character is two): even wrapping, URLs shortened, and tables laid out for the width
they are printed at (Grid)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.text import Text

from zwgk.dates.periods import CYCLE_LABEL
from zwgk.models import DeadlineRule, EventRule, JournalEntry, OngoingRule, PeriodicRule, UnspecifiedRule
from zwgk.rules.engine import ItemStatus, Status

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

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
    if rule.happening is not None:
        text += f";事件类型“{rule.happening}”"
    return text


PROVISIONAL_MARK = "(暂定)"


def overdue_text(status: ItemStatus) -> str:
    """How late: in hours for an hour window (judged by the clock), else in days."""
    if status.hours_overdue is not None:
        return f"{status.hours_overdue} 小时" if status.hours_overdue else "不到 1 小时"
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
    return (f"注意:{listed} 年的放假调休安排尚未正式公布(或 calendar.yaml 中录入不完整),该日期为暂定,"
            f"请在 calendar.yaml 中补录国务院办公厅通知的全部日期 "
            f"(provisional: no whole official calendar for {listed})")


# --- short references for event obligations ----------------------------------------------------

def event_refs(statuses: Iterable[ItemStatus]) -> dict[tuple[str | None, str], str]:
    """Short references for event obligations, as tables show them: the parent item's id and the
    obligation's ordinal among that item's events in journal order (C10#3; 合肥/C10#3 across
    units). Keyed by (unit, event id); the evaluation lists each item's obligations in journal
    order, so the statuses it holds are enough (the journal itself need not be read)."""
    counts: dict[tuple[str | None, str], int] = {}
    refs: dict[tuple[str | None, str], str] = {}
    for status in statuses:
        info = status.obligation
        if info is None:
            continue
        unit = status.item.unit
        number = counts[unit, info.parent] = counts.get((unit, info.parent), 0) + 1
        refs[unit, status.item.id] = f"{unit + '/' if unit else ''}{info.parent}#{number}"
    return refs


def journal_event_refs(entries: Iterable[JournalEntry]) -> dict[str, str]:
    """The same references read from a journal: event id → C10#3. They agree with `event_refs`
    whenever no event is dated after the as-of day (a replay of a past day numbers only the
    events it can see)."""
    counts: dict[str, int] = {}
    refs: dict[str, str] = {}
    for entry in entries:
        if entry.type == "event":
            counts[entry.item] = counts.get(entry.item, 0) + 1
            refs[entry.id] = f"{entry.item}#{counts[entry.item]}"
    return refs


# --- fitting text to a width (terminal cells: a Chinese character is two) ----------------------

ELLIPSIS = "…"
# No line may start with a closing mark or end with an opening one (the usual Chinese rule).
_NO_START = frozenset(")]}),。、;:!?」』】〕》”’…%")
_NO_END = frozenset("([{(「『【〔《“‘")
_BREAK_AFTER = frozenset("、,;/,;")


def _widths(text: str) -> list[int]:
    return [cell_len(ch) for ch in text]


def head_cells(text: str, width: int) -> str:
    """The longest start of `text` that fits in `width` cells."""
    used = 0
    for index, ch in enumerate(text):
        used += cell_len(ch)
        if used > width:
            return text[:index]
    return text


def tail_cells(text: str, width: int) -> str:
    """The longest end of `text` that fits in `width` cells."""
    return head_cells(text[::-1], width)[::-1]


def truncated(text: str, width: int) -> str:
    """`text` cut to `width` cells, with … where it was cut."""
    if cell_len(text) <= width:
        return text
    return head_cells(text, width - 1) + ELLIPSIS if width > 0 else ""


_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://)?([^/?#\s]*)(.*)", re.S)


def shorten_url(url: str, width: int) -> str:
    """A URL in `width` cells without breaking it: whole if it fits, else its host, … and its
    tail (www.example.gov.cn…/t20261003_1234567.html). The full URL is in --json."""
    if cell_len(url) <= width or width < 2:
        return url if cell_len(url) <= width else ELLIPSIS[:width]
    found = _URL.match(url)
    assert found is not None  # the pattern matches every string
    host, rest = found.groups()
    room = width - cell_len(host) - 1
    if not host or room < min(12, cell_len(rest)):  # no host to keep, or it fills the width: both ends
        host, rest, room = head_cells(url, width - 1 - (width - 1) // 2), url, (width - 1) // 2
    tail = tail_cells(rest, room)
    slash = tail.find("/")  # start the tail at a path segment when that costs little
    return host + ELLIPSIS + (tail[slash:] if 0 < slash <= len(tail) // 3 else tail)


def _may_break(text: str, index: int) -> bool:
    """May a line start at text[index]? After a space or a list separator, and between Chinese
    characters; never inside a run of ASCII (a date, a number, a word, an id)."""
    before, after = text[index - 1], text[index]
    if after == " " or after in _NO_START or before in _NO_END:
        return False
    if before == " " or before in _BREAK_AFTER:
        return True
    return cell_len(before) > 1 or cell_len(after) > 1


def _greedy(text: str, cells: list[int], width: int) -> list[int]:
    """Where each line starts when lines are filled up to `width` cells."""
    starts, used, last_break, last_mark = [0], 0, -1, -1
    for index, size in enumerate(cells):
        if index > starts[-1] and _may_break(text, index):
            last_break = index
            if text[index - 1] in _BREAK_AFTER or text[index - 1] in ":: ":
                last_mark = index
        if used + size > width and index > starts[-1]:
            # After a separator (政策法规/上级文件) if that fills half the line; else at the last
            # break point; and where there is none, fold.
            marked = last_mark > starts[-1] and 2 * sum(cells[starts[-1]:last_mark]) >= width
            start = last_mark if marked else last_break if last_break > starts[-1] else index
            starts.append(start)
            used = sum(cells[start:index])
            if used + size > width and index > start:  # what moved down is full already
                starts.append(index)
                used = 0
        used += size
    return starts


def wrap_starts(text: str, width: int) -> list[int]:
    """Where each line of `text` starts when it is wrapped to `width` cells, balanced: as few
    lines as filling each line would take, but of even length, so a title never ends on a line
    holding one character."""
    if cell_len(text) <= width or width < 2:
        return [0]
    cells = _widths(text)
    lines = len(_greedy(text, cells, width))
    low, high = max(2, -(-sum(cells) // lines)), width
    while low < high:  # the narrowest width that still takes no more lines
        middle = (low + high) // 2
        if len(_greedy(text, cells, middle)) <= lines:
            high = middle
        else:
            low = middle + 1
    return _greedy(text, cells, high)


# --- tables that fit the width they are printed at -----------------------------------------------

TITLE_MIN = 20  # cells (10 Chinese characters): the title column gets no less while columns can go
TITLE_ROOM = 30  # cells the title keeps before an optional column is shown at all
NARROWEST = 8  # below every minimum (a terminal under 60 columns): text columns give up to this
GAP = 3  # cells between two columns of a Rich table: padding, the (blank) rule, padding


@dataclass(frozen=True)
class Fit:
    """How a table column behaves as the width runs short. `fixed` never shrinks (ids, dates,
    numbers); `wrap` wraps down to `min` cells; `main` is the title (TITLE_MIN, and the first
    share of any room left); `url` is shortened with … (shorten_url). Columns with a `drop`
    rank go, lowest rank first, while the rest do not fit at their minimum widths; an
    `optional` one is shown only if the title still keeps TITLE_ROOM cells."""

    kind: Literal["fixed", "wrap", "main", "url"] = "fixed"
    min: int = 10
    drop: int = 0  # 0: always shown
    optional: bool = False


def layout(fits: Sequence[Fit], naturals: Sequence[int], heads: Sequence[int], width: int,
           gap: int) -> dict[int, int]:
    """The columns shown at `width` (cells, `gap` between columns) and each one's width.
    `naturals`: the widest cell of each column (its header included); `heads`: the headers'."""

    def least(index: int, kept: list[int]) -> int:
        fit = fits[index]
        if fit.kind == "fixed":
            return naturals[index]
        floor = fit.min
        if fit.kind == "main" and any(fits[other].optional for other in kept):
            floor = max(floor, TITLE_ROOM)
        return min(naturals[index], max(heads[index], floor))

    def need(kept: list[int]) -> int:
        return sum(least(index, kept) for index in kept) + gap * (len(kept) - 1)

    kept = list(range(len(fits)))
    for index in sorted((i for i in kept if fits[i].drop), key=lambda i: fits[i].drop):
        if need(kept) <= width:
            break
        kept.remove(index)
    widths = {index: least(index, kept) for index in kept}
    room = width - need(kept)
    flexible = [index for index in kept if fits[index].kind != "fixed"]
    for index in flexible:  # narrower than any minimum: give up what the headers allow
        floor = max(heads[index], NARROWEST if fits[index].kind == "main" else 4)
        cut = min(-room, widths[index] - floor)
        if cut > 0:
            widths[index] -= cut
            room += cut
    while room > 0:  # what is left goes to the text columns, twice as fast to the title
        growing = [index for index in flexible if widths[index] < naturals[index]]
        if not growing:
            break
        for index in growing:
            step = min(2 if fits[index].kind == "main" else 1, naturals[index] - widths[index], room)
            widths[index] += step
            room -= step
    return widths


@dataclass(frozen=True)
class AtWidth:
    """A renderable made when it is printed, for the console's width (renderers still take only
    the answer; the terminal's width is known only to the console)."""

    build: Callable[[int], Sequence[RenderableType]]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.build(options.max_width)


@dataclass(frozen=True)
class Grid:
    """A table with its columns chosen and sized when printed. `instead` is printed under the
    table in place of a column that did not fit (the full ids of a short reference)."""

    title: str | None
    headers: tuple[str, ...]
    fits: tuple[Fit, ...]
    rows: Sequence[Sequence[Text]]
    right: frozenset[int] = frozenset()
    caption: str | None = None
    instead: Mapping[int, Text] = field(default_factory=dict)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich import box
        from rich.table import Table  # only when a table is printed: not for --json or a pipe

        naturals = [max([cell_len(h), *(row[i].cell_len for row in self.rows)])
                    for i, h in enumerate(self.headers)]
        widths = layout(self.fits, naturals, [cell_len(h) for h in self.headers], options.max_width, GAP)
        if self.title:
            yield Text(printable(self.title), style="bold")
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for index, width in widths.items():
            table.add_column(self.headers[index], justify="right" if index in self.right else "left",
                             width=width, no_wrap=self.fits[index].kind == "fixed", overflow="fold")
        for row in self.rows:
            table.add_row(*(fitted(row[index], self.fits[index], width) for index, width in widths.items()))
        yield table
        for index, text in self.instead.items():
            if index not in widths:
                yield text
        if self.caption:
            yield Text(self.caption, style="yellow")


def fitted(cell: Text, fit: Fit, width: int) -> Text:
    """A cell at its column's width: wrapped evenly, or a URL shortened."""
    if cell.cell_len <= width or fit.kind == "fixed":
        return cell
    if fit.kind == "url":
        return Text(shorten_url(cell.plain, width), style=cell.style)
    lines = cell.divide(wrap_starts(cell.plain, width)[1:])
    for line in lines:
        line.rstrip()
    return Text("\n", overflow="fold").join(lines)
