"""Channels end to end with real receivers on loopback: an SMTP server (aiosmtpd) and an
HTTP webhook receiver. At-least-once dispatch, idempotent at the receiver."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alerts_helpers import (
    MONDAY_9,
    SECRET,
    Receiver,
    add_dossier,
    build_org,
    free_port,
    notifications,
    rules,
    settings,
)
from sqlalchemy import Engine, select

from alerts.channels import DeliveryError, EmailTransport, Message, SmtpConfig, select_transport
from alerts.channels.email import message_id
from alerts.outbox.dispatch import dispatch
from alerts.service import evaluate_alerts, plan_notifications
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import NotificationChannel

WARN = rules([{"name": "qua-han", "condition": "overdue", "severity": "warning"}])


class Sink:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        self.messages.append(email.message_from_bytes(raw, policy=default_policy))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


def _webhook(engine: Engine, url: str, name: str = "zalo-oa") -> None:
    with session_scope(engine) as s:
        s.add(NotificationChannel(name=name, kind="webhook", config={"url": url}))


def _round(engine: Engine, st: Settings, now: datetime) -> dict[str, Any]:
    evaluate_alerts(engine, st, now, WARN)
    plan_notifications(engine, st, now, WARN)
    return dispatch(engine, st, now).as_json()


def _channel(engine: Engine, name: str) -> NotificationChannel:
    with session_scope(engine) as s:
        ch = s.scalars(select(NotificationChannel).where(NotificationChannel.name == name)).one()
        s.expunge(ch)
        return ch


def _rows(engine: Engine, channel: str) -> list[Any]:
    return notifications(engine, channel_id=_channel(engine, channel).id)


def test_evaluating_and_dispatching_twice_delivers_each_message_once(
    engine: Engine, smtp: tuple[Sink, int]
) -> None:
    sink, port = smtp
    org = build_org(engine)
    for i in range(3):
        add_dossier(engine, org, f"000.00.06.H56-250301-000{i}")
    st = settings(smtp_host="127.0.0.1", smtp_port=port)
    with Receiver() as hook:
        _webhook(engine, hook.url)
        first = _round(engine, st, MONDAY_9)
        second = _round(engine, st, MONDAY_9 + timedelta(minutes=20))
        assert first["sent"] == 6 and second["sent"] == 0  # inbox, email, webhook × 2 people
        assert len(hook.requests) == 2 and len(set(hook.keys())) == 2
    assert sorted(str(m["To"]) for m in sink.messages) == [
        "Ông/Bà pp_dd <pp_dd@motcua.test>",
        "Ông/Bà tp_dd <tp_dd@motcua.test>",
    ]


def test_the_email_is_vietnamese_text_and_html_with_links_and_a_stable_message_id(
    engine: Engine, smtp: tuple[Sink, int]
) -> None:
    sink, port = smtp
    org = build_org(engine)
    add_dossier(engine, org, "000.00.06.H56-250301-0361")
    st = settings(smtp_host="127.0.0.1", smtp_port=port)
    _round(engine, st, MONDAY_9)
    msg = next(m for m in sink.messages if "tp_dd" in str(m["To"]))
    assert msg["Subject"] == "[Một cửa] 1 cảnh báo cần xử lý"
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    link = "http://console.test/dossiers?code=000.00.06.H56-250301-0361"
    assert "Kính gửi Ông/Bà tp_dd" in text and "quá hạn trả (hạn 07/03/2025)" in text
    assert link in text and f'href="{link}"' in html and 'lang="vi"' in html
    row = next(n for n in _rows(engine, "email") if n.recipient_id == org.users["tp_dd"])
    assert msg["X-Motcua-Idempotency-Key"] == row.idempotency_key
    assert msg["Message-ID"] == message_id(row.idempotency_key)


def test_the_webhook_is_signed_json_with_an_idempotency_key(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    with Receiver() as hook:
        _webhook(engine, hook.url)
        _round(engine, settings(), MONDAY_9)
        headers, body = hook.requests[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Motcua-Signature"], expected)
    doc = json.loads(body)
    assert doc["idempotency_key"] == headers["Idempotency-Key"]
    assert doc["kind"] == "alerts" and doc["total"] == 1
    assert doc["alerts"][0]["dossier_url"] == "http://console.test/dossiers?code=HS-1"
    assert doc["subject"] == "[Một cửa] 1 cảnh báo cần xử lý" and "Kính gửi" in doc["text"]


def test_smtp_down_for_a_while_then_delivered_exactly_once(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    port = free_port()  # nothing listens here yet
    st = settings(smtp_host="127.0.0.1", smtp_port=port)
    evaluate_alerts(engine, st, MONDAY_9, WARN)
    plan_notifications(engine, st, MONDAY_9, WARN)
    down = dispatch(engine, st, MONDAY_9)
    assert (down.failed, down.deferred) == (1, 1)  # the second email waits, unblamed
    email_channel = _channel(engine, "email")
    assert "SMTP" in (email_channel.last_error or "") and email_channel.consecutive_failures == 1
    failed = [n for n in _rows(engine, "email") if n.attempts == 1]
    assert len(failed) == 1 and failed[0].state == "pending"
    assert failed[0].next_attempt_at == MONDAY_9 + timedelta(seconds=60)
    assert dispatch(engine, st, MONDAY_9 + timedelta(seconds=59)).failed == 0  # backing off
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        back = dispatch(engine, st, MONDAY_9 + timedelta(seconds=60))
        later = dispatch(engine, st, MONDAY_9 + timedelta(hours=1))
    finally:
        controller.stop()
    assert back.sent == 2 and later.sent == later.failed == 0
    assert len(sink.messages) == 2 and len({m["Message-ID"] for m in sink.messages}) == 2
    email_channel = _channel(engine, "email")
    assert email_channel.last_error is None and email_channel.consecutive_failures == 0


class CrashAfterSending:
    """A dispatcher process dying after the receiver got the message, before recording it."""

    def __init__(self) -> None:
        self.crashed = False

    def __call__(self, channel: NotificationChannel, st: Settings) -> Any:
        real = select_transport(channel, st)
        outer = self

        class Transport:
            def send(self, message: Any) -> None:
                real.send(message)
                if channel.kind == "webhook" and not outer.crashed:
                    outer.crashed = True
                    raise SystemExit("killed")

            def close(self) -> None:
                real.close()

        return Transport()


def test_a_crash_between_sending_and_recording_resends_with_the_same_key(
    engine: Engine,
) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1", unit="XA-A")  # one recipient: ct_xa
    st = settings()
    with Receiver() as hook:
        _webhook(engine, hook.url)
        evaluate_alerts(engine, st, MONDAY_9, WARN)
        plan_notifications(engine, st, MONDAY_9, WARN)
        with pytest.raises(SystemExit):
            dispatch(engine, st, MONDAY_9, transport_for=CrashAfterSending())
        (row,) = _rows(engine, "zalo-oa")
        assert row.state == "sending"  # claimed, sent, never recorded
        assert dispatch(engine, st, MONDAY_9 + timedelta(minutes=4)).sent == 0  # lease holds
        # Both rows of the dead dispatcher's batch come back: the webhook and the inbox one
        # it never reached.
        assert dispatch(engine, st, MONDAY_9 + timedelta(minutes=6)).sent == 2
        keys = hook.keys()
    assert keys == [row.idempotency_key, row.idempotency_key]  # the receiver drops the repeat
    assert _rows(engine, "zalo-oa")[0].state == "sent"


def test_a_webhook_error_is_retried_and_a_rejection_is_not(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1", unit="XA-A")
    st = settings()
    with Receiver(status=503) as hook:
        _webhook(engine, hook.url)
        evaluate_alerts(engine, st, MONDAY_9, WARN)
        plan_notifications(engine, st, MONDAY_9, WARN)
        assert dispatch(engine, st, MONDAY_9).failed == 1
        (row,) = _rows(engine, "zalo-oa")
        assert row.state == "pending" and row.last_error == "webhook trả về HTTP 503"
        hook.status = 400
        assert dispatch(engine, st, MONDAY_9 + timedelta(minutes=1)).gave_up == 1
    (row,) = _rows(engine, "zalo-oa")
    assert row.state == "failed" and row.attempts == 2


def test_a_channel_failing_too_long_is_disabled_and_admins_are_told(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    st = settings(channel_disable_after_failures=3, notify_retry_seconds=1)
    _webhook(engine, f"http://127.0.0.1:{free_port()}/hook", name="zalo-oa")
    evaluate_alerts(engine, st, MONDAY_9, WARN)
    plan_notifications(engine, st, MONDAY_9, WARN)
    disabled = 0
    for minute in range(4):
        disabled += dispatch(engine, st, MONDAY_9 + timedelta(minutes=minute)).disabled_channels
    assert disabled == 1
    channel = _channel(engine, "zalo-oa")
    assert not channel.enabled and channel.disabled_at is not None
    assert "không kết nối được" in (channel.last_error or "")
    (notice,) = notifications(engine, kind="admin")
    assert notice.recipient_id == org.users["quantri"] and notice.state == "sent"
    assert notice.subject == "[Một cửa] Kênh thông báo 'zalo-oa' đã bị tắt"
    kept = notifications(engine, channel_id=channel.id)
    assert {n.state for n in kept} == {"pending"}  # kept for when it is enabled again


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"giamsat", b"mk-1")
    return AuthResult(success=ok)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_email_over_tls_with_login(tmp_path: Path, security: str) -> None:
    cert, key = _certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    sink, port = Sink(), free_port()
    tls = {"tls_context": server_tls, "require_starttls": True}
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=port,
        authenticator=_login,
        # aiosmtpd only counts STARTTLS as TLS; on an implicit-TLS port the session is TLS.
        auth_require_tls=security == "starttls",
        **({"ssl_context": server_tls} if security == "ssl" else tls),
    )
    controller.start()
    trust = ssl.create_default_context(cafile=str(cert))
    message = Message("k-1", "alerts", "[Một cửa] Thử", "Nội dung", {}, "a@b.vn", "A")
    try:
        config = SmtpConfig("127.0.0.1", port, security, "giamsat", "mk-1", "gs@tinh.vn")
        EmailTransport(config, trust).send(message)
        # aiosmtpd stops answering after a refused login: a short timeout keeps this quick.
        wrong = SmtpConfig("127.0.0.1", port, security, "giamsat", "sai", "gs@tinh.vn", 1.0)
        with pytest.raises(DeliveryError) as err:
            EmailTransport(wrong, trust).send(message)
    finally:
        controller.stop()
    assert [m["Subject"] for m in sink.messages] == ["[Một cửa] Thử"]
    assert not err.value.permanent  # a login refused is the channel's fault: retried, counted
