"""Reading an office's ledger (台账) — an Excel workbook or a CSV file — into rows of typed cells.

The header row is found among the first rows (a title row above it is common) by its Chinese
column names, matched after trimming spaces, folding full-width forms and dropping a bracketed
qualifier (`日期(必填)`), with common synonyms (完成日期, 栏目, 经办人 …). Rows are numbered as
Excel shows them; a cell merged down a column (one 事项 spanning its rows) counts for each row;
an Excel hyperlink's target is the 链接. A CSV is decoded by its BOM, else as strict UTF-8, else
as GB18030 (which reads the GBK of Excel on Chinese Windows); its delimiter (comma, tab or
semicolon) is the one under which the header row is found, csv.Sniffer's guess tried first.

Pure: nothing is written, "today" is an argument, a defect of the file is a Diagnostic, and
openpyxl is imported only when a workbook is read. The cell readers (`text_of`, `date_of`,
`time_of`) turn what a cell holds into what a journal entry holds, or raise CellError.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from zwgk.dates.typed import DateTextError, read_moment
from zwgk.errors import Diagnostic
from zwgk.load.files import display_path

Cell = str | int | float | bool | date | datetime | time | None

# Each field's header names, the preferred first: when two columns name one field, the earlier
# name wins (完成日期 over 发布时间); the same name twice is an error.
HEADERS: Mapping[str, tuple[str, ...]] = {
    "kind": ("类型", "登记类型", "记录类型", "类别", "type", "kind"),
    "item": ("事项", "公开事项", "事项名称", "事项编号", "栏目", "栏目名称", "栏目编号", "任务", "任务名称",
             "任务编号", "item"),
    "date": ("日期", "完成日期", "更新日期", "发布日期", "公开日期", "事件日期", "发生日期", "完成时间",
             "更新时间", "发布时间", "公开时间", "发生时间", "date"),
    "time": ("时间", "时刻", "事件时间", "发生时刻", "time"),
    "by": ("登记人", "填报人", "经办人", "录入人", "记录人", "更新人", "发布人", "操作人", "by"),
    "url": ("链接", "网址", "链接地址", "网页链接", "网页地址", "证据链接", "发布链接", "公开网址", "url",
            "link"),
    "note": ("备注", "说明", "备注说明", "note", "notes"),
    "title": ("事件", "事件名称", "事件标题", "事件内容", "触发事件", "event"),
    "dept": ("处室", "承办处室", "责任处室", "处室/单位", "承办单位", "责任单位", "部门", "科室", "dept"),
}
LABEL = {name: names[0] for name, names in HEADERS.items()}
REQUIRED = ("item", "date")
HEADER_ROWS = 10  # the header is looked for among this many rows
NAMES_HINT = "可识别的列名:" + ";".join(f"{n[0]}(或 {'、'.join(n[1:4])})" for n in HEADERS.values())
_NAME = {name.lower(): (key, rank) for key, names in HEADERS.items() for rank, name in enumerate(names)}
_QUALIFIER = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")
_DECORATION = re.compile(r"[\s*※:]+")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's phantom 1900-02-29 lies before 61)
MAC_EPOCH = date(1904, 1, 1)
_SERIALS = (18264, 73416)  # 1950-01-01 … 2100-12-31 in Excel's 1900 date system


class CellError(ValueError):
    """A cell that does not hold what its column needs (the message says why, in Chinese)."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows (1-based, the header and any title rows counted)
    cells: Mapping[str, Cell]  # field → what its cell holds


@dataclass(frozen=True)
class Table:
    """One sheet's rows under its header, empty rows left out."""

    path: str  # as shown in messages
    sheet: str | None  # the worksheet's name (None for a CSV)
    header_row: int
    columns: Mapping[str, int]  # field → its column, 1-based
    rows: tuple[SheetRow, ...]
    unused: tuple[tuple[int, str], ...] = ()  # (column, header) read for no field
    epoch: date = EXCEL_EPOCH  # day 0 of the workbook's serial numbers
    source: str = "xlsx"  # or the CSV's encoding and delimiter


@dataclass(frozen=True)
class SheetRead:
    table: Table | None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class _Grid:
    """A sheet as read: rows of cells, the cells that copy a merged cell above, hyperlinks."""

    name: str | None
    rows: list[list[Cell]]
    filled: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based
    links: dict[tuple[int, int], str] = field(default_factory=dict)


def column_letter(number: int) -> str:
    """Excel's name for a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _failed(shown: str, code: str, message: str, hint: str | None = None,
            line: int | None = None, col: int | None = None) -> SheetRead:
    return SheetRead(None, (Diagnostic(shown, line, col, code, message, hint=hint),))


def read_sheet(path: Path, sheet: str | None = None) -> SheetRead:
    """The ledger's rows: from the named sheet, or the first sheet that has the needed headers."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _failed(shown, "sheet-missing", f"找不到文件 {shown} (no such file)")
    except OSError as error:
        return _failed(shown, "sheet-unreadable",
                       f"无法读取 {shown}:{error.strerror or error} (cannot read it)")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Excel 97-2003, or a workbook with a password
        return _failed(shown, "sheet-xls", f"{shown} 是旧版 .xls 或加了密码的工作簿,无法读取 (an .xls file)",
                       "在 Excel 或 WPS 中“另存为” .xlsx(Excel 工作簿)或 CSV,去掉打开密码后再导入。")
    if raw.startswith(b"PK\x03\x04"):
        return _workbook(path, shown, sheet)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _failed(shown, "sheet-unreadable", f"{shown} 不是有效的 Excel 工作簿 (not an xlsx file)",
                       "在 Excel 中重新“另存为” .xlsx,或另存为 CSV。")
    return _csv_table(shown, raw)


# --- Excel -------------------------------------------------------------------------------------


def _workbook(path: Path, shown: str, wanted: str | None) -> SheetRead:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # only a workbook pays for it

    try:
        book = load_workbook(path, data_only=True)  # a formula's value as Excel last computed it
    except Exception as error:  # a damaged zip or XML: openpyxl raises what its parsers raise
        return _failed(shown, "sheet-unreadable", f"无法读取工作簿 {shown}:{error} (cannot read it)",
                       "在 Excel 中打开并重新保存,或另存为 CSV。")
    epoch = MAC_EPOCH if book.epoch.year == 1904 else EXCEL_EPOCH
    sheets = list(book.worksheets)
    if wanted is not None:
        chosen = _sheet_named(sheets, wanted)
        if chosen is None:
            return _failed(shown, "sheet-not-found", f"{shown} 中没有工作表 '{wanted}' (no such sheet)",
                           f"工作表:{'、'.join(s.title for s in sheets)};也可写序号,如 --sheet 2")
        sheets = [chosen]
    failures = []
    for ws in sheets:
        found = _table(shown, _grid(ws), epoch, "xlsx")
        if found.table is not None:
            return found
        failures.append(found)
    if len(failures) == 1:
        return failures[0]
    return _failed(shown, "sheet-no-header", f"{shown} 的工作表 {'、'.join(s.title for s in sheets)} "
                   "都没有同时含“事项”和“日期”的表头 (no sheet has the needed headers)", NAMES_HINT)


def _sheet_named(sheets: Sequence[Any], wanted: str) -> Any:
    for ws in sheets:
        if ws.title == wanted or _fold(ws.title) == _fold(wanted):
            return ws
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(sheets):
        return sheets[int(wanted) - 1]
    return None


def _grid(ws: Any) -> _Grid:
    grid = _Grid(ws.title, [])
    for r, row in enumerate(ws.iter_rows()):
        grid.rows.append([cell.value for cell in row])
        grid.links.update({(r, c): str(cell.hyperlink.target) for c, cell in enumerate(row)
                           if getattr(cell, "hyperlink", None) is not None and cell.hyperlink.target})
    for merged in ws.merged_cells.ranges:
        # A merge down one column is one value for several rows (a 事项 spanning its records);
        # a merge across columns is a wide note, not the cells it covers.
        if merged.min_col != merged.max_col or merged.min_row > len(grid.rows):
            continue
        c = merged.min_col - 1
        for r in range(merged.min_row, min(merged.max_row, len(grid.rows))):
            grid.rows[r][c] = grid.rows[merged.min_row - 1][c]
            grid.filled.add((r, c))
    return grid


# --- CSV ---------------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
DELIMITERS = {",": "逗号", "\t": "制表符", ";": "分号"}


def decode(raw: bytes) -> tuple[str, str] | None:
    """The text and its encoding: by its BOM (Excel's "Unicode text" is UTF-16 with one), else
    strict UTF-8, else GB18030, which contains GBK. None when none of them reads it."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding).removeprefix("\ufeff"), encoding
            except UnicodeDecodeError:
                return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _csv_table(shown: str, raw: bytes) -> SheetRead:
    decoded = decode(raw)
    if decoded is None or "\x00" in decoded[0]:
        return _failed(shown, "sheet-encoding", f"{shown} 既不是 Excel 工作簿,也不是可识别编码的 CSV 文本"
                       " (neither xlsx nor a CSV in UTF-8, UTF-16 or GB18030)",
                       "在 Excel 中“另存为” .xlsx,或“CSV UTF-8(逗号分隔)”。")
    text, encoding = decoded
    first, _, rest = text.partition("\n")
    declared = re.fullmatch(r"\s*sep=(.)\s*", first)
    if declared:  # Excel's own hint line: Excel obeys it and does not show it as a row
        text = rest
    failure: SheetRead | None = None
    for delimiter in [declared[1]] if declared else _delimiters(text):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[list[Cell]] = [list(r) for r in reader]
        source = f"{encoding},{DELIMITERS.get(delimiter, repr(delimiter))}分隔"
        found = _table(shown, _Grid(None, rows), EXCEL_EPOCH, source)
        if found.table is not None:
            return found
        failure = failure or found
    assert failure is not None
    return failure


def _delimiters(text: str) -> list[str]:
    """csv.Sniffer's guess first (the most frequent one when it has none), then the others."""
    sample = "\n".join(text.splitlines()[:HEADER_ROWS + 20])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = max(DELIMITERS, key=sample.count)
    return [sniffed, *(d for d in DELIMITERS if d != sniffed)]


# --- the header and the rows -------------------------------------------------------------------


def _fold(text: str) -> str:
    return _DECORATION.sub("", unicodedata.normalize("NFKC", text)).lower()


def header_field(cell: Cell) -> tuple[str, int] | None:
    """The field a header cell names and how preferred that name is, or None."""
    if not isinstance(cell, str):
        return None
    return _NAME.get(_fold(cell)) or _NAME.get(_fold(_QUALIFIER.sub("", unicodedata.normalize("NFKC", cell))))


def _table(shown: str, grid: _Grid, epoch: date, source: str) -> SheetRead:
    best: tuple[int, dict[str, list[tuple[int, int]]]] | None = None
    for r, row in enumerate(grid.rows[:HEADER_ROWS]):
        named: dict[str, list[tuple[int, int]]] = {}
        for c, cell in enumerate(row):
            if (found := header_field(cell)) is not None:
                named.setdefault(found[0], []).append((found[1], c))
        if all(name in named for name in REQUIRED):
            return _rows(shown, grid, r, named, epoch, source)
        if len(named) >= 2 and (best is None or len(named) > len(best[1])):
            best = (r, named)
    where = f"工作表“{grid.name}”" if grid.name else shown
    if best is None:
        return _failed(shown, "sheet-no-header", f"{where}的前 {HEADER_ROWS} 行里没有表头:"
                       "找不到“事项”和“日期”两列 (no header row found)", NAMES_HINT)
    missing = "、".join(f"“{LABEL[n]}”" for n in REQUIRED if n not in best[1])
    return _failed(shown, "sheet-no-header", f"{where}的表头缺少{missing}列 (a needed column is missing)",
                   NAMES_HINT, best[0] + 1)


def _rows(shown: str, grid: _Grid, header: int, named: dict[str, list[tuple[int, int]]],
          epoch: date, source: str) -> SheetRead:
    heads = grid.rows[header]
    columns: dict[str, int] = {}
    for name, found in named.items():
        rank, chosen = min(found)
        twice = [c for r, c in found if r == rank and c != chosen]
        if twice:
            letters = "、".join(column_letter(c + 1) for c in (chosen, *twice))
            return _failed(shown, "sheet-duplicate-column",
                           f"表头有多列“{str(heads[chosen]).strip()}”({letters}):不知道用哪一列"
                           " (a column named twice)", "删除或改名多余的一列。", header + 1, chosen + 1)
        columns[name] = chosen
    unused = tuple((c + 1, str(cell).strip()) for c, cell in enumerate(heads)
                   if c not in columns.values() and str(cell or "").strip())
    rows = tuple(_data_rows(grid, header, columns))
    return SheetRead(Table(shown, grid.name, header + 1, {n: c + 1 for n, c in columns.items()}, rows, unused,
                           epoch, source))


def _data_rows(grid: _Grid, header: int, columns: Mapping[str, int]) -> Iterator[SheetRow]:
    for r in range(header + 1, len(grid.rows)):
        row, cells = grid.rows[r], dict[str, Cell]()
        own = False  # a row holding nothing but copies of merged cells is empty
        for name, c in columns.items():
            value = grid.links.get((r, c)) if name == "url" and (r, c) in grid.links else \
                row[c] if c < len(row) else None
            value = None if isinstance(value, str) and not value.strip() else value
            cells[name] = value
            own = own or (value is not None and (r, c) not in grid.filled)
        if own:
            yield SheetRow(r + 1, cells)


# --- cells -------------------------------------------------------------------------------------


def text_of(cell: Cell) -> str | None:
    """A text field, trimmed; a number as written (1024, not 1024.0); empty → None."""
    if cell is None or isinstance(cell, str):
        return (cell or "").strip() or None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    return cell.isoformat() if isinstance(cell, (date, time)) else str(cell)


_SECONDS = re.compile(r"(.*\d{1,2}:\d{2}):\d{2}(?:\.\d+)?")


def date_of(cell: Cell, today: date, epoch: date = EXCEL_EPOCH) -> tuple[date, time | None]:
    """A date cell — an Excel date or date-time, a serial number, text in a form zwgk.dates.typed
    reads — as the day and, when the cell names one, the time of day (a date-time at midnight
    names none). The day is not checked against zwgk's years: the caller words that refusal."""
    if isinstance(cell, datetime):
        return cell.date(), _time_part(cell.time())
    if isinstance(cell, date):
        return cell, None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _serial(cell, epoch)
    if not isinstance(cell, str):
        raise CellError("不能为空 (empty)" if cell is None else f"'{text_of(cell)}' 不是日期 (not a date)")
    text = _SECONDS.sub(r"\1", unicodedata.normalize("NFKC", cell).strip())
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):  # a serial number that reached a CSV as text
        return _serial(float(text), epoch)
    try:
        return read_moment(text, today, bounded=False)
    except DateTextError as error:
        eight = f";可写成 {text[:4]}-{text[4:6]}-{text[6:]}" if re.fullmatch(r"\d{8}", text) else ""
        raise CellError(str(error).replace(f"'{text}'", f"'{cell.strip()}'") + eight) from None


def _serial(number: float, epoch: date) -> tuple[date, time | None]:
    if not _SERIALS[0] <= number < _SERIALS[1]:
        shown = str(int(number)) if float(number).is_integer() else str(number)
        eight = f";可写成 {shown[:4]}-{shown[4:6]}-{shown[6:]}" if re.fullmatch(r"\d{8}", shown) else ""
        raise CellError(f"{shown} 不是日期:作为 Excel 日期序列号,它不在 1950—2100 年间 (not a date){eight}")
    minutes = round(number * 24 * 60)  # to the minute, as zwgk keeps times
    day, minute = divmod(minutes, 24 * 60)
    return epoch + timedelta(days=day), _time_part(time(minute // 60, minute % 60))


def _time_part(moment: time) -> time | None:
    moment = moment.replace(second=0, microsecond=0)
    return None if moment == time(0, 0) else moment


_CLOCK = re.compile(r"(?P<half>上午|早上|凌晨|中午|下午|晚上)?(?P<h>\d{1,2})"
                    r"(?:(?::|时|点)(?P<m>\d{1,2})?分?)?(?::\d{2}(?:\.\d+)?)?(?P<pm>am|pm)?")


def time_of(cell: Cell, today: date) -> tuple[date | None, time]:
    """A time-of-day cell — an Excel time, a date-time (its day returned too), a fraction of a
    day, or text such as 14:30, 14时30分, 下午2点, 2:30 PM — as the day it names and the time."""
    if isinstance(cell, datetime):
        return cell.date(), cell.time().replace(second=0, microsecond=0)
    if isinstance(cell, time):
        return None, cell.replace(second=0, microsecond=0)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and 0 <= cell < 1:
        minutes = min(round(cell * 24 * 60), 24 * 60 - 1)
        return None, time(minutes // 60, minutes % 60)
    written = text_of(cell) or ""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", written)).lower()
    found = _CLOCK.fullmatch(text)
    if found is None or (found["m"] is None and not re.search(r"[时点]|[ap]m", text)):
        try:  # a date and a time, in the time column
            day, moment = read_moment(_SECONDS.sub(r"\1", written), today, bounded=False)
        except DateTextError:
            day, moment = today, None
        if moment is None:
            raise CellError(f"'{written}' 不是时刻 (not a time of day);可写成 14:30")
        return day, moment
    hour, minute, half = int(found["h"]), int(found["m"] or 0), found["half"] or found["pm"]
    if hour < 12 and (half in ("下午", "晚上", "pm") or (half == "中午" and hour < 11)):
        hour += 12
    elif hour == 12 and half in ("凌晨", "上午", "早上", "am"):
        hour = 0
    if hour > 23 or minute > 59:
        raise CellError(f"'{written}' 的时刻不存在 (no such time of day)")
    return None, time(hour, minute)
