"""Fuzzing: the phrase reader, the YAML reader, the loader and the date arithmetic take any input
and answer with a value or a diagnostic — never an exception."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk.dates.workdays import WorkdayCalendar
from zwgk.load import load_dataset
from zwgk.load.phrases import agrees, read_phrase
from zwgk.load.yamlsource import decode, parse
from zwgk.models import EventRule
from zwgk.rules.obligations import due_for

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
PHRASE_ALPHABET = st.sampled_from(list("0123456789 年月底前每季度半不少于次更新长期坚持个工作日小时当同步提前及时"))


@settings(max_examples=500)
@given(st.text(alphabet=PHRASE_ALPHABET, max_size=30) | st.text(max_size=40))
def test_the_phrase_reader_is_total(phrase: str) -> None:
    reading = read_phrase(phrase)
    if reading is not None:
        agrees(reading, EventRule(kind="event", trigger="x", unit="hours", amount=1))


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_decode_answers_text_or_a_diagnostic(raw: bytes) -> None:
    text, problem = decode(raw, "x.yaml")
    assert (text is None) != (problem is None)


yaml_ish = st.text(alphabet=st.sampled_from(list("abc:-[]{}'\"!&*#|>\n\t 12-0年")), max_size=80)


@settings(max_examples=400)
@given(yaml_ish | st.text(max_size=80))
def test_the_yaml_reader_never_raises(text: str) -> None:
    parsed = parse(text, "x.yaml")
    for diagnostic in parsed.diagnostics:
        assert diagnostic.path == "x.yaml" and diagnostic.message


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.sampled_from(["settings.yaml", "owners.yaml", "tasks.yaml", "columns.yaml"]), yaml_ish)
def test_the_loader_turns_any_file_into_data_or_diagnostics(tmp_path_factory, name: str,  # type: ignore[no-untyped-def]
                                                            text: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(MINI, folder)
    (folder / name).write_text(text, encoding="utf-8")
    result = load_dataset(folder)
    assert result.dataset is not None or result.diagnostics


CALENDAR = WorkdayCalendar()


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 1)),
       st.sampled_from(["same_day", "working_days", "hours"]), st.integers(0, 40),
       st.sampled_from(["after", "before"]), st.none() | st.times().map(lambda t: t.strftime("%H:%M")))
def test_due_dates_exist_for_any_event(day: date, unit: str, amount: int, direction: str,
                                       at: str | None) -> None:
    amount = 0 if unit == "same_day" else amount
    rule = EventRule(kind="event", trigger="x", unit=unit, amount=amount, direction=direction)  # type: ignore[arg-type]
    result = due_for(rule, day, at, False, CALENDAR)
    assert isinstance(result.day, date)
