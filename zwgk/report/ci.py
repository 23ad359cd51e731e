"""`zwgk check` output formats: text, GitHub workflow commands, GitLab Code Quality, JUnit XML, JSON,
and the Markdown job summary GitHub shows on the run's page.

Each renderer takes the finished `CheckAnswer` and returns a string; a test checks every
`--format` choice is wired to one. GitHub shows at most ANNOTATIONS_PER_STEP error and as many
warning annotations per step: past that, the most important ones are annotated (data errors,
then hour windows, then the longest overdue; the nearest due for warnings), one more annotation
says how many are left, and those are printed as plain `path:line:` log lines — none is dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from zwgk.errors import Diagnostic
from zwgk.models import Location
from zwgk.report.jsonout import SCHEMA_VERSION, item
from zwgk.report.labels import STATUS_LABEL, due_text, overdue_text
from zwgk.summary.answers import CheckAnswer
from zwgk.summary.gate import Outcome
from zwgk.summary.inspection import InspectionFinding
from zwgk.summary.ledger import LateEntry


def summary_line(answer: CheckAnswer) -> str:
    """Also the plain 'N passed, N failed' line that CI systems read (补录 failures and the spot
    check's vetoes count)."""
    counts = answer.result.counts
    return (f"zwgk: {counts['pass'] + counts['warn']} passed, {answer.failures} failed,"
            f" {counts['skip']} skipped ({counts['warn']} passed with warnings)")


def describe(outcome: Outcome) -> str:
    s = outcome.status
    owners = "、".join(s.item.lead) or "未指定"
    if s.hours_overdue is not None:
        timing = f"逾期 {overdue_text(s)}(应于 {due_text(s)})"
    elif s.days_overdue is not None:
        timing = f"逾期 {s.days_overdue} 天(应于 {due_text(s)})"
    else:
        timing = f"{STATUS_LABEL[s.status]}(应于 {due_text(s)})"
    return f"{s.item.ref} {s.item.title}:{timing},牵头 {owners}"


def ci_path(path: str) -> str:
    """A path as CI runners and their web pages expect it on every platform: forward slashes
    (a Windows runner's `data\\tasks.yaml` would not link to the file)."""
    return path.replace("\\", "/")


def _safe(text: str) -> str:
    """One physical line, no control characters: a title must not forge another CI line."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def text(answer: CheckAnswer) -> str:
    result = answer.result
    lines = []
    for outcome in result.outcomes:
        if outcome.verdict not in ("fail", "warn"):
            continue
        where = f"{ci_path(outcome.location.path)}:{outcome.location.line}: " if outcome.location else ""
        label = "失败" if outcome.verdict == "fail" else "提醒"
        lines.append(_safe(f"{where}{label} {describe(outcome)}"))
    for late in answer.late:
        where = f"{ci_path(late.location.path)}:{late.location.line}: " if late.location else ""
        lines.append(_safe(f"{where}{'失败' if late.failed else '提醒'} {late.describe()}"))
    for veto in answer.inspection:
        lines.append(_safe(f"{_where(veto)}失败 抽查 {veto.message}"))
    lines.append(summary_line(answer))
    return "\n".join(lines)


def _where(veto: InspectionFinding) -> str:
    return f"{ci_path(veto.location.path)}:{veto.location.line}: " if veto.location else ""


def _gh_data(value: str) -> str:
    return _safe(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


ANNOTATIONS_PER_STEP = 10  # GitHub: at most 10 error and 10 warning annotations per step
SUMMARY_LIMIT = 900_000  # bytes; GitHub takes at most 1 MiB of job summary per step


@dataclass(frozen=True)
class Finding:
    """One thing to annotate: a failing or warned item, a backfilled line, a data error."""

    severity: str  # "error" | "warning"
    path: str | None
    line: int | None
    title: str
    message: str
    rank: tuple[int, int, str]  # lower first: what is annotated when not all can be
    col: int | None = None
    data_error: bool = False  # a fault in the data files, counted apart from the items that fail

    def annotation(self) -> str:
        props = []
        if self.path:
            props.append(f"file={_gh_property(ci_path(self.path))}")
            if self.line:
                props.append(f"line={self.line}")
                if self.col:
                    props.append(f"col={self.col}")
        props.append(f"title={_gh_property(self.title)}")
        return f"::{self.severity} {','.join(props)}::{_gh_data(self.message)}"

    def log_line(self) -> str:
        where = f"{ci_path(self.path)}:{self.line}: " if self.path and self.line else ""
        label = "失败" if self.severity == "error" else "提醒"
        return _safe(f"{where}{label} {self.title}:{self.message}")


def findings(answer: CheckAnswer, diagnostics: Iterable[Diagnostic] = ()) -> list[Finding]:
    """Every finding of a check, most important first within each severity."""
    found = [Finding("error", d.path, d.line or None, f"zwgk {d.code}", d.message, (0, 0, d.path),
                     (d.col or 1) if d.line else None, data_error=True)
             for d in diagnostics if d.severity == "error"]
    for outcome in answer.result.outcomes:
        if outcome.verdict not in ("fail", "warn"):
            continue
        s, where = outcome.status, outcome.location
        if outcome.verdict == "fail":  # hour windows first, then the longest overdue
            rank = (1 if s.hours_overdue is not None else 2, -(s.days_overdue or 0), s.item.ref)
        else:  # the nearest due first
            rank = (2, s.due.toordinal() if s.due else 0, s.item.ref)
        found.append(Finding("error" if outcome.verdict == "fail" else "warning",
                             where.path if where else None, where.line if where else None,
                             f"{STATUS_LABEL[s.status]} {s.item.ref}", describe(outcome), rank))
    for late in answer.late:
        where = late.location
        found.append(Finding("error" if late.failed else "warning", where.path if where else None,
                             where.line if where else None, f"zwgk 补录 {late.entry.item}",
                             late.describe(), (3, -late.days_late, late.entry.id)))
    for veto in answer.inspection:  # right after data errors: a veto fails the whole inspection
        where = veto.location
        found.append(Finding("error", where.path if where else None, where.line if where else None,
                             f"zwgk 抽查 {veto.indicator.name}", veto.message,
                             (0, 1 + veto.days_left, veto.indicator.code)))
    return sorted(found, key=lambda f: f.rank)


def github(answer: CheckAnswer, diagnostics: Iterable[Diagnostic] = ()) -> str:
    lines: list[str] = []
    rest: list[Finding] = []
    every = findings(answer, diagnostics)
    for severity, noun in (("error", "失败"), ("warning", "提醒")):
        mine = [f for f in every if f.severity == severity]
        shown = mine if len(mine) <= ANNOTATIONS_PER_STEP else mine[: ANNOTATIONS_PER_STEP - 1]
        lines += [f.annotation() for f in shown]
        if len(shown) < len(mine):
            more = len(mine) - len(shown)
            lines.append(f"::{severity} title={_gh_property(f'zwgk:另有 {more} 项{noun}')}::"
                         + _gh_data(f"另有 {more} 项{noun}未单独标注(GitHub 每步最多显示 "
                                    f"{ANNOTATIONS_PER_STEP} 条),全部列在作业摘要和下面的日志中"))
            rest += mine[len(shown):]
    lines += [f.log_line() for f in rest]
    lines.append(summary_line(answer))
    return "\n".join(lines)


def step_summary(answer: CheckAnswer, diagnostics: Iterable[Diagnostic] = (),
                 blob: str | None = None) -> str:
    """The Markdown job summary: the counts, then every failing item and every warning, each with
    a link to its YAML line — `blob` is `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA`
    when the run gives it, else the plain path:line."""
    from zwgk.report.safe import md_text

    counts = answer.result.counts
    every = findings(answer, diagnostics)
    errors = [f for f in every if f.severity == "error"]
    warnings = [f for f in every if f.severity == "warning"]
    units = "、".join(answer.units)
    lines = [f"## zwgk check{' — ' + md_text(units) if units else ''}:截至 {answer.as_of}", "",
             "| 通过 | 失败 | 提醒 | 跳过 | 数据错误 |", "|---:|---:|---:|---:|---:|",
             f"| {counts['pass'] + counts['warn']} | {len(errors) - _data_errors(errors)} | "
             f"{len(warnings)} | {counts['skip']} | {_data_errors(errors)} |", ""]
    if not errors and not warnings:
        return "\n".join([*lines, "没有逾期或需提醒的事项。", ""])
    for title, group in (("失败", errors), ("提醒", warnings)):
        if not group:
            continue
        lines += [f"### {title}({len(group)})", "", "| 事项 | 情况 | 位置 |", "|---|---|---|"]
        size = sum(len(line.encode()) for line in lines)
        for number, finding in enumerate(group):
            row = f"| {md_text(finding.title)} | {md_text(finding.message)} | {_link(finding, blob)} |"
            size += len(row.encode()) + 1
            if size > SUMMARY_LIMIT:
                lines.append(f"| …… | 另有 {len(group) - number} 项,见日志和 JUnit 报告 | |")
                break
            lines.append(row)
        lines.append("")
    lines.append(summary_line(answer))
    return "\n".join(lines) + "\n"


def _data_errors(errors: Sequence[Finding]) -> int:
    return sum(f.data_error for f in errors)


def _link(finding: Finding, blob: str | None) -> str:
    from zwgk.report.safe import md_text

    if not finding.path:
        return ""
    path = ci_path(finding.path)
    shown = md_text(f"{path}:{finding.line}" if finding.line else path)
    if blob is None or path.startswith(("/", "../")) or ":" in path.split("/")[0]:
        return shown  # not a path in the repository: no link
    anchor = f"#L{finding.line}" if finding.line else ""
    return f"[{shown}]({blob.rstrip('/')}/{quote(path.removeprefix('./'))}{anchor})"


def fingerprint(outcome: Outcome) -> str:
    """Stable across runs for the same failure: the item and the due date it missed."""
    s = outcome.status
    key = f"zwgk:{s.item.ref}:{s.due.isoformat() if s.due else ''}:{s.status.value}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def gitlab(answer: CheckAnswer) -> str:
    result = answer.result
    issues = []
    for outcome in result.outcomes:
        if outcome.verdict not in ("fail", "warn"):
            continue
        location = outcome.location
        issues.append({
            "description": describe(outcome),
            "check_name": f"zwgk-{outcome.status.status.value}",
            "fingerprint": fingerprint(outcome),
            "severity": "critical" if outcome.verdict == "fail" else "minor",
            "location": {
                "path": ci_path(location.path) if location else "data",
                "lines": {"begin": location.line if location else 1},
            },
        })
    for late in answer.late:
        issues.append({
            "description": late.describe(),
            "check_name": "zwgk-backfilled",
            "fingerprint": hashlib.sha256(f"zwgk:backfilled:{late.entry.id}".encode()).hexdigest()[:32],
            "severity": "major" if late.failed else "minor",
            "location": {"path": ci_path(late.location.path) if late.location else "data",
                         "lines": {"begin": late.location.line if late.location else 1}},
        })
    for veto in answer.inspection:
        issues.append({
            "description": veto.message,
            "check_name": f"zwgk-inspect-{veto.indicator.code}",
            "fingerprint": hashlib.sha256(f"zwgk:inspect:{veto.unit}:{veto.indicator.code}".encode())
            .hexdigest()[:32],
            "severity": "blocker" if veto.days_left == 0 else "critical",
            "location": {"path": ci_path(veto.location.path) if veto.location else "data",
                         "lines": {"begin": veto.location.line if veto.location else 1}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2)


def junit(answer: CheckAnswer) -> str:
    """One <testsuite> per unit, named after the unit (stable from day to day: the date is only
    the suite's timestamp), one testcase per item and per backfilled line."""
    from xml.etree import ElementTree

    default = answer.units[0] if len(answer.units) == 1 else "zwgk"
    by_unit: dict[str, _UnitCases] = {name: ([], [], []) for name in answer.units}
    for outcome in answer.result.outcomes:
        by_unit.setdefault(outcome.status.item.unit or default, ([], [], []))[0].append(outcome)
    for late in answer.late:
        by_unit.setdefault(late.unit or default, ([], [], []))[1].append(late)
    for veto in answer.inspection:
        by_unit.setdefault(veto.unit or default, ([], [], []))[2].append(veto)
    if not by_unit:
        by_unit[default] = ([], [], [])
    suites = ElementTree.Element("testsuites", name="zwgk")
    for name, cases in by_unit.items():
        _suite(suites, _safe(name), cases, answer.as_of.isoformat())
    suites.set("tests", str(len(answer.result.outcomes) + len(answer.late) + len(answer.inspection)))
    suites.set("failures", str(answer.failures))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode")


_UnitCases = tuple[list[Outcome], list[LateEntry], list[InspectionFinding]]


def _testcase(suite, classname: str, name: str, location: Location | None):  # type: ignore[no-untyped-def]
    """One <testcase>, with the file and line it is about when known (CI links to them)."""
    from xml.etree import ElementTree

    case = ElementTree.SubElement(suite, "testcase", classname=classname, name=_safe(name), time="0")
    if location:
        case.set("file", ci_path(location.path))
        case.set("line", str(location.line))
    return case


def _suite(suites, name: str, cases: _UnitCases, timestamp: str) -> None:  # type: ignore[no-untyped-def]
    from xml.etree import ElementTree

    outcomes, lates, vetoes = cases
    failures = sum(o.verdict == "fail" for o in outcomes) + sum(late.failed for late in lates) + len(vetoes)
    suite = ElementTree.SubElement(
        suites, "testsuite", name=name, tests=str(len(outcomes) + len(lates) + len(vetoes)),
        failures=str(failures),
        errors="0", skipped=str(sum(o.verdict == "skip" for o in outcomes)), timestamp=timestamp,
    )
    for outcome in outcomes:
        s = outcome.status
        case = _testcase(suite, f"zwgk.{s.item.kind}", f"{s.item.ref} {s.item.title}", outcome.location)
        if outcome.verdict == "fail":
            failure = ElementTree.SubElement(case, "failure", message=_safe(describe(outcome)),
                                             type=s.status.value)
            failure.text = _safe(describe(outcome))
        elif outcome.verdict == "skip":
            ElementTree.SubElement(case, "skipped", message=STATUS_LABEL[s.status])
        elif outcome.verdict == "warn":
            ElementTree.SubElement(case, "system-out").text = _safe(describe(outcome))
    for late in lates:
        case = _testcase(suite, "zwgk.journal", f"补录 {late.entry.id}", late.location)
        if late.failed:
            ElementTree.SubElement(case, "failure", message=_safe(late.describe()), type="backfilled")
        else:
            ElementTree.SubElement(case, "system-out").text = _safe(late.describe())
    for veto in vetoes:
        case = _testcase(suite, "zwgk.inspect", f"抽查 {veto.indicator.name}", veto.location)
        ElementTree.SubElement(case, "failure", message=_safe(veto.message), type="inspection")


def json_report(answer: CheckAnswer) -> str:
    result, as_of = answer.result, answer.as_of
    counts = result.counts
    return json.dumps({
        "schema": SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "summary": {"passed": counts["pass"] + counts["warn"],
                    "failed": answer.failures,
                    "warned": counts["warn"], "skipped": counts["skip"]},
        "results": [
            dict(item(o.status), verdict=o.verdict,
                 location=f"{ci_path(o.location.path)}:{o.location.line}" if o.location else None)
            for o in result.outcomes
        ],
        "backfilled": [
            {"id": late.entry.id, "item": late.entry.item, "date": late.entry.date.isoformat(),
             "entered_at": late.entry.at, "days_late": late.days_late,
             "verdict": "fail" if late.failed else "warn",
             "location": f"{ci_path(late.location.path)}:{late.location.line}" if late.location else None}
            for late in answer.late
        ],
        "inspection": [
            {"unit": veto.unit, "code": veto.indicator.code, "name": veto.indicator.name,
             "count": veto.indicator.count, "threshold": veto.indicator.threshold,
             "tripped": veto.indicator.tripped, "days_left": veto.days_left,
             "trips_on": veto.indicator.trips_on.isoformat() if veto.indicator.trips_on else None,
             "items": list(veto.indicator.items), "update_first": list(veto.indicator.update_first),
             "message": veto.message,
             "location": f"{ci_path(veto.location.path)}:{veto.location.line}" if veto.location else None}
            for veto in answer.inspection
        ],
    }, ensure_ascii=False, indent=2)

