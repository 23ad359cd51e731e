"""The html report's inline SVG charts: the overdue trend, what each department leads and is
overdue on, and the website columns' month-by-month freshness grid.

Drawn from the finished report only (no date maths); every label is escaped; the charts are a
fixed size in CSS pixels and shrink to their box (`max-width: 100%`), so none is wider than its
printed page.
"""

from __future__ import annotations

from zwgk.report.htmlprint import FONTS, STATE_FILL
from zwgk.report.safe import COLUMN_STATE_LABEL, html_text, short
from zwgk.summary.weekly import WeeklyReport

GRID_ROWS_PER_CHART = 60  # a taller grid is drawn as several charts, so none is cut at a page's foot


def legend(entries: list[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colour}"></i>{label}</span>' for label, colour in entries) + "</div>"


def trend_chart(report: WeeklyReport) -> str:
    """This week's overdue count against each of the four weeks before, as bars."""
    points = report.trend
    if not points:
        return ""
    bar, gap, top, plot = 54, 26, 18, 90
    peak = max(p.overdue for p in points) or 1
    width = len(points) * (bar + gap) + gap
    out = [f'<div class="chart trend"><svg role="img" aria-label="近五周逾期事项数" '
           f'viewBox="0 0 {width} {top + plot + 34}" width="{width}" height="{top + plot + 34}" '
           f"font-family='{FONTS}' font-size=\"10\">"]
    for i, p in enumerate(points):
        x = gap + i * (bar + gap)
        h = round(plot * p.overdue / peak, 1)
        colour = "#c62828" if p.current else "#ef9a9a"
        label = "本周" if p.current else p.key.split("-")[-1]
        out.append(f'<g data-week="{html_text(p.key)}" data-overdue="{p.overdue}"><title>{html_text(p.key)}'
                   f"(截至 {p.day}):逾期 {p.overdue} 项</title>"
                   f'<rect x="{x}" y="{top + plot - h}" width="{bar}" height="{h}" fill="{colour}"/>'
                   f'<text x="{x + bar / 2}" y="{top + plot - h - 4}" text-anchor="middle">{p.overdue}</text>'
                   f'<text x="{x + bar / 2}" y="{top + plot + 14}" text-anchor="middle">{label}</text>'
                   f'<text x="{x + bar / 2}" y="{top + plot + 27}" text-anchor="middle" font-size="8" '
                   f'fill="#777">{p.day.month}月{p.day.day}日</text></g>')
    out.append("</svg></div>")
    return "".join(out)


def trend_words(report: WeeklyReport) -> str:
    """One sentence under the chart: this week against last week and against four weeks ago."""
    if len(report.trend) < 2:
        return ""
    now, last, first = report.trend[-1].overdue, report.trend[-2].overdue, report.trend[0].overdue

    def delta(n: int) -> str:
        return "持平" if n == 0 else f"增加 {n} 项" if n > 0 else f"减少 {-n} 项"

    return (f'<p class="more">本周逾期 {now} 项,较上周{delta(now - last)},'
            f"较 {len(report.trend) - 1} 周前{delta(now - first)}(往周按各周最后一天判断)。</p>")


LEAD_BARS = (("牵头且逾期", "#c62828"), ("承担的全部逾期(含经“各处室”等组)", "#f4b6b6"))


def department_chart(report: WeeklyReport) -> str:
    """Per department: the overdue items it leads (the bar that differs), and lightly behind it
    everything overdue it holds (which group duties make nearly the same for every department)."""
    rows = sorted((d for d in report.departments if d.overdue or d.lead_overdue),
                  key=lambda d: (-d.lead_overdue, -d.overdue, d.name))
    if not rows:
        return '<p class="empty">没有处室有逾期事项。</p>'
    label_w, bar_w, row_h = 130, 440, 22
    peak = max(d.overdue for d in rows) or 1
    height = row_h * len(rows) + 6
    out = [f'<div class="chart" data-chart="lead"><svg role="img" aria-label="各处室牵头的逾期事项" '
           f'viewBox="0 0 {label_w + bar_w + 60} {height}" width="{label_w + bar_w + 60}" '
           f"height=\"{height}\" font-family='{FONTS}' font-size=\"10\">"]
    for i, d in enumerate(rows):
        y = 3 + i * row_h
        led = "、".join(d.lead_overdue_items[:20]) + (" 等" if len(d.lead_overdue_items) > 20 else "")
        whole = round(bar_w * d.overdue / peak, 1)
        mine = round(bar_w * d.lead_overdue / peak, 1)
        out.append(f'<g data-dept="{html_text(d.name)}" data-lead-overdue="{d.lead_overdue}">'
                   f"<title>{html_text(d.name)}:牵头且逾期 {d.lead_overdue} 项"
                   f"{('(' + html_text(led) + ')') if led else ''};承担的全部逾期 {d.overdue} 项</title>"
                   f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
                   f"{html_text(short(d.name, 11))}</text>"
                   f'<rect x="{label_w}" y="{y + 2}" width="{whole}" height="16" fill="{LEAD_BARS[1][1]}"/>'
                   f'<rect x="{label_w}" y="{y + 5}" width="{mine}" height="10" fill="{LEAD_BARS[0][1]}"/>'
                   f'<text x="{label_w + whole + 4}" y="{y + 14}" font-size="9">'
                   f"{d.lead_overdue} / {d.overdue}</text></g>")
    out.append("</svg>")
    out.append(legend([*LEAD_BARS, ("数字:牵头逾期 / 全部逾期", "#fff")]) + "</div>")
    return "".join(out)


def freshness_grid(report: WeeklyReport, prefix: str = "") -> str:
    """Each column with a refresh cycle × the last 12 months, coloured by its period's state."""
    parts = [f'<h2 id="{prefix}h-freshness">栏目更新网格(近 {len(report.grid_months)} 个月,'
             f"每格为该月所在周期的状态)</h2>"]
    for at in range(0, len(report.columns), GRID_ROWS_PER_CHART):
        parts.append(_grid_chart(report, at))
    parts.append(legend([(label, STATE_FILL[state]) for state, label in COLUMN_STATE_LABEL.items()]))
    return "".join(parts)


def _grid_chart(report: WeeklyReport, at: int) -> str:
    label_w, cell, gap, top = 220, 12, 2, 30
    months = report.grid_months
    columns = report.columns[at: at + GRID_ROWS_PER_CHART]
    width = label_w + len(months) * (cell + gap) + 10
    height = top + len(columns) * (cell + gap) + 4
    out = [f'<div class="chart"><svg role="img" aria-label="栏目更新网格" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f"font-family='{FONTS}' font-size=\"9\">"]
    for j, month in enumerate(months):
        x = label_w + j * (cell + gap) + cell / 2
        # The year where it starts (and over the first cell, unless January follows at once).
        if month.endswith("-01") or (j == 0 and not (len(months) > 1 and months[1].endswith("-01"))):
            out.append(f'<text x="{x - cell / 2}" y="{top - 17}" font-size="8">{month[:4]}年</text>')
        out.append(f'<text x="{x}" y="{top - 5}" text-anchor="middle" font-size="8">{int(month[5:])}</text>')
    for i, column in enumerate(columns):
        y = top + i * (cell + gap)
        name = f"{column.status.item.ref} {column.status.item.title}"
        out.append(f'<text x="{label_w - 5}" y="{y + cell - 2}" text-anchor="end">'
                   f"<title>{html_text(name)}</title>{html_text(short(name, 20))}</text>")
        for j, m in enumerate(column.months):
            x = label_w + j * (cell + gap)
            out.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" '
                       f'fill="{STATE_FILL[m.state]}" data-state="{m.state}">'
                       f"<title>{m.month} {COLUMN_STATE_LABEL[m.state]}</title></rect>")
    out.append("</svg></div>")
    return "".join(out)
