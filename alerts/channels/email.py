"""Email over SMTP: plain text and HTML in Vietnamese, security and login from settings.

The Message-ID is derived from the idempotency key, and the key is also sent as a header, so
a message sent again after a crash is recognisably the same message."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from alerts.channels.base import DeliveryError, Message
from alerts.render import html_for
from monitor.config import Settings

IDEMPOTENCY_HEADER = "X-Motcua-Idempotency-Key"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str = "none"  # none | starttls | ssl
    user: str = ""
    password: str = ""
    sender: str = "motcua-monitor@localhost"
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, s: Settings) -> SmtpConfig:
        return cls(
            s.smtp_host, s.smtp_port, s.smtp_security, s.smtp_user, s.smtp_password, s.smtp_from
        )


def message_id(idempotency_key: str) -> str:
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    return f"<{digest}@motcua-monitor>"


def build(message: Message, sender: str) -> EmailMessage:
    if not message.to_email:
        raise DeliveryError("người nhận chưa có địa chỉ thư", permanent=True, channel_fault=False)
    msg = EmailMessage()
    msg["Subject"] = message.subject
    msg["From"] = sender
    msg["To"] = formataddr((message.to_name, message.to_email))
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(message.idempotency_key)
    msg[IDEMPOTENCY_HEADER] = message.idempotency_key
    msg.set_content(message.text)
    msg.add_alternative(html_for(message.payload, message.text), subtype="html")
    return msg


class EmailTransport:
    """One SMTP session per dispatch pass, reused for every message of the pass."""

    def __init__(self, config: SmtpConfig, ssl_context: ssl.SSLContext | None = None) -> None:
        self.config = config
        self.context = ssl_context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None

    def _session(self) -> smtplib.SMTP:
        if self._smtp is None:
            c = self.config
            if c.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    c.host, c.port, timeout=c.timeout, context=self.context
                )
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
                if c.security == "starttls":
                    smtp.starttls(context=self.context)
            if c.user:
                smtp.login(c.user, c.password)
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def send(self, message: Message) -> None:
        if not self.config.host:
            raise DeliveryError("chưa cấu hình máy chủ SMTP (smtp_host)", permanent=True)
        msg = build(message, self.config.sender)
        try:
            try:
                self._session().send_message(msg)
            except smtplib.SMTPServerDisconnected:
                self.close()  # the server dropped an idle session: once more on a new one
                self._session().send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                "máy chủ SMTP từ chối địa chỉ người nhận", permanent=True, channel_fault=False
            ) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            permanent = 500 <= exc.smtp_code < 600 and exc.smtp_code not in (530, 535)
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:300], permanent=permanent
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise DeliveryError(f"SMTP không gửi được: {type(exc).__name__}: {exc}"[:300]) from exc
