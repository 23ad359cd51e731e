"""columns.yaml is binary junk."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    (data / "columns.yaml").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
