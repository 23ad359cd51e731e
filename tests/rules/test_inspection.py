"""The spot check's rules (zwgk/rules/inspection.py): rolling windows counted back from the check
date with relativedelta (month ends, leap years), each single veto's count, threshold and the
exact day it trips, the columns to update first, and hypothesis properties (publishing never
brings a trip earlier)."""

from __future__ import annotations

import json
import shutil
import typing
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import MINI, loaded_dataset, write_yaml
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.models import JournalEntry
from zwgk.rules.engine import evaluate
from zwgk.rules.inspection import (
    EVIDENCE_TYPES,
    WINDOWS,
    fresh_on,
    inspect,
    message_duties,
    stale_from,
    unanswered_from,
)
from zwgk.summary.inspection import inspection_findings

D = date.fromisoformat
SIX = relativedelta(months=6)
TWO_WEEKS = relativedelta(weeks=2)
YEAR = relativedelta(years=1)

# (id, category, cycle)
COLUMNS = [
    ("C01", "dynamic", "month"), ("C02", "dynamic", "month"), ("C03", "dynamic", "month"),
    ("C04", "notice", "quarter"), ("C05", "policy", "half_year"), ("C06", "personnel_plan", "year"),
    ("C07", "interaction", "month"), ("C08", "other", "half_year"),
]
REPLY_TASK = """\
  - id: B09
    source: body
    title: 意见建议反馈
    text: 7个工作日内反馈。
    lead: [规划科技处]
    deadline: 7个工作日
    rule: {kind: event, trigger: 收到意见建议, unit: working_days, amount: 7}
    inspection: {category: interaction, reading: 留言的答复时限}
"""


def unit(tmp_path: Path, columns: list[tuple[str, str | None, str]] = COLUMNS,
         lines: list[dict[str, object]] | None = None) -> Path:
    """A data folder: the mini owners and settings, `columns` with their categories, B09 as the
    reply window, and `lines` as its journal."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for name in ("owners.yaml", "settings.yaml", "tasks.yaml"):
        shutil.copy(MINI / name, data / name)
    with open(data / "tasks.yaml", "a", encoding="utf-8") as handle:
        handle.write(REPLY_TASK)
    text = "columns:\n"
    for item, category, cycle in columns:
        text += (f"  - id: {item}\n    path: [栏目, 栏目{item}]\n    lead: [办公室]\n"
                 f"    rule: {{kind: periodic, cycle: {cycle}}}\n")
        if category:
            text += f"    inspection: {{category: {category}, reading: 测试}}\n"
    write_yaml(data, "columns.yaml", text)
    if lines is not None:
        journal(data, lines)
    return data


def journal(data: Path, lines: list[dict[str, object]]) -> None:
    (data / "journal").mkdir(exist_ok=True)
    with open(data / "journal" / "2026.jsonl", "a", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


_serial = iter(range(10**6))


def rec(item: str, day: str, url: str | None = "https://example.gov.cn/a.html",
        kind: str = "record", **extra: object) -> dict[str, object]:
    line: dict[str, object] = {"id": f"20260101-000000-{next(_serial):08x}", "type": kind, "item": item,
                               "date": day, "at": f"{day}T09:00:00+08:00", **extra}
    if url:
        line["url"] = url
    return line


def check(data: Path, as_of: str):  # type: ignore[no-untyped-def]
    dataset = loaded_dataset(data)
    return inspect(dataset, evaluate(dataset, D(as_of)))


def by_code(found):  # type: ignore[no-untyped-def]
    return {i.code: i for i in found.indicators}


# --- date arithmetic at the edges ---------------------------------------------------------------


@pytest.mark.parametrize(("newest", "window", "stale"), [
    ("2026-11-20", TWO_WEEKS, "2026-12-05"),  # 12-04 − 2 weeks = 11-20: still within
    ("2027-02-28", SIX, "2027-09-01"),  # 08-29, 08-30, 08-31 − 6 months are all 02-28
    ("2028-02-28", SIX, "2028-08-29"),  # leap year: 08-29 − 6 months = 02-29 > 02-28
    ("2028-02-29", SIX, "2028-09-01"),  # 08-29…08-31 − 6 months = 02-29
    ("2026-08-31", SIX, "2027-03-01"),  # 2027-02-28 − 6 months = 2026-08-28 ≤ 08-31
    ("2027-08-31", SIX, "2028-03-01"),  # 2028-02-29 − 6 months = 2027-08-29 ≤ 08-31
    ("2028-02-29", YEAR, "2029-03-01"),  # 2029-02-28 − 1 year = 2028-02-28
    ("2026-03-31", relativedelta(months=3), "2026-07-01"),  # 06-30 − 3 months = 03-30: still within
])
def test_stale_from_at_month_ends_and_leap_years(newest: str, window: relativedelta, stale: str) -> None:
    day = stale_from(D(newest), window, D(newest))
    assert day == D(stale)
    assert not fresh_on(D(newest), day, window)
    assert fresh_on(D(newest), day - timedelta(days=1), window)


def test_six_months_back_from_the_end_of_august() -> None:
    assert D("2027-08-31") - SIX == D("2027-02-28")
    assert D("2028-08-31") - SIX == D("2028-02-29")
    assert fresh_on(D("2028-02-29"), D("2028-08-31"), SIX)
    assert not fresh_on(D("2027-02-27"), D("2027-08-31"), SIX)


def test_no_evidence_is_stale_on_the_check_date() -> None:
    assert stale_from(None, SIX, D("2026-12-02")) == D("2026-12-02")
    assert stale_from(D("2026-01-01"), TWO_WEEKS, D("2026-12-02")) == D("2026-12-02")


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
windows = st.sampled_from([*WINDOWS.values(), relativedelta(months=3), relativedelta(months=2)])


@given(days, st.integers(0, 800), windows)
def test_stale_from_is_the_first_day_nothing_is_within_the_window(newest: date, wait: int,
                                                                  window: relativedelta) -> None:
    as_of = newest + timedelta(days=wait)
    day = stale_from(newest, window, as_of)
    assert day >= as_of
    assert not fresh_on(newest, day, window)
    if day > as_of:  # every day before it, from the check date, still sees the item
        assert all(fresh_on(newest, as_of + timedelta(days=n), window) for n in range((day - as_of).days))


@given(days, days, windows)
def test_a_newer_item_is_never_stale_sooner(first: date, second: date, window: relativedelta) -> None:
    older, newer = sorted((first, second))
    assert stale_from(older, window, newer) <= stale_from(newer, window, newer)


def test_a_message_counts_after_three_months_and_until_it_leaves_the_year() -> None:
    assert unanswered_from(D("2026-09-01"), D("2026-11-01")) == D("2026-12-02")
    assert unanswered_from(D("2026-09-01"), D("2026-12-02")) == D("2026-12-02")
    assert unanswered_from(D("2025-11-30"), D("2026-12-02")) is None  # more than a year before


# --- the indicators ----------------------------------------------------------------------------


def test_stale_counts_dynamic_notice_policy_and_personnel_columns_together(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[
        rec("C01", "2026-11-25"), rec("C02", "2026-11-30"),  # C03: nothing
        rec("C04", "2026-06-01"), rec("C05", "2026-07-15"), rec("C06", "2026-01-10"),
        rec("C08", "2026-01-05"),  # other: no rolling window
    ])
    stale = by_code(check(data, "2026-12-02"))["stale"]
    assert (stale.count, stale.threshold, stale.tripped) == (2, 5, False)
    assert stale.items == ("C03", "C04")  # 12-02 − 6 months = 06-02 > 06-01
    # C03 and C04 now, C01 on 12-10, C02 on 12-15, C06 on 2027-01-11: the fifth
    assert stale.trips_on == D("2027-01-11")
    assert stale.update_first == ("C03", "C04", "C01", "C02", "C06")
    assert stale.when == (D("2026-12-02"), D("2026-12-02"), D("2026-12-10"), D("2026-12-15"), D("2027-01-11"))
    # one update today (the column it keeps fresh longest: a year) leaves C05's 2027-01-16 fifth
    assert stale.relief == ("C06",)
    assert stale.pushed_to == D("2027-01-16")


def test_stale_trips_on_the_day_the_fifth_column_goes_stale(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[rec("C01", "2026-11-25"), rec("C02", "2026-11-30"), rec("C04", "2026-06-01"),
                                 rec("C05", "2026-07-15"), rec("C06", "2026-01-10")])
    assert not by_code(check(data, "2027-01-10"))["stale"].tripped
    on = by_code(check(data, "2027-01-11"))["stale"]
    assert (on.count, on.tripped, on.trips_on) == (5, True, D("2027-01-11"))
    assert on.items == ("C01", "C02", "C03", "C04", "C06")
    assert on.relief and len(on.relief) == 1


def test_a_record_after_the_check_date_is_not_seen(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[rec("C01", "2026-12-05")])
    facts = {f.item.id: f for f in check(data, "2026-12-02").columns}
    assert facts["C01"].newest is None


def test_not_updated_counts_columns_overdue_under_their_own_cycle(tmp_path: Path) -> None:
    columns = [(f"C{n:02d}", "other", "month") for n in range(11, 21)]
    lines = [rec(item, "2026-11-10") for item, _, _ in columns[:9]] + [rec("C20", "2026-12-01")]
    data = unit(tmp_path, columns, lines)
    found = by_code(check(data, "2026-12-02"))["not_updated"]
    assert (found.count, found.threshold, found.tripped) == (0, 10, False)
    # nine columns owe December's update (overdue from 2027-01-01); C20 already has it: 02-01
    assert found.trips_on == D("2027-02-01")
    assert found.update_first[-1] == "C20"
    tripped = by_code(check(data, "2027-02-01"))["not_updated"]
    assert (tripped.count, tripped.tripped) == (10, True)


def test_not_updated_tripped_names_how_many_to_update(tmp_path: Path) -> None:
    columns = [(f"C{n:02d}", "other", "month") for n in range(11, 23)]
    data = unit(tmp_path, columns, [rec("C11", "2026-10-10")])
    found = by_code(check(data, "2026-12-02"))["not_updated"]
    assert (found.count, found.tripped, found.trips_on) == (12, True, D("2026-12-02"))
    assert len(found.relief) == 3  # 12 overdue, fewer than 10 wanted
    # nine stay overdue; the three updated today owe January's update: overdue again from 02-01
    assert found.pushed_to == D("2027-02-01")
    assert by_code(check(data, "2026-12-02"))["not_updated"].items[0] == "C11"


def test_empty_columns_and_unverified_records(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[rec("C01", "2026-11-25", url=None), rec("C02", "2026-11-30")])
    found = check(data, "2026-12-02")
    empty = by_code(found)["empty"]
    assert (empty.count, empty.tripped, empty.trips_on) == (6, True, D("2026-12-02"))
    assert empty.items == ("C03", "C04", "C05", "C06", "C07", "C08")
    assert len(empty.relief) == 2 and empty.pushed_to is None  # two filled: four left, never five
    assert found.unverified == ("C01",)  # a record without a URL counts, marked unverified


def test_homepage_stands_for_the_newest_evidence_anywhere(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[rec("C08", "2026-11-30"), rec("C04", "2026-11-01")])
    home = by_code(check(data, "2026-12-02"))["homepage"]
    assert (home.count, home.tripped, home.trips_on) == (0, False, D("2026-12-15"))
    assert "2026-11-30" in home.basis and "C08" in home.basis
    assert home.update_first == ("C01", "C02", "C03")  # the dynamic columns
    assert by_code(check(data, "2026-12-15"))["homepage"].tripped


def test_an_unanswered_message_trips_after_three_months(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[rec("B09", "2026-09-01", url=None, kind="event", title="留言一"),
                                 rec("B09", "2026-10-20", url=None, kind="event", title="留言二")])
    assert message_duties(loaded_dataset(data)) == ("B09",)
    before = by_code(check(data, "2026-12-01"))["interaction"]
    assert (before.count, before.tripped, before.trips_on) == (0, False, D("2026-12-02"))
    on = by_code(check(data, "2026-12-02"))["interaction"]
    assert (on.count, on.tripped) == (1, True)
    assert on.pushed_to == D("2027-01-21")  # answering the first leaves the second: 10-20 + 3 months + 1


def test_an_answered_message_does_not_count(tmp_path: Path) -> None:
    event = rec("B09", "2026-09-01", url=None, kind="event", title="留言一")
    data = unit(tmp_path, lines=[event, rec("B09", "2026-09-05", event=event["id"])])
    found = by_code(check(data, "2026-12-20"))["interaction"]
    assert (found.count, found.trips_on) == (0, None)


def test_deductions_and_score(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[rec("C05", "2026-05-01"), rec("C07", "2026-09-01")])
    found = check(data, "2026-12-02")
    assert [(d.code, d.points, d.items) for d in found.deductions] == [
        ("policy_stale", 5, ("C05",)), ("replies_stale", 3, ("C07",))]
    assert found.score == 92


def test_columns_without_a_category_are_judged_as_other(tmp_path: Path) -> None:
    data = unit(tmp_path, [("C01", None, "month"), ("C02", "dynamic", "month")])
    found = check(data, "2026-12-02")
    assert found.uncategorised == ("C01",)
    assert by_code(found)["stale"].items == ("C02",)


def test_findings_for_the_ci_gate_with_grace(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[rec(item, "2026-11-30") for item, _, _ in COLUMNS])
    dataset = loaded_dataset(data)
    evaluation = evaluate(dataset, D("2026-12-02"))
    assert inspection_findings(dataset, evaluation) == ()
    soon = inspection_findings(dataset, evaluation, grace=13)  # the homepage: 12-15 is 13 days on
    assert [(f.indicator.code, f.days_left) for f in soon] == [("homepage", 13)]
    assert soon[0].location is not None and soon[0].location.path.endswith("columns.yaml")
    assert "2026-12-15 起单项否决" in soon[0].message


# --- the bundled catalogue ------------------------------------------------------------------------


def test_every_bundled_column_has_an_inspection_reading() -> None:
    from zwgk.load import bundled_data_dir

    dataset = loaded_dataset(bundled_data_dir())
    columns = [dataset.entries[i.id] for i in dataset.items if i.kind == "column"]
    assert len(columns) == 67
    assert all(c.inspection is not None and c.inspection.reading for c in columns)  # type: ignore[union-attr]
    assert message_duties(dataset) == ("B09", "B10")
    categories = {c.id: c.inspection.category for c in columns}  # type: ignore[union-attr]
    assert categories["C59"] == "dynamic" and categories["C07"] == "policy"
    assert categories["C05"] == "personnel_plan" and categories["C66"] == "interaction"


# --- properties -------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 400)), min_size=8, max_size=8),
       st.integers(0, 7), st.integers(0, 400), st.integers(0, 200))
def test_publishing_never_brings_a_trip_earlier(tmp_path_factory: pytest.TempPathFactory,
                                               ages: list[int | None], column: int, age: int,
                                               ahead: int) -> None:
    """Every indicator's trips_on (None: never) is monotone in the evidence: one more item in one
    column, at any date up to the check date, never makes any indicator trip sooner."""
    as_of = D("2026-12-02") + timedelta(days=ahead)
    lines = [rec(item, (as_of - timedelta(days=days)).isoformat())
             for (item, _, _), days in zip(COLUMNS, ages, strict=True) if days is not None
             and as_of - timedelta(days=days) >= D("2026-01-01")]
    folder = tmp_path_factory.mktemp("mono")
    data = unit(folder, lines=lines)
    before = by_code(check(data, as_of.isoformat()))
    extra = max(as_of - timedelta(days=age), D("2026-01-01"))
    journal(data, [rec(COLUMNS[column][0], extra.isoformat())])
    after = by_code(check(data, as_of.isoformat()))
    for code, was in before.items():
        now = after[code]
        assert (now.trips_on or date.max) >= (was.trips_on or date.max), code
        assert now.count <= was.count, code
        assert was.tripped == (was.trips_on == as_of), code  # a trip is never in the past


@settings(max_examples=15, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 400)), min_size=8, max_size=8),
       st.lists(st.integers(0, 200), max_size=3), st.integers(0, 100))
def test_the_forecast_comes_true(tmp_path_factory: pytest.TempPathFactory, ages: list[int | None],
                                 messages: list[int], ahead: int) -> None:
    """If nothing more is published, each indicator is untripped the day before its trips_on and
    tripped on it, judged afresh on those days."""
    as_of = D("2026-12-02") + timedelta(days=ahead)
    lines = [rec(item, (as_of - timedelta(days=days)).isoformat())
             for (item, _, _), days in zip(COLUMNS, ages, strict=True) if days is not None
             and as_of - timedelta(days=days) >= D("2026-01-01")]
    lines += [rec("B09", (as_of - timedelta(days=days)).isoformat(), url=None, kind="event")
              for days in messages]
    data = unit(tmp_path_factory.mktemp("forecast"), lines=lines)
    for code, now in by_code(check(data, as_of.isoformat())).items():
        if now.trips_on is None or now.trips_on == as_of:
            continue
        assert not by_code(check(data, (now.trips_on - timedelta(days=1)).isoformat()))[code].tripped, code
        assert by_code(check(data, now.trips_on.isoformat()))[code].tripped, code


# --- observations from zwgk scan --------------------------------------------------------------------


def observed_is_a_journal_type() -> bool:
    return "observed" in typing.get_args(typing.get_type_hints(JournalEntry)["type"])


@pytest.mark.skipif(not observed_is_a_journal_type(), reason="`observed` is not yet a journal type (zwgk scan)")
def test_observed_articles_count_as_evidence(tmp_path: Path) -> None:
    assert "observed" in EVIDENCE_TYPES
    data = unit(tmp_path, lines=[
        {"id": "20261201-080000-0000beef", "type": "observed", "item": "C01", "date": "2026-11-28",
         "url": "https://example.gov.cn/202611/t20261128_1.html", "title": "一篇动态",
         "at": "2026-12-01T08:00:00+08:00"},
        rec("C02", "2026-11-20", url=None),
    ])
    facts = {f.item.id: f for f in check(data, "2026-12-02").columns}
    assert facts["C01"].newest == D("2026-11-28") and facts["C01"].verified
    assert facts["C02"].newest == D("2026-11-20") and not facts["C02"].verified
    assert by_code(check(data, "2026-12-02"))["stale"].when[0] == D("2026-12-02")


def probe_is_a_journal_type() -> bool:
    return "probe" in typing.get_args(typing.get_type_hints(JournalEntry)["type"])


@pytest.mark.skipif(not probe_is_a_journal_type(), reason="`probe` is not yet a journal type (zwgk scan)")
def test_a_page_a_scan_found_empty_is_an_empty_column(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[
        rec("C01", "2026-11-20"), rec("C02", "2026-11-20"),
        {"id": "20261121-080000-0000c0de", "type": "probe", "item": "C01", "date": "2026-11-21",
         "state": "empty", "url": "https://example.gov.cn/c01/", "at": "2026-11-21T08:00:00+08:00"},
    ])
    facts = {f.item.id: f for f in check(data, "2026-12-02").columns}
    assert facts["C01"].shown_empty and not facts["C02"].shown_empty
    assert "C01" in by_code(check(data, "2026-12-02"))["empty"].items
    journal(data, [rec("C02", "2026-11-19")])  # older than C02's newest: nothing changes
    journal(data, [{"id": "20261125-080000-0000c0df", "type": "probe", "item": "C01", "date": "2026-11-25",
                    "state": "ok", "url": "https://example.gov.cn/c01/", "at": "2026-11-25T08:00:00+08:00"}])
    assert "C01" not in by_code(check(data, "2026-12-02"))["empty"].items
    journal(data, [{"id": "20261126-080000-0000c0e0", "type": "probe", "item": "C02", "date": "2026-11-26",
                    "state": "empty", "url": "https://example.gov.cn/c02/", "at": "2026-11-26T08:00:00+08:00"},
                   rec("C02", "2026-11-30")])  # published after the scan found it empty
    assert "C02" not in by_code(check(data, "2026-12-02"))["empty"].items


def test_findings_across_units_name_their_unit(tmp_path: Path) -> None:
    from zwgk.summary.inspection import runs_findings
    from zwgk.summary.units import UnitRun

    dataset = loaded_dataset(unit(tmp_path))  # nothing recorded: empty columns, stale, homepage
    run = UnitRun("合肥", "data", dataset, (), evaluate(dataset, D("2026-12-02")))
    found = runs_findings([run, UnitRun("芜湖", "x", None, ())], grace=0, multi=True)
    assert {f.indicator.code for f in found} == {"stale", "empty", "homepage"}
    assert all(f.unit == "合肥" and f.days_left == 0 and f.message.startswith("合肥:单项否决") for f in found)


@pytest.mark.skipif(not probe_is_a_journal_type(), reason="`probe` is not yet a journal type (zwgk scan)")
def test_a_page_of_undated_items_is_not_updated(tmp_path: Path) -> None:
    data = unit(tmp_path, lines=[
        rec("C01", "2026-11-28"),
        {"id": "20261129-080000-0000c0e1", "type": "probe", "item": "C01", "date": "2026-11-29",
         "state": "undated", "url": "https://example.gov.cn/c01/", "at": "2026-11-29T08:00:00+08:00"},
    ])
    stale = by_code(check(data, "2026-12-02"))["stale"]
    assert "C01" in stale.items  # 未注明发布时间的视为不更新
    assert by_code(check(data, "2026-12-02"))["homepage"].trips_on == D("2026-12-13")  # the record still dates
