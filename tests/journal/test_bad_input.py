"""What bad input in the journal does: the writer cuts a line only when it is provably zwgk's
own unfinished write, and refuses (exit 2, the file left byte for byte) whatever else it cannot
read at the end of the file; a torn fragment in the middle (a torn line committed, then merged)
is a warning naming its line, never a state that blocks `record`, `status` or `check`; a journal
folder or year file that is not what it should be is an error naming its path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from zwgk.errors import JournalWriteError
from zwgk.journal import append, encode
from zwgk.models import JournalEntry

BOM = b"\xef\xbb\xbf"
SEED = (
    '{"id": "20261101-090000-00000001", "type": "record", "item": "C02", "date": "2026-11-01", '
    '"at": "2026-11-01T09:00:00+08:00"}\n'
)
SECOND = (
    '{"id": "20261102-090000-00000002", "type": "record", "item": "C01", "date": "2026-11-02", '
    '"at": "2026-11-02T09:00:00+08:00"}\n'
)
TORN = '{"id": "20261103-090000-0000000f", "type": "rec'
GBK_RECORD = (
    '{"id": "20261104-090000-00000004", "type": "record", "item": "C01", "date": "2026-11-04", '
    '"at": "2026-11-04T09:00:00+08:00", "note": "已在门户网站公开"}'
).encode("gbk")


def this_year() -> int:
    return datetime.now(ZoneInfo("Asia/Shanghai")).year


def journal_of(data: Path, raw: bytes) -> Path:
    """This year's journal file (the one `record` writes), holding exactly `raw`."""
    path = data / "journal" / f"{this_year()}.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    return path


def record(data: Path, note: str = "新的一条") -> Any:
    return run_cli("record", "C01", "--date", "2026-11-20", "--note", note, "--data", str(data))


def entries_of(data: Path) -> list[dict[str, Any]]:
    result = run_cli("log", "--json", "--data", str(data))
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["entries"])


def diagnostics(data: Path, exit_code: int) -> list[dict[str, Any]]:
    """What `zwgk validate --json` found, errors and warnings, in one list."""
    result = run_cli("validate", "--json", "--data", str(data))
    assert result.exit_code == exit_code, result.output
    found = json.loads(result.stdout)
    return [*found["errors"], *found["warnings"]]


def one_line(output: str) -> str:
    return output.replace("\n", "")  # a long tmp path makes Rich wrap the line


def an_entry(**fields: Any) -> JournalEntry:
    values: dict[str, Any] = {"id": "20261120-100000-0000abcd", "type": "record", "item": "C01",
                              "date": date(2026, 11, 20), "at": "2026-11-20T10:00:00+08:00"}
    return JournalEntry(**{**values, **fields})


NOW = datetime(2026, 11, 20, 10, 0, 0)


# --- 1. the last line has no newline: cut only what zwgk provably left unfinished ------------------


def test_a_one_line_journal_saved_with_a_bom_and_no_final_newline_keeps_its_record(
    mini_data: Path,
) -> None:
    before = BOM + SEED.rstrip("\n").encode()  # an editor's "UTF-8 with BOM", no final newline
    path = journal_of(mini_data, before)
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0
    result = record(mini_data)
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert raw.startswith(before + b"\n")  # kept byte for byte, then terminated
    assert [e["item"] for e in entries_of(mini_data)] == ["C01", "C02"]


def test_a_journal_that_is_only_a_bom_keeps_it(mini_data: Path) -> None:
    path = journal_of(mini_data, BOM)  # an editor saved an empty file
    assert record(mini_data).exit_code == 0
    assert path.read_bytes().startswith(BOM)
    assert [e["item"] for e in entries_of(mini_data)] == ["C01"]


def test_a_complete_record_saved_in_gbk_is_an_error_and_record_leaves_it_alone(
    mini_data: Path,
) -> None:
    path = journal_of(mini_data, SEED.encode() + GBK_RECORD)  # re-saved in GBK, no final newline
    before = path.read_bytes()
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 2
    assert f"{path.name}:2: 错误 [journal-not-utf8]" in one_line(result.output)
    assert "journal-torn-line" not in result.output  # a whole record, not a torn write
    result = record(mini_data)
    assert result.exit_code == 2
    assert f"{path.name}:2: 错误 [journal-not-utf8]" in one_line(result.output)
    assert path.read_bytes() == before


# Last lines, without a final newline, that zwgk did not write as they are: not one is cut.
NOT_TORN = {
    "gbk-record": GBK_RECORD,
    "gbk-fragment": GBK_RECORD[:-4],  # cut inside the note, after GBK characters
    "bom-before-a-fragment": BOM + TORN.encode(),
    "crlf-fragment": TORN.encode() + b"\r",
    "compact-spacing": b'{"id":"20261103-090000-0000000f","type":"rec',
    "not-starting-with-id": b'{"type": "record", "item": "C0',
    "unknown-field": b'{"id": "20261103-090000-0000000f", "kind": "rec',
    "a-field-twice": b'{"id": "x", "type": "record", "type": "rec',
    "raw-control-character": b'{"id": "x", "note": "a\tb',
    "json-but-not-a-record": b'{"id": "x"}',
    "json-array": b'["id", "x"',
    "prose": "已在门户网站公开".encode(),
    "nul-bytes": b"\x00\x00\x00\x00",
}


@pytest.mark.parametrize("tail", NOT_TORN.values(), ids=NOT_TORN.keys())
def test_the_writer_refuses_a_last_line_it_cannot_prove_torn_and_changes_nothing(
    tmp_path: Path, tail: bytes
) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    path = folder / "2026.jsonl"
    path.write_bytes(SEED.encode() + tail)
    with pytest.raises(JournalWriteError) as refused:
        append(folder, an_entry(), NOW)
    assert "2026.jsonl" in refused.value.message
    assert "第 2 行" in refused.value.message
    assert refused.value.exit_code == 2
    assert path.read_bytes() == SEED.encode() + tail


@pytest.mark.parametrize("tail", NOT_TORN.values(), ids=NOT_TORN.keys())
def test_a_last_line_the_writer_refuses_is_an_error_when_loading(mini_data: Path, tail: bytes) -> None:
    journal_of(mini_data, SEED.encode() + tail)
    found = diagnostics(mini_data, 2)
    journal = [d for d in found if d["code"].startswith("journal") or d["code"] == "binary-file"]
    assert journal, found
    assert all(d["severity"] == "error" for d in journal), journal
    assert all(d["code"] != "journal-torn-line" for d in journal), journal


def test_every_cut_of_a_line_zwgk_writes_is_recognised_as_torn_and_cut(tmp_path: Path) -> None:
    # Chinese, quotes, backslashes, a newline and a control character (escaped by the writer),
    # and `complex` (the one value that is not a string): a kill may fall anywhere in them.
    line = encode(an_entry(type="event", note='网站"公开"\\ 第二段\n\x01完', title="暴雨预警",
                           complex=True, time="09:30"))
    folder = tmp_path / "journal"
    folder.mkdir()
    path = folder / "2026.jsonl"
    new = an_entry(id="20261120-100001-0000beef")
    for cut in range(1, len(line) - 1):  # every strict prefix of the line but its "}\n"
        path.write_bytes(SEED.encode() + line[:cut])
        append(folder, new, NOW)
        assert path.read_bytes() == SEED.encode() + encode(new), f"cut at byte {cut}"


def test_a_complete_record_with_crlf_endings_and_no_final_newline_is_terminated(
    mini_data: Path,
) -> None:
    before = (SEED.replace("\n", "\r\n") + SECOND.rstrip("\n")).encode()
    path = journal_of(mini_data, before)
    assert record(mini_data).exit_code == 0
    assert path.read_bytes().startswith(before + b"\n")
    assert len(entries_of(mini_data)) == 3


# --- 3. a torn fragment in the middle: a warning that says which line to delete --------------------


def test_a_torn_line_in_the_middle_is_a_warning_and_blocks_nothing(mini_data: Path) -> None:
    before = (SEED + TORN + "\n" + SECOND).encode()  # a torn line committed, then merged
    path = journal_of(mini_data, before)
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    output = one_line(result.output)
    assert f"{path.name}:2:1: 警告 [journal-torn-line]" in output
    assert "删除第 2 行" in output
    for command in ("status", "check"):
        result = run_cli(command, "--data", str(mini_data))
        assert result.exit_code in (0, 1), result.output
    result = record(mini_data, "after the merge")
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert raw.startswith(before)  # nothing but the tail is ever cut
    assert json.loads(raw[len(before):])["note"] == "after the merge"
    ids = {e["id"] for e in entries_of(mini_data)}
    assert len(ids) == 3
    assert {"20261101-090000-00000001", "20261102-090000-00000002"} <= ids


def test_the_hint_for_a_torn_line_names_the_line_to_delete(mini_data: Path) -> None:
    journal_of(mini_data, (SEED + SECOND + TORN + "\n" + SEED.replace("01\"", "09\"")).encode())
    [torn] = [d for d in diagnostics(mini_data, 0) if d["code"] == "journal-torn-line"]
    assert (torn["line"], torn["col"], torn["severity"]) == (3, 1, "warning")
    assert "删除第 3 行" in torn["hint"]


def test_a_torn_line_in_the_middle_with_crlf_endings_is_a_warning(mini_data: Path) -> None:
    # git's autocrlf turns every line ending, the torn line's too, into CRLF on checkout.
    journal_of(mini_data, (SEED + TORN + "\n" + SECOND).replace("\n", "\r\n").encode())
    codes = [d["code"] for d in diagnostics(mini_data, 0) if d["code"].startswith("j")]
    assert codes == ["journal-torn-line"]


# Complete lines that are corrupt: still errors, wherever they are.
CORRUPT = {
    "missing-fields": '{"id": "x", "type": "record", "item": "C01"}',
    "syntax-error-inside": '{"id": "x" "type": "record", "item": "C01", "date": "2026-11-01"}',
    "a-record-and-a-brace": SECOND.rstrip("\n") + "}",
    "not-starting-with-id": '{"type": "rec',
    "compact-spacing": '{"id":"x","type":"rec',
    "unknown-field": '{"id": "x", "kind": "rec',
}


@pytest.mark.parametrize("line", CORRUPT.values(), ids=CORRUPT.keys())
def test_a_corrupt_complete_line_in_the_middle_remains_an_error(mini_data: Path, line: str) -> None:
    journal_of(mini_data, (SEED + line + "\n" + SECOND).encode())
    journal = [d for d in diagnostics(mini_data, 2) if d["code"].startswith("journal")]
    assert journal
    assert {(d["line"], d["severity"]) for d in journal} == {(2, "error")}
    assert "journal-torn-line" not in {d["code"] for d in journal}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_committed_torn_line_merged_with_a_colleagues_records_blocks_nothing(
    mini_data: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> None:
        done = subprocess.run(["git", *args], cwd=mini_data, env=env, capture_output=True, check=False)
        assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()

    path = journal_of(mini_data, SEED.encode())
    (mini_data / ".gitattributes").write_text("journal/*.jsonl merge=union\n", encoding="utf-8")
    (mini_data / ".gitignore").write_text("*.lock\n", encoding="utf-8")
    for args in (["init", "-q"], ["config", "user.name", "测试"], ["config", "user.email", "t@x.example"],
                 ["config", "commit.gpgsign", "false"], ["add", "-A"], ["commit", "-qm", "base"],
                 ["checkout", "-q", "-b", "colleague"]):
        git(*args)
    assert record(mini_data, "colleague").exit_code == 0
    git("commit", "-qam", "colleague")
    git("checkout", "-q", "-")
    with path.open("ab") as handle:
        handle.write(TORN.encode())  # a writer killed mid-line, and the fragment committed
    git("commit", "-qam", "torn")
    git("merge", "--no-edit", "colleague")
    assert path.read_bytes().count(TORN.encode() + b"\n") == 1  # the fragment is a middle line now

    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    assert f"{path.name}:2:1: 警告 [journal-torn-line]" in one_line(result.output)
    before = path.read_bytes()
    assert record(mini_data, "after the merge").exit_code == 0
    assert path.read_bytes().startswith(before)
    assert {e.get("note") for e in entries_of(mini_data)} == {None, "colleague", "after the merge"}


# --- 4. a journal folder or year file that is not what it should be ---------------------------------


def _pipe(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "x.jsonl").write_bytes(SEED.encode())


def _dangling_link(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.jsonl")


YEAR_FILES = {"named-pipe": _pipe, "folder": _folder, "dangling-symlink": _dangling_link}


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes and symlinks are POSIX here")
@pytest.mark.parametrize("make", YEAR_FILES.values(), ids=YEAR_FILES.keys())
def test_a_year_file_that_is_not_a_file_is_an_error_and_record_refuses(
    mini_data: Path, make: Any
) -> None:
    (mini_data / "journal").mkdir()
    (mini_data / "journal" / "2025.jsonl").write_bytes(SEED.encode())
    path = mini_data / "journal" / f"{this_year()}.jsonl"
    make(path)
    [problem] = [d for d in diagnostics(mini_data, 2) if d["severity"] == "error"]
    assert problem["file"].endswith(f"journal/{path.name}")
    result = record(mini_data)  # in-process: a writer that opened the pipe would hang here
    assert result.exit_code == 2
    assert path.name in one_line(result.output)
    assert (mini_data / "journal" / "2025.jsonl").read_bytes() == SEED.encode()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes and symlinks are POSIX here")
@pytest.mark.parametrize("make", YEAR_FILES.values(), ids=YEAR_FILES.keys())
def test_the_writer_refuses_a_year_file_that_is_not_a_file(tmp_path: Path, make: Any) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    make(folder / "2026.jsonl")
    with pytest.raises(JournalWriteError) as refused:
        append(folder, an_entry(), NOW)
    assert "2026.jsonl" in refused.value.message
    assert "不是普通文件" in refused.value.message
    assert not (tmp_path / "nowhere.jsonl").exists()


def test_a_journal_folder_that_is_a_file_is_an_error_and_record_refuses(mini_data: Path) -> None:
    (mini_data / "journal").write_bytes(SEED.encode())
    [problem] = [d for d in diagnostics(mini_data, 2) if d["severity"] == "error"]
    assert problem["file"].endswith("journal")
    assert problem["code"] == "journal-not-a-folder"
    result = record(mini_data)
    assert result.exit_code == 2
    assert "journal-not-a-folder" in result.output
    assert (mini_data / "journal").read_bytes() == SEED.encode()


def test_the_writer_refuses_a_journal_folder_that_is_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    folder.write_bytes(SEED.encode())
    with pytest.raises(JournalWriteError) as refused:
        append(folder, an_entry(), NOW)
    assert str(folder) in refused.value.message
    assert "不是文件夹" in refused.value.message
    assert folder.read_bytes() == SEED.encode()


def test_a_journal_folder_put_right_is_read_again(mini_data: Path) -> None:
    # The snapshot cache must not keep the error once the file is replaced by a real folder.
    (mini_data / "journal").write_bytes(b"")
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 2
    (mini_data / "journal").unlink()
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0
    (mini_data / "journal").write_bytes(b"")
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX here")
def test_a_year_file_put_right_is_read_again(mini_data: Path) -> None:
    path = mini_data / "journal" / f"{this_year()}.jsonl"
    path.parent.mkdir()
    path.mkdir()
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 2
    path.rmdir()
    path.write_bytes(SEED.encode())
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0
    assert len(entries_of(mini_data)) == 1


def test_a_journal_folder_that_becomes_a_file_is_seen_by_commands_that_keep_snapshots(
    mini_data: Path,
) -> None:
    # `status` keeps a snapshot of a clean load; a file where no journal folder was before must
    # not look like the same, empty journal.
    assert run_cli("status", "--data", str(mini_data)).exit_code in (0, 1)
    (mini_data / "journal").write_bytes(b"")
    result = run_cli("status", "--data", str(mini_data))
    assert result.exit_code == 2
    assert "journal-not-a-folder" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks and file modes are POSIX here")
def test_cutting_a_torn_tail_keeps_a_symlinked_journal_a_symlink_and_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    real = tmp_path / "elsewhere.jsonl"
    real.write_bytes((SEED + TORN).encode())
    real.chmod(0o640)
    (folder / "2026.jsonl").symlink_to(real)
    append(folder, an_entry(), NOW)
    assert (folder / "2026.jsonl").is_symlink()
    assert real.read_bytes() == SEED.encode() + encode(an_entry())
    assert real.stat().st_mode & 0o777 == 0o640
