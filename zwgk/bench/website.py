"""A realistic local government website, for the scan tests and the benchmark: pure stdlib
(http.server in a thread on 127.0.0.1, port 0), nothing reaches the internet.

`Website` serves pages put into it (`add`), in UTF-8 or GBK, with ETag/Last-Modified (a matching
conditional request gets 304), gzip when asked for, an optional latency per response, pages that
fail N times before they work, redirects, a robots.txt, and a count of hits per path.
`realistic_site()` lays out every case of issue 15's section 4 (see its docstring);
`list_pages(n, latency)` serves n list pages for the benchmark:

    with list_pages(134, latency=0.1) as site:
        ... site.url, site.site_yaml() ...
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fail_times: int = 0  # answer 503 this many times first
    delay: float = 0.0  # seconds before answering (beyond the site's latency)
    modified: float = field(default_factory=time.time)


class Website:
    """A threaded HTTP server on 127.0.0.1 serving `pages` (path → Page); 404 for anything else."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.pages: dict[str, Page] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified = 0  # 304s answered
        self.user_agents: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- content ------------------------------------------------------------------------------

    def add(self, path: str, html: str, encoding: str = "utf-8", declare: str | None = "header",
            **options: Any) -> Page:
        """A page at path; `declare`: where its charset is said ("header", "meta", None: nowhere)."""
        body = html.encode(encoding)
        content_type = f"text/html; charset={encoding}" if declare == "header" else "text/html"
        if declare == "meta":
            body = body.replace(b"<head>", f'<head><meta charset="{encoding}">'.encode(), 1)
        page = Page(body, content_type, **options)
        with self._lock:
            self.pages[path] = page
        return page

    def redirect(self, path: str, to: str) -> None:
        self.pages[path] = Page(b"", "text/html", 301, {"Location": to})

    def robots(self, text: str) -> None:
        self.pages["/robots.txt"] = Page(text.encode(), "text/plain; charset=utf-8")

    # --- serving ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the site first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Website:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The headers and the body go out in two writes: with Nagle's algorithm on, the body
            # waits for the client's delayed ACK of the headers (40 ms on Linux), which is not
            # the latency the site was asked for. Web servers (nginx, Apache) set TCP_NODELAY.
            disable_nagle_algorithm = True

            def log_message(self, *_: object) -> None:  # quiet
                return

            def do_GET(self) -> None:
                site._answer(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Website:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?", 1)[0]
        with self._lock:
            self.hits[path] += 1
            self.user_agents.add(request.headers.get("User-Agent", ""))
            page = self.pages.get(path)
            failing = page is not None and page.fail_times > 0
            if failing:
                page.fail_times -= 1  # type: ignore[union-attr]
        delay = self.latency + (page.delay if page is not None else 0.0)
        if delay:
            time.sleep(delay)
        try:
            if page is None:
                self._send(request, 404, b"<html><body>404 Not Found</body></html>", "text/html", {})
            elif failing:
                self._send(request, 503, b"busy", "text/plain", {})
            elif page.status != 200:
                self._send(request, page.status, page.body, page.content_type, page.headers)
            else:
                self._ok(request, page)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            return

    def _ok(self, request: BaseHTTPRequestHandler, page: Page) -> None:
        tag = '"' + hashlib.sha256(page.body).hexdigest()[:16] + '"'
        modified = formatdate(page.modified, usegmt=True)
        headers = {"ETag": tag, "Last-Modified": modified, **page.headers}
        if request.headers.get("If-None-Match") == tag:
            with self._lock:
                self.not_modified += 1
            self._send(request, 304, b"", None, headers)
            return
        body = page.body
        if "gzip" in (request.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(request, 200, body, page.content_type, headers)

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str | None,
              headers: dict[str, str]) -> None:
        request.send_response(status)
        if content_type:
            request.send_header("Content-Type", content_type)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if body:
            request.wfile.write(body)


# --- page templates -------------------------------------------------------------------------------

def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
            '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/hdjl/">互动交流</a></li></ul></div>'
            f'<div class="main"><h2>{title}</h2>{body}</div>'
            '<div class="links"><ul><li><a href="https://www.gov.cn/">中国政府网门户网站首页链接</a></li></ul></div>'
            "<div class=\"footer\">主办:测试局 版权所有</div></body></html>")


def ul_list(articles: list[tuple[str, str, str]], next_href: str | None = None) -> str:
    """`<ul><li><a>title</a><span>date</span></li></ul>` (title, href, date as written)."""
    rows = "".join(f'<li><a href="{h}" target="_blank">{t}</a><span class="date">{d}</span></li>'
                   for t, h, d in articles)
    pager = f'<div class="page"><a href="{next_href}">下一页</a></div>' if next_href else ""
    return f'<ul class="list">{rows}</ul>{pager}'


def table_list(articles: list[tuple[str, str, str]]) -> str:
    rows = "".join(f'<tr><td class="t"><a href="{h}" title="{t}">{t}</a></td><td>{d}</td></tr>'
                   for t, h, d in articles)
    return f'<table class="list"><tr><th>标题</th><th>日期</th></tr>{rows}</table>'


def div_list(articles: list[tuple[str, str, str]]) -> str:
    return "".join(f'<div class="item"><a href="{h}">{t}</a> <em>[{d}]</em></div>' for t, h, d in articles)


def year_list(years: dict[str, list[tuple[str, str, str]]]) -> str:
    """`11-20` under a year heading."""
    return "".join(f"<h3>{y}年</h3>" + "".join(f'<p><a href="{h}">{t}</a> {d}</p>' for t, h, d in rows)
                   for y, rows in years.items())


def trs_list(articles: list[tuple[str, str]], total_pages: int = 1, current: int = 0) -> str:
    """A TRS WCM list: the date only in the article URL; pages by createPageHTML()."""
    rows = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in articles)
    pager = (f'<script>createPageHTML({total_pages}, {current}, "index", "html");</script>'
             if total_pages > 1 else "")
    return f'<ul class="trs">{rows}</ul>{pager}'


# --- the realistic site -------------------------------------------------------------------------

# column id → (path, what it shows); what the tests expect of each is in tests/scan/test_end_to_end.py
COLUMN_PATHS = {
    "C01": "/zwgk/zcfg/flfg/",          # ul/li/span, UTF-8, two pages (下一页)
    "C02": "/hygq/mtgz/index.html",     # a table, GBK declared in <meta>
    "C03": "/zdly/sgkb/",               # div blocks with [2026-11-20], GBK declared nowhere
    "C04": "/xwfb/fbsl/",               # TRS WCM: dates only in URLs, createPageHTML pages
    "C05": "/zwgk/nianbiao/",           # 11-20 under a year heading, 年月日 dates
    "C06": "/zwgk/gone/",               # 404
    "C07": "/zwgk/flaky/",              # fails once (503), then works
    "C08": "/zwgk/slow/",               # slower than the timeout
    "C09": "/zwgk/old-path/",           # a redirect to /zwgk/new-path/
    "C10": "/zwgk/empty/",              # an empty column
    "C11": "/zwgk/undated/",            # articles without dates
    "C12": "/private/list/",            # disallowed by robots.txt
}


def realistic_site(slow_seconds: float = 3.0) -> Website:
    """Every case of issue 15's section 4 on one site (see COLUMN_PATHS). Call `backdate(site)`
    between two scans to publish an old-dated article on C01."""
    site = Website()
    site.add("/", _page("首页", "<h2>要闻</h2>" + ul_list([  # what a homepage's news block shows
        ("我省召开安全生产工作会议部署岁末年初工作", "/xwzx/yw/202611/t20261127_2001.html", "2026-11-27"),
        ("安徽省安全生产条例(2026年修订)全文", "/zwgk/zcfg/flfg/202611/t20261120_1001.html", "2026-11-20"),
    ])))
    site.add(COLUMN_PATHS["C01"], _page("法律法规", ul_list([
        ("安徽省安全生产条例(2026年修订)全文", "/zwgk/zcfg/flfg/202611/t20261120_1001.html", "2026-11-20"),
        ("关于贯彻落实新修订安全生产法的通知", "./202610/t20261015_1000.html", "2026/10/15"),
    ], next_href="index_1.html")))
    site.add("/zwgk/zcfg/flfg/index_1.html", _page("法律法规", ul_list([
        ("生产安全事故报告和调查处理条例解读", "/zwgk/zcfg/flfg/202605/t20260506_0999.html", "2026.05.06"),
    ])))
    site.add(COLUMN_PATHS["C02"], _page("媒体关注", table_list([
        ("媒体聚焦我省安全生产专项整治三年行动成效", "/hygq/mtgz/2026/1125a.html", "2026-11-25"),
        ("新闻媒体报道全省应急演练活动情况综述", "/hygq/mtgz/2026/1102b.html", "2026-11-02"),
    ])), encoding="gbk", declare="meta")
    site.add(COLUMN_PATHS["C03"], _page("事故快讯", div_list([
        ("某市一起较大道路运输事故情况通报", "/zdly/sgkb/a1.html", "2026-11-28"),
        ("关于某企业一起一般生产安全事故的快报", "/zdly/sgkb/a2.html", "2026-09-03"),
    ])), encoding="gbk", declare=None)
    site.add(COLUMN_PATHS["C04"], _page("发布实录", trs_list([
        ("第三季度新闻发布会实录:全省安全生产形势", "./202610/t20261012_5551234.html"),
        ("第二季度新闻发布会实录:汛期安全防范工作", "./202607/t20260708_5550001.html"),
    ], total_pages=2)))
    site.add("/xwfb/fbsl/index_1.html", _page("发布实录", trs_list([
        ("第一季度新闻发布会实录:春节后复工复产安全", "./202604/t20260402_5549000.html"),
    ], total_pages=2, current=1)))
    site.add(COLUMN_PATHS["C05"], _page("年报", year_list({
        "2026": [("2026年政府信息公开工作年度报告发布稿", "/zwgk/nianbiao/2026a.html", "01-20")],
        "2025": [("2025年政府信息公开工作年度报告发布稿", "/zwgk/nianbiao/2025a.html", "2025年1月25日")],
    })))
    site.add(COLUMN_PATHS["C07"], _page("一次失败", ul_list([
        ("重试之后可以读到的一篇通知公告正文", "/zwgk/flaky/1.html", "2026-11-30"),
    ])), fail_times=1)
    site.add(COLUMN_PATHS["C08"], _page("很慢", ul_list([("很慢的页面上的一篇文章标题", "/zwgk/slow/1.html",
                                                           "2026-11-30")])), delay=slow_seconds)
    site.redirect(COLUMN_PATHS["C09"], "/zwgk/new-path/")
    site.add("/zwgk/new-path/", _page("改版后的栏目", ul_list([
        ("栏目改版后发布的一篇规范性文件", "/zwgk/new-path/1.html", "2026-11-16"),
    ])))
    site.add(COLUMN_PATHS["C10"], _page("空白栏目", '<ul class="list"></ul><p>暂无信息</p>'))
    site.add(COLUMN_PATHS["C11"], _page("无日期", (
        '<ul class="list"><li><a href="/zwgk/undated/1.html">没有注明发布时间的一篇工作动态</a></li>'
        '<li><a href="/zwgk/undated/2.html">同样没有日期的另一篇工作动态稿件</a></li></ul>')))
    site.add(COLUMN_PATHS["C12"], _page("内部", ul_list([("不允许抓取的栏目中的一篇文章", "/private/1.html",
                                                         "2026-11-01")])))
    site.robots("User-agent: *\nDisallow: /private/\n")
    return site


def backdate(site: Website) -> None:
    """An article dated before the newest one already shown appears on C01 (旧稿新发)."""
    site.add(COLUMN_PATHS["C01"], _page("法律法规", ul_list([
        ("安徽省安全生产条例(2026年修订)全文", "/zwgk/zcfg/flfg/202611/t20261120_1001.html", "2026-11-20"),
        ("补发的一篇旧通知:关于做好汛期安全工作的通知", "/zwgk/zcfg/flfg/202608/t20260801_1002.html",
         "2026-08-01"),
        ("关于贯彻落实新修订安全生产法的通知", "./202610/t20261015_1000.html", "2026/10/15"),
    ], next_href="index_1.html")))


def site_yaml(site: Website, columns: dict[str, str] | None = None) -> str:
    """A site.yaml for the site: C01 follows two pages, the others one."""
    mapping = columns or COLUMN_PATHS
    lines = [f"site: {site.url}", "home: /", "columns:"]
    for item, path in mapping.items():
        paged = item in ("C01", "C04")
        lines.append(f"  {item}: {{url: {path}, pages: 2}}" if paged else f"  {item}: {path}")
    return "\n".join(lines) + "\n"


# --- the benchmark's site ------------------------------------------------------------------------

class ListSite(Website):
    """n list pages at /c/<i>/, each listing ten dated articles; `site_yaml(ids)` maps them."""

    def site_yaml(self, ids: list[str]) -> str:
        return "\n".join([f"site: {self.url}", "columns:",
                          *(f"  {item}: /c/{i}/" for i, item in enumerate(ids))]) + "\n"


def list_pages(n: int, latency: float = 0.1) -> ListSite:
    """A site of n column list pages, each answer `latency` seconds late (start it with `with`)."""
    site = ListSite(latency=latency)
    for i in range(n):
        articles = [(f"第 {i} 栏目的第 {k} 篇文章标题", f"/c/{i}/2026{k:02d}.html",
                     f"2026-{1 + k % 12:02d}-{1 + k:02d}") for k in range(10)]
        site.add(f"/c/{i}/", _page(f"栏目 {i}", ul_list(articles)))
    site.robots("User-agent: *\nDisallow:\n")
    return site
