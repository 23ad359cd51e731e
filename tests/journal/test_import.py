"""`zwgk import`: an office's ledger (台账) in Excel or CSV becomes journal lines in one locked
write, all or nothing. Every sheet here is written by the test itself (openpyxl for .xlsx, bytes
in a named encoding for .csv): nothing binary is committed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from conftest import HOURS_COLUMN, FullDisk, run_cli, tree_bytes

import zwgk.journal
from zwgk.load.sheet import CellError, date_of, decode, read_sheet, time_of

HEADER = ["事项", "日期", "登记人", "链接", "备注"]


@pytest.fixture
def office(mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini data folder, with the working folder beside it so files show by their names."""
    monkeypatch.chdir(mini_data.parent)
    return mini_data


def journal_file(data: Path) -> Path:
    return data / "journal" / f"{datetime.now(ZoneInfo('Asia/Shanghai')).year}.jsonl"


def journal_lines(data: Path) -> list[dict[str, Any]]:
    path = journal_file(data)
    if not path.exists():
        return []
    raw = path.read_bytes()
    assert raw.endswith(b"\n")
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def workbook(path: Path, *sheets: tuple[str, Sequence[Sequence[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


def csv_file(path: Path, rows: Sequence[Sequence[str]], encoding: str, delimiter: str = ",") -> Path:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def import_(data: Path, *args: str) -> Any:
    return run_cli("import", *args, "--data", str(data))


def imported(data: Path, *args: str) -> dict[str, Any]:
    result = import_(data, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- one step, one write ---------------------------------------------------------------------------


def test_a_200_row_sheet_imports_in_one_locked_write(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = ["C01", "C02", "C04", "T01", "T02", "T03", "T04", "政策法规/法律法规"]
    rows = [[items[i % len(items)], date(2026, 1, 1 + i % 28).replace(month=1 + i // 28), f"员工{i % 7}",
             f"https://x.example/{i}", f"第 {i} 条"] for i in range(200)]
    sheet = workbook(office.parent / "台账.xlsx", ("2026", [["某局政务公开台账"], HEADER, *rows]))
    writes: list[int] = []
    real = zwgk.journal._append_line
    monkeypatch.setattr(zwgk.journal, "_append_line", lambda path, data: (writes.append(len(data)), real(path, data)))
    monkeypatch.setattr(zwgk.journal, "append", lambda *a: pytest.fail("one line at a time"))
    started = time.perf_counter()
    result = import_(office, str(sheet))
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "新增 200 条,已存在 0 条" in result.output
    assert len(writes) == 1
    lines = journal_lines(office)
    assert len(lines) == 200
    assert lines[0] == {**lines[0], "type": "record", "item": "C01", "date": "2026-01-01", "by": "员工0",
                        "url": "https://x.example/0", "note": "第 0 条"}
    assert lines[7]["item"] == "C01"  # 政策法规/法律法规, the column's 一级/二级
    assert len({line["id"] for line in lines}) == 200
    assert len({line["at"] for line in lines}) == 1
    assert elapsed < 10, f"200 rows took {elapsed:.1f} s"
    assert run_cli("validate", "--data", str(office)).exit_code == 0


def test_one_bad_row_imports_nothing_and_names_that_row(office: Path) -> None:
    rows = [["C01", f"2026-11-{day:02d}", "张三", "", ""] for day in range(1, 10)]
    rows[4][1] = "2026-02-30"  # row 7 in Excel: a title row, the header, then rows 3, 4, …
    sheet = workbook(office.parent / "台账.xlsx", ("台账", [["标题"], HEADER, *rows]))
    before = tree_bytes(office)
    result = import_(office, str(sheet))
    assert result.exit_code == 2
    assert "台账.xlsx:第 7 行 B 列:日期 '2026-02-30' 不是存在的日期" in result.output
    assert "1 行有误,未导入任何记录" in result.output
    assert tree_bytes(office) == before


def test_every_bad_row_is_named_at_once(office: Path) -> None:
    rows = [
        ["C01", "2099-01-01", "", "", ""],  # row 2: a record in the future
        ["找不到的栏目", "2026-11-02", "", "", ""],  # row 3
        ["", "2026-11-03", "", "", "只有备注"],  # row 4: no item
        ["C01", "", "", "", "没有日期"],  # row 5
        ["", "", "", "", ""],  # row 6: empty, skipped
        ["C02", "20261120", "", "", ""],  # row 7: eight digits
    ]
    sheet = workbook(office.parent / "台账.xlsx", ("台账", [HEADER, *rows]))
    result = import_(office, str(sheet), "--json")
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "B"), (3, "A"), (4, "A"), (5, "B"), (7, "B")]
    assert "晚于今天" in errors[0]["message"]
    assert "找不到事项 '找不到的栏目'" in errors[1]["message"]
    assert "可写成 2026-11-20" in errors[4]["message"]
    assert "5 行有误" in result.stderr
    assert not journal_file(office).exists()


def test_an_ambiguous_item_lists_its_candidates(office: Path) -> None:
    sheet = workbook(office.parent / "台账.xlsx", ("台账", [HEADER, ["坚持", "2026-11-02"]]))
    result = import_(office, str(sheet))
    assert result.exit_code == 2
    assert "台账.xlsx:第 2 行 A 列:'坚持' 对应多个事项" in result.output
    assert "候选:T02 先完成后坚持;T04 长期坚持" in result.output


# --- what a ledger looks like -------------------------------------------------------------------------


def test_the_header_need_not_be_the_first_row(office: Path) -> None:
    rows = [["某局 2026 年政务公开台账"], [], ["填表单位:办公室", None, "填表日期:2026-12-01"],
            ["序号", "事　项", "完成日期（必填）", "经办人", "网址"], [1, "C01", "2026-11-20", "张三", "https://x.example/1"]]
    sheet = workbook(office.parent / "台账.xlsx", ("台账", rows))
    found = imported(office, str(sheet))
    assert found["header_row"] == 4
    assert [(e["item"], e["date"], e["by"], e["url"]) for e in found["appended"]] == [
        ("C01", "2026-11-20", "张三", "https://x.example/1")]


def test_excel_date_cells_and_serial_numbers(office: Path) -> None:
    rows = [
        ["C01", date(2026, 11, 20)],  # a date cell (openpyxl reads it back as a datetime)
        ["C02", datetime(2026, 11, 21, 9, 30)],  # a date-time cell: the time is kept
        ["C04", 46348],  # a serial number in a General cell: 2026-11-22
        ["T01", 46349.75],  # a serial with a fraction: 2026-11-23 18:00
        ["T02", "46350"],  # a serial that reached the sheet as text
        ["T03", "2026年11月25日"],
        ["T04", "２０２６－１１－２６"],  # typed with full-width digits
    ]
    path = office.parent / "台账.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["事项", "日期"])
    for row in rows:
        ws.append(row)
    ws["B2"].number_format = "yyyy年m月d日"
    book.save(path)
    found = imported(office, str(path))
    assert [(e["item"], e["date"], e.get("time")) for e in found["appended"]] == [
        ("C01", "2026-11-20", None), ("C02", "2026-11-21", "09:30"), ("C04", "2026-11-22", None),
        ("T01", "2026-11-23", "18:00"), ("T02", "2026-11-24", None), ("T03", "2026-11-25", None),
        ("T04", "2026-11-26", None)]


def test_merged_item_cells_and_hyperlinks(office: Path) -> None:
    path = office.parent / "台账.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    for row in [["事项", "日期", "链接"], ["C01", "2026-11-01", "查看"], [None, "2026-11-02"], [None, None]]:
        ws.append(row)
    ws.merge_cells("A2:A4")  # one item spanning its rows; row 4 holds nothing of its own
    ws["C2"].hyperlink = "https://x.example/evidence"
    book.save(path)
    found = imported(office, str(path))
    assert [(e["item"], e["date"], e.get("url")) for e in found["appended"]] == [
        ("C01", "2026-11-01", "https://x.example/evidence"), ("C01", "2026-11-02", None)]


def test_the_first_sheet_with_the_headers_is_read_or_the_one_named(office: Path) -> None:
    path = workbook(office.parent / "台账.xlsx", ("说明", [["本表用于登记政务公开工作"]]),
                    ("上半年", [HEADER, ["C01", "2026-03-01"]]), ("下半年", [HEADER, ["C02", "2026-11-01"]]))
    assert [e["item"] for e in imported(office, str(path), "--dry-run")["appended"]] == ["C01"]
    assert [e["item"] for e in imported(office, str(path), "--dry-run", "--sheet", "下半年")["appended"]] == ["C02"]
    assert [e["item"] for e in imported(office, str(path), "--dry-run", "--sheet", "3")["appended"]] == ["C02"]
    result = import_(office, str(path), "--sheet", "2027")
    assert result.exit_code == 2
    assert "没有工作表 '2027'" in result.output and "说明、上半年、下半年" in result.output


def test_a_sheet_without_the_headers_is_refused(office: Path) -> None:
    path = workbook(office.parent / "台账.xlsx", ("台账", [["序号", "栏目", "经办人"], [1, "C01", "张三"]]))
    result = import_(office, str(path))
    assert result.exit_code == 2
    assert "台账.xlsx:第 1 行:工作表“台账”的表头缺少“日期”列" in result.output
    path = workbook(office.parent / "台账.xlsx", ("台账", [["序号", "负责人"], [1, "张三"]]))
    assert "前 10 行里没有表头" in import_(office, str(path)).output
    (office.parent / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "另存为" in import_(office, str(office.parent / "old.xls")).output


def test_a_row_before_tracking_since_needs_backfill(office: Path) -> None:
    sheet = workbook(office.parent / "台账.xlsx", ("台账", [HEADER, ["C01", "2025-12-01", "张三"]]))
    result = import_(office, str(sheet))
    assert result.exit_code == 2
    assert "台账.xlsx:第 2 行 B 列:日期 2025-12-01 早于跟踪起点 2026-01-01" in result.output
    assert [e["date"] for e in imported(office, str(sheet), "--backfill")["appended"]] == ["2025-12-01"]


# --- events ---------------------------------------------------------------------------------------------


def test_events_and_the_records_that_fulfil_them(office: Path) -> None:
    with open(office / "columns.yaml", "a", encoding="utf-8") as handle:
        handle.write(HOURS_COLUMN)
    rows = [["事项", "日期", "时间", "事件", "处室", "登记人"],
            ["事故快讯", "2026-11-20", "", "某矿事故", "法规处", "张三"],
            ["突发事件", datetime(2026, 11, 21, 14, 30), "", "夜间爆炸", "", "李四"],
            ["C05", "2026-11-22", "下午3点", "第二起", "", ""],
            ["C03", "2026-11-20", "", "", "", "张三"]]  # a record: fulfils the sheet's own event
    found = imported(office, str(workbook(office.parent / "台账.xlsx", ("台账", rows))))
    events, record = found["appended"][:3], found["appended"][3]
    assert [(e["type"], e["item"], e.get("time"), e["title"], e.get("dept")) for e in events] == [
        ("event", "C03", None, "某矿事故", "政策法规处"), ("event", "C05", "14:30", "夜间爆炸", None),
        ("event", "C05", "15:00", "第二起", None)]
    assert record["type"] == "record" and record["event"] == events[0]["id"]
    assert run_cli("validate", "--data", str(office)).exit_code == 0


def test_the_rules_of_zwgk_event_apply_to_each_row(office: Path) -> None:
    with open(office / "columns.yaml", "a", encoding="utf-8") as handle:
        handle.write(HOURS_COLUMN)
    rows = [["类型", "事项", "日期", "时间", "事件"],
            ["事件", "C01", "2026-11-20", "", "不是事件类"],  # row 2
            ["事件", "C05", "2026-11-20", "", "没写时间"],  # row 3
            ["事件", "C03", "2099-11-20", "", "将来"],  # row 4
            ["登记", "C03", "2026-11-20", "", "登记却写了事件"],  # row 5
            ["完成", "C03", "2026-11-20", "25:61", ""]]  # row 6
    result = import_(office, str(workbook(office.parent / "台账.xlsx", ("台账", rows))), "--json")
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "B"), (3, "D"), (4, "C"), (5, "E"), (6, "D")]
    assert "不是事件触发的事项" in errors[0]["message"] and "C03" in errors[0]["hint"]
    assert "按小时计时" in errors[1]["message"]


def test_a_record_names_the_event_it_fulfils_when_several_are_open(office: Path) -> None:
    rows = [["类型", "事项", "日期", "事件"],
            ["事件", "C03", "2026-11-10", "甲事故"], ["事件", "C03", "2026-11-12", "乙事故"],
            ["登记", "C03", "2026-11-11", ""],  # only 甲 had happened by then: it fulfils 甲
            ["登记", "C03", "2026-11-13", "乙事故"],  # names 乙
            ["登记", "C03", "2026-11-14", "丙事故"]]  # names an event there is none of
    sheet = workbook(office.parent / "台账.xlsx", ("台账", rows))
    result = import_(office, str(sheet))
    assert result.exit_code == 2
    assert "台账.xlsx:第 6 行 D 列:C03 没有待办的事件“丙事故”" in result.output
    rows.pop()
    found = imported(office, str(workbook(office.parent / "台账.xlsx", ("台账", rows))))
    first, second, early, named = found["appended"]
    assert (early["event"], named["event"]) == (first["id"], second["id"])
    assert "title" not in named  # the name chose the event; the record itself has no title
    result = import_(office, str(workbook(office.parent / "台账.xlsx", ("台账", [
        ["类型", "事项", "日期", "事件"], ["事件", "C03", "2026-11-20", "丙事故"], ["事件", "C03", "2026-11-20", "丁事故"],
        ["登记", "C03", "2026-11-21", ""]]))))
    assert result.exit_code == 2
    assert "第 4 行 D 列:C03 有 2 项待办的事件义务" in result.output
    assert "丙事故(2026-11-20)" in result.output and "丁事故(2026-11-20)" in result.output


def test_an_event_of_a_groups_duty_names_its_department(office: Path) -> None:
    with open(office / "columns.yaml", "a", encoding="utf-8") as handle:
        handle.write("  - id: C06\n    path: [政策解读, 上级文件]\n    lead: [各处室]\n    requirement: 5个工作日内\n"
                     "    rule: {kind: event, trigger: 上级文件发布, unit: working_days, amount: 5}\n")
    rows = [["事项", "日期", "事件", "处室"], ["C06", "2026-11-20", "省厅文件", ""], ["C06", "2026-11-20", "省厅文件", "办公室"]]
    result = import_(office, str(workbook(office.parent / "台账.xlsx", ("台账", rows))))
    assert result.exit_code == 2
    assert "台账.xlsx:第 2 行 D 列:政策解读/上级文件 由“各处室”承担" in result.output
    assert "第 3 行" not in result.output


# --- CSV from Excel on Chinese Windows ------------------------------------------------------------------

CSV_ROWS = [["台账"], ["事项", "日期", "登记人", "备注"], ["C01", "2026/11/20", "张三", "政务公开·第一批"],
            ["法律法规", "2026年11月21日", "李四", "鎔"]]  # 鎔 is in GBK; 𠀀 would need GB18030


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("gbk", ","), ("gb18030", ","), ("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("gbk", "\t")])
def test_csv_files_from_excel_read_correctly(office: Path, encoding: str, delimiter: str) -> None:
    rows = [*CSV_ROWS, ["C02", "2026-11-22", "王五", "𠀀"]] if encoding != "gbk" else CSV_ROWS
    path = csv_file(office.parent / "台账.csv", rows, encoding, delimiter)
    found = imported(office, str(path))
    assert found["header_row"] == 2
    assert [(e["item"], e["date"], e["by"], e["note"]) for e in found["appended"]][:2] == [
        ("C01", "2026-11-20", "张三", "政务公开·第一批"), ("C01", "2026-11-21", "李四", "鎔")]
    assert len(found["appended"]) == len(rows) - 2


def test_a_quoted_comma_and_excels_sep_line(office: Path) -> None:
    path = office.parent / "台账.csv"
    path.write_bytes('sep=;\r\n事项;日期;备注\r\nC01;2026-11-20;"一;二"\r\n'.encode("gbk"))
    assert [e["note"] for e in imported(office, str(path))["appended"]] == ["一;二"]


def test_a_bad_row_in_a_csv_is_named_by_its_row(office: Path) -> None:
    path = csv_file(office.parent / "台账.csv", [["事项", "日期"], ["C01", "2026-11-20"], ["C01", "明天"]], "gbk")
    result = import_(office, str(path))
    assert result.exit_code == 2
    assert "台账.csv:第 3 行 B 列:日期 '明天' 不是可识别的日期格式" in result.output


# --- twice, dry runs, a full disk ---------------------------------------------------------------------


def test_importing_the_same_sheet_twice_appends_nothing(office: Path) -> None:
    rows = [HEADER, ["C01", "2026-11-20", "张三", "https://x.example/1", "第一次"], ["C02", "2026-11-21", "张三"],
            ["C02", "2026-11-21", "张三"]]  # the same row twice in the sheet: one line
    sheet = workbook(office.parent / "台账.xlsx", ("台账", rows))
    first = import_(office, str(sheet))
    assert first.exit_code == 0 and "新增 2 条,已存在 0 条,表内重复 1 条" in first.output
    before = tree_bytes(office)
    second = import_(office, str(sheet))
    assert second.exit_code == 0
    assert "新增 0 条,已存在 3 条" in second.output  # the repeated row is in the journal now
    assert tree_bytes(office) == before
    again = imported(office, str(sheet))
    assert again["appended"] == [] and [s["reason"] for s in again["skipped"]] == ["exists", "exists", "exists"]
    assert again["skipped"][0]["same_as"] == journal_lines(office)[0]["id"]


def test_a_dry_run_shows_what_would_be_appended_and_writes_nothing(office: Path) -> None:
    sheet = workbook(office.parent / "台账.xlsx", ("台账", [HEADER, ["C01", "2026-11-20", "张三", "https://x.example/1"]]))
    before = tree_bytes(office)
    result = import_(office, str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将追加 1 条" in result.output and "政策法规/法律法规" in result.output
    assert "试运行,未写入任何内容:新增 1 条,已存在 0 条" in result.output
    found = imported(office, str(sheet), "--dry-run")
    assert found["dry_run"] is True and found["journal"] is None
    assert found["appended"][0]["item"] == "C01" and found["appended"][0]["by"] == "张三"
    assert tree_bytes(office) == before


def test_json_prints_the_lines_as_the_journal_holds_them(office: Path) -> None:
    sheet = workbook(office.parent / "台账.xlsx", ("台账", [HEADER, ["C01", "2026-11-20"], ["C02", "2026-11-21"]]))
    found = imported(office, str(sheet), "--by", "默认登记人")
    assert found["dry_run"] is False
    assert found["appended"] == journal_lines(office)
    assert {e["by"] for e in found["appended"]} == {"默认登记人"}




def test_a_failed_write_leaves_the_journal_byte_for_byte(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = journal_file(office)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b'{"id": "20261101-090000-00000001", "type": "record", "item": "C02", "date": "2026-11-01", '
                     b'"at": "2026-11-01T09:00:00+08:00"}\n')
    before = path.read_bytes()
    rows = [HEADER, *[["C01", f"2026-11-{day:02d}", "张三"] for day in range(1, 21)]]
    sheet = workbook(office.parent / "台账.xlsx", ("台账", rows))
    # A third of the batch lands (several whole lines), then the disk is full.
    monkeypatch.setattr(zwgk.journal, "open", lambda *a, **k: FullDisk(open(*a, **k), 1 / 3),  # noqa: SIM115
                        raising=False)
    result = import_(office, str(sheet))
    assert result.exit_code == 2
    assert "无法写入日志" in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) in ([path.name], sorted([path.name, ".journal.lock"]))
    monkeypatch.undo()
    assert len(imported(office, str(sheet))["appended"]) == 20
    assert len(journal_lines(office)) == 21


def test_a_csv_import_never_loads_openpyxl(office: Path) -> None:
    path = csv_file(office.parent / "台账.csv", [["事项", "日期"], ["C01", "2026-11-20"]], "gbk")
    probe = ("import sys\nfrom zwgk.cli.app import app\ntry:\n    app(sys.argv[1:], standalone_mode=False)\n"
             "except SystemExit:\n    pass\nprint('openpyxl' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", probe, "import", str(path), "--data", str(office), "--dry-run"],
                           capture_output=True, text=True, check=True)
    assert found.stdout.strip().splitlines()[-1] == "False"


# --- the cell readers -----------------------------------------------------------------------------------

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(("cell", "expected"), [
    ("2026-11-20", (date(2026, 11, 20), None)), ("2026/11/20 14:30:00", (date(2026, 11, 20), clock(14, 30))),
    ("2026.11.20", (date(2026, 11, 20), None)), ("11月20日", (date(2026, 11, 20), None)),
    (datetime(2026, 11, 20), (date(2026, 11, 20), None)), (46346, (date(2026, 11, 20), None)),
    (46346.5, (date(2026, 11, 20), clock(12, 0))), ("今天", (TODAY, None))])
def test_date_cells(cell: Any, expected: tuple[date, clock | None]) -> None:
    assert date_of(cell, TODAY) == expected


@pytest.mark.parametrize("cell", ["2026-02-30", "20261120", 20261120, "11/20/2026", True, 12])
def test_cells_that_are_not_dates(cell: Any) -> None:
    with pytest.raises(CellError):
        date_of(cell, TODAY)


@pytest.mark.parametrize(("cell", "expected"), [
    ("14:30", clock(14, 30)), ("14：30", clock(14, 30)), ("9:05:00", clock(9, 5)), ("14时30分", clock(14, 30)),
    ("下午2点", clock(14, 0)), ("2:30 PM", clock(14, 30)), (clock(8, 0), clock(8, 0)), (0.75, clock(18, 0))])
def test_time_cells(cell: Any, expected: clock) -> None:
    assert time_of(cell, TODAY)[1] == expected


def test_encodings_are_told_apart() -> None:
    text = "事项,日期\n"
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert decode(text.encode("utf-16")) == (text, "utf-16")
    assert decode(b"\xff\xfe\x00\xd8") is None  # a BOM, then a lone surrogate


def test_a_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    found = read_sheet(tmp_path / "没有.xlsx")
    assert found.table is None and found.diagnostics[0].code == "sheet-missing"
