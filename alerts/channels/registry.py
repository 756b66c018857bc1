"""Channel rows: the inbox always exists, the email channel once SMTP is configured, webhooks
are added by an administrator (``motcua alerts channels add``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts.kinds import ChannelKind
from monitor.config import Settings
from monitor.models import NotificationChannel

INBOX = "inbox"
EMAIL = "email"


@dataclass(frozen=True)
class ChannelInfo:
    id: int
    name: str
    kind: ChannelKind
    config: dict[str, Any]


def _ensure(session: Session, name: str, kind: ChannelKind) -> None:
    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = make(NotificationChannel).values(
        name=name, kind=kind.value, config={}, enabled=True, consecutive_failures=0
    )
    session.connection().execute(stmt.on_conflict_do_nothing(index_elements=["name"]))


def ensure_builtin(session: Session, settings: Settings) -> None:
    _ensure(session, INBOX, ChannelKind.INBOX)
    if settings.smtp_host:
        _ensure(session, EMAIL, ChannelKind.EMAIL)


def active_channels(session: Session, settings: Settings) -> list[ChannelInfo]:
    """Enabled channels that can deliver now (email only while SMTP is configured)."""
    ensure_builtin(session, settings)
    rows = session.execute(
        select(
            NotificationChannel.id,
            NotificationChannel.name,
            NotificationChannel.kind,
            NotificationChannel.config,
        )
        .where(NotificationChannel.enabled.is_(True))
        .order_by(NotificationChannel.id)
    ).all()
    out = [ChannelInfo(i, n, ChannelKind(k), dict(c or {})) for i, n, k, c in rows]
    return [c for c in out if c.kind != ChannelKind.EMAIL or settings.smtp_host]


def inbox_id(session: Session) -> int:
    ident = session.scalar(select(NotificationChannel.id).where(NotificationChannel.name == INBOX))
    if ident is None:
        _ensure(session, INBOX, ChannelKind.INBOX)
        ident = session.scalar(
            select(NotificationChannel.id).where(NotificationChannel.name == INBOX)
        )
    assert ident is not None
    return int(ident)
