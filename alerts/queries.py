"""Read side for the CLI and the console: alerts in a scope, a person's inbox."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts.channels.registry import INBOX
from alerts.kinds import NotificationState
from monitor.models import Alert, Notification, NotificationChannel


def alert_json(a: Alert) -> dict[str, Any]:
    return {
        "id": a.id,
        "rule": a.rule,
        "key": a.key,
        "subject_kind": a.subject_kind,
        "subject_id": a.subject_id,
        "unit_id": a.unit_id,
        "severity": a.severity,
        "state": a.state,
        "title": a.title,
        "detail": a.detail,
        "first_seen_at": a.first_seen_at,
        "opened_at": a.opened_at,
        "last_seen_at": a.last_seen_at,
        "resolved_at": a.resolved_at,
        "resolved_by": a.resolved_by,
        "acknowledged_by": a.ack_actor,
        "acknowledged_at": a.acknowledged_at,
        "ack_note": a.ack_note,
        "silenced_until": a.silenced_until,
        "silenced_by": a.silenced_by,
        "silence_reason": a.silence_reason,
        "escalation_level": a.escalation_level,
        "next_escalation_at": a.next_escalation_at,
        "reopen_count": a.reopen_count,
        "notify_count": a.notify_count,
        "last_notified_at": a.last_notified_at,
    }


def list_alerts(
    session: Session,
    states: Collection[str] = (),
    rule: str | None = None,
    unit_ids: Collection[int] | None = None,
    limit: int = 200,
) -> list[Alert]:
    """Most recently opened first; ``unit_ids`` None means every unit."""
    q = select(Alert)
    if states:
        q = q.where(Alert.state.in_(list(states)))
    if rule:
        q = q.where(Alert.rule == rule)
    if unit_ids is not None:
        q = q.where(Alert.unit_id.in_(list(unit_ids)))
    return list(session.scalars(q.order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(limit)))


def inbox(session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    """A person's console inbox, newest first."""
    q = (
        select(Notification)
        .join(NotificationChannel, NotificationChannel.id == Notification.channel_id)
        .where(
            NotificationChannel.name == INBOX,
            Notification.recipient_id == user_id,
            Notification.state == NotificationState.SENT,
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(session.scalars(q))


def mark_read(session: Session, user_id: int, notification_id: int, now: datetime) -> bool:
    done = session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.recipient_id == user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=now)
        .returning(Notification.id)
    ).first()
    return done is not None
