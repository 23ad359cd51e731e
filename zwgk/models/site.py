"""`site.yaml`: where each website column lives, and what `zwgk scan` reads off a list page.

The file is a plan file like the others (hand-edited, only ever read): the unit's portal, an
optional homepage, and a column id → its list page, either a path (the short form) or a mapping
with the number of pages to follow (下一页) and, for a template the generic reader cannot read,
CSS selectors for an article, its title, its date and the next-page link (the long form). The
resolved `Site` holds absolute URLs; the reader's results (`Listed`, `PageRead`) live here too,
so the pure summary layer can judge them without importing the network code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from zwgk.models.plan import Text

MAX_PAGES = 50  # a column's list is followed at most this far: a loop of 下一页 links stops here


class ColumnPage(BaseModel):
    """The long form of a column's entry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: Text
    pages: Annotated[int, Field(strict=True, ge=1, le=MAX_PAGES)] = 1
    item: Text | None = None  # CSS selector of one article on the page (li, tr, div…)
    title: Text | None = None  # within the article: the element holding its title (default: its link)
    date: Text | None = None  # within the article: the element holding its date (default: found in its text)
    next: Text | None = None  # CSS selector of the next-page link (default: a link reading 下一页)


class SiteFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    site: Text
    home: Text | None = None
    ca_bundle: Text | None = None  # a PEM file, relative to site.yaml's folder: the unit's own CA
    # column id → a path or a ColumnPage mapping; each entry is checked on its own by
    # zwgk/load/site.py, so a fault names that entry's line.
    columns: dict[str, object] = Field(default_factory=dict)


@dataclass(frozen=True)
class Selectors:
    item: str | None = None
    title: str | None = None
    date: str | None = None
    next: str | None = None


@dataclass(frozen=True)
class SiteColumn:
    """One mapped column: its list page as an absolute URL, and where site.yaml says so."""

    id: str
    url: str
    pages: int = 1
    selectors: Selectors = Selectors()
    line: int | None = None


@dataclass(frozen=True)
class Site:
    path: str  # site.yaml as shown in messages
    base: str
    home: str | None
    ca_bundle: str | None  # an absolute path
    columns: tuple[SiteColumn, ...]


@dataclass(frozen=True)
class Listed:
    """One article as a list page shows it: the title, the absolute link, the publication date
    (None: the page gives none — 未注明发布时间的视为不更新)."""

    title: str
    url: str
    date: date | None


@dataclass(frozen=True)
class PageRead:
    """What one list page holds: its articles and the next page's URL, if it links one."""

    items: tuple[Listed, ...]
    next_url: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A column's pages as the scan fetched them: the articles of every page read, the pages
    read, and why a page could not be (None: every page was read)."""

    column: SiteColumn
    items: tuple[Listed, ...] = ()
    pages: tuple[str, ...] = ()
    failure: str | None = None  # "HTTP 404", "超时(10 秒)", "robots.txt 不允许"…
