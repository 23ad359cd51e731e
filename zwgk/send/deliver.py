"""One `zwgk notify` run: every message rendered, its secrets read from the environment, each sent
once a day (the sent-log), and what happened to each as a value the command line prints.

Secrets are read before anything is sent: a variable that is unset, empty, or not a URL where a
URL belongs is an error naming the variable and the line of notify.yaml that names it, and then
nothing at all is sent (exit 2). One failed message does not stop the others; each success is
recorded as soon as it is sent, so a second run sends only what failed.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from zwgk.errors import UserError
from zwgk.models.notify import Mailbox, NotifyFile, Robot
from zwgk.report.reminder import RENDER, Message
from zwgk.send.robots import SendFailed
from zwgk.send.sentlog import Key, SentLog
from zwgk.summary.reminders import Outgoing

if TYPE_CHECKING:
    import ssl

    from zwgk.load.notify import NotifyRead

Outcome_ = Literal["sent", "skipped", "failed", "dry-run"]
# A DingTalk robot takes at most 20 messages a minute (WeCom's likewise): messages to one robot
# (a `default` route shared by many departments) are spaced by this many seconds.
ROBOT_SPACING = 3.1


@dataclass(frozen=True)
class Outcome:
    outgoing: Outgoing
    message: Message
    status: Outcome_
    reason: str | None = None  # why skipped or failed
    already: str | None = None  # when it was sent before, today (skipped, or a dry run)


@dataclass(frozen=True)
class Secrets:
    url: str | None = None  # a robot's webhook
    secret: str | None = None  # DingTalk's signing secret
    user: str | None = None  # SMTP
    password: str | None = None


def messages(items: Sequence[Outgoing]) -> list[Message]:
    return [RENDER[item.via](item.reminder) for item in items]


def read_secrets(items: Sequence[Outgoing], config: NotifyFile, read: NotifyRead,
                 environ: Mapping[str, str]) -> list[Secrets]:
    """Each message's secrets; every variable missing or wrong is listed in one UserError."""
    problems: list[str] = []

    def value(name: str | None, at: tuple[object, ...]) -> str | None:
        if name is None:
            return None
        found = environ.get(name, "").strip()
        if not found:
            problems.append(f"环境变量 {name} 没有设置或为空 ({read.where(at)})")
            return None
        return found

    found = []
    for item in items:
        target = item.target
        if isinstance(target, Robot):
            at = (*item.at, "webhook_env")
            url = value(target.webhook_env, at) if target.webhook_env else target.webhook
            parts = urlsplit(url or "")
            if url is not None and (parts.scheme not in ("http", "https") or not parts.hostname):
                problems.append(f"环境变量 {target.webhook_env} 的值不是 http(s) 网址 ({read.where(at)})")
            secret = value(target.secret_env, (*item.at, "secret_env")) if item.via == "dingtalk" else None
            found.append(Secrets(url=url, secret=secret))
        else:
            smtp = config.smtp
            assert smtp is not None  # the loader requires smtp for every email route
            user = value(smtp.user_env, ("smtp", "user_env")) if smtp.user_env else smtp.user
            found.append(Secrets(user=user, password=value(smtp.password_env, ("smtp", "password_env"))))
    if problems:
        unique = list(dict.fromkeys(problems))
        raise UserError(f"notify.yaml 需要的 {len(unique)} 个环境变量有问题,未发送任何消息 "
                        "(missing secrets: nothing sent)",
                        (*unique, "密钥只从环境变量读取:在 CI 的 Secrets 中设置,或在本机 export 后再运行。"))
    return found


def key_of(item: Outgoing) -> Key:
    return Key(item.reminder.as_of, item.reminder.dept, item.via, item.destination)


def dry_run(items: Sequence[Outgoing], log: SentLog) -> list[Outcome]:
    """What would be sent, and what was sent already today; nothing is sent or written."""
    outcomes = []
    for item, message in zip(items, messages(items), strict=True):
        before = log.sent(key_of(item))
        outcomes.append(Outcome(item, message, "dry-run", already=before.get("at") if before else None))
    return outcomes


def deliver(items: Sequence[Outgoing], config: NotifyFile, read: NotifyRead, environ: Mapping[str, str],
            log: SentLog, now: datetime, *, force: bool = False,
            context: ssl.SSLContext | None = None) -> list[Outcome]:
    rendered = messages(items)
    found = read_secrets(items, config, read, environ)
    log.prepare()
    outcomes = []
    last_sent: dict[str, float] = {}  # robot destination → when a message last went to it
    for item, message, secrets in zip(items, rendered, found, strict=True):
        key = key_of(item)
        with log.holding():  # deciding, sending and recording as one step: two runs cannot both send
            before = None if force else log.sent(key)
            if before is not None:
                outcomes.append(Outcome(item, message, "skipped", "今天已发送 (already sent today)",
                                        already=before.get("at")))
                continue
            if item.via != "email" and item.destination in last_sent:
                time.sleep(max(0.0, last_sent[item.destination] + ROBOT_SPACING - time.monotonic()))
            try:
                _send(item, message, secrets, config, now, context)
            except SendFailed as error:
                outcomes.append(Outcome(item, message, "failed", " ".join((error.message, *error.details))))
                continue
            last_sent[item.destination] = time.monotonic()
            log.record(key, message.digest, now.isoformat())
            outcomes.append(Outcome(item, message, "sent"))
    return outcomes


def _send(item: Outgoing, message: Message, secrets: Secrets, config: NotifyFile, now: datetime,
          context: ssl.SSLContext | None) -> None:
    target = item.target
    if isinstance(target, Mailbox):
        from zwgk.send.mail import compose, send_mail

        assert config.smtp is not None
        mail = compose(config.smtp, target.to, target.cc, message.title, message.text, message.html)
        send_mail(config.smtp, mail, user=secrets.user, password=secrets.password, context=context)
        return
    from zwgk.send.robots import send_robot

    assert secrets.url is not None
    send_robot(item.via, secrets.url, message.payload, secret=secrets.secret,
               now_ms=int(now.timestamp() * 1000), timeout=config.timeout, shown=item.destination)
