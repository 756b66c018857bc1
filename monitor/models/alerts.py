"""Alerts (one per rule and subject), notification channels and the notification outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from monitor.models.base import Base, utcnow


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        Index(None, "state", "next_notify_at"),
        Index(None, "unit_id", "state"),
        Index(None, "state", "next_escalation_at"),
        Index(None, "rule", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255), unique=True)
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(128))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Start of the current episode: first_seen_at, or the last time it reopened.
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    # Who resolved it by hand ("cli:<user>", "user:<name>"); NULL when the condition cleared.
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    # A resolution by hand holds while the condition lasts; cleared once the condition clears.
    resolution_held: Mapped[bool] = mapped_column(default=False)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ack_actor: Mapped[str | None] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime | None]
    ack_note: Mapped[str | None] = mapped_column(Text)
    silenced_until: Mapped[datetime | None]
    silenced_by: Mapped[str | None] = mapped_column(String(64))
    silence_reason: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(default=0)
    next_escalation_at: Mapped[datetime | None]
    reopen_count: Mapped[int] = mapped_column(default=0)
    next_notify_at: Mapped[datetime | None]
    last_notified_at: Mapped[datetime | None]
    notify_count: Mapped[int] = mapped_column(default=0)


class NotificationChannel(Base):
    __tablename__ = "notification_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(default=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None]


class Notification(Base):
    """The outbox: written in the same transaction as the decision to notify."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index(None, "state", "next_attempt_at"),
        Index(None, "recipient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("notification_channels.id"))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    # What the message is about: a group of alerts, a digest, a notice to admins.
    kind: Mapped[str] = mapped_column(String(16), default="alerts")
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]  # console inbox: when the recipient opened it
