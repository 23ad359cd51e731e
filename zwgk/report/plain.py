"""Text as lines: long lists for a pipe or a file, and `Lines` printed one after another.

A long list in a pipe or a file is aligned columns, one item per line, never wrapped, so grep,
awk and a spreadsheet's text import read them (Taskwarrior prints its reports the same way).

Widths are counted in terminal cells, so Chinese text lines up. Rich's table layout measures
and wraps every cell, which for a province's two thousand overdue items takes seconds; this
takes milliseconds.

With no width known the lines are as long as their cells (full ids, every column). When the
width is known ($COLUMNS), the terminal's rules apply where a line can follow them: short
references for event obligations, lower-priority columns dropped in the same order, text cut
with … rather than wrapped. Every item keeps its line, even where the line stays too long.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text

from zwgk.report.labels import Fit, head_cells, layout, printable, shorten_url, truncated, wrap_starts

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

GAP = "  "
FIXED = Fit()


@dataclass(frozen=True)
class Listing:
    """A long list, before it is drawn: a Rich table on a terminal, plain columns in a pipe."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]  # terminal-safe text (printable)
    styles: tuple[str, ...]  # one per column
    right: frozenset[int] = frozenset()  # columns aligned right
    caption: str | None = None
    no_wrap: frozenset[int] = frozenset()  # columns a terminal must not wrap (ids, dates)
    marked: Mapping[int, Mapping[str, str]] = field(default_factory=dict)  # column → text → style
    fits: tuple[Fit, ...] = ()  # how each column meets a narrow width; none: no_wrap/right fixed
    refs: tuple[str, ...] = ()  # the id column as tables show it (C10#3); none: as in `rows`
    ref_column: int = 0

    def column_fits(self) -> tuple[Fit, ...]:
        return self.fits or tuple(FIXED if i in self.no_wrap | self.right else Fit("wrap")
                                  for i in range(len(self.header)))

    def shown_rows(self) -> list[tuple[str, ...]]:
        """The rows as a table shows them: short references in the id column."""
        at = self.ref_column
        return [(*row[:at], ref, *row[at + 1:]) for ref, row in zip(self.refs, self.rows, strict=True)] \
            if self.refs else self.rows


def columns(listing: Listing, width: int | None = None) -> str:
    """The listing's title, header, a rule, its rows and its caption, as lines of text."""
    if width is None:
        return _aligned(listing, listing.header, listing.rows, list(range(len(listing.header))),
                        listing.caption)
    fits = listing.column_fits()
    rows = listing.shown_rows()
    heads = [cell_len(name) for name in listing.header]
    naturals = [max([heads[i], *(cell_len(row[i]) for row in rows)]) for i in range(len(heads))]
    widths = layout(fits, naturals, heads, width, len(GAP))
    cut = {"url": shorten_url, "wrap": truncated, "main": truncated}
    fitted = [tuple(cell if fits[i].kind == "fixed" or i not in widths else cut[fits[i].kind](cell, widths[i])
                    for i, cell in enumerate(row)) for row in rows]
    caption = listing.caption and "\n".join(  # a note, not an item: wrapped
        listing.caption[a:b].rstrip()
        for a, b in itertools.pairwise([*wrap_starts(listing.caption, width), len(listing.caption)]))
    return _aligned(listing, listing.header, fitted, list(widths), caption)


def _aligned(listing: Listing, header: tuple[str, ...], rows: list[tuple[str, ...]], shown: list[int],
             caption: str | None) -> str:
    table = [tuple(row[i] for i in shown) for row in [header, *rows]]
    right = {position for position, index in enumerate(shown) if index in listing.right}
    widths = [max(cell_len(row[index]) for row in table) for index in range(len(shown))]
    last = len(widths) - 1
    lines = [listing.title]
    for number, row in enumerate(table):
        cells = []
        for index, cell in enumerate(row):
            room = widths[index] - cell_len(cell)
            if index in right:
                cells.append(" " * room + cell)
            else:
                cells.append(cell if index == last else cell + " " * room)
        lines.append(GAP.join(cells).rstrip())
        if number == 0:
            lines.append(GAP.join("-" * width for width in widths))
    if caption:
        lines.append(caption)
    return "\n".join(lines) + "\n"


class Lines(tuple[RenderableType | str, ...]):
    """Printed one after another, never re-wrapped in a pipe: a str is one line; a Rich Text is
    printed as it is and ends its own lines (a diagnostic with its excerpt).

    On a terminal narrower than a line, a message wraps (its continuation indented) and an
    excerpt is cropped, never wrapped, to a window that keeps the caret under the fault."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for piece in self:
            text = Text(printable(piece)) if isinstance(piece, str) else piece
            if not isinstance(text, Text):
                yield text
                continue
            lines = text.split("\n")
            carets = [line.plain.index("^") for line in lines if CARET.match(line.plain)]
            start = max([0, *(c - width // 3 for c in carets if c >= width - 4)])
            for line in lines:
                yield from fit_line(console, line, width, start)


GUTTER = re.compile(r" *\d* \| ?")  # a diagnostic's excerpt and caret lines: `12 | text`, `   | ^^^`
CARET = re.compile(r" *\| *\^")


def fit_line(console: Console, line: Text, width: int, start: int) -> list[Text]:
    """A line in `width` cells: an excerpt's line shown from cell `start` and cut with …; any
    other line wrapped, its continuation indented."""
    if line.cell_len <= width:
        return [line]
    gutter = GUTTER.match(line.plain)
    if not gutter:
        first, *rest = line.wrap(console, width)
        remainder = line[len(first.plain):]
        remainder = remainder[len(remainder.plain) - len(remainder.plain.lstrip()):]
        return [first, *(Text.assemble("    ", part) for part in remainder.wrap(console, max(width - 4, 1))
                         if rest)]
    body, skip = line[gutter.end():], max(0, start - gutter.end())
    cut = len(head_cells(body.plain, skip))
    pad = skip - cell_len(body.plain[:cut])
    if pad:  # a Chinese character straddles the window's edge: a blank in its place
        pad, cut = cell_len(body.plain[cut]) - pad, cut + 1
    shown, room = Text.assemble(" " * pad, body[cut:]), width - gutter.end() - (1 if cut else 0)
    kept = len(head_cells(shown.plain, room - 1)) if shown.cell_len > room else len(shown.plain)
    return [Text.assemble(line[:gutter.end()], "…" if cut else "", shown[:kept],
                          "…" if kept < len(shown.plain) else "")]
