"""`zwgk notify` through DingTalk and WeCom group robots, against a robot endpoint on 127.0.0.1:
the signed request DingTalk checks, the JSON body, the robot's errcode, one retry, proxies from
the environment, no redirects, once a day unless --force, and secrets only from the environment."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from conftest import MINI, run_cli, tree_bytes, write_yaml
from notify_servers import Robot, proxy_server, robot_server

AS_OF = "2026-11-26"
SECRET = "SEC0123456789abcdef-test-secret"
TOKEN = "TOKEN-not-to-be-shown"

ROUTES = """
departments:
  - dept: 政策法规处
    dingtalk: {webhook_env: DT_ZCFGC, secret_env: DT_SECRET}
  - dept: 规划科技处
    wecom: {webhook_env: WECOM_GHKJ}
"""


@pytest.fixture(autouse=True)
def _quiet_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No proxy from the machine, no pause before the retry, a state folder of the test's own."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("zwgk.send.robots.RETRY_PAUSE", 0.0)
    monkeypatch.setattr("zwgk.send.deliver.ROBOT_SPACING", 0.0)
    monkeypatch.setenv("ZWGK_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def robot() -> Iterator[Robot]:
    with robot_server() as server:
        yield server


@pytest.fixture
def data(mini_data: Path) -> Path:
    write_yaml(mini_data, "notify.yaml", ROUTES)
    return mini_data


def env(robot: Robot, **more: str) -> dict[str, str]:
    return {"DT_ZCFGC": robot.url(), "DT_SECRET": SECRET,
            "WECOM_GHKJ": robot.url("/cgi-bin/webhook/send?key=WECOM-KEY"), **more}


def notify(data: Path, *args: str, environ: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run_cli("notify", "--data", str(data), "--as-of", AS_OF, *args, env=environ)


def test_a_departments_dingtalk_message_arrives_once_signed_with_its_overdue_items(data: Path, robot: Robot) -> None:
    result = notify(data, "--dept", "政策法规处", environ=env(robot))
    assert result.exit_code == 0, result.output
    (request,) = robot.seen
    assert request.path == "/robot/send"
    assert request.query["access_token"] == [TOKEN]
    timestamp = request.query["timestamp"][0]
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert request.query["sign"] == [expected]  # parse_qs has undone the URL encoding
    assert request.headers["Content-Type"].startswith("application/json")
    body = request.json
    assert body["msgtype"] == "markdown"
    assert "政策法规处" in body["markdown"]["title"]
    text = body["markdown"]["text"]
    for item in ("C01", "C02", "T01", "T03"):  # what `zwgk overdue --dept 政策法规处` lists
        assert item in text
    assert "逾期:4 项" in text
    assert "已发送" in result.output
    # the same morning again: nothing new
    again = notify(data, "--dept", "政策法规处", environ=env(robot))
    assert again.exit_code == 0
    assert len(robot.seen) == 1
    assert "跳过" in again.output


def test_the_signature_is_the_documented_one() -> None:
    from zwgk.send.robots import dingtalk_sign, signed_url

    # HMAC-SHA256(secret, "timestamp\nsecret"), base64, then URL-encoded (+ / = escaped)
    raw = base64.b64encode(hmac.new(b"SECx", b"1700000000000\nSECx", hashlib.sha256).digest()).decode()
    assert unquote_plus(dingtalk_sign("SECx", 1700000000000)) == raw
    assert "+" not in dingtalk_sign("SECx", 1700000000000).replace("%2B", "")
    url = signed_url("https://oapi.example/robot/send?access_token=t", "SECx", 1700000000000)
    assert url.startswith("https://oapi.example/robot/send?access_token=t&timestamp=1700000000000&sign=")


def test_force_sends_again_and_a_new_day_sends_again(data: Path, robot: Robot) -> None:
    assert notify(data, "--via", "dingtalk", environ=env(robot)).exit_code == 0
    assert len(robot.seen) == 1
    assert notify(data, "--via", "dingtalk", "--force", environ=env(robot)).exit_code == 0
    assert len(robot.seen) == 2
    tomorrow = run_cli("notify", "--data", str(data), "--as-of", "2026-11-27", "--via", "dingtalk", env=env(robot))
    assert tomorrow.exit_code == 0
    assert len(robot.seen) == 3


def test_wecom_gets_its_own_markdown_body(data: Path, robot: Robot) -> None:
    result = notify(data, "--via", "wecom", environ=env(robot))
    assert result.exit_code == 0, result.output
    (request,) = robot.seen
    assert request.query == {"key": ["WECOM-KEY"]}
    body = request.json
    assert body["msgtype"] == "markdown"
    assert set(body["markdown"]) == {"content"}
    assert "规划科技处" in body["markdown"]["content"]
    assert '<font color="warning">' in body["markdown"]["content"]
    assert len(body["markdown"]["content"].encode("utf-8")) <= 4096


def test_a_refusing_robot_is_a_failure_exit_2_and_is_sent_again_next_run(data: Path, robot: Robot) -> None:
    robot.answers = [(200, {"errcode": 310000, "errmsg": "sign not match"}), (200, {"errcode": 0})]
    result = notify(data, "--via", "dingtalk", environ=env(robot))
    assert result.exit_code == 2
    assert "errcode 310000" in result.output
    assert "secret_env" in result.output  # what to check
    assert TOKEN not in result.output and SECRET not in result.output
    retried = notify(data, "--via", "dingtalk", environ=env(robot))
    assert retried.exit_code == 0  # the failure was not recorded as sent
    assert len(robot.seen) == 2


def test_a_server_error_is_tried_once_more(data: Path, robot: Robot) -> None:
    robot.answers = [(500, b"oops"), (200, {"errcode": 0})]
    result = notify(data, "--via", "dingtalk", environ=env(robot))
    assert result.exit_code == 0, result.output
    assert len(robot.seen) == 2
    robot.answers = [(503, b"down")]
    failed = notify(data, "--via", "dingtalk", "--force", environ=env(robot))
    assert failed.exit_code == 2
    assert len(robot.seen) == 4  # two tries, no more
    assert "HTTP 503" in failed.output and TOKEN not in failed.output


def test_one_failure_does_not_stop_the_other_messages(data: Path, robot: Robot) -> None:
    with robot_server() as wecom:
        result = notify(data, environ={**env(robot), "WECOM_GHKJ": wecom.url("/cgi-bin/webhook/send?key=K")})
        robot.answers = [(200, {"errcode": 0})]
    assert result.exit_code == 0, result.output
    assert len(robot.seen) == 1 and len(wecom.seen) == 1


def test_a_redirect_is_not_followed(data: Path, robot: Robot) -> None:
    robot.answers = [(302, b"")]
    result = notify(data, "--via", "dingtalk", environ=env(robot))
    assert result.exit_code == 2
    assert "HTTP 302" in result.output
    assert len(robot.seen) == 1


def test_proxies_come_from_the_environment(data: Path) -> None:
    with proxy_server() as proxy:
        result = notify(data, "--via", "dingtalk", environ={
            "DT_ZCFGC": f"http://robot.example.invalid/robot/send?access_token={TOKEN}", "DT_SECRET": SECRET,
            "http_proxy": f"http://127.0.0.1:{proxy.port}", "WECOM_GHKJ": "http://unused.invalid/"})
    assert result.exit_code == 0, result.output
    (request,) = proxy.seen
    assert request.path.startswith("http://robot.example.invalid/robot/send?access_token=")


def test_dry_run_sends_nothing_and_writes_nothing(data: Path, robot: Robot, tmp_path: Path) -> None:
    before = tree_bytes(data)
    result = notify(data, "--dry-run")  # no secrets needed to look
    assert result.exit_code == 0, result.output
    assert robot.seen == []
    assert "将发送 钉钉 → 政策法规处($DT_ZCFGC)" in result.output
    assert "将发送 企业微信 → 规划科技处($WECOM_GHKJ)" in result.output
    assert "C01" in result.output
    assert "注意" in result.output and "DT_SECRET" in result.output  # what a real run would miss
    assert tree_bytes(data) == before
    assert not (tmp_path / "state").exists()


def test_dry_run_says_what_was_sent_already(data: Path, robot: Robot) -> None:
    assert notify(data, "--via", "dingtalk", environ=env(robot)).exit_code == 0
    result = notify(data, "--via", "dingtalk", "--dry-run", "--json")
    payload = json.loads(result.stdout)
    (message,) = payload["messages"]
    assert message["status"] == "dry-run" and message["already_sent_at"]


def test_missing_secrets_are_named_with_their_line_and_nothing_is_sent(data: Path, robot: Robot) -> None:
    result = notify(data, environ={"DT_ZCFGC": robot.url()})
    assert result.exit_code == 2
    assert "DT_SECRET" in result.output and "WECOM_GHKJ" in result.output
    assert "notify.yaml:3:" in result.output and "notify.yaml:5:" in result.output
    assert robot.seen == []


def test_a_webhook_variable_that_is_not_a_url_is_named(data: Path, robot: Robot) -> None:
    result = notify(data, environ=env(robot, DT_ZCFGC="oapi.dingtalk.com/robot/send?access_token=x"))
    assert result.exit_code == 2
    assert "DT_ZCFGC 的值不是 http(s) 网址" in result.output
    assert "access_token=x" not in result.output
    assert robot.seen == []


def test_json_reports_each_message(data: Path, robot: Robot) -> None:
    result = notify(data, "--json", environ=env(robot))
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["schema"] == 1 and payload["as_of"] == AS_OF and payload["dry_run"] is False
    assert payload["counts"]["sent"] == 2
    first = payload["messages"][0]
    assert first["dept"] == "政策法规处" and first["via"] == "dingtalk" and first["to"] == "$DT_ZCFGC"
    assert first["overdue"] == 4 and first["status"] == "sent" and len(first["digest"]) == 64
    assert TOKEN not in result.stdout


def test_the_sent_log_holds_no_secret_and_lives_in_the_state_folder(data: Path, robot: Robot, tmp_path: Path) -> None:
    assert notify(data, environ=env(robot)).exit_code == 0
    (log,) = (tmp_path / "state" / "notify").glob("*.jsonl")
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {(e["day"], e["dept"], e["via"], e["to"]) for e in lines} == {
        (AS_OF, "政策法规处", "dingtalk", "$DT_ZCFGC"), (AS_OF, "规划科技处", "wecom", "$WECOM_GHKJ")}
    assert TOKEN not in log.read_text(encoding="utf-8") and "WECOM-KEY" not in log.read_text(encoding="utf-8")
    # it survives `zwgk cache clear`
    assert run_cli("cache", "clear").exit_code == 0
    assert log.exists()


def test_state_option_overrides_the_environment(data: Path, robot: Robot, tmp_path: Path) -> None:
    assert notify(data, "--via", "dingtalk", "--state", str(tmp_path / "elsewhere"), environ=env(robot)).exit_code == 0
    assert list((tmp_path / "elsewhere" / "notify").glob("*.jsonl"))
    assert not (tmp_path / "state").exists()


def test_default_route_reaches_every_other_department(mini_data: Path, robot: Robot) -> None:
    write_yaml(mini_data, "notify.yaml", """
        default:
          dingtalk: {webhook_env: DT_ALL}
        """)
    result = notify(mini_data, "--json", environ={"DT_ALL": robot.url()})
    assert result.exit_code == 0, result.output
    depts = [m["dept"] for m in json.loads(result.stdout)["messages"]]
    assert set(depts) == {"办公室", "政策法规处", "规划科技处"}  # 局主要负责人 holds nothing overdue
    assert len(robot.seen) == 3


def test_messages_to_one_robot_are_spaced(mini_data: Path, robot: Robot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A robot takes 20 messages a minute: a default route shared by every department waits between them."""
    import time

    monkeypatch.setattr("zwgk.send.deliver.ROBOT_SPACING", 0.3)
    write_yaml(mini_data, "notify.yaml", """
        default:
          dingtalk: {webhook_env: DT_ALL}
        """)
    started = time.monotonic()
    assert notify(mini_data, environ={"DT_ALL": robot.url()}).exit_code == 0
    assert len(robot.seen) == 3
    assert time.monotonic() - started >= 0.6


def test_a_department_without_a_route_is_an_error(data: Path) -> None:
    result = notify(data, "--dept", "办公室", "--dry-run")
    assert result.exit_code == 2
    assert "没有写 办公室 发往哪里" in result.output


def test_nothing_to_send_is_exit_0(data: Path, robot: Robot) -> None:
    result = run_cli("notify", "--data", str(data), "--as-of", "2026-01-05", "--via", "wecom", env=env(robot))
    assert result.exit_code == 0, result.output
    assert "没有需要提醒的事项" in result.output
    assert robot.seen == []


def test_an_unknown_via_is_refused(data: Path) -> None:
    result = notify(data, "--via", "weixin", "--dry-run")
    assert result.exit_code == 2
    assert "未知的发送方式 weixin" in result.output


def test_no_notify_yaml_says_how_to_start(mini_data: Path) -> None:
    result = notify(mini_data, "--dry-run")
    assert result.exit_code == 2
    assert "notify.yaml" in result.output and "zwgk init" in result.output


def test_two_runs_at_once_send_one_message(data: Path, robot: Robot, tmp_path: Path) -> None:
    """The sent-log is read, the message sent and the log written under one lock."""
    import os
    import subprocess
    import sys

    environ = {**os.environ, **env(robot), "ZWGK_STATE_DIR": str(tmp_path / "state")}
    command = [sys.executable, "-m", "zwgk", "notify", "--data", str(data), "--as-of", AS_OF, "--via", "dingtalk"]
    runs = [subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [run.communicate(timeout=60)[0].decode("utf-8") for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert len(robot.seen) == 1
    assert sum("已发送 钉钉" in out for out in outputs) == 1 and sum("跳过 钉钉" in out for out in outputs) == 1


def test_other_commands_import_nothing_of_notify() -> None:
    import subprocess
    import sys

    probe = ("import sys\nfrom zwgk.cli.app import app\n"
             "try:\n    app(sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
             "print([m for m in ('zwgk.models.notify', 'zwgk.send', 'zwgk.load.notify', 'smtplib',"
             " 'urllib.request') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", probe, "status", "--data", str(MINI), "--as-of", AS_OF],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
