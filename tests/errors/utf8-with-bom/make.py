"""Every plan file starts with a UTF-8 byte-order mark."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    for path in sorted(data.glob("*.yaml")):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
