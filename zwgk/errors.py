"""The two kinds of failure, and nothing else.

*Data defects* are values: a `Diagnostic` names file, line and column. Loading never stops at
the first problem; it collects them so a clerk can fix a whole file in one pass, the way
`hledger check` and `bean-check` report.

*Operational failures* — a mistake on the command line, an unknown ITEM, a journal that cannot
be written, a folder `init` will not overwrite — are `ZwgkError`s: a message, details to print
under it, and the exit code. They are raised anywhere below the command line, which knows
nothing of typer or click, and turned into a message and an exit code once, by the command
line's handler (zwgk/cli/app.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

EXIT_FINDINGS = 1  # overdue items, a failed check: CI reads it as "the office has work to do"
EXIT_ERROR = 2  # bad data or bad input: nothing was judged or written
EXIT_CRASH = 3  # zwgk's own failure


class ZwgkError(Exception):
    """An operational failure: a message, lines of detail under it, and the exit code."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = tuple(details)


class UserError(ZwgkError):
    """A mistake on the command line: a date that is not a date, a window that is not a window."""


class LookupFailed(ZwgkError):
    """An ITEM or --dept that matches nothing, or more than one thing; `candidates` are the near ones."""

    def __init__(self, message: str, candidates: Iterable[str] = ()) -> None:
        self.candidates = tuple(candidates)
        super().__init__(message, (f"候选:{c}" for c in self.candidates))


class JournalWriteError(ZwgkError):
    """The journal could not be written; the file is left exactly as it was."""


class InitError(ZwgkError):
    """`zwgk init` will not create a repository there (it never overwrites)."""



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


def did_you_mean(word: str, candidates: Iterable[str],
                 spellings: Mapping[str, Iterable[str]] | None = None) -> str | None:
    """The closest known spelling, for 'unknown owner' and 'unknown item' messages.

    `spellings` are other ways of writing a candidate (its pinyin, its initials), in lower case:
    a word nearer one of those than any candidate is to the word suggests that candidate."""
    known = list(candidates)
    matches = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    best = (difflib.SequenceMatcher(None, matches[0], word).ratio(), matches[0]) if matches else None
    if spellings:
        said: dict[str, str] = {}
        for candidate in known:
            for way in spellings.get(candidate, ()):
                said.setdefault(way, candidate)  # two names that sound alike: the first one listed
        folded = "".join(word.split()).lower()
        # Letters of pinyin, a 26-letter alphabet, coincide far more often than characters do: a
        # spelling must share two letters in three, not one in two, to be worth suggesting.
        heard = difflib.get_close_matches(folded, list(said), n=1, cutoff=0.67)
        if heard:
            score = difflib.SequenceMatcher(None, heard[0], folded).ratio()
            if best is None or score > best[0]:
                best = (score, said[heard[0]])
    return best[1] if best else None


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)
