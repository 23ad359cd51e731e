"""The journal holds NUL bytes."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    path = data / "journal" / "2026.jsonl"
    path.parent.mkdir()
    path.write_bytes(b"\x00" * 64 + b"\n")
