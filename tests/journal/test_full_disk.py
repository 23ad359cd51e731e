"""A full disk, for real: the data folder on a 64 KB tmpfs filled to its last byte. A `record`
that cannot be written says so (exit 2) and leaves the journal byte for byte as it was — however
much of the line the kernel took before it ran out of room — and the next record, once there is
room, works.

These tests mount a filesystem, so they need Linux and root; elsewhere they are skipped (the
simulated full disks in test_journal.py still run everywhere).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import MINI, run_cli

PAGE = 4096  # tmpfs hands out room a page at a time
SEED = (
    '{"id": "20261101-090000-00000001", "type": "record", "item": "C02", "date": "2026-11-01", '
    '"at": "2026-11-01T09:00:00+08:00"}\n'
)
TORN = '{"id": "20261103-090000-0000000f", "type": "rec'


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs at tmp_path/"disk", unmounted afterwards whatever happens."""
    if not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs Linux")
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    if shutil.which("mount") is None or shutil.which("umount") is None:
        pytest.skip("mount/umount are not installed")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:  # root in a container without CAP_SYS_ADMIN, for one
        pytest.skip("cannot mount a tmpfs here: " + mounted.stderr.decode(errors="replace").strip())
    try:
        yield disk
    finally:
        if subprocess.run(["umount", str(disk)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True, check=False)


def data_on(disk: Path) -> Path:
    data = disk / "data"
    shutil.copytree(MINI, data)
    (data / "journal").mkdir()
    (data / "journal" / ".journal.lock").touch()  # an empty file takes no room: made beforehand
    return data


def this_years_journal(data: Path) -> Path:
    return data / "journal" / f"{datetime.now(ZoneInfo('Asia/Shanghai')).year}.jsonl"


def padded(size: int) -> bytes:
    """Two records, `size` bytes in all: the second one's note pads it out."""
    empty = json.dumps({"id": "20261102-090000-00000002", "type": "record", "item": "C01",
                        "date": "2026-11-02", "at": "2026-11-02T09:00:00+08:00", "note": ""},
                       ensure_ascii=False) + "\n"
    padding = size - len(SEED) - len(empty)
    assert padding >= 0
    raw = (SEED + empty.replace('"note": ""', f'"note": "{"x" * padding}"')).encode()
    assert len(raw) == size
    return raw


def fill(disk: Path, leave_free: int = 0) -> Path:
    """Write a filler file until the disk refuses a single byte more, then free `leave_free` bytes."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in (65536, PAGE, 256, 16, 1):
            chunk = b"\0" * size
            try:
                while True:
                    handle.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    if leave_free:
        os.truncate(filler, filler.stat().st_size - leave_free)
    return filler


def record(data: Path) -> tuple[int, str]:
    result = run_cli("record", "C01", "--date", "2026-11-20", "--note", "满盘", "--data", str(data))
    return result.exit_code, result.output.replace("\n", "")


def leftovers(data: Path) -> set[str]:
    return {p.name for p in (data / "journal").iterdir()} - {".journal.lock"} - {
        p.name for p in (data / "journal").glob("*.jsonl")}


@pytest.mark.parametrize("room_in_last_page", [0, 20], ids=["page-full", "short-write"])
def test_an_append_on_a_full_disk_leaves_the_journal_byte_for_byte(
    tiny_disk: Path, room_in_last_page: int
) -> None:
    data = data_on(tiny_disk)
    path = this_years_journal(data)
    path.write_bytes(padded(2 * PAGE - room_in_last_page))  # with 20 bytes of room, 20 land
    before = path.read_bytes()
    filler = fill(tiny_disk)
    code, output = record(data)
    assert code == 2, output
    assert "无法写入日志" in output
    assert os.strerror(errno.ENOSPC) in output
    assert path.read_bytes() == before
    filler.unlink()  # room again: the next record works
    assert record(data)[0] == 0
    assert path.read_bytes().startswith(before)
    assert len(path.read_bytes().splitlines()) == 3


def test_a_first_record_of_the_year_on_a_full_disk_leaves_no_empty_file(tiny_disk: Path) -> None:
    data = data_on(tiny_disk)
    fill(tiny_disk)
    code, output = record(data)
    assert code == 2, output
    assert not this_years_journal(data).exists()
    assert leftovers(data) == set()


@pytest.mark.parametrize("free", [0, PAGE], ids=["no-room", "one-page-of-room"])
def test_a_torn_tail_on_a_full_disk_is_left_as_it_was(tiny_disk: Path, free: int) -> None:
    data = data_on(tiny_disk)
    path = this_years_journal(data)
    path.write_bytes(padded(2 * PAGE) + TORN.encode())  # the rewrite needs three pages
    before = path.read_bytes()
    filler = fill(tiny_disk, leave_free=free)
    code, output = record(data)
    assert code == 2, output
    assert "无法写入日志" in output
    assert path.read_bytes() == before
    assert leftovers(data) == set()  # no half-written temporary copy either
    filler.unlink()
    assert record(data)[0] == 0
    raw = path.read_bytes()
    assert raw.startswith(before[: -len(TORN)])
    assert TORN.encode() not in raw
    assert len(raw.splitlines()) == 3
