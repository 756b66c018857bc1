"""Channels behind one small interface (alerts.channels.base.Transport): the console inbox,
email over SMTP and a signed JSON webhook. ``select_transport`` picks one for a channel row."""

from __future__ import annotations

from alerts.channels.base import DeliveryError, Message, Transport
from alerts.channels.email import EmailTransport, SmtpConfig
from alerts.channels.inbox import InboxTransport
from alerts.channels.webhook import WebhookTransport
from alerts.kinds import ChannelKind
from monitor.config import Settings
from monitor.models import NotificationChannel


def select_transport(channel: NotificationChannel, settings: Settings) -> Transport:
    kind = ChannelKind(channel.kind)
    if kind == ChannelKind.EMAIL:
        return EmailTransport(SmtpConfig.from_settings(settings))
    if kind == ChannelKind.WEBHOOK:
        config = channel.config or {}
        secret = str(config.get("secret") or settings.webhook_secret)
        return WebhookTransport(str(config.get("url", "")), secret)
    return InboxTransport()


__all__ = [
    "DeliveryError",
    "EmailTransport",
    "InboxTransport",
    "Message",
    "SmtpConfig",
    "Transport",
    "WebhookTransport",
    "select_transport",
]
