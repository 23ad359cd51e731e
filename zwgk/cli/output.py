"""Writing to the terminal: colour only on a terminal, never with NO_COLOR; plain aligned text
in a pipe or a file; every message that quotes the user's input or the data made printable
first (no escape sequences reach the terminal or a CI log)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, RenderableType

if TYPE_CHECKING:
    from pathlib import Path

    from zwgk.errors import Diagnostic
    from zwgk.report.terminal import Lines, Listing


def console(stderr: bool = False, file: TextIO | None = None) -> Console:
    """Rich on a terminal; in a pipe or a file, no colour and a fixed width ($COLUMNS or 160),
    so CI logs and redirected reports do not depend on the window they were run in."""
    stream = file if file is not None else sys.stderr if stderr else sys.stdout
    is_tty = stream.isatty()
    width = None if is_tty else int(os.environ.get("COLUMNS", "160"))
    return Console(
        file=stream,
        width=width,
        no_color="NO_COLOR" in os.environ,
        force_terminal=is_tty and os.environ.get("TERM") != "dumb",
        color_system="auto" if is_tty and "NO_COLOR" not in os.environ else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def out(renderable: RenderableType | str) -> None:
    console().print(_safe(renderable), soft_wrap=isinstance(renderable, str))


def out_listing(listing: Listing) -> None:
    """A long list: a Rich table fitted to the terminal; plain aligned columns in a pipe or a
    file, as long as their cells unless $COLUMNS gives a width to keep to."""
    if sys.stdout.isatty():
        from zwgk.report.terminal import drawn

        out(drawn(listing))
    else:
        from zwgk.report.plain import columns

        width = os.environ.get("COLUMNS", "")  # every cell is already printable()
        sys.stdout.write(columns(listing, int(width) if width.isdigit() and int(width) > 0 else None))


def err(renderable: RenderableType | str) -> None:
    console(stderr=True).print(_safe(renderable), soft_wrap=isinstance(renderable, str))


def _safe(renderable: RenderableType | str) -> RenderableType | str:
    """Plain messages often quote the user's input or the data: keep escape sequences out."""
    from zwgk.report.labels import printable

    return printable(renderable) if isinstance(renderable, str) else renderable


def emit(payload: object) -> None:
    """What a renderer made (zwgk/report/registry.py), written the way its kind is written:
    text as it is, bytes as they are, a Listing by where it goes, Lines piece by piece, anything
    else through Rich."""
    from zwgk.report.terminal import Lines, Listing

    if isinstance(payload, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
    elif isinstance(payload, str):
        print_json(payload)
    elif isinstance(payload, Listing):
        out_listing(payload)
    elif isinstance(payload, Lines) and sys.stdout.isatty():
        out(payload)  # fitted to the terminal's width (Lines.__rich_console__)
    elif isinstance(payload, Lines):
        print_lines(payload, console())
    else:
        out(payload)  # type: ignore[arg-type]


def print_lines(payload: Lines, to: Console) -> None:
    """Lines as a pipe or a file gets them: piece by piece, never re-wrapped, made printable."""
    for piece in payload:
        to.print(_safe(piece), end="\n" if isinstance(piece, str) else "", soft_wrap=True)


def plain_text(payload: Lines) -> str:
    """Lines as the text a file holds: what a pipe would get."""
    from io import StringIO

    buffer = StringIO()
    print_lines(payload, console(file=buffer))
    return buffer.getvalue()


def print_json(text: str) -> None:
    sys.stdout.write(text + "\n")


def print_errors(diagnostics: tuple[Diagnostic, ...], tail: str) -> None:
    """Every error, each with its file:line:col, excerpt and caret; then the count and `tail`."""
    from zwgk.report import diagnostics as render

    to = console(stderr=True)
    errors = [d for d in diagnostics if d.severity == "error"]
    for diagnostic in errors:
        to.print(render.render(diagnostic), end="", soft_wrap=True)
    to.print(f"{render.summary(errors)}  — {tail}", soft_wrap=True)


def write_file(raw: bytes, output: Path) -> None:
    """A report written to `output` through a temporary file beside it, so a failed write never
    leaves half a page behind; then where it went, on stderr."""
    import os

    from zwgk.errors import UserError
    from zwgk.load import display_path
    from zwgk.store import warm

    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    warm.writing(str(temporary), str(output))  # the warm path writes these bytes again (warm.py)
    try:
        with open(temporary, "wb") as handle:
            handle.write(raw)
        os.replace(temporary, output)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"无法写入 {display_path(output)}:{error.strerror or error} "
                        "(could not write the output file)") from None
    warm.wrote(str(output), raw)
    err(f"已生成 {display_path(output)}")
