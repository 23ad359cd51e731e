"""settings.yaml padded to 10 MB."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    path = data / "settings.yaml"
    padding = ("# " + "x" * 98 + "\n").encode() * 100_000
    path.write_bytes(path.read_bytes() + padding)
