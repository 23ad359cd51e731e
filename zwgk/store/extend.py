"""The journal is append-only: a snapshot of a unit's journal is extended by reading only what
was appended, rather than read again whole (`zwgk status` right after one `zwgk record`).

A *base* (one per data folder, working folder and plan: found by the digests of every input
but the journal's, zwgk's code and the libraries) keeps what a clean load made of the journal:
each year file's digest, and for the last one the length, digest and line count of its
*settled* beginning (up to its last newline: a last line without its newline is read again each
time, since the last line is read differently — a torn one is a warning there, and the writer
cuts it); the entries of those lines and the line each was read from, as columns of plain
values (marshal, no pickle); and the load's diagnostics, split where the journal's lie — the
plan's before them, the torn lines (`journal-torn-line`), the entries for unknown items
(`journal-unknown-item`), site.yaml's after them. A load that nothing has shown to be followed
by a record keeps only what the journal was (`light`); the first load after the journal changed
makes the whole base, and every later one extends it.

On a snapshot miss the base is used only when every input but the journal is unchanged, every
year file but the last is unchanged, the last one begins with the settled bytes (hashed again),
and new year files sort after it: exactly the case where a full load reads the same lines first
and the new ones after them. The new bytes go through the loader's own line parser
(`zwgk.load.journal.parse_lines`, from the line number they start at) and its merge by id (a
line repeated by a union merge counts once), the new entries through the same unknown-item
check. Anything else is a full read: a changed or shorter beginning (a hand edit, a union merge
inserting lines in the middle), a removed or renamed file, a grown file before the last one, a
new file sorting before it, a NUL byte, and any *error* among the new lines (a full load then
says everything, in its order).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from datetime import date
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from zwgk.errors import Diagnostic
from zwgk.load.files import JOURNAL_DIR, LISTING, SITE_FILE, display_path
from zwgk.load.journal import Located, merge, parse_lines
from zwgk.models import JournalEntry, JournalRecords, Location
from zwgk.store import cache
from zwgk.store.rows import Days, diagnostic_row

FORMAT = 1
TORN, UNKNOWN = "journal-torn-line", "journal-unknown-item"
RESAVE_LINES = 2000  # an extension keeps a new base once it has read this many new lines
KEEP = 2  # bases kept per data folder (one per plan)

_FIELDS = tuple(JournalEntry.__dataclass_fields__)
_DATE = _FIELDS.index("date")
_SETTERS = tuple(getattr(JournalEntry, name).__set__ for name in _FIELDS)
_UNIQUE = frozenset(("id", "at", "url", "title"))  # as good as never repeated: not worth interning
_PLACE_SETTERS = tuple(getattr(Location, name).__set__ for name in ("path", "line", "col"))
_new = object.__new__


def journal_folder(folder: Path) -> str:
    return str(folder / JOURNAL_DIR)


def is_journal(name: str, journal: str) -> bool:
    """Whether a noted input is the journal's: its folder, its listing, one of its files."""
    return name in (journal, journal + LISTING) or (os.path.dirname(name) == journal
                                                    and name.endswith(".jsonl"))


def base_path(store: Path, fingerprint: str, where: str, folder: Path,
              inputs: dict[str, str]) -> Path:
    journal = journal_folder(folder)
    parts = [f"journal-base-{FORMAT}", fingerprint, where, str(folder)]
    parts += [f"{name}\0{value}" for name, value in sorted(inputs.items())
              if not is_journal(name, journal)]
    return store / f"journal-{cache.digest(chr(10).join(parts).encode('utf-8', 'surrogateescape'))}.marshal"


def _journal_state(folder: Path, inputs: dict[str, str]) -> tuple[tuple[str, str], ...]:
    journal = journal_folder(folder)
    return tuple(sorted((name, value) for name, value in inputs.items() if is_journal(name, journal)))


def light(folder: Path, inputs: dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What a load leaves when nothing says its journal is being written to: only what the journal
    was (a whole base costs its columns and a file of ~160 bytes a line, and most loads are not
    followed by a record)."""
    return ("light", _journal_state(folder, inputs))


def wanted(kept: Any, folder: Path, inputs: dict[str, str]) -> bool:
    """Whether a whole base is worth making: the journal changed since the base that was there
    (a light one, or a whole one that could not be extended)."""
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == "light":
        return bool(kept[1] != _journal_state(folder, inputs))
    return kept is not None


# --- making a base ------------------------------------------------------------------------------


def base_of(folder: Path, diagnostics: tuple[Diagnostic, ...], records: JournalRecords,
            inputs: dict[str, str], plan: Any) -> tuple[Any, ...] | None:
    """What a clean load's journal becomes as a base; None when it cannot be told apart exactly
    (then every miss reads the journal whole, as before)."""
    journal = journal_folder(folder)
    listing = inputs.get(journal + LISTING)
    if listing is None:
        return None  # no journal folder: its first file is a full read
    names = [str(Path(journal) / name) for name in listing.split("\n")] if listing else []
    files = []
    for index, name in enumerate(names):
        whole = inputs.get(name)
        if not whole:
            return None
        if index < len(names) - 1:
            files.append((name, whole, 0, "", 0))
            continue
        try:
            raw = Path(name).read_bytes()
        except OSError:
            return None
        settled = raw.rfind(b"\n") + 1
        beginning, now = cache.digests_of(raw, settled)
        if now != whole:
            return None  # written to since the load read it
        files.append((name, whole, settled, beginning, raw.count(b"\n", 0, settled)))
    split = _split(diagnostics, display_path(folder / SITE_FILE))
    if split is None:
        return None
    before, torn, unknown, after = split
    last = (display_path(Path(names[-1])), files[-1][4] + 1) if names else None  # the unsettled line
    shown = {display_path(Path(name)): index for index, name in enumerate(names)}
    locations = records.locations
    entries = [entry for entry in records.written
               if (locations[entry.id].path, locations[entry.id].line) != last]  # read again, after
    wheres = [locations[entry.id] for entry in entries]
    if any(where.path not in shown or where.col != 1 for where in wheres):
        return None
    columns = entry_columns(entries)
    files_of = tuple(shown[where.path] for where in wheres)
    lines_of = tuple(where.line for where in wheres)
    torn = tuple(d for d in torn if (d.path, d.line) != last)
    unknown = tuple(d for d in unknown if (d.path, d.line) != last)
    non_journal = tuple(sorted((name, value) for name, value in inputs.items()
                               if not is_journal(name, journal)))
    return (non_journal, plan, _rows_of(before), _rows_of(torn), _rows_of(unknown), _rows_of(after),
            tuple(files), columns, (files_of, lines_of))


def entry_columns(entries: Sequence[JournalEntry]) -> tuple[tuple[Any, ...], ...]:
    """Journal entries as one column of plain values per field (dates as ordinals), for marshal."""
    interned: dict[Any, Any] = {}  # marshal writes a repeated object once
    columns = []
    for name in _FIELDS:
        column = list(map(attrgetter(name), entries))
        if name == "date":
            column = list(map(date.toordinal, column))
        elif name not in _UNIQUE:
            column = list(map(interned.setdefault, column, column))
        columns.append(tuple(column))
    return tuple(columns)


def entries_from(columns: Any, days: Days | None = None) -> list[JournalEntry]:
    """The entries `entry_columns` was given, made again."""
    days = days if days is not None else Days()  # ordinal → date, each made once
    return _made(JournalEntry, _SETTERS, columns, {_DATE: [days[n] for n in columns[_DATE]]})


def _rows_of(diagnostics: tuple[Diagnostic, ...]) -> tuple[tuple[Any, ...], ...]:
    return tuple(diagnostic_row(d) for d in diagnostics)


def _split(diagnostics: tuple[Diagnostic, ...], site: str) -> tuple[tuple[Diagnostic, ...], ...] | None:
    """A clean load's diagnostics as (the plan's, torn lines, unknown items, site.yaml's), each a
    block in that order (the load's own order); None when they are not so."""
    end = len(diagnostics)
    while end and diagnostics[end - 1].path == site and not diagnostics[end - 1].code.startswith("journal"):
        end -= 1
    start = end
    while start and diagnostics[start - 1].code == UNKNOWN:
        start -= 1
    middle = start
    while middle and diagnostics[middle - 1].code == TORN:
        middle -= 1
    before = diagnostics[:middle]
    if any(d.code in (TORN, UNKNOWN) or d.severity == "error" or Path(d.path).name == SITE_FILE
           for d in before):
        return None
    return before, diagnostics[middle:start], diagnostics[start:end], diagnostics[end:]


# --- extending one -----------------------------------------------------------------------------


class Grown:
    """A base extended by the journal's new lines: what a full load of the journal would give."""

    __slots__ = ("diagnostics", "inputs", "lines", "records")

    def __init__(self, diagnostics: tuple[Diagnostic, ...], records: JournalRecords,
                 inputs: dict[str, str], lines: int) -> None:
        self.diagnostics, self.records = diagnostics, records
        self.inputs, self.lines = inputs, lines


def grown(base: Any, folder: Path, current: dict[str, str], item_ids: Any) -> Grown | None:
    """The journal as a full load would read it now, from `base` and the appended bytes; None
    when that cannot be known without a full read. `current` holds the inputs as they are now
    (those of the last snapshot); `item_ids(plan)` gives the ids the unknown-item check knows."""
    try:
        (non_journal, plan, before, torn, unknown, after, files, columns, (files_of, lines_of)) = base
    except (TypeError, ValueError):
        return None
    journal = journal_folder(folder)
    listing = current.get(journal + LISTING)
    if listing is None or dict(non_journal) != {name: value for name, value in current.items()
                                                if not is_journal(name, journal)}:
        return None
    names = [str(Path(journal) / name) for name in listing.split("\n")] if listing else []
    if [file[0] for file in files] != names[:len(files)]:
        return None
    inputs = dict(non_journal)
    inputs[journal + LISTING] = listing
    tails: list[tuple[str, bytes, int]] = []
    for index, name in enumerate(names):
        known = files[index] if index < len(files) else None
        if known is not None and index < len(files) - 1:
            if (current[name] if name in current else _digest_of(Path(name))) != known[1]:
                return None  # only the last file may have grown
            inputs[name] = known[1]
            continue
        path = Path(name)
        try:
            if not path.is_file():
                return None
            raw = path.read_bytes()
        except OSError:
            return None
        settled, lines = (known[2], known[4]) if known is not None else (0, 0)
        beginning, now = cache.digests_of(raw, settled)
        if known is not None and (len(raw) < settled or beginning != known[3]):
            return None  # its beginning changed: read it whole
        if b"\x00" in raw:
            return None  # the whole file's fault: the full load says where
        inputs[name] = now
        tails.append((name, raw[settled:], lines + 1))
    shown = [display_path(Path(file[0])) for file in files]
    entries = entries_from(columns)
    places = _made(Location, _PLACE_SETTERS, ([shown[index] for index in files_of], lines_of,
                                              (1,) * len(lines_of)), {})
    ids = columns[0]
    locations = dict(zip(ids, places, strict=True))
    seen: dict[str, Located] = dict(zip(ids, zip(entries, places, strict=True), strict=True))
    problems: list[Diagnostic] = []
    read = 0
    for name, raw, first in tails:
        found = parse_lines(raw, display_path(Path(name)), first, problems)
        read += raw.count(b"\n") + 1
        merge(seen, found, problems)
    if any(d.severity == "error" or d.code != TORN for d in problems):
        return None  # a line a full load refuses: it says everything, in its order
    new = list(seen.values())[len(entries):]
    from zwgk.load.checks import check_journal

    unknown_new = check_journal(new, item_ids(plan))
    every = (*entries, *(entry for entry, _ in new))
    locations.update((entry.id, where) for entry, where in new)
    diagnostics = tuple(Diagnostic(*row) for row in before) + tuple(Diagnostic(*row) for row in torn) \
        + tuple(problems) + tuple(Diagnostic(*row) for row in unknown) + tuple(unknown_new) \
        + tuple(Diagnostic(*row) for row in after)
    return Grown(diagnostics, JournalRecords(every, locations), inputs, read)


def _digest_of(path: Path) -> str | None:
    try:
        return cache.digest(path.read_bytes()) if path.is_file() else None
    except OSError:
        return None


def _made(kind: type[Any], setters: tuple[Any, ...], columns: Any, replaced: dict[int, Any]) -> list[Any]:
    """Instances of a slotted dataclass from its fields' columns, made as pickle makes them (no
    __init__: these are the values a validated instance held), each slot set column by column:
    half the time of setting them entry by entry, a third of calling __init__."""
    made = list(map(_new, repeat(kind, len(columns[0]))))
    for index, (setter, column) in enumerate(zip(setters, columns, strict=True)):
        deque(map(setter, made, replaced.get(index, column)), maxlen=0)
    return made



def prune(store: Path) -> None:
    cache.prune(store, "journal-*.marshal", KEEP)
