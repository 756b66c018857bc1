"""The planner: from alerts due for notification to grouped messages in the outbox.

One planner at a time (alerts.serial). Per pass: silences that ended, escalations that came
due, then every open alert whose ``next_notify_at`` has come — outside working hours only the
critical ones. A recipient gets at most one grouped message per group interval: an alert
waits while any of its recipients had one within the interval, then all of its recipients get
it in their next group. Claiming an alert moves its ``next_notify_at`` to the repeat time with
a conditional UPDATE; the messages are written to the outbox in the same transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from alerts import render
from alerts.channels.registry import ChannelInfo, active_channels
from alerts.escalation import escalate_due
from alerts.kinds import ChannelKind, NotificationKind
from alerts.lifecycle import IDS, chunks, run
from alerts.manual import expire_silences
from alerts.outbox.store import Outgoing, enqueue
from alerts.routing import Directory, Recipient
from alerts.rules import Rule, default_notify
from alerts.serial import hold_planner_lock
from alerts.workhours import Calendars, after_working_hours, in_office_hours
from monitor.config import Settings
from monitor.enums import AlertState, Severity
from monitor.models import Alert, Notification


@dataclass
class PlanResult:
    unsilenced: int = 0
    escalated: int = 0
    notified: int = 0  # alerts claimed and put into messages
    waiting: int = 0  # due, held back (out of working hours, or group interval)
    messages: int = 0  # outbox rows written

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DueAlert:
    id: int
    rule: str
    severity: str
    unit_id: int | None
    level: int
    title: str
    detail: dict[str, Any]
    opened_at: datetime


def plan(
    session: Session,
    rules: Mapping[str, Rule],
    calendars: Calendars,
    settings: Settings,
    now: datetime,
) -> PlanResult:
    hold_planner_lock(session)  # first: everything below reads then writes
    directory = Directory.load(session)
    res = PlanResult(unsilenced=expire_silences(session, now))

    def hours_of(rule: str) -> int:
        own = rules[rule].escalate_after_working_hours if rule in rules else None
        return settings.alert_escalation_working_hours if own is None else own

    res.escalated = escalate_due(session, directory, calendars, hours_of, now)
    office: dict[int, bool] = {}  # per calendar: computed once, not once per alert

    def open_now(unit_id: int | None) -> bool:
        cal = calendars.of(unit_id)
        if id(cal) not in office:
            office[id(cal)] = in_office_hours(cal, now)
        return office[id(cal)]

    due = [a for a in _due(session, now) if a.severity == Severity.CRITICAL or open_now(a.unit_id)]
    busy = _recently_notified(
        session, now - timedelta(minutes=settings.alert_group_interval_minutes)
    )
    ready = [a for a in due if not busy & {r.id for r in directory.recipients(a.unit_id, a.level)}]
    claimed = _claim(session, ready, calendars, settings.alert_repeat_working_hours, now)
    res.notified = len(claimed)
    messages = _messages(
        claimed, rules, directory, active_channels(session, settings), settings, now
    )
    res.messages = enqueue(session, messages, now)
    res.waiting = _count_due(session, now)
    return res


def _due(session: Session, now: datetime) -> list[DueAlert]:
    rows = run(
        session,
        select(
            Alert.id,
            Alert.rule,
            Alert.severity,
            Alert.unit_id,
            Alert.escalation_level,
            Alert.title,
            Alert.detail,
            Alert.opened_at,
        ).where(Alert.state == AlertState.OPEN, Alert.next_notify_at <= now),
    ).all()
    return [DueAlert(*r) for r in rows]


def _count_due(session: Session, now: datetime) -> int:
    q = select(func.count()).where(Alert.state == AlertState.OPEN, Alert.next_notify_at <= now)
    return int(run(session, q).scalar_one())


def _recently_notified(session: Session, since: datetime) -> set[int]:
    q = select(Notification.recipient_id).where(
        Notification.kind == NotificationKind.ALERTS,
        Notification.created_at > since,
        Notification.recipient_id.is_not(None),
    )
    return {int(r) for r in run(session, q.distinct()).scalars()}


def _claim(
    session: Session, ready: list[DueAlert], calendars: Calendars, repeat_hours: int, now: datetime
) -> list[DueAlert]:
    """Move each alert's next notification to its repeat time, if still due (conditional)."""
    by_calendar: dict[int, list[DueAlert]] = defaultdict(list)
    for a in ready:
        by_calendar[id(calendars.of(a.unit_id))].append(a)
    won: set[int] = set()
    for group in by_calendar.values():
        repeat_at = after_working_hours(calendars.of(group[0].unit_id), now, repeat_hours)
        for part in chunks([a.id for a in group]):
            won.update(
                run(
                    session,
                    update(Alert)
                    .where(
                        Alert.id.in_(IDS),
                        Alert.state == AlertState.OPEN,
                        Alert.next_notify_at <= now,
                    )
                    .values(
                        next_notify_at=repeat_at,
                        last_notified_at=now,
                        notify_count=Alert.notify_count + 1,
                    )
                    .returning(Alert.id),
                    {"ids": list(part)},
                ).scalars()
            )
    return [a for a in ready if a.id in won]


def _wants(rules: Mapping[str, Rule], alert: DueAlert, channel: ChannelInfo) -> bool:
    rule = rules.get(alert.rule)
    if rule is not None:
        return rule.wants(channel.kind, channel.name)
    return channel.kind == ChannelKind.INBOX or channel.kind in default_notify(
        Severity(alert.severity)
    )


def _messages(
    claimed: list[DueAlert],
    rules: Mapping[str, Rule],
    directory: Directory,
    channels: list[ChannelInfo],
    settings: Settings,
    now: datetime,
) -> list[Outgoing]:
    per_recipient: dict[int, list[DueAlert]] = defaultdict(list)
    people: dict[int, Recipient] = {}
    for a in claimed:
        for r in directory.recipients(a.unit_id, a.level):
            per_recipient[r.id].append(a)
            people[r.id] = r
    stamp = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    url = settings.console_url
    items = {
        a.id: render.alert_item(
            a.id, a.rule, a.severity, a.title, a.opened_at, a.level, a.detail, url
        )
        for a in claimed
    }
    wants = {(a.id, ch.id): _wants(rules, a, ch) for a in claimed for ch in channels}
    out: list[Outgoing] = []
    for rid, alerts in per_recipient.items():
        person = people[rid]
        for ch in channels:
            if ch.kind == ChannelKind.EMAIL and not person.email:
                continue
            chosen = [items[a.id] for a in alerts if wants[(a.id, ch.id)]]
            if not chosen:
                continue
            payload = render.alerts_payload(person, chosen, url)
            key = f"alerts:{stamp}:{rid}:{ch.id}"
            payload["idempotency_key"] = key
            out.append(
                Outgoing(
                    ch.id,
                    rid,
                    key,
                    NotificationKind.ALERTS,
                    payload["subject"],
                    render.alerts_text(payload),
                    payload,
                )
            )
    return out
