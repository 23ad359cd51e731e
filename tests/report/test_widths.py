"""Every listing readable at any width from 60 columns, printed in a real pseudo-terminal.

The bundled data plus a journal with event obligations (24-character journal ids) and records
with long evidence URLs, rendered at 60, 80, 100 and 160 columns: no line is wider than the
terminal, no header collapses to "…", every title is whole on a line or wrapped in chunks of
at least four characters, and a URL is whole or shortened with … (host and tail kept).
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from zwgk.load import load_dataset
from zwgk.report.labels import Fit, event_refs, journal_event_refs, layout, shorten_url, wrap_starts
from zwgk.report.plain import columns
from zwgk.report.terminal import Lines, Listing
from zwgk.rules.engine import evaluate

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-26"
WIDTHS = (60, 80, 100, 160)
HOST = "www.ahsafety.gov.cn"
URLS = (
    f"https://{HOST}/xxgk/zcfg/sjwj/202610/t20261003_1234567.html?from=timeline&isappinstalled=0",
    f"http://{HOST}/content/column/6791141?pageIndex=1&aaa=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    f"https://{HOST}/public/column/6791141/averylongpathsegmentwithoutanybreaks/abcdefghijklmnopqrstuvwxyz0123456789.html",
)
EVENTS = (  # id, item, date, title; C10 gets three, in journal order
    ("20261001-103000-000000a1", "C10", "2026-10-01", "国务院办公厅关于进一步做好政务公开工作的通知"),
    ("20261020-103000-000000a2", "C10", "2026-10-20", "省政府规范性文件"),
    ("20261101-090000-000000b1", "B06", "2026-11-01", "某地化工厂爆炸事故舆情"),
    ("20261126-103000-000000c1", "C10", "2026-11-26", "关于加强安全生产执法信息公开的意见"),
    ("20261126-110000-000000c2", "C12", "2026-11-26", "安全生产重大决策规范性文件"),
    ("20261125-103000-000000c3", "C09", "2026-11-25", "业务文件"),
    ("20261124-103000-000000c4", "B09", "2026-11-24", "网民关于执法公示的建议"),
)
COMMANDS = {
    "status": ("status", "--as-of", AS_OF),
    "overdue": ("overdue", "--as-of", AS_OF),
    "overdue-dept": ("overdue", "--dept", "政策法规处", "--as-of", AS_OF),
    "upcoming": ("upcoming", "--within", "60d", "--as-of", AS_OF),
    "log": ("log",),
    "show": ("show", "C10", "--as-of", AS_OF),
    "validate": ("validate",),
}
HEADERS = {"编号", "事项", "应完成", "逾期天数", "牵头", "本处室角色", "要求(原文)", "剩余天数", "类型", "状态",
           "日期", "登记人", "证据", "备注", "记录号", "事件", "事件日期", "完成于", "事件号", "处室/单位",
           "逾期", "即将到期", "未到期", "已完成/正常", "其中牵头逾期", "事项数"}
ALWAYS = {"status": {"处室/单位", "逾期", "编号", "事项"}, "overdue": {"编号", "事项", "逾期天数"},
          "overdue-dept": {"编号", "事项", "逾期天数"}, "upcoming": {"应完成", "编号", "事项"},
          "log": {"日期", "编号", "事项"}, "show": {"编号", "事件", "应完成", "状态"}, "validate": set()}
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def journal() -> str:
    lines = [{"id": i, "type": "event", "item": item, "date": day, "at": f"{day}T10:30:00+08:00",
              "title": title, **({"time": "09:00"} if item == "B06" else {})}
             for i, item, day, title in EVENTS]
    lines += [
        {"id": "20261003-103000-000000d1", "type": "record", "item": "C10", "date": "2026-10-03",
         "at": "2026-10-03T10:30:00+08:00", "by": "张三", "url": URLS[0], "note": "转载国务院办公厅通知",
         "event": "20261001-103000-000000a1"},
        {"id": "20261102-090000-000000d2", "type": "record", "item": "C01", "date": "2026-11-02",
         "at": "2026-11-02T09:00:00+08:00", "by": "李四", "url": URLS[1], "note": "更新领导简介"},
        {"id": "20261102-100000-000000d3", "type": "record", "item": "C10", "date": "2026-11-02",
         "at": "2026-11-02T10:00:00+08:00", "by": "王五", "url": URLS[2]},
    ]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("widths") / "data"
    shutil.copytree(REPO / "data", folder)
    (folder / "journal").mkdir()
    (folder / "journal" / "2026.jsonl").write_text(journal(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def expected(data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The titles each command must show, from its --json answer."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZWGK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))

        def answer(*args: str) -> Any:
            return json.loads(run_cli(*args, "--json", "--data", str(data)).stdout)

        items = answer("status", "--as-of", AS_OF)["items"]
        overdue = answer(*COMMANDS["overdue"])["items"]
        titles = {i["id"]: i["title"] for i in items if i["kind"] != "obligation"}
        return {
            "status": [i["title"] for i in sorted(overdue, key=lambda i: -(i["days_overdue"] or 0))[:10]],
            "overdue": [i["title"] for i in overdue],
            "overdue-dept": [i["title"] for i in answer(*COMMANDS["overdue-dept"])["items"]],
            "upcoming": [i["title"] for i in answer(*COMMANDS["upcoming"])["items"]],
            "log": sorted({titles[entry["item"]] for entry in answer("log")["entries"]}),
            "show": [titles["C10"], *(i["title"].removeprefix(titles["C10"] + ":") for i in items
                                      if i["kind"] == "obligation" and i["item"] == "C10")],
            "validate": [],
        }


def in_terminal(args: tuple[str, ...], width: int, cwd: Path) -> str:
    """`zwgk ARGS` in a pseudo-terminal `width` columns wide: what the terminal received."""
    import fcntl  # POSIX only
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    env = {**os.environ, "COLUMNS": str(width), "LINES": "50", "TERM": "xterm-256color", "PYTHONUTF8": "1"}
    env.pop("NO_COLOR", None)  # colours on, as in the office: the escapes are stripped to measure
    proc = subprocess.Popen([sys.executable, "-m", "zwgk", *args], stdin=slave, stdout=slave,
                            stderr=slave, cwd=cwd, env=env, start_new_session=True)
    os.close(slave)
    received, deadline = b"", time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the command ended and the terminal closed
                break
            if not chunk:
                break
            received += chunk
    finally:
        os.close(master)
        proc.wait(timeout=30)
    return received.decode("utf-8")


def screen_lines(raw: str) -> list[str]:
    return [line.rstrip() for line in ESCAPES.sub("", raw).replace("\r", "").split("\n")]


def from_cell(line: str, start: int) -> str:
    """The text of `line` from cell `start` to the next gap of two spaces."""
    used = 0
    for index, ch in enumerate(line):
        if used == start:
            return line[index:].split("  ")[0].strip()
        used += cell_len(ch)
    return ""


def whole_or_in_chunks(lines: list[str], title: str) -> bool:
    """The title whole on one line, or down one column in chunks of at least four characters."""
    if any(title in line for line in lines):
        return True
    want = title.replace(" ", "")
    for number, line in enumerate(lines):
        position = line.find(want[:4])
        while position >= 0:
            column, got = cell_len(line[:position]), ""
            for below in lines[number:]:
                chunk = from_cell(below, column).replace(" ", "")
                if len(chunk) < min(4, len(want) - len(got)) or not want[len(got):].startswith(chunk):
                    break
                got += chunk
                if got == want:
                    return True
            position = line.find(want[:4], position + 1)
    return False


def url_forms(lines: list[str]) -> list[str]:
    """Every piece of text that looks like one of the URLs (contains the host)."""
    return [token for line in lines for token in line.split() if HOST in token]


def is_whole_or_shortened(token: str) -> str | None:
    """The URL `token` shows, whole or as host…tail; None if it is a fragment."""
    for url in URLS:
        if token == url:
            return url
        head, cut, tail = token.partition("…")
        if cut and len(tail) >= 8 and url.endswith(tail) and (url.startswith(head)
                                                               or url.split("://", 1)[1].startswith(head)):
            return url
    return None


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}cols")
def width(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal needs POSIX (pty)")
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_listing_fits_the_terminal(data: Path, expected: dict[str, list[str]], name: str,
                                         width: int) -> None:
    raw = in_terminal((*COMMANDS[name], "--data", str(data)), width, data.parent)
    lines = screen_lines(raw)
    shown = "\n".join(lines)
    assert "Traceback" not in shown, shown
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, f"{len(too_wide)} lines wider than {width}:\n" + "\n".join(too_wide[:5])
    headers = [lines[i - 1] for i, line in enumerate(lines) if line and set(line) == {"─"}]
    assert bool(headers) == bool(ALWAYS[name]), shown
    tokens = {token for header in headers for token in header.split()}
    assert tokens <= HEADERS, f"collapsed or cut headers: {tokens - HEADERS}\n{shown}"
    assert ALWAYS[name] <= tokens, shown
    broken = [title for title in expected[name] if not whole_or_in_chunks(lines, title)]
    assert not broken, f"titles split into short pieces or missing: {broken[:5]}\n{shown}"
    forms = url_forms(lines)
    assert all(is_whole_or_shortened(token) for token in forms), f"broken URLs: {forms}"
    if name == "show":  # every evidence link of the item is there, whole or host…tail
        assert {is_whole_or_shortened(token) for token in forms} == {URLS[0], URLS[2]}, shown
        assert all(event_id in shown for event_id, item, *_ in EVENTS if item == "C10"), shown
    if name == "validate":
        found = json.loads(run_cli("validate", "--json", "--data", str(data)).stdout)
        for warning in found["warnings"]:  # each message starts its line, file:line:col first
            place = ":".join(str(warning[key]) for key in ("line", "col") if warning[key])
            where = re.compile(rf"\S*{re.escape(Path(warning['file']).name)}:{place}: ")
            assert any(where.match(line) for line in lines), where.pattern


# --- the pieces ---------------------------------------------------------------------------------


def test_event_obligations_are_numbered_per_item_in_journal_order(data: Path) -> None:
    dataset = load_dataset(data).dataset
    assert dataset is not None
    by_status = event_refs(evaluate(dataset, date(2026, 11, 26)).statuses)
    by_journal = journal_event_refs(dataset.journal)
    assert by_journal == {"20261001-103000-000000a1": "C10#1", "20261020-103000-000000a2": "C10#2",
                          "20261101-090000-000000b1": "B06#1", "20261126-103000-000000c1": "C10#3",
                          "20261126-110000-000000c2": "C12#1", "20261125-103000-000000c3": "C09#1",
                          "20261124-103000-000000c4": "B09#1"}
    assert {event: ref for (_, event), ref in by_status.items()} == by_journal


def test_a_url_keeps_its_host_and_its_tail() -> None:
    url = URLS[0]
    for width in (32, 45, 60):
        short = shorten_url(url, width)
        assert cell_len(short) <= width and "…" in short
        head, _, tail = short.partition("…")
        assert head == HOST and url.endswith(tail), short
    short = shorten_url(url, 20)  # no room for the host and a tail: both ends
    assert cell_len(short) == 20 and url.startswith(short.split("…")[0]) and url.endswith(short.split("…")[1])
    assert shorten_url(url, 200) == url
    assert cell_len(shorten_url("没有主机的很长很长很长很长很长的文字", 11)) <= 11


def test_titles_wrap_evenly_and_never_inside_a_date() -> None:
    title = "一二三四五六七八九十一二三四五六七八九十一"  # 21 characters in 20-cell lines
    assert [len(line) for line in pieces(title, 20)] == [7, 7, 7]
    assert pieces("2026-11-01 09:00(暂定)", 12)[0].strip() == "2026-11-01"
    assert pieces("政策法规/政策解读(本级)", 20) == ["政策法规/", "政策解读(本级)"]  # after the slash


def pieces(text: str, width: int) -> list[str]:
    starts = [*wrap_starts(text, width), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(starts)]


def test_columns_go_in_their_order_as_the_width_narrows() -> None:
    fits = (Fit(), Fit("main", 20), Fit(drop=2), Fit("wrap", 10, drop=1, optional=True))
    naturals, heads = (6, 40, 10, 30), (4, 4, 6, 6)
    assert list(layout(fits, naturals, heads, 200, 3)) == [0, 1, 2, 3]
    assert list(layout(fits, naturals, heads, 60, 3)) == [0, 1, 2]  # the title keeps 30 cells first
    assert list(layout(fits, naturals, heads, 30, 3)) == [0, 1]
    assert layout(fits, naturals, heads, 30, 3)[1] == 21


LISTING = Listing("逾期事项", ("编号", "事项", "逾期天数", "要求(原文)"),
                  [("20261126-103000-000000c1", "政策法规/上级文件:关于加强安全生产执法信息公开的意见", "3",
                    "国家安全监管总局、省政府规范性文件公开后1个工作日")] * 3,
                  ("",) * 4, frozenset({2}), fits=(Fit(), Fit("main", 20), Fit(), Fit("wrap", 20, drop=1)),
                  refs=("C10#3",) * 3)


def test_a_pipe_with_no_width_keeps_full_ids_and_every_column() -> None:
    text = columns(LISTING)
    assert text.count("20261126-103000-000000c1") == 3 and "要求(原文)" in text


@pytest.mark.parametrize("width", [40, 60, 80])
def test_a_pipe_with_a_width_keeps_to_it_and_every_item(width: int) -> None:
    lines = columns(LISTING, width).splitlines()
    assert [line.split()[0] for line in lines[3:]] == ["C10#3"] * 3  # one line per item, none dropped
    if width >= 60:
        assert all(cell_len(line) <= width for line in lines), lines


def test_piped_commands_keep_to_columns(data: Path) -> None:
    for args in (COMMANDS["overdue"], COMMANDS["upcoming"], COMMANDS["overdue-dept"]):
        result = run_cli(*args, "--data", str(data), env={"COLUMNS": "60"})
        items = json.loads(run_cli(*args, "--data", str(data), "--json").stdout)["items"]
        lines = result.stdout.splitlines()
        note = next((n for n, line in enumerate(lines) if line.startswith("注意")), len(lines))
        assert note == 3 + len(items), args  # title, header, rule, one line per item, the note
        assert all(cell_len(line) <= 60 for line in lines), [ln for ln in lines if cell_len(ln) > 60]


def test_a_narrow_terminal_crops_an_excerpt_with_its_caret_still_under_the_fault() -> None:
    for pad in range(6):  # Chinese characters before the fault, the window's edge among them
        source = '{"id": "x", "note": "' + "安全生产" * 12 + "甲" * pad + '", "urll": "x", "more": "' + "y" * 80 + '"}'
        lead = cell_len(source[:source.index('"urll"')])
        diagnostic = Text(f"journal/2026.jsonl:1:{lead}: 错误 [unknown-field] 未知字段 urll(unknown field)\n"
                          f"  |\n1 | {source}\n  | {' ' * lead}^^^^^^\n")
        for width in (60, 80):
            written = io.StringIO()
            Console(width=width, file=written).print(Lines((diagnostic, "data:0 个错误")))
            lines = written.getvalue().splitlines()
            assert max(cell_len(line) for line in lines) <= width, lines
            excerpt, caret = lines[-3], lines[-2]
            assert cell_len(excerpt[:excerpt.index('"urll"')]) == cell_len(caret[:caret.index("^")]), lines
            assert lines[0].startswith("journal/2026.jsonl:1:") and lines[-1] == "data:0 个错误"
