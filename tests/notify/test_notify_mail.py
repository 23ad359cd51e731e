"""`zwgk notify` by email, against aiosmtpd on 127.0.0.1: STARTTLS required before the login and
the message, a certificate from a throwaway CA trusted through SSL_CERT_FILE, text and HTML parts,
once a day, and the failures a clerk can meet (no STARTTLS, an untrusted certificate, a refused
login)."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli, write_yaml
from notify_servers import Mailbox, smtp_server

AS_OF = "2026-11-26"


def routes(port: int, tls: str = "starttls") -> str:
    return f"""
        smtp:
          host: 127.0.0.1
          port: {port}
          tls: {tls}
          from: zwgk@example.gov.cn
          user: zwgk@example.gov.cn
          password_env: ZWGK_SMTP_PASSWORD
          timeout: 10
        departments:
          - dept: 办公室
            email: {{to: [bgs@example.gov.cn], cc: [gkb@example.gov.cn]}}
        """


@pytest.fixture(autouse=True)
def _own_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ZWGK_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr("zwgk.send.robots.RETRY_PAUSE", 0.0)


@pytest.fixture
def mailbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    with smtp_server(tmp_path) as box:
        assert box.ca_file is not None
        monkeypatch.setenv("SSL_CERT_FILE", str(box.ca_file))  # as an office trusts its intranet CA
        yield box


def notify(data: Path, *args: str, password: str = "right-password"):  # type: ignore[no-untyped-def]
    return run_cli("notify", "--data", str(data), "--as-of", AS_OF, *args,
                   env={"ZWGK_SMTP_PASSWORD": password})


def test_the_mail_arrives_over_starttls_once_with_text_and_html(mini_data: Path, mailbox: Mailbox) -> None:
    write_yaml(mini_data, "notify.yaml", routes(mailbox.port))
    result = notify(mini_data)
    assert result.exit_code == 0, result.output
    (envelope,) = mailbox.messages
    assert mailbox.tls == [True]
    assert mailbox.logins == [(b"zwgk@example.gov.cn", b"right-password")]
    assert envelope.mail_from == "zwgk@example.gov.cn"
    assert sorted(envelope.rcpt_tos) == ["bgs@example.gov.cn", "gkb@example.gov.cn"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert "办公室" in message["Subject"] and "逾期 4 项" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for item in ("C01", "C02", "T01", "T03"):
        assert item in text and item in html
    assert "<table" in html
    assert notify(mini_data).exit_code == 0
    assert len(mailbox.messages) == 1  # the same day: not again
    assert notify(mini_data, "--force").exit_code == 0
    assert len(mailbox.messages) == 2


def test_a_refused_login_is_exit_2_and_not_retried(mini_data: Path, mailbox: Mailbox) -> None:
    write_yaml(mini_data, "notify.yaml", routes(mailbox.port))
    result = notify(mini_data, password="wrong")
    assert result.exit_code == 2
    assert "拒绝登录" in result.output and "wrong" not in result.output
    assert "已重试" not in result.output  # smtplib itself tries PLAIN, then LOGIN: one connection
    assert len(mailbox.logins) == 2
    assert mailbox.messages == []


def test_an_untrusted_certificate_is_refused(mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(tmp_path) as box:  # its CA is not trusted here
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        write_yaml(mini_data, "notify.yaml", routes(box.port))
        result = notify(mini_data)
    assert result.exit_code == 2
    assert "证书无法验证" in result.output and "SSL_CERT_FILE" in result.output
    assert box.messages == []


def test_a_server_without_starttls_is_refused_before_the_password(mini_data: Path, tmp_path: Path) -> None:
    with smtp_server(tmp_path, starttls=False) as box:
        write_yaml(mini_data, "notify.yaml", routes(box.port))
        result = notify(mini_data)
    assert result.exit_code == 2
    assert "不支持 STARTTLS" in result.output
    assert box.logins == [] and box.messages == []


def test_a_server_that_is_not_there_is_tried_twice_then_exit_2(mini_data: Path) -> None:
    from notify_servers import free_port

    write_yaml(mini_data, "notify.yaml", routes(free_port()))
    result = notify(mini_data)
    assert result.exit_code == 2
    assert "已重试 1 次" in result.output


def test_email_needs_smtp_and_real_addresses(mini_data: Path) -> None:
    write_yaml(mini_data, "notify.yaml", """
        departments:
          - dept: 办公室
            email: {to: [bgs at example.gov.cn]}
        """)
    result = run_cli("validate", "--data", str(mini_data))
    assert result.exit_code == 2
    assert "notify.yaml:3:5: 错误 [notify-no-smtp]" in result.output
    assert "notify.yaml:3:18: 错误 [notify-bad-address]" in result.output
