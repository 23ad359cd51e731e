"""The weekly report as an Excel workbook (openpyxl, imported only here): a sheet per section.

Each sheet has a frozen, bold header row, real date cells (yyyy-mm-dd), column widths that fit
Chinese text (a CJK character counts as two), and status colours. Text cells are neutralised
(`safe.spreadsheet`) and always stored as text, so `=HYPERLINK(…)` in a title never becomes a
formula in Excel or WPS.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime
from typing import Any

from zwgk.report.csvout import HEADERS as ITEM_HEADERS
from zwgk.report.csvout import item_row
from zwgk.report.safe import (
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


def render(report: WeeklyReport) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAMES["summary"]
    _fill_sheet(sheet, ("项目", "数值"), summary_rows(report))
    for table in tables(report):
        _fill_sheet(book.create_sheet(SHEET_NAMES[table.key]), table.headers, table.rows, table)
    _fill_sheet(book.create_sheet(SHEET_NAMES["items"]), ITEM_HEADERS,
                tuple(_item_cells(line) for line in report.items))
    book.properties.title = f"{spreadsheet(report.unit)} 政务公开周报 {report.period.key}"
    book.properties.creator = "zwgk"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _item_cells(line: ItemLine) -> tuple[Cell, ...]:
    status_at = ITEM_HEADERS.index("状态")
    return tuple(Cell(value, "" if value is None else None,
                      tone=line.status.status.value if i == status_at else "")
                 for i, value in enumerate(item_row(line)))


ROLLUP_SHEETS = {"units": "各单位", "grid": "单位×栏目", "items": "全部事项"}
_SHEET_UNSAFE = str.maketrans({ch: "_" for ch in "[]:*?/\\"})


def render_rollup(rollup: RollupReport) -> bytes:
    """Sheets: the units ranked, the unit × column-group grid (cells filled by state), one sheet
    per unit with its report's sections stacked, and every unit's items with a unit column."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    units = units_table(rollup)
    sheet.title = ROLLUP_SHEETS["units"]
    _fill_sheet(sheet, units.headers, units.rows, units)
    grid = grid_table(rollup)
    _fill_sheet(book.create_sheet(ROLLUP_SHEETS["grid"]), grid.headers, grid.rows, grid)
    taken = set(ROLLUP_SHEETS.values())
    for report in rollup.reports:
        name = _sheet_name(report.unit, taken)
        taken.add(name)
        _stack(book.create_sheet(name), [
            Table("summary", "概况", ("项目", "数值"), summary_rows(report)), *tables(report)])
    _fill_sheet(book.create_sheet(ROLLUP_SHEETS["items"]), ("单位", *ITEM_HEADERS), tuple(
        (Cell(spreadsheet(report.unit)), *_item_cells(line))
        for report in rollup.reports for line in report.items))
    book.properties.title = f"{spreadsheet(rollup.title)} 政务公开周报汇总 {rollup.period.key}"
    book.properties.creator = "zwgk"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _sheet_name(unit: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = (spreadsheet(unit).translate(_SHEET_UNSAFE).strip("'") or "单位")[:28]
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def _stack(sheet: Any, sections: list[Table]) -> None:
    """Several tables on one sheet, each under a bold title, a blank row between them."""
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    widths: dict[int, int] = {}
    row = 1
    for table in sections:
        sheet.cell(row=row, column=1, value=spreadsheet(table.title)).font = Font(bold=True, size=12)
        row += 1
        for c, header in enumerate(table.headers, start=1):
            target = sheet.cell(row=row, column=c, value=header)
            target.font = Font(bold=True)
            target.fill = PatternFill("solid", fgColor="DDE7F0")
            widths[c] = max(widths.get(c, 0), _width(header))
        row += 1
        if not table.rows:
            sheet.cell(row=row, column=1, value=table.empty)
            row += 1
        for cells in table.rows:
            for c, source in enumerate(cells, start=1):
                target = sheet.cell(row=row, column=c)
                _write(target, source)
                if source.tone in FILL:
                    target.fill = PatternFill("solid", fgColor=FILL[source.tone])
                target.alignment = Alignment(vertical="top", wrap_text=True)
                widths[c] = max(widths.get(c, 0), _width(source.shown))
            row += 1
        row += 1
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))


def _fill_sheet(sheet: Any, headers: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...],
                table: Table | None = None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
    widths = [_width(h) for h in headers]
    for r, row in enumerate(rows, start=2):
        for c, source in enumerate(row, start=1):
            target = sheet.cell(row=r, column=c)
            _write(target, source)
            if source.tone in FILL:
                target.fill = PatternFill("solid", fgColor=FILL[source.tone])
            target.alignment = Alignment(vertical="top", wrap_text=True)
            widths[c - 1] = max(widths[c - 1], _width(source.shown))
    if table is not None and not rows:
        sheet.cell(row=2, column=1, value=table.empty)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions


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
