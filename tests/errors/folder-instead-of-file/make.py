"""owners.yaml is a folder."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    (data / "owners.yaml").unlink()
    (data / "owners.yaml").mkdir()
