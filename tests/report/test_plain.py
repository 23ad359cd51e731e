"""Long lists in a pipe: aligned columns counted in terminal cells, one item per line."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from rich.cells import cell_len

from zwgk.report.plain import columns
from zwgk.report.terminal import Listing

LISTING = Listing(
    title="政策法规处 逾期事项 3 项",
    header=("编号", "事项", "逾期天数", "牵头"),
    rows=[("T01", "制定政务公开实施细则", "7", "办公室"),
          ("合肥/C12", "Policy interpretation 政策解读", "120", "政策法规处、新闻发言人"),
          ("C3", "x", "1234", "(未指定)")],
    styles=("", "", "", ""),
    right=frozenset({2}),
)


def starts(line: str, cells: tuple[str, ...]) -> list[int]:
    """Where each cell begins, in terminal cells from the start of the line."""
    found, position = [], 0
    for cell in cells:
        index = line.index(cell, position)
        found.append(cell_len(line[:index]))
        position = index + len(cell)
    return found


def test_columns_line_up_in_terminal_cells_with_chinese_text() -> None:
    lines = columns(LISTING).splitlines()
    assert lines[0] == LISTING.title
    assert set(lines[2]) <= {"-", " "}
    body = lines[3:]
    assert len(body) == len(LISTING.rows)  # one item per line, nothing wrapped
    first_column_starts = {starts(line, row)[1] for line, row in zip(body, LISTING.rows, strict=True)}
    assert len(first_column_starts) == 1
    last_column_starts = {starts(line, row)[3] for line, row in zip(body, LISTING.rows, strict=True)}
    assert len(last_column_starts) == 1


def test_numbers_are_aligned_right() -> None:
    body = columns(LISTING).splitlines()[3:]
    ends = {starts(line, row)[2] + cell_len(row[2]) for line, row in zip(body, LISTING.rows, strict=True)}
    assert len(ends) == 1


def test_a_caption_follows_the_rows() -> None:
    with_caption = Listing(LISTING.title, LISTING.header, LISTING.rows, LISTING.styles, LISTING.right,
                           caption="(暂定)2027 年的调休安排尚未公布")
    assert columns(with_caption).splitlines()[-1] == "(暂定)2027 年的调休安排尚未公布"


def test_piped_overdue_lists_the_same_items_as_json(mini_data: Path) -> None:
    args = ("overdue", "--data", str(mini_data), "--as-of", "2027-06-30")
    text = run_cli(*args)
    document = json.loads(run_cli(*args, "--json").stdout)
    ids = [entry["id"] for entry in document["items"]]
    assert ids, "the mini data has overdue items on this date"
    rows = text.stdout.splitlines()[3:]
    assert [row.split()[0] for row in rows] == ids
    assert "━" not in text.stdout and "│" not in text.stdout
