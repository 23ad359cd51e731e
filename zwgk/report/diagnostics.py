"""Data errors as a clerk reads them: `file:line:col`, the source line, a caret, what to do."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from zwgk.errors import Diagnostic
from zwgk.report.labels import printable

if TYPE_CHECKING:
    from zwgk.models import Dataset
    from zwgk.report.terminal import Lines
    from zwgk.summary.answers import ValidateAnswer

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
        line, col = _excerpt(diagnostic.source_line, max(1, diagnostic.col or 1))
        # The caret sits under the column as the terminal draws it: CJK characters are two cells.
        lead = cell_len(line[: col - 1])
        width = max(1, cell_len(line[col - 1 : col - 1 + min(diagnostic.width, EXCERPT)]))
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


EXCERPT = 120  # characters of a long line shown on each side of the fault


def _excerpt(line: str, col: int) -> tuple[str, int]:
    """The part of a (possibly 100,000-character) line around the fault, and the caret's column
    in it. Tabs show as one arrow, so the caret stays under the fault."""
    start = max(0, col - 1 - EXCERPT)
    shown = line[start : col - 1 + EXCERPT].replace("\t", "→")
    prefix = "…" if start else ""
    suffix = "…" if col - 1 + EXCERPT < len(line) else ""
    # printable() writes `::` as `: :`, one character longer: the caret's column is counted in
    # the text as shown, or a `std::string` before the fault would put it one cell to the left.
    before = printable(shown[: col - 1 - start])
    return prefix + printable(shown) + suffix, len(prefix) + len(before) + 1


def validate(answer: ValidateAnswer) -> Lines:
    """`zwgk validate`: each unit's diagnostics, how its catalogue was inherited, and a summary."""
    from zwgk.report.terminal import Lines

    pieces: list[Text | str] = []
    for unit in answer.units:
        if len(answer.units) > 1:
            pieces.append(f"== {unit.name} ({unit.folder}) ==")
        pieces += [render(diagnostic) for diagnostic in unit.found]
        dataset = unit.result.dataset
        if dataset is not None and dataset.inherits is not None:
            pieces.append(describe_inheritance(dataset))
        items = len(dataset.items) if dataset else 0
        entries = len(dataset.journal) if dataset else 0
        pieces.append(f"{unit.folder}:{items} 个事项,{entries} 条日志;{summary(unit.found)}")
    return Lines(pieces)


def describe_inheritance(dataset: Dataset) -> str:
    inherits = dataset.inherits
    assert inherits is not None

    def listed(ids: tuple[str, ...]) -> str:
        return "、".join(ids) if ids else "无"

    return (f"继承自 {inherits.parent}:沿用 {len(inherits.inherited)} 项;"
            f"覆盖 {listed(inherits.overridden)};删除 {listed(inherits.dropped)};"
            f"新增 {listed(inherits.added)}")
