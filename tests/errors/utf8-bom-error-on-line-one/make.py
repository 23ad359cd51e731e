"""settings.yaml gets a UTF-8 BOM."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    path = data / "settings.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
