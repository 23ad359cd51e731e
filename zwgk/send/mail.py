"""Email through the office's SMTP server: STARTTLS (or SMTPS on 465), a login when a password is
given, text and HTML parts, a timeout, and one retry after a pause for a failure that may pass
(a dropped connection, a timeout, a 4xx answer). The certificate is verified against the
system's trust store; an intranet CA is added with SSL_CERT_FILE, as OpenSSL reads it. A
refused login or a refused address is not retried.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from zwgk.models.notify import Smtp
from zwgk.send import robots
from zwgk.send.robots import SendFailed


def compose(smtp: Smtp, to: Sequence[str], cc: Sequence[str], subject: str, text: str,
            html: str | None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = smtp.sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or None)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send_mail(smtp: Smtp, message: EmailMessage, *, user: str | None, password: str | None,
              context: ssl.SSLContext | None = None, attempts: int = 2, pause: float | None = None,
              sleep: Callable[[float], None] = time.sleep) -> None:
    shown = f"{smtp.host}:{smtp.port}"
    problem = ""
    for attempt in range(attempts):
        if attempt:
            sleep(robots.RETRY_PAUSE if pause is None else pause)
        try:
            _send_once(smtp, message, user, password, context or ssl.create_default_context())
            return
        except smtplib.SMTPAuthenticationError as error:
            raise SendFailed(f"邮件服务器 {shown} 拒绝登录:{error.smtp_code} (login refused)",
                             ("检查 user / password_env 的值;很多邮箱要用“授权码”而不是登录密码。",)
                             ) from None
        except smtplib.SMTPRecipientsRefused as error:
            raise SendFailed(f"邮件服务器 {shown} 拒收收件人:{', '.join(error.recipients)}") from None
        except smtplib.SMTPNotSupportedError:
            raise SendFailed(f"邮件服务器 {shown} 不支持 STARTTLS (the server offers no STARTTLS)",
                             ("端口 465 请写 tls: ssl;确认服务器支持加密连接。",)) from None
        except ssl.SSLCertVerificationError as error:
            raise SendFailed(f"邮件服务器 {shown} 的证书无法验证:{error.verify_message}",
                             ("内网 CA 签发的证书:把 CA 证书文件的路径放进环境变量 SSL_CERT_FILE。",)
                             ) from None
        except smtplib.SMTPResponseException as error:
            said = error.smtp_error
            said = said.decode("utf-8", "replace") if isinstance(said, bytes) else said
            problem = f"{error.smtp_code} {said[:200]}"
            if not 400 <= error.smtp_code < 500:
                raise SendFailed(f"邮件服务器 {shown} 拒收:{problem}") from None
        except (smtplib.SMTPException, OSError) as error:
            problem = f"{type(error).__name__}: {error}"
    raise SendFailed(f"发送邮件到 {shown} 失败(已重试 {attempts - 1} 次):{problem}")


def _send_once(smtp: Smtp, message: EmailMessage, user: str | None, password: str | None,
               context: ssl.SSLContext) -> None:
    client: smtplib.SMTP
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        client.ehlo()
        if smtp.tls == "starttls":
            if not client.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("STARTTLS")
            client.starttls(context=context)
            client.ehlo()
        if password is not None:
            client.login(user or smtp.sender, password)
        client.send_message(message)
