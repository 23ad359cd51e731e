"""The one list of output formats: every `--format` name, what it is, and the renderer of each view.

A view is what one command answers (zwgk/summary/answers.py, or the weekly report); a renderer
is a function in a module of this package that takes that answer and returns what is written:
`str` (written as it is: JSON, CI lines, Markdown, CSV), `bytes` (a file: xlsx), or, for the
terminal, a Rich renderable, a `Listing` (a table on a terminal, aligned columns in a pipe) or
`Lines` (printed one after another, never re-wrapped). `--format` choices, their help text and
the wiring test (tests/test_registry.py) are all derived from the two tables below. Modules are
imported only when their format is asked for, so `status` never imports openpyxl.

To add a format: write its renderer function(s), add one `Format` line, and one line per view it
renders in RENDERERS.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # of a file written in this format
    to_stdout: bool  # where it goes without -o: text for reading to stdout, files to a file
    help: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("text", "txt", True, "终端文字 (text)"),
    Format("json", "json", True, "JSON"),
    Format("md", "md", True, "Markdown"),
    Format("html", "html", False, "网页,可打印 (HTML)"),
    Format("csv", "csv", False, "CSV(Excel/WPS)"),
    Format("xlsx", "xlsx", False, "Excel 工作簿 (xlsx)"),
    Format("github", "txt", True, "GitHub Actions 注解"),
    Format("gitlab", "json", True, "GitLab Code Quality"),
    Format("junit", "xml", True, "JUnit XML"),
)}

# (view, format) → "module:function" in zwgk.report. A view's formats are the keys listed for it.
RENDERERS: dict[tuple[str, str], str] = {
    ("status", "text"): "terminal:status",
    ("status", "json"): "jsonout:status",
    ("status-units", "text"): "terminal:units_status",
    ("status-units", "json"): "jsonout:units_status",
    ("overdue", "text"): "terminal:overdue",
    ("overdue", "json"): "jsonout:overdue",
    ("upcoming", "text"): "terminal:upcoming",
    ("upcoming", "json"): "jsonout:upcoming",
    ("agenda", "text"): "terminal:agenda",
    ("agenda", "json"): "jsonout:agenda",
    ("show", "text"): "terminal:show",
    ("show", "json"): "jsonout:show",
    ("log", "text"): "terminal:log",
    ("log", "json"): "jsonout:log",
    ("validate", "text"): "diagnostics:validate",
    ("validate", "json"): "jsonout:validate",
    ("check", "text"): "ci:text",
    ("check", "github"): "ci:github",
    ("check", "gitlab"): "ci:gitlab",
    ("check", "junit"): "ci:junit",
    ("check", "json"): "ci:json_report",
    ("report", "md"): "markdown:render",
    ("report", "json"): "weekly_json:render",
    ("report", "html"): "html:render",
    ("report", "csv"): "csvout:render",
    ("report", "xlsx"): "xlsx:render",
    ("report-units", "md"): "markdown:render_rollup",
    ("report-units", "json"): "weekly_json:render_rollup",
    ("report-units", "html"): "html:render_rollup",
    ("report-units", "csv"): "csvout:render_rollup",
    ("report-units", "xlsx"): "xlsx:render_rollup",
    ("inspect", "text"): "inspect:text",
    ("inspect", "json"): "inspect:as_json",
    ("inspect", "html"): "inspect:html",
    ("inspect-units", "text"): "inspect:text",
    ("inspect-units", "json"): "inspect:as_json",
    ("inspect-units", "html"): "inspect:html",
    ("scan", "text"): "scan:text",
    ("scan", "json"): "scan:as_json",
}

# The views each command can answer with (one unit, or many): all must offer the same formats.
COMMAND_VIEWS: dict[str, tuple[str, ...]] = {
    "status": ("status", "status-units"),
    "overdue": ("overdue",),
    "upcoming": ("upcoming",),
    "agenda": ("agenda",),
    "show": ("show",),
    "log": ("log",),
    "validate": ("validate",),
    "check": ("check",),
    "report": ("report", "report-units"),
    "inspect": ("inspect", "inspect-units"),
    "scan": ("scan",),
}


def formats_of(command: str) -> tuple[str, ...]:
    """The --format choices of a command, in the order RENDERERS lists them (the first is the default)."""
    view = COMMAND_VIEWS[command][0]
    return tuple(name for v, name in RENDERERS if v == view)


def choices_help(command: str) -> str:
    return " | ".join(formats_of(command))


def renderer(view: str, format_name: str) -> Callable[[Any], Any]:
    """The function that renders `view` in `format_name`; its module is imported now."""
    module, function = RENDERERS[(view, format_name)].split(":")
    found: Callable[[Any], Any] = getattr(importlib.import_module(f"zwgk.report.{module}"), function)
    return found
