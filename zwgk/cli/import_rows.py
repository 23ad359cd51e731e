"""Rows of an office's ledger read as journal drafts, by the rules of `zwgk record` and `zwgk event`
(zwgk/cli/importing.py writes them). Every problem of every row is collected, at the row and
column Excel shows; a row whose 事项 names an event kind (重大舆情) is one draft per duty it starts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from zwgk.errors import Diagnostic, LookupFailed
from zwgk.models import Dataset, EventRule, Item, JournalEntry

if TYPE_CHECKING:
    from zwgk.load.sheet import Cell, SheetRow, Table

Kind = Literal["record", "event"]
KINDS: dict[str, Kind] = {**dict.fromkeys(("登记", "记录", "完成", "更新", "完成/更新", "record"), "record"),
                          **dict.fromkeys(("事件", "触发事件", "event"), "event")}


# --- rows → drafts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A row read and checked: its journal line, but for the id and `at` it gets when written."""

    row: int
    item: Item
    entry: JournalEntry
    names: str | None = None  # the event a record fulfils, by its title or id (the row's 事件)
    happening: str | None = None  # the event kind a row named: its drafts share one event id


def key_of(entry: JournalEntry) -> tuple[object, ...]:
    """What makes two lines the same work: all a row says (not the id, `at`, or the event closed)."""
    return (entry.type, entry.item, entry.date, entry.time, entry.url, entry.title, entry.dept, entry.by,
            entry.note)


class _Bad(Exception):
    """A row's problem: the field (its column is named) and the message, with a hint."""

    def __init__(self, name: str, message: str, hint: str | None = None) -> None:
        super().__init__(name, message, hint)


@dataclass
class RowReader:
    """Reads each row of a table as a draft by the rules of `record` and `event`, collecting
    every problem of every row (a Diagnostic at the row and column Excel shows)."""

    table: Table
    dataset: Dataset
    today: date
    by: str | None  # for rows whose 登记人 is empty
    backfill: bool = False  # rows dated before tracking_since are meant
    clock: str = "23:59"  # now, "HH:MM" in Beijing: a row timed later today has not happened yet
    problems: list[Diagnostic] = field(default_factory=list)
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict)  # a ledger names a few items often

    def drafts(self) -> list[Draft]:
        found = []
        for row in self.table.rows:
            before = len(self.problems)
            try:
                drafts = self._drafts(row)
            except _Bad as bad:
                self.report(row.number, *bad.args)
                continue
            if len(self.problems) == before:
                found += drafts
        return found

    def report(self, row: int, name: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(self.table.path, row, self.table.columns.get(name), f"import-{name}",
                                        message, hint=hint))

    def _drafts(self, row: SheetRow) -> list[Draft]:
        from zwgk.load.sheet import text_of
        from zwgk.rules.obligations import happening_named
        from zwgk.rules.owners import default_department, resolve_item, resolve_owner

        text = {name: text_of(value) for name, value in row.cells.items()}
        kind = self._kind(row.number, text.get("kind"), text.get("title"))
        named = text.get("item")
        found = (happening_named(self.dataset.items, unicodedata.normalize("NFKC", named))
                 if kind == "event" and named is not None else None)
        happening, items = found if found is not None else (
            None, (self._looked_up(row.number, resolve_item, named, "item"),))
        dept = self._looked_up(row.number, resolve_owner, text.get("dept"), "dept")
        day, at = self._moment(row.cells.get("date"), row.cells.get("time"))
        if kind is None or None in items:
            return []
        title = text.get("title")
        drafts = []
        for item in items:
            placed = dept or (default_department(self.dataset, item) if kind == "event" else None)
            self._check(kind, item, day, at, placed, title)
            drafts.append(Draft(row.number, item, JournalEntry(
                id="", type=kind, item=item.id, date=day, time=at, at="", by=text.get("by") or self.by,
                url=text.get("url"), note=text.get("note"), title=title if kind == "event" else None,
                dept=placed), title if kind == "record" else None, happening))
        return drafts

    def _kind(self, row: int, written: str | None, title: str | None) -> Kind | None:
        if written is None:
            return "event" if title else "record"
        kind = KINDS.get("".join(unicodedata.normalize("NFKC", written).split()).lower())
        if kind is None:
            self.report(row, "kind", f"类型 '{written}' 不是“登记”或“事件” (unknown type)",
                        "登记:完成或更新;事件:触发时限的事件")
        return kind

    def _looked_up(self, row: int, resolve: Callable[[Dataset, str], Any], text: str | None,
                   name: str) -> Any:
        """An item or department by the name written, else by its half-width form (Ｃ０１ → C01)."""
        if text is None:
            if name == "item":
                self.report(row, "item", "事项未填写 (item missing)")
            return None
        if (name, text) not in self._memo:
            try:
                self._memo[(name, text)] = resolve(self.dataset, text)
            except LookupFailed as error:
                folded = unicodedata.normalize("NFKC", text)
                try:
                    self._memo[(name, text)] = resolve(self.dataset, folded) if folded != text else error
                except LookupFailed:
                    self._memo[(name, text)] = error
        found = self._memo[(name, text)]
        if isinstance(found, LookupFailed):
            candidates = ";".join(found.candidates)
            self.report(row, name, found.message, f"候选:{candidates}" if candidates else None)
            return None
        return found

    def _moment(self, day_cell: Cell, time_cell: Cell) -> tuple[date, str | None]:
        """The day and the time of day, from the 日期 cell and the 时间 cell (either may hold the time)."""
        from zwgk.load.sheet import CellError, date_of, text_of, time_of

        if day_cell is None:
            raise _Bad("date", "日期未填写 (date missing)")
        try:
            day, at = date_of(day_cell, self.today, self.table.epoch)
        except CellError as error:
            raise _Bad("date", f"日期 {error}") from None
        if time_cell is not None:
            try:
                on, clock = time_of(time_cell, self.today)
            except CellError as error:
                raise _Bad("time", f"时间 {error}") from None
            if on is not None and on != day:
                raise _Bad("time", f"时间 '{text_of(time_cell)}' 的日期 {on} 与日期 {day} 不一致"
                           " (the dates differ)")
            if at is not None and at != clock:
                raise _Bad("time", f"时间 {clock:%H:%M} 与日期里的时刻 {at:%H:%M} 不一致 (times differ)")
            at = clock
        return day, None if at is None else at.strftime("%H:%M")

    def _check(self, kind: Kind, item: Item, day: date, at: str | None, dept: str | None,
               title: str | None) -> None:
        """The rules of `zwgk record` and `zwgk event`, said of a row."""
        from zwgk.dates.typed import DateTextError, in_range
        from zwgk.rules.owners import group_led

        rule, has_time = item.rule, "time" in self.table.columns
        if not isinstance(rule, EventRule) and (kind == "event" or title):
            events = ";".join(f"{i.id} {i.title}" for i in self.dataset.items
                              if isinstance(i.rule, EventRule))
            raise _Bad("item" if kind == "event" else "title", f"{item.id} {item.title} 不是事件触发的事项,"
                       f"不能登记或指明事件 '{title}' (not event-triggered)", f"事件触发的事项:{events}")
        later = day == self.today and at is not None and at > self.clock
        where = ("time" if has_time else "date") if later else "date"
        when = f"时间 {at} 晚于现在 {self.clock}" if later else f"日期 {day} 晚于今天 {self.today}"
        if kind == "record" and (day > self.today or later):
            raise _Bad(where, f"{when}:不能登记尚未发生的事 (cannot record work dated in the future)")
        if kind == "record" and isinstance(rule, EventRule) and rule.unit == "hours" and at is None:
            raise _Bad("time" if has_time else "date", f"{item.title} 按小时计时,请写明完成时间,如 14:30 "
                       "(an hour window's record needs a time)", None if has_time else "加一列“时间”")
        if kind == "event" and isinstance(rule, EventRule):
            if rule.unit == "hours" and at is None:
                raise _Bad("time" if has_time else "date", f"{item.title} 按小时计时,请写明事件时间,"
                           "如 14:30 (hour windows need a time)", None if has_time else "加一列“时间”")
            if (day > self.today or later) and rule.direction != "before":
                raise _Bad(where, f"{when}:只有“提前公开”类事项可以登记将来的日期 "
                           "(only 'before' duties take a future date)")
            if dept is None and group_led(self.dataset, item):
                raise _Bad("dept" if "dept" in self.table.columns else "item", f"{item.title} 由"
                           f"“{'、'.join(item.lead)}”承担:请在“处室”一栏写明哪个处室承办 (a group's duty:"
                           " name the department)", "否则这项义务会落在组里每个处室名下。")
        if day < self.dataset.settings.tracking_since and not self.backfill:
            raise _Bad("date", f"日期 {day} 早于跟踪起点 {self.dataset.settings.tracking_since}:若是有意补录"
                       "旧记录,请加 --backfill (before tracking_since: say --backfill)")
        try:
            in_range(day)
        except DateTextError as error:
            raise _Bad("date", f"日期 {error}") from None
