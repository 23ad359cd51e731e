"""Rich tables for the office terminal. Data always enters as `Text`, never as markup, so a
name like `[bold]` prints literally; colour comes only from the status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from zwgk.models import Dataset, JournalEntry
from zwgk.report.labels import (
    KIND_LABEL,
    STATUS_LABEL,
    STATUS_STYLE,
    describe_rule,
    due_text,
    overdue_text,
    printable,
    provisional_note,
)
from zwgk.rules.engine import Evaluation, ItemStatus, Status
from zwgk.summary.answers import (
    AgendaAnswer,
    LogAnswer,
    OverdueAnswer,
    ShowAnswer,
    StatusAnswer,
    UnitsStatusAnswer,
    UpcomingAnswer,
)
from zwgk.summary.units import UnitRow
from zwgk.summary.views import DepartmentRow, Held, UpcomingRow, status_counts

TOP_OVERDUE = 10
SUMMARY_ORDER = (Status.OVERDUE, Status.DUE_SOON, Status.OPEN, Status.OK, Status.DONE,
                 Status.ONGOING, Status.WAITING, Status.UNSPECIFIED, Status.UNTRACKED)


def T(value: str, style: str = "") -> Text:
    """A table cell from data: literal (no markup) and terminal-safe."""
    return Text(printable(value), style=style, overflow="fold")  # Chinese has no spaces to wrap at


def status_text(status: Status) -> Text:
    return T(STATUS_LABEL[status], style=STATUS_STYLE[status])


def _table(title: str | None = None) -> Table:
    return Table(title=printable(title) if title else None, box=box.SIMPLE_HEAD, title_justify="left",
                 title_style="bold",
                 pad_edge=False, show_edge=False)


def _owners(names: Sequence[str]) -> Text:
    text = _owner_names(names)
    return T(text, style=_UNNAMED_MARK.get(text, ""))


def _date(value: date | None) -> Text:
    return T(value.isoformat() if value else "—")


def _append_counts(header: Text, evaluation: Evaluation) -> None:
    """The headline: how many items stand in each status, in the order a reader cares about."""
    counts = status_counts(evaluation)
    for status in SUMMARY_ORDER:
        header.append(f"{STATUS_LABEL[status]} ", style=STATUS_STYLE[status])
        header.append(f"{counts.get(status, 0)}   ")
    header.append(f"共 {len(evaluation.statuses)} 项")


def status_dashboard(
    dataset: Dataset, evaluation: Evaluation, rows: list[DepartmentRow], overdue: list[Held]
) -> RenderableType:
    header = Text()
    header.append(f"{printable(dataset.settings.unit)}  政务公开事项", style="bold")
    header.append(f"  截至 {evaluation.as_of}(自 {evaluation.tracking_since} 起跟踪)\n")
    _append_counts(header, evaluation)

    departments = _table("各处室情况(含经“各处室”等组承担的事项)")
    departments.add_column("处室/单位")
    for status in (Status.OVERDUE, Status.DUE_SOON, Status.OPEN):
        departments.add_column(STATUS_LABEL[status], justify="right")
    departments.add_column("已完成/正常", justify="right")
    departments.add_column("其中牵头逾期", justify="right")
    departments.add_column("事项数", justify="right")
    for row in rows:
        overdue_count = row.counts[Status.OVERDUE]
        departments.add_row(
            T(row.name),
            T(str(overdue_count), style=STATUS_STYLE[Status.OVERDUE] if overdue_count else "dim"),
            T(str(row.counts[Status.DUE_SOON])),
            T(str(row.counts[Status.OPEN])),
            T(str(row.counts[Status.DONE] + row.counts[Status.OK])),
            T(str(row.lead_overdue)),
            T(str(row.total)),
        )
    worst = sorted(overdue, key=lambda h: -(h.status.days_overdue or 0))[:TOP_OVERDUE]
    return Group(header, Text(""), departments, overdue_table(worst, f"逾期最久的 {len(worst)} 项"))


def workspace_dashboard(
    rows: Sequence[UnitRow], combined: Evaluation, overdue: list[Held]
) -> RenderableType:
    """Many units: rank them, say which column groups each is behind on, list the worst items."""
    header = Text()
    header.append(f"{len(rows)} 个单位  政务公开事项", style="bold")
    header.append(f"  截至 {combined.as_of}\n")
    _append_counts(header, combined)
    units = _table("各单位排名(逾期多者在前)")
    units.add_column("单位")
    units.add_column(STATUS_LABEL[Status.OVERDUE], justify="right")
    units.add_column(STATUS_LABEL[Status.DUE_SOON], justify="right")
    units.add_column("栏目按期率", justify="right")
    units.add_column("落后的栏目(一级栏目:逾期栏目数)")
    for row in rows:
        if row.broken:
            units.add_row(T(row.name), T("—"), T("—"), T("—"), T("数据有误,未计入", style="bold red"))
            continue
        overdue_count = row.counts[Status.OVERDUE]
        rate = f"{row.compliance:.0%}" if row.compliance is not None else "—"
        units.add_row(
            T(row.name),
            T(str(overdue_count), style=STATUS_STYLE[Status.OVERDUE] if overdue_count else "dim"),
            T(str(row.counts[Status.DUE_SOON])),
            T(f"{rate}({row.columns_on_time}/{row.columns})"),
            T("、".join(f"{group}:{n}" for group, n in row.behind) or "—"),
        )
    worst = sorted(overdue, key=lambda h: -(h.status.days_overdue or 0))[:TOP_OVERDUE]
    return Group(header, Text(""), units, overdue_table(worst, f"逾期最久的 {len(worst)} 项"))


@dataclass(frozen=True)
class Listing:
    """A long list, before it is drawn: a Rich table on a terminal, plain columns in a pipe."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]  # terminal-safe text (printable)
    styles: tuple[str, ...]  # one per column
    right: frozenset[int] = frozenset()  # columns aligned right
    caption: str | None = None
    no_wrap: frozenset[int] = frozenset()  # columns a terminal must not wrap (ids, dates)
    marked: Mapping[int, Mapping[str, str]] = field(default_factory=dict)  # column → text → style


UNNAMED = "(未指定)"
_UNNAMED_MARK = {UNNAMED: "magenta"}
STATUS_MARK = {STATUS_LABEL[status]: style for status, style in STATUS_STYLE.items()}


def overdue_listing(held: Sequence[Held], title: str, with_role: bool = False) -> Listing:
    header = ["编号", "事项", "应完成", "逾期天数", "牵头"]
    styles = ["", "", "", STATUS_STYLE[Status.OVERDUE], ""]
    if with_role:
        header.append("本处室角色")
        styles.append("")
    header.append("要求(原文)")
    styles.append("dim")
    rows = []
    for h in held:
        s = h.status
        cells = [s.item.ref, s.item.title, due_text(s), overdue_text(s), _owner_names(s.item.lead)]
        if with_role:
            cells.append(h.holding.label if h.holding else "")
        cells.append(s.item.requirement or "(源文空白)")
        rows.append(tuple(printable(cell) for cell in cells))
    return Listing(printable(title), tuple(header), rows, tuple(styles), frozenset({3}),
                   _provisional_caption([h.status for h in held]), frozenset({0, 2}), {4: _UNNAMED_MARK})


def upcoming_listing(found: Sequence[UpcomingRow], title: str) -> Listing:
    rows = []
    for row in found:
        s = row.status
        rows.append(tuple(printable(cell) for cell in (
            due_text(s), str(row.days_left), s.item.ref, KIND_LABEL[s.item.kind], s.item.title,
            STATUS_LABEL[s.status], _owner_names(s.item.lead))))
    return Listing(printable(title), ("应完成", "剩余天数", "编号", "类型", "事项", "状态", "牵头"), rows,
                   ("",) * 7, frozenset({1}), _provisional_caption([row.status for row in found]),
                   frozenset({0, 2, 3, 5}), {5: STATUS_MARK, 6: _UNNAMED_MARK})


def drawn(listing: Listing) -> Table:
    """The listing as a Rich table (status colours, wrapping to the terminal's width)."""
    table = _table(listing.title)
    for index, name in enumerate(listing.header):
        table.add_column(name, justify="right" if index in listing.right else "left",
                         no_wrap=index in listing.no_wrap)
    marks = [listing.marked.get(index, {}) for index in range(len(listing.header))]
    for row in listing.rows:
        table.add_row(*(Text(cell, style=mark.get(cell, style), overflow="fold")
                        for cell, style, mark in zip(row, listing.styles, marks, strict=True)))
    _caption(table, listing.caption)
    return table


def _caption(table: Table, caption: str | None) -> None:
    if caption:
        table.caption, table.caption_style, table.caption_justify = caption, "yellow", "left"


def overdue_table(held: Sequence[Held], title: str, with_role: bool = False) -> Table:
    return drawn(overdue_listing(held, title, with_role))


def _owner_names(names: Sequence[str]) -> str:
    return "、".join(names) if names else UNNAMED


def _provisional_caption(statuses: Sequence[ItemStatus]) -> str | None:
    years = sorted({y for s in statuses if s.obligation for y in s.obligation.provisional_years})
    return provisional_note(years) if years else None


def item_detail(
    dataset: Dataset, status: ItemStatus, history: Sequence[JournalEntry],
    obligations: Sequence[ItemStatus] = (),
) -> RenderableType:
    it = status.item
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row("编号", T(f"{it.ref}({KIND_LABEL[it.kind]})"))
    facts.add_row("事项", T(it.title))
    if it.text:
        facts.add_row("原文", T(it.text))
    facts.add_row("要求(原文)", T(it.requirement or "(源文空白)"))
    facts.add_row("解读", T(describe_rule(it.rule)))
    for conflict in it.conflicts:
        facts.add_row("另见", T(f"{conflict.where}:{conflict.phrase}"
                                  + (f" → {describe_rule(conflict.rule)}" if conflict.rule else "")))
    facts.add_row("牵头", _owners(it.lead))
    facts.add_row("责任/配合" if it.kind == "task" else "配合", _owners(it.responsible))
    if it.note:
        facts.add_row("说明", T(it.note, style="dim"))
    state = status_text(status.status)
    if status.late:
        state.append("(逾期完成)", style="yellow")
    facts.add_row("状态", state)
    facts.add_row("应完成", _date(status.due))
    if status.period:
        facts.add_row("当前周期", T(status.period.label))
    if status.next_due:
        facts.add_row("下次到期", _date(status.next_due))
    if status.missed:
        facts.add_row("未按期更新", T("、".join(p.label for p in status.missed), style="red"))
    location = it.source
    if location:
        facts.add_row("定义于", T(f"{location.path}:{location.line}", style="dim"))
    parts: list[RenderableType] = [facts, Text("")]
    if obligations:
        parts += [obligation_table(obligations, "事件义务"), Text("")]
    parts.append(journal_table(history, "登记记录", dataset))
    return Group(*parts)


def obligation_table(statuses: Sequence[ItemStatus], title: str) -> Table:
    table = _table(title)
    table.add_column("事件号", no_wrap=True)
    table.add_column("事件")
    table.add_column("事件日期", no_wrap=True)
    table.add_column("应完成", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("完成于", no_wrap=True)
    for s in statuses:
        info = s.obligation
        assert info is not None
        state = status_text(s.status)
        if s.late:
            state.append("(逾期完成)", style="yellow")
        table.add_row(
            T(info.event_id), T(s.item.title),
            T(info.event_date.isoformat() + (f" {info.event_time}" if info.event_time else "")),
            T(due_text(s)), state, _date(info.fulfilled_on),
        )
    _caption(table, _provisional_caption(statuses))
    return table


def journal_table(entries: Iterable[JournalEntry], title: str, dataset: Dataset) -> Table:
    titles = {item.id: item.title for item in dataset.items}
    table = _table(title)
    table.add_column("日期", no_wrap=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("事项")
    table.add_column("类型", no_wrap=True)
    table.add_column("登记人")
    table.add_column("证据")
    table.add_column("备注")
    table.add_column("记录号", style="dim", no_wrap=True)
    for e in entries:
        table.add_row(
            T(e.date.isoformat() + (f" {e.time}" if e.time else "")),
            T(e.item),
            T(titles.get(e.item, "(已不存在)")),
            T("事件" if e.type == "event" else "完成/更新"),
            T(e.by or ""),
            T(e.url or ""),
            T(e.note or e.title or ""),
            T(e.id),
        )
    return table


# --- the views (zwgk/report/registry.py): one answer in, what is printed out ---------------------


class Lines(tuple[RenderableType | str, ...]):
    """Printed one after another, never re-wrapped: a str is one line; a Rich Text is printed as
    it is and ends its own lines (a diagnostic with its excerpt)."""


def status(answer: StatusAnswer) -> RenderableType:
    return status_dashboard(answer.dataset, answer.evaluation, list(answer.rows), list(answer.overdue))


def units_status(answer: UnitsStatusAnswer) -> RenderableType:
    return workspace_dashboard(answer.ranking, answer.combined, list(answer.overdue))


def overdue(answer: OverdueAnswer) -> Listing | Lines:
    who = answer.owner or "全部"
    if not answer.held:
        return Lines((f"{who}:没有逾期事项(截至 {answer.as_of})",))
    title = f"{who} 逾期事项 {len(answer.held)} 项(截至 {answer.as_of})"
    return overdue_listing(answer.held, title, with_role=answer.owner is not None)


def upcoming(answer: UpcomingAnswer) -> Listing | Lines:
    title = f"{answer.owner or '全部'} {answer.days} 天内到期 {len(answer.rows)} 项(截至 {answer.as_of})"
    return upcoming_listing(answer.rows, title) if answer.rows else Lines((title,))


def show(answer: ShowAnswer) -> RenderableType:
    return item_detail(answer.dataset, answer.status, answer.history, answer.obligations)


def log(answer: LogAnswer) -> RenderableType:
    return journal_table(answer.entries, f"日志 {len(answer.entries)} 条", answer.dataset)


def agenda(answer: AgendaAnswer) -> Listing | Lines:
    who = answer.owner or "全部"
    title = f"{who} {answer.month} 要做的事 {len(answer.rows)} 项(截至 {answer.as_of})"
    if not answer.rows:
        return Lines((title,))
    rows = []
    for row in answer.rows:
        s = row.status
        when = row.due.isoformat() + (f" {s.obligation.due_time}" if s.obligation and s.obligation.due_time else "")
        rows.append(tuple(printable(cell) for cell in (
            when, "逾期" if row.overdue else "本月到期", s.item.ref, KIND_LABEL[s.item.kind], s.item.title,
            row.holding.label if row.holding else "", _owner_names(s.item.lead))))
    marks = {1: {"逾期": STATUS_STYLE[Status.OVERDUE], "本月到期": STATUS_STYLE[Status.DUE_SOON]},
             6: _UNNAMED_MARK}
    return Listing(printable(title), ("应完成", "情况", "编号", "类型", "事项", "本处室角色", "牵头"), rows,
                   ("",) * 7, frozenset(), None, frozenset({0, 1, 2, 3}), marks)
