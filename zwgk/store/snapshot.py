"""A data folder's loaded and judged state, kept between runs, so that `zwgk status` on files
that have not changed reads neither the YAML nor a ten-year journal.

Correct by construction. A snapshot is made from one load, whose result names (LoadResult.inputs)
every file that load read — plan files, the calendar, each journal file, the listing of each journal
folder, a followed catalogue's files and the folder its `follows` path led to — with a SHA-256
digest of the very bytes it used, and the absence of each optional file it looked for. It is
found again by a key over those digests *as they are now*, zwgk's own code and the libraries
whose work it holds (the YAML reader, pydantic, the calendar), the working folder (messages
show paths relative to it), the as-of date and the warning window: change a byte of any
input, repoint a followed link, or add a journal file, and the key is another one. Only clean
loads (no errors) are kept; the files are written atomically and hold plain values (cache.py).

What is kept: the plan (pydantic's JSON of the validated models: re-validated on reading),
the load's warnings, and the evaluation in a compact form (an obligation keeps the journal
line of its event, which the CI gate cites). The journal itself is not kept: a command that
needs its entries (show, log, the weekly report) reads it on first use. A miss whose only change
is lines appended to the journal is answered from the journal's base and those lines (extend.py).
"""

from __future__ import annotations

import marshal
import os
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from zwgk.dates.weeks import week_of
from zwgk.dates.workdays import use_year_source
from zwgk.errors import Diagnostic
from zwgk.load import LoadMemo, LoadResult, load_dataset, read_journal
from zwgk.load.files import note
from zwgk.models import (
    CalendarData,
    Column,
    Dataset,
    Inheritance,
    Item,
    JournalEntry,
    JournalRecords,
    Location,
    OwnersFile,
    RecentEntries,
    Settings,
    Task,
)
from zwgk.rules.engine import (
    Evaluation,
    ItemStatus,
    Status,
    at_moment,
    evaluate,
    next_change,
)
from zwgk.store import cache, digests, extend, warm
from zwgk.store.fingerprint import fingerprint
from zwgk.store.heap import making_many
from zwgk.store.rows import Days, diagnostic_row, status_from, status_row
from zwgk.store.yeartables import kept_year

KEEP = 8  # snapshots kept per data folder (as-of dates, warning windows)

# Every command that judges a data folder does so through this module: from here on, its
# working-day calendars take their year tables from the cache (yeartables.py), not `holidays`.
use_year_source(kept_year)


def evaluated(folder: Path, as_of: date, warn_days: int | None, memo: LoadMemo | None = None,
              unit: str | None = None, at: str | None = None,
              known_at: date | None = None) -> tuple[LoadResult, Evaluation | None]:
    """Load and judge one data folder, from a snapshot when its inputs are unchanged. With
    `unit`, the evaluation's items are tagged with it (shown 合肥/C12 beside other units).

    A snapshot holds the judgement at the end of `as_of`; the hour windows are judged again at
    `at` ("HH:MM", Beijing) on every run (rules.engine.at_moment), so an answer kept at 10:00
    is not the answer at 13:01, and the clock never makes a snapshot miss.

    With `known_at`, the journal is what zwgk knew at the end of that day (lines written on or
    before it): a replay of "was it recorded in time?", made afresh, never kept."""
    if known_at is not None:
        found = _as_known_at(folder, as_of, warn_days, memo, unit, at, known_at)
        day = found[1]
    else:
        result, day = _evaluated(folder, as_of, warn_days, memo, unit)
        found = result, None if day is None else at_moment(day, at)
    if day is not None:
        judged_by_clock(day)  # the whole day's lines: those timed later today change it too
    return found


def overdue_at(folder: Path, day: date, warn_days: int | None,
               memo: LoadMemo | None = None) -> list[ItemStatus] | None:
    """The folder's overdue statuses judged at the end of an earlier `day` (the weekly report's
    trend), None when it does not load: from a snapshot only those rows are made. A day that is
    today in Beijing is judged whole, as `evaluated` does (its hour windows tell the warm path
    until when the answer holds)."""
    today = datetime.fromtimestamp(warm.clock(), timezone(timedelta(seconds=warm.BEIJING_OFFSET))).date()
    if day == today:
        evaluation = evaluated(folder, day, warn_days, memo)[1]
    else:
        evaluation = _evaluated(folder, day, warn_days, memo, None, only=Status.OVERDUE)[1]
    return None if evaluation is None else evaluation.with_status(Status.OVERDUE)


def judged_by_clock(evaluation: Evaluation) -> None:
    """Tell a command's kept answer (warm.py) until when this judgement holds: a judgement of
    today changes when an hour window judged by the clock does (a judgement of another day, or
    of a time typed with --as-of, only seems to: the answer then merely holds for less long)."""
    def change(moment: datetime) -> datetime | None:
        return next_change(evaluation, moment) if moment.date() == evaluation.as_of else None

    warm.depends_on_clock(change)


def _evaluated(folder: Path, as_of: date, warn_days: int | None, memo: LoadMemo | None,
               unit: str | None, only: Status | None = None) -> tuple[LoadResult, Evaluation | None]:
    """As `evaluated`; with `only`, a snapshot gives back just the statuses of that kind."""
    memo = memo if memo is not None else LoadMemo()
    if not cache.enabled():
        return _tagged(_fresh(folder, as_of, warn_days, memo)[:2], unit)
    store = cache.folder_for(folder)
    where = os.getcwd()
    index = store / f"inputs-{cache.digest(os.fsencode(where))}.marshal"
    inputs = cache.load(index)
    current = _current(inputs, memo.inputs) if isinstance(inputs, tuple) else None
    if current is not None:
        for name, value in current.items():
            note(name, value)  # read, as far as whoever keeps this command's answer knows
        found = cache.load(store / f"snapshot-{_key(current, where, as_of, warn_days)}.marshal")
        if found is not None:
            try:
                return _restore(found, folder, unit, only)
            except Exception:  # a damaged snapshot of any kind is a miss: make a new one
                pass
    base = extend.base_path(store, fingerprint(), where, folder, current) if current else None
    kept_base = cache.load(base) if base is not None else None
    grown = _grown(kept_base, folder, current, as_of, warn_days) if kept_base and current else None
    result, evaluation, reads = grown[:3] if grown is not None else _fresh(folder, as_of, warn_days, memo)
    if result.ok and evaluation is not None and result.dataset is not None:
        name = f"snapshot-{_key(reads, where, as_of, warn_days)}.marshal"
        try:
            kept = _keep(result, evaluation)
        except (ValueError, TypeError, KeyError):  # e.g. text pydantic cannot write as JSON
            kept = None
        if kept is not None and cache.save(store / name, kept):
            cache.save(index, tuple(sorted(reads)))
            _prune(store)
        if kept is not None:
            _keep_base(store, folder, where, result, reads, kept[0], kept_base, grown)
    return _tagged((result, evaluation), unit)


def _grown(kept: Any, folder: Path, current: dict[str, str], as_of: date, warn_days: int | None
           ) -> tuple[LoadResult, Evaluation, dict[str, str], int] | None:
    """The load and judgement a full load would give, from the journal's base and the lines
    appended since (extend.py); None when only a full load can tell."""
    plans: list[tuple[Any, ...]] = []

    def item_ids(plan: Any) -> set[str]:
        plans.append(_plan_from(*plan))
        return {item.id for item in plans[0][2]}

    try:
        with making_many():
            found = extend.grown(kept, folder, current, item_ids)
            if found is None or not plans:
                return None
            settings, owners, items, calendar, inherits, entries = plans[0]
            dataset = Dataset(settings, owners, items, found.records, calendar, inherits, entries)
            result = LoadResult(dataset, found.diagnostics, MappingProxyType(found.inputs))
            evaluation = evaluate(dataset, as_of, warn_days) if result.ok else None
    except Exception:  # a damaged base of any kind: read the journal whole
        return None
    if evaluation is None:
        return None
    for name, value in found.inputs.items():
        note(name, value)
    return result, evaluation, dict(found.inputs), found.lines


def _keep_base(store: Path, folder: Path, where: str, result: LoadResult, reads: dict[str, str],
               plan: Any, kept: Any, grown: tuple[Any, ...] | None) -> None:
    """A whole base once the journal has changed since the last one (extend.wanted); until then
    only what the journal was, so a load that no record follows pays nothing for it."""
    assert result.dataset is not None
    if grown is not None and grown[3] < extend.RESAVE_LINES:
        return  # the next extension reads those few lines again
    whole = grown is not None or extend.wanted(kept, folder, reads)
    base = extend.base_of(folder, result.diagnostics, result.dataset.records, reads, plan) if whole \
        else extend.light(folder, reads)
    if base is not None and cache.save(extend.base_path(store, fingerprint(), where, folder, reads), base):
        extend.prune(store)


def _as_known_at(folder: Path, as_of: date, warn_days: int | None, memo: LoadMemo | None,
                 unit: str | None, at: str | None, day: date) -> tuple[LoadResult, Evaluation | None]:
    from zwgk.summary.ledger import known_at

    result = loaded(folder, memo)
    if not result.ok or result.dataset is None:
        return result, None
    dataset = result.dataset
    then = JournalRecords(known_at(dataset.journal_as_written, day), dataset.journal_locations)
    dataset = replace(dataset, records=then)
    with making_many():
        evaluation = evaluate(dataset, as_of, warn_days, at)
    return _tagged((replace(result, dataset=dataset), evaluation), unit)


def loaded(folder: Path, memo: LoadMemo | None = None) -> LoadResult:
    """A fresh load, for the commands that need every diagnostic (validate) or the journal
    itself (show, record): no snapshot, but the same care for the objects it makes."""
    with making_many():
        result = load_dataset(folder, memo=memo)
    return result


def _tagged(found: tuple[LoadResult, Evaluation | None],
            unit: str | None) -> tuple[LoadResult, Evaluation | None]:
    result, evaluation = found
    if unit is None or evaluation is None:
        return found
    from zwgk.summary.units import tagged_evaluation

    return result, tagged_evaluation(evaluation, unit)


def workspace(path: Path) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """The units of a workspace file (load.load_workspace), kept by the file's content: a
    clean zwgk.yaml is parsed once, not on every command."""
    from zwgk.load import load_workspace

    if not cache.enabled() or not path.is_file():
        return load_workspace(path)
    try:
        raw = path.read_bytes()
    except OSError:
        return load_workspace(path)
    note(path, cache.digest(raw))
    key = cache.digest("\n".join((fingerprint(), os.getcwd(), str(path))).encode("utf-8", "surrogateescape")
                       + b"\0" + raw)
    kept_at = cache.folder_for(path) / f"workspace-{key}.marshal"
    kept = _units_from(cache.load(kept_at))
    if kept:
        return kept, []
    units, problems = load_workspace(path)
    if units and not problems:
        cache.save(kept_at, tuple((name, str(folder)) for name, folder in units))
    return units, problems


def _units_from(kept: Any) -> list[tuple[str, Path]] | None:
    if not isinstance(kept, tuple):
        return None
    pairs = [pair for pair in kept if isinstance(pair, tuple) and len(pair) == 2
             and all(isinstance(part, str) for part in pair)]
    return [(name, Path(folder)) for name, folder in pairs] if len(pairs) == len(kept) else None


def _fresh(folder: Path, as_of: date, warn_days: int | None,
           memo: LoadMemo) -> tuple[LoadResult, Evaluation | None, dict[str, str]]:
    with making_many():  # the plan, its positions, the journal and the statuses last as long as the command
        result = load_dataset(folder, memo=memo)
        evaluation = evaluate(result.dataset, as_of, warn_days) if result.ok and result.dataset else None
    return result, evaluation, dict(result.inputs)


# --- inputs and the key ---------------------------------------------------------------------

def _current(inputs: tuple[str, ...], known: dict[str, str | None]) -> dict[str, str] | None:
    """Each recorded input as it is now; None when one cannot be read plainly (a miss: the
    full load then says what is wrong)."""
    now: dict[str, str] = {}
    files = digests.kept()
    try:
        for name in inputs:
            if not isinstance(name, str):
                return None
            if name not in known:  # a followed catalogue's files are hashed once per command
                known[name] = files.as_now(name)  # by its stat, when it has not changed
            value = known[name]
            if value is None:
                return None
            now[name] = value
    finally:
        files.save()
    return now


def _key(inputs: dict[str, str], where: str, as_of: date, warn_days: int | None) -> str:
    parts = [fingerprint(), where, as_of.isoformat(), repr(warn_days)]
    parts += [f"{name}\0{value}" for name, value in sorted(inputs.items())]
    return cache.digest("\n".join(parts).encode("utf-8", "surrogateescape"))


def _prune(store: Path) -> None:
    cache.prune(store, "snapshot-*.marshal", KEEP)


# --- what a snapshot holds --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _plan_adapters() -> tuple[Any, Any]:
    from pydantic import TypeAdapter

    head = TypeAdapter(tuple[Settings, OwnersFile, CalendarData, Inheritance | None])
    catalogue = TypeAdapter(dict[str, Task | Column])
    return head, catalogue


# Cities that follow one catalogue unchanged hold the same catalogue bytes: validate them once.
_catalogues: dict[bytes, dict[str, Task | Column]] = {}


def _plan_from(head_json: bytes, catalogue_json: bytes,
               sources: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    head, catalogue = _plan_adapters()
    settings, owners, calendar, inherits = head.validate_json(head_json)
    if catalogue_json not in _catalogues:
        _catalogues[catalogue_json] = catalogue.validate_json(catalogue_json)
    entries = _catalogues[catalogue_json]
    # Items are the entries seen the same way by rules and renderers (Item.from_task/from_column,
    # as the loader makes them), each with where it was defined.
    items = tuple(_item(entries[item_id], None if path is None else Location(path, line, col))
                  for item_id, path, line, col in sources)
    return settings, owners, items, calendar, inherits, entries


def _item(entry: Task | Column, source: Location | None) -> Item:
    return Item.from_task(entry, source) if isinstance(entry, Task) else Item.from_column(entry, source)


def _keep(result: LoadResult, evaluation: Evaluation) -> tuple[Any, ...] | None:
    """What a snapshot holds; None when the plan could not be rebuilt exactly from it."""
    dataset = result.dataset
    assert dataset is not None
    head, catalogue = _plan_adapters()
    sources = tuple((item.id, *((item.source.path, item.source.line, item.source.col)
                                if item.source else (None, None, None))) for item in dataset.items)
    if any(item.id not in dataset.entries or _item(dataset.entries[item.id], item.source) != item
           for item in dataset.items):
        return None
    plan = (head.dump_json((dataset.settings, dataset.owners, dataset.calendar, dataset.inherits)),
            catalogue.dump_json(dict(dataset.entries)), sources)
    diagnostics = tuple(diagnostic_row(d) for d in result.diagnostics)
    position = {item.id: index for index, item in enumerate(dataset.items)}
    statuses = tuple(status_row(status, position) for status in evaluation.statuses)
    return (plan, diagnostics, evaluation.as_of.toordinal(), evaluation.warn_days,
            evaluation.tracking_since.toordinal(), statuses, evaluation.backfilled,
            _recent_row(dataset.records, evaluation.as_of))


def _recent_row(records: JournalRecords, as_of: date) -> tuple[int, bytes]:
    """The corrected entries the week's report looks at (summary.weekly.journal_from), as a
    marshal blob of columns: unpacked only by a command that asks for them."""
    from zwgk.summary.weekly import journal_from

    day = journal_from(as_of, week_of(as_of).start)
    return day.toordinal(), marshal.dumps(extend.entry_columns(records.since(day)))


def _recent_from(row: tuple[int, bytes]) -> RecentEntries:
    day, blob = row
    made: list[list[JournalEntry]] = []

    def entries() -> list[JournalEntry]:
        if not made:
            with making_many():
                made.append(extend.entries_from(marshal.loads(blob)))
        return made[0]

    return date.fromordinal(day), entries


def _restore(kept: Any, folder: Path, unit: str | None,
             only: Status | None = None) -> tuple[LoadResult, Evaluation]:
    with making_many():  # tens of thousands of statuses, kept until the command ends
        return _rebuild(kept, folder, unit, only)


def _rebuild(kept: Any, folder: Path, unit: str | None,
             only: Status | None = None) -> tuple[LoadResult, Evaluation]:
    ((head_json, catalogue_json, sources), diagnostics, as_of, warn_days, since, statuses, backfilled,
     recent) = kept
    settings, owners, items, calendar, inherits, entries = _plan_from(head_json, catalogue_json,
                                                                      sources)
    records = JournalRecords(read=lambda: _journal_of(folder), recent=_recent_from(recent))
    dataset = Dataset(settings, owners, items, records, calendar, inherits, entries)
    judged = items if unit is None else tuple(replace(item, unit=unit) for item in items)
    by_id = {item.id: item for item in judged}
    days = Days()
    evaluation = Evaluation(date.fromordinal(as_of), warn_days, date.fromordinal(since),
                            tuple([status_from(row, judged, by_id, days) for row in statuses
                                   if only is None or row[1] == only.value]),
                            backfilled=tuple(backfilled))
    found = tuple(Diagnostic(*row) for row in diagnostics)
    return LoadResult(dataset, found), evaluation


def _journal_of(folder: Path) -> tuple[Any, ...]:
    """The journal, read when a command first needs its entries (its problems were reported
    when the snapshot was made)."""
    with making_many():  # ten years are hundreds of thousands of entries
        return read_journal(folder)
