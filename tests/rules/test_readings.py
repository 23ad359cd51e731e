"""Readings of the source that need more than one field: a deliverable followed by a yearly duty
(task 25), a yearly duty whose date the office learns each year (task 22), the cover letter's own
deadline."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from zwgk.load import bundled_data_dir, load_dataset
from zwgk.models import DeadlineRule, Item, PeriodicRule
from zwgk.rules.engine import Status, judge_item

SINCE = date(2026, 1, 1)


def item(rule: object) -> Item:
    return Item("T99", "task", "测试", (), (), (), None, rule)  # type: ignore[arg-type]


def judge(rule: object, records: list[date], as_of: date, since: date = SINCE):  # type: ignore[no-untyped-def]
    return judge_item(item(rule), records, as_of, since, 14)


class TestDeliverableThenYearly:
    rule = DeadlineRule(kind="deadline", due=date(2017, 12, 31), then="ongoing", review="year")

    def test_each_year_after_the_deliverable_is_a_period_to_judge(self) -> None:
        assert judge(self.rule, [], date(2026, 11, 26)).status is Status.OPEN  # 2026 due 12-31
        late = judge(self.rule, [], date(2027, 1, 5))
        assert late.status is Status.OVERDUE and late.due == date(2026, 12, 31)
        assert judge(self.rule, [date(2026, 6, 1)], date(2026, 11, 26)).status is Status.ONGOING

    def test_the_deliverable_itself_is_still_judged_when_tracking_covers_it(self) -> None:
        since = date(2017, 8, 11)
        assert judge(self.rule, [], date(2017, 12, 20), since).status is Status.DUE_SOON
        assert judge(self.rule, [], date(2018, 1, 5), since).status is Status.OVERDUE
        delivered = judge(self.rule, [date(2017, 12, 1)], date(2018, 3, 1), since)
        assert delivered.status is Status.OPEN and delivered.due == date(2018, 12, 31)

    def test_review_needs_an_ongoing_duty(self) -> None:
        with pytest.raises(ValidationError, match="review"):
            DeadlineRule(kind="deadline", due=date(2017, 12, 31), review="year")


class TestTheOfficesOwnDate:
    rule = PeriodicRule(kind="periodic", cycle="year", by="02-28", dates=(date(2027, 1, 18),))

    def test_the_season_is_the_default(self) -> None:
        assert judge(self.rule, [], date(2026, 2, 20)).status is Status.DUE_SOON  # due 02-28
        assert judge(self.rule, [], date(2026, 3, 1)).status is Status.OVERDUE

    def test_a_years_own_date_wins_that_year(self) -> None:
        found = judge(self.rule, [date(2026, 2, 10)], date(2027, 1, 10))
        assert found.status is Status.DUE_SOON and found.due == date(2027, 1, 18)
        assert judge(self.rule, [date(2026, 2, 10)], date(2027, 1, 19)).status is Status.OVERDUE

    @pytest.mark.parametrize("dates", [(date(2027, 1, 18), date(2027, 2, 1))])
    def test_one_date_a_year_and_only_for_yearly_cycles(self, dates: tuple[date, ...]) -> None:
        with pytest.raises(ValidationError, match="每年只能有一个"):
            PeriodicRule(kind="periodic", cycle="year", dates=dates)
        with pytest.raises(ValidationError, match="cycle: year"):
            PeriodicRule(kind="periodic", cycle="month", dates=(date(2027, 1, 18),))


def test_the_bundled_data_reads_the_source_faithfully() -> None:
    dataset = load_dataset(bundled_data_dir()).dataset
    assert dataset is not None
    cover = dataset.entries["B11"]
    assert cover.source == "cover" and "于8月18日前将修改意见报省局办公室" in cover.text  # type: ignore[union-attr]
    assert cover.rule == DeadlineRule(kind="deadline", due=date(2017, 8, 18))
    assert dataset.entries["T25"].rule.review == "year"  # type: ignore[union-attr]
    session = dataset.entries["T22"].rule
    assert isinstance(session, PeriodicRule) and session.by == "02-28"


def test_validate_is_not_silent_about_the_sessions_loose_reading() -> None:
    import json

    from conftest import run_cli

    result = run_cli("validate", "--data", str(bundled_data_dir()), "--json")
    seasons = [w for w in json.loads(result.stdout)["warnings"] if w["code"] == "gap-season"]
    assert [w["message"].split()[0] for w in seasons] == ["T22"]
    assert "dates" in seasons[0]["hint"]


def test_a_planned_date_is_counted_and_validate_says_nothing_against_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One rule, said the same way everywhere: a 'before' duty counts from when it is recorded."""
    import json
    import shutil

    from conftest import run_cli

    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), data)
    planned = run_cli("event", "监管执法双随机一公开", "--date", "2100-01-11", "--dept", "监管一处",
                      "--data", str(data))
    assert planned.exit_code == 0, planned.output
    warnings = json.loads(run_cli("validate", "--data", str(data), "--json").stdout)["warnings"]
    assert not [w for w in warnings if w["code"] == "journal-future-date"]
    assert any(i["kind"] == "obligation" for i in json.loads(
        run_cli("status", "--data", str(data), "--json").stdout)["items"]), "and status counts it"
    record = run_cli("record", "C07", "--date", "2100-01-11", "--data", str(data))
    assert record.exit_code == 2, "a record in the future is refused outright"
