"""A channel's failures are recorded on the channel; one failing for too long is disabled and
the administrators are told (in their inbox, which cannot fail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts import texts
from alerts.channels.registry import inbox_id
from alerts.kinds import SYSTEM_ACTOR, NotificationKind
from alerts.outbox.store import Outgoing, enqueue
from monitor import audit
from monitor.config import Settings
from monitor.enums import Role
from monitor.models import NotificationChannel, User

C = NotificationChannel


def record_channel_success(session: Session, channel_id: int) -> None:
    session.execute(
        update(C)
        .where(C.id == channel_id, (C.consecutive_failures != 0) | C.last_error.is_not(None))
        .values(consecutive_failures=0, last_error=None)
    )


def record_channel_failure(
    session: Session, channel_id: int, reason: str, settings: Settings, now: datetime
) -> bool:
    """Count the failure; disable the channel at the threshold. Returns True if this call
    disabled it (a conditional UPDATE: only one dispatcher reports it)."""
    failures = session.scalar(
        update(C)
        .where(C.id == channel_id)
        .values(consecutive_failures=C.consecutive_failures + 1, last_error=reason)
        .returning(C.consecutive_failures)
    )
    limit = settings.channel_disable_after_failures
    if failures is None or limit <= 0 or failures < limit:
        return False
    name = session.scalar(
        update(C)
        .where(C.id == channel_id, C.enabled.is_(True), C.kind != "inbox")
        .values(enabled=False, disabled_at=now)
        .returning(C.name)
    )
    if name is None:
        return False
    audit.record(
        session, SYSTEM_ACTOR, "channel.disabled", f"channel:{name}", {"failures": failures}
    )
    _tell_admins(session, name, int(failures), reason, now)
    return True


def _tell_admins(session: Session, name: str, failures: int, reason: str, now: datetime) -> None:
    admins = session.scalars(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
    ).all()
    inbox = inbox_id(session)
    subject = texts.channel_disabled_subject(name)
    body = texts.channel_disabled_body(name, failures, reason)
    stamp = f"{now:%Y%m%dT%H%M%S}"
    enqueue(
        session,
        [
            Outgoing(
                inbox,
                admin,
                f"channel-disabled:{name}:{stamp}:{admin}",
                NotificationKind.ADMIN,
                subject,
                body,
                {"kind": NotificationKind.ADMIN.value, "channel": name, "error": reason},
            )
            for admin in admins
        ],
        now,
    )
