"""Reading notify.yaml: where `zwgk notify` sends each department's reminder.

The same reader as the other plan files (yamlsource.py with positions, pydantic's errors at
their line, in Chinese), then the checks a model cannot make: departments known to owners.yaml
(with did-you-mean), each robot with exactly one webhook, URLs that are URLs, mail addresses
that are addresses, and no secret written into the file — a webhook holding its
`access_token=`/`key=`, a `secret:` or a `password:` is an error whose excerpt hides the value.
The file is optional: absent, it is simply not there (`NotifyRead.present`); only `zwgk notify`
requires it. Nothing here reads the environment: which variables are set is asked at send time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import ValidationError

from zwgk.errors import Diagnostic, did_you_mean
from zwgk.load.files import present
from zwgk.load.plan import read_yaml
from zwgk.load.validation import FileSource, translate
from zwgk.models import OwnersFile, canonical_owners, normalise_name
from zwgk.models.notify import NOTIFY_FIELDS, VIAS, Mailbox, NotifyFile, Robot, Route

NOTIFY_FILE = "notify.yaml"
# Query parameters that make a webhook URL a credential: DingTalk's and WeCom's robot tokens,
# and a signature copied along with them.
SECRET_PARAMS = frozenset({"access_token", "key", "token", "sign", "secret"})
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"'.]+$")
_SECRET_FIELDS = frozenset({"webhook_env", "secret_env", "password_env", "user_env", "webhook",
                            "secret", "password"})
ENV_HINT = ("这里写环境变量的名字(如 DINGTALK_WEBHOOK_ZCFGC),"
            "网址或密钥本身放在该环境变量里(CI 的 Secrets/Variables)。")


@dataclass(frozen=True)
class NotifyRead:
    config: NotifyFile | None  # None when absent or invalid
    source: FileSource | None
    diagnostics: tuple[Diagnostic, ...]
    present: bool

    @property
    def ok(self) -> bool:
        return self.config is not None and not any(d.severity == "error" for d in self.diagnostics)

    def where(self, loc: tuple[Any, ...]) -> str:
        """`data/notify.yaml:12:18` for a value of the file (the file's name if it has no place)."""
        if self.source is None:
            return NOTIFY_FILE
        span = self.source.map.locate(loc)
        return f"{self.source.path}:{span.line}:{span.col}" if span else self.source.path


def load_notify(folder: Path, owners: OwnersFile | None) -> NotifyRead:
    """notify.yaml of a data folder, validated; `owners` (None when owners.yaml is broken) lets
    departments be checked against the plan."""
    path = folder / NOTIFY_FILE
    if not present(path):  # noted when absent: a kept answer misses once it appears
        return NotifyRead(None, None, (), False)
    diagnostics: list[Diagnostic] = []
    read = read_yaml(path, diagnostics, allow_empty=True)  # only comments: nothing configured yet
    if read is None:
        return NotifyRead(None, None, tuple(diagnostics), True)
    data, source = read
    if not isinstance(data, dict):
        diagnostics.append(source.diagnostic((), "not-a-mapping",
                                             "文件顶层应是键值映射 (top level must be a mapping)",
                                             hint="参考 zwgk init 生成的 notify.yaml 模板。"))
        return NotifyRead(None, source, tuple(diagnostics), True)
    try:
        config = NotifyFile.model_validate(data)
    except ValidationError as error:
        diagnostics += model_diagnostics(error, source)
        return NotifyRead(None, source, tuple(diagnostics), True)
    diagnostics += check_notify(config, source, owners)
    return NotifyRead(config, source, tuple(diagnostics), True)


def model_diagnostics(error: ValidationError, source: FileSource) -> list[Diagnostic]:
    """pydantic's errors at their line, did-you-mean among notify.yaml's own keys, and never the
    value of a field that may hold a secret echoed back (it would land in a CI log)."""
    found = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        message, hint = translate(detail, loc, NOTIFY_FIELDS)
        secretish = field in _SECRET_FIELDS and detail["type"] != "extra_forbidden"
        if secretish:
            message = f"'{field}' 应为环境变量名 (expected the name of an environment variable)" \
                if field.endswith("_env") else f"'{field}' 的值无效 (invalid value)"
            hint = ENV_HINT if field.endswith("_env") else hint
        found.append(_masked(source.diagnostic(loc, detail["type"], message, hint=hint,
                                               prefer_key=detail["type"] == "extra_forbidden"))
                     if secretish else
                     source.diagnostic(loc, detail["type"], message, hint=hint,
                                       prefer_key=detail["type"] == "extra_forbidden"))
    return found


def routes(config: NotifyFile) -> Iterator[tuple[tuple[Any, ...], Route]]:
    """Every route with its place in the file: each department's, then the default."""
    for index, entry in enumerate(config.departments):
        yield ("departments", index), entry
    if config.default is not None:
        yield ("default",), config.default


def check_notify(config: NotifyFile, source: FileSource, owners: OwnersFile | None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for at, route in routes(config):
        if all(route.via(kind) is None for kind in VIAS):
            found.append(source.diagnostic(at, "notify-empty-route",
                                           "没有写发往哪里 (a route needs dingtalk, wecom or email)",
                                           hint="写 dingtalk、wecom 或 email 中的至少一项。"))
        for kind in ("dingtalk", "wecom"):
            robot = route.via(kind)
            if isinstance(robot, Robot):
                found += _check_robot(robot, (*at, kind), kind, source)
        mailbox = route.email
        if isinstance(mailbox, Mailbox):
            if config.smtp is None:
                found.append(source.diagnostic((*at, "email"), "notify-no-smtp",
                                               "发邮件需要 smtp 设置 (email needs an smtp section)",
                                               prefer_key=True,
                                               hint="在文件顶层写 smtp: {host, port, from, …}。"))
            for name in ("to", "cc"):
                for index, address in enumerate(getattr(mailbox, name)):
                    found += _check_address(address, (*at, "email", name, index), source)
    found += _check_smtp(config, source)
    found += _check_departments(config, source, owners)
    return sorted(found, key=lambda d: (d.line or 0, d.col or 0))


def _check_robot(robot: Robot, at: tuple[Any, ...], kind: str, source: FileSource) -> list[Diagnostic]:
    found = _check_env_names(robot, at, ("webhook_env", "secret_env"), source)
    if robot.secret is not None:
        found.append(_secret(source, (*at, "secret"), "签名密钥", "secret_env"))
    if kind == "wecom" and (robot.secret_env or robot.secret):
        found.append(source.diagnostic((*at, "secret_env" if robot.secret_env else "secret"),
                                       "notify-wecom-secret",
                                       "企业微信群机器人没有加签密钥 (WeCom robots are not signed)",
                                       prefer_key=True,
                                       hint="删除这一行:企业微信的 webhook 地址中的 key 就是凭据。"))
    if robot.webhook is not None and robot.webhook_env is not None:
        found.append(source.diagnostic((*at, "webhook"), "notify-two-webhooks",
                                       "webhook 与 webhook_env 只能写一个 "
                                       "(write one of webhook, webhook_env)",
                                       prefer_key=True))
    elif robot.webhook is None and robot.webhook_env is None:
        found.append(source.diagnostic(at, "notify-no-webhook",
                                       "缺少 webhook_env (missing key 'webhook_env')",
                                       prefer_key=True, hint=ENV_HINT))
    if robot.webhook is not None:
        found += _check_url(robot.webhook, (*at, "webhook"), source)
    return found


def _check_env_names(model: object, at: tuple[Any, ...], names: tuple[str, ...],
                     source: FileSource) -> list[Diagnostic]:
    found = []
    for name in names:
        value = getattr(model, name)
        if value is not None and not _ENV_NAME.match(value):
            found.append(_masked(source.diagnostic(
                (*at, name), "notify-env-name",
                f"'{name}' 应为环境变量名,如 DINGTALK_WEBHOOK_ZCFGC "
                "(expected the name of an environment variable)",
                hint=ENV_HINT + " 若这里已提交过网址或密钥,请到钉钉/企业微信/邮箱后台重置它。")))
    return found


def _check_url(url: str, at: tuple[Any, ...], source: FileSource) -> list[Diagnostic]:
    """A webhook written in the file: only a token-less relay's address may be."""
    parts = urlsplit(url)
    if {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)} & SECRET_PARAMS:
        return [_secret(source, at, " webhook 地址(含 access_token/key)", "webhook_env")]
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        return [source.diagnostic(at, "notify-bad-url", f"不是 http(s) 网址:{url!r} (not an http(s) URL)",
                                  hint="写成 https://主机/路径;"
                                  "钉钉、企业微信的地址含凭据,请用 webhook_env。")]
    return []


def _check_address(address: str, at: tuple[Any, ...], source: FileSource) -> list[Diagnostic]:
    if _ADDRESS.match(address):
        return []
    return [source.diagnostic(at, "notify-bad-address", f"不是邮件地址:{address!r} (not an email address)",
                              hint="写成 name@example.gov.cn,一行一个地址。")]


def _check_smtp(config: NotifyFile, source: FileSource) -> list[Diagnostic]:
    smtp = config.smtp
    if smtp is None:
        return []
    found = _check_env_names(smtp, ("smtp",), ("user_env", "password_env"), source)
    if smtp.password is not None:
        found.append(_secret(source, ("smtp", "password"), "邮箱密码", "password_env"))
    if "://" in smtp.host or "/" in smtp.host or any(c.isspace() for c in smtp.host):
        found.append(source.diagnostic(("smtp", "host"), "notify-bad-host",
                                       f"smtp.host 应是主机名,而不是 {smtp.host!r} (expected a host name)",
                                       hint="如 smtp.example.gov.cn;端口写在 port。"))
    if smtp.user is not None and smtp.user_env is not None:
        found.append(source.diagnostic(("smtp", "user_env"), "notify-two-users",
                                       "user 与 user_env 只能写一个 (write one of user, user_env)",
                                       prefer_key=True))
    if smtp.tls == "none" and (smtp.password_env or smtp.password):
        found.append(source.diagnostic(("smtp", "tls"), "notify-plain-password",
                                       "不加密的连接不能发送密码 "
                                       "(no password over an unencrypted connection)",
                                       hint="tls 写 starttls(端口 587/25)或 ssl(端口 465)。"))
    found += _check_address(smtp.sender, ("smtp", "from"), source)
    return found


def _check_departments(config: NotifyFile, source: FileSource, owners: OwnersFile | None) -> list[Diagnostic]:
    if owners is None:
        return []  # owners.yaml has errors of its own: nothing to check the names against
    names = canonical_owners(owners)
    known = [owner.name for owner in owners.owners] + [group.name for group in owners.groups]
    seen: dict[str, int] = {}
    found: list[Diagnostic] = []
    for index, entry in enumerate(config.departments):
        name = names.get(normalise_name(entry.dept))
        if name is None:
            guess = did_you_mean(entry.dept, known)
            found.append(source.diagnostic(("departments", index, "dept"), "unknown-owner",
                                           f"未知的处室 '{entry.dept}' (unknown department)",
                                           hint=f"是否是 '{guess}'?" if guess
                                           else "处室名称应与 owners.yaml 一致。"))
        elif name in seen:
            found.append(source.diagnostic(("departments", index, "dept"), "duplicate-dept",
                                           f"处室 '{name}' 已在第 {seen[name] + 1} 项写过 "
                                           "(department listed twice)",
                                           hint="把两项合并为一项。"))
        else:
            seen[name] = index
    return found


def _secret(source: FileSource, at: tuple[Any, ...], what: str, use: str) -> Diagnostic:
    return _masked(source.diagnostic(
        at, "notify-literal-secret",
        f"不能把{what}写在 notify.yaml 里 (a secret written into the repository)",
        hint=f"改用 {use}: 环境变量名,把值放进该环境变量(CI 的 Secrets);"
        "已提交的密钥请到钉钉/企业微信/邮箱后台重置。"))


def _masked(diagnostic: Diagnostic) -> Diagnostic:
    """The excerpt with the value under the caret hidden: it may be a secret."""
    line, col = diagnostic.source_line, diagnostic.col
    if line is None or col is None:
        return diagnostic
    start, end = col - 1, col - 1 + diagnostic.width
    return replace(diagnostic, source_line=line[:start] + "*" * (end - start) + line[end:])


def notify_diagnostics(folder: Path, owners: OwnersFile | None) -> tuple[Diagnostic, ...]:
    """What `zwgk validate` adds for a data folder's notify.yaml (nothing when there is none)."""
    return load_notify(folder, owners).diagnostics
