"""The cache changes nothing but speed: results are identical with and without it,
it follows the file's content (not its mtime), and a broken or shared cache is harmless."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli, tree_bytes

from zwgk.journal import encode
from zwgk.models import JournalEntry
from zwgk.store import cache

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
AS_OF = "2026-11-26"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The mini data with a journal worth caching: records, events, an unknown item, a torn tail."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    lines = []
    for n in range(300):
        kind = "event" if n % 10 == 0 else "record"
        item = ("C03" if kind == "event" else ["C01", "C02", "C04", "T01", "T03"][n % 5])
        lines.append(encode(JournalEntry(
            id=f"20260101-0000{n:02d}-{n:08x}", type=kind, item=item,  # type: ignore[arg-type]
            date=date(2026, n % 11 + 1, n % 27 + 1), at="2026-11-01T09:00:00+08:00",
            by=f"张{n % 7}", url=f"https://example.org/{n}", note=f"第 {n} 条")))
    lines.append(encode(JournalEntry(id="x-unknown", type="record", item="C77", date=date(2026, 5, 1),
                                     at="2026-11-01T09:00:00+08:00")))
    journal = target / "journal" / "2026.jsonl"
    journal.parent.mkdir()
    journal.write_bytes(b"".join(lines) + b'{"id": "torn", "ty')
    return target


def outputs(data: Path) -> dict[str, object]:
    return {
        command: json.loads(run_cli(command, "--data", str(data), "--json",
                                    *(["--as-of", AS_OF] if command == "status" else [])).stdout)
        for command in ("status", "log", "validate")
    }


def test_results_are_identical_without_a_cache_cold_and_warm(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZWGK_NO_CACHE", "1")
    uncached = outputs(data)
    assert not cache.folder_for(data).exists()
    monkeypatch.delenv("ZWGK_NO_CACHE")
    cold = outputs(data)
    assert list(cache.folder_for(data).glob("*.marshal"))
    warm = outputs(data)
    assert uncached == cold == warm
    assert len(uncached["log"]["entries"]) == 301  # type: ignore[index]  # the unknown item stays in the log
    codes = {w["code"] for w in uncached["validate"]["warnings"]}  # type: ignore[index]
    assert {"journal-torn-line", "journal-unknown-item"} <= codes


def test_the_cache_follows_content_not_mtime(data: Path) -> None:
    journal = data / "journal" / "2026.jsonl"
    outputs(data)
    stat = journal.stat()
    text = journal.read_bytes()
    changed = text.replace("张0".encode(), "李0".encode())  # same size, other content
    assert len(changed) == len(text) and changed != text
    journal.write_bytes(changed)
    os.utime(journal, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    people = {e.get("by") for e in outputs(data)["log"]["entries"]}  # type: ignore[index]
    assert "李0" in people and "张0" not in people


def test_a_corrupt_cache_file_is_a_miss(data: Path) -> None:
    expected = outputs(data)
    for path in cache.folder_for(data).glob("*.marshal"):
        path.write_bytes(b"\x00garbage")
    assert outputs(data) == expected


def test_reading_data_never_writes_into_the_data_folder(data: Path) -> None:
    before = tree_bytes(data)
    outputs(data)
    outputs(data)
    assert tree_bytes(data) == before


def test_processes_sharing_a_cold_cache_agree(data: Path) -> None:
    command = [sys.executable, "-m", "zwgk", "log", "--json", "--data", str(data)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for _ in range(4)]
    results = [json.loads(run.communicate()[0]) for run in runs]
    assert all(result == results[0] for result in results)
    assert json.loads(subprocess.run(command, capture_output=True, check=True).stdout) == results[0]
    assert not list(cache.folder_for(data).glob("*.tmp"))


def test_cache_clear_removes_it_and_loses_nothing(data: Path) -> None:
    expected = outputs(data)
    assert cache.folder_for(data).exists()
    cache.save(cache.root() / cache.DIGESTS, {})  # the files' digests, kept by their stat
    result = run_cli("cache", "clear", "--data", str(data))
    assert result.exit_code == 0 and "已删除缓存" in result.stdout
    assert not cache.folder_for(data).exists()
    assert not (cache.root() / cache.DIGESTS).exists()
    assert outputs(data) == expected


def test_an_unwritable_cache_folder_just_means_no_cache(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ZWGK_CACHE_DIR", str(blocker / "cache"))  # below a file: cannot exist
    expected = outputs(data)
    assert expected == outputs(data)


def test_the_cache_digest_is_the_loaders() -> None:
    """cache.digest is used without importing the loader (the warm path): the same function."""
    from zwgk.load.files import digest

    for raw in (b"", b"tasks: []\n", "中文".encode(), bytes(range(256)) * 1000):
        assert cache.digest(raw) == digest(raw)


def test_the_warm_path_s_suffixes_are_the_loaders() -> None:
    from zwgk.load.files import LISTING, TARGET
    from zwgk.store import warm

    assert (warm.LISTING, warm.TARGET) == (LISTING, TARGET)


def test_importing_the_cache_imports_no_loader() -> None:
    code = ("import sys; import zwgk.store.warm, zwgk.store.cache; "
            "print(sorted(m for m in sys.modules if m.startswith(('zwgk.load', 'zwgk.models', 'pydantic', "
            "'yaml', 'typer', 'rich'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("cut", [0, 3, 11, 12, 40])
def test_a_beginning_and_the_whole_are_digested_in_one_pass(cut: int) -> None:
    raw = b'{"id": "x"}\n{"id": "y"'
    assert cache.digests_of(raw, cut) == (cache.digest(raw[:cut]), cache.digest(raw))
