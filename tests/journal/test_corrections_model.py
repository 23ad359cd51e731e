"""models.journal.corrections, one pass over the journal, says what the definition says: checked
against a line-by-line reading of it on random journals of records, voids and amends."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk.models import JournalEntry, base_of, corrections
from zwgk.models.journal import CORRECTIONS, Correction

DAY = date(2026, 11, 20)


def by_definition(entries: tuple[JournalEntry, ...]) -> dict[str, Correction]:
    """For every record or event: the first counting void that names it, and every counting
    amend whose chain ends at it, in journal order (a line counts unless a counting void names it)."""
    by_id = {e.id: e for e in entries}

    def counts(line: str, seen: frozenset[str] = frozenset()) -> bool:
        return not any(counts(v.id, seen | {line}) for v in entries
                       if v.type == "void" and v.corrects == line and v.id not in seen)

    found = {}
    for entry in entries:
        if entry.type in CORRECTIONS:
            continue
        voided_by = next((v.id for v in entries if v.type == "void" and v.corrects == entry.id
                          and counts(v.id)), None)
        amended_by = tuple(a.id for a in entries if a.type == "amend" and counts(a.id)
                           and base_of(a, by_id) == entry.id)
        if voided_by or amended_by:
            found[entry.id] = Correction(voided_by, amended_by)
    return found


@st.composite
def journals(draw: st.DrawFn) -> tuple[JournalEntry, ...]:
    entries: list[JournalEntry] = []
    for n in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(["record", "event", "void", "amend"])) if entries else "record"
        target = draw(st.sampled_from([e.id for e in entries] + ["missing"])) if kind in CORRECTIONS else None
        entries.append(JournalEntry(id=f"L{n}", type=kind, item="C01", date=DAY, at="2026-11-20T10:00:00+08:00",
                                    corrects=target, reason="r" if target else None))
    return tuple(entries)


@settings(max_examples=300, deadline=None)
@given(journals())
def test_one_pass_agrees_with_the_definition(entries: tuple[JournalEntry, ...]) -> None:
    assert corrections(entries) == by_definition(entries)
    assert list(corrections(entries)) == list(by_definition(entries)), "in journal order"
