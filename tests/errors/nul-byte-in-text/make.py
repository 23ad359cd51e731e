"""settings.yaml: one NUL byte in the middle of an otherwise good text file."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    path = data / "settings.yaml"
    path.write_bytes(path.read_bytes().replace(b"warn_days: 14", b"warn_days: 1\x004"))
