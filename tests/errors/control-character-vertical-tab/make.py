"""tasks.yaml: a task's text pasted from Word, with its manual line break (U+000B)."""

from __future__ import annotations

from pathlib import Path


def make(data: Path) -> None:
    path = data / "tasks.yaml"
    path.write_bytes(path.read_bytes().replace("完成一件事。".encode(), "完成一件\x0b事。".encode()))
