"""Answers that must not outlive what they were judged by: a site.yaml's CA bundle, a notify.yaml
appearing, a followed unit's own journal two levels up — each a reproducer from review."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import TESTS, run_cli

from zwgk.load import load_dataset

MINI = TESTS / "fixtures" / "mini"


def validate(data: Path, env: dict[str, str] | None = None) -> int:
    return run_cli("validate", "--data", str(data), env=env).exit_code


def test_a_removed_ca_bundle_is_seen_by_the_next_validate(mini_data: Path) -> None:
    (mini_data / "certs").mkdir()
    (mini_data / "certs" / "ca.pem").write_text("pem\n", encoding="utf-8")
    (mini_data / "site.yaml").write_text("site: https://www.example.gov.cn\nca_bundle: certs/ca.pem\n"
                                         "columns:\n  C01: /zwgk/flfg/\n", encoding="utf-8")
    from zwgk.load.files import noting

    with noting() as inputs:
        assert load_dataset(mini_data).ok
    assert str(mini_data / "certs" / "ca.pem") in inputs, "the bundle is an input of the load"
    (mini_data / "certs" / "ca.pem").unlink()
    with noting():
        found = load_dataset(mini_data)
    assert any(d.code == "site-ca-bundle-missing" for d in found.diagnostics)


def test_a_notify_yaml_that_appears_is_an_input_of_validate(mini_data: Path) -> None:
    from zwgk.load.files import noting
    from zwgk.load.notify import load_notify

    with noting() as inputs:
        load_notify(mini_data, None)
    assert inputs.get(str(mini_data / "notify.yaml")) == "", "its absence is noted"


def test_a_unit_two_follows_down_reads_neither_parents_journal(tmp_path: Path) -> None:
    prov, city, district = tmp_path / "prov", tmp_path / "city", tmp_path / "district"
    shutil.copytree(MINI, prov)
    for unit, parent in ((city, "../prov"), (district, "../city")):
        unit.mkdir()
        (unit / "settings.yaml").write_text(f"unit: {unit.name}\ntracking_since: 2026-01-01\nfollows: {parent}\n",
                                            encoding="utf-8")
    for unit in (prov, city):
        (unit / "journal").mkdir()
        (unit / "journal" / "2026.jsonl").write_text("{broken\n", encoding="utf-8")
    found = load_dataset(district)
    assert found.dataset is not None and not [d for d in found.diagnostics if d.severity == "error"]
    assert not [name for name in found.inputs if "/journal" in name and "district" not in name]
