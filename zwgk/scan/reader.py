"""The generic list-page reader: a page's bytes and URL → its articles and the next page. Pure.

No configuration for the templates common on Chinese government sites: `<ul><li><a>title</a>
<span>2026-11-20</span></li>`, table rows, `div` blocks with `[2026-11-20]`, `11-20` under a
year heading, dates carried only in TRS WCM article URLs. Every link is a candidate; its item is
its nearest `li`/`tr`/`dd`/`p`/`div` (or what the long form's `item` selector names); items are
grouped by the element holding them, and a group is the article list when some of its items carry
a date — or, on a page where none does, when its titles read like articles (eight characters or
more, links on the site itself), so menus and 相关链接 are not taken for articles.

Encodings: the HTTP header's charset, else the page's `<meta>`, else UTF-8 if the bytes are
UTF-8, else GB18030 (the superset GBK and GB2312 are decoded with).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from zwgk.models.site import Listed, PageRead, Selectors
from zwgk.scan.dates import date_in, url_date, year_heading

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GB = frozenset({"gbk", "gb2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"})
_ITEM_TAGS = ("li", "tr", "dd", "dt", "p", "div", "article", "section")
_NOT_ARTICLES = frozenset({"首页", "上一页", "下一页", "尾页", "末页", "更多", "more", "返回", "打印",
                           "关闭", "上页", "下页", "第一页", "最后一页"})
_NEXT_WORDS = frozenset({"下一页", "下页", "下一頁", "next", "next page", ">", "›", "»", "下一页>",
                         "下一页»"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b", "caption", "div", "span", "p", "li")
# TRS WCM paginates with script: createPageHTML(total, current, "index", "html") → index_1.html …
_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
ARTICLE_TITLE_MIN = 8  # characters: shorter undated links are menus, not articles


def charset_of(content_type: str | None, raw: bytes) -> str:
    """The codec to decode a page with: the header's charset, the <meta>'s, else detected."""
    for source in ((content_type or "").encode("latin-1", "replace"), raw[:4096]):
        match = _CHARSET.search(source)
        if match:
            name = match.group(1).decode("ascii", "replace").lower()
            if name in _GB:
                return "gb18030"
            if name.replace("_", "-") in ("utf-8", "utf8"):
                return "utf-8"
            try:
                return codecs.lookup(name).name  # a codec Python knows
            except LookupError:
                continue
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def decode(raw: bytes, content_type: str | None = None) -> str:
    return raw.removeprefix(b"\xef\xbb\xbf").decode(charset_of(content_type, raw), errors="replace")


@dataclass
class _Candidate:
    title: str
    url: str
    date: date | None
    group: int  # the id of the element holding the item
    order: int


@dataclass
class _Walk:
    base: str
    today: date | None
    found: list[_Candidate] = field(default_factory=list)


def read_page(raw: bytes, url: str, content_type: str | None = None, today: date | None = None,
              selectors: Selectors | None = None) -> PageRead:
    """The articles a list page shows, in page order, and the next page's URL."""
    from selectolax.lexbor import LexborHTMLParser

    text = decode(raw, content_type)
    tree = LexborHTMLParser(text)
    for junk in tree.css("script, style, noscript, template"):
        junk.decompose()  # the TRS pager is read from the text, below
    base = url
    base_tag = tree.css_first("base[href]")
    if base_tag is not None and base_tag.attributes.get("href"):
        base = urljoin(url, base_tag.attributes["href"] or "")
    chosen = selectors or Selectors()
    items = _by_selectors(tree, base, chosen, today) if chosen.item else _generic(tree, base, today)
    return PageRead(tuple(items), _next_page(tree, base, chosen, text))


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _link(node: Any, base: str) -> str | None:
    href = (node.attributes.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    absolute = urljoin(base, href)
    return absolute.split("#", 1)[0] if urlsplit(absolute).scheme in ("http", "https") else None


def _title(anchor: Any) -> str:
    shown = _clean(anchor.text())
    full = _clean(anchor.attributes.get("title"))
    # A list cuts long titles short (…); the link's title attribute holds the whole one.
    if full and (not shown or shown.endswith(("…", "...", "..")) or len(full) > len(shown)):
        return full
    return shown


def _container(anchor: Any) -> Any:
    node = anchor.parent
    while node is not None and node.tag not in _ITEM_TAGS and node.tag not in ("body", "html"):
        node = node.parent
    return node if node is not None and node.tag in _ITEM_TAGS else anchor


def _years(tree: Any) -> list[tuple[int, int]]:
    """(document position, year) of each heading that is only a year, in document order."""
    found = []
    for position, node in enumerate(tree.root.traverse() if tree.root is not None else ()):
        if node.tag in _HEADINGS and node.child is not None:
            year = year_heading(node.text(deep=True))
            if year is not None:
                found.append((position, year))
    return found


def _generic(tree: Any, base: str, today: date | None) -> list[Listed]:
    if tree.root is None:
        return []
    years = _years(tree)
    positions = {}
    for position, node in enumerate(tree.root.traverse()):
        if node.tag == "a":
            positions[node.mem_id] = position
    candidates = []
    for order, anchor in enumerate(tree.css("a[href]")):
        url = _link(anchor, base)
        title = _title(anchor)
        if url is None or not title or title.lower() in _NOT_ARTICLES or title.isdigit():
            continue
        box = _container(anchor)
        rest = _clean(box.text(deep=True)) if box is not anchor else ""
        rest = rest.replace(_clean(anchor.text()), " ", 1)
        at = positions.get(anchor.mem_id, 0)
        year = next((y for p, y in reversed(years) if p < at), None)
        day = date_in(rest, year, today) or url_date(url)
        parent = box.parent if box is not anchor else anchor.parent
        # Siblings of one kind (the li of a ul, the div.item of a block) make one group.
        group = hash((parent.mem_id if parent is not None else 0, box.tag, box.attributes.get("class")))
        candidates.append(_Candidate(title, url, day, group, order))
    groups: dict[int, list[_Candidate]] = {}
    for c in candidates:
        groups.setdefault(c.group, []).append(c)
    dated = [g for g in groups.values() if any(c.date is not None for c in g)]
    host = urlsplit(base).hostname
    if dated:
        # an undated short link beside dated articles is a menu entry (网站地图), not an article
        chosen = [c for g in dated for c in g if c.date is not None or len(c.title) >= ARTICLE_TITLE_MIN]
    else:  # no date anywhere: only what reads like articles on the site itself
        chosen = [c for g in groups.values() for c in g
                  if len(c.title) >= ARTICLE_TITLE_MIN and urlsplit(c.url).hostname == host]
    return _unique(sorted(chosen, key=lambda c: c.order))


def _unique(candidates: list[_Candidate]) -> list[Listed]:
    seen: set[str] = set()
    found = []
    for c in candidates:
        if c.url not in seen:
            seen.add(c.url)
            found.append(Listed(c.title, c.url, c.date))
    return found


def _by_selectors(tree: Any, base: str, chosen: Selectors, today: date | None) -> list[Listed]:
    """The long form: the item selector names each article; title and date selectors within it."""
    years = None
    candidates = []
    for order, box in enumerate(tree.css(chosen.item or "")):
        anchor = box if box.tag == "a" else box.css_first(chosen.title) if chosen.title else None
        if anchor is not None and anchor.tag != "a":
            anchor = anchor if anchor.attributes.get("href") else anchor.css_first("a[href]") or anchor
        has_link = anchor is not None and anchor.attributes.get("href")
        link_node = anchor if has_link else box.css_first("a[href]")
        if link_node is None:
            continue
        url = _link(link_node, base)
        title = _title(anchor) if anchor is not None else _title(link_node)
        if url is None or not title:
            continue
        holder = box.css_first(chosen.date) if chosen.date else None
        shown = _clean(holder.text(deep=True)) if holder is not None else \
            _clean(box.text(deep=True)).replace(_clean(link_node.text()), " ", 1)
        if years is None:
            years = [y for _, y in _years(tree)]
        day = date_in(shown, years[-1] if years else None, today) or url_date(url)
        candidates.append(_Candidate(title, url, day, 0, order))
    return _unique(candidates)


def _next_page(tree: Any, base: str, chosen: Selectors, text: str) -> str | None:
    if chosen.next:
        node = tree.css_first(chosen.next)
        return _link(node, base) if node is not None else None
    for anchor in tree.css("a[href]"):
        if _clean(anchor.text()).lower() in _NEXT_WORDS or _clean(anchor.attributes.get("title")) == "下一页":
            link = _link(anchor, base)
            if link is not None and link.rstrip("/") != base.rstrip("/"):
                return link
    pager = _TRS_PAGER.search(text)
    if pager:
        total, current = int(pager.group(1)), int(pager.group(2))
        name, suffix = pager.group(3), pager.group(4)
        if current + 1 < total:
            return urljoin(base, f"{name}_{current + 1}.{suffix}")
    return None
