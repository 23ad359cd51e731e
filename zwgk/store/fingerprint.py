"""What a kept result was worked out by: zwgk's own code and the libraries whose work a cache
entry holds (snapshots, journal bases, year tables). Their files are stat'ed, not imported (a warm
run imports neither the YAML reader nor the calendar); a new version is new files, and every
entry made by the old one simply misses.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from zwgk.store import cache

# The libraries whose behaviour a snapshot holds the result of: the YAML reader, the validator,
# the calendar. Their files are stat'ed, not imported (a warm run imports neither YAML reader
# nor calendar); a new version is new files.
_LIBRARIES = ("yaml", "_yaml", "pydantic", "pydantic_core", "holidays")
_CALENDAR = ("holidays", "countries", "china.py")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """zwgk's own code and what it runs on: a new version of either makes every snapshot miss."""
    marks = [sys.version, str(cache.FORMAT)]
    sources = sorted(Path(__file__).parents[1].rglob("*.py"))
    for library in _library_folders():
        sources += _files_of(library)
        if library.name == _CALENDAR[0]:
            sources.append(library.joinpath(*_CALENDAR[1:]))
    for source in sources:
        try:
            stat = source.stat()
        except OSError:
            continue
        marks.append(f"{source}:{stat.st_size}:{stat.st_mtime_ns}")
    return cache.digest("\n".join(marks).encode("utf-8", "surrogateescape"))


def _files_of(library: Path) -> list[Path]:
    """A library's own files; for one imported from a zip or a frozen bundle, the archive."""
    try:
        return sorted(path for path in library.iterdir() if path.is_file())
    except OSError:
        return [next((above for above in library.parents if above.is_file()), library)]


def _library_folders() -> list[Path]:
    import importlib.util

    folders = []
    for name in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            folders += [Path(location) for location in spec.submodule_search_locations]
        elif spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    return folders
