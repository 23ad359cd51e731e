"""Long lists for a pipe or a file: aligned columns, one item per line, never wrapped, so grep,
awk and a spreadsheet's text import read them (Taskwarrior prints its reports the same way).

Widths are counted in terminal cells, so Chinese text lines up. Rich's table layout measures
and wraps every cell, which for a province's two thousand overdue items takes seconds; this
takes milliseconds.
"""

from __future__ import annotations

from rich.cells import cell_len

from zwgk.report.terminal import Listing

GAP = "  "


def columns(listing: Listing) -> str:
    """The listing's title, header, a rule, its rows and its caption, as lines of text."""
    table = [listing.header, *listing.rows]
    widths = [max(cell_len(row[index]) for row in table) for index in range(len(listing.header))]
    last = len(widths) - 1
    lines = [listing.title]
    for number, row in enumerate(table):
        cells = []
        for index, cell in enumerate(row):
            room = widths[index] - cell_len(cell)
            if index in listing.right:
                cells.append(" " * room + cell)
            else:
                cells.append(cell if index == last else cell + " " * room)
        lines.append(GAP.join(cells).rstrip())
        if number == 0:
            lines.append(GAP.join("-" * width for width in widths))
    if listing.caption:
        lines.append(listing.caption)
    return "\n".join(lines) + "\n"
