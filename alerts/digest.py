"""The morning digest (07:30 on working days) to each supervisor: overdue and due-soon counts
for their units, the ten oldest overdue dossiers, and the alerts opened and resolved since the
previous working day's digest. Its outbox key is (day, person, channel): sending it twice the
same morning writes nothing the second time."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alerts import links, render, texts
from alerts.channels.registry import active_channels
from alerts.conditions.dossiers import DUE
from alerts.kinds import ChannelKind, NotificationKind
from alerts.outbox.store import Outgoing, enqueue
from alerts.routing import Recipient
from alerts.rules import Rule, load_rules
from alerts.serial import write_first
from alerts.workhours import load_calendars
from monitor import vi_format
from monitor.calendar import WorkCalendar, day_start, local_date
from monitor.config import Settings
from monitor.db import session_scope
from monitor.enums import DueStatus, Role
from monitor.models import Alert, Dossier, Notification, Unit, User

OLDEST = 10


def digest_since(calendar: WorkCalendar, settings: Settings, now: datetime) -> datetime:
    """The previous working day's digest time: what "since yesterday" means on a Monday."""
    previous = calendar.working_day_before(local_date(now))
    clock = settings.digest_clock
    return day_start(previous) + timedelta(hours=clock.hour, minutes=clock.minute)


class _Tree:
    def __init__(self, session: Session) -> None:
        rows = session.execute(select(Unit.id, Unit.parent_id, Unit.name)).all()
        self.names = {uid: name for uid, _p, name in rows}
        self.children: dict[int, list[int]] = defaultdict(list)
        for uid, parent, _n in rows:
            if parent is not None:
                self.children[parent].append(uid)

    def subtree(self, root: int) -> list[int]:
        seen, stack = {root}, [root]
        while stack:
            for child in self.children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return sorted(seen)


def _status_counts(session: Session) -> dict[int, Counter[str]]:
    q = (
        select(Dossier.resolving_unit_id, Dossier.due_status, func.count())
        .where(Dossier.due_status.in_([DueStatus.OVERDUE, DueStatus.DUE_SOON]))
        .group_by(Dossier.resolving_unit_id, Dossier.due_status)
    )
    out: dict[int, Counter[str]] = defaultdict(Counter)
    for unit, status, n in session.execute(q):
        if unit is not None and status is not None:
            out[unit][status] += int(n)
    return out


def _alert_changes(session: Session, since: datetime) -> dict[int, Counter[tuple[str, str]]]:
    out: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    for column, what in ((Alert.opened_at, "opened"), (Alert.resolved_at, "resolved")):
        q = (
            select(Alert.unit_id, Alert.rule, func.count())
            .where(column >= since, Alert.unit_id.is_not(None))
            .group_by(Alert.unit_id, Alert.rule)
        )
        for unit, rule, n in session.execute(q):
            if unit is not None:
                out[unit][(rule, what)] += int(n)
    return out


def _oldest(session: Session, units: Sequence[int], console_url: str) -> list[dict[str, Any]]:
    q = (
        select(Dossier.code, Dossier.procedure_name, DUE)
        .where(Dossier.due_status == DueStatus.OVERDUE, Dossier.resolving_unit_id.in_(units))
        .order_by(DUE, Dossier.id)
        .limit(OLDEST)
    )
    return [
        {
            "code": code,
            "procedure": proc or "",
            "due_at": due.isoformat() if due else None,
            "url": links.dossier_url(console_url, code),
        }
        for code, proc, due in session.execute(q)
    ]


def _payload(
    session: Session,
    person: Recipient,
    unit_id: int,
    tree: _Tree,
    facts: tuple[dict[int, Counter[str]], dict[int, Counter[tuple[str, str]]]],
    labels: Mapping[str, str],
    settings: Settings,
    now: datetime,
    since: datetime,
) -> dict[str, Any]:
    statuses, changes = facts
    units = tree.subtree(unit_id)
    counts: Counter[str] = sum((statuses.get(u, Counter()) for u in units), Counter())
    moved: Counter[tuple[str, str]] = sum((changes.get(u, Counter()) for u in units), Counter())
    overdue, due_soon = counts[DueStatus.OVERDUE], counts[DueStatus.DUE_SOON]
    rules = sorted({rule for rule, _w in moved})
    return {
        "kind": NotificationKind.DIGEST.value,
        "recipient": render.who(person),
        "subject": texts.digest_subject(now, overdue, due_soon),
        "day": local_date(now).isoformat(),
        "units_text": tree.names.get(unit_id, ""),
        "overdue": overdue,
        "due_soon": due_soon,
        "oldest": _oldest(session, units, settings.console_url),
        "since": since.isoformat(),
        "since_text": vi_format.moment(since),
        "changes": [
            {
                "rule": r,
                "label": labels.get(r, r),
                "opened": moved[(r, "opened")],
                "resolved": moved[(r, "resolved")],
            }
            for r in rules
        ],
        "inbox_url": links.inbox_url(settings.console_url),
    }


def todays_digest_time(settings: Settings, now: datetime) -> datetime:
    clock = settings.digest_clock
    return day_start(local_date(now)) + timedelta(hours=clock.hour, minutes=clock.minute)


def already_sent_today(engine: Engine, settings: Settings, now: datetime) -> bool:
    with session_scope(engine) as s:
        q = select(Notification.id).where(
            Notification.kind == NotificationKind.DIGEST,
            Notification.created_at >= todays_digest_time(settings, now),
        )
        return s.scalar(q.limit(1)) is not None


def send_digest(
    engine: Engine,
    settings: Settings,
    now: datetime,
    rules: Sequence[Rule] | None = None,
    *,
    when_due: bool = False,
) -> dict[str, Any]:
    """Queue today's digest for every supervisor; nothing on a day off. With ``when_due``
    (the scheduler's every-few-minutes call) only once the digest time has come and if it
    has not gone out yet today, so a scheduler that was down at 07:30 catches up."""
    calendar = load_calendars(engine, settings).default
    if not calendar.is_working_day(local_date(now)):
        return {"working_day": False, "queued": 0}
    if when_due and (
        now < todays_digest_time(settings, now) or already_sent_today(engine, settings, now)
    ):
        return {"working_day": True, "queued": 0, "due": False}
    labels = {r.name: r.label or r.name for r in (load_rules() if rules is None else rules)}
    since = digest_since(calendar, settings, now)
    with session_scope(engine) as s:
        write_first(s)
        tree = _Tree(s)
        facts = (_status_counts(s), _alert_changes(s, since))
        channels = [
            c
            for c in active_channels(s, settings)
            if c.kind in (ChannelKind.INBOX, ChannelKind.EMAIL)
        ]
        people = s.execute(
            select(User.id, User.username, User.full_name, User.email, User.unit_id).where(
                User.role == Role.SUPERVISOR, User.active.is_(True), User.unit_id.is_not(None)
            )
        ).all()
        out: list[Outgoing] = []
        for uid, username, full_name, email, unit_id in people:
            if unit_id is None:
                continue
            person = Recipient(uid, username, full_name or "", email or None)
            doc = _payload(s, person, unit_id, tree, facts, labels, settings, now, since)
            text = render.digest_text(doc)
            for ch in channels:
                if ch.kind == ChannelKind.EMAIL and not person.email:
                    continue
                key = f"digest:{doc['day']}:{uid}:{ch.id}"
                out.append(
                    Outgoing(
                        ch.id,
                        uid,
                        key,
                        NotificationKind.DIGEST,
                        doc["subject"],
                        text,
                        {**doc, "idempotency_key": key},
                    )
                )
        queued = enqueue(s, out, now)
    return {"working_day": True, "queued": queued, "since": since.isoformat()}
