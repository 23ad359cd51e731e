"""Line 2 of the journal was saved as GBK by an editor."""

from __future__ import annotations

from pathlib import Path


def line(entry_id: str) -> str:
    return (f'{{"id": "{entry_id}", "type": "record", "item": "C01", '
            '"date": "2026-03-01", "at": "2026-03-01T09:00:00+08:00", "by": "张三"}\n')


def make(data: Path) -> None:
    path = data / "journal" / "2026.jsonl"
    path.parent.mkdir()
    path.write_bytes(line("e1").encode() + line("e2").encode("gbk") + line("e3").encode())
