"""Making many objects at once without paying the cyclic garbage collector for them.

A province's journal is 200,000 entries, each a small dataclass with its location; a snapshot
restores 16,000 statuses. None of them holds a cycle, and all of them live until the command
ends. CPython's collector does not know that: every few hundred allocations it collects, and
each full collection walks every object made so far — a third of the province's cold load was
spent there. While such objects are made the collector is paused. Reference counting still
frees each of them as soon as nothing refers to it.

The `zwgk` command goes one step further (`freeze_after_making`, from zwgk/__main__.py): what
was made is moved to the permanent generation (gc.freeze), so later collections do not walk it
either. Frozen objects are never collected as cycles — right for a process that runs one
command and exits, wrong for one that runs many (the tests, CliRunner, a program embedding
zwgk), where garbage cycles of the previous command would be frozen with them: those only pause.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freezing = False


def freeze_after_making() -> None:
    """For a process that runs one command and exits: freeze what each block makes."""
    global _freezing
    _freezing = True


@contextmanager
def making_many() -> Iterator[None]:
    """Pause the cyclic collector while the block makes long-lived, acyclic objects."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freezing:
            gc.freeze()
        if collecting:
            gc.enable()
