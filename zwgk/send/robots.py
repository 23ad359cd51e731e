"""DingTalk and WeCom group robots: one JSON POST to the webhook, the robot's reply checked.

DingTalk's 加签 (signed request): `timestamp` (milliseconds) and `sign` =
urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}"))) added to the webhook's query, as
DingTalk's robot documentation gives it. Both robots answer HTTP 200 with `{"errcode": 0}` on
success and another errcode (a wrong token, a bad signature, a keyword the robot requires, too
many messages) otherwise: that is a failure, not a success. A connection failure, a timeout or an
HTTP 5xx/429 is tried once more after a pause. Proxies come from the environment (HTTPS_PROXY,
HTTP_PROXY, NO_PROXY), as urllib reads them; redirects are not followed, so the token in the URL
goes nowhere but the configured host. A webhook URL is a credential: no message here shows it,
only the name of the variable that held it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from zwgk.errors import ZwgkError

RETRY_PAUSE = 2.0  # seconds before the one retry
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class SendFailed(ZwgkError):
    """A message could not be delivered (exit 2: an operational failure, not a finding)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is then an HTTPError: reported, not followed


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature of a request, URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    mac = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(mac))


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def post_json(url: str, body: dict[str, Any], timeout: float, shown: str, attempts: int = 2,
              pause: float | None = None, sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """POST `body` as JSON; the reply's JSON object. `shown` names the endpoint in messages."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    opener = urllib.request.build_opener(_NoRedirects())  # with the environment's proxies
    problem = ""
    for attempt in range(attempts):
        if attempt:
            sleep(RETRY_PAUSE if pause is None else pause)
        request = urllib.request.Request(url, data=data, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with opener.open(request, timeout=timeout) as reply:
                raw = reply.read(1_000_000)
        except urllib.error.HTTPError as error:
            problem = f"HTTP {error.code}"
            if error.code in RETRY_STATUSES:
                continue
            raise SendFailed(f"发送到 {shown} 失败:{problem} (the robot refused the request)") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            problem = f"{type(reason).__name__}: {reason}" if not isinstance(reason, str) else reason
            continue
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise SendFailed(f"发送到 {shown} 失败:回复不是 JSON (the reply is not JSON)") from None
        if not isinstance(answer, dict):
            raise SendFailed(f"发送到 {shown} 失败:回复不是 JSON 对象 (unexpected reply)")
        return answer
    raise SendFailed(f"发送到 {shown} 失败(已重试 {attempts - 1} 次):{_scrubbed(problem, url)}")


def _scrubbed(text: str, url: str) -> str:
    """An error's words without the URL's query (the token) in them."""
    query = urllib.parse.urlsplit(url).query
    return text.replace(query, "…") if query else text


def send_robot(via: str, url: str, payload: dict[str, Any], *, secret: str | None, now_ms: int,
               timeout: float, shown: str, **retry: Any) -> None:
    """Send one robot message; SendFailed unless the robot answered errcode 0."""
    target = signed_url(url, secret, now_ms) if via == "dingtalk" and secret else url
    answer = post_json(target, payload, timeout, shown, **retry)
    code = answer.get("errcode")
    if code != 0:
        said = str(answer.get("errmsg", ""))[:200]
        robot = "钉钉" if via == "dingtalk" else "企业微信"
        raise SendFailed(f"{robot}机器人 {shown} 拒收:errcode {code} {said}"
                         + (" (签名不对:检查 secret_env 的值与机器人的加签密钥)" if code == 310000 else ""))
