"""Routing, grouping, repeat, working hours and escalation up the unit tree."""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts_helpers import (
    MONDAY_9,
    VN,
    Org,
    add_dossier,
    alerts,
    build_org,
    notifications,
    rules,
    settings,
)
from sqlalchemy import Engine

from alerts.manual import acknowledge
from alerts.outbox.dispatch import dispatch
from alerts.queries import inbox, mark_read
from alerts.service import evaluate_alerts, plan_notifications
from monitor.db import session_scope
from monitor.models import Source

FRIDAY_16 = datetime(2025, 3, 7, 16, 0, tzinfo=VN)
WARN = rules([{"name": "qua-han", "condition": "overdue", "severity": "warning"}])


def _round(engine: Engine, now: datetime, r=WARN, **kw) -> dict:
    s = settings(**kw)
    evaluate_alerts(engine, s, now, r)
    return plan_notifications(engine, s, now, r).as_json()


def _inbox(engine: Engine, org: Org) -> dict[str, int]:
    names = {uid: name for name, uid in org.users.items()}
    out: dict[str, int] = {}
    for n in notifications(engine, kind="alerts", channel_id=1):
        out[names[n.recipient_id]] = out.get(names[n.recipient_id], 0) + 1
    return out


def test_alerts_for_a_unit_reach_its_supervisors_in_one_message_each(engine: Engine) -> None:
    org = build_org(engine)
    for i in range(5):
        add_dossier(engine, org, f"HS-{i}")
    result = _round(engine, MONDAY_9)
    assert result["notified"] == 5 and result["messages"] == 2
    assert _inbox(engine, org) == {"tp_dd": 1, "pp_dd": 1}
    message = notifications(engine, recipient_id=org.users["tp_dd"])[0]
    assert message.payload["total"] == 5 and len(message.payload["alerts"]) == 5
    assert message.subject == "[Một cửa] 5 cảnh báo cần xử lý"


def test_a_second_round_sends_nothing_new(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _round(engine, MONDAY_9)
    again = _round(engine, MONDAY_9 + timedelta(minutes=20))
    assert again["notified"] == 0 and again["messages"] == 0
    assert _inbox(engine, org) == {"tp_dd": 1, "pp_dd": 1}


def test_a_unit_without_supervisors_hands_over_and_a_source_goes_to_admins(
    engine: Engine,
) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "XA-B-1", unit="XA-B")
    with session_scope(engine) as s:
        s.add(Source(name="dvc-tinh", kind="http", expected_interval_minutes=60))
    both = WARN + rules([{"name": "nguon", "condition": "stale_source"}])
    _round(engine, MONDAY_9, both)
    assert _inbox(engine, org) == {"gd_tinh": 1, "quantri": 1}


def test_new_alerts_wait_for_the_recipients_group_interval(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _round(engine, MONDAY_9)
    add_dossier(engine, org, "HS-2")
    waiting = _round(engine, MONDAY_9 + timedelta(minutes=14))
    assert waiting["notified"] == 0 and waiting["waiting"] == 1
    sent = _round(engine, MONDAY_9 + timedelta(minutes=15))
    assert sent["notified"] == 1
    latest = notifications(engine, recipient_id=org.users["tp_dd"])[-1]
    assert [a["title"][:10] for a in latest.payload["alerts"]] == ["Hồ sơ HS-2"]


def test_unacknowledged_alerts_repeat_after_the_repeat_interval(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    add_dossier(engine, org, "HS-2")
    no_escalation = {"alert_escalation_working_hours": 0}
    _round(engine, MONDAY_9, **no_escalation)
    first, _second = alerts(engine)
    with session_scope(engine) as s:
        acknowledge(s, first.id, "cli:x", "đang xử lý", MONDAY_9)
    # 8 working hours after Monday 09:00 is Tuesday 09:00.
    tuesday_9 = MONDAY_9 + timedelta(days=1)
    assert _round(engine, tuesday_9 - timedelta(minutes=1), **no_escalation)["notified"] == 0
    assert _round(engine, tuesday_9, **no_escalation)["notified"] == 1
    latest = notifications(engine, recipient_id=org.users["tp_dd"])[-1]
    assert [a["title"][:10] for a in latest.payload["alerts"]] == ["Hồ sơ HS-2"]


def test_outside_working_hours_only_critical_alerts_go_out(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "WARN", field_code="HT")
    add_dossier(engine, org, "CRIT", field_code="DD")
    both = rules(
        [
            {"name": "warn", "condition": "overdue", "scope": {"land": False}},
            {
                "name": "crit",
                "condition": "overdue",
                "severity": "critical",
                "scope": {"land": True},
            },
        ]
    )
    evening = datetime(2025, 3, 10, 18, 0, tzinfo=VN)
    night = _round(engine, evening, both)
    assert night["notified"] == 1 and night["waiting"] == 1
    assert _round(engine, datetime(2025, 3, 11, 6, 59, tzinfo=VN), both)["notified"] == 0
    assert _round(engine, datetime(2025, 3, 11, 7, 0, tzinfo=VN), both)["notified"] == 1


def test_escalation_after_four_working_hours_skips_the_weekend(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _round(engine, FRIDAY_16)
    assert alerts(engine)[0].next_escalation_at == datetime(2025, 3, 10, 10, 0, tzinfo=VN)
    saturday = _round(engine, datetime(2025, 3, 8, 10, 0, tzinfo=VN))
    before = _round(engine, datetime(2025, 3, 10, 9, 59, tzinfo=VN))
    assert saturday["escalated"] == before["escalated"] == 0
    assert "gd_so" not in _inbox(engine, org)
    at = _round(engine, datetime(2025, 3, 10, 10, 0, tzinfo=VN))
    assert at["escalated"] == 1
    assert _inbox(engine, org) == {"tp_dd": 2, "pp_dd": 2, "gd_so": 1}
    (a,) = alerts(engine)
    assert a.escalation_level == 1
    # The next level four working hours later: 10:00 + 1.5 h + 2.5 h after lunch = 16:00.
    assert a.next_escalation_at == datetime(2025, 3, 10, 16, 0, tzinfo=VN)
    _round(engine, datetime(2025, 3, 10, 16, 0, tzinfo=VN))
    assert _inbox(engine, org)["gd_tinh"] == 1
    (top,) = alerts(engine)
    assert top.escalation_level == 2 and top.next_escalation_at is None  # nobody above


def test_an_acknowledged_alert_does_not_escalate(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    _round(engine, FRIDAY_16)
    with session_scope(engine) as s:
        acknowledge(s, alerts(engine)[0].id, "cli:x", "đã nhận", FRIDAY_16)
    assert _round(engine, datetime(2025, 3, 10, 10, 0, tzinfo=VN))["escalated"] == 0
    assert "gd_so" not in _inbox(engine, org)


def test_information_goes_to_the_inbox_only_and_warnings_by_email_too(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1", due_status="due_soon")
    add_dossier(engine, org, "HS-2")
    both = rules(
        [
            {"name": "sap", "condition": "due_soon", "severity": "info"},
            {"name": "qua", "condition": "overdue", "severity": "warning"},
        ]
    )
    _round(engine, MONDAY_9, both, smtp_host="127.0.0.1")
    mine = notifications(engine, recipient_id=org.users["tp_dd"])
    by_channel = {n.channel_id: n.payload["total"] for n in mine}
    assert by_channel == {1: 2, 2: 1}  # inbox: both; email: the warning only


def test_the_console_inbox_lists_a_persons_messages_and_marks_them_read(engine: Engine) -> None:
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    st = settings()
    _round(engine, MONDAY_9)
    dispatch(engine, st, MONDAY_9)
    me = org.users["tp_dd"]
    with session_scope(engine) as s:
        (msg,) = inbox(s, me)
        assert msg.read_at is None and msg.payload["alerts"][0]["title"].startswith("Hồ sơ HS-1")
        assert inbox(s, org.users["gd_so"]) == []
        assert not mark_read(s, org.users["pp_dd"], msg.id, MONDAY_9)  # not theirs
        assert mark_read(s, me, msg.id, MONDAY_9)
        assert not mark_read(s, me, msg.id, MONDAY_9)  # already read
