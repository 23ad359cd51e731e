"""The xlsx workbook set up to print (read back with openpyxl) and printed by LibreOffice headless.

Every sheet: A4, landscape when wide, one page wide and as long as it takes, the header row
repeated, a numbered footer, a 序号 column, one table with a frozen header and a filter. Evidence
links are hyperlinks only for http and https. LibreOffice (`soffice --headless --convert-to pdf`)
then prints the workbook: one page per short sheet, so no sheet spills onto a second page across.
The LibreOffice tests are skipped only when soffice is missing (CI installs it: .ci/run).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from test_weekly import AS_OF, weekly_data, write_journal  # noqa: F401 (fixtures)

from zwgk.load import bundled_data_dir

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
PROVINCE = Path(__file__).parents[1] / "fixtures" / "province" / "zwgk.yaml"
WIDE_SHEETS = {"本期完成与更新", "栏目更新", "全部事项"}  # landscape (others may be too)
NARROW_SHEETS = {"概况", "各处室", "源文缺漏"}


def workbook(*args: str, name: str = "r.xlsx") -> Path:
    result = run_cli("report", "--as-of", AS_OF, "--format", "xlsx", "-o", name, *args)
    assert result.exit_code == 0, result.output
    return Path(name)


def assert_set_up_to_print(sheet: Any) -> None:
    setup = sheet.page_setup
    assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
    assert setup.orientation in ("portrait", "landscape")
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True, sheet.title
    assert sheet.print_title_rows in ("1:1", "$1:$1"), (sheet.title, sheet.print_title_rows)
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert "政务公开周报" in sheet.oddHeader.left.text
    assert sheet["A1"].value == "序号" and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2", sheet.title
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    if sheet.auto_filter.ref:  # one table: the filter covers it, numbered 1..n, no second header
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=sheet.max_column).column_letter}" \
                                        f"{sheet.max_row}", sheet.title
        assert numbers == list(range(1, len(numbers) + 1)), sheet.title
    else:
        assert numbers in ([], [None]), sheet.title  # empty: one row saying so


def test_every_sheet_is_set_up_to_print_with_links_only_for_http(weekly_data: Path) -> None:  # noqa: F811
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    write_journal(weekly_data, [
        {"id": f"20261125-0900{i:02d}-0000010{i}", "type": "record", "item": "T04", "date": "2026-11-25",
         "url": url, "at": f"2026-11-25T09:00:{i:02d}+08:00"}
        for i, url in enumerate(("javascript:alert(1)", "file:///etc/passwd", "HTTP://example.gov.cn/x?a=1&b=2",
                                 "https://"))])
    book = load_workbook(workbook("--data", "data"))
    for sheet in book.worksheets:
        assert_set_up_to_print(sheet)
        if sheet.title in WIDE_SHEETS | NARROW_SHEETS:
            assert (sheet.page_setup.orientation == "landscape") == (sheet.title in WIDE_SHEETS), sheet.title
    trend = [(row[1], row[2]) for row in book["概况"].iter_rows(min_row=2, values_only=True)
             if str(row[1]).startswith("逾期趋势")]
    assert [name for name, _ in trend] == [
        "逾期趋势 2026-W44(截至 2026-11-01)", "逾期趋势 2026-W45(截至 2026-11-08)",
        "逾期趋势 2026-W46(截至 2026-11-15)", "逾期趋势 2026-W47(截至 2026-11-22)", f"逾期趋势 本周(截至 {AS_OF})"]
    assert [n for _, n in trend] == [4, 4, 4, 4, 3]
    log = book["本期完成与更新"]
    column = [c.value for c in log[1]].index("证据链接") + 1
    links = {}
    for row in range(2, log.max_row + 1):
        cell = log.cell(row=row, column=column)
        links[cell.value] = cell.hyperlink.target if cell.hyperlink else None
    assert links["https://example.gov.cn/c02"] == "https://example.gov.cn/c02"
    assert links["HTTP://example.gov.cn/x?a=1&b=2"] == "HTTP://example.gov.cn/x?a=1&b=2"
    assert links["javascript:alert(1)"] is None and links["file:///etc/passwd"] is None
    assert links["https://"] is None  # no host: not a link


def test_the_province_workbook_has_one_table_a_sheet_set_up_to_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    monkeypatch.chdir(tmp_path)
    book = load_workbook(workbook("--workspace", str(PROVINCE)))
    assert book.sheetnames == ["各单位", "单位×栏目", "本期新增逾期", "仍逾期", "两周内到期", "本期完成与更新",
                               "各处室", "栏目更新", "未按期周期", "源文缺漏", "全部事项"]
    for sheet in book.worksheets:
        assert_set_up_to_print(sheet)
    overdue = book["仍逾期"]
    assert [c.value for c in overdue[1]][:3] == ["序号", "单位", "编号"]
    assert {row[1] for row in overdue.iter_rows(min_row=2, values_only=True)} <= {"省局", "合肥", "芜湖"}


def soffice_pages(book: Path, tmp_path: Path) -> list[tuple[float, float]]:
    """LibreOffice prints the workbook to PDF; each page's (width, height) in points."""
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "pdf"
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={(tmp_path / 'lo-profile').resolve().as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(book.resolve())],
        capture_output=True, timeout=240, check=False)
    pdf = out / (book.stem + ".pdf")
    assert pdf.exists(), (result.stdout + result.stderr).decode(errors="replace")[-3000:]
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in pypdf.PdfReader(str(pdf)).pages]


@needs_soffice
def test_libreoffice_prints_each_short_sheet_on_one_page(weekly_data: Path, tmp_path: Path) -> None:  # noqa: F811
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    path = workbook("--data", "data")
    sheets = load_workbook(path).worksheets
    pages = soffice_pages(path, tmp_path)
    # Every sheet of the mini fixture is short: one page each means none was cut into columns.
    assert len(pages) == len(sheets), pages
    landscape = [w > h for w, h in pages]
    assert landscape == [s.page_setup.orientation == "landscape" for s in sheets]
    assert sum(landscape) >= len(WIDE_SHEETS)


@needs_soffice
def test_libreoffice_prints_the_bundled_and_province_workbooks_one_page_wide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    monkeypatch.chdir(tmp_path)
    for args, bound in ((("--data", str(bundled_data_dir())), 30), (("--workspace", str(PROVINCE)), 40)):
        path = workbook(*args, name=f"{args[0][2:]}.xlsx")
        book = load_workbook(path)
        rows = sum(max(sheet.max_row - 1, 1) for sheet in book.worksheets)
        pages = soffice_pages(path, tmp_path / args[0][2:])
        # Fit to one page wide: pages grow with rows only; an unscaled sheet of the kind
        # (the 仍逾期 table over 3 portrait pages across) would need several pages per row band.
        assert len(book.worksheets) <= len(pages) <= bound, (len(pages), rows)
