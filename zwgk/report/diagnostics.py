"""Data errors as a clerk reads them: `file:line:col`, the source line, a caret, what to do."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.text import Text

from zwgk.diagnostics import Diagnostic
from zwgk.report.labels import printable

SEVERITY_LABEL = {"error": "错误", "warning": "警告"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def render(diagnostic: Diagnostic) -> Text:
    label = SEVERITY_LABEL[diagnostic.severity]
    text = Text()
    text.append(f"{printable(diagnostic.where)}: ", style="bold")
    text.append(f"{label}", style=SEVERITY_STYLE[diagnostic.severity])
    text.append(f" [{diagnostic.code}] {printable(diagnostic.message)}\n")
    if diagnostic.source_line is not None and diagnostic.line is not None:
        number = str(diagnostic.line)
        gutter = " " * len(number)
        line = _printable(diagnostic.source_line)
        col = max(1, diagnostic.col or 1)
        # The caret sits under the column as the terminal draws it: CJK characters are two cells.
        lead = cell_len(line[: col - 1])
        width = max(1, cell_len(line[col - 1 : col - 1 + diagnostic.width]))
        text.append(f"{gutter} |\n", style="dim")
        text.append(f"{number} | ", style="dim")
        text.append(f"{line}\n")
        text.append(f"{gutter} | ", style="dim")
        text.append(" " * lead + "^" * width + "\n", style=SEVERITY_STYLE[diagnostic.severity])
    if diagnostic.hint:
        text.append(f"  = {printable(diagnostic.hint)}\n", style="dim")
    return text


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    found = list(diagnostics)
    errors = sum(1 for d in found if d.severity == "error")
    warnings = len(found) - errors
    return f"{errors} 个错误,{warnings} 个警告 ({errors} errors, {warnings} warnings)"


def _printable(line: str) -> str:
    """Tabs and control characters would shift the caret or corrupt the terminal."""
    return printable(line[:300].replace("\t", "→"))
