"""`zwgk scan`'s answer as text (one row a column, then each column's findings) and as JSON
(`{"schema", "kind": "scan", "as_of", "dry_run", "appended", "columns": [{"id", "title", "url",
"state", "entries", "new", "newest", "pages", "problems": [{"code", "message", …}]}]}`)."""

from __future__ import annotations

import json

from rich.text import Text

from zwgk.models import HOMEPAGE
from zwgk.report.labels import Fit, Grid
from zwgk.report.plain import FIXED, Lines
from zwgk.summary.scanning import ColumnScan, Problem, ScanAnswer

STATE_LABEL = {"ok": "正常", "empty": "空白栏目", "undated": "无发布日期", "unreachable": "无法访问"}
STATE_STYLE = {"ok": "green", "empty": "red", "undated": "yellow", "unreachable": "red"}


def _row(c: ColumnScan) -> tuple[Text, ...]:
    state = Text(STATE_LABEL[c.state], style=STATE_STYLE[c.state])
    if c.changed_from is not None:
        state.append(f"(原{STATE_LABEL.get(c.changed_from, c.changed_from)})", style="dim")
    return (Text(_shown(c.id)), Text(c.title), state, Text(str(c.entries)), Text(str(c.new)),
            Text(c.newest.isoformat() if c.newest else "—"), Text(str(len(c.problems)) if c.problems else ""),
            Text(c.url, style="dim"))


def _shown(item: str) -> str:
    """The homepage's lines carry a reserved id (HOMEPAGE); people read 首页."""
    return "首页" if item == HOMEPAGE else item


def text(answer: ScanAnswer) -> Lines:
    grid = Grid(f"网站巡检 {len(answer.columns)} 个栏目(截至 {answer.as_of})",
                ("栏目", "名称", "状态", "条目", "新增", "最新发布", "问题", "列表页"),
                (FIXED, Fit("main", 10), Fit("wrap", 8), FIXED, FIXED, FIXED, Fit(drop=2),
                 Fit("url", 24, drop=1, optional=True)),
                [_row(c) for c in answer.columns], right=frozenset({3, 4, 6}))
    pieces: list[object] = [grid]
    for c in answer.columns:
        for p in c.problems:
            # A Text piece ends its own line (Lines prints it as it is when piped).
            style = STATE_STYLE.get(p.code, "red")
            pieces.append(Text.assemble((f"{_shown(c.id)} ", "bold"), (p.message, style), "\n"))
    added = answer.observed
    probes = len(answer.entries) - added
    if answer.dry_run:
        pieces.append(f"试运行(--dry-run):将新增 {added} 条巡检记录、{probes} 条栏目状态变化,未写入日志")
    elif answer.entries:
        pieces.append(f"已新增 {added} 条巡检记录、{probes} 条栏目状态变化 → {answer.journal}")
    else:
        pieces.append("没有新文章,日志未变")
    return Lines(tuple(pieces))  # type: ignore[arg-type]


def _problem(p: Problem) -> dict[str, object]:
    found: dict[str, object] = {"code": p.code, "message": p.message}
    if p.url:
        found["url"] = p.url
    if p.day:
        found["date"] = p.day.isoformat()
    if p.record:
        found["record"] = p.record
    return found


def as_json(answer: ScanAnswer) -> str:
    return json.dumps({
        "schema": 1,
        "kind": "scan",
        "as_of": answer.as_of.isoformat(),
        "dry_run": answer.dry_run,
        "appended": [e.id for e in answer.entries] if not answer.dry_run else [],
        "columns": [{
            "id": c.id, "title": c.title, "url": c.url, "state": c.state, "entries": c.entries,
            "new": c.new, "newest": c.newest.isoformat() if c.newest else None, "pages": c.pages,
            "problems": [_problem(p) for p in c.problems],
        } for c in answer.columns],
    }, ensure_ascii=False, indent=2)
