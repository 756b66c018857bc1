"""Escalation: an alert left unacknowledged for N working hours reaches the supervisors of
the unit above, then the next, level by level; the clock is the unit's working calendar, so
a Friday-afternoon alert escalates on Monday morning, not over the weekend."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts.lifecycle import IDS, audit_many, chunks, run
from alerts.routing import Directory
from alerts.workhours import Calendars, after_working_hours
from monitor.enums import AlertState
from monitor.models import Alert

MAX_ROUNDS = 16  # a tree is never this deep; bounds catching up after a long pause


def escalate_due(
    session: Session,
    directory: Directory,
    calendars: Calendars,
    hours_of: Callable[[str], int],
    now: datetime,
) -> int:
    """Escalate every open alert whose escalation time has come; returns escalations made."""
    total = 0
    for _ in range(MAX_ROUNDS):
        made = _round(session, directory, calendars, hours_of, now)
        total += made
        if not made:
            break
    return total


def _round(
    session: Session,
    directory: Directory,
    calendars: Calendars,
    hours_of: Callable[[str], int],
    now: datetime,
) -> int:
    due = run(
        session,
        select(
            Alert.id, Alert.rule, Alert.unit_id, Alert.escalation_level, Alert.next_escalation_at
        ).where(Alert.state == AlertState.OPEN, Alert.next_escalation_at <= now),
    ).all()
    groups: dict[tuple[str, int | None, int, datetime], list[int]] = defaultdict(list)
    for aid, rule, unit, level, at in due:
        groups[(rule, unit, level, at)].append(aid)
    made = 0
    for (rule, unit, level, at), ids in groups.items():
        top = directory.max_level(unit)
        if level >= top:  # nobody further up: stop the clock
            _set(session, ids, level, escalation_at=None, notify_at=None)
            continue
        nxt = (
            None
            if level + 1 >= top
            else after_working_hours(calendars.of(unit), at, hours_of(rule))
        )
        won = _set(session, ids, level, escalation_at=nxt, notify_at=now)
        audit_many(session, won, "alert.escalated", now, {"level": level + 1})
        made += len(won)
    return made


def _set(
    session: Session,
    ids: list[int],
    level: int,
    escalation_at: datetime | None,
    notify_at: datetime | None,
) -> list[int]:
    """Move alerts still open at ``level`` one level up (or only stop their clock)."""
    values: dict[str, object] = {"next_escalation_at": escalation_at}
    if notify_at is not None:
        values |= {"escalation_level": level + 1, "next_notify_at": notify_at}
    won: list[int] = []
    for part in chunks(ids):
        won += (
            run(
                session,
                update(Alert)
                .where(
                    Alert.id.in_(IDS),
                    Alert.state == AlertState.OPEN,
                    Alert.escalation_level == level,
                )
                .values(**values)
                .returning(Alert.id),
                {"ids": list(part)},
            )
            .scalars()
            .all()
        )
    return won
