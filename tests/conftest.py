"""Shared test helpers: a fresh copy of the mini dataset, inline YAML files, and the CLI in-process.

Import the plain helpers with `from conftest import run_cli, write_yaml, tree_bytes`;
`mini_data` is a fixture.
"""

from __future__ import annotations

import shutil
import textwrap
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from zwgk.cli.app import app

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini"


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests (and the subprocesses they start) keep their cache out of the user's."""
    monkeypatch.setenv("ZWGK_CACHE_DIR", str(tmp_path_factory.mktemp("zwgk-cache")))


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini at tmp_path/"data"."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def write_yaml(folder: Path, name: str, text: str) -> Path:
    """Write dedented `text` as UTF-8 to folder/name, with LF line endings on every platform.

    One leading newline (the one after an opening triple quote) is dropped, so the first line
    written is line 1 — the line numbers tests assert on are those of the text as it reads.
    """
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(textwrap.dedent(text).removeprefix("\n").encode("utf-8"))
    return path


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run `zwgk ARGS` in-process at a fixed width; exit codes are kept, tracebacks fail the test.

    `result.output` holds stdout and stderr interleaved; `result.stdout` only stdout (for --json).
    """
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120", "ZWGK_DEBUG": "1", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"zwgk {' '.join(args)} crashed instead of reporting:\n{trace}")
    return result


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under folder → its bytes, to prove a command wrote nothing (or only its line)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def block(output: str, header: str) -> list[str]:
    """The lines of one printed diagnostic: its header line and the lines under it, up to the
    next diagnostic or the summary line. Exactly one header must match."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(header)]
    assert len(starts) == 1, f"expected exactly one line starting {header!r} in:\n{output[:5000]}"
    found = [lines[starts[0]]]
    for line in lines[starts[0] + 1 :]:
        if line.startswith("data"):  # the next diagnostic, or the summary line
            break
        found.append(line)
    return found


HOURS_COLUMN = """\
  - id: C05
    path: [重点领域公开, 突发事件]
    lead: [办公室]
    requirement: 5小时内发布权威信息
    rule: {kind: event, trigger: 重大突发事件, unit: hours, amount: 5}
"""


def unit_with_hours(folder: Path, events: list[dict[str, object]]) -> Path:
    """A copy of the mini data at folder/"data" with a 5-hour column (C05) and `events` as its journal."""
    import json

    data = folder / "data"
    shutil.copytree(MINI, data)
    with open(data / "columns.yaml", "a", encoding="utf-8") as handle:
        handle.write(HOURS_COLUMN)
    (data / "journal").mkdir()
    (data / "journal" / "2026.jsonl").write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    return data


def loaded_dataset(folder: Path):  # type: ignore[no-untyped-def]
    """A data folder's dataset, loaded cleanly (the test fails with the diagnostics otherwise)."""
    from zwgk.load import load_dataset

    result = load_dataset(folder)
    assert result.dataset is not None, result.diagnostics
    return result.dataset


class FullDisk:
    """A file handle on a full disk: `landed` of each write reaches the file, then ENOSPC."""

    def __init__(self, handle, landed: float) -> None:  # type: ignore[no-untyped-def]
        self._handle = handle
        self._landed = landed

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._handle, name)

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def write(self, data: bytes) -> int:
        import errno
        import os

        self._handle.write(data[: int(len(data) * self._landed)])
        self._handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
