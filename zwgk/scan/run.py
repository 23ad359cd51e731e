"""Reading every mapped column: its list page, then up to `pages` pages by 下一页, at most
CONCURRENCY pages at once; what each column showed (or why it could not be read) as `Fetched`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from zwgk.models.site import Fetched, Listed, SiteColumn
from zwgk.scan.client import CONCURRENCY, Client, FetchFailed

Progress = Callable[[SiteColumn], None]  # told when each column is done (the CLI's progress bar)


def http_cache(data_folder: Path) -> Path | None:
    """Where conditional requests are remembered: the data folder's cache folder, under `http/`
    (removed by `zwgk cache clear`); None with ZWGK_NO_CACHE=1."""
    from zwgk.store import cache

    return cache.folder_for(data_folder) / "http" if cache.enabled() else None


def read_column(client: Client, column: SiteColumn, today: date) -> Fetched:
    from zwgk.scan.reader import read_page

    items: list[Listed] = []
    pages: list[str] = []
    url: str | None = column.url
    while url is not None and len(pages) < column.pages and url not in pages:
        try:
            response = client.get(url)
        except FetchFailed as failure:
            return Fetched(column, tuple(items), tuple(pages), str(failure))
        pages.append(url)
        read = read_page(response.body, response.url, response.content_type, today, column.selectors)
        items += read.items
        url = read.next_url
    return Fetched(column, tuple(items), tuple(pages))


def scan_site(columns: Sequence[SiteColumn], today: date, client: Client,
              progress: Progress | None = None) -> list[Fetched]:
    """Every column's pages, in site.yaml's order, CONCURRENCY at a time through `client`."""
    def one(column: SiteColumn) -> Fetched:
        found = read_column(client, column, today)
        if progress is not None:
            progress(column)
        return found

    with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="zwgk-scan") as pool:
        return list(pool.map(one, columns))
