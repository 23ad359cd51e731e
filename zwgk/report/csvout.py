"""`zwgk report --format csv`: every item in one table, for Excel and WPS.

UTF-8 with a BOM (`utf-8-sig`) so Excel on Windows reads the Chinese, CRLF row ends, and every
text cell neutralised (`safe.spreadsheet`): a title such as `=HYPERLINK(…)` stays text.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from zwgk.dates.periods import CYCLE_LABEL
from zwgk.report.labels import KIND_LABEL, STATUS_LABEL, describe_rule
from zwgk.report.safe import owners, spreadsheet
from zwgk.summary.rollup import RollupReport
from zwgk.summary.weekly import ItemLine, WeeklyReport

HEADERS = ("编号", "类型", "事项", "牵头", "责任/配合", "要求(原文)", "解读", "状态", "状态代码",
           "应完成", "时刻", "逾期天数", "逾期完成", "最近记录", "当前周期", "下次到期",
           "未按期周期", "本期新增逾期", "本期完成/更新次数", "本处室角色", "周期")


def render(report: WeeklyReport) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for line in report.items:
        writer.writerow(_plain(item_row(line)))
    return buffer.getvalue().encode("utf-8-sig")


def render_rollup(rollup: RollupReport) -> bytes:
    """Every unit's items in one table, a unit column first (ids are unit-qualified too)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("单位", *HEADERS))
    for report in rollup.reports:
        for line in report.items:
            writer.writerow([spreadsheet(report.unit), *_plain(item_row(line))])
    return buffer.getvalue().encode("utf-8-sig")


def _plain(row: list[str | int | date | None]) -> list[str | int]:
    return ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row]


def item_row(line: ItemLine) -> list[str | int | date | None]:
    """One item's cells, typed (dates stay dates for xlsx), text already neutralised."""
    s, it = line.status, line.status.item
    info = s.obligation
    text = [it.ref, KIND_LABEL[it.kind], it.title, owners(it.lead), owners(it.responsible),
            it.requirement or "", describe_rule(it.rule), STATUS_LABEL[s.status]]
    cycle = getattr(it.rule, "cycle", None) or getattr(it.rule, "review", None)
    return [
        *(spreadsheet(value) for value in text),
        s.status.value,
        s.due,
        info.due_time if info else None,
        s.days_overdue,
        "是" if s.late else "",
        s.last,
        s.period.label if s.period else "",
        s.next_due,
        "、".join(p.label for p in s.missed),
        "是" if line.newly_overdue else "",
        line.records_in_period,
        spreadsheet(line.holding.label) if line.holding else "",
        CYCLE_LABEL.get(cycle, "") if cycle else "",
    ]
