"""zwgk.load.load_dataset: one run lists every error that can be known.

A plan file with schema errors is validated entry by entry, and the cross-file checks (owners,
duplicate ids, rules) run on whatever is sound: a clerk who fixes five errors is not shown four
more the next time. What cannot be known is not guessed at: an owner in an entry that did not
validate is still a known owner, and with a misspelt `owners:` no reference is called unknown.
"""

from __future__ import annotations

from pathlib import Path

from conftest import write_yaml

from zwgk.errors import Diagnostic
from zwgk.load import load_dataset


def found(data: Path) -> list[tuple[str, int | None, int | None, str]]:
    result = load_dataset(data)
    assert result.dataset is None
    return [(Path(d.path).name, d.line, d.col, d.code) for d in result.diagnostics
            if d.severity == "error"]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_schema_error_in_one_task_hides_no_other_tasks_unknown_owner(mini_data: Path) -> None:
    edit(mini_data / "tasks.yaml", "title: 一次性任务", "title: 123")
    edit(mini_data / "tasks.yaml", "lead: [政策法规处]", "lead: [政策法规科]")
    assert found(mini_data) == [("tasks.yaml", 4, 12, "string_type"), ("tasks.yaml", 14, 12, "unknown-owner")]


def test_a_duplicate_id_across_files_is_found_beside_a_schema_error(mini_data: Path) -> None:
    edit(mini_data / "tasks.yaml", "title: 一次性任务", "title: 123")
    edit(mini_data / "columns.yaml", "id: C04", "id: T02")
    assert found(mini_data) == [("tasks.yaml", 4, 12, "string_type"), ("columns.yaml", 20, 9, "duplicate-id")]


def test_a_broken_file_does_not_stop_the_checks_of_the_others(mini_data: Path) -> None:
    edit(mini_data / "tasks.yaml", "  - id: T02\n", "  - id: T02\n\t")  # a tab: tasks.yaml cannot be read
    edit(mini_data / "columns.yaml", "lead: [规划科技处]", "lead: [规划科]")
    edit(mini_data / "settings.yaml", "warn_days: 14", "warn_days: -1")
    assert [code for *_, code in found(mini_data)] == ["greater_than_equal", "yaml-syntax", "unknown-owner"]


def test_an_owner_whose_own_entry_has_an_error_is_not_unknown(mini_data: Path) -> None:
    # 规划科技处's kind is misspelt: that is the error; the tasks naming it name a known owner
    edit(mini_data / "owners.yaml", "  - name: 规划科技处\n    kind: department",
         "  - name: 规划科技处\n    kind: departmnt")
    edit(mini_data / "owners.yaml", "  - name: 值班室\n    kind: sub_unit\n    part_of: 办公室",
         "  - name: 值班室\n    kind: sub_unit\n    part_of: 规划科技处")
    assert [code for *_, code in found(mini_data)] == ["literal_error"]


def test_a_misspelt_owners_list_calls_no_reference_unknown(mini_data: Path) -> None:
    edit(mini_data / "owners.yaml", "owners:", "owner:")
    assert [code for *_, code in found(mini_data)] == ["extra_forbidden"]


def test_an_owner_list_with_a_bad_entry_still_checks_the_good_ones(mini_data: Path) -> None:
    edit(mini_data / "owners.yaml", "  - name: 局主要负责人\n    kind: role",
         "  - name: 局主要负责人\n    kind: role\n  - kind: role\n  - name: 办公室\n    kind: role")
    assert found(mini_data) == [("owners.yaml", 15, 5, "missing"), ("owners.yaml", 16, 11, "duplicate-owner")]


def test_calendar_and_journal_errors_come_in_the_same_run(mini_data: Path) -> None:
    edit(mini_data / "tasks.yaml", "title: 一次性任务", "title: 123")
    write_yaml(mini_data, "calendar.yaml", "days:\n  - {date: 2027-02-07, working: nope}\n")
    write_yaml(mini_data, "journal/2026.jsonl", '{"id": broken\n')
    assert [code for *_, code in found(mini_data)] == ["string_type", "calendar", "journal-syntax"]


def test_the_sources_gaps_and_unknown_journal_items_wait_for_a_whole_plan(mini_data: Path) -> None:
    # T01 does not validate, so a record for it is not "for an unknown item"; the source's gaps
    # (T05 has no owner) are shown once the plan loads
    edit(mini_data / "tasks.yaml", "title: 一次性任务", "title: 123")
    write_yaml(mini_data, "journal/2026.jsonl",
               '{"id": "20261101-090000-00000001", "type": "record", "item": "T01", "date": "2026-11-01", '
               '"at": "2026-11-01T09:00:00+08:00"}\n')
    diagnostics: tuple[Diagnostic, ...] = load_dataset(mini_data).diagnostics
    assert [d.code for d in diagnostics] == ["string_type"]


def test_a_following_unit_whose_settings_do_not_validate_reports_only_those(mini_data: Path,
                                                                             tmp_path: Path) -> None:
    child = tmp_path / "city"
    # its tasks.yaml holds changes to the parent's (`drop:`), not a plan of its own
    write_yaml(child, "settings.yaml", "unit: 市局\ntracking_since: 2026-01-01\nwarn_days: -1\nfollows: ../data\n")
    write_yaml(child, "tasks.yaml", "drop: [T05]\n")
    assert [code for *_, code in found(child)] == ["greater_than_equal"]


def test_a_file_typed_with_full_width_colons_throughout_says_so(mini_data: Path) -> None:
    # every `key： value` reads as one long text: the file is not a mapping, and why
    write_yaml(mini_data, "settings.yaml", "unit： 测试局\ntracking_since： 2026-01-01\n")
    [problem] = [d for d in load_dataset(mini_data).diagnostics if d.severity == "error"]
    assert problem.code == "not-a-mapping"
    assert (problem.hint or "").startswith("值中有全角冒号“：”,请改为半角冒号“:”")
