"""The generic list-page reader (zwgk/scan/reader.py): templates, encodings, pagination."""

from __future__ import annotations

from datetime import date

from zwgk.bench.website import div_list, table_list, trs_list, ul_list, year_list
from zwgk.models.site import Selectors
from zwgk.scan.reader import charset_of, read_page

BASE = "https://www.example.gov.cn/zwgk/zcfg/"
TODAY = date(2026, 12, 1)


def page(body: str, head: str = "") -> str:
    return (f"<html><head>{head}</head><body><ul><li><a href='/'>首页</a></li><li><a href='/a/'>政务公开</a>"
            f"</li></ul>{body}<p><a href='/sitemap.html'>网站地图</a></p></body></html>")


def read(html: str, content_type: str | None = None, encoding: str = "utf-8", **kw):  # type: ignore[no-untyped-def]
    return read_page(html.encode(encoding), BASE, content_type, TODAY, **kw)


def test_ul_li_span_with_next_page() -> None:
    found = read(page(ul_list([("关于做好全省安全生产工作的通知", "./202611/t20261120_1.html", "2026-11-20"),
                               ("某某条例解读材料全文发布", "/b/2.html", "2026/10/1")], next_href="index_1.html")))
    assert [(i.title, i.url, i.date) for i in found.items] == [
        ("关于做好全省安全生产工作的通知", BASE + "202611/t20261120_1.html", date(2026, 11, 20)),
        ("某某条例解读材料全文发布", "https://www.example.gov.cn/b/2.html", date(2026, 10, 1)),
    ]
    assert found.next_url == BASE + "index_1.html"


def test_table_rows_div_blocks_and_year_headings() -> None:
    assert [i.date for i in read(page(table_list([("表格里的文章一", "/1.html", "2026年11月3日")]))).items] \
        == [date(2026, 11, 3)]
    assert [i.date for i in read(page(div_list([("块里的文章", "/2.html", "2026.09.30")]))).items] \
        == [date(2026, 9, 30)]
    items = read(page(year_list({"2026": [("今年的一篇", "/3.html", "11-20")],
                                 "2025": [("去年的一篇", "/4.html", "12-30")]}))).items
    assert [i.date for i in items] == [date(2026, 11, 20), date(2025, 12, 30)]


def test_dates_only_in_trs_urls_and_the_trs_pager() -> None:
    found = read(page(trs_list([("第三季度新闻发布会实录全文", "./202610/t20261012_5551234.html")], 3, 0)))
    assert [i.date for i in found.items] == [date(2026, 10, 12)]
    assert found.next_url == BASE + "index_1.html"
    last = read(page(trs_list([("最后一页的文章标题", "./202601/t20260105_1.html")], 3, 2)))
    assert last.next_url is None


def test_encodings_from_header_meta_or_detected() -> None:
    html = page(ul_list([("关于印发《安全生产工作要点》的通知", "/1.html", "2026-11-20")]))
    for content_type, head in (("text/html; charset=GBK", ""), (None, '<meta charset="gb2312">'),
                               (None, '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'),
                               (None, "")):
        items = read(page(ul_list([("关于印发《安全生产工作要点》的通知", "/1.html", "2026-11-20")]), head),
                     content_type, "gb18030").items
        assert items[0].title == "关于印发《安全生产工作要点》的通知", (content_type, head)
    assert read(html, None, "utf-8").items[0].title.startswith("关于印发")
    assert charset_of("text/html; charset=gb2312", b"") == "gb18030"
    assert charset_of(None, "中文".encode("gbk")) == "gb18030"
    assert charset_of(None, "中文".encode()) == "utf-8"


def test_menus_are_not_articles_and_undated_articles_are_kept() -> None:
    found = read(page("<ul><li><a href='/x/1.html'>一篇没有发布日期的工作动态稿件</a></li></ul>"))
    assert [(i.title, i.date) for i in found.items] == [("一篇没有发布日期的工作动态稿件", None)]
    assert read(page("<p>暂无信息</p>")).items == ()


def test_truncated_titles_use_the_title_attribute() -> None:
    html = page("<ul><li><a href='/1.html' title='关于开展安全生产大检查的通知全文'>关于开展安全生产…</a>"
                "<span>2026-11-02</span></li></ul>")
    assert read(html).items[0].title == "关于开展安全生产大检查的通知全文"


def test_the_long_form_selectors() -> None:
    html = page("<div class='news'><div class='row'><a class='t' href='/n/1.html'>选择器读取的文章</a>"
                "<i class='when'>发布于 2026-11-11</i><b>2020-01-01</b></div></div>"
                "<a class='more' href='/news/p2.html'>更多</a>")
    found = read(html, selectors=Selectors(item="div.news div.row", title="a.t", date="i.when", next="a.more"))
    assert [(i.title, i.date) for i in found.items] == [("选择器读取的文章", date(2026, 11, 11))]
    assert found.next_url == "https://www.example.gov.cn/news/p2.html"
