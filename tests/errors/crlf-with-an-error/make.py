"""tasks.yaml with Windows line endings."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    path = data / "tasks.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
