"""What the weekly renderers share: text made harmless for each medium, and the report's tables.

Data is written by people and may hold anything: `<script>`, `=HYPERLINK(…)`, Rich markup,
bidi overrides, control characters, 10,000-character titles. Every text cell of md, html, csv,
xlsx and ics passes through one of the helpers here; JSON alone keeps the text as written.

`tables()` lays the finished `WeeklyReport` out as titled tables of typed cells, so markdown,
html and xlsx show the same rows in the same order and differ only in how a cell is drawn.
It does no date maths: every date and number is already in the report.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from zwgk.dates.periods import CYCLE_LABEL
from zwgk.models import Item
from zwgk.report.labels import KIND_LABEL, PROVISIONAL_MARK, STATUS_LABEL
from zwgk.rules.engine import ItemStatus, Status
from zwgk.summary.rollup import RollupReport
from zwgk.summary.views import Held
from zwgk.summary.weekly import WeeklyReport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767

COLUMN_STATE_LABEL = {"met": "已更新", "not_yet": "待更新", "missed": "未按期更新", "untracked": "未跟踪"}
GAP_LABEL = {"gap-no-owner": "未指定牵头单位", "gap-unspecified": "未规定时限",
             "gap-conflict": "前后表述不一"}
SUMMARY_ORDER = (Status.OVERDUE, Status.DUE_SOON, Status.OPEN, Status.OK, Status.DONE,
                 Status.ONGOING, Status.WAITING, Status.UNSPECIFIED, Status.UNTRACKED)


# --- neutralising text -------------------------------------------------------------------------


_INVISIBLE = ("Cc", "Cf", "Zl", "Zp", "Cs")


def clean(text: str) -> str:
    """Visible, inert text: line breaks kept (CR LF → LF), tabs as spaces, control, format and
    bidi characters (U+202E …) as U+FFFD, so nothing can hide, reorder or escape what follows.
    Unlike `labels.printable`, spaces such as the full-width U+3000 of Chinese text are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if text.isprintable():
        return text
    return "".join("\ufffd" if ch != "\n" and unicodedata.category(ch) in _INVISIBLE else ch
                   for ch in text)


def one_line(text: str) -> str:
    return clean(text).replace("\n", " ")


def clipped(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis standing for the rest."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short(text: str, limit: int) -> str:
    """One line of at most `limit` characters (chart labels, calendar titles)."""
    return clipped(one_line(text), limit)


def spreadsheet(text: str, limit: int | None = None) -> str:
    """A text cell Excel or WPS will never run: a leading = + - @ TAB or CR gets a `'` in front."""
    shown = clean(text)
    if text.startswith(FORMULA_START) or shown.startswith(FORMULA_START):
        shown = "'" + shown
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


def html_text(text: str) -> str:
    return html.escape(clean(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!$])")


def md_text(text: str) -> str:
    """Markdown that renders as the text itself: no tags, links, emphasis or table breaks."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_part(text: str) -> str:
    """A piece of a file name from data (a department's name): no separators, no controls."""
    return _FILE_UNSAFE.sub("_", clean(text)).strip("._")[:40] or "_"


# --- the report as tables -------------------------------------------------------------------------

Value = str | int | date | datetime | None


@dataclass(frozen=True)
class Cell:
    value: Value
    text: str | None = None  # how it reads when not the plain value (a due time, a mark)
    tone: str = ""  # a Status value or a column state: which colour the cell takes

    @property
    def shown(self) -> str:
        if self.text is not None:
            return self.text
        if self.value is None:
            return "—"
        if isinstance(self.value, datetime):
            return self.value.strftime("%Y-%m-%d %H:%M")
        if isinstance(self.value, date):
            return self.value.isoformat()
        return str(self.value)


@dataclass(frozen=True)
class Table:
    key: str  # a stable name: newly_overdue, departments, …
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str = "无。"


def owners(names: Sequence[str]) -> str:
    return "、".join(names) if names else "(未指定)"


def due_cell(status: ItemStatus) -> Cell:
    """The due date, with the hour for hour windows and a mark when the calendar is provisional."""
    if status.due is None:
        return Cell(None)
    info = status.obligation
    value: date | datetime = status.due
    if info is not None and info.due_time:
        value = datetime.combine(status.due, time.fromisoformat(info.due_time))
    mark = PROVISIONAL_MARK if info is not None and info.provisional else ""
    return Cell(value, Cell(value).shown + mark if mark else None)


def status_cell(status: ItemStatus) -> Cell:
    text = STATUS_LABEL[status.status] + ("(逾期完成)" if status.late else "")
    return Cell(text, tone=status.status.value)


def summary_rows(report: WeeklyReport) -> tuple[tuple[Cell, ...], ...]:
    scope = report.dept or "全部处室和单位"
    rows: list[tuple[Cell, ...]] = [
        (Cell("单位"), Cell(report.unit)),
        (Cell("范围"), Cell(scope)),
        (Cell("统计周期"), Cell(report.period.label)),
        (Cell("周期开始"), Cell(report.period.start)),
        (Cell("周期结束"), Cell(report.period.end)),
        (Cell("截至"), Cell(report.as_of)),
        (Cell("跟踪起点"), Cell(report.tracking_since)),
    ]
    rows += [(Cell(STATUS_LABEL[s]), Cell(report.count(s), tone=s.value)) for s in SUMMARY_ORDER]
    rows.append((Cell("合计"), Cell(report.total)))
    return tuple(rows)


def _overdue_table(key: str, title: str, held: Sequence[Held], with_role: bool) -> Table:
    headers = ["编号", "类型", "事项", "应完成", "逾期天数", "牵头"]
    if with_role:
        headers.append("本处室角色")
    headers.append("要求(原文)")
    rows = []
    for h in held:
        s = h.status
        row = [Cell(s.item.ref), Cell(KIND_LABEL[s.item.kind]), Cell(s.item.title), due_cell(s),
               Cell(s.days_overdue, tone=Status.OVERDUE.value), Cell(owners(s.item.lead))]
        if with_role:
            row.append(Cell(h.holding.label if h.holding else ""))
        row.append(Cell(s.item.requirement or "(源文空白)"))
        rows.append(tuple(row))
    return Table(key, title, tuple(headers), tuple(rows))


def _activity_kind(entry_type: str, event: str | None) -> str:
    if entry_type == "event":
        return "事件"
    if entry_type == "observed":
        return "巡检(网站所见)"
    return f"完成事件 {event}" if event else "完成/更新"


def _item_title(item: Item | None) -> str:
    return item.title if item is not None else "(已不在清单中)"


URL_HEADERS = ("证据链接",)  # the columns that hold evidence links (wrapped in html, linked in xlsx)


def tables(report: WeeklyReport) -> list[Table]:
    """Every section after the headline, in the order all formats show them."""
    with_role = report.dept is not None
    found = [
        _overdue_table("newly_overdue", f"本期新增逾期({len(report.newly_overdue)} 项)",
                       report.newly_overdue, with_role),
        _overdue_table("still_overdue", f"仍逾期({len(report.still_overdue)} 项,最早到期的在前)",
                       report.still_overdue, with_role),
    ]
    found.append(Table(
        "upcoming", f"{report.upcoming_days} 天内到期({len(report.upcoming)} 项)",
        ("应完成", "剩余天数", "编号", "类型", "事项", "状态", "牵头"),
        tuple((due_cell(r.status), Cell(r.days_left), Cell(r.status.item.ref),
               Cell(KIND_LABEL[r.status.item.kind]), Cell(r.status.item.title), status_cell(r.status),
               Cell(owners(r.status.item.lead))) for r in report.upcoming)))
    found.append(Table(
        "activity", f"本期完成与更新({len(report.activity)} 条)",
        ("日期", "编号", "事项", "类型", "登记人", "证据链接", "备注", "记录号"),
        tuple((Cell(a.entry.date, a.entry.date.isoformat() + (f" {a.entry.time}" if a.entry.time else "")),
               Cell(a.ref), Cell(_item_title(a.item)),
               Cell(_activity_kind(a.entry.type, a.fulfils) + ("(补录)" if a.backfilled else "")),
               Cell(a.entry.by or ""), Cell(a.entry.url or ""), Cell(a.entry.note or a.entry.title or ""),
               Cell(a.entry.id)) for a in report.activity)))
    found.append(Table(
        "departments", "各处室情况(含经“各处室”等组承担的事项)",
        ("处室/单位", "逾期", "即将到期", "本期完成/更新", "其中牵头逾期", "事项数"),
        tuple((Cell(d.name), Cell(d.overdue, tone=Status.OVERDUE.value if d.overdue else ""),
               Cell(d.due_soon, tone=Status.DUE_SOON.value if d.due_soon else ""),
               Cell(d.done_in_period, tone=Status.DONE.value if d.done_in_period else ""),
               Cell(d.lead_overdue), Cell(d.total)) for d in report.departments),
        empty="没有处室承担的事项。"))
    found.append(Table(
        "columns", "栏目更新情况(各按自身周期:本月/本季度/本半年/本年)",
        ("编号", "栏目", "要求(原文)", "周期", "当前周期", "应更新于", "本期状态", "最近更新",
         "近12个月未按期"),
        tuple((Cell(c.status.item.ref), Cell(c.status.item.title),
               Cell(c.status.item.requirement or "(源文空白)"), Cell(CYCLE_LABEL[c.cycle]),
               Cell(c.period.label), Cell(c.due), Cell(COLUMN_STATE_LABEL[c.state], tone=c.state),
               Cell(c.status.last), Cell(len(c.missed), tone="missed" if c.missed else ""))
              for c in report.columns),
        empty="没有按周期更新的栏目。"))
    found.append(Table(
        "missed", f"近 12 个月未按期更新的周期({len(report.missed)} 个)",
        ("编号", "栏目", "牵头", "未按期周期", "周期结束"),
        tuple((Cell(c.status.item.ref), Cell(c.status.item.title), Cell(owners(c.status.item.lead)),
               Cell(p.label, tone="missed"), Cell(p.end)) for c, p in report.missed)))
    found.append(Table(
        "gaps", f"附录:源文自身的缺漏({len(report.gaps)} 处)",
        ("类别", "编号", "说明", "位置"),
        tuple((Cell(GAP_LABEL.get(g.code, g.code), tone="unspecified"), Cell(g.item or "—"),
               Cell(g.message), Cell(g.where)) for g in report.gaps)))
    return found


# --- the rollup across units as tables ------------------------------------------------------------

GRID_TONE = {"behind": "missed", "on_time": "met", "none": "", "broken": "unspecified"}


def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def units_table(rollup: RollupReport) -> Table:
    """The units ranked as `zwgk status --workspace` ranks them: broken first, then most overdue."""
    rows = []
    for row in rollup.units:
        overdue = row.counts[Status.OVERDUE]
        due_soon = row.counts[Status.DUE_SOON]
        behind = "、".join(f"{group} {n}" for group, n in row.behind) or ("—" if row.broken else "无")
        rows.append((
            Cell(row.name, tone="unspecified" if row.broken else ""),
            Cell("数据有误,未计入" if row.broken else "正常", tone="unspecified" if row.broken else ""),
            Cell(overdue, tone=Status.OVERDUE.value if overdue else ""),
            Cell(due_soon, tone=Status.DUE_SOON.value if due_soon else ""),
            Cell(row.columns), Cell(row.columns_on_time),
            Cell(percent(row.compliance),
                 tone="" if row.compliance is None else "met" if row.compliance == 1 else "missed"),
            Cell(behind, tone="missed" if row.behind else ""),
            Cell(rollup.path_of(row.name)),
        ))
    return Table("units", f"各单位情况({len(rollup.units)} 个单位,逾期多的在前)",
                 ("单位", "数据状态", "逾期", "即将到期", "有更新周期的栏目", "按时栏目", "栏目合规率",
                  "落后的一级栏目(逾期栏目数)", "数据文件夹"), tuple(rows))


def grid_table(rollup: RollupReport) -> Table:
    """Unit × first-level column group: overdue columns / columns with a refresh cycle."""
    rows = []
    for row in rollup.grid:
        if row.broken:
            cells = [Cell("数据有误", tone=GRID_TONE["broken"]) for _ in row.cells]
            total = Cell("数据有误", tone=GRID_TONE["broken"])
        else:
            cells = [grid_cell(c.overdue, c.columns, c.state) for c in row.cells]
            late, count = sum(c.overdue for c in row.cells), sum(c.columns for c in row.cells)
            total = grid_cell(late, count, "none" if not count else "behind" if late else "on_time")
        rows.append((Cell(row.unit), *cells, total))
    return Table("grid", "各单位 × 一级栏目:逾期栏目数 / 有更新周期的栏目数",
                 ("单位", *rollup.groups, "合计"), tuple(rows), empty="没有按周期更新的栏目。")


def grid_cell(overdue: int, columns: int, state: str) -> Cell:
    return Cell(f"{overdue}/{columns}" if columns else "—", tone=GRID_TONE[state])
