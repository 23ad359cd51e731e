r"""Where zwgk keeps what it can work out again: the cache folder and its file format.

What is kept is `snapshot.py`'s: a data folder's loaded and judged state, found by the *content*
of every file it came from (SHA-256 digests of their bytes, not mtimes), in a folder of its own
per data directory under the user's cache
folder (`$ZWGK_CACHE_DIR`, else `$XDG_CACHE_HOME/zwgk` or `~/.cache/zwgk`, on Windows
`%LOCALAPPDATA%/zwgk/cache`) — never inside the data, so git never sees it and reading data
never writes there. It is written to a temporary file and renamed into place (two processes at
once each write a whole file; a reader never sees half of one), and holds only plain values in
`marshal` format — no pickle, so a cache file cannot run code. Anything unreadable is a miss.
`zwgk cache clear` removes it; nothing is lost, the next run rebuilds it. ZWGK_NO_CACHE=1 turns
it off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["FORMAT", "clear", "digest", "digests_of", "enabled", "folder_for", "load", "prune", "root",
           "save"]

WARM = "warm"  # the subfolder of the commands' kept answers (warm.py)
DIGESTS = "digests.marshal"  # the files' digests, kept by their stat (digests.py)
FORMAT = 6  # bump when a payload's shape changes: old files then simply miss


def digest(raw: bytes) -> str:
    """The same SHA-256 digest as the loader's (zwgk.load.files.digest), without importing the
    loader: the warm path (warm.py) finds its answers before any of the stack is imported."""
    return hashlib.sha256(raw).hexdigest()[:32]


def digests_of(raw: bytes, cut: int) -> tuple[str, str]:
    """The digests of `raw[:cut]` and of `raw`, the bytes hashed once (a journal's settled
    beginning and the whole file)."""
    hashed = hashlib.sha256(memoryview(raw)[:cut])
    beginning = hashed.hexdigest()[:32]
    hashed.update(memoryview(raw)[cut:])
    return beginning, hashed.hexdigest()[:32]


def root() -> Path:
    if os.environ.get("ZWGK_CACHE_DIR"):
        return Path(os.environ["ZWGK_CACHE_DIR"])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "zwgk" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zwgk"


def folder_for(data_folder: Path) -> Path:
    """One cache folder per data directory, named by its absolute path."""
    return root() / digest(os.fsencode(data_folder.resolve()))


def enabled() -> bool:
    return os.environ.get("ZWGK_NO_CACHE", "") in ("", "0")


def load(path: Path) -> Any:
    """A cache file's payload, or None for anything missing, unreadable or of another format."""
    try:
        # loads() over the whole file: load() on a file object reads it piece by piece, 5× slower.
        version, payload = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return payload if version == FORMAT else None


def save(path: Path, payload: Any) -> bool:
    """Write a whole file under a temporary name and rename it into place, so two processes at
    once each write a whole file and a reader never sees half of one. Best effort: a read-only
    or full disk just means no cache (False)."""
    import contextlib
    import secrets

    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump((FORMAT, payload), handle)
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


def prune(store: Path, pattern: str, keep: int) -> None:
    """Keep the newest `keep` files of `store` matching `pattern` (a folder's snapshots, one per
    as-of date is typical; the journal's bases)."""
    try:
        kept = sorted(store.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
        for stale in kept[:-keep]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


def clear(data_folder: Path | None = None) -> Path | None:
    """Remove one data folder's cache (or, with None, every cache); the folder removed, if any."""
    import shutil

    folder = folder_for(data_folder) if data_folder is not None else root()
    # The commands' kept answers (warm.py) and the digests of files (digests.py) may come from
    # any data folder: they go too.
    shutil.rmtree(root() / WARM, ignore_errors=True)
    (root() / DIGESTS).unlink(missing_ok=True)
    if not folder.is_dir():
        return None
    shutil.rmtree(folder, ignore_errors=True)
    return folder
