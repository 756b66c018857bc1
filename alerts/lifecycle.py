"""The alert lifecycle as evaluation drives it: one alert per (rule, subject) key.

A rule's current candidates are reconciled with its alerts in a few set-based statements:
new keys are inserted with ON CONFLICT (key) DO NOTHING, resolved ones reopened and vanished
ones resolved with conditional UPDATEs (``... AND state = 'resolved'``, ``... AND state !=
'resolved'``). Only the rows a statement actually changed (RETURNING) are audited and
scheduled for notification, so a second evaluation, or a second evaluator racing on
PostgreSQL, changes nothing and notifies nobody twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import BindParameter, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts.conditions import Candidate
from alerts.kinds import SYSTEM_ACTOR
from alerts.rules import Rule
from monitor.enums import AlertState
from monitor.models import Alert, AuditEntry

CHUNK = 2_000  # ids or keys bound per statement: under every backend's parameter limit
# One expanding parameter for a list of ids or keys: bound as a whole, not element by element.
IDS: BindParameter[Any] = bindparam("ids", expanding=True)
T = TypeVar("T")

# When an (re)opened alert first escalates, from its opening time; None: never.
EscalationClock = Callable[[int | None, datetime], datetime | None]


@dataclass
class Reconciled:
    opened: int = 0
    reopened: int = 0
    resolved: int = 0
    retitled: int = 0

    def add(self, other: Reconciled) -> None:
        self.opened += other.opened
        self.reopened += other.reopened
        self.resolved += other.resolved
        self.retitled += other.retitled

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def run(session: Session, stmt: Any, params: Any = None) -> Any:
    """Execute on the session's connection (its transaction) without ORM bookkeeping: these
    statements touch thousands of rows that no session object mirrors."""
    conn = session.connection()
    return conn.execute(stmt) if params is None else conn.execute(stmt, params)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def audit_many(
    session: Session,
    ids: Iterable[int],
    action: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit row per alert changed by the system (people's changes: alerts.manual)."""
    rows = [
        {
            "at": now,
            "actor": SYSTEM_ACTOR,
            "action": action,
            "target": f"alert:{i}",
            "detail": detail or {},
        }
        for i in ids
    ]
    if rows:
        run(session, insert(AuditEntry), rows)


def reconcile(
    session: Session,
    rule: Rule,
    found: list[Candidate],
    now: datetime,
    escalation: EscalationClock,
) -> Reconciled:
    """Bring the rule's alerts in line with what matches now."""
    by_key = {c.key: c for c in found}
    known = run(
        session,
        select(Alert.id, Alert.key, Alert.state, Alert.title).where(
            Alert.rule == rule.name,
            (Alert.state != AlertState.RESOLVED) | Alert.resolution_held.is_(True),
        ),
    ).all()
    out = Reconciled()
    active = [(i, k, t) for i, k, st, t in known if st != AlertState.RESOLVED]
    held_gone = [i for i, k, st, _t in known if st == AlertState.RESOLVED and k not in by_key]
    out.resolved = _resolve(session, [i for i, k, _t in active if k not in by_key], now)
    _release_holds(session, held_gone)
    out.retitled = _retitle(
        session, [(i, by_key[k]) for i, k, t in active if k in by_key and by_key[k].title != t]
    )
    known_keys = {k for _i, k, _st, _t in known}
    fresh = [c for c in found if c.key not in known_keys]
    out.reopened = _reopen(session, rule, fresh, now, escalation)
    out.opened = _insert(session, rule, fresh, now, escalation)
    run(
        session,
        update(Alert)
        .where(Alert.rule == rule.name, Alert.state != AlertState.RESOLVED)
        .values(last_seen_at=now),
    )
    return out


def _resolve(session: Session, ids: list[int], now: datetime) -> int:
    done: list[int] = []
    for part in chunks(ids):
        done += (
            run(
                session,
                update(Alert)
                .where(Alert.id.in_(IDS), Alert.state != AlertState.RESOLVED)
                .values(
                    state=AlertState.RESOLVED,
                    resolved_at=now,
                    resolved_by=None,
                    resolution_held=False,
                    silenced_until=None,
                    next_notify_at=None,
                    next_escalation_at=None,
                )
                .returning(Alert.id),
                {"ids": list(part)},
            )
            .scalars()
            .all()
        )
    audit_many(session, done, "alert.resolved", now)
    return len(done)


def _release_holds(session: Session, ids: list[int]) -> None:
    """A resolution by hand holds while the condition lasts; once it clears, a recurrence
    reopens the alert like any other."""
    for part in chunks(ids):
        stmt = update(Alert).where(Alert.id.in_(IDS)).values(resolution_held=False)
        run(session, stmt, {"ids": list(part)})


def _retitle(session: Session, changed: list[tuple[int, Candidate]]) -> int:
    if changed:
        stmt = (
            update(Alert)
            .where(Alert.id == bindparam("aid"))
            .values(title=bindparam("t"), detail=bindparam("d"))
        )
        rows = [{"aid": i, "t": c.title[:500], "d": c.detail} for i, c in changed]
        run(session, stmt, rows)
    return len(changed)


def _reopen(
    session: Session, rule: Rule, fresh: list[Candidate], now: datetime, esc: EscalationClock
) -> int:
    """Resolved alerts whose condition is back: same row, history kept, a new episode."""
    by_key = {c.key: c for c in fresh}
    resolved: list[tuple[int, str]] = []
    for part in chunks(list(by_key)):
        resolved += run(
            session,
            select(Alert.id, Alert.key).where(
                Alert.rule == rule.name, Alert.state == AlertState.RESOLVED, Alert.key.in_(IDS)
            ),
            {"ids": list(part)},
        ).all()
    won: list[int] = []
    for aid, key in resolved:
        c = by_key[key]
        won += (
            run(
                session,
                update(Alert)
                .where(
                    Alert.id == aid,
                    Alert.state == AlertState.RESOLVED,
                    Alert.resolution_held.is_(False),
                )
                .values(
                    state=AlertState.OPEN,
                    opened_at=now,
                    last_seen_at=now,
                    resolved_at=None,
                    resolved_by=None,
                    acknowledged_by=None,
                    ack_actor=None,
                    acknowledged_at=None,
                    ack_note=None,
                    silenced_until=None,
                    silenced_by=None,
                    silence_reason=None,
                    escalation_level=0,
                    next_escalation_at=esc(c.unit_id, now),
                    next_notify_at=now,
                    reopen_count=Alert.reopen_count + 1,
                    title=c.title[:500],
                    detail=c.detail,
                    unit_id=c.unit_id,
                    severity=rule.severity,
                )
                .returning(Alert.id),
            )
            .scalars()
            .all()
        )
    audit_many(session, won, "alert.reopened", now)
    return len(won)


def _insert_statement(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return make(Alert).on_conflict_do_nothing(index_elements=["key"]).returning(Alert.id)


def _insert(
    session: Session, rule: Rule, fresh: list[Candidate], now: datetime, esc: EscalationClock
) -> int:
    rows = [
        {
            "rule": rule.name,
            "key": c.key,
            "subject_kind": c.subject_kind,
            "subject_id": c.subject_id,
            "unit_id": c.unit_id,
            "severity": rule.severity.value,
            "state": AlertState.OPEN.value,
            "title": c.title[:500],
            "detail": c.detail,
            "first_seen_at": now,
            "opened_at": now,
            "last_seen_at": now,
            "next_notify_at": now,
            "next_escalation_at": esc(c.unit_id, now),
            "escalation_level": 0,
            "reopen_count": 0,
            "notify_count": 0,
            "resolution_held": False,
        }
        for c in fresh
    ]
    won: list[int] = []
    stmt = _insert_statement(session)
    for part in chunks(rows):
        won += run(session, stmt, list(part)).scalars().all()
    audit_many(session, won, "alert.opened", now)
    return len(won)


def resolve_retired_rules(session: Session, live: Iterable[str], now: datetime) -> int:
    """Alerts of rules no longer configured are resolved rather than left open forever."""
    ids = (
        run(
            session,
            update(Alert)
            .where(Alert.rule.not_in(list(live)), Alert.state != AlertState.RESOLVED)
            .values(
                state=AlertState.RESOLVED,
                resolved_at=now,
                resolved_by=None,
                next_notify_at=None,
                next_escalation_at=None,
            )
            .returning(Alert.id),
        )
        .scalars()
        .all()
    )
    audit_many(session, ids, "alert.resolved", now)
    return len(ids)
