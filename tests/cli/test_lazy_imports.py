"""Commands import only what they need: a dashboard never pays for the holiday calendar,
the file lock or the XML writer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).parents[1] / "fixtures" / "mini"

PROBE = """
import json, sys
from zwgk.cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
heavy = ["holidays", "filelock", "xml.etree.ElementTree", "openpyxl", "jinja2", "icalendar"]
sys.stderr.write(json.dumps([m for m in heavy if m in sys.modules]))
"""


def imported_by(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_status_imports_no_heavy_module() -> None:
    assert imported_by("status", "--data", str(MINI), "--as-of", "2026-11-26") == []


def test_overdue_and_validate_import_no_heavy_module() -> None:
    assert imported_by("overdue", "--data", str(MINI), "--as-of", "2026-11-26") == []
    assert imported_by("validate", "--data", str(MINI)) == []


def test_the_text_gate_imports_nothing_heavy() -> None:
    assert imported_by("check", "--data", str(MINI), "--as-of", "2026-11-26") == []


def test_the_junit_format_imports_only_the_xml_writer() -> None:
    assert imported_by("check", "--data", str(MINI), "--format", "junit") == ["xml.etree.ElementTree"]


def test_due_needs_the_holiday_calendar() -> None:
    assert "holidays" in imported_by("due", "事故快讯", "--from", "2026-10-01", "--data", str(MINI))
