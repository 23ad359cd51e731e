"""The html report printed to A4 by headless Chromium (print-to-PDF), read back with pypdf.

What a reader of the paper sees: the page count (the bundled unit's report, appendices apart, on
at most 6 pages), the title, date and `第 N 页 / 共 M 页` on every page (drawn by the page's own
CSS margin boxes: Chromium's header and footer are switched off), landscape pages for the wide
sections, no heading left alone at a page's foot, and no table wider than its page: the page's
print style sheet applied on screen at the printed widths (186 mm portrait, 273 mm landscape),
each table's and each cell's scroll width compared with its box by a probe script.

Skipped only when chromium is missing (CI installs it: .ci/run).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import run_cli
from test_weekly import AS_OF, hostile, weekly_data  # noqa: F401 (fixtures)

from zwgk.load import bundled_data_dir
from zwgk.report.html import APPENDIX_TITLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync")
PROVINCE = Path(__file__).parents[1] / "fixtures" / "province" / "zwgk.yaml"
# Simplified characters a CJK font draws with a radical's glyph come out of the PDF as the radical
# (U+2Exx, which NFKC leaves alone; the U+2Fxx Kangxi radicals NFKC maps itself).
RADICALS = str.maketrans("⻚⻅⻓⻔⻛⻢⻋⻄⻜⻝⻥⻬⻮⻰⻳⻩⻘⻆⻉⻨⻙⻤⻣⻦", "页见长门风马车西飞食鱼齐齿龙龟黄青角贝麦韦鬼骨鸟")
CITIES = ("省局", "合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳",
          "宿州", "六安", "亳州", "池州", "宣城")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=240, check=False)


@pytest.fixture(scope="module")
def pypdf():  # type: ignore[no-untyped-def]
    return pytest.importorskip("pypdf")


def print_pages(page: Path, tmp_path: Path, pypdf) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    """Each printed page: its text (NFKC, so the PDF's CJK radicals read as the characters) and
    whether it is landscape."""
    pdf = tmp_path / (page.stem + ".pdf")
    result = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.resolve().as_uri())
    assert pdf.exists(), result.stderr.decode(errors="replace")[-3000:]
    reader = pypdf.PdfReader(str(pdf))
    return [(fold(p.extract_text()), float(p.mediabox.width) > float(p.mediabox.height)) for p in reader.pages]


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(RADICALS)


PROBE = """<script>
addEventListener('load', () => {
  const found = {tables: [], cells: [], svgs: []};
  for (const t of document.querySelectorAll('table')) {
    const box = t.parentElement;
    found.tables.push({key: t.dataset.section, scroll: t.scrollWidth, box: box.clientWidth,
                       width: Math.round(t.getBoundingClientRect().width)});
    for (const c of t.querySelectorAll('td, th'))
      if (c.scrollWidth > c.clientWidth + 1)
        found.cells.push({key: t.dataset.section, text: c.textContent.slice(0, 40),
                          scroll: c.scrollWidth, box: c.clientWidth});
  }
  for (const s of document.querySelectorAll('svg')) {
    const section = s.closest('section');
    found.svgs.push({width: Math.round(s.getBoundingClientRect().width), box: section.clientWidth});
  }
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""


def print_layout(page: Path, tmp_path: Path) -> dict[str, list[dict[str, object]]]:
    """The page laid out as printed, measured: the print rules on screen, sections at paper width."""
    text = page.read_text(encoding="utf-8")
    assert "@media print {" in text
    text = text.replace("@media print {", "@media all {").replace(
        "default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';")
    probe = tmp_path / (page.stem + "-probe.html")
    probe.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = chromium(tmp_path, "--window-size=1400,1000", "--dump-dom", probe.resolve().as_uri())
    dom = result.stdout.decode("utf-8")
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, result.stderr.decode(errors="replace")[-3000:]
    return json.loads(html.unescape(found.group(1)))


def assert_nothing_overflows(layout: dict[str, list[dict[str, object]]]) -> None:
    assert layout["tables"], "no table measured"
    for table in layout["tables"]:
        assert table["scroll"] <= table["box"] + 1, table  # type: ignore[operator]
        assert table["width"] <= table["box"] + 1, table  # type: ignore[operator]
    assert layout["cells"] == []
    for svg in layout["svgs"]:
        assert svg["width"] <= svg["box"], svg  # type: ignore[operator]


def headings(page: Path) -> set[str]:
    found = re.findall(r"<h2[^>]*>(.*?)</h2>", page.read_text(encoding="utf-8"))
    return {fold(html.unescape(h)) for h in found}


def assert_printed_well(pages: list[tuple[str, bool]], title: str, page: Path) -> int:
    """Every page headed and numbered, no heading alone at a page's foot; the main part's length."""
    total = len(pages)
    titles = headings(page)
    for number, (text, _) in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert title in lines[0] and f"截至 {AS_OF}" in lines[0], (number, lines[:2])
        assert f"第 {number} 页 / 共 {total} 页" in text, (number, lines[:3])
        assert lines[-1] not in titles, f"page {number} ends with the heading {lines[-1]!r}"
    starts = [n for n, (text, _) in enumerate(pages, start=1) if APPENDIX_TITLE in text]
    return (starts[0] - 1) if starts else total


def report_html(*args: str, name: str = "report.html") -> Path:
    result = run_cli("report", "--as-of", AS_OF, "--format", "html", "-o", name, *args)
    assert result.exit_code == 0, result.output
    return Path(name)


def test_the_bundled_units_report_prints_on_at_most_six_pages_before_its_appendix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pypdf,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.chdir(tmp_path)
    page = report_html("--data", str(bundled_data_dir()))
    pages = print_pages(page, tmp_path, pypdf)
    main = assert_printed_well(pages, "安徽省安全生产监督管理局 政务公开周报 2026-W48", page)
    assert 3 <= main <= 6, main
    assert len(pages) <= 16  # the appendix: the rest of each long list and the source's gaps
    assert any(wide for _, wide in pages[:main]) and not pages[0][1]  # landscape for the wide sections
    first = pages[0][0]
    assert "逾期趋势" in first and "以上为前 10 条" in first  # the trend, and a capped list
    text = "".join(t for t, _ in pages)
    assert "各处室牵头的逾期事项" in text and "附录一" in text
    assert_nothing_overflows(print_layout(page, tmp_path))


def test_a_report_with_urls_and_journal_ids_fits_its_pages(
    weekly_data: Path, tmp_path: Path, pypdf,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    page = report_html("--data", "data")
    layout = print_layout(page, tmp_path)
    assert_nothing_overflows(layout)
    assert {t["key"] for t in layout["tables"]} >= {"still_overdue", "activity", "columns"}
    pages = print_pages(page, tmp_path, pypdf)
    main = assert_printed_well(pages, "测试局 政务公开周报 2026-W48", page)
    assert main <= 5 and len(pages) <= 6
    text = "".join(t for t, _ in pages)
    assert "https://example.gov.cn/c02" in text.replace("\n", "")  # the URL printed whole


def test_hostile_text_still_fits_its_pages(hostile: Path, tmp_path: Path) -> None:  # noqa: F811
    assert_nothing_overflows(print_layout(report_html("--data", "data"), tmp_path))


def test_the_province_rollup_prints_headed_and_its_grid_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pypdf,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.chdir(tmp_path)
    page = report_html("--workspace", str(PROVINCE))
    layout = print_layout(page, tmp_path)
    assert_nothing_overflows(layout)
    assert [t["key"] for t in layout["tables"]].count("grid") == 1
    pages = print_pages(page, tmp_path, pypdf)
    main = assert_printed_well(pages, "省局、合肥、芜湖 政务公开周报汇总 2026-W48", page)
    assert pages[0][1]  # the units table on a landscape first page, then the grid on its own
    grid_pages = [n for n, (t, _) in enumerate(pages[:3], start=1) if "合计(逾期/栏目)" in t]
    assert grid_pages == [2] and pages[1][1]
    assert main <= 2 + 6 * 3


def test_a_seventeen_unit_grid_is_split_into_parts_that_each_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pypdf,  # type: ignore[no-untyped-def]
) -> None:
    """17 units on the bundled catalogue: its first-level groups do not fit one landscape table."""
    monkeypatch.chdir(tmp_path)
    units = "".join(f"  - {{name: {city}, data: {bundled_data_dir()}}}\n" for city in CITIES)
    Path("zwgk.yaml").write_text(f"units:\n{units}", encoding="utf-8")
    page = report_html("--workspace", "zwgk.yaml")
    layout = print_layout(page, tmp_path)
    assert_nothing_overflows(layout)
    parts = [t for t in layout["tables"] if str(t["key"]).startswith("grid")]
    assert len(parts) >= 2
    text = page.read_text(encoding="utf-8")
    assert text.count("<th>合计(逾期/栏目)</th>") == len(parts)  # each part has its totals
    pages = print_pages(page, tmp_path, pypdf)
    main = assert_printed_well(pages, "省局、合肥、芜湖等 17 个单位 政务公开周报汇总 2026-W48", page)
    assert main <= 3 + 6 * 17, main
    grid_pages = [n for n, (t, wide) in enumerate(pages[:4], start=1) if "合计(逾期/栏目)" in t]
    assert grid_pages and all(pages[n - 1][1] for n in grid_pages)


def test_the_overflow_probe_sees_a_grid_in_one_piece_overflow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The detector works: the 17 units' grid as one table, its headings unbreakable (as the
    report drew it before), is wider than its landscape page."""
    from zwgk.report import html as renderer

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(renderer, "GRID_PART", 100)
    style = renderer.style
    monkeypatch.setattr(renderer, "style", lambda *args: style(*args).replace(
        "table.grid thead th { overflow-wrap: anywhere; }", "table.grid th { word-break: keep-all; }"))
    units = "".join(f"  - {{name: {city}, data: {bundled_data_dir()}}}\n" for city in CITIES)
    Path("zwgk.yaml").write_text(f"units:\n{units}", encoding="utf-8")
    layout = print_layout(report_html("--workspace", "zwgk.yaml"), tmp_path)
    grid = next(t for t in layout["tables"] if t["key"] == "grid")
    assert grid["scroll"] > grid["box"] or any(c["key"] == "grid" for c in layout["cells"]), grid  # type: ignore[operator]
