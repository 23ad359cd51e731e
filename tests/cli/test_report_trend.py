"""The weekly report's trend — the overdue count at each of the four week-ends before, then this
week's — is the same judgement `status` makes on those days, whether it comes from the store's
snapshots (a repeated report) or from the engine run again (no cache)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import TESTS, run_cli

PROVINCE = TESTS / "fixtures" / "province"


def report(*args: str, env: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    result = run_cli("report", "--as-of", "2026-11-26", "--format", "json", *args, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def overdue_on(day: str, *args: str) -> int:
    result = run_cli("status", "--as-of", day, "--json", *args)
    return sum(1 for i in json.loads(result.stdout)["items"] if i["status"] == "overdue")


def test_the_trend_is_statuss_overdue_count_at_each_week_end(mini_data: Path) -> None:
    trend = report("--data", str(mini_data))["trend"]
    assert [t["week"] for t in trend] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert [t["current"] for t in trend] == [False] * 4 + [True]
    for point in trend:
        assert point["overdue"] == overdue_on(point["day"], "--data", str(mini_data)), point


@pytest.mark.parametrize("cached", [True, False])
def test_kept_judgements_and_fresh_ones_give_the_same_report(tmp_path: Path, cached: bool) -> None:
    shutil.copytree(PROVINCE, tmp_path / "province")
    workspace = str(tmp_path / "province" / "zwgk.yaml")
    env = {} if cached else {"ZWGK_NO_CACHE": "1"}
    first = report("--workspace", workspace, env=env)
    again = report("--workspace", workspace, env=env)  # the earlier week-ends now from snapshots
    fresh = report("--workspace", workspace, env={"ZWGK_NO_CACHE": "1"})
    assert first == again == fresh
