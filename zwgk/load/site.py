"""Reading `site.yaml` (optional, per unit): where each website column's list page is.

As strict as the other plan files, every fault a Diagnostic at file:line:col, all of them in one
run: the portal must be an http(s) URL; a column's page is a path resolved against it or a
whole http(s) URL; an id must name a column of the catalogue (a task or an unknown id is an
error with a did-you-mean); two columns cannot share one page; `pages` is 1–50; the long form's
selectors are text; `ca_bundle` must be a file. A unit that follows another's catalogue keeps
its own site.yaml: its ids are checked against the catalogue it ends up with.

`load_dataset` checks the file whenever it is there (so `validate` and `status` name its faults
and exit 2); `zwgk scan` reads the resolved `Site` with `load_site`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import ValidationError

from zwgk.errors import Diagnostic, did_you_mean
from zwgk.load.files import SITE_FILE, digest, note, present
from zwgk.load.plan import read_yaml
from zwgk.load.validation import FileSource, error_kind, pydantic_diagnostics, translate
from zwgk.models import Dataset
from zwgk.models.site import ColumnPage, Selectors, Site, SiteColumn, SiteFile

_PAGE_FIELDS = tuple(ColumnPage.model_fields)


def check_site(root: Path, dataset: Dataset) -> list[Diagnostic]:
    """site.yaml's faults (none when there is no site.yaml)."""
    diagnostics: list[Diagnostic] = []
    if present(root / SITE_FILE):
        load_site(root, dataset, diagnostics)
    return diagnostics


def load_site(root: Path, dataset: Dataset, diagnostics: list[Diagnostic],
              path: Path | None = None) -> Site | None:
    """The resolved site.yaml, or None: with diagnostics when it has errors, without when it holds
    only comments (the template `zwgk init` writes)."""
    path = path if path is not None else root / SITE_FILE
    read = read_yaml(path, diagnostics, allow_empty=True)
    if read is None or read[0] == {}:  # only comments (zwgk init's template): nothing mapped yet
        return None
    data, source = read
    if not isinstance(data, dict):
        diagnostics.append(source.diagnostic((), "not-a-mapping",
                                             "文件顶层应是键值映射 (top level must be a mapping)",
                                             hint="参考格式:site, home, columns"))
        return None
    before = len(diagnostics)
    try:
        parsed = SiteFile.model_validate({**data, "columns": {}}
                                         if isinstance(data.get("columns"), dict) else data)
    except ValidationError as error:
        diagnostics.extend(pydantic_diagnostics(error, source, SiteFile))
        parsed = None
    base = _base(parsed.site, source, diagnostics) if parsed is not None else None
    home = _page(parsed.home, base, ("home",), source, diagnostics) if parsed and parsed.home else None
    bundle = (_bundle(parsed.ca_bundle, path.parent, source, diagnostics)
              if parsed and parsed.ca_bundle else None)
    raw_columns = data.get("columns")
    columns = _columns(raw_columns, base, dataset, source, diagnostics) \
        if isinstance(raw_columns, dict) else []
    if len(diagnostics) > before or parsed is None or base is None:
        return None
    return Site(source.path, base, home, bundle, tuple(columns))


def _is_web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _base(site: str, source: FileSource, diagnostics: list[Diagnostic]) -> str | None:
    if not _is_web(site.strip()):
        diagnostics.append(source.diagnostic(
            ("site",), "site-bad-url",
            f"site 应是网站首页的完整地址(http:// 或 https:// 开头),而不是 {site!r} (bad site URL)",
            hint="例如 site: https://www.example.gov.cn"))
        return None
    site = site.strip()
    return site if urlsplit(site).path else site + "/"


def _page(value: str, base: str | None, loc: tuple[Any, ...], source: FileSource,
          diagnostics: list[Diagnostic]) -> str | None:
    """A page's absolute URL: a path resolved against the portal, or a whole http(s) URL."""
    text = value.strip()
    if not text or any(ch.isspace() for ch in text):
        problem = "是空的" if not text else "含空白字符"
    elif "://" in text or text.startswith("//") or ":" in text.split("/")[0]:
        problem = "" if _is_web(urljoin(base or "http://x/", text)) else "只能是 http:// 或 https:// 地址"
    else:
        problem = ""
    if problem:
        diagnostics.append(source.diagnostic(
            loc, "site-bad-url", f"网页地址{problem}:{value!r} (bad page URL)",
            hint="写相对 site 的路径(/zwgk/zcfg/)或完整的 http(s) 地址。"))
        return None
    return urljoin(base, text) if base is not None else None


def _bundle(value: str, root: Path, source: FileSource, diagnostics: list[Diagnostic]) -> str | None:
    path = Path(value).expanduser()
    path = path if path.is_absolute() else root / path
    if not present(path) or not path.is_file():
        diagnostics.append(source.diagnostic(
            ("ca_bundle",), "site-ca-bundle-missing",
            f"找不到证书文件 {value}(相对 site.yaml 所在文件夹)(CA bundle not found)",
            hint="写 PEM 格式的根证书文件的路径;不写则用系统信任的证书。"))
        return None
    try:
        note(path, digest(path.read_bytes()))  # what a kept answer was judged with
    except OSError:
        note(path, "")
    return str(path.resolve())


def _columns(raw: dict[Any, Any], base: str | None, dataset: Dataset, source: FileSource,
             diagnostics: list[Diagnostic]) -> list[SiteColumn]:
    items = {item.id: item for item in dataset.items}
    column_ids = [i.id for i in dataset.items if i.kind == "column"]
    titles = {i.title: i.id for i in dataset.items if i.kind == "column"}
    seen: dict[str, str] = {}
    found = []
    for key, value in raw.items():
        loc: tuple[Any, ...] = ("columns", key)
        where = source.map.locate(loc, prefer_key=True)
        if not isinstance(key, str) or key not in items:
            guess = titles.get(str(key)) or did_you_mean(str(key), column_ids)
            diagnostics.append(source.diagnostic(
                loc, "site-unknown-column", f"未知的栏目编号 '{key}' (unknown column id)",
                hint=f"是否是 '{guess}'?" if guess else "写 columns.yaml 中栏目的编号,如 C07。",
                prefer_key=True))
            continue
        if items[key].kind != "column":
            diagnostics.append(source.diagnostic(
                loc, "site-not-a-column",
                f"'{key}' 是任务,不是网站栏目:site.yaml 只写栏目 (not a column)",
                hint="任务没有列表页;网站栏目的编号见 columns.yaml。", prefer_key=True))
            continue
        column = _column(key, value, base, source, diagnostics)
        if column is None:
            continue
        column = SiteColumn(column.id, column.url, column.pages, column.selectors,
                            where.line if where else None)
        first = seen.setdefault(column.url.rstrip("/"), key)
        if first != key:
            diagnostics.append(source.diagnostic(
                loc, "site-mapped-twice",
                f"{key} 与 {first} 指向同一个列表页 {column.url} (a page mapped to two columns)",
                hint="一个列表页只对应一个栏目;改正其中一个的地址。"))
            continue
        found.append(column)
    return found


def _column(key: str, value: Any, base: str | None, source: FileSource,
            diagnostics: list[Diagnostic]) -> SiteColumn | None:
    loc: tuple[Any, ...] = ("columns", key)
    if isinstance(value, str):
        url = _page(value, base, loc, source, diagnostics)
        return SiteColumn(key, url) if url else None
    if not isinstance(value, dict):
        diagnostics.append(source.diagnostic(
            loc, "site-bad-column",
            "栏目应写列表页地址,或 {url: …, pages: N} (expected a URL or a mapping)",
            hint="例如 C07: /zwgk/zcfg/flfg/ 或 C39: {url: /zwgk/yhgk/index.html, pages: 3}"))
        return None
    try:
        page = ColumnPage.model_validate(value)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            at = (*loc, *detail["loc"])
            message, hint = translate(detail, at, _PAGE_FIELDS)
            diagnostics.append(source.diagnostic(at, error_kind(detail), message, hint=hint,
                                                 prefer_key=error_kind(detail) == "extra_forbidden"))
        return None
    url = _page(page.url, base, (*loc, "url"), source, diagnostics)
    if url is None:
        return None
    return SiteColumn(key, url, page.pages, Selectors(page.item, page.title, page.date, page.next))
