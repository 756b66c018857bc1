"""Writing to the outbox: one row per (message, channel), idempotent by its key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts.kinds import NotificationKind, NotificationState
from monitor.models import Notification


@dataclass(frozen=True)
class Outgoing:
    channel_id: int
    recipient_id: int | None
    idempotency_key: str
    kind: NotificationKind
    subject: str
    body: str
    payload: dict[str, Any]


def enqueue(session: Session, messages: list[Outgoing], now: datetime) -> int:
    """Insert what is not there yet (by idempotency key); returns how many were new."""
    if not messages:
        return 0
    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        make(Notification)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Notification.id)
    )
    rows = [
        {
            "channel_id": m.channel_id,
            "recipient_id": m.recipient_id,
            "idempotency_key": m.idempotency_key,
            "kind": m.kind.value,
            "subject": m.subject[:500],
            "body": m.body,
            "payload": m.payload,
            "state": NotificationState.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for m in messages
    ]
    return len(session.connection().execute(stmt, rows).scalars().all())
