"""The html weekly report in a real browser (Debian's chromium, headless): it renders, it shows
`zwgk status --json`'s numbers, and it asks for nothing from anywhere.

The page carries a Content-Security-Policy of `default-src 'none'`, so any request it tried would
be blocked and logged to the console; chromium's console goes to stderr (`--enable-logging`), and
a control page proves that such a request would be seen. Skipped only when chromium is missing.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from test_weekly import AS_OF, assert_self_contained, hostile, weekly_data  # noqa: F401 (fixtures)

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--enable-logging=stderr", "--v=0")


def browse(page: Path, tmp_path: Path) -> tuple[bytes, str, list[str]]:
    """Screenshot (A4 proportions at 150 dpi), the DOM after rendering, and console messages."""
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1240,1754", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, timeout=90, check=False)
    assert shot.exists(), result.stderr.decode(errors="replace")[-3000:]
    console = [line for line in result.stderr.decode(errors="replace").splitlines() if ":CONSOLE" in line]
    return shot.read_bytes(), result.stdout.decode("utf-8"), console


def render_html(name: str = "report.html") -> Path:
    result = run_cli("report", "--data", "data", "--as-of", AS_OF, "--format", "html", "-o", name)
    assert result.exit_code == 0, result.output
    return Path(name)


def test_the_report_renders_with_status_json_numbers_and_no_requests(
    weekly_data: Path, tmp_path: Path,  # noqa: F811
) -> None:
    page = render_html()
    png, dom, console = browse(page, tmp_path)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    assert struct.unpack(">II", png[16:24]) == (1240, 1754)  # IHDR: the requested size

    counts = json.loads(run_cli("status", "--json", "--data", "data", "--as-of", AS_OF).stdout)["counts"]
    shown = {k: int(v) for k, v in re.findall(r'data-status="(\w+)" data-count="(\d+)"', dom)}
    assert shown.pop("total") == sum(counts.values())
    assert shown == counts
    for status, n in counts.items():  # the number itself is on the page, not only in an attribute
        assert re.search(rf'data-status="{status}" data-count="{n}"><span class="n">{n}</span>', dom)

    # the trend, the chart of what each department leads and is overdue on, the freshness grid
    assert dom.count("<svg") == 3 and 'data-state="met"' in dom
    assert len(re.findall(r'<g data-week="[^"]+" data-overdue="\d+">', dom)) == 5
    assert re.search(r'<g data-dept="[^"]+" data-lead-overdue="\d+">', dom)
    assert "本期新增逾期(1 项)" in dom and "附录:源文自身的缺漏(2 处)" in dom
    assert console == []  # no blocked request, no error
    assert_self_contained(page.read_text(encoding="utf-8"))


def test_a_request_would_have_been_caught(weekly_data: Path, tmp_path: Path) -> None:  # noqa: F811
    """The detector works: the same policy on a page with a remote image logs the blocked load."""
    page = render_html()
    text = page.read_text(encoding="utf-8").replace("</body>", '<img src="http://127.0.0.1:9/x.png"></body>')
    probe = tmp_path / "probe.html"
    probe.write_text(text, encoding="utf-8")
    _, _, console = browse(probe, tmp_path)
    assert any("127.0.0.1:9" in line and "Content Security Policy" in line for line in console), console


def test_hostile_text_renders_as_text(hostile: Path, tmp_path: Path) -> None:  # noqa: F811
    page = render_html()
    png, dom, console = browse(page, tmp_path)
    assert len(png) > 20_000
    assert "<script" not in dom and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<b>局</b>" not in dom
    assert console == []
