"""Many units, one picture: a province and two cities that follow its catalogue."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli as run

PROVINCE = Path(__file__).parents[1] / "fixtures" / "province"
AS_OF = "2026-11-26"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    target = tmp_path / "province"
    shutil.copytree(PROVINCE, target)
    return target / "zwgk.yaml"


def as_json(*args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(run(*args, "--json").stdout)


class TestInheritance:
    def test_a_city_inherits_drops_overrides_and_adds(self, workspace: Path) -> None:
        doc = as_json("validate", "--data", str(workspace.parent / "合肥"))
        assert doc["inherits"]["overridden"] == ["C04"]
        assert sorted(doc["inherits"]["dropped"]) == ["C03", "T05"]
        assert doc["inherits"]["added"] == ["C90"]
        items = {i["id"]: i for i in as_json("status", "--data", str(workspace.parent / "合肥"),
                                            "--as-of", AS_OF)["items"]}
        assert "T05" not in items and "C03" not in items
        assert items["C04"]["lead"] == ["办公室"]  # overridden
        assert items["C04"]["rule"]["cycle"] == "half_year"
        assert items["C01"]["lead"] == ["政策法规处"]  # inherited as is
        assert items["C90"]["source"].endswith("合肥/columns.yaml:2")

    def test_validate_shows_the_resolved_set(self, workspace: Path) -> None:
        result = run("validate", "--data", str(workspace.parent / "合肥"))
        assert result.exit_code == 0
        assert "继承自" in result.stdout and "覆盖 C04" in result.stdout and "新增 C90" in result.stdout

    def test_overrides_and_drops_that_point_at_nothing_are_errors(self, workspace: Path) -> None:
        city = workspace.parent / "合肥"
        text = (city / "columns.yaml").read_text(encoding="utf-8")
        (city / "columns.yaml").write_text(text.replace("- id: C04", "- id: C40").replace(
            "drop: [C03]", "drop: [C33]"), encoding="utf-8")
        result = run("validate", "--data", str(city))
        assert result.exit_code == 2
        assert "columns.yaml:8:9: 错误 [override-points-at-nothing]" in result.output
        assert "是否是 'C04'" in result.output
        assert "[drop-points-at-nothing]" in result.output

    def test_an_override_with_a_bad_field_points_at_the_childs_line(self, workspace: Path) -> None:
        city = workspace.parent / "合肥"
        text = (city / "columns.yaml").read_text(encoding="utf-8")
        (city / "columns.yaml").write_text(text.replace("lead: [办公室]\n    requirement",
                                                        "lead: 办公室\n    requirement"), encoding="utf-8")
        result = run("validate", "--data", str(city))
        assert result.exit_code == 2
        assert "columns.yaml:9:11: 错误 [tuple_type]" in result.output

    def test_units_that_follow_each_other_in_a_circle_are_an_error(self, workspace: Path) -> None:
        province = workspace.parent / "省局" / "settings.yaml"
        province.write_text(province.read_text(encoding="utf-8") + "follows: ../合肥\n", encoding="utf-8")
        result = run("validate", "--data", str(workspace.parent / "合肥"))
        assert result.exit_code == 2 and "[follows-cycle]" in result.output


class TestAcrossUnits:
    def test_status_ranks_units_and_qualifies_ids(self, workspace: Path) -> None:
        doc = as_json("status", "--workspace", str(workspace), "--as-of", AS_OF)
        assert [u["name"] for u in doc["units"]][-1] == "合肥"  # fewest overdue last
        hefei = next(u for u in doc["units"] if u["name"] == "合肥")
        assert (hefei["columns"], hefei["columns_on_time"]) == (4, 2)
        assert {b["group"] for b in hefei["behind"]} == {"合肥专栏", "新闻发布"}
        ids = {i["id"] for i in doc["items"]}
        assert {"合肥/C90", "芜湖/C03", "省局/T05"} <= ids and "合肥/C03" not in ids
        assert all(i["unit"] and i["id"].startswith(i["unit"] + "/") for i in doc["items"])

    def test_the_text_dashboard_says_who_is_behind_on_what(self, workspace: Path) -> None:
        result = run("status", "--workspace", str(workspace), "--as-of", AS_OF)
        assert result.exit_code == 0
        assert "合肥专栏:1" in result.stdout and "50%(2/4)" in result.stdout

    def test_unit_filter_and_department_across_units(self, workspace: Path) -> None:
        doc = as_json("overdue", "--workspace", str(workspace), "--as-of", AS_OF, "--dept", "办公室",
                      "--unit", "合肥", "--unit", "芜湖")
        units = {i["unit"] for i in doc["items"]}
        assert units == {"合肥", "芜湖"}
        assert "合肥/C90" in {i["id"] for i in doc["items"]}

    def test_repeated_data_options_make_a_workspace(self, workspace: Path) -> None:
        root = workspace.parent
        doc = as_json("upcoming", "--data", str(root / "省局"), "--data", str(root / "合肥"),
                      "--within", "60d", "--as-of", AS_OF)
        assert {i["unit"] for i in doc["items"]} == {"测试省局", "合肥市安全监管局"}

    def test_a_workspace_file_in_the_current_folder_is_used(self, workspace: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(workspace.parent)
        monkeypatch.delenv("ZWGK_DATA", raising=False)
        doc = as_json("status", "--as-of", AS_OF)
        assert len(doc["units"]) == 3

    def test_a_broken_unit_reports_its_own_errors_while_the_others_still_report(
        self, workspace: Path
    ) -> None:
        wuhu = workspace.parent / "芜湖" / "settings.yaml"
        wuhu.write_text("unit: 芜湖市安全监管局\ntracking_since: 2026-02-30\nfollows: ../省局\n",
                        encoding="utf-8")
        result = run("check", "--workspace", str(workspace), "--as-of", AS_OF)
        assert result.exit_code == 2
        assert "芜湖/settings.yaml:2:17: 错误 [impossible-date]" in result.output
        assert "合肥/C90" in result.output and "省局/C02" in result.output
        status = run("status", "--workspace", str(workspace), "--as-of", AS_OF)
        assert status.exit_code == 2 and "数据有误,未计入" in status.stdout

    def test_check_across_units_annotates_each_units_own_files(self, workspace: Path) -> None:
        result = run("check", "--workspace", str(workspace), "--as-of", AS_OF, "--format", "github")
        assert result.exit_code == 1
        assert "合肥/columns.yaml,line=2,title=逾期 合肥/C90::" in result.stdout
        assert "省局/columns.yaml,line=20,title=逾期 芜湖/C04::" in result.stdout  # inherited entry


def test_init_a_city_that_follows_the_province(tmp_path: Path) -> None:
    province = tmp_path / "province"
    shutil.copytree(PROVINCE / "省局", province / "data")
    city = tmp_path / "hefei"
    result = run("init", str(city), "--unit", "合肥市安全监管局", "--follows", str(province / "data"),
                 "--no-git")
    assert result.exit_code == 0, result.output
    doc = as_json("validate", "--data", str(city / "data"))
    assert doc["errors"] == [] and doc["inherits"]["added"] == []
    assert len(doc["inherits"]["inherited"]) == 9
    assert run("check", "--data", str(city / "data")).exit_code == 0
