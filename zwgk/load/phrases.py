"""Read a deadline phrase of the source the way DOMAIN.md does: `2017年8月底` → due 2017-08-31.

The plan files carry a hand-written structured `rule` beside each verbatim phrase; this reader
is the second pair of eyes that `zwgk validate` uses to warn when the two disagree. It reads
through the scrape's split digits (`20 1 7年`, `1 5个工作日`) and answers None when a phrase says
nothing it can read. Pure and total: any string in, never an exception out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

_SPLIT_DIGITS = re.compile(r"(?<=\d)\s+(?=\d)")
_CYCLES = {"月": "month", "季度": "quarter", "半年": "half_year", "年": "year"}


@dataclass(frozen=True)
class Reading:
    kind: str  # deadline | periodic | ongoing | event | unspecified
    due: date | None = None
    then_ongoing: bool = False
    cycle: str | None = None
    by: str | None = None
    unit: str | None = None  # same_day | working_days | hours
    amount: int | None = None
    direction: str = "after"


def normalise(phrase: str) -> str:
    return _SPLIT_DIGITS.sub("", phrase).replace("\u3000", " ").strip()


def _month_end(year: int, month: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        return None
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


@lru_cache(maxsize=4096)  # pure, and a plan repeats its phrases (`2026年5月底`) by the hundred
def read_phrase(phrase: str) -> Reading | None:
    try:
        return _read(normalise(phrase))
    except ValueError:  # a number past Python's integer-conversion limit: nothing it can read
        return None


def _read(text: str) -> Reading | None:
    ongoing = "长期坚持" in text or "持续改进" in text
    deadline = _deadline(text)
    if deadline is not None:
        return Reading("deadline", due=deadline, then_ongoing=ongoing)
    periodic = _periodic(text)
    if periodic is not None:
        return periodic
    event = _event(text)
    if event is not None:
        return event
    if ongoing:
        return Reading("ongoing")
    if any(word in text for word in ("及时", "统一部署", "双公示")):
        return Reading("unspecified")
    return None


def _deadline(text: str) -> date | None:
    if match := re.search(r"(\d{4})年(\d{1,2})月底", text):
        return _month_end(int(match[1]), int(match[2]))
    if match := re.search(r"(\d{4})年(\d{1,2})月前", text):
        return _month_end(int(match[1]) - (int(match[2]) == 1), (int(match[2]) - 2) % 12 + 1) \
            if 1 <= int(match[2]) <= 12 else None
    if match := re.search(r"(\d{4})年底", text):
        return _month_end(int(match[1]), 12)
    if match := re.search(r"(\d{4})年前", text):
        return _month_end(int(match[1]) - 1, 12)
    return None


def _periodic(text: str) -> Reading | None:
    if match := re.search(r"每年(\d{1,2})月前", text):
        month = int(match[1])
        end = _month_end(2023, month - 1) if 2 <= month <= 12 else None
        return Reading("periodic", cycle="year", by=end.strftime("%m-%d") if end else None)
    if match := re.search(r"每年(\d{1,2})月份", text):
        end = _month_end(2023, int(match[1]))
        return Reading("periodic", cycle="year", by=end.strftime("%m-%d") if end else None)
    if match := re.search(r"每(月|季度|半年|年)(?:更新)?不少于1次", text):
        return Reading("periodic", cycle=_CYCLES[match[1]])
    return None


def _event(text: str) -> Reading | None:
    if match := re.search(r"提前(\d+)个工作日", text):
        return Reading("event", unit="working_days", amount=int(match[1]), direction="before")
    if match := re.search(r"(\d+)个工作日", text):
        return Reading("event", unit="working_days", amount=int(match[1]))
    if match := re.search(r"(\d+)小时", text):
        return Reading("event", unit="hours", amount=int(match[1]))
    if "当日" in text or "同步" in text:
        return Reading("event", unit="same_day", amount=0)
    return None


def agrees(reading: Reading, rule: object) -> bool:
    """Does a hand-written rule say what the phrase says? Only the fields the phrase fixes count."""
    kind = getattr(rule, "kind", None)
    if reading.kind != kind:
        return False
    if kind == "deadline":
        then = getattr(rule, "then", None) == "ongoing"
        return getattr(rule, "due", None) == reading.due and then == reading.then_ongoing
    if kind == "periodic":
        return getattr(rule, "cycle", None) == reading.cycle and (
            reading.by is None or getattr(rule, "by", None) == reading.by)
    if kind == "event":
        return (getattr(rule, "unit", None), getattr(rule, "amount", None),
                getattr(rule, "direction", None)) == (reading.unit, reading.amount, reading.direction)
    return True
