"""`zwgk report` and `zwgk ics` across units: the rollup (units ranked, unit × column-group grid,
then each unit's report) agrees with `zwgk status --workspace`, in html, xlsx, md, json and csv."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_cli as run

PROVINCE = Path(__file__).parents[1] / "fixtures" / "province"
ID = re.compile(r"编号:(?:合肥/)?(\S+?)\(")  # an ics event's id, in its description
AS_OF = "2026-11-26"
UNITS = ("省局", "合肥", "芜湖")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the province (cwd = tmp_path, so paths print as province/…)."""
    target = tmp_path / "province"
    shutil.copytree(PROVINCE, target)
    monkeypatch.chdir(tmp_path)
    return Path("province") / "zwgk.yaml"


def status_units(workspace: Path, *args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run("status", "--workspace", str(workspace), "--as-of", AS_OF, "--json", *args)
    return {u["name"]: u for u in json.loads(result.stdout)["units"]}


def rollup(workspace: Path, fmt: str, *args: str, code: int = 0) -> tuple[Path, str]:
    target = Path(f"rollup.{fmt}")
    result = run("report", "--workspace", str(workspace), "--as-of", AS_OF, "--format", fmt,
                 "-o", str(target), *args)
    assert result.exit_code == code, result.output
    return target, result.output


def expected(unit: dict) -> tuple[int, int, dict[str, int]]:  # type: ignore[type-arg]
    return (unit["columns"], unit["columns_on_time"],
            {b["group"]: b["overdue_columns"] for b in unit["behind"]})


def from_cells(cells: list[tuple[str, int, int]]) -> tuple[int, int, dict[str, int]]:
    """(group, overdue, columns) cells of one grid row → the numbers `status --json` shows."""
    columns = sum(total for _, _, total in cells)
    late = sum(overdue for _, overdue, _ in cells)
    return columns, columns - late, {group: overdue for group, overdue, _ in cells if overdue}


def html_grid(text: str) -> dict[str, list[tuple[str, int, int]]]:
    grid = text.split('data-section="grid"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for unit, body in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', grid):
        rows[unit] = [(g, int(o), int(c)) for g, _, o, c in re.findall(
            r'data-group="([^"]+)" data-state="([^"]+)" data-overdue="(\d+)" data-columns="(\d+)"', body)]
    return rows


class TestHtml:
    def test_the_grid_shows_the_numbers_of_status(self, workspace: Path) -> None:
        path, _ = rollup(workspace, "html")
        text = path.read_text(encoding="utf-8")
        units = status_units(workspace)
        grid = html_grid(text)
        assert set(grid) == set(UNITS)
        for name in UNITS:
            assert from_cells(grid[name]) == expected(units[name]), name
        assert 'data-state="behind"' in text and 'data-state="on_time"' in text

    def test_each_unit_has_its_own_section_with_qualified_ids(self, workspace: Path) -> None:
        text = rollup(workspace, "html")[0].read_text(encoding="utf-8")
        for i, name in enumerate(("省局", "芜湖", "合肥"), start=1):  # ranked: most overdue first
            assert f'<section class="unit" id="u{i}-summary">\n<h1>{name} 政务公开周报 2026-W48</h1>' in text
        assert "合肥/C90" in text and "芜湖/C02" in text
        ids = re.findall(r' id="([^"]+)"', text)
        assert len(ids) == len(set(ids)), "element ids repeat across units"

    def test_it_stays_self_contained(self, workspace: Path) -> None:
        text = rollup(workspace, "html")[0].read_text(encoding="utf-8")
        assert "Content-Security-Policy" in text
        assert not re.search(r"https?://|src=|<script|<link", text)
        assert "@page" in text and "@media print" in text


class TestXlsx:
    def test_units_and_grid_sheets_read_back_with_the_numbers_of_status(self, workspace: Path) -> None:
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        book = load_workbook(rollup(workspace, "xlsx")[0])
        assert book.sheetnames[:2] == ["各单位", "单位×栏目"]
        assert {"仍逾期", "栏目更新", "全部事项"} <= set(book.sheetnames)  # one table a sheet, a 单位 column
        assert {row[1] for row in book["全部事项"].iter_rows(min_row=2, values_only=True)} == set(UNITS)
        units = status_units(workspace)

        sheet = book["各单位"]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            unit = units[row[header.index("单位")]]
            assert row[header.index("有更新周期的栏目")] == unit["columns"]
            assert row[header.index("按时栏目")] == unit["columns_on_time"]

        grid = book["单位×栏目"]
        groups = [c.value for c in grid[1]][2:-1]  # after 序号 and 单位, before 合计
        seen = set()
        for cells in grid.iter_rows(min_row=2):
            name = cells[1].value
            seen.add(name)
            parsed = []
            for group, cell in zip(groups, cells[2:-1], strict=True):
                if cell.value != "—":
                    overdue, total = map(int, cell.value.split("/"))
                    parsed.append((group, overdue, total))
                    assert cell.fill.fgColor.rgb.endswith("FFC7CE" if overdue else "C6EFCE")
            assert from_cells(parsed) == expected(units[name]), name
        assert seen == set(UNITS)


class TestOtherFormats:
    def test_json_grid_and_units_match_status(self, workspace: Path) -> None:
        result = run("report", "--workspace", str(workspace), "--as-of", AS_OF, "--format", "json")
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        assert doc["kind"] == "weekly_rollup"
        units = status_units(workspace)
        for row in doc["grid"]:
            cells = [(c["group"], c["overdue"], c["columns"]) for c in row["cells"]]
            assert from_cells(cells) == expected(units[row["unit"]])
        assert [u["name"] for u in doc["units"]] == list(units)  # the same ranking
        assert [r["unit"] for r in doc["reports"]] == list(units)
        hefei = next(r for r in doc["reports"] if r["unit"] == "合肥")
        assert {i["id"] for i in hefei["items"]} >= {"合肥/C90", "合肥/C04"}

    def test_markdown_has_the_units_the_grid_and_a_section_per_unit(self, workspace: Path) -> None:
        result = run("report", "--workspace", str(workspace), "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        text = result.stdout
        assert text.startswith("# 省局、合肥、芜湖 政务公开周报汇总 2026-W48")
        assert "| 合肥 | 0/1 | 0/1 | 1/1 | 1/1 | 2/4 |" in text
        for name in UNITS:
            assert f"## {name} 政务公开周报 2026-W48" in text
        assert "### 仍逾期" in text

    def test_csv_is_one_table_with_a_unit_column(self, workspace: Path) -> None:
        path, _ = rollup(workspace, "csv")
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
        assert rows[0][:2] == ["单位", "编号"]
        assert {r[0] for r in rows[1:]} == set(UNITS)
        assert all(r[1].startswith(r[0] + "/") for r in rows[1:])

    def test_every_format_has_a_rollup_renderer(self) -> None:
        from zwgk.report.registry import formats_of, renderer

        for fmt in formats_of("report"):
            assert callable(renderer("report-units", fmt))

    def test_the_default_file_name_says_rollup(self, workspace: Path) -> None:
        result = run("report", "--workspace", str(workspace), "--as-of", AS_OF, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert Path("zwgk-周报汇总-2026-W48.csv").is_file()


class TestSelection:
    def test_unit_filters(self, workspace: Path) -> None:
        text = rollup(workspace, "html", "--unit", "合肥")[0].read_text(encoding="utf-8")
        assert set(html_grid(text)) == {"合肥"}
        assert "芜湖" not in text and "省局/" not in text

    def test_an_unknown_unit_is_an_error(self, workspace: Path) -> None:
        result = run("report", "--workspace", str(workspace), "--as-of", AS_OF, "--unit", "蚌埠")
        assert result.exit_code == 2 and "蚌埠" in result.output

    def test_repeated_data_is_a_rollup_too(self, workspace: Path) -> None:
        result = run("report", "--data", "province/合肥", "--data", "province/芜湖", "--as-of", AS_OF,
                     "--format", "json")
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.stdout)["reports"]) == 2

    def test_a_broken_unit_is_reported_and_the_others_still_are(self, workspace: Path) -> None:
        settings = workspace.parent / "芜湖" / "settings.yaml"
        settings.write_text("unit: 芜湖市安全监管局\ntracking_since: someday\nfollows: ../省局\n",
                            encoding="utf-8")
        path, output = rollup(workspace, "html", code=2)
        assert "province/芜湖/settings.yaml:2:" in output
        text = path.read_text(encoding="utf-8")
        assert "省局 政务公开周报" in text and "合肥 政务公开周报" in text
        assert "<h1>芜湖 政务公开周报" not in text
        assert 'data-unit="芜湖"' in text and 'data-state="broken"' in text
        assert "芜湖:数据有误,未计入" in text


class TestIcs:
    def test_one_feed_for_all_units_with_distinct_uids(self, workspace: Path) -> None:
        from icalendar import Calendar

        result = run("ics", "--workspace", str(workspace), "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        events = Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
        summaries = [str(e["SUMMARY"]) for e in events]
        for name in UNITS:
            assert any(s.startswith(f"【{name}】") for s in summaries), name
        uids = [str(e["UID"]) for e in events]
        assert len(uids) == len(set(uids))

    def test_single_unit_uids_are_unchanged(self, workspace: Path) -> None:
        from icalendar import Calendar

        def uids_and_keys(*args: str) -> tuple[set[str], set[str]]:
            result = run("ics", "--as-of", AS_OF, *args)
            assert result.exit_code == 0, result.output
            events = Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
            # the id is in the description (编号:合肥/C12(栏目)), not the short summary
            keys = {f"{ID.search(str(e['DESCRIPTION'])).group(1)}|{e['DTSTART'].dt:%Y-%m-%d}|{e['STATUS']}"  # type: ignore[union-attr]
                    for e in events}
            return {str(e["UID"]) for e in events}, keys

        single, keys = uids_and_keys("--data", "province/合肥")
        multi, multi_keys = uids_and_keys("--workspace", str(workspace), "--unit", "合肥")
        assert keys == multi_keys and keys
        assert len(single) == len(keys) == len(multi)
        assert not single & multi  # unit-qualified in a workspace, as before workspaces alone
