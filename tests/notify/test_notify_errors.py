"""The notify.yaml reproducers: every folder in tests/notify/errors/ through `validate` and
`notify --dry-run`.

Each folder holds a broken `notify.yaml` (laid over a copy of tests/fixtures/mini) and an
`expect.yaml` in the format of tests/errors/ (see tests/notify/errors/README.md), plus `hidden`:
text of the file (a token, a password) that no output may show. They live here rather than in
tests/errors/ because that runner also expects `status` to fail, and a broken notify.yaml stops
only `validate` and `notify`: the dashboard and the CI gate do not read it.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI, block, run_cli, tree_bytes

ERRORS = Path(__file__).parent / "errors"
CASES = sorted(p.name for p in ERRORS.iterdir() if (p / "expect.yaml").is_file())
KEYS = frozenset({"exit", "code", "file", "line", "col", "message_contains", "hint_contains", "severity",
                  "underline", "hidden"})


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def error_headers(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("data") and ": 错误 [" in line]


def check(output: str, expect: dict[str, Any], data: Path) -> None:
    assert "Traceback" not in output
    assert len(error_headers(output)) == 1, output
    where = os.path.join("data", expect["file"]) + f":{expect['line']}:{expect['col']}"
    lines = block(output, f"{where}: 错误 [{expect['code']}] ")
    if "message_contains" in expect:
        assert expect["message_contains"] in lines[0]
    if "hint_contains" in expect:
        assert any(expect["hint_contains"] in line for line in lines if line.startswith("  = ")), lines
    if "underline" in expect:
        source = (data / expect["file"]).read_text(encoding="utf-8").splitlines()[expect["line"] - 1]
        col = expect["col"]
        assert source[col - 1:].startswith(expect["underline"])
        assert lines[2] == f"{expect['line']} | {source}"
        gutter = " " * len(str(expect["line"]))
        assert lines[3] == f"{gutter} | " + " " * cells(source[: col - 1]) + "^" * cells(expect["underline"])
    if "hidden" in expect:
        assert expect["hidden"] not in output, "a secret from notify.yaml was shown"


@pytest.mark.parametrize("name", CASES)
def test_notify_reproducer(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expect = yaml.safe_load((ERRORS / name / "expect.yaml").read_text(encoding="utf-8"))
    assert set(expect) <= KEYS, set(expect) - KEYS
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    shutil.copy(ERRORS / name / "notify.yaml", data / "notify.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZWGK_STATE_DIR", str(tmp_path / "state"))
    before = tree_bytes(tmp_path)
    validated = run_cli("validate", "--data", "data")
    assert validated.exit_code == expect["exit"], validated.output
    check(validated.output, expect, data)
    notified = run_cli("notify", "--data", "data", "--dry-run")
    assert notified.exit_code == expect["exit"], notified.output
    assert notified.stdout == ""  # no message from a half-read file
    check(notified.output, expect, data)
    assert tree_bytes(tmp_path) == before, "nothing may be written"


def test_every_reproducer_is_listed_and_says_why() -> None:
    readme = (ERRORS / "README.md").read_text(encoding="utf-8")
    assert {p.name for p in ERRORS.iterdir() if p.is_dir()} == set(CASES)
    for name in CASES:
        assert f"| `{name}` |" in readme, name
        assert (ERRORS / name / "expect.yaml").read_text(encoding="utf-8").startswith("# error: ")


def test_a_valid_notify_yaml_passes_validate(mini_data: Path) -> None:
    (mini_data / "notify.yaml").write_text("""\
due_within: 7
lead_only: true
timeout: 5
departments:
  - dept: 法规处   # an alias
    dingtalk: {webhook_env: DINGTALK_WEBHOOK_ZCFGC, secret_env: DINGTALK_SECRET_ZCFGC}
    wecom: {webhook: "https://relay.example.gov.cn/wecom"}   # a relay without a token may be written
default:
  email: {to: [gkb@example.gov.cn], cc: [bgs@example.gov.cn]}
smtp: {host: smtp.example.gov.cn, port: 465, tls: ssl, from: zwgk@example.gov.cn, user_env: SMTP_USER,
       password_env: SMTP_PASSWORD}
""", encoding="utf-8")
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 0, result.output
    assert "notify.yaml" not in result.output


def test_a_comment_only_notify_yaml_is_nothing_configured(mini_data: Path) -> None:
    (mini_data / "notify.yaml").write_text("# 还没有配置\n", encoding="utf-8")
    assert run_cli("validate", "--data", str(mini_data)).exit_code == 0
    result = run_cli("notify", "--data", str(mini_data), "--as-of", "2026-11-26", "--dry-run")
    assert result.exit_code == 0
    assert "没有需要提醒的事项" in result.output


def test_the_init_template_validates_and_sends_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "office"
    assert run_cli("init", str(repo), "--from-bundled").exit_code == 0
    template = (repo / "data" / "notify.yaml").read_text(encoding="utf-8")
    assert "webhook_env" in template and "password_env" in template
    assert run_cli("validate", "--data", str(repo / "data")).exit_code == 0
    result = run_cli("notify", "--data", str(repo / "data"), "--dry-run")
    assert result.exit_code == 0, result.output
