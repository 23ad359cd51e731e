"""A journal entry: one JSON line of what was done, validated straight from its bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
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
    """One line of the journal: a record (work done), an event (starts an obligation), or a
    correction of an earlier line — `void` (it should not count) or `amend` (its date, URL, note or
    name was wrong) — that names the line it corrects in `corrects` and says why in `reason`.
    A correction never changes the line it corrects; the corrected view (`corrected`) is what
    every rule and report judges by.

    A slotted dataclass rather than a pydantic model: a province's ten years hold 200,000 of
    them, and a model instance costs about twice the memory and time. pydantic still validates
    every line into it (`journal_adapter`), with unknown keys refused as in the plan files.
    """

    __pydantic_config__ = ConfigDict(extra="forbid")

    id: Text
    type: Literal["record", "event", "void", "amend"]
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
    corrects: Text | None = None  # a void or amend: the id of the line it corrects
    reason: Text | None = None  # a void or amend: why


JOURNAL_FIELDS = tuple(f.name for f in fields(JournalEntry))


@lru_cache(maxsize=1)
def journal_adapter() -> TypeAdapter[JournalEntry]:
    """The validator for one journal line, built on first use."""
    return TypeAdapter(JournalEntry)


CORRECTIONS = ("void", "amend")
AMENDABLE = ("date", "time", "url", "note")  # an amend's `by` is who corrected, as on every line


@dataclass(frozen=True, slots=True)
class Correction:
    """How one line stands after every correction: voided by which line, amended by which."""

    voided_by: str | None = None
    amended_by: tuple[str, ...] = ()


def corrections(entries: tuple[JournalEntry, ...]) -> dict[str, Correction]:
    """Line id → how it was corrected, for the lines a correction names. A correction that is
    itself voided no longer counts (voiding a void restores the line); an amend of an amend
    amends the line the first one corrected."""
    by_id = {e.id: e for e in entries}
    active = {e.id for e in entries if e.type in CORRECTIONS}
    voided_by: dict[str, str] = {}
    for entry in entries:  # in the order written: a later void of a void restores the line
        if entry.type == "void" and entry.corrects in by_id and entry.id in active:
            target = entry.corrects
            voided_by[target] = entry.id
            if target in active:  # a correction voided: it stops counting, and so do its effects
                active.discard(target)
                _undo(target, by_id, voided_by, active)
    amended: dict[str, list[str]] = {}
    for entry in entries:
        if entry.type == "amend" and entry.id in active:
            base = _base(entry, by_id)
            if base is not None:
                amended.setdefault(base, []).append(entry.id)
    found: dict[str, Correction] = {}
    for target in {*voided_by, *amended}:
        if by_id[target].type in CORRECTIONS:
            continue
        found[target] = Correction(voided_by.get(target), tuple(amended.get(target, ())))
    return found


def _undo(correction: str, by_id: dict[str, JournalEntry], voided_by: dict[str, str],
          active: set[str]) -> None:
    entry = by_id[correction]
    if entry.type == "void" and voided_by.get(entry.corrects or "") == correction:
        del voided_by[entry.corrects or ""]


def _base(entry: JournalEntry, by_id: dict[str, JournalEntry]) -> str | None:
    """The record or event an amend finally corrects (following amends of amends)."""
    seen = set()
    target = entry.corrects
    while target in by_id and by_id[target].type == "amend" and target not in seen:
        seen.add(target)
        target = by_id[target].corrects
    return target if target in by_id and by_id[target].type in ("record", "event") else None


def corrected(entries: tuple[JournalEntry, ...]) -> tuple[JournalEntry, ...]:
    """The journal as every rule judges it: voided lines gone, amended lines with their new
    values (the line keeps its id and its `at`), corrections themselves left out."""
    found = corrections(entries)
    if not found and not any(e.type in CORRECTIONS for e in entries):
        return entries
    by_id = {e.id: e for e in entries}
    view = []
    for entry in entries:
        if entry.type in CORRECTIONS:
            continue
        state = found.get(entry.id)
        if state is not None and state.voided_by:
            continue
        if state is not None:
            for amend_id in state.amended_by:
                amend = by_id[amend_id]
                changes = {name: getattr(amend, name) for name in AMENDABLE
                           if getattr(amend, name) is not None}
                entry = replace(entry, **changes)
        view.append(entry)
    return tuple(view)
