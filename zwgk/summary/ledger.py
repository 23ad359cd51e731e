"""What an inspector asks of each journal line besides what it says: was it corrected (voided,
amended, by which line), and was it written down in time — an entry written more than
`backfill_days` after the day it records is 补录 (backfilled). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from zwgk.models import Dataset, JournalEntry, Location, corrections, entered_on, is_backfilled


@dataclass(frozen=True)
class LineFacts:
    entered_on: date  # the day it was written (Beijing), from its `at`
    backfilled: bool
    voided_by: str | None = None
    amended_by: tuple[str, ...] = ()



def line_facts(dataset: Dataset) -> dict[str, LineFacts]:
    """Every line as written → its facts."""
    days = dataset.settings.backfill_days
    states = corrections(dataset.journal_as_written)
    facts = {}
    for entry in dataset.journal_as_written:
        state = states.get(entry.id)
        facts[entry.id] = LineFacts(entered_on(entry), is_backfilled(entry, days),
                                    state.voided_by if state else None, state.amended_by if state else ())
    return facts



def known_at(entries: tuple[JournalEntry, ...], day: date) -> tuple[JournalEntry, ...]:
    """What zwgk knew at the end of `day`: only the lines written on or before it."""
    return tuple(e for e in entries if entered_on(e) <= day)


def facts_json(facts: Mapping[str, LineFacts], entry: JournalEntry) -> dict[str, object]:
    found = facts.get(entry.id)
    if found is None:
        return {}
    shown: dict[str, object] = {"entered_at": entry.at, "backfilled": found.backfilled}
    if found.voided_by:
        shown["voided_by"] = found.voided_by
    if found.amended_by:
        shown["amended_by"] = list(found.amended_by)
    return shown


@dataclass(frozen=True)
class LateEntry:
    """A backfilled line, as the CI gate reports it: a warning, or a failure with --fail-on backfilled."""

    entry: JournalEntry
    location: Location | None
    failed: bool
    unit: str | None = None  # the unit it belongs to, when several are checked together

    @property
    def days_late(self) -> int:
        return (entered_on(self.entry) - self.entry.date).days

    def describe(self) -> str:
        what = "事件" if self.entry.type == "event" else "记录"
        return (f"补录:{self.entry.item} {self.entry.date} 的{what} {self.entry.id} "
                f"写于 {entered_on(self.entry)},晚 {self.days_late} 天")


def late_entries(dataset: Dataset, ids: tuple[str, ...], fail: bool,
                 only: set[str] | None = None) -> list[LateEntry]:
    """The evaluation's backfilled lines (its ids; the journal is read only when there are some)."""
    if not ids:
        return []
    wanted = set(ids)
    return [LateEntry(e, dataset.journal_locations.get(e.id), fail) for e in dataset.journal
            if e.id in wanted and (only is None or e.item in only)]
