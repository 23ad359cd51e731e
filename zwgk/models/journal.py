"""A journal entry: one JSON line of what was done, validated straight from its bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
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

# The lines that say a duty was done or a column updated: a clerk's record (登记) and an article
# `zwgk scan` saw on the column's page (巡检, `observed`). Rules, reports and checks count both.
UPDATES = ("record", "observed")
# A column's page as a scan found it; a `probe` line is written only when this changes.
ProbeState = Literal["ok", "empty", "undated", "unreachable"]

_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _iso_date(value: object) -> object:
    """Journal dates are ISO strings in JSON; refuse numbers, which pydantic would read as epochs."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, date):
        return value
    raise ValueError("应为日期 YYYY-MM-DD (expected an ISO date)")


JournalDay = Annotated[date, BeforeValidator(_iso_date), AfterValidator(in_years)]


def _iso_instant(value: str) -> str:
    """`at` is read as an ISO datetime (its day says when a line was written: 补录, --known-at)."""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"at 应为 ISO 时间,如 2026-11-26T10:15:00+08:00,而不是 {value!r} "
                         "(at must be an ISO datetime)") from None
    return value


def entered_on(entry: JournalEntry) -> date:
    """The day a line was written (Beijing), from its `at`."""
    return date.fromisoformat(entry.at[:10])


def is_backfilled(entry: JournalEntry, backfill_days: int) -> bool:
    """Written more than backfill_days after its date (corrections record their own day). An
    observation is never 补录: it is what the site showed when scanned, however old the article."""
    return entry.type in ("record", "event") and (entered_on(entry) - entry.date).days > backfill_days


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the journal: a record (work done), an observation (an article `zwgk scan` saw
    on the column's page: `url`, `title`, `date` its publication date), a probe (a column's page
    changed state: `state`, the page in `url`, the detail in `note`), an event (starts an
    obligation), or a
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
    type: Literal["record", "event", "void", "amend", "observed", "probe"]
    item: ItemId
    date: JournalDay
    at: Annotated[str, Strict(), AfterValidator(_iso_instant)]  # when it was written (ISO datetime, Beijing)
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
    state: ProbeState | None = None  # a probe: what `zwgk scan` found the column's page to be


JOURNAL_FIELDS = tuple(f.name for f in fields(JournalEntry))


@lru_cache(maxsize=1)
def journal_adapter() -> TypeAdapter[JournalEntry]:
    """The validator for one journal line, built on first use."""
    return TypeAdapter(JournalEntry)


CORRECTIONS = ("void", "amend")
# The homepage's own scan lines (`observed` / `probe`) carry this item id: the homepage is no item
# of the catalogue, but the spot check's homepage rule (首页 2 周无更新) judges what it showed.
HOMEPAGE = "H00"
CORRECTABLE = ("record", "event", "observed")  # what a void or an amend may name
AMENDABLE = ("date", "time", "url", "note")  # an amend's `by` is who corrected, as on every line


@dataclass(frozen=True, slots=True)
class Correction:
    """How one line stands after every correction: voided by which line, amended by which."""

    voided_by: str | None = None
    amended_by: tuple[str, ...] = ()


def corrections(entries: tuple[JournalEntry, ...]) -> dict[str, Correction]:
    """Line id → how it was corrected, for the records and events a correction names.

    A correction counts unless a void that counts names it, to any depth: voiding a void
    restores the line, voiding that void voids it again. An amend of an amend amends the line
    the first one corrected."""
    by_id = {e.id: e for e in entries}
    order = {e.id: n for n, e in enumerate(entries)}
    voids_of: dict[str, list[str]] = {}
    for entry in entries:
        if entry.type == "void" and entry.corrects in by_id:
            voids_of.setdefault(entry.corrects, []).append(entry.id)  # type: ignore[arg-type]
    counts: dict[str, bool] = {}

    def counting(line: str, seen: frozenset[str] = frozenset()) -> bool:
        """A line counts unless a counting void names it (a loop of voids counts as none)."""
        if line not in counts:
            counts[line] = not any(counting(v, seen | {line}) for v in voids_of.get(line, ())
                                   if v not in seen)
        return counts[line]

    # Each counting amend under the line it finally corrects, in journal order: one pass, not a
    # scan of the whole journal per line (a province's 200,000 lines made that quadratic).
    amends_of: dict[str, list[str]] = {}
    for entry in entries:
        if entry.type == "amend" and counting(entry.id) and (base := base_of(entry, by_id)) is not None:
            amends_of.setdefault(base, []).append(entry.id)
    found: dict[str, Correction] = {}
    for line in {*voids_of, *amends_of}:
        if line not in by_id or by_id[line].type in CORRECTIONS:
            continue
        voided_by = next((v for v in voids_of.get(line, ()) if counting(v)), None)
        amended_by = tuple(amends_of.get(line, ()))
        if voided_by or amended_by:
            found[line] = Correction(voided_by, amended_by)
    return dict(sorted(found.items(), key=lambda pair: order[pair[0]])) if found else found


def base_of(entry: JournalEntry, by_id: dict[str, JournalEntry]) -> str | None:
    """The record or event an amend finally corrects (following amends of amends)."""
    seen = set()
    target = entry.corrects
    while target in by_id and by_id[target].type == "amend" and target not in seen:
        seen.add(target)
        target = by_id[target].corrects
    return target if target in by_id and by_id[target].type in CORRECTABLE else None


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
            written = entry
            for amend_id in state.amended_by:
                amend = by_id[amend_id]
                # An amend always carries a date (the field is required): the date it was written
                # against when only the URL or note changed, so only a different one is a change.
                changes = {name: getattr(amend, name) for name in AMENDABLE
                           if getattr(amend, name) is not None
                           and not (name == "date" and amend.date == written.date)}
                entry = replace(entry, **changes)
        view.append(entry)
    return tuple(view)
