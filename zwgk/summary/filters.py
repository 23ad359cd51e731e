"""What a listing keeps and in which order, as Taskwarrior's filters do: by kind, status, role,
column group; sorted by due date, by how late or near, or by lead department. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from zwgk.rules.engine import ItemStatus, Status
from zwgk.rules.owners import Holding

SortKey = Literal["due", "days", "dept"]
SORTS: tuple[SortKey, ...] = ("due", "days", "dept")
KINDS = ("task", "column", "obligation")


class Row(Protocol):
    @property
    def status(self) -> ItemStatus: ...

    @property
    def holding(self) -> Holding | None: ...


RowT = TypeVar("RowT", bound=Row)


@dataclass(frozen=True)
class ListFilter:
    kinds: frozenset[str] = frozenset()  # empty: every kind
    statuses: frozenset[Status] = frozenset()  # empty: every status the listing shows
    lead_only: bool = False  # with a department: only what it leads (directly or through a group)
    group: str | None = None  # a column's first-level name (一级栏目); an item's own group for tasks
    sort: SortKey = "due"

    def keeps(self, row: Row) -> bool:
        status = row.status
        if self.kinds and status.item.kind not in self.kinds:
            return False
        if self.statuses and status.status not in self.statuses:
            return False
        if self.lead_only and (row.holding is None or row.holding.role != "lead"):
            return False
        return not (self.group and (not status.item.path or status.item.path[0] != self.group))

    def apply(self, rows: Sequence[RowT]) -> list[RowT]:
        """The rows kept, in the order asked for (stable: ties keep the listing's own order)."""
        kept = [row for row in rows if self.keeps(row)]
        if self.sort == "days":  # the latest first, then the nearest
            kept.sort(key=lambda row: (0, -row.status.days_overdue) if row.status.days_overdue
                      else (1, row.status.due.toordinal() if row.status.due else 0))
        elif self.sort == "dept":
            kept.sort(key=lambda row: (row.status.item.lead[0] if row.status.item.lead else "\uffff"))
        return kept
