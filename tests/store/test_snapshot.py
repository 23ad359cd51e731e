"""Snapshots (zwgk/snapshot.py): the same answers as a fresh load, and a miss whenever any input
the load read — or looked for and did not find — is different now."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import TESTS, run_cli

from zwgk.load import LoadMemo, load_dataset
from zwgk.load.files import LISTING
from zwgk.store import cache, snapshot
from zwgk.store import fingerprint as code

PROVINCE = TESTS / "fixtures" / "province"
AS_OF = date(2026, 11, 26)


@pytest.fixture
def province(tmp_path: Path) -> Path:
    shutil.copytree(PROVINCE, tmp_path / "province")
    return tmp_path / "province"


def journal_line(entry_id: str, item: str, day: str, kind: str = "record") -> str:
    return json.dumps({"id": entry_id, "type": kind, "item": item, "date": day,
                       "at": f"{day}T09:00:00+08:00"}, ensure_ascii=False) + "\n"


def fresh_and_kept(folder: Path, unit: str | None = None) -> tuple[object, ...]:
    """A fresh load, the run that makes the snapshot, and the run that reads it."""
    os.environ["ZWGK_NO_CACHE"] = "1"
    try:
        fresh = snapshot.evaluated(folder, AS_OF, None, unit=unit)
    finally:
        del os.environ["ZWGK_NO_CACHE"]
    making = snapshot.evaluated(folder, AS_OF, None, unit=unit)
    assert list(cache.folder_for(folder).glob("snapshot-*.marshal")), "the first run keeps one"
    reading = snapshot.evaluated(folder, AS_OF, None, unit=unit)
    return fresh, making, reading


@pytest.mark.parametrize("unit", [None, "合肥"])
def test_a_snapshot_gives_what_a_fresh_load_gives(province: Path, unit: str | None) -> None:
    (fresh, fresh_eval), (made, made_eval), (kept, kept_eval) = fresh_and_kept(  # type: ignore[misc]
        province / "合肥", unit)
    assert fresh_eval == made_eval == kept_eval
    assert fresh.diagnostics == made.diagnostics == kept.diagnostics
    for part in ("settings", "owners", "items", "calendar", "inherits", "entries"):
        assert getattr(fresh.dataset, part) == getattr(kept.dataset, part), part
    # The journal is not kept: it is read when asked for, and is the same.
    assert fresh.dataset.journal == kept.dataset.journal
    assert dict(fresh.dataset.journal_locations) == dict(kept.dataset.journal_locations)


def test_obligations_survive_the_round_trip(mini_data: Path) -> None:
    journal = mini_data / "journal"
    journal.mkdir()
    (journal / "2026.jsonl").write_text(
        journal_line("e1", "C03", "2026-11-02", "event") + journal_line("r1", "C01", "2026-10-02"),
        encoding="utf-8")
    (_, fresh), _, (_, kept) = fresh_and_kept(mini_data)  # type: ignore[misc]
    assert any(s.obligation for s in kept.statuses)  # type: ignore[attr-defined]
    assert fresh == kept


def test_every_file_a_load_opens_is_an_input(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    read_bytes = Path.read_bytes

    def spy(path: Path) -> bytes:
        opened.append(str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", spy)
    result = load_dataset(province / "芜湖", memo=LoadMemo())
    reads = result.inputs
    assert result.ok
    assert opened and set(opened) <= set(reads)
    assert any("省局" in name for name in reads), "the followed catalogue is an input"
    assert any(name.endswith(LISTING) for name in reads), "so is the journal folder's listing"
    absent = [name for name, digest in reads.items() if digest == ""]
    assert absent, "and so are the optional files it looked for and did not find"


def status(folder: Path, *args: str) -> dict[str, object]:
    result = run_cli("status", "--data", str(folder), "--json", "--as-of", AS_OF.isoformat(), *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def item(document: dict[str, object], item_id: str) -> dict[str, object]:
    return next(i for i in document["items"] if i["id"] == item_id)  # type: ignore[attr-defined,index]


def test_a_changed_journal_byte_with_the_same_size_and_mtime_is_seen(mini_data: Path) -> None:
    journal = mini_data / "journal"
    journal.mkdir()
    path = journal / "2026.jsonl"
    path.write_text(journal_line("r1", "C01", "2026-11-02"), encoding="utf-8")
    assert item(status(mini_data), "C01")["last"] == "2026-11-02"
    stat = path.stat()
    path.write_text(journal_line("r1", "C01", "2026-11-03"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert item(status(mini_data), "C01")["last"] == "2026-11-03"


def test_a_new_journal_file_is_seen(mini_data: Path) -> None:
    (mini_data / "journal").mkdir()
    assert item(status(mini_data), "C01")["last"] is None
    (mini_data / "journal" / "2025.jsonl").write_text(journal_line("r1", "C01", "2025-12-30"),
                                                      encoding="utf-8")
    assert item(status(mini_data), "C01")["last"] == "2025-12-30"


def test_an_optional_file_that_appears_is_seen(mini_data: Path) -> None:
    before = status(mini_data)
    (mini_data / "calendar.yaml").write_text("days:\n  - {date: 2026-11-26, working: x}\n",
                                             encoding="utf-8")
    result = run_cli("status", "--data", str(mini_data), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 2, "the new, broken calendar is read, not the old snapshot"
    (mini_data / "calendar.yaml").unlink()
    assert status(mini_data) == before


def test_a_change_in_the_followed_catalogue_reaches_the_follower(province: Path) -> None:
    wuhu = province / "芜湖"
    before = status(wuhu)
    tasks = province / "省局" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    first_title = item(before, "T01")["title"]
    tasks.write_text(text.replace(str(first_title), f"{first_title}(修订)", 1), encoding="utf-8")
    assert item(status(wuhu), "T01")["title"] == f"{first_title}(修订)"


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_a_repointed_follows_link_is_seen(province: Path) -> None:
    """`follows: ../current` where current is a symlink to this year's catalogue: pointing the
    link at next year's must not reuse the snapshot made from this year's files."""
    next_year = province / "省局-2027"
    shutil.copytree(province / "省局", next_year)
    tasks = next_year / "tasks.yaml"
    first_title = item(status(province / "省局"), "T01")["title"]
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(str(first_title), "2027 年的事项", 1),
                     encoding="utf-8")
    current = province / "current"
    current.symlink_to("省局", target_is_directory=True)
    settings = province / "芜湖" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("../省局", "../current"),
                        encoding="utf-8")
    assert item(status(province / "芜湖"), "T01")["title"] == first_title
    current.unlink()
    current.symlink_to("省局-2027", target_is_directory=True)
    assert item(status(province / "芜湖"), "T01")["title"] == "2027 年的事项"


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_a_follows_link_that_loops_is_an_error_not_a_crash(province: Path) -> None:
    (province / "loop").symlink_to("loop")
    settings = province / "芜湖" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("../省局", "../loop"),
                        encoding="utf-8")
    result = run_cli("status", "--data", str(province / "芜湖"), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 2
    assert "follows-broken" in result.output and "settings.yaml:" in result.output


def test_each_as_of_date_and_warning_window_has_its_own_snapshot(mini_data: Path) -> None:
    first = status(mini_data)
    later = run_cli("status", "--data", str(mini_data), "--json", "--as-of", "2027-03-01")
    assert json.loads(later.stdout)["as_of"] == "2027-03-01"
    wide = status(mini_data, "--warn-days", "90")
    assert wide != first
    assert status(mini_data) == first


def test_a_snapshot_of_another_shape_is_a_miss(mini_data: Path) -> None:
    first = status(mini_data)
    for kept in cache.folder_for(mini_data).glob("snapshot-*.marshal"):
        cache.save(kept, ("not", "a", "snapshot"))
    assert status(mini_data) == first


def test_new_code_misses_every_snapshot(mini_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    status(mini_data)
    made = set(cache.folder_for(mini_data).glob("snapshot-*.marshal"))
    monkeypatch.setattr(snapshot, "fingerprint", lambda: "another version of zwgk")
    snapshot.evaluated(mini_data, AS_OF, None)
    assert set(cache.folder_for(mini_data).glob("snapshot-*.marshal")) - made


def test_the_fingerprint_covers_the_libraries_a_snapshot_holds_the_work_of(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new YAML reader, validator or calendar may read the same files differently."""
    found = {folder.name for folder in code._library_folders()}
    assert {"yaml", "pydantic", "pydantic_core", "holidays"} <= found
    library = tmp_path / "yaml"
    library.mkdir()
    (library / "__init__.py").write_text("__version__ = '6.0.2'\n", encoding="utf-8")
    monkeypatch.setattr(code, "_library_folders", lambda: [library])
    code.fingerprint.cache_clear()
    before = code.fingerprint()
    (library / "__init__.py").write_text("__version__ = '7.0.0'\n", encoding="utf-8")
    code.fingerprint.cache_clear()
    assert code.fingerprint() != before, "a new version of a library is new files"
    code.fingerprint.cache_clear()


def test_a_library_in_a_zip_is_fingerprinted_by_the_archive(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "libs.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    monkeypatch.setattr(code, "_library_folders", lambda: [archive / "holidays"])
    code.fingerprint.cache_clear()
    try:
        assert code.fingerprint()  # no NotADirectoryError
        assert code._files_of(archive / "holidays") == [archive]
    finally:
        code.fingerprint.cache_clear()


def test_a_workspace_file_is_read_again_when_it_changes(province: Path) -> None:
    workspace = province / "zwgk.yaml"
    first = snapshot.workspace(workspace)
    assert [name for name, _ in first[0]] == ["省局", "合肥", "芜湖"] and not first[1]
    assert snapshot.workspace(workspace) == first  # kept
    workspace.write_text(workspace.read_text(encoding="utf-8").replace("  - {name: 芜湖, data: 芜湖}\n", ""),
                         encoding="utf-8")
    assert [name for name, _ in snapshot.workspace(workspace)[0]] == ["省局", "合肥"]
    workspace.write_text("units: [{name: 省局}]\n", encoding="utf-8")
    _, problems = snapshot.workspace(workspace)
    assert problems, "a broken workspace file is reported, never served from a snapshot"


# --- the recent entries a snapshot keeps for the weekly report ----------------------------------


def long_journal(folder: Path) -> None:
    """Records over three years, and corrections that move entries across the kept window's
    edge both ways (an amend of an old record's date to last week, of a recent one to 2024) and
    void one inside it."""
    lines = [journal_line(f"r{n}", "C01" if n % 2 else "C02", f"{2024 + n % 3}-{1 + n % 12:02d}-{1 + n % 27:02d}")
             for n in range(120)]
    def correction(entry_id: str, kind: str, target: str, item: str, day: str) -> dict[str, str]:
        return {"id": entry_id, "type": kind, "item": item, "date": day, "corrects": target,
                "reason": "更正", "at": "2026-11-25T09:00:00+08:00"}

    rows = (correction("a1", "amend", "r3", "C01", "2026-11-24"), correction("a2", "amend", "r2", "C02", "2024-02-02"),
            correction("v1", "void", "r5", "C01", "2026-11-25"))
    extra = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    journal = folder / "journal"
    journal.mkdir(exist_ok=True)
    (journal / "2026.jsonl").write_text("".join(lines) + extra, encoding="utf-8")


def test_the_kept_recent_entries_are_the_journal_s_from_that_day(mini_data: Path) -> None:
    long_journal(mini_data)
    (fresh, _), _, (kept, _) = fresh_and_kept(mini_data)  # type: ignore[misc]
    records = kept.dataset.records
    edge = records._recent[0]
    for day in (edge, edge + timedelta(days=40), date(2026, 11, 24), date(2027, 1, 1)):
        assert records.since(day) == fresh.dataset.records.since(day), day
        assert records._read is not None, "answered without reading the journal"
    assert records.since(edge - timedelta(days=1)) == fresh.dataset.records.since(edge - timedelta(days=1))
    assert records._read is None, "before the kept window: the journal is read"


@pytest.mark.parametrize("argv", [("report",), ("report", "--format", "json"), ("report", "--format", "html", "-o", "-"),
                                  ("report", "--week", "2025-W10"), ("report", "--from", "2024-01-01", "--to", "2026-11-26"),
                                  ("report", "--dept", "办公室")], ids=" ".join)
def test_a_report_from_a_snapshot_is_the_report_from_the_journal(mini_data: Path, argv: tuple[str, ...]) -> None:
    long_journal(mini_data)
    command = (*argv, "--data", str(mini_data), "--as-of", "2026-11-26")
    fresh = run_cli(*command, env={"ZWGK_NO_CACHE": "1"})
    run_cli(*command)  # makes the snapshots
    kept = run_cli(*command)
    assert kept.exit_code == fresh.exit_code
    assert kept.stdout == fresh.stdout


def test_the_trend_s_overdue_statuses_from_a_snapshot_are_the_judgement_s(province: Path) -> None:
    from zwgk.rules.engine import Status

    folder = province / "合肥"
    day = date(2026, 10, 31)
    made = snapshot.evaluated(folder, day, None)[1]  # keeps the snapshot
    assert made is not None
    kept = snapshot.overdue_at(folder, day, None)
    assert kept == made.with_status(Status.OVERDUE)
    assert kept, "the fixture has overdue items at the end of October"
    os.environ["ZWGK_NO_CACHE"] = "1"
    try:
        assert snapshot.overdue_at(folder, day, None) == kept  # judged afresh: the same
    finally:
        del os.environ["ZWGK_NO_CACHE"]
