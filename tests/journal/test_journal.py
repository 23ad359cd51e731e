"""The journal's guarantees: `record` appends one JSON line and touches nothing else; concurrent
writers lose nothing; a killed writer or a full disk never corrupts what was already recorded;
two branches that both recorded merge without conflict; `log` reads it back newest first.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import FullDisk, run_cli, tree_bytes

import zwgk.journal

ZWGK = [sys.executable, "-m", "zwgk"]
PLAN_FILES = ("settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml")
ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")
SEED = (
    '{"id": "20261101-090000-00000001", "type": "record", "item": "C02", "date": "2026-11-01", '
    '"at": "2026-11-01T09:00:00+08:00"}\n'
)


def this_years_journal(data: Path) -> Path:
    """zwgk writes to the file of the current year in Beijing, whatever the record's date."""
    return data / "journal" / f"{datetime.now(ZoneInfo('Asia/Shanghai')).year}.jsonl"


def seeded(data: Path, content: str = SEED) -> Path:
    path = this_years_journal(data)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content.encode("utf-8"))
    return path


def lines_of(path: Path) -> list[dict[str, Any]]:
    """Every line as JSON; the file must end with a newline (no torn or unterminated tail)."""
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), f"unterminated last line: {raw[-80:]!r}"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def record(data: Path, *args: str) -> None:
    result = run_cli("record", *args, "--data", str(data))
    assert result.exit_code == 0, result.output


# --- one record, one line ---------------------------------------------------------------------


def test_record_appends_exactly_one_line_and_touches_nothing_else(mini_data: Path) -> None:
    path = seeded(mini_data)
    before = tree_bytes(mini_data)
    result = run_cli("record", "C01", "--date", "2026-11-20", "--by", "张三", "--url",
                     "https://x.example/1", "--note", "测试", "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    after = tree_bytes(mini_data)
    journal = path.relative_to(mini_data).as_posix()
    assert after[journal].startswith(before[journal])  # appended, never rewritten
    added = after[journal][len(before[journal]) :]
    assert added.endswith(b"\n")
    assert added.count(b"\n") == 1
    entry = json.loads(added)
    assert {k: entry[k] for k in ("type", "item", "date", "by", "url", "note")} == {
        "type": "record", "item": "C01", "date": "2026-11-20", "by": "张三",
        "url": "https://x.example/1", "note": "测试",
    }
    assert ID.match(entry["id"])
    assert "张三".encode() in added  # readable in git diffs, not \\u escapes
    for name in PLAN_FILES:
        assert after[name] == before[name]
    # Besides the journal, at most the lock file is new.
    assert set(after) - set(before) <= {"journal/.journal.lock"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["C01", "--date", "2999-01-01"], ["晚于今天"]),
        (["媒体关住", "--date", "2026-11-20"],
         ["找不到事项 '媒体关住'", "候选:C02 回应关切/媒体关注"]),
        (["坚持", "--date", "2026-11-20"],
         ["ambiguous", "候选:T02 先完成后坚持", "候选:T04 长期坚持"]),
    ],
    ids=["future-date", "unknown-item", "ambiguous-item"],
)
def test_record_refuses_and_writes_nothing(
    mini_data: Path, args: list[str], words: list[str]
) -> None:
    seeded(mini_data)
    before = tree_bytes(mini_data)
    result = run_cli("record", *args, "--data", str(mini_data))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output
    assert tree_bytes(mini_data) == before


# --- concurrent writers -----------------------------------------------------------------------

LOOP = """
import sys
from zwgk.cli.app import main
data, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(count):
    sys.argv = ["zwgk", "record", "C01", "--date", "2026-11-20", "--note", f"{tag}-{n}",
                "--data", data]
    try:
        main()
    except SystemExit as exit:
        if exit.code not in (0, None):
            raise
"""


def test_two_record_processes_at_once_both_land(mini_data: Path) -> None:
    procs = [subprocess.Popen([*ZWGK, "record", item, "--date", "2026-11-20", "--note", f"p{n}",
                               "--data", str(mini_data)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
             for n, item in enumerate(["C01", "C02"])]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    entries = lines_of(this_years_journal(mini_data))
    assert sorted((e["item"], e["note"]) for e in entries) == [("C01", "p0"), ("C02", "p1")]
    assert entries[0]["id"] != entries[1]["id"]


def test_eight_writers_times_25_records_lose_nothing(mini_data: Path) -> None:
    # Each process runs the real CLI 25 times in-process: 200 interpreter starts take a minute.
    writers, each = 8, 25
    procs = [subprocess.Popen([sys.executable, "-c", LOOP, str(mini_data), f"w{w}", str(each)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for w in range(writers)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    entries = lines_of(this_years_journal(mini_data))
    notes = sorted(e["note"] for e in entries)
    assert notes == sorted(f"w{w}-{n}" for w in range(writers) for n in range(each))
    assert len({e["id"] for e in entries}) == writers * each
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0


# --- crashes --------------------------------------------------------------------------------------

TORN = b'{"id": "20261103-090000-0000000f", "type": "rec'


def test_a_torn_line_loads_with_a_warning_and_the_next_record_cuts_it(mini_data: Path) -> None:
    path = seeded(mini_data)
    with path.open("ab") as handle:
        handle.write(TORN)  # a writer killed mid-line: no newline after it
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 0
    assert ":2:1: 警告 [journal-torn-line]" in result.output
    record(mini_data, "C01", "--date", "2026-11-20", "--note", "after the crash")
    raw = path.read_bytes()
    assert raw.startswith(SEED.encode())
    assert TORN not in raw
    entries = lines_of(path)
    assert [e.get("note") for e in entries] == [None, "after the crash"]


def test_a_complete_unterminated_last_line_is_kept(mini_data: Path) -> None:
    path = seeded(mini_data, SEED.rstrip("\n"))  # a hand edit that lost its final newline
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0
    record(mini_data, "C01", "--date", "2026-11-20")
    entries = lines_of(path)
    assert [e["item"] for e in entries] == ["C02", "C01"]
    assert entries[0]["id"] == "20261101-090000-00000001"


def test_a_line_torn_inside_a_character_is_cut_by_the_next_record(mini_data: Path) -> None:
    path = seeded(mini_data)
    with path.open("ab") as handle:
        handle.write('{"id": "x", "note": "测'.encode()[:-1])
    record(mini_data, "C01", "--date", "2026-11-20")
    assert len(lines_of(path)) == 2


WRITER = """
import sys
from datetime import datetime
from pathlib import Path
from zwgk.journal import append
from datetime import date
from zwgk.models import JournalEntry
folder, tag, year = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
now = datetime(year, 1, 1, 12, 0, 0)
for n in range(10**9):
    append(folder, JournalEntry(id=f"{tag}-{n}", type="record", item="C01", date=date(2026, 11, 20),
                                at=now.isoformat(), note="断" * (1 + n % 500)), now)
    if n == 0:
        print("ready", flush=True)
"""


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:  # also UnicodeDecodeError: a fragment cut inside a character
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_at_random_moments_leaves_a_loadable_journal(mini_data: Path) -> None:
    path = this_years_journal(mini_data)
    year = path.stem
    rng = random.Random()
    complete = 0
    for attempt in range(3):
        args = [sys.executable, "-c", WRITER, str(path.parent), f"k{attempt}", year]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None
        assert proc.stderr is not None
        assert proc.stdout.readline() == b"ready\n", proc.stderr.read().decode()
        time.sleep(rng.uniform(0.02, 0.25))
        proc.kill()  # SIGKILL: no cleanup, no flush, no lock release but the kernel's
        proc.communicate()
        *whole, tail = path.read_bytes().split(b"\n")
        for line in whole:
            json.loads(line)  # every terminated line is a whole record
        assert len(whole) > complete  # the writer did write this round
        complete = len(whole) + _is_json(tail)  # a whole line that lacks only its newline counts
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    record(mini_data, "C02", "--date", "2026-11-20", "--note", "after the kills")
    entries = lines_of(path)
    # The torn fragment, if any, is gone; nothing complete was lost.
    assert len(entries) == complete + 1
    assert entries[-1]["note"] == "after the kills"
    assert len({e["id"] for e in entries}) == len(entries)


# --- full disk, read-only folder ------------------------------------------------------------------




def _no_fsync(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def full_disk(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """ENOSPC at fsync, or at the write with half or none of the line written."""
    if where == "fsync":
        monkeypatch.setattr(os, "fsync", _no_fsync)
        return
    landed = {"half-write": 0.5, "write": 0.0}[where]
    # journal.py opens the file with the builtin open: shadow it in that module only.
    monkeypatch.setattr(zwgk.journal, "open",
                        lambda *a, **k: FullDisk(open(*a, **k), landed),  # noqa: SIM115
                        raising=False)


@pytest.mark.parametrize("where", ["write", "half-write", "fsync"])
def test_a_full_disk_fails_cleanly_and_keeps_the_journal(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = seeded(mini_data)
    before = path.read_bytes()
    full_disk(monkeypatch, where)
    result = run_cli("record", "C01", "--date", "2026-11-20", "--data", str(mini_data))
    assert result.exit_code == 2
    message = result.output.replace("\n", "")  # a long tmp path makes Rich wrap the line
    assert "无法写入日志" in message
    assert os.strerror(errno.ENOSPC) in message
    assert "Traceback" not in message
    assert path.read_bytes() == before
    monkeypatch.undo()  # space freed: the next record works
    record(mini_data, "C01", "--date", "2026-11-20")
    assert len(lines_of(path)) == 2


@pytest.mark.parametrize("where", ["write", "half-write", "fsync"])
def test_a_full_disk_keeps_a_journal_with_a_torn_tail_intact(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = seeded(mini_data, SEED + TORN.decode())
    before = path.read_bytes()
    full_disk(monkeypatch, where)
    assert run_cli("record", "C01", "--date", "2026-11-20", "--data", str(mini_data)).exit_code == 2
    assert path.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores file permissions; the full-disk tests cover this path")
def test_a_read_only_journal_is_refused_and_left_alone(mini_data: Path) -> None:
    path = seeded(mini_data)
    before = path.read_bytes()
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        result = run_cli("record", "C01", "--date", "2026-11-20", "--data", str(mini_data))
    finally:
        path.parent.chmod(0o755)
        path.chmod(0o644)
    assert result.exit_code == 2
    message = result.output.replace("\n", "")
    assert "无法写入日志" in message
    assert "Traceback" not in message
    assert path.read_bytes() == before


# --- git ----------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_branches_that_both_recorded_merge_without_conflict(
    mini_data: Path, tmp_path: Path
) -> None:
    repo = mini_data
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=False)

    path = seeded(repo)
    (repo / ".gitattributes").write_text("journal/*.jsonl merge=union\n", encoding="utf-8")
    (repo / ".gitignore").write_text("*.lock\n", encoding="utf-8")
    for args in (["init", "-q"], ["config", "user.name", "测试"],
                 ["config", "user.email", "t@x.example"], ["config", "commit.gpgsign", "false"],
                 ["add", "-A"], ["commit", "-qm", "base"], ["branch", "base"],
                 ["checkout", "-q", "-b", "a"]):
        assert git(*args).returncode == 0, args
    record(repo, "C01", "--date", "2026-11-20", "--note", "branch a")
    assert git("commit", "-qam", "a").returncode == 0
    assert git("checkout", "-q", "base").returncode == 0
    assert git("checkout", "-q", "-b", "b").returncode == 0
    record(repo, "C02", "--date", "2026-11-21", "--note", "branch b")
    assert git("commit", "-qam", "b").returncode == 0
    assert git("checkout", "-q", "a").returncode == 0
    merged = git("merge", "--no-edit", "b")
    assert merged.returncode == 0, merged.stdout.decode() + merged.stderr.decode()
    assert b"<<<<<<<" not in path.read_bytes()
    assert len(lines_of(path)) == 3
    result = run_cli("log", "--json", "--data", str(repo))
    assert result.exit_code == 0
    notes = {e.get("note") for e in json.loads(result.stdout)["entries"]}
    assert notes == {None, "branch a", "branch b"}


# --- log ------------------------------------------------------------------------------------------


def _entry(entry_id: str, item: str, day: str, time_of_day: str | None = None) -> str:
    data = {"id": entry_id, "type": "record", "item": item, "date": day}
    if time_of_day:
        data["time"] = time_of_day
    data["at"] = f"{day}T20:00:00+08:00"
    return json.dumps(data, ensure_ascii=False) + "\n"


@pytest.fixture
def logged(mini_data: Path) -> Path:
    """Entries out of order, over two yearly files."""
    journal = mini_data / "journal"
    journal.mkdir()
    (journal / "2026.jsonl").write_text(
        _entry("e1", "C01", "2026-10-01") + _entry("e4", "C01", "2026-11-10")
        + _entry("e3", "C01", "2026-11-05") + _entry("e2", "C02", "2026-11-05", "09:00")
        + _entry("e5", "T01", "2026-10-31"), encoding="utf-8")
    (journal / "2025.jsonl").write_text(_entry("e0", "C01", "2025-12-31"), encoding="utf-8")
    return mini_data


def log_ids(*args: str) -> list[str]:
    result = run_cli("log", *args, "--json")
    assert result.exit_code == 0, result.output
    return [e["id"] for e in json.loads(result.stdout)["entries"]]


def test_log_is_newest_first_across_files(logged: Path) -> None:
    # Same day: the entry with a time of day comes first (it is later than 'some time that day').
    assert log_ids("--data", str(logged)) == ["e4", "e2", "e3", "e5", "e1", "e0"]


def test_log_filters_by_item_and_since_inclusive(logged: Path) -> None:
    assert log_ids("C01", "--since", "2026-11-05", "--data", str(logged)) == ["e4", "e3"]
    assert log_ids("法律法规", "--since", "2026-11-06", "--data", str(logged)) == ["e4"]
    every_c01 = ["e4", "e3", "e1", "e0"]
    assert log_ids("C01", "--since", "2025-01-01", "--data", str(logged)) == every_c01


def test_a_repeated_key_reads_as_json_reads_it_on_the_fast_path(tmp_path: Path) -> None:
    """Lines are validated straight from their bytes by pydantic-core; a line that names a key
    twice must mean what json.loads says it means (the last one), as on the slow path."""
    from zwgk.load.journal import load_journal

    folder = tmp_path / "journal"
    folder.mkdir()
    fields = ('"id": "r1", "type": "record", "item": "C01", "date": "2026-11-02", '
              '"at": "2026-11-02T09:00:00+08:00"')
    line = "{" + fields + ', "item": "C02"}'
    (folder / "2026.jsonl").write_text(line + "\n", encoding="utf-8")
    problems: list[object] = []
    [(entry, _)] = load_journal(folder, problems)  # type: ignore[arg-type]
    assert problems == []
    assert entry.item == json.loads(line)["item"] == "C02"
