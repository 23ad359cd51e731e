"""zwgk.load.phrases: the second reading of each verbatim deadline phrase.

read_phrase() reads what the source writes — 2017年8月底, 每半年不少于1次更新, 1 5个工作日 (the
scrape splits digits), 当日, 长期坚持, 及时 — into a Reading; agrees() says whether a hand-written
rule says the same. `zwgk validate` warns (reading-mismatch) where the two differ, so every item
of the bundled data must either agree with its phrase or be one of those warnings.
"""

from __future__ import annotations

import calendar
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.errors import Diagnostic
from zwgk.load import bundled_data_dir, load_dataset
from zwgk.load.phrases import Reading, agrees, normalise, read_phrase
from zwgk.models import DeadlineRule, EventRule, OngoingRule, PeriodicRule, UnspecifiedRule

PROPS = settings(max_examples=300, deadline=None, database=None)
MINI = Path(__file__).parents[1] / "fixtures" / "mini"
BUNDLED = load_dataset(bundled_data_dir())
assert BUNDLED.dataset is not None, BUNDLED.diagnostics

years = st.integers(min_value=1900, max_value=2200)
months = st.integers(min_value=1, max_value=12)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def spaced(digits: str, gaps: list[bool]) -> str:
    """Digits as the scrape splits them: '2017' with gaps [F, T, T] → '20 1 7'."""
    return "".join(d + " " * gap for d, gap in zip(digits[:-1], gaps, strict=False)) + digits[-1]


# --- every form the bundled data uses -------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "reading"),
    [
        # one-off deadlines: 月底 is the month's last day, 月前 the day before the month
        ("2017年8月底", Reading("deadline", due=date(2017, 8, 31))),
        ("2017年9月底 长期坚持", Reading("deadline", due=date(2017, 9, 30), then_ongoing=True)),
        ("2017年11月底 长期坚持", Reading("deadline", due=date(2017, 11, 30), then_ongoing=True)),
        ("2017年12月底", Reading("deadline", due=date(2017, 12, 31))),
        ("20 1 7年10月前", Reading("deadline", due=date(2017, 9, 30))),
        ("2017年底前", Reading("deadline", due=date(2017, 12, 31))),
        ("2020年底前建成", Reading("deadline", due=date(2020, 12, 31))),
        ("2020年前按省政府要求办理。", Reading("deadline", due=date(2019, 12, 31))),
        # yearly duties with a date in the year
        ("每年11月前", Reading("periodic", cycle="year", by="10-31")),
        ("于每年1 1月份", Reading("periodic", cycle="year", by="11-30")),
        # refresh requirements, with the text that may follow them
        ("每月不少于1次更新", Reading("periodic", cycle="month")),
        ("每季度不少于1次更新", Reading("periodic", cycle="quarter")),
        ("每季度不少于1次更新 本级行政处罚进行双公示", Reading("periodic", cycle="quarter")),
        ("每半年不少于1次更新", Reading("periodic", cycle="half_year")),
        ("每半年更新不少于1次", Reading("periodic", cycle="half_year")),
        ("每半年不少于1次", Reading("periodic", cycle="half_year")),
        ("每半年不少于1次更新 涉及安全生产法律法规及时公开", Reading("periodic", cycle="half_year")),
        ("每年不少于1次更新", Reading("periodic", cycle="year")),
        # events
        ("国家安全监管总局、省政府规范性文件公开后1个工作日", Reading("event", unit="working_days", amount=1)),
        ("在1 5个工作日内予以答复", Reading("event", unit="working_days", amount=15)),
        ("应在7个工作日内通过原有平台或其他方式反馈处理意见,情况复杂的可延长至1 5个工作日",
         Reading("event", unit="working_days", amount=7)),
        ("力争在1小时内完成,不得滞后1个工作日", Reading("event", unit="working_days", amount=1)),
        ("按执法计划提前3个工作日公开", Reading("event", unit="working_days", amount=3, direction="before")),
        ("最迟要在5小时内", Reading("event", unit="hours", amount=5)),
        ("在24小时内", Reading("event", unit="hours", amount=24)),
        ("事故发生当日", Reading("event", unit="same_day", amount=0)),
        ("与印发征求意见函同步", Reading("event", unit="same_day", amount=0)),
        # no date
        ("长期坚持", Reading("ongoing")),
        ("持续改进 长期坚持", Reading("ongoing")),
        ("及时公开", Reading("unspecified")),
        ("省政府统一部署", Reading("unspecified")),
        ("对审批结果进行双公示", Reading("unspecified")),
    ],
)
def test_each_phrase_form_reads_to_its_rule(phrase: str, reading: Reading) -> None:
    assert read_phrase(phrase) == reading


@pytest.mark.parametrize("phrase", ["每年省人代会期间", "坚持季度新闻发布会制度", "每年应出席不少于一次",
                                    "每年", "收集反馈意见,采纳意见予以归总,不采纳意见应予说明", "", "   "])
def test_a_phrase_that_names_no_reading_gives_none(phrase: str) -> None:
    assert read_phrase(phrase) is None


def test_a_deadline_phrase_wins_over_the_period_and_event_words_beside_it() -> None:
    assert read_phrase("2017年12月底前完成,此后每年不少于1次更新") == Reading("deadline", due=date(2017, 12, 31))
    assert read_phrase("每季度不少于1次更新,3个工作日内报送") == Reading("periodic", cycle="quarter")


def test_month_phrases_outside_the_calendar_are_not_read_as_dates() -> None:
    assert read_phrase("2017年13月底") is None
    assert read_phrase("2017年0月前") is None
    assert read_phrase("每年13月份") == Reading("periodic", cycle="year")  # a year, but no by


def test_before_january_is_the_end_of_the_previous_year() -> None:
    assert read_phrase("2018年1月前") == Reading("deadline", due=date(2017, 12, 31))


def test_before_a_zero_padded_january_is_the_end_of_the_previous_year() -> None:
    assert read_phrase("2018年01月前") == Reading("deadline", due=date(2017, 12, 31))


def test_normalise_joins_digits_the_scrape_split_and_trims() -> None:
    assert normalise("\u300020 1 7年1 0月前 ") == "2017年10月前"
    assert normalise("第 1 5 条 共 3 项") == "第 15 条 共 3 项"  # only spaces between two digits go


# --- properties -----------------------------------------------------------------------------


@PROPS
@given(year=years, month=months, ongoing=st.booleans())
def test_month_end_phrases_read_as_the_last_day_of_that_month(year: int, month: int, ongoing: bool) -> None:
    phrase = f"{year}年{month}月底" + (" 长期坚持" if ongoing else "")
    reading = read_phrase(phrase)
    assert reading == Reading("deadline", due=month_end(year, month), then_ongoing=ongoing)
    assert reading is not None and reading.due is not None and (reading.due + timedelta(days=1)).day == 1


@PROPS
@given(year=years, month=months)
def test_before_a_month_is_the_last_day_of_the_month_before(year: int, month: int) -> None:
    reading = read_phrase(f"{year}年{month}月前")
    assert reading == Reading("deadline", due=date(year, month, 1) - timedelta(days=1))


@PROPS
@given(year=years, month=months, gaps=st.lists(st.booleans(), min_size=6, max_size=6))
def test_split_digits_read_the_same_as_whole_ones(year: int, month: int, gaps: list[bool]) -> None:
    whole = f"{year}年{month}月底"
    split = f"{spaced(str(year), gaps[:4])}年{spaced(str(month), gaps[4:])}月底"
    assert read_phrase(split) == read_phrase(whole)


@PROPS
@given(month=st.integers(min_value=2, max_value=12))
def test_each_year_before_a_month_is_due_on_the_last_day_of_the_month_before(month: int) -> None:
    reading = read_phrase(f"每年{month}月前")
    assert reading is not None and reading.cycle == "year"
    assert reading.by == month_end(2023, month - 1).strftime("%m-%d")
    assert PeriodicRule(kind="periodic", cycle="year", by=reading.by).by == reading.by  # a valid by


@PROPS
@given(amount=st.integers(min_value=0, max_value=10_000), unit=st.sampled_from(["个工作日", "小时"]),
       before=st.booleans())
def test_event_phrases_read_their_amount(amount: int, unit: str, before: bool) -> None:
    reading = read_phrase(("提前" if before else "") + f"{amount}{unit}")
    kind = "working_days" if unit == "个工作日" else "hours"
    direction = "before" if before and kind == "working_days" else "after"
    assert reading == Reading("event", unit=kind, amount=amount, direction=direction)


PHRASE_ALPHABET = "0123456789 \u3000年月底前每季度半不少于1次更新个工作日小时内提前当日同步长期坚持及时统一部署双公示份"


@PROPS
@given(st.one_of(st.text(max_size=80), st.text(alphabet=PHRASE_ALPHABET, max_size=40)))
def test_read_phrase_never_raises(text: str) -> None:
    reading = read_phrase(text)
    assert reading is None or reading.kind in {"deadline", "periodic", "ongoing", "event", "unspecified"}


def test_read_phrase_never_raises_even_on_an_absurdly_long_number() -> None:
    read_phrase("1" * 5000 + "个工作日")


# --- agrees ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "rule", "agreed"),
    [
        ("2017年8月底", DeadlineRule(kind="deadline", due=date(2017, 8, 31)), True),
        ("2017年8月底", DeadlineRule(kind="deadline", due=date(2017, 8, 30)), False),
        ("2017年8月底 长期坚持", DeadlineRule(kind="deadline", due=date(2017, 8, 31)), False),
        ("2017年8月底", DeadlineRule(kind="deadline", due=date(2017, 8, 31), then="ongoing"), False),
        ("2017年8月底 长期坚持", DeadlineRule(kind="deadline", due=date(2017, 8, 31), then="ongoing"), True),
        ("每季度不少于1次更新", PeriodicRule(kind="periodic", cycle="quarter"), True),
        ("每季度不少于1次更新", PeriodicRule(kind="periodic", cycle="half_year"), False),
        ("每年不少于1次更新", PeriodicRule(kind="periodic", cycle="year", by="10-31"), True),  # no by read
        ("每年11月前", PeriodicRule(kind="periodic", cycle="year", by="10-31"), True),
        ("每年11月前", PeriodicRule(kind="periodic", cycle="year", by="11-30"), False),
        ("每年11月前", PeriodicRule(kind="periodic", cycle="year"), False),
        ("1个工作日", EventRule(kind="event", trigger="公开", unit="working_days", amount=1), True),
        ("1个工作日", EventRule(kind="event", trigger="公开", unit="working_days", amount=2), False),
        ("1个工作日", EventRule(kind="event", trigger="公开", unit="hours", amount=1), False),
        ("提前3个工作日", EventRule(kind="event", trigger="执法", unit="working_days", amount=3), False),
        ("提前3个工作日",
         EventRule(kind="event", trigger="执法", unit="working_days", amount=3, direction="before"), True),
        ("7个工作日", EventRule(kind="event", trigger="收到", unit="working_days", amount=7, complex_amount=15),
         True),  # what the phrase does not fix does not count
        ("当日", EventRule(kind="event", trigger="事故", unit="same_day", amount=0), True),
        ("长期坚持", OngoingRule(kind="ongoing"), True),
        ("长期坚持", OngoingRule(kind="ongoing", review="year"), True),
        ("长期坚持", UnspecifiedRule(kind="unspecified", reason="无"), False),
        ("及时", UnspecifiedRule(kind="unspecified", reason="源文无时限"), True),
        ("及时", OngoingRule(kind="ongoing"), False),
    ],
)
def test_agrees_compares_only_what_the_phrase_fixes(phrase: str, rule: object, agreed: bool) -> None:
    reading = read_phrase(phrase)
    assert reading is not None
    assert agrees(reading, rule) is agreed


# --- the bundled data -----------------------------------------------------------------------


def mismatch_warnings(diagnostics: tuple[Diagnostic, ...]) -> set[str]:
    """The items `zwgk validate` warns about: each warning's message starts with the item's id."""
    return {d.message.split(" ", 1)[0] for d in diagnostics if d.code == "reading-mismatch"}


def test_every_bundled_item_agrees_with_its_phrase_or_is_warned_about() -> None:
    dataset = BUNDLED.dataset
    assert dataset is not None
    disagreeing = set()
    for item in dataset.items:
        reading = read_phrase(item.requirement) if item.requirement else None
        if reading is not None and not agrees(reading, item.rule):
            disagreeing.add(item.id)
    assert disagreeing == mismatch_warnings(BUNDLED.diagnostics)
    assert all(d.severity == "warning" for d in BUNDLED.diagnostics if d.code == "reading-mismatch")


def test_the_bundled_phrases_the_reader_cannot_read_are_the_known_few() -> None:
    """Each of these says something the reader does not claim to understand; any other None is a
    phrase form the reader has stopped reading."""
    dataset = BUNDLED.dataset
    assert dataset is not None
    unread = {item.id for item in dataset.items if item.requirement and read_phrase(item.requirement) is None}
    # B11: "于8月18日前…" names no year (the cover letter's date, 2017-08-11, gives it)
    assert unread == {"T22", "B01", "B02", "B03", "B04", "B05", "B11", "C16"}


def test_every_bundled_conflict_reads_to_the_rule_written_beside_it() -> None:
    dataset = BUNDLED.dataset
    assert dataset is not None
    conflicts = [(item.id, c) for item in dataset.items for c in item.conflicts if c.rule is not None]
    assert len(conflicts) >= 4
    for item_id, conflict in conflicts:
        reading = read_phrase(conflict.phrase)
        assert reading is not None and agrees(reading, conflict.rule), (item_id, conflict.phrase)


def test_validate_warns_when_a_rule_stops_agreeing_with_its_phrase(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    tasks = data / "tasks.yaml"
    tasks.write_text(tasks.read_text("utf-8").replace("due: 2026-08-31", "due: 2026-08-30"), "utf-8")
    result = load_dataset(data)
    assert mismatch_warnings(result.diagnostics) == {"T01"}
    [warning] = [d for d in result.diagnostics if d.code == "reading-mismatch"]
    assert warning.severity == "warning" and "due=2026-08-31" in warning.message
    assert mismatch_warnings(load_dataset(MINI).diagnostics) == set()
