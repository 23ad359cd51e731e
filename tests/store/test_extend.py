"""The incremental journal (zwgk/store/extend.py): a snapshot's journal extended by the appended
lines gives exactly what a full load gives — statuses, diagnostics, entries and the line each
was read from, the inputs, every command's output — and a change that is not an append (a
union merge inserting a line, a hand edit, a file sorting before the last one, an error among
the new lines) is a full read."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, TESTS, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.store import cache, extend, snapshot

AS_OF = date(2026, 11, 26)
ITEMS = ("T01", "T02", "T03", "C01", "C02", "C03", "C04", "X99")  # X99: an unknown item (a warning)


def line(entry_id: str, item: str = "C01", day: str = "2026-11-02", kind: str = "record",
         **more: str) -> str:
    fields: dict[str, Any] = {"id": entry_id, "type": kind, "item": item, "date": day,
                              "at": f"{day}T09:00:00+08:00", **more}
    return json.dumps(fields, ensure_ascii=False, separators=(", ", ": "))


@contextmanager
def grown_spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each miss was answered by extending the journal (True) or by a full read (an
    extension that failed later, in judging it, counts as a full read)."""
    taken: list[bool] = []
    real, fresh = extend.grown, snapshot._fresh

    def spy(*args: Any) -> Any:
        found = real(*args)
        taken.append(found is not None)
        return found

    def full_read(*args: Any) -> Any:
        if cache.enabled() and taken and taken[-1]:  # not the full load a test compares with
            taken[-1] = False
        return fresh(*args)

    monkeypatch.setattr(extend, "grown", spy)
    monkeypatch.setattr(snapshot, "_fresh", full_read)
    yield taken


def full(folder: Path) -> tuple[Any, Any]:
    os.environ["ZWGK_NO_CACHE"] = "1"
    try:
        return snapshot.evaluated(folder, AS_OF, None)
    finally:
        del os.environ["ZWGK_NO_CACHE"]


def same_as_full(folder: Path) -> None:
    """The cached path (snapshot, extension or full read, whichever applies) against a full load."""
    result, evaluation = snapshot.evaluated(folder, AS_OF, None)
    want, want_evaluation = full(folder)
    assert result.diagnostics == want.diagnostics
    assert evaluation == want_evaluation
    if want.dataset is None:
        assert result.dataset is None
        return
    assert result.dataset == want.dataset  # the plan, and the journal: entries and locations
    assert result.dataset.journal == want.dataset.journal  # the corrected view
    assert [dict(result.dataset.journal_locations)[e.id] for e in result.dataset.journal_as_written] \
        == [dict(want.dataset.journal_locations)[e.id] for e in want.dataset.journal_as_written]
    if result.inputs:  # a snapshot's own hit names no inputs; a full read and an extension do
        assert dict(result.inputs) == dict(want.inputs)


def primed(folder: Path, journal: str = "2026.jsonl") -> None:
    """A unit whose journal has changed once since its first load: the first load leaves only
    what the journal was (a light base), the first change after it a whole base."""
    same_as_full(folder)
    append(folder / "journal" / journal, line("p0", "C04", "2026-11-01") + "\n")
    same_as_full(folder)
    assert any(len(cache.load(base) or ()) > 2 for base in cache.folder_for(folder).glob("journal-*.marshal"))


def append(path: Path, data: str | bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    (folder / "journal").mkdir()
    (folder / "journal" / "2025.jsonl").write_text(
        line("a1", "C01", "2025-03-02") + "\n" + line("a2", "C02", "2025-04-02") + "\n", encoding="utf-8")
    (folder / "journal" / "2026.jsonl").write_text(
        line("b1", "C03", "2026-11-20", "event") + "\n" + line("b2", "X99", "2026-10-02") + "\n",
        encoding="utf-8")
    return folder


def test_appended_records_are_read_from_the_tail(unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primed(unit)
    journal = unit / "journal" / "2026.jsonl"
    with grown_spy(monkeypatch) as taken:
        for n, item in enumerate(("C01", "C02", "X99", "C03")):
            append(journal, line(f"n{n}", item, "2026-11-2" + str(n)) + "\n")
            same_as_full(unit)
    assert taken == [True] * 4


def test_corrections_crlf_and_a_line_without_its_newline(unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primed(unit)
    journal = unit / "journal" / "2026.jsonl"
    steps = [
        line("v1", "C01", "2026-11-25", "void", corrects="a1", reason="错登") + "\r\n",
        line("m1", "C03", "2026-11-25", "amend", corrects="b1", reason="日期", note="改") + "\n",
        line("v2", "C01", "2026-11-25", "void", corrects="v1", reason="撤销作废"),  # no newline yet
        "\n" + line("r9", "C02", "2026-11-25"),  # the line above is now whole, this one not yet
        "\r\n",
    ]
    with grown_spy(monkeypatch) as taken:
        for step in steps:
            append(journal, step)
            same_as_full(unit)
    assert taken == [True] * len(steps)


def test_torn_tails_and_torn_middles_are_warnings_as_in_a_full_load(
        unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primed(unit)
    journal = unit / "journal" / "2026.jsonl"
    whole = line("t1", "C01", "2026-11-25", note="中文备注") + "\n"
    torn = whole.encode("utf-8")[:-9]  # cut inside a Chinese character
    with grown_spy(monkeypatch) as taken:
        append(journal, torn)  # a torn last line: a warning
        result, _ = snapshot.evaluated(unit, AS_OF, None)
        assert "journal-torn-line" in [d.code for d in result.diagnostics]
        same_as_full(unit)
        append(journal, b"\n" + whole.encode("utf-8"))  # now a torn line in the middle: still a warning
        same_as_full(unit)
    assert taken == [True, True]


def test_duplicates_identical_count_once_and_different_fall_back(
        unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primed(unit)
    journal = unit / "journal" / "2026.jsonl"
    with grown_spy(monkeypatch) as taken:
        append(journal, line("a1", "C01", "2025-03-02") + "\n")  # what a union merge repeats
        same_as_full(unit)
        append(journal, line("a2", "C01", "2026-01-01") + "\n")  # another line under a known id
        same_as_full(unit)
        result, _ = full(unit)
        assert "journal-duplicate-id" in [d.code for d in result.diagnostics]
    assert taken == [True, False]


def test_what_is_not_an_append_is_a_full_read(unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primed(unit)
    journal = unit / "journal" / "2026.jsonl"
    with grown_spy(monkeypatch) as taken:
        lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
        journal.write_text(lines[0] + line("u1", "C02", "2026-11-21") + "\n" + "".join(lines[1:]),
                           encoding="utf-8")  # a union merge inserting a line in the middle
        same_as_full(unit)
        older = unit / "journal" / "2025.jsonl"
        append(older, line("o1", "C01", "2025-12-30") + "\n")  # a file before the last one grew
        same_as_full(unit)
        (unit / "journal" / "2024.jsonl").write_text(line("p1", "C01", "2024-05-05") + "\n",
                                                     encoding="utf-8")  # sorts before the others
        same_as_full(unit)
        append(journal, "{不是 JSON}\n")  # an error: the full load says it, in its order
        same_as_full(unit)
    assert taken == [False, False, False, False]


def test_a_new_year_file_is_read_as_grown_from_empty(unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primed(unit)
    with grown_spy(monkeypatch) as taken:
        new = unit / "journal" / "2027.jsonl"
        new.write_bytes(b"\xef\xbb\xbf" + (line("y1", "C01", "2026-11-25") + "\n").encode("utf-8"))
        same_as_full(unit)  # a BOM on its first line, as an editor writes it
        append(new, line("y2", "C02", "2026-11-25") + "\n")
        same_as_full(unit)
        removed = unit / "journal" / "2025.jsonl"
        removed.unlink()
        same_as_full(unit)
    assert taken == [True, True, False]


def test_a_following_unit_extends_its_own_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    province = tmp_path / "province"
    shutil.copytree(TESTS / "fixtures" / "province", province)
    city = province / "合肥"
    primed(city)
    with grown_spy(monkeypatch) as taken:
        append(city / "journal" / "2026.jsonl", line("h9", "C01", "2026-11-25") + "\n")
        same_as_full(city)
    assert taken == [True]


def test_a_load_no_record_follows_keeps_only_what_the_journal_was(
        unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    same_as_full(unit)
    bases = list(cache.folder_for(unit).glob("journal-*.marshal"))
    assert [cache.load(base)[0] for base in bases] == ["light"]
    with grown_spy(monkeypatch) as taken:
        snapshot.evaluated(unit, date(2026, 11, 27), None)  # another day: not a journal change
        assert [cache.load(base)[0] for base in bases] == ["light"]
        append(unit / "journal" / "2026.jsonl", line("w1") + "\n")
        same_as_full(unit)  # read whole once; from now on the journal is extended
        append(unit / "journal" / "2026.jsonl", line("w2") + "\n")
        same_as_full(unit)
    assert taken == [False, False, True]


def test_a_damaged_base_is_a_full_read(unit: Path) -> None:
    primed(unit)
    for base in cache.folder_for(unit).glob("journal-*.marshal"):
        cache.save(base, ("not", "a", "base"))
    append(unit / "journal" / "2026.jsonl", line("d1") + "\n")
    same_as_full(unit)


def test_every_command_prints_what_a_full_read_prints(unit: Path) -> None:
    journal = unit / "journal" / "2026.jsonl"
    run_cli("status", "--data", str(unit), "--as-of", AS_OF.isoformat())
    append(journal, line("c0", "C04", "2026-11-01") + "\n")
    run_cli("status", "--data", str(unit), "--as-of", AS_OF.isoformat())  # makes the whole base
    append(journal, line("c1", "C02", "2026-11-25") + "\n"
           + line("c2", "C01", "2026-11-25", "void", corrects="a1", reason="错") + "\n" + line("c3", "X99"))
    for args in (["status"], ["status", "--json"], ["overdue"], ["check"], ["log"], ["show", "C01"],
                 ["upcoming"], ["validate"]):
        command = [*args, "--data", str(unit), "--as-of", AS_OF.isoformat()]
        if args[0] == "validate":
            command = [*args, "--data", str(unit)]
        cached = run_cli(*command)
        plain = run_cli(*command, env={"ZWGK_NO_CACHE": "1"})
        assert (cached.exit_code, cached.output) == (plain.exit_code, plain.output), args


# --- many append sequences ------------------------------------------------------------------------

_ids = st.sampled_from(("a1", "a2", "b1", "b2", "n1", "n2", "n3", "n4"))
_days = st.sampled_from(("2026-01-05", "2026-06-30", "2026-11-20", "2026-11-26"))
_record = st.builds(lambda i, item, day, kind: line(i, item, day, kind), _ids, st.sampled_from(ITEMS),
                    _days, st.sampled_from(("record", "record", "event", "observed")))
_correction = st.builds(lambda i, target, kind: line(i, "C01", "2026-11-25", kind, corrects=target,
                                                     reason="更正", **({"note": "改"} if kind == "amend" else {})),
                        _ids, _ids, st.sampled_from(("void", "amend")))
_ending = st.sampled_from(("\n", "\n", "\r\n", ""))


@st.composite
def _step(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(("append", "append", "append", "torn", "newline", "new-file", "insert")))
    text = draw(st.one_of(_record, _correction))
    if kind == "torn":
        raw = text.encode("utf-8")
        return kind, raw[:draw(st.integers(1, len(raw) - 1))]
    if kind == "newline":
        return kind, b"\n"
    return kind, (text + draw(_ending)).encode("utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(_step(), min_size=1, max_size=6))
def test_any_append_sequence_gives_what_a_full_load_gives(steps: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as where:
        folder = Path(where) / "data"
        shutil.copytree(MINI, folder)
        (folder / "journal").mkdir()
        journal = folder / "journal" / "2026.jsonl"
        journal.write_text(line("a1", "C01", "2026-03-02") + "\n" + line("b1", "C03", "2026-11-20", "event")
                           + "\n", encoding="utf-8")
        same_as_full(folder)
        year = 2026
        for kind, data in steps:
            if kind == "new-file":
                year += 1
                journal = folder / "journal" / f"{year}.jsonl"
            if kind == "insert":
                journal.write_bytes(data + journal.read_bytes())
            else:
                append(journal, data)
            same_as_full(folder)


def test_the_writer_cutting_a_torn_last_line_keeps_the_extension(
        unit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    primed(unit)
    journal = unit / "journal" / "2026.jsonl"
    append(journal, line("t9", "C02", "2026-11-25").encode("utf-8")[:30])  # a record stopped short
    with grown_spy(monkeypatch) as taken:
        same_as_full(unit)
        done = run_cli("record", "C02", "--data", str(unit), "--date", "2026-11-25", "--again")
        assert done.exit_code == 0, done.output
        same_as_full(unit)  # the torn line was after the last newline: the settled beginning stands
    assert taken == [True, True]


def test_the_province_after_a_record_prints_what_a_full_read_prints(tmp_path: Path) -> None:
    province = tmp_path / "province"
    shutil.copytree(TESTS / "fixtures" / "province", province)
    workspace = ["--workspace", str(province / "zwgk.yaml"), "--as-of", AS_OF.isoformat()]
    for _ in range(3):  # the first load, the first change (makes the base), then extensions
        run_cli("status", *workspace)
        done = run_cli("record", "C01", "--data", str(province / "合肥"), "--date", "2026-11-25", "--again")
        assert done.exit_code == 0, done.output
        for args in (["status"], ["status", "--json"], ["overdue"], ["check"]):
            cached = run_cli(*args, *workspace)
            plain = run_cli(*args, *workspace, env={"ZWGK_NO_CACHE": "1"})
            assert (cached.exit_code, cached.output) == (plain.exit_code, plain.output), args


def test_diagnostics_are_split_where_the_journal_s_lie() -> None:
    from zwgk.errors import Diagnostic

    def d(path: str, code: str, severity: str = "warning") -> Diagnostic:
        return Diagnostic(path, 1, 1, code, "…", severity=severity)  # type: ignore[arg-type]

    plan, torn = d("tasks.yaml", "no-owner"), d("data/journal/2026.jsonl", extend.TORN)
    unknown, site = d("data/journal/2026.jsonl", extend.UNKNOWN), d("data/site.yaml", "site-x")
    assert extend._split((plan, torn, unknown, site), "data/site.yaml") == ((plan,), (torn,), (unknown,), (site,))
    assert extend._split((plan, site), "data/site.yaml") == ((plan,), (), (), (site,))
    assert extend._split((torn, plan, unknown), "data/site.yaml") is None  # not the load's order
    assert extend._split((site, plan), "data/site.yaml") is None
