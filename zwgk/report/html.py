"""The weekly report (and the rollup across units) as one self-contained HTML page, print-ready on A4.

Inline CSS and inline SVG only: no script, font, image or stylesheet from anywhere, and a
Content-Security-Policy that forbids fetching any, so the file opens the same offline, in an
e-mail attachment or on an intranet PC. Every piece of data is escaped (`safe.html_text`);
evidence links are shown as text, never as links the page would follow.

Printed, the main part stays short: each long list shows its first rows (the most overdue first,
as the report orders them) and says where the rest is; the rest, and the source's own gaps, follow
in an appendix after the main part. Sections flow one after another; wide ones (the log of the
period, the columns, the rollup's grid) get landscape pages (`htmlprint`), and the rollup's unit ×
column-group grid is split into parts of at most GRID_PART groups, each with its 合计, so every
part fits its page. The charts are in `htmlcharts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from zwgk.report.htmlcharts import department_chart, freshness_grid, legend, trend_chart, trend_words
from zwgk.report.htmlprint import CSP, TONE_COLOUR, style
from zwgk.report.labels import STATUS_LABEL
from zwgk.report.safe import (
    SUMMARY_ORDER,
    URL_HEADERS,
    Cell,
    Table,
    html_text,
    percent,
    tables,
    units_table,
)
from zwgk.summary.rollup import RollupReport
from zwgk.summary.weekly import WeeklyReport

# How many rows a list shows in the main part; the rest goes to the appendix.
CAPS = {"newly_overdue": 10, "still_overdue": 10, "upcoming": 12, "activity": 15, "columns": 15,
        "missed": 10}
WIDE = frozenset({"activity", "columns"})  # sections printed on landscape pages
# The sections after the summary, in print order: portrait ones together, then the wide ones.
ORDER = ("still_overdue", "upcoming", "departments", "missed", "activity", "columns")
ID_HEADERS = ("编号", "记录号")
GRID_PART = 12  # column groups per part of the rollup's grid
NUMERALS = "一二三四五六七八九十"
APPENDIX_TITLE = "附录:正文清单的其余部分与源文缺漏"


@dataclass
class Appendix:
    """The rows the main part leaves out, collected while it is written, printed after it."""

    parts: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, html, wide)
    # Lists whose rest is left to the workbook instead (the rollup: 17 units' every overdue item
    # and missed period would be hundreds of pages): table key → its sheet in the xlsx.
    elsewhere: dict[str, str] = field(default_factory=dict)

    def label(self) -> str:
        n = len(self.parts) + 1
        return "附录" + (NUMERALS[n - 1] if n <= len(NUMERALS) else str(n))

    def add(self, html: str, wide: bool) -> str:
        label = self.label()
        self.parts.append((label, html, wide))
        return label

    def render(self, prefix: str = "") -> list[str]:
        if not self.parts:
            return []
        out = []
        for i, (_, html, wide) in enumerate(self.parts):
            klass = " ".join(name for name, on in (("wide", wide), ("appendix", i == 0)) if on)
            out.append(f'<section class="{klass}" id="{prefix}appendix-{i + 1}">')
            if i == 0:
                out.append(f"<h1>{APPENDIX_TITLE}</h1>")
            out.append(html)
            out.append("</section>")
        return out


def render(report: WeeklyReport) -> str:
    title = f"{html_text(report.unit)} 政务公开周报 {html_text(report.period.key)}"
    plain = f"{report.unit} 政务公开周报 {report.period.key}"
    parts = _head(title, style(plain, f"截至 {report.as_of}"))
    appendix = Appendix()
    parts += _unit_sections(report, title, appendix)
    parts += appendix.render()
    parts.append(f"<footer>由 zwgk 生成 · 截至 {report.as_of} · 数据以登记日志为准</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _head(title: str, css: str) -> list[str]:
    return [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{css}</style></head><body>",
    ]


def _unit_sections(report: WeeklyReport, title: str, appendix: Appendix, prefix: str = "",
                   unit: str = "") -> list[str]:
    """The one-unit report's main part; what it leaves out goes to `appendix`. `prefix` keeps
    element ids unique when several units share a page (the rollup), where each unit starts a
    new printed page; `unit` then names the unit in the appendix's titles."""
    sections = {t.key: t for t in tables(report)}
    scope = html_text(report.dept) + "(含经组承担的事项)" if report.dept else "全部处室和单位"
    first = ' class="first"' if not prefix else ' class="unit"'
    parts = [
        f'<section{first} id="{prefix}summary">',
        f"<h1>{title}</h1>",
        '<ul class="meta">',
        f"<li>统计周期:{html_text(report.period.label)},{report.period.start} 至 {report.period.end}</li>",
        f"<li>截至:{report.as_of}(状态按此日判断;日志统计到 {report.activity_end})</li>",
        f"<li>范围:{scope}</li>",
        f"<li>跟踪起点:{report.tracking_since};提前 {report.warn_days} 天提示“即将到期”</li>",
        "</ul>",
        "<h2>总体情况</h2>",
        _cards(report),
        f'<h2 id="{prefix}h-trend">逾期趋势(本周与前 {max(len(report.trend) - 1, 0)} 周)</h2>',
        trend_chart(report),
        trend_words(report),
        _table(sections["newly_overdue"], prefix, appendix, unit),
        "</section>",
    ]
    for key in ORDER:
        table = sections[key]
        if key == "columns":
            table = _worst_columns_first(table)
        klass = ' class="wide"' if key in WIDE else ""
        parts.append(f'<section{klass} id="{prefix}{key}">')
        if key == "departments":
            parts.append(f'<h2 id="{prefix}h-lead-chart">各处室牵头的逾期事项</h2>')
            parts.append(department_chart(report))
        parts.append(_table(table, prefix, appendix, unit))
        parts.append("</section>")
    if report.columns:
        parts += [f'<section id="{prefix}freshness">', freshness_grid(report, prefix), "</section>"]
    gaps = sections["gaps"]
    if gaps.rows:
        appendix.add(_table(replace(gaps, title=_in(unit, gaps.title)), prefix), wide=False)
    return parts


def _in(unit: str, title: str) -> str:
    return f"{unit} · {title}" if unit else title


def _worst_columns_first(table: Table) -> Table:
    """The columns with the most missed periods first (a stable sort: ids in order among equals)."""
    def missed(row: tuple[Cell, ...]) -> int:
        value = row[-1].value
        return value if isinstance(value, int) else 0

    rows = sorted(table.rows, key=lambda row: -missed(row))
    return replace(table, title=table.title + "(近12个月未按期多的在前)", rows=tuple(rows))


# --- the rollup across units ----------------------------------------------------------------------

ROLLUP_ELSEWHERE = {"newly_overdue": "本期新增逾期", "still_overdue": "仍逾期", "upcoming": "两周内到期",
                    "activity": "本期完成与更新", "missed": "未按期周期", "columns": "栏目更新"}
GRID_LABEL = {"behind": "有逾期栏目", "on_time": "全部按时", "none": "无此类栏目", "broken": "数据有误"}


def render_rollup(rollup: RollupReport) -> str:
    """Units ranked, the unit × column-group grid, then each unit's own report, one after another;
    the appendix of every unit at the end."""
    from zwgk.report.htmlprint import GRID_FILL

    title = f"{html_text(rollup.title)} 政务公开周报汇总 {html_text(rollup.period.key)}"
    plain = f"{rollup.title} 政务公开周报汇总 {rollup.period.key}"
    scope = f";各单位章节只含 {html_text(rollup.dept)} 的事项" if rollup.dept else ""
    parts = _head(title, style(plain, f"截至 {rollup.as_of}"))
    grid_legend = legend([(label, GRID_FILL[state]) for state, label in GRID_LABEL.items()])
    parts += [
        '<section class="first wide" id="rollup">',
        f"<h1>{title}</h1>",
        '<ul class="meta">',
        f"<li>统计周期:{html_text(rollup.period.label)},{rollup.period.start} 至 {rollup.period.end}</li>",
        f"<li>截至:{rollup.as_of}(状态按此日判断)</li>",
        f"<li>范围:{len(rollup.units)} 个单位{scope}</li>",
        "</ul>",
        _table(units_table(rollup)),
        _unit_grid(rollup),
        grid_legend,
        _unit_index(rollup),
        "</section>",
    ]
    appendix = Appendix(elsewhere=ROLLUP_ELSEWHERE)
    for i, report in enumerate(rollup.reports, start=1):
        unit_title = f"{html_text(report.unit)} 政务公开周报 {html_text(report.period.key)}"
        parts += _unit_sections(report, unit_title, appendix, prefix=f"u{i}-", unit=html_text(report.unit))
    parts += appendix.render()
    parts.append(f"<footer>由 zwgk 生成 · 截至 {rollup.as_of} · 数据以登记日志为准</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _unit_grid(rollup: RollupReport) -> str:
    """Inline tables: each cell `overdue/columns`, its background the cell's state; at most
    GRID_PART groups a table, each part with the unit and its 合计, so each part fits the page."""
    head = '<h2 class="grid" id="h-grid">各单位 × 一级栏目:逾期栏目数 / 有更新周期的栏目数</h2>'
    if not rollup.groups:
        return head + '<p class="empty">没有按周期更新的栏目。</p>'
    count = -(-len(rollup.groups) // GRID_PART)
    tables_html = []
    for part in range(count):
        lo, hi = part * GRID_PART, min((part + 1) * GRID_PART, len(rollup.groups))
        header = "".join(f"<th>{html_text(g)}</th>" for g in rollup.groups[lo:hi])
        rows = []
        for row, unit in zip(rollup.grid, rollup.units, strict=True):
            cells = []
            for cell in row.cells[lo:hi]:
                state = "broken" if row.broken else cell.state
                counted = f"{cell.overdue}/{cell.columns}" if cell.columns else "—"
                shown = "数据有误" if row.broken else counted
                cells.append(f'<td data-group="{html_text(cell.group)}" data-state="{state}" '
                             f'data-overdue="{cell.overdue}" data-columns="{cell.columns}" '
                             f'title="{html_text(row.unit)} · {html_text(cell.group)}:{GRID_LABEL[state]}">'
                             f"{shown}</td>")
            total = "数据有误" if row.broken else f"{unit.columns - unit.columns_on_time}/{unit.columns}"
            cells.append(f'<td class="num total" data-total="{unit.columns}" data-on-time='
                         f'"{unit.columns_on_time}">{total}(合规 {percent(unit.compliance)})</td>')
            name = html_text(row.unit)
            rows.append(f'<tr data-unit="{name}"><th>{name}</th>{"".join(cells)}</tr>')
        caption = (f'<p class="more caption">第 {part + 1} 部分(共 {count} 部分):'
                   f"第 {lo + 1}—{hi} 个一级栏目</p>" if count > 1 else "")
        key = "grid" if part == 0 else f"grid-{part + 1}"
        tables_html.append(f'{caption}<table class="grid" data-section="{key}"><thead><tr><th>单位</th>'
                           f'{header}<th>合计(逾期/栏目)</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return head + "".join(tables_html)


def _unit_index(rollup: RollupReport) -> str:
    """Where each unit's own section starts (or why it has none)."""
    ids = {report.unit: f"u{i}-summary" for i, report in enumerate(rollup.reports, start=1)}
    items = "".join(
        f'<li><a href="#{ids[row.name]}">{html_text(row.name)}</a></li>' if row.name in ids
        else f"<li>{html_text(row.name)}:数据有误,未计入(见 zwgk validate)</li>"
        for row in rollup.units)
    return f'<h2 id="h-units-index">各单位周报</h2><ul class="meta">{items}</ul>'


def _cards(report: WeeklyReport) -> str:
    cards = [
        f'<div class="card" style="--tone:{TONE_COLOUR[s.value]}" data-status="{s.value}" '
        f'data-count="{report.count(s)}"><span class="n">{report.count(s)}</span>'
        f'<span class="l">{STATUS_LABEL[s]}</span></div>'
        for s in SUMMARY_ORDER
    ]
    cards.append(f'<div class="card" style="--tone:#1565c0" data-status="total" data-count="{report.total}">'
                 f'<span class="n">{report.total}</span><span class="l">合计</span></div>')
    return '<div class="cards">' + "".join(cards) + "</div>"


def _html_order(table: Table) -> Table:
    """An item's id after its title in the overdue lists: an obligation's id is a 24-character
    journal id, which as a first column would wrap onto three lines and push the title aside."""
    if table.key not in ("newly_overdue", "still_overdue") or table.headers[:1] != ("编号",):
        return table
    return replace(table, headers=(*table.headers[1:], table.headers[0]),
                   rows=tuple((*row[1:], row[0]) for row in table.rows))


def _table(table: Table, prefix: str = "", appendix: Appendix | None = None, unit: str = "") -> str:
    table = _html_order(table)
    head = f'<h2 id="{prefix}h-{table.key}">{html_text(table.title)}</h2>'
    if not table.rows:
        return head + f'<p class="empty">{html_text(table.empty)}</p>'
    cap = CAPS.get(table.key) if appendix is not None else None
    shown, rest = (table.rows[:cap], table.rows[cap:]) if cap else (table.rows, ())
    note = ""
    if rest and appendix is not None and table.key in appendix.elsewhere:
        note = (f'<p class="more" data-rest="{len(rest)}">以上为前 {len(shown)} 条;其余 {len(rest)} 条'
                f"不在此打印,见 xlsx 工作簿(zwgk report --format xlsx)的"
                f"“{appendix.elsewhere[table.key]}”表。</p>")
    elif rest:
        assert appendix is not None
        label = appendix.label()
        appendix.add(_rows_table(
            f'<h2 id="{prefix}h-{table.key}-rest">{label}:{_in(unit, html_text(table.title))}'
            f"(续,第 {len(shown) + 1}—{len(table.rows)} 条)</h2>", table, rest, f"{table.key}-rest"),
            wide=table.key in WIDE)
        note = (f'<p class="more" data-rest="{len(rest)}">以上为前 {len(shown)} 条;'
                f"其余 {len(rest)} 条见{label}。</p>")
    return _rows_table(head, table, shown, table.key) + note


def _rows_table(head: str, table: Table, rows: tuple[tuple[Cell, ...], ...], key: str) -> str:
    header = "".join(f"<th>{html_text(h)}</th>" for h in table.headers)
    body = "".join("<tr>" + "".join(_cell(c, h) for c, h in zip(row, table.headers, strict=False)) + "</tr>"
                   for row in rows)
    return (head + f'<table data-section="{key}"><thead><tr>{header}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _cell(cell: Cell, header: str) -> str:
    shown = cell.shown
    # Short cells (names, dates) stay on one line; ids and URLs may break anywhere, in a small
    # font; very long text wraps without squeezing its neighbours below their own longest word.
    if isinstance(cell.value, int) and not isinstance(cell.value, bool):
        classes = "num"
    elif header in ID_HEADERS and len(shown) > 10:
        classes = "id"
    elif header in URL_HEADERS and len(shown) > 10:
        classes = "url"
    else:
        classes = "nw" if len(shown) <= 10 else "long" if len(shown) > 80 else ""
    tone = f' data-tone="{cell.tone}"' if cell.tone in TONE_COLOUR else ""
    klass = f' class="{classes}"' if classes else ""
    return f"<td{klass}{tone}>{html_text(shown)}</td>"
