"""A year's new journal file survives a power cut: its folder entry is synced once, when made."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from zwgk import journal
from zwgk.models import JournalEntry

NOW = datetime(2026, 12, 2, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


def entry(n: int) -> JournalEntry:
    return JournalEntry(id=f"20261202-101500-0000000{n}", type="record", item="C01",
                        date=NOW.date(), at=NOW.isoformat())


def test_the_folder_is_synced_when_the_years_file_is_created_and_only_then(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    real = journal._sync_folder
    monkeypatch.setattr(journal, "_sync_folder", lambda folder: (synced.append(folder), real(folder)))
    folder = tmp_path / "journal"
    journal.append(folder, entry(1), NOW)
    assert synced == [folder]
    journal.append(folder, entry(2), NOW)
    assert synced == [folder], "an append to an existing file needs no folder sync"
    assert (folder / "2026.jsonl").read_bytes().count(b"\n") == 2
