"""Data defects as values: every problem found in the data, with its file, line and column.

Loading never stops at the first problem; it collects `Diagnostic`s so a clerk can fix a
whole file in one pass, the way `hledger check` and `bean-check` report.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int | None  # 1-based; None when the problem is the file itself
    col: int | None  # 1-based
    code: str  # stable machine name, e.g. "unknown-owner"
    message: str
    severity: Severity = "error"
    hint: str | None = None  # what to do about it
    source_line: str | None = None  # the offending line, for the excerpt
    width: int = 1  # how many characters the caret underlines
    item: str | None = None  # the plan item it concerns, when it concerns one (the weekly report's gaps)

    @property
    def where(self) -> str:
        if self.line is None:
            return self.path
        if self.col is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.col}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest known spelling, for 'unknown owner' and 'unknown item' messages."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else None


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)
