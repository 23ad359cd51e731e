"""The weekly report as Markdown: for a wiki, a merge request, or an e-mail to leadership.

Every piece of data is escaped (`safe.md_text`), so a title cannot open a tag, a link or a
table cell of its own, and control characters cannot reach the terminal the report is printed on.
"""

from __future__ import annotations

from zwgk.report.labels import STATUS_LABEL
from zwgk.report.safe import SUMMARY_ORDER, Table, grid_table, md_text, tables, units_table
from zwgk.summary.rollup import RollupReport
from zwgk.summary.weekly import WeeklyReport


def render(report: WeeklyReport) -> str:
    lines = [f"# {md_text(report.unit)} 政务公开周报 {report.period.key}", ""]
    lines += _body(report, "##")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_rollup(rollup: RollupReport) -> str:
    """Units ranked, the unit × column-group grid, then each unit's own report under its name."""
    lines = [f"# {md_text(rollup.title)} 政务公开周报汇总 {rollup.period.key}", ""]
    lines += [
        f"- 统计周期:{rollup.period.label},{rollup.period.start} 至 {rollup.period.end}",
        f"- 截至:{rollup.as_of}(状态按此日判断)",
        f"- 范围:{len(rollup.units)} 个单位" + (f";各单位章节只含 {md_text(rollup.dept)} 的事项"
                                            if rollup.dept else ""),
        "",
    ]
    lines += _table(units_table(rollup))
    lines += _table(grid_table(rollup))
    for report in rollup.reports:
        lines += [f"## {md_text(report.unit)} 政务公开周报 {report.period.key}", ""]
        lines += _body(report, "###")
    return "\n".join(lines).rstrip("\n") + "\n"


def _body(report: WeeklyReport, level: str) -> list[str]:
    lines = [
        f"- 统计周期:{report.period.label},{report.period.start} 至 {report.period.end}",
        f"- 截至:{report.as_of}(状态按此日判断;日志统计到 {report.activity_end})",
        f"- 范围:{md_text(report.dept) + '(含经组承担的事项)' if report.dept else '全部处室和单位'}",
        f"- 跟踪起点:{report.tracking_since};提前 {report.warn_days} 天提示“即将到期”",
        "",
        f"{level} 总体情况",
        "",
        "| " + " | ".join([*(STATUS_LABEL[s] for s in SUMMARY_ORDER), "合计"]) + " |",
        "|" + "---:|" * (len(SUMMARY_ORDER) + 1),
        "| " + " | ".join([*(str(report.count(s)) for s in SUMMARY_ORDER), str(report.total)]) + " |",
        "",
        "逾期趋势(各周末的逾期项数):" + " → ".join(
            f"{'本周' if t.current else t.key} {t.overdue}" for t in report.trend),
        "",
    ]
    for table in tables(report):
        lines += _table(table, level)
    return lines


def _table(table: Table, level: str = "##") -> list[str]:
    lines = [f"{level} {table.title}", ""]
    if not table.rows:
        return [*lines, table.empty, ""]
    lines.append("| " + " | ".join(table.headers) + " |")
    numeric = [all(isinstance(row[i].value, int) for row in table.rows) for i in range(len(table.headers))]
    lines.append("|" + "".join("---:|" if right else "---|" for right in numeric))
    for row in table.rows:
        lines.append("| " + " | ".join(md_text(cell.shown) for cell in row) + " |")
    return [*lines, ""]
