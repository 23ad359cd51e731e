"""Which data a command runs on, loaded and judged: the default data folder ($ZWGK_DATA, ./data,
or the bundled data), repeated --data, or a workspace (zwgk.yaml). Errors in the one folder
exit 2 at once; across units a broken unit's errors are printed with its own paths and the
others still report."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zwgk.cli.output import err, print_errors
from zwgk.errors import UserError, has_errors
from zwgk.load import LoadMemo, LoadResult, bundled_data_dir, display_path
from zwgk.models import Dataset
from zwgk.store.snapshot import loaded

if TYPE_CHECKING:
    from zwgk.summary.units import UnitRun


def data_dir(explicit: Path | None) -> tuple[Path, bool]:
    """The data folder and whether the user chose it (bundled data is read-only).

    A ./data folder is the office's data whatever it holds: one missing tasks.yaml (or holding a
    tasks.yml typed by mistake) is an error that says so, never a reason to show the bundled
    data as if it were the office's. The bundled data is used only where there is no ./data,
    and a note on stderr says so."""
    if explicit is not None:
        return explicit, True
    if os.environ.get("ZWGK_DATA"):
        return Path(os.environ["ZWGK_DATA"]), True
    if Path("data").exists():
        return Path("data"), True
    bundled = bundled_data_dir()
    err(f"注意:当前文件夹没有 data/,以下是随程序附带的示例数据({display_path(bundled)})。"
        "用 --data 指定数据文件夹,或用 zwgk init 新建。 (no ./data here: showing the bundled sample data)")
    return bundled, False


def load_or_exit(data: Path | None) -> Dataset:
    """Load the data; on errors print them all (file:line:col, excerpt, caret) and exit 2."""
    return load_folder(data_dir(data)[0])


def load_folder(folder: Path) -> Dataset:
    result = loaded(folder)
    report_problems(result)
    assert result.dataset is not None
    return result.dataset


def for_writing(data: Path | None) -> tuple[Path, bool, Dataset]:
    """A writer's data folder, whether the user chose it, and its data: the folder resolved once
    (the bundled-data note printed once), the refusal left to `refuse_bundled` at the moment the
    writer would write."""
    folder, chosen = data_dir(data)
    return folder, chosen, load_folder(folder)


def refuse_bundled(chosen: bool) -> None:
    """The bundled data is read-only: zwgk never writes into its own installation."""
    if not chosen:
        raise UserError("未指定数据文件夹:不能写入随程序安装的示例数据 (bundled data is read-only)",
                        ("用 zwgk init 新建数据文件夹,或用 --data / ZWGK_DATA 指定。",))


def report_problems(result: LoadResult) -> None:
    if not result.ok:
        print_errors(result.diagnostics, "运行 zwgk validate 查看全部")
        raise typer.Exit(2)
    noteworthy = [d for d in result.diagnostics if not d.code.startswith("gap-")]
    if noteworthy:
        err(f"注意:数据有 {len(noteworthy)} 个警告,运行 zwgk validate 查看 "
            f"({len(noteworthy)} warnings; see zwgk validate)")


def unit_specs(data: list[Path] | None, workspace: Path | None) -> list[tuple[str | None, Path]] | None:
    """The units a command looks at; None means the one default data folder."""
    if workspace is None and not data and not os.environ.get("ZWGK_DATA") and Path("zwgk.yaml").is_file():
        workspace = Path("zwgk.yaml")
    if workspace is not None:
        from zwgk.store.snapshot import workspace as workspace_units

        units, problems = workspace_units(workspace)
        if has_errors(problems) or not units:
            print_errors(tuple(problems), "工作区清单有误 (the workspace file is invalid)")
            raise typer.Exit(2)
        return [(name, path) for name, path in units]
    if data and len(data) > 1:
        return [(None, path) for path in data]
    return None


def unit_folders(data: list[Path] | None, workspace: Path | None) -> list[tuple[str | None, Path]]:
    """The units a command looks at, the one default data folder included (unnamed)."""
    return unit_specs(data, workspace) or [(None, data_dir(data[0] if data else None)[0])]


def select_units(data: list[Path] | None, workspace: Path | None, wanted: list[str] | None,
                 as_of: date, warn_days: int | None, keep_broken: bool = False,
                 at: str | None = None, known_at: date | None = None,
                 memo: LoadMemo | None = None) -> list[UnitRun]:
    """Load and evaluate each unit. One unit: errors exit 2 at once, unless `keep_broken` asks
    for the broken unit back. Several: a broken unit's errors are printed with its own paths and
    the others still report. `memo` shares the loads with whatever the command judges next (the
    report's trend judges the same units at earlier days: a load is not made twice)."""
    from zwgk.store.snapshot import evaluated
    from zwgk.summary.units import UnitRun, tagged_evaluation

    specs = unit_specs(data, workspace)
    if specs is None:
        folder = data_dir(data[0] if data else None)[0]
        result, evaluation = evaluated(folder, as_of, warn_days, memo, at=at, known_at=known_at)
        if not result.ok and keep_broken:
            print_errors(result.diagnostics, "运行 zwgk validate 查看全部")
            return [UnitRun(display_path(folder), "", None, result.diagnostics, folder=folder)]
        report_problems(result)  # exits 2 on errors; notes warnings
        dataset = result.dataset
        assert dataset is not None
        assert evaluation is not None
        return [UnitRun(dataset.settings.unit, "", dataset, result.diagnostics, evaluation, folder)]
    runs = []
    memo = memo if memo is not None else LoadMemo()  # a catalogue followed by many units is loaded once
    for name, path in specs:
        if name is not None and wanted and name not in wanted:
            continue  # not even loaded
        result, evaluation = evaluated(path, as_of, warn_days, memo, unit=name, at=at, known_at=known_at)
        unit = name or (result.dataset.settings.unit if result.dataset else display_path(path))
        if wanted and unit not in wanted:
            continue
        if evaluation is not None and name is None:
            evaluation = tagged_evaluation(evaluation, unit)
        runs.append(UnitRun(unit, display_path(path), result.dataset if result.ok else None,
                            result.diagnostics, evaluation, path))
    unknown = set(wanted or ()) - {run.name for run in runs}
    if unknown:
        raise UserError(f"没有这些单位:{'、'.join(sorted(unknown))} (unknown unit)",
                        tuple(f"可选:{name}" for name, _ in specs if name))
    for run in runs:
        if run.broken:
            print_errors(run.diagnostics, f"单位 {run.name} 的数据有误,未计入 (unit skipped)")
    return runs


def is_multi(runs: list[UnitRun]) -> bool:
    """Several units (ids shown qualified), rather than the one default data folder."""
    return bool(runs) and runs[0].path != ""


def exit_if_broken(runs: list[UnitRun]) -> None:
    if any(run.broken for run in runs):
        raise typer.Exit(2)


def resolve_dept(runs: list[UnitRun], dept: str | None) -> str | None:
    """A department's canonical name; in a workspace, known to at least one unit."""
    from zwgk.errors import LookupFailed
    from zwgk.rules.owners import resolve_owner

    if not dept:
        return None
    failure: LookupFailed | None = None
    for run in runs:
        if run.dataset is not None:
            try:
                return resolve_owner(run.dataset, dept)
            except LookupFailed as error:
                failure = error
    if failure is None:
        raise UserError(f"找不到处室或单位 '{dept}' (unknown department)")
    raise failure
