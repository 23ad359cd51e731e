"""The spot check's renderers (zwgk/report/inspect.py): the sentences an office head reads, and the
JSON keys the issue fixes. The answers are built by hand: renderers do no date maths."""

from __future__ import annotations

import json
from datetime import date

from zwgk.report.inspect import as_json, forecast, html, verdict
from zwgk.rules.inspection import NAMES, THRESHOLDS, Deduction, Indicator, Inspection
from zwgk.summary.inspection import InspectAnswer, UnitInspection

AS_OF = date(2026, 12, 2)


def indicator(code: str, count: int = 0, trips_on: date | None = None, **extra: object) -> Indicator:
    return Indicator(code, NAMES[code], THRESHOLDS[code], count, (), trips_on, **extra)  # type: ignore[arg-type]


def inspection(*indicators: Indicator, deductions: tuple[Deduction, ...] = ()) -> Inspection:
    return Inspection(AS_OF, indicators, deductions, (), ())


def test_the_forecast_sentence() -> None:
    assert forecast(indicator("stale", 3, date(2026, 12, 9))) == "2026-12-09 起第 5 个栏目超期 → 单项否决"
    assert forecast(indicator("not_updated", 2, date(2027, 1, 1))) == "2027-01-01 起第 10 个栏目超期 → 单项否决"
    assert forecast(indicator("homepage", 0, date(2026, 12, 15))) == "2026-12-15 起首页 2 周无更新 → 单项否决"
    assert forecast(indicator("interaction", 0, date(2027, 2, 1))) == "2027-02-01 起有留言超过 3 个月未回应 → 单项否决"
    assert forecast(indicator("empty", 1)) == "不发布新内容也不会触发"
    assert forecast(indicator("empty", 6, AS_OF)) == "已触发:6 个,达到 5 个 → 单项否决"
    assert forecast(indicator("homepage", 1, AS_OF)) == "已触发:首页 2 周无更新 → 单项否决"


def test_the_verdict_comes_first_and_names_the_soonest_trip() -> None:
    calm = inspection(indicator("stale", 3, date(2026, 12, 9)), indicator("homepage", 0, date(2026, 12, 15)))
    assert verdict(calm) == ("结论:目前合格(得分 100);2026-12-09 起第 5 个栏目超期 → 单项否决"
                             "(还有 7 天,栏目不更新)")
    failed = inspection(indicator("empty", 6, AS_OF), indicator("stale", 5, AS_OF))
    assert verdict(failed) == "结论:不合格 —— 单项否决 2 项:空白栏目(6 个,达到 5 个)、栏目不更新(5 个,达到 5 个)"
    never = inspection(indicator("empty", 1), deductions=(Deduction("policy_stale", "政策", 5, ("C07",)),))
    assert verdict(never) == "结论:目前合格;不发布新内容也不会触发单项否决。得分 95"


def test_json_keys() -> None:
    answer = InspectAnswer(AS_OF, (UnitInspection("测试局", inspection(
        indicator("stale", 5, AS_OF, update_first=("C01",), when=(AS_OF,), relief=("C01",),
                  pushed_to=date(2026, 12, 17)))),))
    body = json.loads(as_json(answer))
    assert list(body)[:2] == ["as_of", "veto"] and body["veto"] is True
    (stale,) = body["indicators"]
    assert list(stale)[:7] == ["code", "name", "count", "threshold", "tripped", "items", "trips_on"]
    assert stale["trips_on"] == "2026-12-02" and stale["pushed_to"] == "2026-12-17"
    assert stale["update_first"] == [{"id": "C01", "on": "2026-12-02"}]


def test_units_json_and_html_keep_a_broken_unit() -> None:
    answer = InspectAnswer(AS_OF, (UnitInspection("省局", inspection(indicator("stale", 0, None))),
                                   UnitInspection("芜湖", None)), multi=True)
    body = json.loads(as_json(answer))
    assert [u["unit"] for u in body["units"]] == ["省局", "芜湖"]
    assert body["units"][1]["broken"] is True and body["veto"] is False
    page = html(answer)
    assert "各单位 × 单项否决指标" in page and "数据有误" in page
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
