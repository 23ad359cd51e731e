"""What the store keeps to spare work every command would otherwise repeat: China's working-day
year tables (zwgk/store/yeartables.py, instead of importing `holidays`) and the digests of
unchanged files (zwgk/store/digests.py, instead of hashing 50 MB of journals). Each gives exactly
what it stands in for, and is worked out again whenever what it came from may have changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from zwgk.dates.workdays import year_table
from zwgk.load import as_now
from zwgk.load.files import LISTING
from zwgk.store import cache, digests, warm, yeartables
from zwgk.store import fingerprint as code

# --- the year tables -------------------------------------------------------------------------


@pytest.mark.parametrize("year", [*range(2001, 2028), 1999, 2040])
def test_a_kept_year_table_is_the_one_holidays_gives(year: int) -> None:
    yeartables.kept_year(year)  # made and kept
    assert yeartables.kept_at(year).exists()
    assert yeartables.kept_year(year) == year_table(year)  # read back


def test_a_damaged_table_is_made_again(tmp_path: Path) -> None:
    yeartables.kept_year(2026)
    yeartables.kept_at(2026).write_bytes(b"\x00not marshal")
    assert yeartables.kept_year(2026) == year_table(2026)
    cache.save(yeartables.kept_at(2026), ("of", "another", "shape"))
    assert yeartables.kept_year(2026) == year_table(2026)


def test_a_table_is_kept_by_zwgk_s_and_holidays_files(monkeypatch: pytest.MonkeyPatch) -> None:
    before = yeartables.kept_at(2026)
    code.fingerprint.cache_clear()
    monkeypatch.setattr(code, "_LIBRARIES", ("holidays", "yaml"))  # as if another install
    try:
        assert yeartables.kept_at(2026) != before
    finally:
        code.fingerprint.cache_clear()


def test_without_the_cache_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_NO_CACHE", "1")
    yeartables.kept_at(2031).unlink(missing_ok=True)
    assert yeartables.kept_year(2031) == year_table(2031)
    assert not yeartables.kept_at(2031).exists()


def test_a_year_out_of_range_is_refused_as_before() -> None:
    with pytest.raises(ValueError, match="year out of range"):
        yeartables.kept_year(10_000)


# --- the digests -----------------------------------------------------------------------------


def settled(path: Path, text: str) -> Path:
    """A file written more than two seconds ago, as far as its mtime and ctime tell."""
    path.write_text(text, encoding="utf-8")
    old = time.time() - 10
    os.utime(path, (old, old))  # mtime; ctime is now, so wait it out below
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files digests.Digests read and hashed (rather than answered by their stat)."""
    read: list[str] = []

    def spy(name: str) -> str | None:
        read.append(name)
        return as_now(name)

    monkeypatch.setattr(digests, "as_now", spy)
    monkeypatch.setattr(warm, "SETTLED_NS", 0)  # ctime cannot be set back: trust "now" here
    return read


def command(path: Path) -> str | None:
    """One command's look at a file, as snapshot._current takes it: then what it learnt is saved."""
    memo = digests.Digests()
    try:
        return memo.as_now(str(path))
    finally:
        memo.save()


def test_an_unchanged_file_is_answered_by_its_stat(tmp_path: Path, reads: list[str]) -> None:
    path = settled(tmp_path / "2026.jsonl", "{}\n")
    assert command(path) == as_now(str(path))
    assert command(path) == as_now(str(path))  # another command
    assert reads == [str(path)], "hashed once, then known by its stat"


@pytest.mark.parametrize("change", ["append", "same size, old mtime put back", "replaced"])
def test_a_changed_file_is_hashed_again(tmp_path: Path, reads: list[str], change: str) -> None:
    path = settled(tmp_path / "tasks.yaml", "a: 1\n")
    command(path)
    stat = path.stat()
    if change == "append":
        path.write_text("a: 1\nb: 2\n", encoding="utf-8")
    elif change == "replaced":
        (tmp_path / "new").write_text("a: 2\n", encoding="utf-8")
        os.replace(tmp_path / "new", path)
    else:
        path.write_text("a: 2\n", encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert command(path) == as_now(str(path))
    assert reads == [str(path), str(path)]


def test_a_file_written_just_now_is_not_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "2026.jsonl"
    path.write_text("{}\n", encoding="utf-8")  # its ctime is now: a write in this tick could follow
    memo = digests.Digests()
    memo.as_now(str(path))
    memo.save()
    assert str(path) not in (cache.load(cache.root() / digests.MEMO) or {})


def test_absent_files_listings_and_folders_are_as_the_loader_says(tmp_path: Path) -> None:
    memo = digests.Digests()
    assert memo.as_now(str(tmp_path / "missing.yaml")) == ""
    assert memo.as_now(str(tmp_path / "journal") + LISTING) == as_now(str(tmp_path / "journal") + LISTING)
    assert memo.as_now(str(tmp_path)) is None  # a folder where a file should be


def test_the_memo_is_saved_once_it_learnt_and_survives_damage(tmp_path: Path, reads: list[str]) -> None:
    path = settled(tmp_path / "owners.yaml", "x: 1\n")
    memo = digests.Digests()
    memo.as_now(str(path))
    memo.save()
    assert str(path) in cache.load(cache.root() / digests.MEMO)
    (cache.root() / digests.MEMO).write_bytes(b"junk")
    assert digests.Digests().as_now(str(path)) == as_now(str(path))


def test_where_a_stat_cannot_tell_a_rewrite_every_file_is_hashed_again(
        tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm, "STAT_TRUSTED", False)  # Windows: st_ctime is the creation time
    path = settled(tmp_path / "2026.jsonl", "{}\n")
    command(path)
    command(path)
    assert reads == [str(path), str(path)]
