"""The weekly report as one self-contained HTML page, printable on A4.

Inline CSS and inline SVG only: no script, font, image or stylesheet from anywhere, and a
Content-Security-Policy that forbids fetching any, so the file opens the same offline, in an
e-mail attachment or on an intranet PC. Every piece of data is escaped (`safe.html_text`);
evidence links are shown as text, never as links the page would follow. Each section starts
a new printed page.
"""

from __future__ import annotations

from zwgk.report.labels import STATUS_LABEL
from zwgk.report.safe import (
    COLUMN_STATE_LABEL,
    SUMMARY_ORDER,
    Cell,
    Table,
    html_text,
    one_line,
    percent,
    tables,
    units_table,
)
from zwgk.summary.rollup import RollupReport
from zwgk.summary.weekly import WeeklyReport

FONTS = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif'
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

TONE_COLOUR = {
    "overdue": "#c62828", "due_soon": "#e69500", "open": "#607d8b", "ok": "#2e7d32",
    "done": "#2e7d32", "ongoing": "#00838f", "waiting": "#9e9e9e", "unspecified": "#8e24aa",
    "untracked": "#bdbdbd", "met": "#2e7d32", "not_yet": "#f2c14e", "missed": "#c62828",
}
STATE_FILL = {"met": "#66bb6a", "not_yet": "#ffe082", "missed": "#e57373", "untracked": "#eeeeee"}

CSS = f"""
@page {{ size: A4; margin: 14mm 12mm 16mm 12mm; }}
* {{ box-sizing: border-box; }}
html {{ font-family: {FONTS}; font-size: 10.5pt; color: #212121; background: #fff; }}
body {{ margin: 0 auto; max-width: 190mm; padding: 8mm 0; }}
h1 {{ font-size: 18pt; margin: 0 0 2mm; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #1565c0; }}
.meta {{ color: #555; margin: 0 0 4mm; padding: 0; list-style: none; }}
.meta li {{ margin: 0.5mm 0; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 2mm; margin: 2mm 0 4mm; }}
.card {{ flex: 1 1 24mm; border: 1px solid #ddd; border-left: 4px solid var(--tone); padding: 2mm 3mm;
        border-radius: 2px; }}
.card .n {{ display: block; font-size: 18pt; font-weight: bold; color: var(--tone); }}
.card .l {{ font-size: 9pt; color: #555; }}
table {{ width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; table-layout: auto; }}
th, td {{ border: 1px solid #ccc; padding: 1mm 1.5mm; text-align: left; vertical-align: top;
         overflow-wrap: break-word; white-space: pre-line; font-size: 9.5pt; }}
td.long {{ overflow-wrap: anywhere; min-width: 12em; }}
th {{ background: #eef3f8; white-space: normal; word-break: keep-all; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.nw {{ white-space: nowrap; }}
td[data-tone] {{ font-weight: bold; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
.empty {{ color: #777; }}
.chart {{ margin: 2mm 0 4mm; }}
.chart svg {{ max-width: 100%; height: auto; }}
.legend span {{ display: inline-block; margin-right: 4mm; font-size: 9pt; }}
.legend i {{ display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: middle; }}
section {{ break-before: page; page-break-before: always; }}
section.first {{ break-before: auto; page-break-before: auto; }}
footer {{ margin-top: 6mm; color: #888; font-size: 8.5pt; }}
@media print {{
  body {{ padding: 0; max-width: none; }}
  h2 {{ break-after: avoid; page-break-after: avoid; }}
  .card, .chart {{ break-inside: avoid; page-break-inside: avoid; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
""" + "".join(f'[data-tone="{tone}"] {{ color: {colour}; }}\n' for tone, colour in TONE_COLOUR.items())


def render(report: WeeklyReport) -> str:
    title = f"{html_text(report.unit)} 政务公开周报 {html_text(report.period.key)}"
    parts = _head(title, CSS)
    parts += _unit_sections(report, title)
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


def _unit_sections(report: WeeklyReport, title: str, prefix: str = "") -> list[str]:
    """The one-unit report's sections. `prefix` keeps element ids unique when several units share
    a page (the rollup); the first unit of a lone report does not start a new printed page."""
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
        _table(sections.pop("newly_overdue"), prefix),
        "</section>",
    ]
    for key, table in sections.items():
        parts.append(f'<section id="{prefix}{key}">')
        parts.append(_table(table, prefix))
        if key == "departments" and report.departments:
            parts.append(_department_chart(report))
        if key == "columns" and report.columns:
            parts.append(_freshness_grid(report, prefix))
        parts.append("</section>")
    return parts


# --- the rollup across units ----------------------------------------------------------------------

GRID_FILL = {"behind": "#e57373", "on_time": "#66bb6a", "none": "#f5f5f5", "broken": "#e1bee7"}
GRID_LABEL = {"behind": "有逾期栏目", "on_time": "全部按时", "none": "无此类栏目", "broken": "数据有误"}
ROLLUP_CSS = CSS + "".join(
    f'table.grid td[data-state="{state}"] {{ background: {fill}; text-align: center; }}\n'
    for state, fill in GRID_FILL.items()
) + "section.unit h1 { font-size: 15pt; }\n"


def render_rollup(rollup: RollupReport) -> str:
    """Units ranked, the unit × column-group grid, then each unit's own report, one after another."""
    title = f"{html_text(rollup.title)} 政务公开周报汇总 {html_text(rollup.period.key)}"
    scope = f";各单位章节只含 {html_text(rollup.dept)} 的事项" if rollup.dept else ""
    parts = _head(title, ROLLUP_CSS)
    parts += [
        '<section class="first" id="rollup">',
        f"<h1>{title}</h1>",
        '<ul class="meta">',
        f"<li>统计周期:{html_text(rollup.period.label)},{rollup.period.start} 至 {rollup.period.end}</li>",
        f"<li>截至:{rollup.as_of}(状态按此日判断)</li>",
        f"<li>范围:{len(rollup.units)} 个单位{scope}</li>",
        "</ul>",
        _table(units_table(rollup)),
        _unit_grid(rollup),
        _unit_index(rollup),
        "</section>",
    ]
    for i, report in enumerate(rollup.reports, start=1):
        unit_title = f"{html_text(report.unit)} 政务公开周报 {html_text(report.period.key)}"
        parts += _unit_sections(report, unit_title, prefix=f"u{i}-")
    parts.append(f"<footer>由 zwgk 生成 · 截至 {rollup.as_of} · 数据以登记日志为准</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _unit_grid(rollup: RollupReport) -> str:
    """An inline table: each cell `overdue/columns`, its background the cell's state."""
    head = ('<h2 id="h-grid">各单位 × 一级栏目:逾期栏目数 / 有更新周期的栏目数</h2>')
    if not rollup.groups:
        return head + '<p class="empty">没有按周期更新的栏目。</p>'
    header = "".join(f"<th>{html_text(g)}</th>" for g in rollup.groups)
    rows = []
    for row, unit in zip(rollup.grid, rollup.units, strict=True):
        cells = []
        for cell in row.cells:
            state = "broken" if row.broken else cell.state
            shown = "数据有误" if row.broken else f"{cell.overdue}/{cell.columns}" if cell.columns else "—"
            cells.append(f'<td data-group="{html_text(cell.group)}" data-state="{state}" '
                         f'data-overdue="{cell.overdue}" data-columns="{cell.columns}" '
                         f'title="{html_text(row.unit)} · {html_text(cell.group)}:{GRID_LABEL[state]}">'
                         f"{shown}</td>")
        total = "数据有误" if row.broken else f"{unit.columns - unit.columns_on_time}/{unit.columns}"
        cells.append(f'<td class="num" data-total="{unit.columns}" data-on-time="{unit.columns_on_time}">'
                     f"{total}(合规 {percent(unit.compliance)})</td>")
        name = html_text(row.unit)
        rows.append(f'<tr data-unit="{name}"><th>{name}</th>{"".join(cells)}</tr>')
    legend = '<div class="legend">' + "".join(
        f'<span><i style="background:{GRID_FILL[state]}"></i>{label}</span>'
        for state, label in GRID_LABEL.items()) + "</div>"
    return (head + f'<table class="grid" data-section="grid"><thead><tr><th>单位</th>{header}'
            f'<th>合计(逾期/栏目)</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{legend}')


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


def _table(table: Table, prefix: str = "") -> str:
    head = f'<h2 id="{prefix}h-{table.key}">{html_text(table.title)}</h2>'
    if not table.rows:
        return head + f'<p class="empty">{html_text(table.empty)}</p>'
    header = "".join(f"<th>{html_text(h)}</th>" for h in table.headers)
    rows = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in table.rows)
    return (head + f'<table data-section="{table.key}"><thead><tr>{header}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _cell(cell: Cell) -> str:
    shown = cell.shown
    # Short cells (ids, names, dates) stay on one line; very long text may break anywhere, even
    # inside an unbroken run, without squeezing its neighbours below their own longest word.
    classes = ("num" if isinstance(cell.value, int) else "nw" if len(shown) <= 10
               else "long" if len(shown) > 80 else "")
    tone = f' data-tone="{cell.tone}"' if cell.tone in TONE_COLOUR else ""
    klass = f' class="{classes}"' if classes else ""
    return f"<td{klass}{tone}>{html_text(shown)}</td>"


# --- inline SVG charts ----------------------------------------------------------------------------

BARS = (("overdue", "逾期", "#c62828"), ("due_soon", "即将到期", "#e69500"),
        ("done_in_period", "本期完成/更新", "#2e7d32"))


def _short(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _department_chart(report: WeeklyReport) -> str:
    label_w, bar_w, row_h, bar_h = 150, 520, 44, 11
    peak = max((max(d.overdue, d.due_soon, d.done_in_period) for d in report.departments), default=0) or 1
    height = row_h * len(report.departments) + 10
    out = [f'<div class="chart"><svg role="img" '
           f'aria-label="各处室逾期、即将到期和本期完成/更新" viewBox="0 0 {label_w + bar_w + 50} {height}" '
           f'width="{label_w + bar_w + 50}" height="{height}" font-family=\'{FONTS}\' font-size="11">']
    for i, d in enumerate(report.departments):
        y = 5 + i * row_h
        out.append(f'<g><title>{html_text(d.name)}</title><text x="{label_w - 6}" y="{y + 22}" '
                   f'text-anchor="end">{html_text(_short(d.name, 12))}</text>')
        for j, (field, _, colour) in enumerate(BARS):
            value = getattr(d, field)
            width = round(bar_w * value / peak, 1)
            by = y + 2 + j * (bar_h + 2)
            out.append(f'<rect x="{label_w}" y="{by}" width="{width}" height="{bar_h}" fill="{colour}"/>'
                       f'<text x="{label_w + width + 4}" y="{by + bar_h - 2}" font-size="9">{value}</text>')
        out.append("</g>")
    out.append("</svg>")
    legend = "".join(f'<span><i style="background:{colour}"></i>{label}</span>' for _, label, colour in BARS)
    out.append(f'<div class="legend">{legend}</div></div>')
    return "".join(out)


def _freshness_grid(report: WeeklyReport, prefix: str = "") -> str:
    label_w, cell, gap, top = 230, 18, 4, 36
    months = report.grid_months
    width = label_w + len(months) * (cell + gap) + 10
    height = top + len(report.columns) * (cell + gap) + 6
    out = [f'<h2 id="{prefix}h-freshness">栏目更新网格(近 {len(months)} 个月,每格为该月所在周期的状态)</h2>',
           f'<div class="chart"><svg role="img" aria-label="栏目更新网格" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family=\'{FONTS}\' font-size="10">']
    for j, month in enumerate(months):
        x = label_w + j * (cell + gap) + cell / 2
        # The year where it starts (and over the first cell, unless January follows at once).
        if month.endswith("-01") or (j == 0 and not (len(months) > 1 and months[1].endswith("-01"))):
            out.append(f'<text x="{x - cell / 2}" y="{top - 20}" font-size="9">{month[:4]}年</text>')
        out.append(f'<text x="{x}" y="{top - 6}" text-anchor="middle" font-size="9">'
                   f"{int(month[5:])}月</text>")
    for i, column in enumerate(report.columns):
        y = top + i * (cell + gap)
        name = f"{column.status.item.ref} {column.status.item.title}"
        out.append(f'<text x="{label_w - 6}" y="{y + cell - 4}" text-anchor="end">'
                   f'<title>{html_text(name)}</title>{html_text(_short(name, 18))}</text>')
        for j, m in enumerate(column.months):
            x = label_w + j * (cell + gap)
            out.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                       f'fill="{STATE_FILL[m.state]}" data-state="{m.state}">'
                       f"<title>{m.month} {COLUMN_STATE_LABEL[m.state]}</title></rect>")
    out.append("</svg>")
    out.append('<div class="legend">' + "".join(
        f'<span><i style="background:{STATE_FILL[state]}"></i>{label}</span>'
        for state, label in COLUMN_STATE_LABEL.items()) + "</div></div>")
    return "".join(out)
