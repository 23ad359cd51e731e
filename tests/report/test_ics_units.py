"""`zwgk ics --out-dir` in a workspace: one feed per unit, whose events are exactly the combined
feed's, split by unit (same UIDs, so a calendar holding both never doubles an event)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli

PROVINCE = Path(__file__).parents[1] / "fixtures" / "province"
AS_OF = "2026-11-26T12:00"
UNITS = ("省局", "合肥", "芜湖")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PROVINCE, tmp_path / "province")
    monkeypatch.chdir(tmp_path)
    return Path("province") / "zwgk.yaml"


def uids(raw: bytes) -> dict[str, str]:
    from icalendar import Calendar

    return {str(e["uid"]): str(e["summary"]) for e in Calendar.from_ical(raw).walk("VEVENT")}


def test_one_feed_per_unit_splits_the_combined_feed(workspace: Path) -> None:
    combined = run_cli("ics", "--workspace", str(workspace), "--as-of", AS_OF)
    assert combined.exit_code == 0, combined.output
    result = run_cli("ics", "--workspace", str(workspace), "--as-of", AS_OF, "--out-dir", "feeds")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in Path("feeds").iterdir()) == sorted(f"{u}.ics" for u in UNITS)
    together: dict[str, str] = {}
    for unit in UNITS:
        mine = uids(Path("feeds", f"{unit}.ics").read_bytes())
        assert mine and all(summary.startswith(f"【{unit}】") for summary in mine.values()), unit
        assert not together.keys() & mine.keys()
        together |= mine
    assert together == uids(combined.stdout_bytes)


def test_one_feed_per_unit_for_a_department(workspace: Path) -> None:
    result = run_cli("ics", "--workspace", str(workspace), "--as-of", AS_OF, "--out-dir", "feeds",
                     "--dept", "规划科技处")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in Path("feeds").iterdir())
    assert names == sorted(f"{u}-规划科技处.ics" for u in UNITS)
    assert "规划科技处" in Path("feeds", "合肥-规划科技处.ics").read_text(encoding="utf-8")


def test_a_broken_unit_gets_no_file_and_the_others_do(workspace: Path) -> None:
    (workspace.parent / "芜湖" / "settings.yaml").write_text(
        "unit: 芜湖市安全监管局\ntracking_since: someday\nfollows: ../省局\n", encoding="utf-8")
    result = run_cli("ics", "--workspace", str(workspace), "--as-of", AS_OF, "--out-dir", "feeds")
    assert result.exit_code == 2
    assert "province/芜湖/settings.yaml:2:" in result.output
    assert sorted(p.name for p in Path("feeds").iterdir()) == ["合肥.ics", "省局.ics"]
