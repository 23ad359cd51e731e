"""The weekly report as an Excel workbook (openpyxl, imported only here): one table per sheet.

Each sheet has a 序号 column, a frozen, bold header row with a filter, real date cells
(yyyy-mm-dd), column widths that fit Chinese text (a CJK character counts as two), and status
colours. Text cells are neutralised (`safe.spreadsheet`) and always stored as text, so
`=HYPERLINK(…)` in a title never becomes a formula in Excel or WPS; an evidence link is a
clickable hyperlink only when it is http or https (a `javascript:` or `file:` link stays text).

Printed (Excel, WPS, LibreOffice), every sheet is A4, landscape when its columns are wide, scaled
to one page wide (`fitToWidth=1, fitToHeight=0`: as many pages down as it needs), with its header
row repeated on every page, the workbook's title at the head and `第 &P 页 / 共 &N 页` at the foot.
The rollup across units has the same sheets, each table with a 单位 column, after the units
ranked and the unit × column-group grid.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime
from typing import Any

from zwgk.report.csvout import HEADERS as ITEM_HEADERS
from zwgk.report.csvout import item_row
from zwgk.report.safe import (
    URL_HEADERS,
    XLSX_CELL_LIMIT,
    Cell,
    Table,
    grid_table,
    spreadsheet,
    summary_rows,
    tables,
    units_table,
)
from zwgk.summary.rollup import RollupReport
from zwgk.summary.weekly import ItemLine, WeeklyReport

FILL = {
    "overdue": "FFC7CE", "missed": "FFC7CE", "due_soon": "FFEB9C", "not_yet": "FFEB9C",
    "ok": "C6EFCE", "done": "C6EFCE", "met": "C6EFCE", "ongoing": "DDEBF7", "unspecified": "E4DFEC",
    "waiting": "EDEDED", "untracked": "EDEDED",
}
SHEET_NAMES = {
    "summary": "概况", "newly_overdue": "本期新增逾期", "still_overdue": "仍逾期", "upcoming": "两周内到期",
    "activity": "本期完成与更新", "departments": "各处室", "columns": "栏目更新", "missed": "未按期周期",
    "gaps": "源文缺漏", "items": "全部事项",
}
MIN_WIDTH, MAX_WIDTH = 6, 60
PORTRAIT_CHARS = 110  # a sheet wider than this (in narrow characters) prints landscape
LINK_SCHEMES = ("http", "https")


def render(report: WeeklyReport) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    title = f"{spreadsheet(report.unit)} 政务公开周报 {report.period.key}"
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAMES["summary"]
    _fill_sheet(sheet, ("项目", "数值"), (*summary_rows(report), *_trend_rows(report)), title)
    for table in tables(report):
        _fill_sheet(book.create_sheet(SHEET_NAMES[table.key]), table.headers, table.rows, title, table)
    _fill_sheet(book.create_sheet(SHEET_NAMES["items"]), ITEM_HEADERS,
                tuple(_item_cells(line) for line in report.items), title)
    book.properties.title = title
    book.properties.creator = "zwgk"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _trend_rows(report: WeeklyReport) -> tuple[tuple[Cell, ...], ...]:
    """The overdue count of this week and of the four before (each at its week's last day)."""
    return tuple((Cell(f"逾期趋势 {'本周' if p.current else p.key}(截至 {p.day})"),
                  Cell(p.overdue, tone="overdue" if p.overdue else "")) for p in report.trend)


def _item_cells(line: ItemLine) -> tuple[Cell, ...]:
    status_at = ITEM_HEADERS.index("状态")
    return tuple(Cell(value, "" if value is None else None,
                      tone=line.status.status.value if i == status_at else "")
                 for i, value in enumerate(item_row(line)))


ROLLUP_SHEETS = {"units": "各单位", "grid": "单位×栏目"}


def render_rollup(rollup: RollupReport) -> bytes:
    """Sheets: the units ranked, the unit × column-group grid (cells filled by state), then each
    section of the weekly report across every unit (a 单位 column first), then every item."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    title = f"{spreadsheet(rollup.title)} 政务公开周报汇总 {rollup.period.key}"
    book = Workbook()
    sheet = book.active
    units = units_table(rollup)
    sheet.title = ROLLUP_SHEETS["units"]
    _fill_sheet(sheet, units.headers, units.rows, title, units)
    grid = grid_table(rollup)
    _fill_sheet(book.create_sheet(ROLLUP_SHEETS["grid"]), grid.headers, grid.rows, title, grid)
    per_unit = [(report.unit, {table.key: table for table in tables(report)}) for report in rollup.reports]
    for key in SECTION_KEYS:
        found = [(unit, by_key[key]) for unit, by_key in per_unit]
        headers = found[0][1].headers if found else ("说明",)  # no unit loaded: nothing to head
        rows = tuple((Cell(spreadsheet(unit)), *row) for unit, table in found for row in table.rows)
        empty = found[0][1].empty if found else "无。"
        _fill_sheet(book.create_sheet(SHEET_NAMES[key]), ("单位", *headers), rows, title,
                    Table(key, SHEET_NAMES[key], ("单位", *headers), rows, empty))
    _fill_sheet(book.create_sheet(SHEET_NAMES["items"]), ("单位", *ITEM_HEADERS), tuple(
        (Cell(spreadsheet(report.unit)), *_item_cells(line))
        for report in rollup.reports for line in report.items), title)
    book.properties.title = title
    book.properties.creator = "zwgk"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# The sections `tables()` returns, in its order, by key (a workspace whose units all failed has none).
SECTION_KEYS = ("newly_overdue", "still_overdue", "upcoming", "activity", "departments", "columns",
                "missed", "gaps")


def _fill_sheet(sheet: Any, headers: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...], title: str,
                table: Table | None = None) -> None:
    """One table: 序号, then the columns; header frozen and filtered; set up to print."""
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    sheet.append(["序号", *headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [4, *(_width(h) for h in headers)]
    links = {i for i, h in enumerate(headers, start=2) if h in URL_HEADERS}
    # One style object each, shared by every cell: a province's 17,000 rows make 400,000 cells.
    top = Alignment(vertical="top", wrap_text=True)
    fills = {tone: PatternFill("solid", fgColor=colour) for tone, colour in FILL.items()}
    for r, row in enumerate(rows, start=2):
        sheet.cell(row=r, column=1, value=r - 1)
        for c, source in enumerate(row, start=2):
            target = sheet.cell(row=r, column=c)
            _write(target, source)
            if c in links:
                _link(target, source)
            if source.tone in fills:
                target.fill = fills[source.tone]
            target.alignment = top
            widths[c - 1] = max(widths[c - 1], _width(source.shown))
    if table is not None and not rows:
        sheet.cell(row=2, column=2, value=table.empty)
    shown = [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]
    for index, width in enumerate(shown, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers) + 1)}{len(rows) + 1}"
    _page_setup(sheet, title, landscape=sum(shown) > PORTRAIT_CHARS)


def _page_setup(sheet: Any, title: str, landscape: bool) -> None:
    """A4, one page wide and as many long as it takes, the header row on every page, numbered."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.gridLines = True
    # `&` starts a code in a header or footer: a name from data shows it doubled (&&).
    sheet.oddHeader.left.text = f"{title.replace('&', '&&')} · {sheet.title.replace('&', '&&')}"
    sheet.oddHeader.left.size = 9
    sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    sheet.oddFooter.center.size = 9


def _link(target: Any, source: Cell) -> None:
    """A clickable link for an http(s) URL with a host; any other text (javascript:, file:,
    \\\\server\\share, a typo) stays plain text."""
    from urllib.parse import urlsplit

    url = source.shown.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc or any(ch in url for ch in ' "<>\n'):
        return
    target.hyperlink = url
    target.style = "Hyperlink"


def _write(target: Any, source: Cell) -> None:
    value = source.value
    if isinstance(value, datetime):
        target.value = value
        target.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        target.value = value
        target.number_format = "yyyy-mm-dd"
    elif isinstance(value, int) and not isinstance(value, bool):
        target.value = value
    elif value is None:
        target.value = None
    else:
        target.value = spreadsheet(source.shown, limit=XLSX_CELL_LIMIT)
        target.data_type = "s"  # never a formula, whatever openpyxl guesses from a leading '='


def _width(text: str) -> int:
    """Display width: CJK and other wide characters count twice (Excel's unit is a narrow char)."""
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest[:200])
