"""The polite client (zwgk/scan/client.py) against the local test site."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sitedata import *  # noqa: F403 (the site fixtures)

from zwgk.bench.website import COLUMN_PATHS, Website, list_pages
from zwgk.scan.client import USER_AGENT, Client, FetchFailed


def client(cache: Path | None = None, **kw: float) -> Client:
    return Client(cache, **{"delay": 0.0, "read_timeout": 0.5, "retry_pause": 0.05, **kw})


def test_a_page_that_fails_once_is_read_on_the_retry(website: Website) -> None:
    with client() as c:
        assert c.get(website.url + COLUMN_PATHS["C07"]).status == 200
    assert website.hits[COLUMN_PATHS["C07"]] == 2


def test_404_timeout_robots_and_redirects(website: Website) -> None:
    with client() as c:
        with pytest.raises(FetchFailed, match="HTTP 404"):
            c.get(website.url + COLUMN_PATHS["C06"])
        assert website.hits[COLUMN_PATHS["C06"]] == 1  # a 404 is not retried
        with pytest.raises(FetchFailed, match="超时"):
            c.get(website.url + COLUMN_PATHS["C08"])
        assert website.hits[COLUMN_PATHS["C08"]] == 2  # one retry
        with pytest.raises(FetchFailed, match=r"robots\.txt"):
            c.get(website.url + COLUMN_PATHS["C12"])
        assert website.hits[COLUMN_PATHS["C12"]] == 0
        moved = c.get(website.url + COLUMN_PATHS["C09"])
        assert moved.url == website.url + "/zwgk/new-path/"
    assert website.user_agents == {USER_AGENT}
    assert website.hits["/robots.txt"] == 1  # once per scan


def test_conditional_requests_are_remembered(website: Website, tmp_path: Path) -> None:
    url = website.url + COLUMN_PATHS["C01"]
    with client(tmp_path / "http") as c:
        first = c.get(url)
    with client(tmp_path / "http") as c:
        again = c.get(url)
    assert again.from_cache and again.body == first.body
    assert website.not_modified == 1
    kept = sorted(p.name for p in (tmp_path / "http").iterdir())  # the page and its validators
    assert len(kept) == 2 and kept[0].endswith(".body.marshal") and kept[1].endswith(".meta.marshal")


def test_requests_to_one_host_are_spaced(website: Website) -> None:
    with client(delay=0.2) as c:
        start = time.monotonic()
        for _ in range(3):
            c.get(website.url + COLUMN_PATHS["C01"])
        assert time.monotonic() - start >= 0.2 * 3  # robots.txt, then three pages


def test_gzip_is_asked_for_and_unpacked(website: Website) -> None:
    with client() as c:
        body = c.get(website.url + COLUMN_PATHS["C01"]).body
    assert "法律法规".encode() in body


def test_the_site_answers_without_waiting_for_the_clients_ack() -> None:
    """The bench's floor is pages × latency ÷ concurrency: the site must add only its latency.
    With Nagle's algorithm on, a body sent after its headers waits ~40 ms for a delayed ACK."""
    with list_pages(1, latency=0.0) as site, client() as c:
        c.get(site.url + "/c/0/")  # robots.txt and the connection
        start = time.monotonic()
        for _ in range(20):
            c.get(site.url + "/c/0/")
        assert time.monotonic() - start < 0.4  # ~0.02 s; ≥ 0.8 s with Nagle's algorithm
