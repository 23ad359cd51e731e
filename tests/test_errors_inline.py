"""Loader error kinds whose bad data the test writes itself, through `zwgk validate`.

The reproducers kept as folders are in tests/errors/ (run by test_errors.py). These are the ones
generated inline: byte-level defects (encodings, line endings, huge or binary files), YAML that
must be refused, journals built line by line, and `--json` output. Each test runs on a fresh copy
of tests/fixtures/mini at tmp_path/data with `--data data`, so every message starts `data/<file>:`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import block, write_yaml
from test_errors import assert_excerpt, cells, error_count, validate, where

ENTRY = (
    '{{"id": "{id}", "type": "record", "item": "{item}", "date": "{day}", '
    '"at": "{day}T09:00:00+08:00"}}'
)


@pytest.fixture
def data(mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini dataset at ./data (cwd is tmp_path)."""
    monkeypatch.chdir(mini_data.parent)
    return mini_data


# --- --json --------------------------------------------------------------------------------------


def test_json_lists_errors_and_warnings_with_positions(data: Path) -> None:
    (data / "owners.yaml").unlink()
    write_yaml(data, "columns.yaml", """
        columns:
          - id: c9
            path: [新闻发布]
            rule: {kind: ongoing}
    """)
    result = validate("--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["warnings"] == []
    found = [(e["file"], e["line"], e["col"], e["code"]) for e in document["errors"]]
    assert found == [
        (where("owners.yaml"), None, None, "missing-file"),
        (where("columns.yaml"), 2, 9, "string_pattern_mismatch"),
    ]
    assert all(e["severity"] == "error" and e["message"] for e in document["errors"])


def test_json_of_valid_data_has_no_errors_and_the_sources_gaps_as_warnings(data: Path) -> None:
    result = validate("--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["errors"] == []
    assert [(w["file"], w["line"], w["col"], w["code"]) for w in document["warnings"]] == [
        (where("tasks.yaml"), 37, 11, "gap-no-owner"),
        (where("tasks.yaml"), 39, 11, "gap-unspecified"),
    ]


# --- files that are not what they should be -------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty-file"), ("# 只有注释\n# comment\n".encode(), "empty-file"),
     (bytes(range(256)) * 8, "binary-file"), (bytes(range(0x80, 0x100)) * 4, "not-utf8")],
    ids=["empty", "comment-only", "binary-with-nul", "undecodable-junk"],
)
def test_a_file_with_no_usable_content(data: Path, content: bytes, code: str) -> None:
    (data / "settings.yaml").write_bytes(content)
    result = validate()
    assert result.exit_code == 2
    assert f"{where('settings.yaml')}" in result.output
    assert f"错误 [{code}]" in result.output
    assert error_count(result.output) == 1


def test_a_missing_file(data: Path) -> None:
    (data / "owners.yaml").unlink()
    result = validate()
    assert result.exit_code == 2
    block(result.output, f"{where('owners.yaml')}: 错误 [missing-file]")
    assert "owners.yaml" in result.output.split("[missing-file]")[1]  # the hint lists the files


def test_a_folder_where_a_file_should_be(data: Path) -> None:
    (data / "owners.yaml").unlink()
    (data / "owners.yaml").mkdir()
    result = validate()
    assert result.exit_code == 2
    block(result.output, f"{where('owners.yaml')}: 错误 [not-a-file]")


def test_a_gbk_file_is_refused_with_the_way_to_fix_it(data: Path) -> None:
    text = (data / "settings.yaml").read_text(encoding="utf-8")
    (data / "settings.yaml").write_bytes(text.encode("gbk"))
    result = validate()
    assert result.exit_code == 2
    lines = block(result.output, f"{where('settings.yaml')}: 错误 [gbk-encoding]")
    assert "UTF-8" in lines[0]
    assert any("另存为" in line and "UTF-8" in line for line in lines[1:])


def test_a_file_over_the_size_limit_is_refused(data: Path) -> None:
    padding = ("# " + "x" * 98 + "\n") * 60_000  # 6 MB of comments: valid YAML, absurd size
    (data / "settings.yaml").write_text("unit: 测试局\ntracking_since: 2026-01-01\n" + padding,
                                        encoding="utf-8")
    result = validate()
    assert result.exit_code == 2
    block(result.output, f"{where('settings.yaml')}: 错误 [file-too-large]")


# --- encodings and line endings that must just work -----------------------------------------


def test_utf8_with_bom_is_read(data: Path) -> None:
    for name in ("settings.yaml", "tasks.yaml"):
        (data / name).write_bytes(b"\xef\xbb\xbf" + (data / name).read_bytes())
    result = validate()
    assert result.exit_code == 0
    assert "9 个事项" in result.output


def test_a_bom_does_not_shift_the_column_on_line_one(data: Path) -> None:
    (data / "settings.yaml").write_bytes(b"\xef\xbb\xbfunit: 123\ntracking_since: 2026-01-01\n")
    result = validate()
    assert result.exit_code == 2
    lines = block(result.output, f"{where('settings.yaml', 1, 7)}: 错误 [string_type]")
    assert_excerpt(lines, 1, "unit: 123", 7, "123")


def test_crlf_line_endings_are_read(data: Path) -> None:
    for path in data.glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert validate().exit_code == 0


def test_crlf_line_numbers_stay_right(data: Path) -> None:
    tasks = data / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8").replace("title: 先完成后坚持", "title: 123")
    tasks.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    result = validate()
    assert result.exit_code == 2
    lines = block(result.output, f"{where('tasks.yaml', 12, 12)}: 错误 [string_type]")
    assert_excerpt(lines, 12, "    title: 123", 12, "123")  # no stray \r in the excerpt


# --- YAML features that are refused, not executed or expanded --------------------------------


def test_a_python_tag_is_refused_not_run(data: Path) -> None:
    write_yaml(data, "settings.yaml", """
        unit: !!python/object/apply:os.system ["touch pwned"]
        tracking_since: 2026-01-01
    """)
    result = validate()
    assert result.exit_code == 2
    lines = block(result.output, f"{where('settings.yaml', 1, 7)}: 错误 [yaml-tag]")
    assert "python/object/apply:os.system" in lines[0]
    assert not (data.parent / "pwned").exists()


def test_an_alias_is_refused_where_it_is_used(data: Path) -> None:
    write_yaml(data, "settings.yaml", """
        unit: &u 测试局
        source: *u
        tracking_since: 2026-01-01
    """)
    result = validate()
    assert result.exit_code == 2
    lines = block(result.output, f"{where('settings.yaml', 2, 9)}: 错误 [yaml-alias]")
    assert lines[2] == "2 | source: *u"
    assert error_count(result.output) == 1


def test_an_alias_in_a_list_is_reported_on_its_own_line(data: Path) -> None:
    write_yaml(data, "settings.yaml", """
        x: &a [1, 2]
        y: [*a, *a]
        unit: 测试局
        tracking_since: 2026-01-01
    """)
    result = validate()
    assert result.exit_code == 2
    assert f"{where('settings.yaml', 2, 5)}: 错误 [yaml-alias]" in result.output


def test_a_billion_laughs_bomb_is_reported_fast_not_expanded(data: Path) -> None:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    (data / "settings.yaml").write_text(
        "unit: 测试局\ntracking_since: 2026-01-01\n" + "\n".join(rows) + "\n", encoding="utf-8")
    started = time.monotonic()
    # A subprocess with a timeout: an expanding loader fails this test instead of hanging the suite.
    done = subprocess.run([sys.executable, "-m", "zwgk", "validate", "--data", "data"],
                          capture_output=True, timeout=30, check=False)
    assert time.monotonic() - started < 10
    output = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert "[yaml-alias]" in output
    assert "Traceback" not in output
    assert len(output) < 200_000  # 9**9 'lol's were not printed either


def test_deep_nesting_is_a_diagnostic_not_a_crash(data: Path) -> None:
    depth = 600
    (data / "settings.yaml").write_text(
        "unit: 测试局\ntracking_since: 2026-01-01\nx: " + "[" * depth + "]" * depth + "\n",
        encoding="utf-8")
    result = validate()
    assert result.exit_code == 2
    assert where("settings.yaml", 3) in result.output


# --- the journal --------------------------------------------------------------------------------


def write_journal(data: Path, *lines: str, end: str = "\n") -> Path:
    path = data / "journal" / "2026.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(("\n".join(lines) + end).encode("utf-8"))
    return path


GOOD_1 = ENTRY.format(id="20261101-090000-00000001", item="C01", day="2026-11-01")
GOOD_2 = ENTRY.format(id="20261102-090000-00000002", item="C02", day="2026-11-02")


def test_an_invalid_json_line_in_the_middle_is_an_error(data: Path) -> None:
    write_journal(data, GOOD_1, '{"id": broken', GOOD_2)
    result = validate()
    assert result.exit_code == 2
    lines = block(result.output, f"{where('journal/2026.jsonl', 2, 8)}: 错误 [journal-syntax]")
    assert_excerpt(lines, 2, '{"id": broken', 8, "b")


def test_a_torn_last_line_is_a_warning(data: Path) -> None:
    write_journal(data, GOOD_1, GOOD_2, '{"id": "20261103-0', end="")
    result = validate()
    assert result.exit_code == 0
    block(result.output, f"{where('journal/2026.jsonl', 3, 1)}: 警告 [journal-torn-line]")
    assert "2 条日志" in result.output


def test_a_last_line_torn_inside_a_character_is_still_a_warning(data: Path) -> None:
    path = write_journal(data, GOOD_1, GOOD_2)
    with path.open("ab") as handle:
        handle.write('{"id": "20261103-0", "by": "张'.encode()[:-1])  # cut mid-character
    result = validate()
    assert result.exit_code == 0
    assert f"{where('journal/2026.jsonl', 3, 1)}: 警告 [journal-torn-line]" in result.output
    assert "2 条日志" in result.output


def test_a_journal_entry_for_an_unknown_item_is_a_warning(data: Path) -> None:
    unknown = ENTRY.format(id="20261102-090000-00000009", item="X99", day="2026-11-02")
    write_journal(data, GOOD_1, unknown)
    result = validate()
    assert result.exit_code == 0
    header = f"{where('journal/2026.jsonl', 2, 1)}: 警告 [journal-unknown-item]"
    lines = block(result.output, header)
    assert "X99" in lines[0]


# --- excerpts -------------------------------------------------------------------------------


def test_the_caret_stays_under_the_fault_after_a_double_colon(data: Path) -> None:
    # The excerpt shows `::` as `: :` (a CI runner would obey `::`); the caret moves with it
    tasks = data / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(
        "rule: {kind: deadline, due: 2026-08-31}",
        'rule: {kind: event, trigger: "a::b", unit: hourz, amount: 1}'), encoding="utf-8")
    lines = block(validate().output, f"{where('tasks.yaml', 9, 48)}: 错误 [literal_error]")
    assert lines[2] == '9 |     rule: {kind: event, trigger: "a: :b", unit: hourz, amount: 1}'
    assert lines[3].index("^") == lines[2].index("hourz") and lines[3].count("^") == len("hourz")


def test_a_control_character_is_shown_and_pointed_at(data: Path) -> None:
    tasks = data / "tasks.yaml"
    tasks.write_bytes(tasks.read_bytes().replace("完成一件事。".encode(), "完成一件\x0b事。".encode()))
    result = validate()
    assert result.exit_code == 2
    lines = block(result.output, f"{where('tasks.yaml', 5, 15)}: 错误 [yaml-syntax]")
    assert "U+000B 垂直制表符 VERTICAL TAB" in lines[0] and "position" not in lines[0]
    assert lines[2] == "5 |     text: 完成一件\ufffd事。"
    assert lines[3] == "  | " + " " * cells("    text: 完成一件") + "^"
    assert error_count(result.output) == 1


def test_json_lists_a_schema_error_and_the_unknown_owner_it_used_to_hide(data: Path) -> None:
    tasks = data / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("title: 一次性任务", "title: 123").replace(
        "lead: [政策法规处]", "lead: [政策法规科]", 1), encoding="utf-8")
    document = json.loads(validate("--json").stdout)
    assert [(e["line"], e["col"], e["code"]) for e in document["errors"]] == [
        (4, 12, "string_type"), (14, 12, "unknown-owner")]
