"""zwgk.yaml: the units shown together (a province and its cities) and where their data lives."""

from __future__ import annotations

from pathlib import Path

from zwgk.errors import Diagnostic
from zwgk.load.plan import load_model
from zwgk.models import WorkspaceFile


def load_workspace(path: Path) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """zwgk.yaml → (unit name, data folder) pairs; folders are relative to the file."""
    diagnostics: list[Diagnostic] = []
    found = load_model(path, WorkspaceFile, diagnostics)
    if found is None:
        return [], diagnostics
    model, source = found
    units = []
    seen: set[str] = set()
    for index, unit in enumerate(model.units):
        if unit.name in seen:
            diagnostics.append(source.diagnostic(("units", index, "name"), "duplicate-unit",
                                                 f"单位 '{unit.name}' 重复 (duplicate unit)"))
        seen.add(unit.name)
        units.append((unit.name, path.parent / unit.data))
    return units, diagnostics
