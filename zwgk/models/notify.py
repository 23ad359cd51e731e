"""notify.yaml's model: where `zwgk notify` sends each department's reminder, and how.

An optional, hand-edited plan file in the data folder. Secrets never live in it: a robot's
webhook (DingTalk's `access_token`, WeCom's `key`), DingTalk's signing secret and the SMTP
password are named by the environment variable that holds them (`webhook_env`, `secret_env`,
`password_env`). The literal fields (`webhook`, `secret`, `password`) are known here only so that
the loader can say exactly why writing one is wrong (zwgk/load/notify.py), instead of calling
it an unknown key. No I/O happens here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from zwgk.models.plan import Count, Model, Text

Via = Literal["dingtalk", "wecom", "email"]
VIAS: tuple[Via, ...] = ("dingtalk", "wecom", "email")
VIA_LABEL: dict[str, str] = {"dingtalk": "钉钉", "wecom": "企业微信", "email": "邮件"}

# An environment variable's name; that it is one (and not the URL or secret itself, pasted here
# by mistake) is checked by the loader, which can then hide the value it echoes.
EnvName = Text
Port = Annotated[int, Strict(), Field(ge=1, le=65535)]
Seconds = Annotated[int, Strict(), Field(ge=1, le=300)]


class Robot(Model):
    """A group robot (DingTalk or WeCom): its webhook from an environment variable; for DingTalk,
    optionally the signing secret of a robot set to 加签."""

    webhook_env: EnvName | None = None
    webhook: Text | None = None  # refused when it holds a token; allowed for a token-less relay
    secret_env: EnvName | None = None
    secret: Text | None = None  # always refused: secrets come from the environment


class Mailbox(Model):
    to: tuple[Text, ...] = Field(min_length=1)
    cc: tuple[Text, ...] = ()


class Route(Model):
    """Where one department's reminder goes: any of the three, each sent once a day."""

    dingtalk: Robot | None = None
    wecom: Robot | None = None
    email: Mailbox | None = None

    def via(self, kind: str) -> Robot | Mailbox | None:
        return getattr(self, kind)  # type: ignore[no-any-return]


class DepartmentRoute(Route):
    dept: Text


class Smtp(Model):
    host: Text
    port: Port = 587
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    sender: Text = Field(alias="from")
    user: Text | None = None
    user_env: EnvName | None = None
    password_env: EnvName | None = None
    password: Text | None = None  # always refused
    timeout: Seconds = 30


class NotifyFile(Model):
    due_within: Count | None = None  # days ahead counted as due soon; None: settings.warn_days
    lead_only: bool = False  # only the items a department leads (not those it holds through 各处室)
    timeout: Seconds = 10  # seconds per robot request
    smtp: Smtp | None = None
    departments: tuple[DepartmentRoute, ...] = ()
    default: Route | None = None  # every other department that has something to be told


# Every key notify.yaml knows, for did-you-mean on a misspelt one.
NOTIFY_FIELDS: tuple[str, ...] = (
    "due_within", "lead_only", "timeout", "smtp", "departments", "default", "dept", "dingtalk",
    "wecom", "email", "webhook_env", "webhook", "secret_env", "secret", "to", "cc", "host", "port",
    "tls", "from", "user", "user_env", "password_env", "password",
)
