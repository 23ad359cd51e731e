"""The CI gate, a new office's repository, and housekeeping: `check`, `init`, `cache clear`.

Registered on the app by cli/app.py; units come from cli/units.py, typed values from
cli/options.py, printing goes through cli/output.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zwgk.cli.completion import complete_departments
from zwgk.cli.frame import ZwgkCommand, ZwgkGroup
from zwgk.cli.options import (
    AsOfOption,
    DataListOption,
    JsonOption,
    KnownAtOption,
    UnitOption,
    WarnOption,
    WorkspaceOption,
    as_of_moment,
    chosen_format,
    format_help,
    known_at_day,
    today,
)
from zwgk.cli.output import emit, out, print_json
from zwgk.cli.units import (
    bundled_data_dir,
    exit_if_broken,
    resolve_dept,
    select_units,
    unit_folders,
)
from zwgk.errors import Diagnostic, UserError
from zwgk.load import display_path
from zwgk.report.registry import renderer

if TYPE_CHECKING:
    from zwgk.summary.answers import CheckAnswer
    from zwgk.summary.inspection import InspectionFinding

CheckFormat = Annotated[str, typer.Option("--format", help=format_help("check"))]


def register(app: typer.Typer) -> None:
    app.command(name="check", cls=ZwgkCommand)(check)
    app.command(name="init", cls=ZwgkCommand)(init)
    cache_app = typer.Typer(cls=ZwgkGroup, help="缓存:各数据文件夹的快照,按文件内容索引;删除不丢任何数据。"
                                 " (snapshots keyed by content)", no_args_is_help=True)
    cache_app.command(name="clear", cls=ZwgkCommand)(cache_clear)
    app.add_typer(cache_app, name="cache")


def cache_clear(
    data: DataListOption = None, workspace: WorkspaceOption = None,
    everything: Annotated[bool, typer.Option("--all", help="删除所有数据文件夹的缓存")] = False,
) -> None:
    """删除缓存(下次运行时重建;数据不受影响)。 (remove the cache; it is rebuilt on the next run)"""
    from zwgk.store import cache

    if everything:
        removed = [cache.clear()]
    else:
        specs = unit_folders(data, workspace)
        removed = [cache.clear(folder) for _, folder in specs]
    cleared = [str(folder) for folder in removed if folder is not None]
    out(f"已删除缓存:{'、'.join(cleared)}" if cleared else "没有缓存可删除 (no cache)")


def check(
    dept: Annotated[str | None, typer.Option("--dept", help="只检查某处室的事项",
                                             autocompletion=complete_departments, show_default=False)] = None,
    fail_on: Annotated[str, typer.Option(
        "--fail-on", help="overdue | due_soon | backfilled(补录也算失败)")] = "overdue",
    grace: Annotated[int, typer.Option("--grace", min=0, help="容许逾期的天数;与 --inspect 同用时,"
                                       "单项否决在这么多天内将触发也算失败")] = 0,
    inspect: Annotated[bool, typer.Option("--inspect", help="同时做网站抽查模拟(zwgk inspect):"
                                          "单项否决已触发即失败")] = False,
    output_format: CheckFormat = "text",
    data: DataListOption = None, as_of: AsOfOption = None, warn_days: WarnOption = None,
    workspace: WorkspaceOption = None, unit: UnitOption = None, json: JsonOption = False,
    known_at: KnownAtOption = None,
) -> None:
    """CI 检查:无逾期退出 0,有逾期退出 1,数据有误退出 2。 (the CI gate)
    --format github 另在设置了 $GITHUB_STEP_SUMMARY 时追加一份作业摘要;
    --inspect 另按国办网站抽查指标判断单项否决。"""
    from zwgk.rules.owners import holdings
    from zwgk.summary.answers import CheckAnswer
    from zwgk.summary.gate import GateResult, Outcome, gate
    from zwgk.summary.ledger import LateEntry, late_entries

    output_format = chosen_format("check", output_format, json)
    if fail_on not in ("overdue", "due_soon", "backfilled"):
        raise UserError(f"--fail-on 应为 overdue、due_soon 或 backfilled,而不是 '{fail_on}'")
    day, at = as_of_moment(as_of)
    runs = select_units(data, workspace, unit, day, warn_days, keep_broken=True, at=at,
                        known_at=known_at_day(known_at))
    broken = [d for r in runs if r.broken for d in r.diagnostics]
    owner = resolve_dept(runs, dept)
    outcomes: list[Outcome] = []
    late: list[LateEntry] = []
    items_fail_on = "overdue" if fail_on == "backfilled" else fail_on
    for run in runs:
        if run.dataset is None or run.evaluation is None:
            continue
        only = set(holdings(run.dataset, owner, (s.item for s in run.evaluation.statuses))) \
            if owner else None
        outcomes += gate(run.dataset, run.evaluation, items_fail_on, grace, only).outcomes  # type: ignore[arg-type]
        mine = late_entries(run.dataset, run.evaluation.backfilled, fail_on == "backfilled", only)
        late += [replace(entry, unit=run.name) for entry in mine]
    result = GateResult(tuple(outcomes))
    evaluations = [r.evaluation for r in runs if r.evaluation is not None]
    vetoes: tuple[InspectionFinding, ...] = ()
    if inspect:
        from zwgk.summary.inspection import runs_findings

        vetoes = runs_findings(runs, grace, multi=len(runs) > 1)
    answer = CheckAnswer(result, day, evaluations[0].warn_days if evaluations else 14, tuple(late),
                         tuple(r.name for r in runs), vetoes)
    if output_format == "github":
        from zwgk.report.ci import github

        print_json(github(answer, broken))
        _step_summary(answer, broken)
    else:
        emit(renderer("check", output_format)(answer))
    exit_if_broken(runs)
    if answer.failures:
        raise typer.Exit(1)


def _step_summary(answer: CheckAnswer, broken: list[Diagnostic]) -> None:
    """Append the Markdown job summary to $GITHUB_STEP_SUMMARY (GitHub reads the file after the
    step; appending keeps what earlier commands of the step wrote). Links point at the checked
    commit when the run names it. A summary that cannot be written is noted, not a failure: the
    exit code stays the gate's."""
    import os

    from zwgk.cli.output import err
    from zwgk.report.ci import step_summary

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    parts = [os.environ.get(name, "").strip() for name in names]
    blob = f"{parts[0].rstrip('/')}/{parts[1]}/blob/{parts[2]}" if all(parts) else None
    text = step_summary(answer, broken, blob)
    try:
        with open(target, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        err(f"注意:无法写入作业摘要 {target}:{error.strerror or error} (could not write the job summary)")


def init(
    target: Annotated[Path, typer.Argument(help="新仓库的文件夹")],
    from_bundled: Annotated[bool, typer.Option(
        "--from-bundled", help="以随程序附带的安徽省安全监管局全部任务和栏目为模板")] = False,
    unit: Annotated[str | None, typer.Option("--unit", help="单位名称", show_default=False)] = None,
    follows: Annotated[Path | None, typer.Option(
        "--follows", help="沿用哪个数据文件夹的目录(如省局的 data/;相对于当前文件夹)",
        show_default=False)] = None,
    zwgk_source: Annotated[str | None, typer.Option(
        "--zwgk-source", help="CI 从哪里安装 zwgk:zwgk @ git+URL@提交、一个 wheel 文件(复制到 ci/)"
        "或本单位软件源上的 zwgk==版本;默认取本程序的来源(git 仓库地址和当前提交)",
        show_default=False)] = None,
    no_git: Annotated[bool, typer.Option("--no-git", help="不运行 git init")] = False,
) -> None:
    """新建一个单位的数据仓库:数据模板、合并设置、CI 模板和说明。"""
    from zwgk.cli.output import err
    from zwgk.scaffold import create_repository

    created = create_repository(target, bundled_data_dir(), from_bundled=from_bundled,
                                unit=unit, tracking_since=today(), use_git=not no_git,
                                follows=follows, zwgk_source=zwgk_source)
    out(f"已在 {display_path(target)} 新建数据仓库:")
    for path in created.files:
        out(f"  {path}")
    out(f"CI 安装 zwgk 的来源:{created.pip_spec or '(未设置,见 README.md)'}")
    for note in created.notes:
        err(f"注意:{note}")
    out(created.git_message)
    out(f"下一步:cd {display_path(target)} && zwgk status")
