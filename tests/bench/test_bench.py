"""The benchmark tooling: deterministic fixtures at 1/100 scale, and the harness's pure parts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from zwgk.bench import AS_OF
from zwgk.bench.generate import CITIES, generate
from zwgk.bench.results import (
    DEPT,
    IMPORT_FLOOR,
    Row,
    Sample,
    Target,
    format_table,
    format_targets,
    median_sample,
    targets,
)
from zwgk.journal import encode
from zwgk.models import journal_adapter

SCALE = 0.01
ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    generate(folder, seed=7, scale=SCALE)
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def journal_lines(folder: Path) -> list[str]:
    return [line for path in sorted(folder.rglob("journal/*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_same_seed_gives_byte_identical_files(out: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=7, scale=SCALE)
    assert files(tmp_path) == files(out)


def test_another_seed_gives_other_journals(out: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=8, scale=SCALE, only=("big",))
    assert journal_lines(tmp_path / "big") != journal_lines(out / "big")


@pytest.mark.parametrize("selector", [
    ["--data", "big"], ["--data", "items10k"], ["--workspace", "province/zwgk.yaml"]])
def test_fixtures_validate(out: Path, tmp_path: Path, selector: list[str]) -> None:
    env = {**os.environ, "ZWGK_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "zwgk", "validate", selector[0], str(out / selector[1])],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_province_has_17_units_following_the_province(out: Path) -> None:
    units = yaml.safe_load((out / "province" / "zwgk.yaml").read_text(encoding="utf-8"))["units"]
    assert [u["name"] for u in units] == ["省局", *CITIES]
    for city in CITIES:
        settings = yaml.safe_load((out / "province" / city / "settings.yaml").read_text(encoding="utf-8"))
        assert settings["follows"] == "../省局"
        assert settings["unit"] == f"{city}市安全监管局"


def test_record_counts_at_scale(out: Path) -> None:
    assert len(journal_lines(out / "big")) == 200
    assert len(journal_lines(out / "province")) == 2000
    tasks = yaml.safe_load((out / "items10k" / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    assert len(tasks) == 100
    assert 0 < len(journal_lines(out / "items10k")) < 100
    manifest = json.loads((out / "fixtures.json").read_text(encoding="utf-8"))
    assert [f["records"] for f in manifest["fixtures"]] == [200, 2000, len(journal_lines(out / "items10k"))]


def test_big_journal_spans_ten_years(out: Path) -> None:
    years = sorted(p.stem for p in (out / "big" / "journal").glob("*.jsonl"))
    assert years[0] >= "2017"
    assert years[-1] == "2026"


def test_journal_lines_are_what_zwgk_writes(out: Path) -> None:
    seen = set()
    for folder in ("big", "province", "items10k"):
        for path in sorted((out / folder).rglob("journal/*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                entry = journal_adapter().validate_python(json.loads(line))
                assert encode(entry) == (line + "\n").encode()
                assert ID.match(entry.id)
                assert entry.at[:4] == path.stem  # grouped by the year of `at`
                assert entry.date.isoformat() <= entry.at[:10] <= AS_OF.isoformat()
                seen.add((path.parent, entry.id))
    types = {json.loads(line)["type"] for line in journal_lines(out / "province")}
    assert types == {"record", "event"}


def test_event_records_name_a_real_event(out: Path) -> None:
    entries = [json.loads(line) for line in journal_lines(out / "big")]
    events = {e["id"] for e in entries if e["type"] == "event"}
    fulfilling = [e for e in entries if e.get("event")]
    assert fulfilling
    assert all(e["event"] in events for e in fulfilling)


def test_items10k_leads_spread_over_departments(out: Path) -> None:
    tasks = yaml.safe_load((out / "items10k" / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    leads = {t["lead"][0] for t in tasks}
    assert DEPT in leads
    assert len(leads) >= 5
    assert all(t["rule"]["kind"] == "deadline" and 2020 <= t["rule"]["due"].year <= 2030 for t in tasks)
    exported = (out / "items10k" / "taskwarrior.json").read_text(encoding="utf-8").splitlines()
    assert len(exported) == 100


# --- the harness's pure parts ---------------------------------------------------------------


FLOOR = f"floor: python -c '{IMPORT_FLOOR}'"


def fake_rows() -> list[Row]:
    return [
        Row("(none)", FLOOR, None, 100.0, 30.0),
        Row("bundled", "zwgk status", 130.0, 110.0, 40.0),
        Row("province", "zwgk status", 400.0, 60.0, 420.5),
        Row("province", "floor: CSafeLoader load", None, 1000.0, 90.0),
        Row("items10k", f"zwgk overdue --dept {DEPT}", 300.0, 90.0, 200.0),
        Row("items10k", f"task overdue project:{DEPT}", None, 100.0, 50.0),
    ]


def test_targets_on_fake_timings() -> None:
    found = targets(fake_rows())
    assert [(t.measured, t.verdict) for t in found] == [
        (1.3, "MISS"), (1.1, "MISS"),
        (0.4, "PASS"), (0.06, "MISS"), (420.5, "MISS"),
        (None, "n/a"), (None, "n/a"), (420.5, "MISS"),
        (3.0, "PASS"), (0.9, "MISS"),
        (None, "n/a"), (None, "n/a"),
    ]


def test_the_new_scenarios_targets_on_fake_timings() -> None:
    from zwgk.bench.results import RECORD_LABEL, SCAN_FLOOR

    rows = [*fake_rows(), Row("province", RECORD_LABEL, None, 25.0, 150.0),
            Row("province", "zwgk report --format html", 900.0, 40.0, 190.0),
            Row("scan", "zwgk scan of 134 list pages, 100 ms latency each", 4000.0, 3600.0, 60.0),
            Row("scan", SCAN_FLOOR, None, 3350.0, None)]
    found = {t.label: (round(t.measured, 3) if t.measured else None, t.verdict) for t in targets(rows)}
    assert found[f"province: {RECORD_LABEL} ≤ 0.03 × CSafeLoader load"] == (0.025, "PASS")
    assert found["province: zwgk report --format html (warm) ≤ 0.05 × CSafeLoader load"] == (0.04, "PASS")
    assert found["scan (cold) ≤ 1.3 × pages × latency ÷ concurrency limit"] == (1.194, "PASS")
    assert found["scan (warm) ≤ 1.3 × pages × latency ÷ concurrency limit"] == (1.075, "PASS")


def test_the_scan_data_has_a_column_for_every_page(tmp_path: Path) -> None:
    from zwgk.bench.scenarios import SCAN_PAGES, scan_data

    def site_yaml(ids: list[str]) -> str:
        return "site: http://127.0.0.1:9/\ncolumns:\n" + "".join(f"  {i}: /c/{n}/\n" for n, i in enumerate(ids))

    data = scan_data(tmp_path / "data", site_yaml)
    env = {**os.environ, "ZWGK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "zwgk", "validate", "--data", str(data)],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    mapped = yaml.safe_load((data / "site.yaml").read_text(encoding="utf-8"))["columns"]
    assert len(mapped) == SCAN_PAGES


def test_missing_rows_are_not_applicable() -> None:
    found = targets([Row("(none)", FLOOR, None, 100.0, 30.0)])
    assert {t.verdict for t in found} == {"n/a"}
    assert "not measured — n/a" in format_targets(found)


def test_format_targets() -> None:
    text = format_targets([Target("a ≤ 1.2 × b", 1.25, 1.2, detail="125 ms / 100 ms"),
                           Target("rss ≤ 400 MB", 123.45, 400.0, unit=" MB")])
    assert text == "- a ≤ 1.2 × b: 1.250× (125 ms / 100 ms) — MISS\n- rss ≤ 400 MB: 123.5 MB — PASS"


def test_format_table() -> None:
    table = format_table([Row("bundled", "zwgk status", 329.4, 330.6, 39.44),
                          Row("(none)", "floor", None, 101.0, 31.0)])
    assert table.splitlines() == [
        "| fixture | command | cold ms | warm ms | peak RSS MB |",
        "|---|---|---:|---:|---:|",
        "| bundled | zwgk status | 329 | 331 | 39.4 |",
        "| (none) | floor | — | 101 | 31.0 |",
    ]


def test_median_sample_takes_median_time_and_peak_rss() -> None:
    assert median_sample([Sample(3, 10), Sample(1, 30), Sample(2, 20)]) == Sample(2, 30)


def test_runs_are_interleaved_round_by_round(tmp_path: Path) -> None:
    """Each round runs every probe once, in order, so a ratio compares runs made side by side."""
    from zwgk.bench.run import Probe, interleaved

    log = tmp_path / "order.txt"

    def writes(name: str) -> list[str]:
        return [sys.executable, "-c", f"open({str(log)!r}, 'a').write({name!r})"]

    cleared: list[str] = []
    probes = [Probe("fx", "a", writes("a"), cold=True, before=lambda: cleared.append("a")),
              Probe("fx", "a", writes("A")),
              Probe("(none)", "floor", writes("f"))]
    rows = interleaved(probes, dict(os.environ), tmp_path, repeat=3)
    assert log.read_text() == "aAf" * 3
    assert cleared == ["a"] * 3, "the cache is emptied before each cold run only"
    assert [(r.fixture, r.command, r.cold_ms is not None, r.warm_ms is not None) for r in rows] == [
        ("fx", "a", True, True), ("(none)", "floor", False, True)]
