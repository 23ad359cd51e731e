"""The journal under stress: many writers at once, and writers killed at random moments.

Writers are real OS processes, each running the real CLI (`app([...], standalone_mode=False)`)
in a loop, so every record goes through loading, the lock, the append and the fsync exactly as
`zwgk record` does. Each writer prints `ack <note>` after a record returned: what was
acknowledged must be in the journal, whatever happens to the writer afterwards.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from zwgk.load import load_dataset

DAY = "2026-01-05"  # in the past for any clock these tests run under; after tracking_since
WRITER = """
import builtins, os, random, sys, time
import zwgk.journal
from zwgk.cli.app import app
data, tag, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
ack = sys.stdout
sys.stdout = open(os.devnull, "w")  # zwgk's own "已登记" lines; the parent reads only acks


class SlowDisk:
    # A file whose writes land 4 KB at a time: a kill often falls in the middle of a line.
    def __init__(self, handle):
        self._handle = handle

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()

    def write(self, data):
        for start in range(0, len(data), 4096):
            self._handle.write(data[start : start + 4096])
            self._handle.flush()
            time.sleep(0.002)
        return len(data)


if seed % 2:  # journal.py opens its files with the builtin open: shadow it there only
    zwgk.journal.open = lambda *a, **k: SlowDisk(builtins.open(*a, **k))
print("ready", file=ack, flush=True)
sys.stdin.readline()  # wait for "go": every writer starts at the same moment
n = 0
while count < 0 or n < count:
    note = f"{tag}-{n}"
    if seed:  # long notes (under 64 KB a line) widen the window in which a kill tears a line
        note += " " + "断" * rng.randrange(1, 20000)
    code = app(["record", "C01", "--date", "__DAY__", "--note", note, "--data", data],
               standalone_mode=False)
    if code not in (0, None):
        sys.exit(f"record {note[:20]} exited {code}")
    print(f"ack {tag}-{n}", file=ack, flush=True)
    n += 1
""".replace("__DAY__", DAY)


def start_writers(data: Path, specs: list[tuple[str, int, int]]) -> list[subprocess.Popen[bytes]]:
    """Writers (tag, records or -1 for endless, seed), started together once all are ready."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(data), tag, str(count), str(seed)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env)
             for tag, count, seed in specs]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line == b"ready\n", _stderr(proc)
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
    return procs


def _stderr(proc: subprocess.Popen[bytes]) -> str:
    proc.kill()
    _, err = proc.communicate()
    return err.decode("utf-8", "replace")


def acknowledged(stream: IO[bytes] | bytes) -> list[str]:
    raw = stream if isinstance(stream, bytes) else stream.read()
    return [line[4:] for line in raw.decode("utf-8").split("\n") if line.startswith("ack ")]


def journal_lines(data: Path) -> tuple[list[dict[str, object]], bytes]:
    """Every newline-terminated line of every journal file as JSON, and the unterminated tail."""
    entries: list[dict[str, object]] = []
    tail = b""
    for path in sorted((data / "journal").glob("*.jsonl")):
        *whole, tail = path.read_bytes().split(b"\n")
        for line in whole:
            entries.append(json.loads(line))  # a terminated line is always a whole record
    return entries, tail


def short(note: object) -> str:
    return str(note).split(" ")[0]  # "w3-17 断断断…" → "w3-17"


# --- many writers at once -------------------------------------------------------------------------


def test_eight_writers_times_100_records_lose_and_duplicate_nothing(mini_data: Path) -> None:
    writers, each = 8, 100
    procs = start_writers(mini_data, [(f"w{w}", each, 0) for w in range(writers)])
    acks: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode("utf-8", "replace")[-3000:]
        acks += acknowledged(out)
    expected = sorted(f"w{w}-{n}" for w in range(writers) for n in range(each))
    assert sorted(acks) == expected

    entries, tail = journal_lines(mini_data)
    assert tail == b""  # every file ends with a newline
    notes = Counter(short(e["note"]) for e in entries)
    assert sorted(notes) == expected  # nothing lost
    assert set(notes.values()) == {1}  # nothing written twice
    ids = [e["id"] for e in entries]
    assert len(set(ids)) == len(ids) == writers * each
    # Each writer's own records keep their order in the file.
    for w in range(writers):
        mine = [int(short(e["note"]).split("-")[1]) for e in entries
                if short(e["note"]).startswith(f"w{w}-")]
        assert mine == list(range(each))
    loaded = load_dataset(mini_data)
    assert loaded.ok, [d.message for d in loaded.diagnostics if d.severity == "error"]
    assert loaded.dataset is not None and len(loaded.dataset.journal) == writers * each
    assert [d.code for d in loaded.diagnostics if d.code.startswith("journal")] == []


# --- writers killed at random moments --------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_writers_killed_at_random_moments_leave_a_journal_that_loads(mini_data: Path) -> None:
    rng = random.Random(20261127)
    rounds = 10  # odd seeds write through a slow disk, so most of those kills tear a line
    kept: Counter[str] = Counter()  # every record in the journal so far
    torn_rounds = 0
    for round_no in range(rounds):
        tag = f"k{round_no}"
        [proc] = start_writers(mini_data, [(tag, -1, rng.randrange(1, 2**31))])
        assert proc.stdout is not None
        # Let the writer get going (its first record also cuts any fragment the last kill left),
        # then kill it at a random moment: mid-load, mid-lock, mid-write or mid-fsync.
        first = proc.stdout.readline()
        assert first.startswith(b"ack "), _stderr(proc)
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)  # no cleanup, no flush, no lock release but the kernel's
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        acks = [first.decode().strip()[4:], *acknowledged(rest)]

        entries, tail = journal_lines(mini_data)
        torn_rounds += bool(tail)
        notes = Counter(short(e["note"]) for e in entries)
        assert set(notes.values()) == {1}, "a record written twice"
        this_round = {note for note in notes if note.startswith(f"{tag}-")}
        assert set(acks) <= this_round, "an acknowledged record was lost"
        in_flight = f"{tag}-{len(acks)}"
        assert this_round - set(acks) <= {in_flight}, "records appeared that were never made"
        assert notes - Counter(this_round) == kept, "an earlier round's record changed"
        kept = notes

        loaded = load_dataset(mini_data)
        errors = [f"{d.where} {d.code}" for d in loaded.diagnostics if d.severity == "error"]
        assert loaded.ok, errors
        codes = {d.code for d in loaded.diagnostics if d.code.startswith("journal")}
        assert codes <= {"journal-torn-line"}
        assert ("journal-torn-line" in codes) == (tail != b"" and not _is_json(tail))
        assert loaded.dataset is not None and len(loaded.dataset.journal) == len(entries) + (
            tail != b"" and _is_json(tail))

    # After the last kill, an ordinary record works, and cuts the fragment if one was left.
    result = run_cli("record", "C02", "--date", DAY, "--note", "after the kills",
                     "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    entries, tail = journal_lines(mini_data)
    assert tail == b""
    assert [short(e["note"]) for e in entries].count("after") == 1
    assert Counter(short(e["note"]) for e in entries) - Counter({"after": 1}) == kept
    assert len({e["id"] for e in entries}) == len(entries)
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0
    # Kills during the rare torn-tail rewrite may leave a temporary file; it is never read.
    leftovers = {p.name for p in (mini_data / "journal").iterdir()} - {
        p.name for p in (mini_data / "journal").glob("*.jsonl")}
    assert all(name == ".journal.lock" or name.endswith(".tmp") for name in leftovers), leftovers
    print(f"{rounds} kills, {torn_rounds} left a torn line")


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:  # also UnicodeDecodeError: cut inside a character
        return False
    return True


# --- lines longer than the 64 KB the writer looks back over -------------------------------------

LONG_NOTE = "长" * 30_000  # 90 KB of UTF-8: a long pasted note, still one record


@pytest.mark.parametrize("kind", ["complete-without-newline", "torn"])
def test_a_last_line_longer_than_64_kb_is_kept_or_cut_whole(mini_data: Path, kind: str) -> None:
    first = {"id": "e1", "type": "record", "item": "C01", "date": DAY,
             "at": f"{DAY}T09:00:00+08:00", "note": LONG_NOTE}
    raw = json.dumps(first, ensure_ascii=False).encode()
    assert len(raw) > 65_536
    if kind == "torn":
        raw = raw[: len(raw) - 100]  # a writer killed 100 bytes before the end of its line
    folder = mini_data / "journal"
    folder.mkdir()
    path = folder / f"{datetime.now(ZoneInfo('Asia/Shanghai')).year}.jsonl"  # zwgk's file
    path.write_bytes(raw)
    result = run_cli("record", "C02", "--date", DAY, "--note", "next", "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    entries, tail = journal_lines(mini_data)
    assert tail == b""
    expected = ["e1-note", "next"] if kind == "complete-without-newline" else ["next"]
    assert ["e1-note" if e.get("note") == LONG_NOTE else e.get("note") for e in entries] == expected
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0
