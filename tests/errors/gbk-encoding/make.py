"""tasks.yaml saved as GBK."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    path = data / "tasks.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
