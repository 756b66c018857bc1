"""The alert lifecycle: one alert per (rule, subject), opened, acknowledged, silenced,
resolved when the condition clears, reopened with its history; every change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alerts_helpers import (
    MONDAY_9,
    add_dossier,
    alerts,
    audit_actions,
    build_org,
    count,
    notifications,
    rules,
    set_dossier,
    settings,
)
from sqlalchemy import Engine, select

from alerts.manual import AlertActionError, acknowledge, resolve, silence
from alerts.rules import RuleError
from alerts.service import evaluate_alerts, plan_notifications
from monitor.db import session_scope
from monitor.models import Alert, AuditEntry

OVERDUE = rules([{"name": "qua-han", "condition": "overdue", "severity": "warning"}])


def _evaluate(engine: Engine, now=MONDAY_9, r=OVERDUE) -> dict:
    return evaluate_alerts(engine, settings(), now, r)


def test_evaluation_run_twice_creates_no_second_alert(engine: Engine) -> None:
    org = build_org(engine)
    for i in range(3):
        add_dossier(engine, org, f"HS-{i}")
    assert _evaluate(engine)["opened"] == 3
    again = _evaluate(engine, MONDAY_9 + timedelta(minutes=5))
    assert again["opened"] == again["reopened"] == again["resolved"] == 0
    assert count(engine, Alert) == 3
    assert [a.last_seen_at for a in alerts(engine)] == [MONDAY_9 + timedelta(minutes=5)] * 3
    with session_scope(engine) as s:
        opened = s.scalars(select(AuditEntry).where(AuditEntry.action == "alert.opened")).all()
    assert len(opened) == 3 and {e.actor for e in opened} == {"system:alerts"}


def test_the_alert_resolves_by_itself_when_the_dossier_is_returned(engine: Engine) -> None:
    org = build_org(engine)
    did = add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    set_dossier(engine, did, status=10, due_status="late", returned_at=MONDAY_9)
    assert _evaluate(engine, MONDAY_9 + timedelta(hours=1))["resolved"] == 1
    (a,) = alerts(engine)
    assert a.state == "resolved" and a.resolved_by is None
    assert a.resolved_at == MONDAY_9 + timedelta(hours=1)
    assert a.next_notify_at is None and a.next_escalation_at is None


def test_a_recurrence_reopens_the_same_alert_with_its_history(engine: Engine) -> None:
    org = build_org(engine)
    did = add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    (a,) = alerts(engine)
    with session_scope(engine) as s:
        acknowledge(s, a.id, "user:tp_dd", "Đã giao chuyên viên", MONDAY_9)
    set_dossier(engine, did, due_status="in_time")
    _evaluate(engine, MONDAY_9 + timedelta(hours=1))
    set_dossier(engine, did, due_status="overdue")
    later = MONDAY_9 + timedelta(hours=2)
    assert _evaluate(engine, later)["reopened"] == 1
    (b,) = alerts(engine)
    assert b.id == a.id and b.state == "open" and b.reopen_count == 1
    assert b.first_seen_at == MONDAY_9 and b.opened_at == later
    assert b.acknowledged_at is None and b.ack_note is None  # a new episode needs a new ack
    assert b.next_notify_at == later
    assert audit_actions(engine, f"alert:{a.id}") == [
        "alert.opened",
        "alert.acknowledged",
        "alert.resolved",
        "alert.reopened",
    ]


def test_acknowledging_records_who_when_and_the_note(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    (a,) = alerts(engine)
    at = MONDAY_9 + timedelta(minutes=30)
    with session_scope(engine) as s:
        acknowledge(s, a.id, "cli:thanh", "  Đã nhắc phòng đất đai  ", at, user_id=None)
    (b,) = alerts(engine)
    assert (b.state, b.ack_actor, b.acknowledged_at) == ("acknowledged", "cli:thanh", at)
    assert b.ack_note == "Đã nhắc phòng đất đai"
    assert b.next_notify_at is None and b.next_escalation_at is None
    with session_scope(engine) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "alert.acknowledged")).one()
    assert entry.actor == "cli:thanh" and entry.detail == {"note": "Đã nhắc phòng đất đai"}
    with session_scope(engine) as s, pytest.raises(AlertActionError, match="đã được xác nhận"):
        acknowledge(s, a.id, "cli:thanh", "lần hai", at)


def test_actions_on_a_missing_or_resolved_alert_are_refused(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    (a,) = alerts(engine)
    with (
        session_scope(engine) as s,
        pytest.raises(AlertActionError, match="Không có cảnh báo số 999"),
    ):
        acknowledge(s, 999, "cli:x", "ghi chú", MONDAY_9)
    with session_scope(engine) as s:
        resolve(s, a.id, "cli:x", MONDAY_9)
    with session_scope(engine) as s, pytest.raises(AlertActionError, match="đã kết thúc"):
        silence(s, a.id, "cli:x", MONDAY_9 + timedelta(days=1), "nghỉ lễ", MONDAY_9)
    with session_scope(engine) as s, pytest.raises(AlertActionError, match="ghi chú"):
        acknowledge(s, a.id, "cli:x", "   ", MONDAY_9)


def test_a_silence_ends_at_its_time_and_the_alert_is_due_again(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    (a,) = alerts(engine)
    until = MONDAY_9 + timedelta(hours=3)
    with session_scope(engine) as s:
        silence(s, a.id, "cli:thanh", until, "Chờ ý kiến Sở Tài chính", MONDAY_9)
    with session_scope(engine) as s, pytest.raises(AlertActionError, match="sau thời điểm"):
        silence(s, a.id, "cli:thanh", MONDAY_9, "quá khứ", MONDAY_9)
    one_minute_before = until - timedelta(minutes=1)
    assert plan_notifications(engine, settings(), one_minute_before, OVERDUE).unsilenced == 0
    assert alerts(engine)[0].state == "silenced"
    assert notifications(engine) == []  # nothing goes out while silenced
    assert plan_notifications(engine, settings(), until, OVERDUE).unsilenced == 1
    (b,) = alerts(engine)
    assert b.state == "open" and b.silenced_until is None
    assert b.silence_reason == "Chờ ý kiến Sở Tài chính" and b.silenced_by == "cli:thanh"
    assert audit_actions(engine, f"alert:{a.id}")[-2:] == ["alert.silenced", "alert.unsilenced"]


def test_a_silenced_acknowledged_alert_returns_acknowledged(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    (a,) = alerts(engine)
    until = MONDAY_9 + timedelta(days=1)
    with session_scope(engine) as s:
        acknowledge(s, a.id, "cli:x", "đang xử lý", MONDAY_9)
        silence(s, a.id, "cli:x", until, "chờ", MONDAY_9)
    plan_notifications(engine, settings(), until, OVERDUE)
    (b,) = alerts(engine)
    assert b.state == "acknowledged" and b.next_notify_at is None


def test_a_resolution_by_hand_holds_while_the_condition_lasts(engine: Engine) -> None:
    org = build_org(engine)
    did = add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    (a,) = alerts(engine)
    with session_scope(engine) as s:
        resolve(s, a.id, "cli:thanh", MONDAY_9, "đã xử lý trách nhiệm")
    assert _evaluate(engine, MONDAY_9 + timedelta(hours=1))["reopened"] == 0
    assert alerts(engine)[0].state == "resolved"
    set_dossier(engine, did, due_status="in_time")  # cleared ...
    _evaluate(engine, MONDAY_9 + timedelta(hours=2))
    set_dossier(engine, did, due_status="overdue")  # ... and back: a new episode
    assert _evaluate(engine, MONDAY_9 + timedelta(hours=3))["reopened"] == 1
    assert alerts(engine)[0].resolved_by is None


def test_an_alert_of_a_rule_no_longer_configured_is_resolved(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    other = rules([{"name": "sap-den-han", "condition": "due_soon"}])
    assert _evaluate(engine, MONDAY_9 + timedelta(minutes=5), other)["retired"] == 1
    assert alerts(engine)[0].state == "resolved"


def test_a_scope_naming_an_unknown_unit_stops_evaluation_with_the_rule_name(
    engine: Engine,
) -> None:
    build_org(engine)
    bad = rules([{"name": "xa-c", "condition": "overdue", "scope": {"units": ["XA-C"]}}])
    with pytest.raises(RuleError, match="'xa-c': không có đơn vị mã 'XA-C'"):
        _evaluate(engine, r=bad)


def test_a_changed_due_date_updates_the_title_without_a_new_alert(engine: Engine) -> None:
    org = build_org(engine)
    did = add_dossier(engine, org, "HS-1")
    _evaluate(engine)
    set_dossier(engine, did, effective_due_at=MONDAY_9 - timedelta(days=1))
    assert _evaluate(engine, MONDAY_9 + timedelta(minutes=5))["retitled"] == 1
    (a,) = alerts(engine)
    assert "09/03/2025" in a.title and count(engine, Alert) == 1
