"""Stand-ins for the outside world of `zwgk notify`, all on 127.0.0.1 and started by the tests:
a group-robot endpoint (DingTalk's or WeCom's webhook) that records each request and answers
what the test queued, a forward proxy that records what it was asked for, and an SMTP server
(aiosmtpd) with STARTTLS and a certificate from a throwaway CA (trustme)."""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Robot:
    """A webhook endpoint: each request is recorded; each answer is the next queued one, then the
    last one again (default: 200 with errcode 0)."""

    answers: list[tuple[int, Any]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/robot/send?access_token=TOKEN-not-to-be-shown") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self) -> tuple[int, Any]:
        if len(self.answers) > 1:
            return self.answers.pop(0)
        return self.answers[0] if self.answers else (200, {"errcode": 0, "errmsg": "ok"})


def _handler(robot: Robot) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            parts = urlsplit(self.path)
            robot.seen.append(Seen(self.path if parts.scheme else parts.path, parse_qs(parts.query),
                                   dict(self.headers), body))
            status, reply = robot.answer()
            raw = reply if isinstance(reply, bytes) else json.dumps(reply).encode("utf-8")
            self.send_response(status)
            if status in (301, 302, 307):
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def robot_server() -> Iterator[Robot]:
    robot = Robot()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(robot))
    robot.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield robot
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[Any] = field(default_factory=list)  # aiosmtpd envelopes
    tls: list[bool] = field(default_factory=list)  # whether each message came over TLS
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)
    port: int = 0
    ca_file: Path | None = None


@contextmanager
def smtp_server(folder: Path, starttls: bool = True) -> Iterator[Mailbox]:
    """aiosmtpd on 127.0.0.1; with `starttls`, STARTTLS required before AUTH and MAIL, the
    certificate for 127.0.0.1 issued by a CA written to `folder/ca.pem` (mailbox.ca_file)."""
    import trustme
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = Mailbox(port=free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.messages.append(envelope)
            box.tls.append(session.ssl is not None)
            return "250 OK"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            box.logins.append((auth_data.login, auth_data.password))
            # handled=False: aiosmtpd then answers 535 itself
            return AuthResult(success=auth_data.password == b"right-password", handled=False)
        return AuthResult(success=False, handled=False)

    options: dict[str, Any] = {"authenticator": authenticator, "auth_require_tls": starttls}
    if starttls:
        ca = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        box.ca_file = folder / "ca.pem"
        ca.cert_pem.write_to_path(str(box.ca_file))
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, **options)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@contextmanager
def proxy_server() -> Iterator[Robot]:
    """A forward proxy that never forwards: it records the absolute URL it was asked for and answers
    as a robot would, proving that requests went through it (and nowhere else)."""
    with robot_server() as proxy:
        yield proxy
