"""Windows line endings in every plan file."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    for path in sorted(data.glob("*.yaml")):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
