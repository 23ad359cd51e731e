"""`zwgk scan`: read each column's list page on the unit's own website (site.yaml) and append what
it shows to the journal as evidence — one `observed` line per article not seen before, a `probe`
line when a column's state changes. The only command that uses the network.

Exit 0 when every column was read and nothing was found, 1 with findings (an empty, unreachable
or undated column, suspected backdating), 2 on a bad or missing site.yaml.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zwgk.cli.completion import complete_items
from zwgk.cli.frame import ZwgkCommand
from zwgk.cli.options import DataOption, JsonOption, chosen_format, format_help, now, today
from zwgk.cli.output import console, emit
from zwgk.errors import UserError

ScanFormat = Annotated[str, typer.Option("--format", help=format_help("scan"))]


def register(app: typer.Typer) -> None:
    app.command(name="scan", cls=ZwgkCommand)(scan)


def scan(
    column: Annotated[list[str] | None, typer.Option(
        "--column", help="只巡检这个栏目(编号、名称;可重复)", show_default=False,
        autocompletion=complete_items)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只看结果,不写日志")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="每个网页的读取超时(秒)", min=0.1)] = 10.0,
    delay: Annotated[float, typer.Option("--delay", help="对同一网站两次请求的间隔(秒)", min=0.0)] = 0.3,
    site_file: Annotated[Path | None, typer.Option(
        "--site", help="site.yaml 的位置 (default: 数据文件夹里的 site.yaml)", show_default=False)] = None,
    data: DataOption = None, json: JsonOption = False, output_format: ScanFormat = "text",
) -> None:
    """巡检网站:按 site.yaml 读取各栏目列表页,把新文章作为巡检记录追加到日志;
    空白栏目、无法访问、无发布日期、疑似倒签时退出码 1。"""
    from zwgk import journal
    from zwgk.cli.units import for_writing, refuse_bundled
    from zwgk.load import JOURNAL_DIR, display_path
    from zwgk.load.site import SITE_FILE, load_site
    from zwgk.report.registry import renderer
    from zwgk.rules.owners import resolve_item
    from zwgk.scan.client import Client
    from zwgk.scan.run import http_cache, scan_site
    from zwgk.summary.scanning import judge_scan

    chosen = chosen_format("scan", output_format, json)
    folder, picked, dataset = for_writing(data)
    problems: list = []
    where = site_file if site_file is not None else folder / SITE_FILE
    site = load_site(folder, dataset, problems, where) if where.exists() else None
    if site is None:
        if not where.exists():
            raise UserError(f"{display_path(where)} 不存在:不知道各栏目的列表页在哪里 "
                            "(no site.yaml)", ("zwgk init 生成的模板里有 site.yaml 的写法;"
                                               "也可参照 README 的“Evidence from the website”一节。",))
        if not problems:
            raise UserError(f"{display_path(where)} 还没有写任何栏目 (site.yaml maps nothing)",
                            ("写上 site: 网站首页地址 和 columns: 栏目编号 → 列表页,见文件里的注释。",))
        from zwgk.cli.output import print_errors

        print_errors(tuple(problems), "改正 site.yaml 后再巡检")
        raise typer.Exit(2)
    wanted = site.columns
    if column:
        ids = {resolve_item(dataset, c).id for c in column}
        missing = sorted(ids - {c.id for c in site.columns})
        if missing:
            raise UserError(f"site.yaml 没有写 {'、'.join(missing)} 的列表页 (column not in site.yaml)",
                            ("在 site.yaml 的 columns 下加上它的地址。",))
        wanted = tuple(c for c in site.columns if c.id in ids)
    elif site.home:  # the homepage, for the spot check's homepage rule: read like a list page
        from zwgk.models import HOMEPAGE
        from zwgk.models.site import SiteColumn

        wanted = (*wanted, SiteColumn(HOMEPAGE, site.home))
    if not dry_run:
        refuse_bundled(picked)
    day = today()
    with Client(http_cache(folder), site.ca_bundle, delay=delay, read_timeout=timeout) as client:
        fetched = _with_progress(lambda progress: scan_site(wanted, day, client, progress),
                                 len(wanted), show=not json and chosen == "text")
    stamp = now()
    answer = judge_scan(dataset, fetched, day, stamp, journal.new_id, dry_run)
    if answer.entries and not dry_run:
        from dataclasses import replace

        path = journal.append_many(folder / JOURNAL_DIR, answer.entries, stamp)
        answer = replace(answer, journal=display_path(path))
    emit(renderer("scan", chosen)(answer))
    if answer.findings:
        raise typer.Exit(1)


def _with_progress(work, total: int, show: bool):  # type: ignore[no-untyped-def]
    """A progress bar on stderr, only on a terminal."""
    if not show or not sys.stderr.isatty() or total == 0:
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("巡检"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)
        return work(lambda column: bar.update(task, advance=1, description=column.id))
