"""`zwgk check` output formats: text, GitHub workflow commands, GitLab Code Quality, JUnit XML, JSON.

Each renderer takes the finished `GateResult` and returns a string; a test checks every
`--format` choice is wired to one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from zwgk.errors import Diagnostic
from zwgk.report.jsonout import SCHEMA_VERSION, item
from zwgk.report.labels import STATUS_LABEL, due_text, overdue_text
from zwgk.summary.answers import CheckAnswer
from zwgk.summary.gate import GateResult, Outcome
from zwgk.summary.ledger import LateEntry


def summary_line(result: GateResult, late: Sequence[LateEntry] = ()) -> str:
    """Also the plain 'N passed, N failed' line that CI systems read (补录 failures count)."""
    counts = result.counts
    failed = counts["fail"] + sum(entry.failed for entry in late)
    return (f"zwgk: {counts['pass'] + counts['warn']} passed, {failed} failed,"
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
    lines.append(summary_line(result, answer.late))
    return "\n".join(lines)


def _gh_data(value: str) -> str:
    return _safe(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(answer: CheckAnswer) -> str:
    result = answer.result
    lines = []
    for outcome in result.outcomes:
        if outcome.verdict not in ("fail", "warn"):
            continue
        command = "error" if outcome.verdict == "fail" else "warning"
        props = []
        if outcome.location:
            props += [f"file={_gh_property(ci_path(outcome.location.path))}",
                      f"line={outcome.location.line}"]
        s = outcome.status
        props.append(f"title={_gh_property(f'{STATUS_LABEL[s.status]} {s.item.ref}')}")
        lines.append(f"::{command} {','.join(props)}::{_gh_data(describe(outcome))}")
    for late in answer.late:
        props = [f"file={_gh_property(ci_path(late.location.path))}", f"line={late.location.line}"] \
            if late.location else []
        props.append(f"title={_gh_property('zwgk 补录 ' + late.entry.item)}")
        command = "error" if late.failed else "warning"
        lines.append(f"::{command} {','.join(props)}::{_gh_data(late.describe())}")
    lines.append(summary_line(result, answer.late))
    return "\n".join(lines)


def github_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """Data errors as annotations on the lines to fix."""
    lines = []
    for d in diagnostics:
        if d.severity != "error":
            continue
        props = [f"file={_gh_property(ci_path(d.path))}"]
        if d.line:
            props += [f"line={d.line}", f"col={d.col or 1}"]
        props.append(f"title={_gh_property('zwgk ' + d.code)}")
        lines.append(f"::error {','.join(props)}::{_gh_data(d.message)}")
    return "\n".join(lines)


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
    return json.dumps(issues, ensure_ascii=False, indent=2)


def junit(answer: CheckAnswer) -> str:
    result, as_of = answer.result, answer.as_of
    from xml.etree import ElementTree

    counts = result.counts
    suites = ElementTree.Element("testsuites", name="zwgk")
    suite = ElementTree.SubElement(
        suites, "testsuite", name=f"zwgk {as_of.isoformat()}",
        tests=str(len(result.outcomes)), failures=str(counts["fail"]), errors="0",
        skipped=str(counts["skip"]), timestamp=as_of.isoformat(),
    )
    for outcome in result.outcomes:
        s = outcome.status
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"zwgk.{s.item.kind}", name=_safe(f"{s.item.ref} {s.item.title}"),
            time="0",
        )
        if outcome.location:
            case.set("file", ci_path(outcome.location.path))
            case.set("line", str(outcome.location.line))
        if outcome.verdict == "fail":
            failure = ElementTree.SubElement(case, "failure", message=_safe(describe(outcome)),
                                             type=s.status.value)
            failure.text = _safe(describe(outcome))
        elif outcome.verdict == "skip":
            ElementTree.SubElement(case, "skipped", message=STATUS_LABEL[s.status])
        elif outcome.verdict == "warn":
            ElementTree.SubElement(case, "system-out").text = _safe(describe(outcome))
    for late in answer.late:
        case = ElementTree.SubElement(suite, "testcase", classname="zwgk.journal",
                                      name=_safe(f"补录 {late.entry.id}"), time="0")
        if late.location:
            case.set("file", ci_path(late.location.path))
            case.set("line", str(late.location.line))
        if late.failed:
            ElementTree.SubElement(case, "failure", message=_safe(late.describe()), type="backfilled")
        else:
            ElementTree.SubElement(case, "system-out").text = _safe(late.describe())
    suite.set("tests", str(len(result.outcomes) + len(answer.late)))
    suite.set("failures", str(counts["fail"] + sum(late.failed for late in answer.late)))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode")


def json_report(answer: CheckAnswer) -> str:
    result, as_of = answer.result, answer.as_of
    counts = result.counts
    return json.dumps({
        "schema": SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "summary": {"passed": counts["pass"] + counts["warn"],
                    "failed": counts["fail"] + sum(late.failed for late in answer.late),
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
    }, ensure_ascii=False, indent=2)

