"""A journal entry: one JSON line of what was done, validated straight from its bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
    TypeAdapter,
)

from zwgk.models.plan import ItemId, Text, in_years

# --- the journal --------------------------------------------------------------------------

_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _iso_date(value: object) -> object:
    """Journal dates are ISO strings in JSON; refuse numbers, which pydantic would read as epochs."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, date):
        return value
    raise ValueError("应为日期 YYYY-MM-DD (expected an ISO date)")


JournalDay = Annotated[date, BeforeValidator(_iso_date), AfterValidator(in_years)]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the journal: a record (work done) or an event (starts an obligation).

    A slotted dataclass rather than a pydantic model: a province's ten years hold 200,000 of
    them, and a model instance costs about twice the memory and time. pydantic still validates
    every line into it (`journal_adapter`), with unknown keys refused as in the plan files.
    """

    __pydantic_config__ = ConfigDict(extra="forbid")

    id: Text
    type: Literal["record", "event"]
    item: ItemId
    date: JournalDay
    at: Text  # when the line was written (ISO datetime, Asia/Shanghai)
    time: Annotated[str, Strict(), StringConstraints(pattern=_HH_MM.pattern)] | None = None
    by: Text | None = None
    url: Text | None = None
    note: Text | None = None
    title: Text | None = None
    dept: Text | None = None
    complex: Annotated[bool, Strict()] = False
    event: Text | None = None  # a record that fulfils a named event


JOURNAL_FIELDS = tuple(f.name for f in fields(JournalEntry))


@lru_cache(maxsize=1)
def journal_adapter() -> TypeAdapter[JournalEntry]:
    """The validator for one journal line, built on first use."""
    return TypeAdapter(JournalEntry)
