"""The polite HTTP client `zwgk scan` reads the unit's own website with (httpx).

Connect and read timeouts; one retry, after a pause, of a request that timed out, failed to
connect or got a 5xx; redirects followed; gzip (httpx asks for it and unpacks it); requests to one
host spaced by a delay (robots.txt's Crawl-delay when it asks for more) and at most
`CONCURRENCY` at once; a User-Agent naming zwgk and its version; robots.txt obeyed; conditional
requests (ETag / Last-Modified) remembered under the cache folder, so a page that has not changed
costs the server a 304; proxies from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY);
certificates verified, against the site's own CA bundle when site.yaml names one.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import zwgk
from zwgk.store import cache

CONCURRENCY = 4  # pages fetched at once (across hosts; one host's requests are also spaced by DELAY)
DELAY_SECONDS = 0.3  # between the starts of two requests to one host
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
RETRY_PAUSE_SECONDS = 1.0
MAX_BYTES = 8 << 20  # a list page larger than this is not a list page
USER_AGENT = f"zwgk/{zwgk.__version__} (government-openness column check; +https://pypi.org/project/zwgk/)"
ROBOTS_NAME = "zwgk"


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str | None
    from_cache: bool = False  # a 304: the body is the one remembered


class FetchFailed(Exception):
    """A page that could not be read, after the retry: the reason as a report shows it."""


class Client:
    """One scan's connection pool, robots.txt rules, host spacing and conditional-request cache."""

    def __init__(self, cache_dir: Path | None = None, ca_bundle: str | None = None,
                 delay: float = DELAY_SECONDS, connect_timeout: float = CONNECT_TIMEOUT,
                 read_timeout: float = READ_TIMEOUT, retry_pause: float = RETRY_PAUSE_SECONDS) -> None:
        import ssl

        import httpx

        verify: Any = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
        self._http = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=True, max_redirects=5, verify=verify, trust_env=True,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                     "Accept-Language": "zh-CN,zh;q=0.9"},
            limits=httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY),
        )
        self._cache_dir = cache_dir
        self._delay = delay
        self._retry_pause = retry_pause
        self._timeout = read_timeout
        self._host_lock = threading.Lock()
        self._next_start: dict[str, float] = {}
        self._robots: dict[str, Any] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- politeness -----------------------------------------------------------------------------

    def _wait_turn(self, url: str, delay: float) -> None:
        """Space the requests to one host: each starts `delay` after the one before it."""
        host = urlsplit(url).netloc
        with self._host_lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + delay
        if start > now:
            time.sleep(start - now)

    def _rules(self, url: str) -> Any:
        """The host's robots.txt (Protego), fetched once per scan; none or unreadable allows all."""
        from protego import Protego

        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if origin not in self._robots:
                text = ""
                try:
                    response = self._send(origin + "/robots.txt", self._delay, conditional=False)
                    if response.status == 200:
                        text = response.body.decode("utf-8", errors="replace")
                except FetchFailed:
                    pass
                self._robots[origin] = Protego.parse(text)
            return self._robots[origin]

    # --- fetching -------------------------------------------------------------------------------

    def get(self, url: str) -> Response:
        """A page, politely; FetchFailed with the reason when it cannot be read."""
        rules = self._rules(url)
        if not rules.can_fetch(url, ROBOTS_NAME):
            raise FetchFailed("robots.txt 不允许抓取 (disallowed by robots.txt)")
        delay = max(self._delay, float(rules.crawl_delay(ROBOTS_NAME) or 0))
        response = self._send(url, delay)
        if response.status >= 400:
            raise FetchFailed(f"HTTP {response.status}")
        return response

    def _send(self, url: str, delay: float, conditional: bool = True) -> Response:
        import httpx

        remembered = self._remembered(url) if conditional else None
        headers = {}
        if remembered is not None:
            if remembered.get("etag"):
                headers["If-None-Match"] = remembered["etag"]
            if remembered.get("last_modified"):
                headers["If-Modified-Since"] = remembered["last_modified"]
        problem = ""
        for attempt in range(2):  # one retry, after a pause
            if attempt:
                time.sleep(self._retry_pause)
            self._wait_turn(url, delay)
            try:
                with self._http.stream("GET", url, headers=headers) as reply:
                    body = _read_capped(reply)
                    status = reply.status_code
                    final = str(reply.url)
                    kept = {"etag": reply.headers.get("etag"),
                            "last_modified": reply.headers.get("last-modified"),
                            "content_type": reply.headers.get("content-type")}
            except httpx.TimeoutException:
                problem = f"超时(超过 {self._timeout:g} 秒)(timeout)"
                continue
            except httpx.TooManyRedirects:
                raise FetchFailed("重定向过多 (too many redirects)") from None
            except (httpx.HTTPError, OSError) as error:
                problem = f"无法连接:{type(error).__name__} (connection failed)"
                continue
            if status >= 500:
                problem = f"HTTP {status}"
                continue
            if status == 304 and remembered is not None:
                kept_body = self._remembered_body(url)
                return Response(final, 200, kept_body, remembered.get("content_type"), True)
            if status == 200 and conditional:
                self._remember(url, kept, body)
            return Response(final, status, body, kept["content_type"])
        raise FetchFailed(problem)

    # --- conditional requests -------------------------------------------------------------------

    def _paths(self, url: str) -> tuple[Path, Path] | None:
        if self._cache_dir is None:
            return None
        name = cache.digest(url.encode())
        return self._cache_dir / f"{name}.meta.marshal", self._cache_dir / f"{name}.body.marshal"

    def _remembered(self, url: str) -> dict[str, Any] | None:
        paths = self._paths(url)
        if paths is None or not paths[1].is_file():
            return None
        meta = cache.load(paths[0])  # None: missing, unreadable or of another format
        return meta if isinstance(meta, dict) and meta.get("url") == url else None

    def _remembered_body(self, url: str) -> bytes:
        paths = self._paths(url)
        assert paths is not None
        body = cache.load(paths[1])
        if not isinstance(body, bytes):
            raise FetchFailed("缓存的网页无法读取,请运行 zwgk cache clear 后重试"
                              " (cached page unreadable)")
        return body

    def _remember(self, url: str, kept: dict[str, Any], body: bytes) -> None:
        """Best effort: a read-only or full cache folder just means no conditional requests."""
        paths = self._paths(url)
        if paths is None or not (kept.get("etag") or kept.get("last_modified")):
            return
        meta, data = paths
        if cache.save(data, body):  # the page first: a kept header always has its page
            cache.save(meta, {"url": url, **kept})


def _read_capped(reply: Any) -> bytes:
    parts, size = [], 0
    for chunk in reply.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchFailed(f"网页超过 {MAX_BYTES >> 20} MB,不是列表页 (page too large)")
        parts.append(chunk)
    return b"".join(parts)
