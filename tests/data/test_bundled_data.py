"""The bundled data is the whole source, faithfully: counts, verbatim text, owners, and the
end-to-end behaviours the core issue names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import run_cli as run

from zwgk.load import load_dataset
from zwgk.rules.engine import Status, evaluate

DATA = Path(__file__).parents[2] / "data"
SEED = Path(__file__).parents[3] / "shared" / "seed" / "000_34125ed482c3098e.txt"
AS_OF = "2026-11-26"



@pytest.fixture(scope="module")
def dataset():  # type: ignore[no-untyped-def]
    result = load_dataset(DATA)
    assert result.ok, [d.where + " " + d.message for d in result.diagnostics if d.severity == "error"]
    return result.dataset


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.skip(f"the source document is not beside this clone ({SEED})")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def test_every_annex_task_and_column_is_there(dataset) -> None:  # type: ignore[no-untyped-def]
    tasks = [i for i in dataset.items if i.kind == "task"]
    annex = [t.id for t in tasks if re.fullmatch(r"T\d\d", t.id)]
    assert annex == [f"T{n:02d}" for n in range(1, 28)]
    columns = [i for i in dataset.items if i.kind == "column"]
    assert [c.id for c in columns] == [f"C{n:02d}" for n in range(1, len(columns) + 1)]
    assert len(columns) == 67
    assert any(t.id.startswith("B") for t in tasks)


def test_verbatim_fields_appear_word_for_word_in_the_source(dataset, seed: str) -> None:  # type: ignore[no-untyped-def]
    flat = seed.replace("\n", "")
    for item in dataset.items:
        for text in (item.text, item.requirement):
            if text:
                assert text in flat or text in seed, (item.id, text)
        for conflict in item.conflicts:
            assert conflict.phrase in flat, (item.id, conflict.phrase)
    assert not any("九游会" in (i.text or "") + i.title for i in dataset.items)


@pytest.mark.parametrize(
    ("item_id", "lead", "responsible", "phrase"),
    [
        ("T01", ("规划科技处",), ("各处室、单位",), "2017年8月底"),
        ("T04", ("规划科技处", "省宣教中心"), ("各处室、单位",), "长期坚持"),
        ("T15", ("规划科技处", "省宣教中心"), ("各市安全监管局",), "2017年9月底 长期坚持"),
        ("T21", ("规划科技处", "省宣教中心"), (), "2017年11月底 长期坚持"),
        ("T24", ("人事教育处", "办公室"), ("各处室、单位",), "2017年10月底 长期坚持"),
        ("T27", ("机关党委",), (), "长期坚持"),
    ],
)
def test_annex_rows_match_the_source(dataset, item_id, lead, responsible, phrase) -> None:  # type: ignore[no-untyped-def]
    item = dataset.item(item_id)
    assert (item.lead, item.responsible, item.requirement) == (lead, responsible, phrase)


def test_columns_follow_the_annex_table(dataset) -> None:  # type: ignore[no-untyped-def]
    by_path = {i.path: i for i in dataset.items if i.kind == "column"}
    laws = by_path[("政策法规", "法律法规")]
    assert (laws.lead, laws.responsible, laws.rule.cycle) == (("政策法规处",), ("各处室",), "half_year")
    # A merged row (||||) continues the row above.
    assert by_path[("机构设置", "内设部门")].lead == ("人事教育处",)
    # 工作动态 / 宣传培训 was one row in the source.
    assert by_path[("信息公开专题", "工作动态")].lead == by_path[("信息公开专题", "宣传培训")].lead == ("办公室",)
    # 监督保障 has no owner and no requirement; nothing is invented.
    blank = by_path[("信息公开专题", "监督保障")]
    assert (blank.lead, blank.requirement, blank.rule.kind) == ((), None, "unspecified")
    assert ("依申请公开",) in by_path
    enforcement = by_path[("重点领域公开", "监管执法双随机一公开")].rule
    assert (enforcement.unit, enforcement.amount, enforcement.direction) == ("working_days", 3, "before")


def test_owners_and_groups(dataset) -> None:  # type: ignore[no-untyped-def]
    groups = {g.name: g.members for g in dataset.owners.groups}
    assert len(groups["各市安全监管局"]) == 16
    for name in ("各处室", "各处室、单位", "各执法处室", "各承办处室"):
        assert name in groups
    names = {o.name for o in dataset.owners.owners}
    for named in ("办公室", "值班室", "政策法规处", "规划科技处", "运维后台", "人事教育处", "机关党委",
                  "行政审批办", "监管一处", "监管二处", "监管三处", "应急办", "省宣教中心",
                  "局政务公开办", "局政务公开领导小组", "新闻发言人", "局主要负责人"):
        assert named in names


def test_validate_is_clean_and_warns_about_the_sources_own_gaps() -> None:
    result = run("validate", "--data", str(DATA), "--json")
    assert result.exit_code == 0
    warnings = json.loads(result.stdout)["warnings"]
    codes = {(w["code"], w["message"].split()[0]) for w in warnings}
    assert ("gap-no-owner", "C62") in codes
    assert ("gap-unspecified", "T23") in codes
    assert ("gap-conflict", "T08") in codes
    assert not any(w["code"] == "reading-mismatch" for w in warnings)


def test_record_then_status_gives_the_half_year_due_dates(data: Path) -> None:
    assert run("record", "法律法规", "--date", "2026-05-20", "--data", str(data)).exit_code == 0
    def c07(as_of: str) -> dict:  # type: ignore[type-arg]
        doc = json.loads(run("status", "--json", "--as-of", as_of, "--data", str(data)).stdout)
        return next(i for i in doc["items"] if i["id"] == "C07")
    assert {k: c07("2026-06-30")[k] for k in ("status", "due", "last")} == {
        "status": "ok", "due": "2026-06-30", "last": "2026-05-20"}
    h2_open = c07("2026-09-01")
    assert (h2_open["status"], h2_open["due"], h2_open["missed"]) == ("open", "2026-12-31", [])
    assert c07("2026-12-20")["status"] == "due_soon"
    h2_missed = c07("2027-01-01")
    assert (h2_missed["status"], h2_missed["due"], h2_missed["missed"]) == (
        "overdue", "2026-12-31", ["2026-H2"])


def _expected_overdue_ids(dept: str, statuses: dict[str, str]) -> set[str]:
    """An independent reading of 'what is mine': direct, sub-unit, or any group containing dept."""
    owners = yaml.safe_load((DATA / "owners.yaml").read_text(encoding="utf-8"))
    members = {g["name"]: set(g["members"]) for g in owners["groups"]}
    reach = {dept} | {o["name"] for o in owners["owners"] if o.get("part_of") == dept}
    changed = True
    while changed:
        changed = False
        for group, inside in members.items():
            if group not in reach and inside & reach:
                reach.add(group)
                changed = True
    mine = set()
    for name, key, roles in (("tasks.yaml", "tasks", ("lead", "responsible")),
                             ("columns.yaml", "columns", ("lead", "cooperating"))):
        for entry in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))[key]:
            if any(set(entry.get(role) or []) & reach for role in roles):
                mine.add(entry["id"])
    return {i for i in mine if statuses[i] == "overdue"}


def test_overdue_for_a_department_includes_what_it_holds_through_groups() -> None:
    doc = json.loads(run("status", "--json", "--as-of", AS_OF, "--data", str(DATA)).stdout)
    statuses = {i["id"]: i["status"] for i in doc["items"]}
    result = run("overdue", "--dept", "政策法规处", "--json", "--as-of", AS_OF, "--data", str(DATA))
    listed = {i["id"] for i in json.loads(result.stdout)["items"]}
    assert listed == _expected_overdue_ids("政策法规处", statuses)
    assert result.exit_code == 1
    vias = {i["via"] for i in json.loads(result.stdout)["items"]}
    assert None in vias and "各处室" in vias


def test_the_engine_handles_every_rule_in_the_data(dataset) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    evaluation = evaluate(dataset, date(2026, 11, 26))
    assert len(evaluation.statuses) == len(dataset.items)
    by_kind = {(s.item.rule.kind, s.status) for s in evaluation.statuses}
    assert ("event", Status.WAITING) in by_kind and ("unspecified", Status.UNSPECIFIED) in by_kind
