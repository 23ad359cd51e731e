"""The harness's scenarios beyond "a command, cold then warm" (issue 16):

- *record, then status*: each round appends one `zwgk record` to the province's 200,000-record
  journal (untimed), then times `zwgk status` over the workspace — what an office sees right
  after registering work. It runs on a copy of the province, so the fixture is never changed.
- *scan*: `zwgk scan --dry-run --delay 0` of SCAN_PAGES list pages on the local test website
  (zwgk/bench/website.py, on 127.0.0.1, SCAN_LATENCY seconds added to every answer), compared
  with the least any fetcher needs: pages × latency ÷ the client's concurrency limit. The data
  is a copy of the bundled data with as many columns as pages. Skipped, with the reason in the
  notes, while the website or `zwgk scan` is missing.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from zwgk.bench import AS_OF
from zwgk.bench.results import RECORD_LABEL, SCAN_LABEL_START

if TYPE_CHECKING:
    from zwgk.bench.run import Bench, Probe

SCAN_PAGES = 134
SCAN_LATENCY = 0.1
SCAN_LABEL = f"{SCAN_LABEL_START}{SCAN_PAGES} list pages, {SCAN_LATENCY * 1000:.0f} ms latency each"
RECORD_UNIT = "省局"
RECORD_ITEM = "C01"


def record_then_status(bench: Bench, province: Path) -> list[Probe]:
    """The record-then-status probe, on a copy of the province (made once, its cache primed)."""
    from zwgk.bench.run import Probe

    copy = bench.work / "province-record"
    if not copy.exists():
        shutil.copytree(province, copy, ignore=shutil.ignore_patterns(".zwgk-cache"))
    status = [sys.executable, "-m", "zwgk", "status", "--workspace", str(copy / "zwgk.yaml"),
              "--as-of", AS_OF.isoformat()]
    record = [sys.executable, "-m", "zwgk", "record", RECORD_ITEM, "--data", str(copy / RECORD_UNIT),
              "--date", AS_OF.isoformat(), "--note", "基准测试登记", "--again"]  # one more each round
    def run(command: list[str]) -> None:
        done = subprocess.run(command, env=bench.env, cwd=bench.work, capture_output=True, check=False)
        if done.returncode not in (0, 1):  # status exits 1 on overdue items
            raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n"
                               f"{done.stderr.decode('utf-8', 'replace')[-2000:]}")

    def before() -> None:
        # The office's steady state, every round (the cold probes of the same round empty the
        # cache): the snapshots made, a record, the status that keeps the journal's base (the
        # first load after a journal changes), then the record whose status is timed.
        for command in (status, record, status, record):
            run(command)

    return [Probe("province", RECORD_LABEL, status, before=before)]


def scan_floor_ms() -> float | None:
    try:
        from zwgk.scan.client import CONCURRENCY
    except ImportError:
        return None
    return SCAN_PAGES * SCAN_LATENCY * 1000 / CONCURRENCY


@contextlib.contextmanager
def scan_probes(bench: Bench) -> Iterator[tuple[list[Probe], list[str]]]:
    """The scan probes (cold: its cache emptied; warm: conditional requests answered 304), with
    the local website running while they are measured; none, and why, when it cannot run."""
    from zwgk.bench.run import Probe

    try:
        from zwgk.bench.website import list_pages
    except ImportError:
        yield [], ["scan: skipped — zwgk/bench/website.py (the local test website) is not there yet"]
        return
    floor = scan_floor_ms()
    if floor is None or not _has_scan():
        yield [], ["scan: skipped — `zwgk scan` is not there yet"]
        return
    site = list_pages(SCAN_PAGES, latency=SCAN_LATENCY)
    with site:
        data = scan_data(bench.work / "scan-data", site.site_yaml)
        command = [sys.executable, "-m", "zwgk", "scan", "--data", str(data), "--dry-run", "--delay", "0"]
        probes = [Probe("scan", SCAN_LABEL, command, cold=True, before=_clear_cache(bench)),
                  Probe("scan", SCAN_LABEL, command)]
        yield probes, [f"scan: {SCAN_PAGES} pages on {site.url}, {SCAN_LATENCY * 1000:.0f} ms added to "
                       f"each answer; floor {floor:.0f} ms = pages × latency ÷ the concurrency limit"]


def _has_scan() -> bool:
    import importlib.util

    return importlib.util.find_spec("zwgk.cli.scan") is not None


def _clear_cache(bench: Bench) -> Callable[[], None]:
    def clear() -> None:
        shutil.rmtree(bench.cache, ignore_errors=True)
    return clear


def scan_data(folder: Path, site_yaml: Callable[[list[str]], str]) -> Path:
    """The bundled data with SCAN_PAGES columns (its own, then copies of the first one), and a
    site.yaml mapping each to one list page of the site."""
    from zwgk.bench.generate import bundled_data

    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(bundled_data(), folder, ignore=shutil.ignore_patterns("journal", ".zwgk-cache"))
    columns = folder / "columns.yaml"
    text = columns.read_text(encoding="utf-8")
    own = [line.split("id:", 1)[1].strip() for line in text.splitlines() if line.startswith("  - id: ")]
    extra = [f"C{500 + n}" for n in range(max(0, SCAN_PAGES - len(own)))]
    added = "".join(f"\n  - id: {item}\n    path: [巡检基准, 栏目{item}]\n    lead: [办公室]\n"
                    "    requirement: 每季度不少于1次更新\n    rule: {kind: periodic, cycle: quarter}\n"
                    for item in extra)
    columns.write_text(text.rstrip("\n") + "\n" + added, encoding="utf-8")
    (folder / "site.yaml").write_text(site_yaml((own + extra)[:SCAN_PAGES]), encoding="utf-8")
    return folder
