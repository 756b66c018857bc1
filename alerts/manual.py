"""What people do to alerts: acknowledge (who, when, note), silence until a time with a
reason, resolve. Each is a conditional UPDATE on the alert's state and an audit entry in the
same transaction; the end of a silence is applied by the planner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from alerts import texts
from alerts.lifecycle import audit_many, run
from alerts.serial import write_first
from monitor import audit
from monitor.enums import AlertState
from monitor.models import Alert

LIVE = (AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.SILENCED)


class AlertActionError(ValueError):
    """The alert does not exist or is not in a state that allows the action."""


def _state(session: Session, alert_id: int) -> str:
    state = session.scalar(select(Alert.state).where(Alert.id == alert_id))
    if state is None:
        raise AlertActionError(texts.NOT_FOUND.format(id=alert_id))
    return str(state)


def _apply(
    session: Session, alert_id: int, allowed: tuple[AlertState, ...], values: dict[str, Any]
) -> None:
    write_first(session)
    state = _state(session, alert_id)
    done = run(
        session,
        update(Alert)
        .where(Alert.id == alert_id, Alert.state.in_(allowed))
        .values(**values)
        .returning(Alert.id),
    ).first()
    if done is None:
        message = (
            texts.ALREADY_RESOLVED if state == AlertState.RESOLVED else texts.ALREADY_ACKNOWLEDGED
        )
        raise AlertActionError(message.format(id=alert_id))
    session.expire_all()


def acknowledge(
    session: Session,
    alert_id: int,
    actor: str,
    note: str,
    now: datetime,
    user_id: int | None = None,
) -> None:
    """Someone has taken it on: no more reminders or escalation for this episode."""
    if not note.strip():
        raise AlertActionError(texts.NOTE_REQUIRED)
    _apply(
        session,
        alert_id,
        (AlertState.OPEN, AlertState.SILENCED),
        {
            "state": AlertState.ACKNOWLEDGED,
            "acknowledged_by": user_id,
            "ack_actor": actor[:64],
            "acknowledged_at": now,
            "ack_note": note.strip(),
            "silenced_until": None,
            "next_notify_at": None,
            "next_escalation_at": None,
        },
    )
    audit.record(session, actor, "alert.acknowledged", f"alert:{alert_id}", {"note": note.strip()})


def silence(
    session: Session, alert_id: int, actor: str, until: datetime, reason: str, now: datetime
) -> None:
    """Quiet until ``until``; it comes back (open, or acknowledged if it was) after that."""
    if until <= now:
        raise AlertActionError(texts.SILENCE_IN_PAST)
    if not reason.strip():
        raise AlertActionError(texts.REASON_REQUIRED)
    _apply(
        session,
        alert_id,
        LIVE,
        {
            "state": AlertState.SILENCED,
            "silenced_until": until,
            "silenced_by": actor[:64],
            "silence_reason": reason.strip(),
        },
    )
    audit.record(
        session,
        actor,
        "alert.silenced",
        f"alert:{alert_id}",
        {"until": until.isoformat(), "reason": reason.strip()},
    )


def resolve(session: Session, alert_id: int, actor: str, now: datetime, note: str = "") -> None:
    """Resolved by hand. The resolution holds while the condition lasts: the alert reopens only
    if the condition clears and then comes back."""
    _apply(
        session,
        alert_id,
        LIVE,
        {
            "state": AlertState.RESOLVED,
            "resolved_at": now,
            "resolved_by": actor[:64],
            "resolution_held": True,
            "silenced_until": None,
            "next_notify_at": None,
            "next_escalation_at": None,
        },
    )
    audit.record(session, actor, "alert.resolved", f"alert:{alert_id}", {"note": note.strip()})


def expire_silences(session: Session, now: datetime) -> int:
    """Silences whose time is up: back to acknowledged if someone had, else open and due."""
    was_acked = Alert.acknowledged_at.is_not(None)
    ids = (
        run(
            session,
            update(Alert)
            .where(Alert.state == AlertState.SILENCED, Alert.silenced_until <= now)
            .values(
                state=case((was_acked, AlertState.ACKNOWLEDGED.value), else_=AlertState.OPEN.value),
                next_notify_at=case((was_acked, None), else_=now),
                silenced_until=None,
            )
            .returning(Alert.id),
        )
        .scalars()
        .all()
    )
    audit_many(session, ids, "alert.unsilenced", now)
    return len(ids)
