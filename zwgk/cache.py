r"""A cache of parsed journal files, so a ten-year journal is not re-read line by line each time.

Correct by construction: an entry is found by the *content* of the journal file (a BLAKE2 digest
of its bytes, not its mtime), in a folder of its own per data directory under the user's cache
folder (`$ZWGK_CACHE_DIR`, else `$XDG_CACHE_HOME/zwgk` or `~/.cache/zwgk`, on Windows
`%LOCALAPPDATA%/zwgk/cache`) — never inside the data, so git never sees it and reading data
never writes there. It is written to a temporary file and renamed into place (two processes at
once each write a whole file; a reader never sees half of one), and holds only plain values in
`marshal` format — no pickle, so a cache file cannot run code. Anything unreadable is a miss.
`zwgk cache clear` removes it; nothing is lost, the next run rebuilds it. ZWGK_NO_CACHE=1 turns
it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import secrets
import shutil
from pathlib import Path
from typing import Any

FORMAT = 1  # bump when the payload's shape changes: old files then simply miss


def root() -> Path:
    if os.environ.get("ZWGK_CACHE_DIR"):
        return Path(os.environ["ZWGK_CACHE_DIR"])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "zwgk" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zwgk"


def folder_for(data_folder: Path) -> Path:
    """One cache folder per data directory, named by its absolute path."""
    return root() / digest(str(data_folder.resolve()).encode("utf-8"))


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def enabled() -> bool:
    return os.environ.get("ZWGK_NO_CACHE", "") in ("", "0")


class JournalCache:
    """Parsed journal files of one data folder, by file name and content digest."""

    def __init__(self, data_folder: Path) -> None:
        self.folder = folder_for(data_folder)

    def _path(self, name: str, key: str) -> Path:
        return self.folder / f"{name}.{key}.marshal"

    def get(self, name: str, key: str) -> Any:
        try:
            with open(self._path(name, key), "rb") as handle:
                version, payload = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return payload if version == FORMAT else None

    def put(self, name: str, key: str, payload: Any) -> None:
        """Best effort: a read-only or full folder just means no cache."""
        temporary = self.folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                marshal.dump((FORMAT, payload), handle)
            os.replace(temporary, self._path(name, key))
            for stale in self.folder.glob(f"{name}.*.marshal"):
                if stale != self._path(name, key):
                    stale.unlink(missing_ok=True)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def clear(data_folder: Path | None = None) -> Path | None:
    """Remove one data folder's cache (or, with None, every cache); the folder removed, if any."""
    folder = folder_for(data_folder) if data_folder is not None else root()
    if not folder.is_dir():
        return None
    shutil.rmtree(folder, ignore_errors=True)
    return folder
