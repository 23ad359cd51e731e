"""The pipeline's layers, read from the imports: models → dates → load → rules → summary → report
→ store → writers → cli. Every zwgk import anywhere (top level, inside a function, under
TYPE_CHECKING) points down or within its own layer; none points up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "zwgk"

# Lowest first. A module may import its own layer and the layers before it, nothing after.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("zwgk.errors",),
    ("zwgk.models",),
    ("zwgk.dates",),
    ("zwgk.load",),
    ("zwgk.rules",),
    ("zwgk.summary",),
    ("zwgk.report",),
    ("zwgk.store",),
    ("zwgk.journal", "zwgk.scaffold", "zwgk.send", "zwgk.scan"),  # the writers (send/: the reminders' transports)
    ("zwgk.cli",),
    ("zwgk.bench", "zwgk.__main__"),
)
CORE = ("zwgk.errors", "zwgk.models", "zwgk.dates", "zwgk.load", "zwgk.rules", "zwgk.summary")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(name: str) -> int:
    for index, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"{name} belongs to no layer: add it to LAYERS")


def imports_of(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) for every zwgk import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "zwgk" or node.module.startswith("zwgk."):
                found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("zwgk")]
    return found


def targets(module: str, names: list[str]) -> list[str]:
    """`from zwgk.cli import ci` imports zwgk.cli.ci; `from zwgk.load import x` imports zwgk.load."""
    if module == "zwgk":
        return [f"zwgk.{name}" for name in names]
    below = [f"{module}.{name}" for name in names if (PACKAGE.parent / f"{module}.{name}".replace(".", "/")).exists()
             or (PACKAGE.parent / (f"{module}.{name}".replace(".", "/") + ".py")).exists()]
    return below or [module]


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path: Path) -> None:
    here = module_name(path)
    upward = [f"line {line}: {here} imports {target}"
              for line, module, names in imports_of(path)
              for target in targets(module, names)
              if layer_of(target) > layer_of(here)]
    assert not upward, "\n".join(upward)


def test_models_import_no_other_zwgk_module() -> None:
    for path in (PACKAGE / "models").glob("*.py"):
        assert all(m.startswith("zwgk.models") for _, m, _ in imports_of(path)), path


@pytest.mark.parametrize("path", [p for p in SOURCES if not module_name(p).startswith(("zwgk.cli", "zwgk.bench"))],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_command_line_knows_typer(path: Path) -> None:
    """Errors raised below the command line are ZwgkErrors that carry their exit code, not
    typer.Exit or click exceptions: the one handler in zwgk/cli/app.py turns them into exits."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"typer", "click"}, path


@pytest.mark.parametrize("path", [p for p in SOURCES if module_name(p).startswith(CORE)],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_knows_nothing_of_the_terminal_or_the_clock(path: Path) -> None:
    """Below the renderers nothing prints, exits, or asks for the date: "today" is an argument."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"typer", "click", "rich"}, f"{path.name} imports {imported & {'typer', 'click', 'rich'}}"
    calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert not calls & {"print", "sys.exit", "date.today", "datetime.now", "datetime.today"}, calls


def test_no_module_is_over_about_four_hundred_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in SOURCES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, long
