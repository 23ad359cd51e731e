"""The error reproducers: every folder in tests/errors/ through `validate` and `status`.

Each folder is a copy of tests/fixtures/mini with one thing broken, named after the defect, and
an `expect.yaml` saying what zwgk must answer (see tests/errors/README.md). Byte-level cases carry
a `make.py` whose `make(data)` breaks the copy at run time, so the repository holds no 10 MB or
GBK files. The runner checks, for both commands: the exit code, exactly one
`file:line:col: 错误 [code]` header where expected, one message per problem, the excerpt and its
carets where `underline` is given, no traceback, and that nothing was written.
Defects that the expectation format cannot express sit at the end as plain tests; defects whose
data a test writes inline (no folder) are in test_errors_inline.py.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import block, run_cli, tree_bytes
from typer.testing import Result

ERRORS = Path(__file__).parent / "errors"
META = frozenset({"expect.yaml", "make.py"})
CASES = sorted(path.name for path in ERRORS.iterdir() if (path / "expect.yaml").is_file())
LABEL = {"error": "错误", "warning": "警告"}
KEYS = frozenset({
    "exit", "code", "file", "line", "col", "message_contains", "hint_contains", "severity",
    "excerpt", "underline", "errors", "warnings", "status_warnings", "items", "max_seconds",
    "max_output", "skip_if_root", "xfail",
})
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def load_expect(name: str) -> dict[str, Any]:
    with (ERRORS / name / "expect.yaml").open(encoding="utf-8") as handle:
        expect = yaml.safe_load(handle)
    assert set(expect) <= KEYS, f"{name}: unknown keys {set(expect) - KEYS}"
    return expect


def params() -> list[Any]:
    found = []
    for name in CASES:
        expect = load_expect(name)
        marks = []
        if "xfail" in expect:
            marks.append(pytest.mark.xfail(reason=expect["xfail"], strict=True))
        if "skip_if_root" in expect:
            marks.append(pytest.mark.skipif(IS_ROOT, reason=expect["skip_if_root"]))
        found.append(pytest.param(name, marks=marks, id=name))
    return found


def copy_case(name: str, tmp_path: Path) -> Path:
    """The case's data files at tmp_path/data, then its make.py applied to the copy."""
    source = ERRORS / name
    target = tmp_path / "data"
    shutil.copytree(source, target, ignore=lambda folder, names: [n for n in names if n in META])
    recipe = source / "make.py"
    if recipe.is_file():
        runpy.run_path(str(recipe))["make"](target)  # compiled in memory: no __pycache__ here
    return target


def snapshot(folder: Path) -> dict[str, object]:
    """Every path under folder (folders too) → its bytes, or its size and mtime if unreadable."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_dir():
            found[key + "/"] = "dir"
            continue
        try:
            found[key] = path.read_bytes()
        except PermissionError:
            stat = path.stat()
            found[key] = ("unreadable", stat.st_size, stat.st_mtime_ns, stat.st_mode)
    return found


def where(file: str, line: int | None = None, col: int | None = None) -> str:
    """How zwgk names a place in the data folder: `data/<file>[:line[:col]]`."""
    shown = os.path.join("data", *file.split("/"))
    if line is None:
        return shown
    return f"{shown}:{line}" if col is None else f"{shown}:{line}:{col}"


def expected_where(expect: dict[str, Any]) -> str:
    return where(expect["file"], expect.get("line"), expect.get("col"))


def fragment(text: str) -> str:
    """A message fragment as printed: `data/` in it is the data folder, shown with the OS's separator."""
    return text.replace("data/", os.path.join("data", ""))


def headers(output: str, label: str) -> list[str]:
    """Diagnostic header lines of one severity, not counting the fixture's own gap warnings."""
    return [line for line in output.splitlines()
            if line.startswith("data") and f": {label} [" in line
            and f": {label} [gap-" not in line]


def error_count(output: str) -> int:
    return sum(1 for line in output.splitlines() if line.startswith("data") and ": 错误 [" in line)


def cells(text: str) -> int:
    """Terminal width: CJK characters take two cells (the caret must account for them)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def assert_excerpt(lines: list[str], line_no: int, source: str, col: int, underline: str) -> None:
    """` |`, `N | <the offending line>`, ` | ^^^` with the carets under `underline` at `col`."""
    gutter = " " * len(str(line_no))
    shown = source.replace("\t", "→")
    assert lines[1] == f"{gutter} |"
    assert lines[2] == f"{line_no} | {shown}"
    assert shown[col - 1 :].startswith(underline.replace("\t", "→"))
    assert lines[3] == f"{gutter} | " + " " * cells(shown[: col - 1]) + "^" * cells(underline)


def validate(*extra: str) -> Result:
    result = run_cli("validate", "--data", "data", *extra)
    assert "Traceback" not in result.output
    return result



def timed(expect: dict[str, Any], *args: str) -> Result:
    started = time.perf_counter()
    result = run_cli(*args)
    elapsed = time.perf_counter() - started
    limit = expect.get("max_seconds")
    if limit is not None:
        assert elapsed < limit, f"zwgk {' '.join(args)} took {elapsed:.2f} s (limit {limit} s)"
    assert "Traceback" not in result.output
    if "max_output" in expect:
        assert len(result.output) < expect["max_output"], f"{len(result.output)} characters"
    return result


def check_validate(result: Result, expect: dict[str, Any], data: Path) -> None:
    output = result.output
    assert result.exit_code == expect["exit"], output[:5000]
    code, severity = expect.get("code"), expect.get("severity")
    errors = expect.get("errors", 1 if severity == "error" else 0)
    warnings = expect.get("warnings", 1 if severity == "warning" else 0)
    # One message per problem: nothing dragged along by the defect, nothing said twice.
    assert len(headers(output, LABEL["error"])) == errors, output[:5000]
    assert len(headers(output, LABEL["warning"])) == warnings, output[:5000]
    assert f"{errors} 个错误" in output
    if code is None:
        assert f"{expect['items']} 个事项" in output
        return
    lines = block(output, f"{expected_where(expect)}: {LABEL[severity]} [{code}] ")
    if "message_contains" in expect:
        assert fragment(expect["message_contains"]) in lines[0]
    if "hint_contains" in expect:
        hints = [line for line in lines[1:] if line.startswith("  = ")]
        assert any(fragment(expect["hint_contains"]) in line for line in hints), lines
    if "excerpt" in expect:
        assert f"{expect['line']} | {expect['excerpt']}" in lines, lines
    if "underline" in expect:
        source = (data / expect["file"]).read_text(encoding="utf-8").splitlines()[expect["line"] - 1]
        assert_excerpt(lines, expect["line"], source, expect["col"], expect["underline"])


def check_status(result: Result, expect: dict[str, Any]) -> None:
    output = result.output
    assert result.exit_code == expect["exit"], output[:5000]
    if expect["exit"] == 2:
        assert result.stdout == ""  # no dashboard from half-loaded data
        errors = expect.get("errors", 1)
        assert len(headers(output, LABEL["error"])) == errors, output[:5000]
        assert len(headers(output, LABEL["warning"])) == 0  # status shows errors only
        block(output, f"{expected_where(expect)}: {LABEL['error']} [{expect['code']}] ")
        return
    assert "政务公开事项" in result.stdout  # the dashboard
    assert not headers(output, LABEL["error"])
    if "status_warnings" in expect:
        assert f"数据有 {expect['status_warnings']} 个警告" in output
    else:
        assert "个警告" not in output


@pytest.mark.parametrize("name", params())
def test_error_reproducer(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = load_expect(name)
    data = copy_case(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    check_validate(timed(expect, "validate", "--data", "data"), expect, data)
    check_status(timed(expect, "status", "--data", "data"), expect)
    assert snapshot(tmp_path) == before, "a read-only command wrote to the data folder"


# --- the reproducers themselves ------------------------------------------------------------------


def test_the_reproducers_cover_enough_and_the_readme_lists_every_one() -> None:
    assert len(CASES) >= 40
    readme = (ERRORS / "README.md").read_text(encoding="utf-8")
    for name in CASES:
        assert f"| `{name}` |" in readme, f"{name} is missing from tests/errors/README.md"
    folders = {p.name for p in ERRORS.iterdir() if p.is_dir()}
    assert folders == set(CASES), "a tests/errors folder without expect.yaml"


@pytest.mark.parametrize("name", CASES)
def test_each_case_breaks_one_thing_and_says_what(name: str) -> None:
    expect = load_expect(name)
    comment = (ERRORS / name / "expect.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert comment.startswith(("# error:", "# warning:", "# valid:")), comment
    assert expect["exit"] in (0, 2)
    if expect.get("code") is None:
        assert expect["exit"] == 0 and "items" in expect
    else:
        assert expect["severity"] in LABEL
        assert (expect["exit"] == 2) == (expect["severity"] == "error")
    if "underline" in expect:
        assert isinstance(expect.get("line"), int) and isinstance(expect.get("col"), int)


# --- what the expectation format cannot express --------------------------------------------------


def test_an_unreadable_file_in_process(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads any file, so permission denied is simulated where zwgk reads the bytes."""
    monkeypatch.chdir(mini_data.parent)
    real_read_bytes: Callable[[Path], bytes] = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "owners.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    for command in ("validate", "status"):
        result = run_cli(command, "--data", "data")
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        lines = block(result.output, f"{os.path.join('data', 'owners.yaml')}: 错误 [unreadable] ")
        assert "permission denied" in lines[0]
        assert len(headers(result.output, "错误")) == 1


def test_an_unreadable_journal_in_process(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini_data.parent)
    journal = mini_data / "journal" / "2026.jsonl"
    journal.parent.mkdir()
    journal.write_text(
        '{"id": "e1", "type": "record", "item": "C01", "date": "2026-03-01", '
        '"at": "2026-03-01T09:00:00+08:00"}\n', encoding="utf-8")
    real_read_bytes: Callable[[Path], bytes] = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.suffix == ".jsonl":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run_cli("validate", "--data", "data")
    assert result.exit_code == 2
    block(result.output, f"{os.path.join('data', 'journal', '2026.jsonl')}: 错误 [unreadable] ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_where_a_file_should_be_is_refused_not_waited_on(mini_data: Path) -> None:
    (mini_data / "owners.yaml").unlink()
    os.mkfifo(mini_data / "owners.yaml")
    try:
        done = subprocess.run([sys.executable, "-m", "zwgk", "validate", "--data", str(mini_data)],
                              capture_output=True, timeout=3, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("zwgk validate still waiting on the pipe after 3 s")
    output = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert "owners.yaml" in output
    assert "Traceback" not in output


def test_a_utf16_file_is_named_and_the_fix_given(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini_data.parent)
    path = mini_data / "settings.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))  # with its BOM
    result = run_cli("validate", "--data", "data")
    assert result.exit_code == 2
    assert len(headers(result.output, "错误")) == 1
    lines = block(result.output, os.path.join("data", "settings.yaml") + ": 错误 [")
    assert "UTF-16" in lines[0]
    assert any("UTF-8" in line for line in lines[1:])


def test_the_excerpt_of_a_very_long_line_shows_the_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_case("line-of-100000-characters", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", "--data", "data")
    lines = block(result.output, f"{os.path.join('data', 'tasks.yaml')}:7:99999: 错误 ")
    excerpt, caret = lines[2], lines[3]
    assert "各处市" in excerpt
    from rich.cells import cell_len

    assert cell_len(caret) <= cell_len(excerpt)  # the caret stays under the text that is shown


def test_a_deeply_nested_journal_line_is_a_diagnostic_not_a_crash(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini_data.parent)
    journal = mini_data / "journal" / "2026.jsonl"
    journal.parent.mkdir()
    journal.write_text('{"id": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    result = run_cli("validate", "--data", "data")  # raises if zwgk crashed
    assert result.exit_code == 2
    assert headers(result.output, "错误")[0].startswith(
        os.path.join("data", "journal", "2026.jsonl") + ":1")


def test_deep_nesting_without_libyaml_is_a_diagnostic_not_a_crash(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini_data.parent)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # the pure-Python loader
    (mini_data / "settings.yaml").write_text(
        "unit: 测试局\ntracking_since: 2026-01-01\nsource: " + "[" * 600 + "]" * 600 + "\n",
        encoding="utf-8")
    result = run_cli("validate", "--data", "data")  # raises if zwgk crashed
    assert result.exit_code == 2
    assert len(headers(result.output, "错误")) == 1


def test_a_group_cycle_is_reported_on_every_group_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_case("group-cycle", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = validate()
    assert result.exit_code == 2
    first = block(result.output, f"{where('owners.yaml', 17, 14)}: 错误 [group-cycle]")
    assert "各处室 → 各处室、单位 → 各处室" in first[0]
    second = block(result.output, f"{where('owners.yaml', 19, 14)}: 错误 [group-cycle]")
    assert "各处室、单位 → 各处室 → 各处室、单位" in second[0]
    assert error_count(result.output) == 2


def test_unknown_rule_kind_names_the_kind_not_the_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_case("unknown-rule-kind-monthly", tmp_path)
    monkeypatch.chdir(tmp_path)
    output = validate().output
    header = block(output, f"{where('columns.yaml', 13, 18)}: 错误 [union_tag_invalid]")[0]
    assert "'monthly'" in header
    assert "{'kind'" not in header


def test_every_error_of_a_run_is_reported_not_only_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_case("two-defects-in-two-files", tmp_path)
    monkeypatch.chdir(tmp_path)
    result = validate()
    assert result.exit_code == 2
    block(result.output, f"{where('tasks.yaml', 4, 12)}: 错误 [string_type]")
    block(result.output, f"{where('columns.yaml', 8, 9)}: 错误 [string_pattern_mismatch]")
    assert error_count(result.output) == 2
    assert "2 个错误" in result.output


def test_status_on_invalid_data_exits_2_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_case("unknown-owner-truncated-name", tmp_path)
    monkeypatch.chdir(tmp_path)
    before = tree_bytes(tmp_path)
    result = run_cli("status", "--data", "data")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""  # no dashboard from half-loaded data
    assert f"{where('tasks.yaml', 14, 12)}: 错误 [unknown-owner]" in result.output
    assert tree_bytes(tmp_path) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml"])
