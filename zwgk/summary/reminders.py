"""What each department is reminded of, and where it is sent: pure, from the evaluation given.

A department's reminder holds what `zwgk overdue --dept D` lists (its overdue items, held
directly, through a sub-unit or through a group such as 各处室) and what `zwgk upcoming --dept D
--within N` lists (not yet done, due within N days: notify.yaml's `due_within`, else the unit's
warn_days). notify.yaml's routes say who gets one: each department listed, and with a `default`
every other department that holds something to be told. A department with nothing overdue and
nothing due soon gets no message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zwgk.models import Dataset, canonical_owners, normalise_name
from zwgk.models.notify import VIAS, Mailbox, NotifyFile, Robot, Route, Via
from zwgk.rules.engine import Evaluation
from zwgk.rules.owners import departments
from zwgk.summary.views import Held, UpcomingRow, overdue, upcoming


@dataclass(frozen=True)
class Reminder:
    unit: str
    dept: str
    as_of: date
    due_within: int
    overdue: tuple[Held, ...]  # oldest due first
    due_soon: tuple[UpcomingRow, ...]  # soonest first
    evaluation: Evaluation  # the whole evaluation, for the short references of event obligations

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.due_soon


@dataclass(frozen=True)
class Outgoing:
    """One message to send: a department's reminder by one channel to one destination."""

    reminder: Reminder
    via: Via
    target: Robot | Mailbox
    at: tuple[Any, ...]  # where the destination is written in notify.yaml

    @property
    def destination(self) -> str:
        """The destination as the sent-log keeps it: a variable's name or the addresses, never a secret."""
        target = self.target
        if isinstance(target, Mailbox):
            return ",".join(sorted({*target.to, *target.cc}))
        return f"${target.webhook_env}" if target.webhook_env else (target.webhook or "")


def reminder_for(dataset: Dataset, evaluation: Evaluation, dept: str, due_within: int,
                 lead_only: bool = False) -> Reminder:
    late = overdue(dataset, evaluation, dept)
    soon = upcoming(dataset, evaluation, due_within, dept)
    if lead_only:
        late = [h for h in late if h.holding is not None and h.holding.role == "lead"]
        soon = [r for r in soon if r.holding is not None and r.holding.role == "lead"]
    return Reminder(dataset.settings.unit, dept, evaluation.as_of, due_within, tuple(late), tuple(soon),
                    evaluation)


def routed(config: NotifyFile, dataset: Dataset) -> list[tuple[str, Route, tuple[Any, ...]]]:
    """(department, route, the route's place in the file): the listed ones in the file's order,
    then, with a default, every other department of owners.yaml."""
    names = canonical_owners(dataset.owners)
    found: list[tuple[str, Route, tuple[Any, ...]]] = []
    for index, entry in enumerate(config.departments):
        name = names.get(normalise_name(entry.dept))
        if name is not None:
            found.append((name, entry, ("departments", index)))
    if config.default is not None:
        listed = {name for name, _, _ in found}
        found += [(name, config.default, ("default",)) for name in departments(dataset) if name not in listed]
    return found


def route_of(config: NotifyFile, dataset: Dataset, dept: str) -> tuple[Route, tuple[Any, ...]] | None:
    """The route of one (canonical) department: its own, else the default, else None."""
    for name, route, at in routed(config, dataset):
        if name == dept:
            return route, at
    return None


def outgoing(config: NotifyFile, dataset: Dataset, evaluation: Evaluation,
             dept: str | None = None, vias: Sequence[Via] = VIAS) -> list[Outgoing]:
    """Every message to send today, department by department; none for a department with
    nothing overdue or due soon. `dept`: only that (canonical) department's."""
    within = dataset.settings.warn_days if config.due_within is None else config.due_within
    chosen = routed(config, dataset)
    if dept is not None:
        chosen = [(name, route, at) for name, route, at in chosen if name == dept]
    messages = []
    for name, route, at in chosen:
        reminder = reminder_for(dataset, evaluation, name, within, config.lead_only)
        if reminder.empty:
            continue
        for via in vias:
            target = route.via(via)
            if target is not None:
                messages.append(Outgoing(reminder, via, target, (*at, via)))
    return messages
