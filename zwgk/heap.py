"""Making many objects at once without paying the cyclic garbage collector for them.

A province's journal is 200,000 entries, each a small dataclass with its location; a snapshot
restores 16,000 statuses. None of them holds a cycle, and all of them live until the command
ends. CPython's collector does not know that: every few hundred allocations it collects, and
each full collection walks every object made so far — a third of the province's cold load was
spent there. While such objects are made the collector is paused; afterwards they are moved to
the permanent generation (gc.freeze), so later collections do not walk them either.
Reference counting still frees each of them as soon as nothing refers to it.

Frozen objects are never collected as cycles: right for a command that exits, and what the
test suite (hundreds of loads in one process) shows costs no memory. A long-lived process
embedding zwgk would call gc.unfreeze() between requests.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def making_many() -> Iterator[None]:
    """Pause the cyclic collector while the block makes long-lived, acyclic objects."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
