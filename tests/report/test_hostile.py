"""Hostile content in the data is printed, never obeyed: terminal, JUnit, GitHub, GitLab, JSON.

Titles, owner names, notes, the unit's name and journal by/url/note fields carry script tags,
spreadsheet formulas, Rich markup, bidi overrides, ANSI escapes, other control characters, a
10,000-character title, and a newline followed by a forged GitHub workflow command. zwgk trusts
the people who commit the data, not what the text does when it reaches a terminal or a CI log.
(html, csv, xlsx and ics are covered elsewhere.)
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import MINI, run_cli
from typer.testing import Result

AS_OF = "2026-12-01"  # T01, T03, C01, C02 and C04 are overdue
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
MARKUP = "[red]x[/red] [link=http://x]y[/link] [bold]"
BIDI = "abc\u202edef\u2066g\u2069"
ANSI = "\x1b[2J\x1b]8;;http://x\x07link\x1b]8;;\x07\x1b[31m"
CONTROL = "a\x07b\x08c\x00d\x7fe\x9bf\x85g\u2028h\x0bi\x0cj\rk"
FORGED = "x\n::error file=evil::pwned\n  ::warning::w"
LONG = "长" * 10_000
UNBROKEN = "A" * 10_000  # no space to wrap at

EVIL_OWNER = f"{MARKUP}{FORGED}"
TITLES = {
    "T01": f"T1 {SCRIPT}{FORGED}",
    "T02": f"{FORMULA}{MARKUP}",
    "T03": f"{BIDI}{ANSI}{CONTROL}",
    "T04": LONG,
}
NOTE = f"{ANSI}{FORGED}{MARKUP}"
UNIT = f"局{ANSI}{FORGED}"
REASON = f"按部署{BIDI}{ANSI}{FORGED}"
C02_PATH = [SCRIPT, f"{FORGED}{BIDI}"]
C04_PATH = ["新闻发布", UNBROKEN]
JOURNAL_FIELDS = {"by": f"{MARKUP}{BIDI}", "url": f"http://x/{ANSI}{FORMULA}",
                  "note": f"{SCRIPT}{FORGED}{CONTROL}"}

BIDI_CHARS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
WIDE = {"COLUMNS": "2000"}  # no wrapping, so literal text can be searched for whole


def yq(text: str) -> str:
    """A YAML double-quoted scalar holding any text: everything but plain ASCII escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8", newline="\n")


def journal_line(entry_id: str, item: str, day: str, **fields: str) -> str:
    entry = {"id": entry_id, "type": "record", "item": item, "date": day,
             "at": f"{day}T09:00:00+08:00", **fields}
    return json.dumps(entry) + "\n"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini dataset at ./data with hostile text in every field a person writes."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    monkeypatch.chdir(tmp_path)
    tasks, owners = data / "tasks.yaml", data / "owners.yaml"
    for old, item in (("一次性任务", "T01"), ("先完成后坚持", "T02"), ("年度自查", "T03"),
                      ("长期坚持\n", "T04")):
        newline = "\n" if old.endswith("\n") else ""
        replace_once(tasks, f"title: {old}", f"title: {yq(TITLES[item])}{newline}")
    replace_once(tasks, "lead: [规划科技处]", f"lead: [{yq(EVIL_OWNER)}]")
    replace_once(tasks, "    deadline: 2026年8月底\n",
                 f"    deadline: 2026年8月底\n    note: {yq(NOTE)}\n")
    replace_once(tasks, "reason: 按省政府部署}", f"reason: {yq(REASON)}}}")
    replace_once(owners, "  - name: 局主要负责人\n    kind: role\n",
                 f"  - name: 局主要负责人\n    kind: role\n  - name: {yq(EVIL_OWNER)}\n"
                 f"    kind: department\n    note: {yq(ANSI + FORGED)}\n")
    replace_once(data / "columns.yaml", "path: [回应关切, 媒体关注]",
                 f"path: [{', '.join(map(yq, C02_PATH))}]")
    replace_once(data / "columns.yaml", "path: [新闻发布, 发布实录]",
                 f"path: [{', '.join(map(yq, C04_PATH))}]")
    replace_once(data / "settings.yaml", "unit: 测试局", f"unit: {yq(UNIT)}")
    journal = data / "journal" / "2026.jsonl"
    journal.parent.mkdir()
    journal.write_text(
        journal_line("20260301-090000-00000001", "T02", "2026-03-01", **JOURNAL_FIELDS)
        + journal_line("20260302-090000-00000002", "T04", "2026-03-02", note=LONG)
        + journal_line("20260303-090000-00000003", "C02", "2026-03-03", by=EVIL_OWNER,
                       url=FORGED, note=BIDI + CONTROL),
        encoding="utf-8")
    return data


def zwgk(*args: str, width: dict[str, str] | None = None) -> Result:
    result = run_cli(*args, env=width or WIDE)
    assert "Traceback" not in result.output
    return result


def assert_terminal_safe(output: str) -> None:
    """No escape sequence, no bidi override, no control character but the line break."""
    assert "\x1b" not in output
    assert not BIDI_CHARS & set(output)
    odd = {f"U+{ord(ch):04X}" for ch in output
           if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")}
    assert not odd, odd


def unwrapped(output: str) -> str:
    """Table cells padded and split over lines, glued back for searching literal text."""
    return re.sub(r"\s+", "", output)


# --- the data really is loaded as written ------------------------------------------------------


def test_the_hostile_data_is_valid_and_loads_as_written(hostile: Path) -> None:
    result = zwgk("show", "T01", "--json", "--data", "data", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    item = json.loads(result.stdout)["item"]
    assert item["title"] == TITLES["T01"]
    assert item["lead"] == [EVIL_OWNER]
    assert item["note"] == NOTE
    assert zwgk("validate", "--data", "data").exit_code == 0


# --- the terminal ----------------------------------------------------------------------------------

TERMINAL = [
    ("status", "--as-of", AS_OF),
    ("overdue", "--as-of", AS_OF),
    ("overdue", "--dept", EVIL_OWNER, "--as-of", AS_OF),
    ("upcoming", "--within", "400d", "--as-of", "2026-01-02"),
    ("show", "T01", "--as-of", AS_OF),
    ("show", "T02", "--as-of", AS_OF),
    ("show", "T03", "--as-of", AS_OF),
    ("show", "T04", "--as-of", AS_OF),
    ("show", "C02", "--as-of", AS_OF),
    ("show", "C04", "--as-of", AS_OF),
    ("log",),
    ("validate",),
    ("check", "--as-of", AS_OF),
]


@pytest.mark.parametrize("args", TERMINAL, ids=lambda a: "-".join(a[:2]).replace(AS_OF, "x")[:20])
def test_terminal_output_prints_hostile_text_inertly(hostile: Path, args: tuple[str, ...]) -> None:
    result = zwgk(*args, "--data", "data")
    assert result.exit_code in (0, 1), result.output[:3000]
    assert_terminal_safe(result.output)


def test_rich_markup_in_the_data_prints_literally(hostile: Path) -> None:
    outputs = {
        "show T02": zwgk("show", "T02", "--data", "data").output,
        "log": zwgk("log", "--data", "data").output,
        "overdue --dept": zwgk("overdue", "--dept", EVIL_OWNER, "--data", "data", "--as-of",
                               AS_OF).output,
    }
    for name, output in outputs.items():
        flat = unwrapped(output)
        for literal in ("[red]x[/red]", "[link=http://x]y[/link]", "[bold]"):
            assert literal in flat, f"{name}: {literal} was interpreted, not printed"
        assert "\x1b]8;" not in output  # no hyperlink escape either


def test_escapes_and_overrides_are_shown_as_replacement_characters(hostile: Path) -> None:
    output = zwgk("show", "T03", "--data", "data", "--as-of", AS_OF).output
    assert "abc\ufffddef\ufffdg\ufffd" in output  # the text stays, in its written order
    assert "\ufffd[2J" in output


LONG_COMMANDS = [("status",), ("overdue",), ("show", "T04"), ("show", "C04"), ("log",),
                 ("upcoming", "--within", "400d"), ("check",)]


@pytest.mark.parametrize("width", ["40", "120", "2000"])
def test_a_ten_thousand_character_title_breaks_nothing(hostile: Path, width: str) -> None:
    for command in LONG_COMMANDS:
        as_of = () if command[0] == "log" else ("--as-of", AS_OF)
        if command[0] == "upcoming":
            as_of = ("--as-of", "2026-01-02")
        result = zwgk(*command, "--data", "data", *as_of, width={"COLUMNS": width})
        assert result.exit_code in (0, 1), (command, result.output[:2000])
        assert_terminal_safe(result.output)
        assert len(result.output) < 1_000_000


REAL_TITLE = ("推进安全生产领域政务公开标准化规范化建设进一步完善安全生产行政执法信息公示制度"
              "并按要求及时公开相关执法信息和处理结果")


@pytest.mark.parametrize(("title", "width"), [(REAL_TITLE, "80"), (LONG, "120")],
                         ids=["51-characters-at-80", "10000-characters-at-120"])
def test_a_long_chinese_title_is_wrapped_not_cut(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch, title: str, width: str
) -> None:
    monkeypatch.chdir(mini_data.parent)
    replace_once(mini_data / "tasks.yaml", "title: 一次性任务", f"title: {title}")
    result = zwgk("show", "T01", "--data", "data", width={"COLUMNS": width})
    assert result.exit_code == 0
    assert title in unwrapped(result.output)


def test_record_with_hostile_fields_writes_one_inert_json_line(hostile: Path) -> None:
    journal = hostile / "journal" / "2026.jsonl"
    before = journal.read_bytes().count(b"\n")
    result = zwgk("record", "T01", "--date", "2026-03-05", "--by", JOURNAL_FIELDS["by"],
                  "--url", JOURNAL_FIELDS["url"], "--note", NOTE, "--data", "data")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)  # the confirmation quotes the hostile title
    written = sorted((hostile / "journal").glob("*.jsonl"))
    lines = b"".join(path.read_bytes() for path in written).split(b"\n")
    assert lines[-1] == b""
    assert len(lines) - 1 == before + 1  # the newlines inside the note did not split the line
    entry = json.loads(lines[-2])
    assert (entry["by"], entry["url"], entry["note"]) == (
        JOURNAL_FIELDS["by"], JOURNAL_FIELDS["url"], NOTE.strip())
    log = zwgk("log", "T01", "--data", "data")
    assert_terminal_safe(log.output)


# --- CI: JUnit, GitHub, GitLab, JSON ---------------------------------------------------------------


def check(fmt: str) -> Result:
    result = zwgk("check", "--format", fmt, "--data", "data", "--as-of", AS_OF)
    assert result.exit_code == 1, result.output[:3000]  # overdue items: the gate fails
    return result


def test_junit_parses_and_holds_the_text_escaped(hostile: Path) -> None:
    xml = check("junit").stdout
    root = ElementTree.fromstring(xml.encode("utf-8"))
    cases = {case.get("name", "").split(" ")[0]: case for case in root.iter("testcase")}
    t01 = cases["T01"]
    assert SCRIPT in t01.get("name", "")
    failure = t01.find("failure")
    assert failure is not None and SCRIPT in (failure.text or "")
    assert SCRIPT not in xml and "&lt;script&gt;" in xml  # escaped on the wire
    for case in root.iter("testcase"):
        for text in (case.get("name", ""), *(f.get("message", "") for f in case)):
            assert "\n" not in text and "\x1b" not in text
    assert UNBROKEN in cases["C04"].get("name", "")
    assert LONG in cases["T04"].get("name", "")


GITHUB_LINE = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,title=[^,:]+::")


def test_github_annotations_cannot_be_forged(hostile: Path) -> None:
    result = check("github")
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    assert len(commands) == 5  # T01, T03, C01, C02, C04: one annotation each, nothing more
    for line in commands:
        assert GITHUB_LINE.match(line), line
        assert "\r" not in line and "\x1b" not in line
        props = line.split("::")[1]
        assert "evil" not in props
    assert lines[-1].startswith("zwgk: ")
    t01 = next(line for line in commands if "T01" in line.split("::")[1])
    assert "x%0A::error file=evil::pwned%0A  ::warning::w" in t01  # shown, escaped, inert
    assert not [line for line in result.output.splitlines()
                if line.lstrip().startswith("::") and not GITHUB_LINE.match(line)]


def test_the_text_format_keeps_each_finding_on_one_line(hostile: Path) -> None:
    lines = check("text").stdout.splitlines()
    assert len(lines) == 6  # five failures and the summary
    assert not [line for line in lines if line.lstrip().startswith("::")]
    assert_terminal_safe("\n".join(lines))


def test_gitlab_code_quality_round_trips_the_text(hostile: Path) -> None:
    issues = json.loads(check("gitlab").stdout)
    assert len(issues) == 5
    descriptions = {issue["description"].split(" ")[0]: issue["description"] for issue in issues}
    assert descriptions["T01"].startswith(f"T01 {TITLES['T01']}:")
    assert EVIL_OWNER in descriptions["T01"]  # the lead, as written
    assert descriptions["T03"].startswith(f"T03 {TITLES['T03']}:")
    assert len({issue["fingerprint"] for issue in issues}) == 5


def test_json_round_trips_the_text(hostile: Path) -> None:
    raw = check("json").stdout
    assert "\x1b" not in raw  # control characters are \\u-escaped inside JSON strings
    results = {r["id"]: r for r in json.loads(raw)["results"]}
    for item, title in TITLES.items():
        assert results[item]["title"] == title
    assert results["C02"]["path"] == C02_PATH
    assert results["T01"]["lead"] == [EVIL_OWNER]


@pytest.mark.parametrize("command", [("status",), ("log",), ("show", "C02"), ("validate",)])
def test_every_json_command_round_trips_the_text(hostile: Path, command: tuple[str, ...]) -> None:
    as_of = ("--as-of", AS_OF) if command[0] in ("status", "show") else ()
    result = zwgk(*command, "--json", "--data", "data", *as_of)
    assert result.exit_code in (0, 1)
    assert "\x1b" not in result.stdout
    document = json.loads(result.stdout)
    if command == ("status",):
        assert document["unit"] == UNIT
        assert {i["id"]: i["title"] for i in document["items"]}["T03"] == TITLES["T03"]
    elif command == ("log",):
        first = next(e for e in document["entries"] if e["id"].endswith("00000001"))
        assert {k: first[k] for k in JOURNAL_FIELDS} == JOURNAL_FIELDS
        third = next(e for e in document["entries"] if e["id"].endswith("00000003"))
        assert (third["by"], third["url"], third["note"]) == (EVIL_OWNER, FORGED, BIDI + CONTROL)
    elif command == ("show", "C02"):
        assert document["item"]["path"] == C02_PATH
        assert document["history"][0]["url"] == FORGED
    else:
        [gap] = [w for w in document["warnings"] if w["code"] == "gap-unspecified"]
        assert REASON in gap["message"]


# --- hostile text in invalid data: the error messages quote it ----------------------------------


@pytest.fixture
def hostile_invalid(hostile: Path) -> Path:
    """One unknown owner whose name is all the hostile strings at once."""
    replace_once(hostile / "tasks.yaml", "    lead: [办公室]\n    responsible: [各处室]\n    "
                 "deadline: 每年11月前", f"    lead: [{yq(MARKUP + BIDI + ANSI + FORGED)}]\n"
                 "    responsible: [各处室]\n    deadline: 每年11月前")
    return hostile


def test_validate_quotes_hostile_text_inertly(hostile_invalid: Path) -> None:
    result = zwgk("validate", "--data", "data")
    assert result.exit_code == 2
    assert_terminal_safe(result.output)
    assert "[red]x[/red]" in result.output
    document = json.loads(zwgk("validate", "--json", "--data", "data").stdout)
    [error] = document["errors"]
    assert error["code"] == "unknown-owner"
    assert MARKUP + BIDI + ANSI + FORGED in error["message"]  # JSON keeps the text as written


def test_github_data_error_annotations_are_one_line_each(hostile_invalid: Path) -> None:
    result = zwgk("check", "--format", "github", "--data", "data", "--as-of", AS_OF)
    assert result.exit_code == 2
    commands = [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")]
    assert len(commands) == 1
    assert re.match(r"^::error file=[^,:]+,line=\d+,col=\d+,title=zwgk unknown-owner::", commands[0])
    assert "%0A::error file=evil::pwned%0A" in commands[0]


def test_the_ci_log_of_check_on_invalid_data_holds_no_forged_command(
    hostile_invalid: Path,
) -> None:
    result = zwgk("check", "--format", "github", "--data", "data", "--as-of", AS_OF)
    forged = [line for line in result.output.splitlines()
              if line.lstrip().startswith("::") and "title=zwgk " not in line]
    assert forged == []


@pytest.mark.parametrize("args", [("status", "--as-of", AS_OF), ("show", "T01", "--as-of", AS_OF),
                                  ("log",), ("validate",)], ids=["status", "show", "log", "validate"])
def test_terminal_output_has_no_line_that_ci_would_obey(
    hostile: Path, args: tuple[str, ...]
) -> None:
    output = zwgk(*args, "--data", "data").output
    assert [line for line in output.splitlines() if line.lstrip().startswith("::")] == []
