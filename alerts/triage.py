"""The console's alert inbox: alerts in a person's scope with filters, one alert with its
history (audit entries and the messages that listed it), and acknowledge / silence / resolve
applied to one or several alerts.

Scope is enforced here, not only by the page: an alert outside ``unit_ids`` is neither listed,
nor opened, nor changed. Each alert of a bulk action is changed in its own transaction by
``alerts.manual`` (a conditional UPDATE plus its audit entry), so one alert that was resolved
meanwhile does not undo the others; its reason is reported instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Text, case, cast, func, select
from sqlalchemy.orm import Session

from alerts import manual
from alerts.kinds import NotificationKind
from alerts.rules import RuleError, load_rules
from monitor.db import session_scope
from monitor.enums import AlertState, Severity
from monitor.models import Alert, AuditEntry, Notification, NotificationChannel, Unit, User

LIVE = (AlertState.OPEN.value, AlertState.ACKNOWLEDGED.value, AlertState.SILENCED.value)
SEVERITY_ORDER = case(
    (Alert.severity == Severity.CRITICAL.value, 0),
    (Alert.severity == Severity.WARNING.value, 1),
    else_=2,
)
HISTORY_ACTIONS = {
    "alert.opened": "Phát sinh cảnh báo",
    "alert.reopened": "Mở lại",
    "alert.acknowledged": "Xác nhận xử lý",
    "alert.silenced": "Tạm ẩn",
    "alert.unsilenced": "Hết thời gian tạm ẩn",
    "alert.escalated": "Chuyển lên cấp trên",
    "alert.resolved": "Kết thúc",
    "alert.retitled": "Cập nhật nội dung",
}
NOT_IN_SCOPE = "Cảnh báo số {id} không thuộc phạm vi được giao."
NOTIFIED = "Đã gửi thông báo"
NOTIFY_STATES = {
    "pending": "chờ gửi",
    "sending": "đang gửi",
    "sent": "đã gửi",
    "failed": "gửi lỗi",
}


@dataclass(frozen=True)
class AlertFilters:
    states: tuple[str, ...] = LIVE
    severities: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    unit_ids: frozenset[int] | None = None  # None: every unit (inspectors, admins)
    limit: int = 500


@dataclass(frozen=True)
class AlertRow:
    id: int
    rule: str
    severity: str
    state: str
    title: str
    unit: str
    opened_at: datetime
    last_seen_at: datetime
    escalation_level: int
    dossier_code: str | None


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    what: str
    actor: str
    detail: str


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def _scoped(q: Any, unit_ids: Collection[int] | None) -> Any:
    return q if unit_ids is None else q.where(Alert.unit_id.in_(sorted(unit_ids)))


def list_alerts(session: Session, filters: AlertFilters) -> list[AlertRow]:
    """Most severe first, then the most recently opened."""
    q = select(Alert, Unit.name).outerjoin(Unit, Unit.id == Alert.unit_id)
    q = _scoped(q, filters.unit_ids)
    if filters.states:
        q = q.where(Alert.state.in_(filters.states))
    if filters.severities:
        q = q.where(Alert.severity.in_(filters.severities))
    if filters.rules:
        q = q.where(Alert.rule.in_(filters.rules))
    q = q.order_by(SEVERITY_ORDER, Alert.opened_at.desc(), Alert.id.desc()).limit(filters.limit)
    return [_row(a, unit) for a, unit in session.execute(q).all()]


def _row(a: Alert, unit: str | None) -> AlertRow:
    code = a.detail.get("dossier_code") if isinstance(a.detail, dict) else None
    return AlertRow(
        a.id,
        a.rule,
        a.severity,
        a.state,
        a.title,
        unit or "",
        a.opened_at,
        a.last_seen_at,
        a.escalation_level,
        str(code) if code else None,
    )


def count_by_state(session: Session, unit_ids: Collection[int] | None) -> dict[str, int]:
    q = _scoped(select(Alert.state, func.count()).group_by(Alert.state), unit_ids)
    return {str(state): int(n) for state, n in session.execute(q).all()}


def rules_in_scope(session: Session, unit_ids: Collection[int] | None) -> list[str]:
    q = _scoped(select(Alert.rule).distinct(), unit_ids)
    return sorted(str(r) for r in session.scalars(q))


def rule_labels() -> dict[str, str]:
    """Rule name -> its label for people; empty when the rules cannot be read (the page still
    shows the names)."""
    try:
        return {r.name: r.label or r.name for r in load_rules()}
    except (RuleError, OSError):
        return {}


def get_alert(session: Session, alert_id: int, unit_ids: Collection[int] | None) -> Alert | None:
    """The alert, if it is in the scope."""
    q = _scoped(select(Alert).where(Alert.id == alert_id), unit_ids)
    return session.scalar(q)


def history(session: Session, alert_id: int) -> list[HistoryLine]:
    """What happened to the alert and who was told, oldest first."""
    target = f"alert:{alert_id}"
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.target == target).order_by(AuditEntry.at)
    )
    lines = [
        HistoryLine(e.at, HISTORY_ACTIONS.get(e.action, e.action), e.actor, _detail(e.detail))
        for e in audit
    ]
    lines += _notifications(session, alert_id)
    return sorted(lines, key=lambda h: h.at)


def _detail(detail: dict[str, Any] | None) -> str:
    if not detail:
        return ""
    parts = []
    for key in ("note", "reason", "until", "level"):
        if detail.get(key) not in (None, ""):
            parts.append(str(detail[key]))
    return " · ".join(parts)


def _notifications(session: Session, alert_id: int) -> list[HistoryLine]:
    """Grouped messages whose list holds the alert. Their payload links to the alert, so the
    text filter finds candidates cheaply; the payload is then read to be sure."""
    link = f'/alerts?id={alert_id}"'
    payload_text = cast(Notification.payload, Text)
    q = (
        select(Notification, NotificationChannel.name, User.username)
        .join(NotificationChannel, NotificationChannel.id == Notification.channel_id)
        .outerjoin(User, User.id == Notification.recipient_id)
        .where(
            Notification.kind == NotificationKind.ALERTS.value,
            payload_text.contains(link, autoescape=True),
        )
        .order_by(Notification.created_at)
    )
    out = []
    for n, channel, username in session.execute(q).all():
        items = n.payload.get("alerts", []) if isinstance(n.payload, dict) else []
        if not any(i.get("id") == alert_id for i in items):
            continue
        state = NOTIFY_STATES.get(n.state, n.state)
        detail = f"{channel} → {username or '?'} ({state})"
        if n.last_error and n.state != "sent":
            detail += f": {n.last_error[:120]}"
        out.append(HistoryLine(n.sent_at or n.created_at, NOTIFIED, "system:alerts", detail))
    return out


Action = Callable[[Session, int], None]


def apply_to_many(
    engine: Engine, ids: Sequence[int], unit_ids: Collection[int] | None, action: Action
) -> BulkResult:
    """``action`` on each alert in its own transaction; alerts outside the scope and alerts
    whose state refuses the action are reported, not raised."""
    result = BulkResult()
    for alert_id in ids:
        try:
            with session_scope(engine) as s:
                if get_alert(s, alert_id, unit_ids) is None:
                    raise manual.AlertActionError(NOT_IN_SCOPE.format(id=alert_id))
                action(s, alert_id)
            result.done.append(alert_id)
        except manual.AlertActionError as exc:
            result.failed[alert_id] = str(exc)
    return result


def acknowledge(
    engine: Engine,
    ids: Sequence[int],
    unit_ids: Collection[int] | None,
    actor: str,
    user_id: int,
    note: str,
    now: datetime,
) -> BulkResult:
    def act(s: Session, alert_id: int) -> None:
        manual.acknowledge(s, alert_id, actor, note, now, user_id)

    return apply_to_many(engine, ids, unit_ids, act)


def silence(
    engine: Engine,
    ids: Sequence[int],
    unit_ids: Collection[int] | None,
    actor: str,
    until: datetime,
    reason: str,
    now: datetime,
) -> BulkResult:
    def act(s: Session, alert_id: int) -> None:
        manual.silence(s, alert_id, actor, until, reason, now)

    return apply_to_many(engine, ids, unit_ids, act)


def resolve(
    engine: Engine,
    ids: Sequence[int],
    unit_ids: Collection[int] | None,
    actor: str,
    note: str,
    now: datetime,
) -> BulkResult:
    def act(s: Session, alert_id: int) -> None:
        manual.resolve(s, alert_id, actor, now, note)

    return apply_to_many(engine, ids, unit_ids, act)
