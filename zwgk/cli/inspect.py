"""`zwgk inspect`: the national spot check simulated on the check date — would the site fail
today, and on which day will it if nothing more is published. Exit 0 no veto, 1 a veto tripped.

Across units (repeated --data, --workspace, or a ./zwgk.yaml) one table of units × indicators
comes first, then each unit. The command stays offline: it reads the journal (records and what
`zwgk scan` observed), never the website.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import (
    AsOfOption,
    DataListOption,
    JsonOption,
    UnitOption,
    WorkspaceOption,
    as_of_moment,
    chosen_format,
    format_help,
)
from zwgk.cli.output import emit

InspectFormat = Annotated[str, typer.Option("--format", help=format_help("inspect"))]
OutputOption = Annotated[Path | None, typer.Option(
    "-o", "--output", help="输出文件;'-' 为标准输出 (default: text/json 输出到标准输出,"
    "html 写入当前目录的 zwgk-抽查-<检查日>.html)", show_default=False)]


def register(app: typer.Typer) -> None:
    app.command(name="inspect", cls=ZwgkCommand)(inspect)


def inspect(
    data: DataListOption = None, as_of: AsOfOption = None, json: JsonOption = False,
    workspace: WorkspaceOption = None, unit: UnitOption = None,
    output_format: InspectFormat = "text", output: OutputOption = None,
) -> None:
    """抽查模拟(国办秘函〔2019〕19号):单项否决指标今天是否触发,不再发布的话哪天触发,先更新哪些栏目。
    窗口从检查日往前滚动计算;触发单项否决时退出码 1。"""
    from zwgk.cli.units import exit_if_broken, is_multi, select_units
    from zwgk.report.registry import FORMATS, renderer
    from zwgk.summary.inspection import inspect_runs

    chosen = FORMATS[chosen_format("inspect", output_format, json)]
    day, at = as_of_moment(as_of)
    runs = select_units(data, workspace, unit, day, None, at=at)
    multi = is_multi(runs)
    answer = inspect_runs(runs, day, multi)
    payload = renderer("inspect-units" if multi else "inspect", chosen.name)(answer)
    if output is None and not chosen.to_stdout:
        output = Path(f"zwgk-抽查-{day}.{chosen.suffix}")
    if output is None or str(output) == "-":
        if isinstance(payload, str):
            sys.stdout.write(payload.rstrip("\n") + "\n")
        else:
            emit(payload)
    else:
        from zwgk.cli.output import plain_text, write_file
        from zwgk.report.plain import Lines

        text = payload if isinstance(payload, str) else plain_text(
            payload if isinstance(payload, Lines) else Lines((payload,)))
        write_file(text.encode("utf-8"), output)
    exit_if_broken(runs)
    if answer.veto:
        raise typer.Exit(1)


