"""The console's alert inbox: alerts listed within a person's scope with filters, bulk
acknowledge / silence / resolve that never reach outside the scope and report what they could
not do, and an alert's history (audit entries and the messages that listed it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alerts_helpers import MONDAY_9, Org, add_dossier, alerts, build_org, rules, settings
from sqlalchemy import Engine

from alerts import triage
from alerts.service import evaluate_alerts, plan_notifications
from monitor.db import session_scope
from monitor.models import Alert
from monitor.units import subtree_ids

RULES = rules(
    [
        {"name": "dd-qua-han", "condition": "overdue", "severity": "critical",
         "scope": {"land": True}},
        {"name": "qua-han", "condition": "overdue", "severity": "warning",
         "scope": {"land": False}},
    ]
)  # fmt: skip
ACTOR = "user:ct_xa"


def _ids(engine: Engine) -> dict[str, int]:
    """Alert id per dossier code."""
    return {a.detail["dossier_code"]: a.id for a in alerts(engine)}


@pytest.fixture
def org(engine: Engine) -> Org:
    """Overdue: HS-A at commune XA-A (civil), HS-B at XA-B (civil), HS-DD at the land division."""
    org = build_org(engine)
    add_dossier(engine, org, "HS-A", unit="XA-A", field_code="HT")
    add_dossier(engine, org, "HS-B", unit="XA-B", field_code="HT")
    add_dossier(engine, org, "HS-DD", unit="PHONG-DD", field_code="DD")
    evaluate_alerts(engine, settings(), MONDAY_9, RULES)
    return org


def _scope(engine: Engine, org: Org, code: str) -> frozenset[int]:
    return frozenset(subtree_ids(engine, org.units[code]))


def _list(engine: Engine, **kw: object) -> list[str]:
    with session_scope(engine) as s:
        rows = triage.list_alerts(s, triage.AlertFilters(**kw))  # type: ignore[arg-type]
    return [r.dossier_code or "" for r in rows]


def _state(engine: Engine, alert_id: int) -> str:
    with session_scope(engine) as s:
        alert = s.get(Alert, alert_id)
        assert alert is not None
        return alert.state


def test_a_commune_supervisor_lists_only_the_communes_alerts(engine: Engine, org: Org) -> None:
    assert _list(engine, unit_ids=_scope(engine, org, "XA-A")) == ["HS-A"]
    everything = _list(engine)
    assert everything[0] == "HS-DD"  # critical first
    assert sorted(everything) == ["HS-A", "HS-B", "HS-DD"]
    with session_scope(engine) as s:
        assert triage.count_by_state(s, _scope(engine, org, "XA-A")) == {"open": 1}
        assert triage.rules_in_scope(s, _scope(engine, org, "XA-A")) == ["qua-han"]
        assert triage.get_alert(s, _ids(engine)["HS-B"], _scope(engine, org, "XA-A")) is None


def test_filters_by_severity_rule_and_state(engine: Engine, org: Org) -> None:
    assert _list(engine, severities=("critical",)) == ["HS-DD"]
    assert sorted(_list(engine, rules=("qua-han",))) == ["HS-A", "HS-B"]
    triage.acknowledge(engine, [_ids(engine)["HS-B"]], None, ACTOR, 1, "Đã giao", MONDAY_9)
    assert _list(engine, states=("acknowledged",)) == ["HS-B"]
    assert "HS-B" not in _list(engine, states=("open",))


def test_bulk_acknowledge_never_reaches_outside_the_scope(engine: Engine, org: Org) -> None:
    ids = _ids(engine)
    user = org.users["ct_xa"]
    result = triage.acknowledge(
        engine,
        [ids["HS-A"], ids["HS-DD"]],
        _scope(engine, org, "XA-A"),
        ACTOR,
        user,
        "Đã giao chuyên viên",
        MONDAY_9,
    )
    assert result.done == [ids["HS-A"]]
    assert result.failed == {
        ids["HS-DD"]: f"Cảnh báo số {ids['HS-DD']} không thuộc phạm vi được giao."
    }
    assert _state(engine, ids["HS-DD"]) == "open"
    with session_scope(engine) as s:
        a = s.get(Alert, ids["HS-A"])
        assert a is not None
        assert (a.state, a.ack_actor, a.acknowledged_by, a.ack_note) == (
            "acknowledged",
            ACTOR,
            user,
            "Đã giao chuyên viên",
        )


def test_one_refused_alert_does_not_undo_the_others(engine: Engine, org: Org) -> None:
    ids = _ids(engine)
    triage.resolve(engine, [ids["HS-B"]], None, ACTOR, "", MONDAY_9)
    result = triage.acknowledge(
        engine, [ids["HS-A"], ids["HS-B"], ids["HS-DD"]], None, ACTOR, 1, "Xử lý", MONDAY_9
    )
    assert result.done == [ids["HS-A"], ids["HS-DD"]]
    assert list(result.failed) == [ids["HS-B"]]
    assert _state(engine, ids["HS-B"]) == "resolved"


def test_acknowledging_needs_a_note(engine: Engine, org: Org) -> None:
    ids = _ids(engine)
    result = triage.acknowledge(engine, [ids["HS-A"]], None, ACTOR, 1, "  ", MONDAY_9)
    assert not result.done and ids["HS-A"] in result.failed
    assert _state(engine, ids["HS-A"]) == "open"


def test_silence_needs_a_future_end_and_a_reason(engine: Engine, org: Org) -> None:
    ids = _ids(engine)
    past = triage.silence(engine, [ids["HS-A"]], None, ACTOR, MONDAY_9, "Chờ", MONDAY_9)
    assert list(past.failed) == [ids["HS-A"]]
    until = MONDAY_9 + timedelta(days=1)
    no_reason = triage.silence(engine, [ids["HS-A"]], None, ACTOR, until, "", MONDAY_9)
    assert list(no_reason.failed) == [ids["HS-A"]]
    done = triage.silence(
        engine, [ids["HS-A"], ids["HS-B"]], None, ACTOR, until, "Chờ công dân", MONDAY_9
    )
    assert done.done == [ids["HS-A"], ids["HS-B"]]
    with session_scope(engine) as s:
        a = s.get(Alert, ids["HS-A"])
        assert a is not None and (a.state, a.silenced_until, a.silence_reason) == (
            "silenced",
            until,
            "Chờ công dân",
        )


def test_resolve_by_hand_records_who(engine: Engine, org: Org) -> None:
    ids = _ids(engine)
    result = triage.resolve(engine, [ids["HS-A"]], None, ACTOR, "Đã trả kết quả", MONDAY_9)
    assert result.done == [ids["HS-A"]]
    with session_scope(engine) as s:
        a = s.get(Alert, ids["HS-A"])
        assert a is not None and (a.state, a.resolved_by) == ("resolved", ACTOR)


def test_history_lists_what_happened_and_who_was_told(engine: Engine) -> None:
    """The commune's alert gets id 1; ten more at the land division take ids up to 11, so a
    message listing alert 10 or 11 must not be mistaken for one listing alert 1."""
    org = build_org(engine)
    add_dossier(engine, org, "HS-A", unit="XA-A", field_code="HT")
    evaluate_alerts(engine, settings(), MONDAY_9, RULES)
    for i in range(10):
        add_dossier(engine, org, f"HS-DD-{i}", unit="PHONG-DD", field_code="DD")
    evaluate_alerts(engine, settings(), MONDAY_9, RULES)
    plan_notifications(engine, settings(), MONDAY_9, RULES)
    ids = _ids(engine)
    assert ids["HS-A"] == 1 and max(ids.values()) == 11
    triage.acknowledge(engine, [1], None, ACTOR, org.users["ct_xa"], "Đã giao", MONDAY_9)
    with session_scope(engine) as s:
        lines = triage.history(s, 1)
        other = triage.history(s, 11)
    assert [h.what for h in lines] == ["Phát sinh cảnh báo", "Đã gửi thông báo", "Xác nhận xử lý"]
    assert lines[1].detail == "inbox → ct_xa (chờ gửi)"
    assert (lines[2].actor, lines[2].detail) == (ACTOR, "Đã giao")
    told = sorted(h.detail for h in other if h.what == "Đã gửi thông báo")
    assert told == ["inbox → pp_dd (chờ gửi)", "inbox → tp_dd (chờ gửi)"]
