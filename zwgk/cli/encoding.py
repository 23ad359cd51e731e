"""Which encoding zwgk writes in, decided once per run from where its output goes.

- A terminal: the terminal's own encoding; a character it cannot show becomes `?`, never a crash.
- A pipe or a file: what `--encoding` or ZWGK_ENCODING names (`utf-8`, `utf-8-sig` — UTF-8 with a
  BOM, which Excel needs to open a text file as UTF-8 — `gbk`, `gb18030`, …); otherwise, on
  Windows with a console, the console's output code page (936 on Chinese Windows), which is what
  PowerShell and cmd decode a program's output with; otherwise UTF-8 (what jq, CI logs and
  every other platform expect).
"""

from __future__ import annotations

import codecs
import os
import sys
from dataclasses import dataclass

from zwgk.errors import UserError


@dataclass(frozen=True)
class Choice:
    encoding: str | None  # None: keep the stream's own
    errors: str = "replace"


def choose(is_tty: bool, asked: str | None, platform: str, console_code_page: int) -> Choice:
    """Pure: the same facts give the same encoding on every machine (the tests force Windows)."""
    if asked:
        try:
            name = codecs.lookup(asked).name
        except LookupError:
            raise UserError(f"--encoding:不认识的编码 '{asked}' (unknown encoding)",
                            ("可写 utf-8、utf-8-sig(带 BOM,供 Excel 打开)、gbk、gb18030",)) from None
        return Choice(asked.lower() if name == "utf-8" and "sig" in asked.lower() else name)
    if is_tty:
        return Choice(None)
    if platform == "win32" and console_code_page:
        return Choice(f"cp{console_code_page}")
    return Choice("utf-8")


def console_code_page() -> int:
    """The Windows console's output code page; 0 without a console (a CI runner) or elsewhere."""
    if sys.platform != "win32":
        return 0
    import ctypes

    return int(ctypes.windll.kernel32.GetConsoleOutputCP())  # type: ignore[attr-defined]


def apply(asked: str | None = None) -> None:
    """Reconfigure stdout and stderr; asked: --encoding, else ZWGK_ENCODING."""
    asked = asked or os.environ.get("ZWGK_ENCODING") or None
    page = console_code_page()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        is_tty = stream.isatty()
        # --encoding is for what goes to a pipe or a file; a terminal keeps its own.
        choice = choose(is_tty, None if is_tty else asked, sys.platform, page)
        if choice.encoding is None:
            reconfigure(errors=choice.errors)
        else:
            reconfigure(encoding=choice.encoding, errors=choice.errors)
