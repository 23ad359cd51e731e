"""The CI gate: which items pass, fail, warn or are skipped, for `zwgk check`.

Pure: an evaluation in, verdicts out. A failure is an item overdue by more than the grace
days (or due soon, with fail_on="due_soon"); items the source gives no date for are skipped,
not passed, so a CI table never claims more than zwgk can know.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from zwgk.models import Dataset, Location
from zwgk.rules.engine import Evaluation, ItemStatus, Status

Verdict = Literal["pass", "fail", "warn", "skip"]
FailOn = Literal["overdue", "due_soon"]
NOT_JUDGED = (Status.UNSPECIFIED, Status.WAITING, Status.ONGOING, Status.UNTRACKED)


@dataclass(frozen=True)
class Outcome:
    status: ItemStatus
    verdict: Verdict
    location: Location | None  # the YAML entry (or the journal line of an event) to annotate


@dataclass(frozen=True)
class GateResult:
    outcomes: tuple[Outcome, ...]

    @property
    def counts(self) -> Counter[str]:
        return Counter(o.verdict for o in self.outcomes)

    @property
    def failed(self) -> bool:
        return any(o.verdict == "fail" for o in self.outcomes)


def verdict(status: ItemStatus, fail_on: FailOn, grace: int) -> Verdict:
    if status.status in NOT_JUDGED:
        return "skip"
    if status.status is Status.OVERDUE:
        return "fail" if (status.days_overdue or 0) > grace else "warn"
    if status.status is Status.DUE_SOON:
        return "fail" if fail_on == "due_soon" else "warn"
    return "pass"


def gate(dataset: Dataset, evaluation: Evaluation, fail_on: FailOn = "overdue", grace: int = 0,
         only: set[str] | None = None) -> GateResult:
    """Verdicts for every item (or only the ids in `only`, e.g. one department's)."""
    outcomes = []
    for status in evaluation.statuses:
        if only is not None and status.item.id not in only:
            continue
        outcomes.append(Outcome(status, verdict(status, fail_on, grace), where(dataset, status)))
    return GateResult(tuple(outcomes))


def where(dataset: Dataset, status: ItemStatus) -> Location | None:
    if status.obligation is not None:
        return status.obligation.event_at or dataset.item(status.obligation.parent).source
    return status.item.source
