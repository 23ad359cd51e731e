"""The scan tests' website (zwgk/bench/website.py) and a data folder whose site.yaml maps it.

Not a conftest.py: the tests import `conftest` (tests/conftest.py) by name, which a second
conftest here would shadow. Each test module takes the fixtures with `from sitedata import *`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["COLUMNS", "_no_proxy", "scanned_data", "website"]

from zwgk.bench.website import COLUMN_PATHS, Website, realistic_site, site_yaml

COLUMNS = "columns:\n" + "".join(
    f"  - id: {item}\n    path: [网站, 栏目{item}]\n    lead: [政策法规处]\n"
    f"    requirement: 每月不少于1次更新\n    rule: {{kind: periodic, cycle: month}}\n"
    for item in COLUMN_PATHS)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test site is on 127.0.0.1: a proxy in the environment must not be asked for it."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def website() -> Iterator[Website]:
    with realistic_site(slow_seconds=2.0) as site:
        yield site


@pytest.fixture
def scanned_data(mini_data: Path, website: Website) -> Path:
    """The mini fixture with twelve monthly columns C01–C12 and a site.yaml for the test site."""
    (mini_data / "columns.yaml").write_text(COLUMNS, encoding="utf-8")
    (mini_data / "site.yaml").write_text(site_yaml(website), encoding="utf-8")
    return mini_data
