"""The digests of the files the store has hashed, kept by each file's stat, so that 50 MB of
unchanged journals are not read and hashed again by every command (git's index does the same).

A kept digest stands for a file whose stat — size, mtime_ns, ctime_ns, inode, device — is the
one recorded. It is recorded only when the file's mtime and ctime were at least two seconds
older than the moment it was hashed, and the stat was the same before and after the read: a
write changes ctime (which cannot be set back) to a later tick, so a file written since, even
within the same timestamp tick as the hash, has another stat. The same rule as the warm path's
(warm.py). On Windows, whose st_ctime is the creation time, nothing is kept (warm.STAT_TRUSTED).
Kept in one atomic marshal file in the cache (cache.py); anything unreadable is hashed again; a
lost update between two processes only means a file is hashed again.
"""

from __future__ import annotations

import os

from zwgk.load.files import LISTING, TARGET, as_now
from zwgk.store import cache
from zwgk.store.warm import settled, stat_of

MEMO = cache.DIGESTS
Stat = tuple[int, ...]


class Digests:
    """One command's view of the kept digests: looked up by stat, saved once when it learnt any."""

    def __init__(self) -> None:
        self._path = cache.root() / MEMO
        kept = cache.load(self._path) if cache.enabled() else None
        self._kept: dict[str, tuple[Stat, str]] = kept if isinstance(kept, dict) else {}
        self._learnt = False

    def as_now(self, name: str) -> str | None:
        """As zwgk.load.as_now: a file's digest ("" when absent, None when it cannot be read
        plainly), a journal folder's listing, where a followed path leads."""
        if name.endswith((LISTING, TARGET)):
            return as_now(name)
        where = os.path.abspath(name)
        try:
            before = stat_of(where)
        except FileNotFoundError:
            return as_now(name)  # absent (""), or a dangling link: as the loader says
        except OSError:
            return None
        kept = self._kept.get(where)
        if kept is not None and tuple(kept[0]) == before:
            return kept[1]
        value = as_now(name)
        try:
            if value and stat_of(where) == before and settled(before):
                self._kept[where] = (before, value)
                self._learnt = True
        except OSError:
            pass
        return value

    def save(self) -> None:
        if self._learnt and cache.enabled():
            cache.save(self._path, self._kept)
            self._learnt = False


_commands: dict[str, Digests] = {}


def kept() -> Digests:
    """This process's Digests (one per cache folder: a test may point ZWGK_CACHE_DIR elsewhere)."""
    where = str(cache.root())
    if where not in _commands:
        _commands[where] = Digests()
    return _commands[where]
