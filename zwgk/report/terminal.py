"""Rich tables for the office terminal. Data always enters as `Text`, never as markup, so a
name like `[bold]` prints literally; colour comes only from the status.

Every table is laid out when it is printed, for the console's width (labels.Grid): ids, dates
and numbers never shrink, the title keeps TITLE_MIN cells and wraps evenly, lower-priority
columns go first as the terminal narrows, and a URL is shortened with …, never broken. Event
obligations are shown by a short reference (C10#3); their journal ids are in JSON and in `show`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from zwgk.models import HOMEPAGE, Dataset, JournalEntry
from zwgk.report.labels import (
    KIND_LABEL,
    STATUS_LABEL,
    STATUS_STYLE,
    TITLE_MIN,
    AtWidth,
    Fit,
    Grid,
    describe_rule,
    due_text,
    event_refs,
    fitted,
    journal_event_refs,
    overdue_text,
    printable,
    provisional_note,
    shorten_url,
)
from zwgk.report.plain import FIXED, Lines, Listing
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
from zwgk.summary.ledger import LineFacts
from zwgk.summary.units import UnitRow, UnitRun
from zwgk.summary.views import DepartmentRow, Held, UpcomingRow, status_counts

TOP_OVERDUE = 10
SUMMARY_ORDER = (Status.OVERDUE, Status.DUE_SOON, Status.OPEN, Status.OK, Status.DONE,
                 Status.ONGOING, Status.WAITING, Status.UNSPECIFIED, Status.UNTRACKED)
MAIN = Fit("main", TITLE_MIN)
Refs = Mapping[tuple[str | None, str], str]  # (unit, event id) → C10#3 (labels.event_refs)


def T(value: str, style: str = "") -> Text:
    """A table cell from data: literal (no markup) and terminal-safe."""
    return Text(printable(value), style=style, overflow="fold")  # Chinese has no spaces to wrap at


def status_text(status: Status) -> Text:
    return T(STATUS_LABEL[status], style=STATUS_STYLE[status])


def _owners(names: Sequence[str]) -> Text:
    text = _owner_names(names)
    return T(text, style=_UNNAMED_MARK.get(text, ""))


def _date(value: date | None) -> Text:
    return T(value.isoformat() if value else "—")


def _count(value: int, style: str = STATUS_STYLE[Status.OVERDUE]) -> Text:
    return T(str(value), style=style if value else "dim")


def _headline(title: Text, evaluation: Evaluation) -> Text:
    """The headline: how many items stand in each status, in the order a reader cares about."""
    counts = status_counts(evaluation)
    for status in SUMMARY_ORDER:
        title.append(f"{STATUS_LABEL[status]} ", style=STATUS_STYLE[status])
        title.append(f"{counts.get(status, 0)}   ")
    title.append(f"共 {len(evaluation.statuses)} 项")
    if evaluation.backfilled:  # written down long after the day it records: an inspector asks
        title.append(f"   其中补录 {len(evaluation.backfilled)} 条记录", style="yellow")
    return title


def _dashboard(header: Text, table: Grid, overdue: Sequence[Held], evaluation: Evaluation) -> Group:
    worst = sorted(overdue, key=lambda h: -(h.status.days_overdue or 0))[:TOP_OVERDUE]
    return Group(header, Text(""), table, Text(""), drawn(overdue_listing(
        worst, f"逾期最久的 {len(worst)} 项", refs=event_refs(evaluation.statuses))))


def status_dashboard(
    dataset: Dataset, evaluation: Evaluation, rows: list[DepartmentRow], overdue: list[Held]
) -> RenderableType:
    """Dropped as the width narrows: 其中牵头逾期, 已完成/正常, 未到期."""
    header = Text.assemble((f"{printable(dataset.settings.unit)}  政务公开事项", "bold"),
                           f"  截至 {evaluation.as_of}(自 {evaluation.tracking_since} 起跟踪)\n")
    departments = Grid(
        "各处室情况(含经“各处室”等组承担的事项)",
        ("处室/单位", *(STATUS_LABEL[s] for s in (Status.OVERDUE, Status.DUE_SOON, Status.OPEN)),
         "已完成/正常", "其中牵头逾期", "事项数"),
        (Fit("main", 12), FIXED, FIXED, Fit(drop=3), Fit(drop=2), Fit(drop=1), FIXED),
        [(T(row.name), _count(row.counts[Status.OVERDUE]), T(str(row.counts[Status.DUE_SOON])),
          T(str(row.counts[Status.OPEN])), T(str(row.counts[Status.DONE] + row.counts[Status.OK])),
          T(str(row.lead_overdue)), T(str(row.total))) for row in rows],
        right=frozenset(range(1, 7)))
    return _dashboard(_headline(header, evaluation), departments, overdue, evaluation)


def workspace_dashboard(
    rows: Sequence[UnitRow], combined: Evaluation, overdue: list[Held]
) -> RenderableType:
    """Many units: rank them, say which column groups each is behind on, list the worst items.
    Dropped as the width narrows: 落后的栏目, 栏目按期率."""
    header = Text.assemble((f"{len(rows)} 个单位  政务公开事项", "bold"), f"  截至 {combined.as_of}\n")
    cells = []
    for row in rows:
        if row.broken:
            cells.append((T(row.name), T("—"), T("—"), T("—"), T("数据有误,未计入", style="bold red")))
            continue
        rate = f"{row.compliance:.0%}" if row.compliance is not None else "—"
        cells.append((
            T(row.name), _count(row.counts[Status.OVERDUE]), T(str(row.counts[Status.DUE_SOON])),
            T(f"{rate}({row.columns_on_time}/{row.columns})"),
            T("、".join(f"{group}:{n}" for group, n in row.behind) or "—"),
        ))
    units = Grid("各单位排名(逾期多者在前)",
                 ("单位", STATUS_LABEL[Status.OVERDUE], STATUS_LABEL[Status.DUE_SOON], "栏目按期率",
                  "落后的栏目(一级栏目:逾期栏目数)"),
                 (Fit("main", 12), FIXED, FIXED, Fit(drop=2), Fit("wrap", 16, drop=1)), cells,
                 right=frozenset({1, 2, 3}))
    return _dashboard(_headline(header, combined), units, overdue, combined)


UNNAMED = "(未指定)"
_UNNAMED_MARK = {UNNAMED: "magenta"}
STATUS_MARK = {STATUS_LABEL[status]: style for status, style in STATUS_STYLE.items()}


def _ref(status: ItemStatus, refs: Refs | None) -> str:
    return printable((refs or {}).get((status.item.unit, status.item.id), status.item.ref))


def overdue_listing(held: Sequence[Held], title: str, with_role: bool = False,
                    refs: Refs | None = None) -> Listing:
    """Dropped as the width narrows: 要求(原文), 本处室角色, 牵头, then 应完成."""
    header = ["编号", "事项", "应完成", "逾期天数", "牵头"]
    styles = ["", "", "", STATUS_STYLE[Status.OVERDUE], ""]
    fits = [FIXED, MAIN, Fit(drop=4), FIXED, Fit("wrap", drop=3)]
    if with_role:
        header.append("本处室角色")
        styles.append("")
        fits.append(Fit("wrap", drop=2, optional=True))
    header.append("要求(原文)")
    styles.append("dim")
    fits.append(Fit("wrap", 20, drop=1, optional=True))
    rows = []
    for h in held:
        s = h.status
        cells = [s.item.ref, s.item.title, due_text(s), overdue_text(s), _owner_names(s.item.lead)]
        if with_role:
            cells.append(h.holding.label if h.holding else "")
        cells.append(s.item.requirement or "(源文空白)")
        rows.append(tuple(printable(cell) for cell in cells))
    return Listing(printable(title), tuple(header), rows, tuple(styles), frozenset({3}),
                   _provisional_caption([h.status for h in held]), frozenset({0, 2}), {4: _UNNAMED_MARK},
                   tuple(fits), tuple(_ref(h.status, refs) for h in held))


def upcoming_listing(found: Sequence[UpcomingRow], title: str, refs: Refs | None = None) -> Listing:
    """Dropped as the width narrows: 类型, 牵头, 状态, then 剩余天数."""
    rows = []
    for row in found:
        s = row.status
        rows.append(tuple(printable(cell) for cell in (
            due_text(s), str(row.days_left), s.item.ref, KIND_LABEL[s.item.kind], s.item.title,
            STATUS_LABEL[s.status], _owner_names(s.item.lead))))
    fits = (FIXED, Fit(drop=4), FIXED, Fit(drop=1, optional=True), MAIN, Fit(drop=3), Fit("wrap", drop=2))
    return Listing(printable(title), ("应完成", "剩余天数", "编号", "类型", "事项", "状态", "牵头"), rows,
                   ("",) * 7, frozenset({1}), _provisional_caption([row.status for row in found]),
                   frozenset({0, 2, 3, 5}), {5: STATUS_MARK, 6: _UNNAMED_MARK}, fits,
                   tuple(_ref(row.status, refs) for row in found), ref_column=2)


def drawn(listing: Listing) -> Grid:
    """The listing as a table that fits the terminal: status colours, short references."""
    marks = [listing.marked.get(index, {}) for index in range(len(listing.header))]
    rows = [[Text(cell, style=mark.get(cell, style), overflow="fold")
             for cell, style, mark in zip(row, listing.styles, marks, strict=True)]
            for row in listing.shown_rows()]
    return Grid(listing.title, listing.header, listing.column_fits(), rows, listing.right, listing.caption)


def _owner_names(names: Sequence[str]) -> str:
    return "、".join(names) if names else UNNAMED


def _provisional_caption(statuses: Sequence[ItemStatus]) -> str | None:
    years = sorted({y for s in statuses if s.obligation for y in s.obligation.provisional_years})
    return provisional_note(years) if years else None


def item_detail(
    dataset: Dataset, status: ItemStatus, history: Sequence[JournalEntry],
    obligations: Sequence[ItemStatus] = (), facts: Mapping[str, LineFacts] | None = None,
) -> RenderableType:
    """One item: its facts, its event obligations (a table) and its journal entries (a block
    each, so an evidence URL has a line of its own)."""
    refs = journal_event_refs(dataset.journal) if obligations or any(e.event for e in history) else {}

    def build(width: int) -> list[RenderableType]:
        parts: list[RenderableType] = [_facts(status, width), Text("")]
        if obligations:
            parts += [obligation_table(obligations, "事件义务", status.item.title, refs), Text("")]
        return [*parts, *history_blocks(history, "登记记录", refs, width, facts)]

    return AtWidth(build)


def _facts(status: ItemStatus, width: int) -> Table:
    it = status.item
    rows: list[tuple[str, Text]] = [("编号", T(f"{it.ref}({KIND_LABEL[it.kind]})")), ("事项", T(it.title))]
    if it.text:
        rows.append(("原文", T(it.text)))
    rows += [("要求(原文)", T(it.requirement or "(源文空白)")), ("解读", T(describe_rule(it.rule)))]
    for conflict in it.conflicts:
        rows.append(("另见", T(f"{conflict.where}:{conflict.phrase}"
                                 + (f" → {describe_rule(conflict.rule)}" if conflict.rule else ""))))
    rows += [("牵头", _owners(it.lead)),
             ("责任/配合" if it.kind == "task" else "配合", _owners(it.responsible))]
    if it.note:
        rows.append(("说明", T(it.note, style="dim")))
    state = status_text(status.status)
    if status.late:
        state.append("(逾期完成)", style="yellow")
    rows += [("状态", state), ("应完成", _date(status.due))]
    if status.period:
        rows.append(("当前周期", T(status.period.label)))
    if status.next_due:
        rows.append(("下次到期", _date(status.next_due)))
    if status.missed:
        rows.append(("未按期更新", T("、".join(p.label for p in status.missed), style="red")))
    if it.source:
        rows.append(("定义于", T(f"{it.source.path}:{it.source.line}", style="dim")))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    room = max(width - max(cell_len(name) for name, _ in rows) - 2, 1)
    for name, value in rows:  # wrapped evenly: no line ends holding one character
        facts.add_row(name, fitted(value, MAIN, room))
    return facts


def obligation_table(statuses: Sequence[ItemStatus], title: str, parent_title: str = "",
                     refs: Mapping[str, str] | None = None) -> Grid:
    """Dropped as the width narrows: 事件号 (then listed under the table), 完成于, 事件日期."""
    rows: list[tuple[Text, ...]] = []
    legend: list[str] = []
    for s in statuses:
        info = s.obligation
        assert info is not None
        state = status_text(s.status)
        if s.late:
            state.append("(逾期完成)", style="yellow")
        ref = (refs or {}).get(info.event_id, info.event_id)
        legend.append(f"{'事件号' if not legend else '      '}  {ref}  {info.event_id}")
        rows.append((
            T(ref), T(s.item.title.removeprefix(f"{parent_title}:") if parent_title else s.item.title),
            T(info.event_date.isoformat() + (f" {info.event_time}" if info.event_time else "")),
            T(due_text(s)), state, _date(info.fulfilled_on), T(info.event_id, style="dim"),
        ))
    return Grid(title, ("编号", "事件", "事件日期", "应完成", "状态", "完成于", "事件号"),
                (FIXED, MAIN, Fit(drop=3), FIXED, Fit("wrap", 12), Fit(drop=2), Fit(drop=1, optional=True)),
                rows, caption=_provisional_caption(statuses), instead={6: Text("\n".join(legend), "dim")})


def _entry_ref(entry: JournalEntry, refs: Mapping[str, str]) -> str:
    """An event, and a record that closes one, by the event's short reference."""
    return refs.get(entry.id if entry.type == "event" else entry.event or "", entry.item)


def _kind(entry: JournalEntry, facts: Mapping[str, LineFacts] | None = None) -> str:
    """What a line is, with what became of it: 作废/更正 lines name the line they correct; a
    corrected line says so, and a line written long after its date says 补录."""
    if entry.type == "void":
        return f"作废 {entry.corrects}:{entry.reason or ''}"
    if entry.type == "amend":
        return f"更正 {entry.corrects}:{entry.reason or ''}"
    # 巡检: an article `zwgk scan` saw on the column's page; 登记: a record someone wrote.
    kind = {"event": "事件", "observed": "巡检", "probe": f"巡检:栏目{_PROBE.get(entry.state or '', '')}"
            }.get(entry.type, "登记")
    found = (facts or {}).get(entry.id)
    if found is None:
        return kind
    marks = (["已作废"] if found.voided_by else []) + (["已更正"] if found.amended_by else []) \
        + (["补录"] if found.backfilled else [])
    return kind + (f"({'、'.join(marks)})" if marks else "")


_PROBE = {"ok": "恢复正常", "empty": "为空", "undated": "无发布日期", "unreachable": "无法访问"}


def _when(entry: JournalEntry) -> str:
    return entry.date.isoformat() + (f" {entry.time}" if entry.time else "")


def journal_table(entries: Iterable[JournalEntry], title: str, dataset: Dataset,
                  facts: Mapping[str, LineFacts] | None = None) -> Grid:
    """Dropped as the width narrows: 记录号, 证据, 登记人, 备注, then 类型."""
    found = list(entries)
    refs = journal_event_refs(dataset.journal) if any(e.type == "event" or e.event for e in found) else {}
    titles = {item.id: item.title for item in dataset.items} | {HOMEPAGE: "首页(巡检)"}
    rows = [(T(_when(e)), T(_entry_ref(e, refs)), T(titles.get(e.item, "(已不存在)")), T(_kind(e, facts)),
             T(e.by or ""), T(e.url or ""), T(e.note or e.title or ""), T(e.id, style="dim"))
            for e in found]
    return Grid(title, ("日期", "编号", "事项", "类型", "登记人", "证据", "备注", "记录号"),
                (FIXED, FIXED, MAIN, Fit(drop=5), Fit("wrap", 6, drop=3),
                 Fit("url", 24, drop=2, optional=True), Fit("wrap", 16, drop=4), Fit(drop=1, optional=True)),
                rows)


def history_blocks(entries: Sequence[JournalEntry], title: str, refs: Mapping[str, str],
                   width: int, facts: Mapping[str, LineFacts] | None = None) -> list[RenderableType]:
    """Journal entries a block each, like `git log`: when, what, who and the record's id (on a
    line of its own if it does not fit), the evidence URL — whole, on a line of its own if need
    be, else shortened with … — and the note."""
    blocks: list[RenderableType] = [Text(title, style="bold")]
    if not entries:
        blocks.append(Text("  (尚无登记)", style="dim"))
    for e in entries:
        first = T(f"{_when(e)}  {_kind(e, facts)} {_entry_ref(e, refs)}" + (f"  {e.by}" if e.by else ""))
        record = T(e.id, style="dim")
        if first.cell_len + 2 + record.cell_len <= width:
            blocks.append(Text.assemble(first, "  ", record))
        else:
            blocks += [first, Text.assemble("  记录号 ", record)]
        url = printable(e.url or "")
        if url and width - 7 < cell_len(url) <= width:  # whole on a line of its own
            blocks += [Text("  证据"), Text(url)]
        elif url:  # whole after its label, or shortened there
            blocks.append(Text.assemble("  证据 ", shorten_url(url, max(width - 7, 1))))
        if e.note or e.title:
            blocks.append(Text.assemble("  备注 ", T(e.note or e.title or "")))
    return blocks


# --- the views (zwgk/report/registry.py): one answer in, what is printed out ---------------------

def status(answer: StatusAnswer) -> RenderableType:
    return status_dashboard(answer.dataset, answer.evaluation, list(answer.rows), list(answer.overdue))


def units_status(answer: UnitsStatusAnswer) -> RenderableType:
    return workspace_dashboard(answer.ranking, answer.combined, list(answer.overdue))


def _refs_of(runs: Iterable[UnitRun]) -> Refs:
    return event_refs(s for run in runs if run.evaluation for s in run.evaluation.statuses)


def overdue(answer: OverdueAnswer) -> Listing | Lines:
    who = answer.owner or "全部"
    if not answer.held:
        return Lines((f"{who}:没有逾期事项(截至 {answer.as_of})",))
    title = f"{who} 逾期事项 {len(answer.held)} 项(截至 {answer.as_of})"
    return overdue_listing(answer.held, title, answer.owner is not None, _refs_of(answer.runs))


def upcoming(answer: UpcomingAnswer) -> Listing | Lines:
    title = f"{answer.owner or '全部'} {answer.days} 天内到期 {len(answer.rows)} 项(截至 {answer.as_of})"
    return upcoming_listing(answer.rows, title, _refs_of(answer.runs)) if answer.rows else Lines((title,))


def show(answer: ShowAnswer) -> RenderableType:
    return item_detail(answer.dataset, answer.status, answer.history, answer.obligations, answer.facts)


def log(answer: LogAnswer) -> RenderableType:
    return journal_table(answer.entries, f"日志 {len(answer.entries)} 条", answer.dataset, answer.facts)


def agenda(answer: AgendaAnswer) -> Listing | Lines:
    """Dropped as the width narrows: 类型, 本处室角色, then 牵头."""
    who = answer.owner or "全部"
    title = f"{who} {answer.month} 要做的事 {len(answer.rows)} 项(截至 {answer.as_of})"
    if not answer.rows:
        return Lines((title,))
    rows = []
    for row in answer.rows:
        s = row.status
        at = s.obligation.due_time if s.obligation else None
        when = row.due.isoformat() + (f" {at}" if at else "")
        rows.append(tuple(printable(cell) for cell in (
            when, "逾期" if row.overdue else "本月到期", s.item.ref, KIND_LABEL[s.item.kind], s.item.title,
            row.holding.label if row.holding else "", _owner_names(s.item.lead))))
    marks = {1: {"逾期": STATUS_STYLE[Status.OVERDUE], "本月到期": STATUS_STYLE[Status.DUE_SOON]},
             6: _UNNAMED_MARK}
    fits = (FIXED, FIXED, FIXED, Fit(drop=1, optional=True), MAIN, Fit("wrap", drop=2, optional=True),
            Fit("wrap", drop=3))
    refs = _refs_of(answer.runs)
    return Listing(printable(title), ("应完成", "情况", "编号", "类型", "事项", "本处室角色", "牵头"), rows,
                   ("",) * 7, frozenset(), None, frozenset({0, 1, 2, 3}), marks, fits,
                   tuple(_ref(row.status, refs) for row in answer.rows), ref_column=2)
