"""`zwgk validate`: every data defect of every unit at once, and the source's own gaps as warnings."""

from __future__ import annotations

from typing import Annotated

import typer

from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import DataListOption, JsonOption, WorkspaceOption, chosen_format, format_help, today
from zwgk.cli.output import emit
from zwgk.cli.units import unit_folders
from zwgk.errors import EXIT_ERROR, has_errors
from zwgk.load import LoadMemo, display_path
from zwgk.report.registry import renderer
from zwgk.store.snapshot import loaded

ValidateFormat = Annotated[str, typer.Option("--format", help=format_help("validate"))]


def register(app: typer.Typer) -> None:
    app.command(cls=ZwgkCommand)(validate)


def validate(data: DataListOption = None, json: JsonOption = False,
             workspace: WorkspaceOption = None, output_format: ValidateFormat = "text") -> None:
    """检查数据:错误(退出码 2)和源文自身的缺漏(警告);继承上级目录时列出继承结果。"""
    from zwgk.load.checks import check_future_entries
    from zwgk.summary.answers import UnitCheck, ValidateAnswer

    chosen = chosen_format("validate", output_format, json)
    units = []
    memo = LoadMemo()  # a catalogue followed by many units is loaded once
    for name, folder in unit_folders(data, workspace):
        result = loaded(folder, memo=memo)
        found = list(result.diagnostics)
        if result.dataset is not None:
            found += check_future_entries(result.dataset, today())
        from zwgk.load.notify import notify_diagnostics  # the optional notify.yaml (zwgk notify)

        found += notify_diagnostics(folder, result.dataset.owners if result.dataset else None)
        units.append(UnitCheck(name, display_path(folder), result, tuple(found)))
    emit(renderer("validate", chosen)(ValidateAnswer(tuple(units))))
    if any(has_errors(unit.found) or unit.result.dataset is None for unit in units):
        raise typer.Exit(EXIT_ERROR)
