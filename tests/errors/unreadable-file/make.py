"""owners.yaml cannot be read (mode 000)."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    (data / "owners.yaml").chmod(0)
