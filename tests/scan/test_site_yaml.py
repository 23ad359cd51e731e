"""site.yaml's validation (zwgk/load/site.py): every fault at its line, all in one run."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write_yaml

from zwgk.load import load_dataset
from zwgk.load.site import load_site


def faults(data: Path, text: str) -> list[tuple[int | None, str, str]]:
    write_yaml(data, "site.yaml", text)
    result = load_dataset(data)
    return [(d.line, d.code, d.message) for d in result.diagnostics if d.path.endswith("site.yaml")]


def test_a_good_site_resolves_every_url(mini_data: Path) -> None:
    write_yaml(mini_data, "site.yaml", """
        site: https://www.example.gov.cn
        home: /
        columns:
          C01: /zwgk/zcfg/flfg/
          C02: {url: mtgz/index.html, pages: 3}
          C04: {url: "http://other.example.gov.cn/fbsl/", item: "ul.list li", date: span}
        """)
    dataset = load_dataset(mini_data).dataset
    assert dataset is not None
    problems: list = []
    site = load_site(mini_data, dataset, problems)
    assert problems == [] and site is not None
    assert [(c.id, c.url, c.pages) for c in site.columns] == [
        ("C01", "https://www.example.gov.cn/zwgk/zcfg/flfg/", 1),
        ("C02", "https://www.example.gov.cn/mtgz/index.html", 3),
        ("C04", "http://other.example.gov.cn/fbsl/", 1),
    ]
    assert site.home == "https://www.example.gov.cn/" and site.columns[2].selectors.item == "ul.list li"


def test_every_fault_is_named_at_its_line(mini_data: Path) -> None:
    found = faults(mini_data, """
        site: www.example.gov.cn
        columns:
          T01: /a/
          C99: /b/
          C01: {url: /c/, pages: 0}
          C02: {url: /d/, page: 2}
          C03: ftp://example.gov.cn/e/
        """)
    assert [(line, code) for line, code, _ in found] == [
        (1, "site-bad-url"), (3, "site-not-a-column"), (4, "site-unknown-column"),
        (5, "greater_than_equal"), (6, "extra_forbidden"), (7, "site-bad-url"),
    ]


def test_a_missing_ca_bundle_and_a_comment_only_file(mini_data: Path) -> None:
    assert [c for _, c, _ in faults(mini_data, "site: https://x.gov.cn\nca_bundle: no.pem\n")] == \
        ["site-ca-bundle-missing"]
    assert faults(mini_data, "# site: https://x.gov.cn\n") == []  # zwgk init's template


def test_status_exits_2_on_a_bad_site_yaml(mini_data: Path) -> None:
    write_yaml(mini_data, "site.yaml", "site: https://x.gov.cn\ncolumns:\n  C77: /a/\n")
    result = run_cli("status", "--data", str(mini_data))
    assert result.exit_code == 2
    assert "site.yaml:3:3" in result.output


def test_init_writes_a_commented_site_yaml(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "office"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "office" / "data" / "site.yaml").read_text(encoding="utf-8")
    assert all(line.startswith("#") or not line.strip() for line in text.splitlines())
    assert run_cli("status", "--data", str(tmp_path / "office" / "data")).exit_code in (0, 1)


def test_status_does_not_import_the_network_stack(mini_data: Path) -> None:
    import json
    import subprocess
    import sys

    write_yaml(mini_data, "site.yaml", "site: https://x.gov.cn\ncolumns:\n  C01: /a/\n")
    probe = ("import json, sys\nfrom zwgk.cli.app import app\ntry:\n    app(sys.argv[1:], standalone_mode=False)\n"
             "except SystemExit:\n    pass\nsys.stderr.write(json.dumps([m for m in ('httpx', 'selectolax', "
             "'protego', 'zwgk.scan') if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", probe, "status", "--data", str(mini_data)],
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
