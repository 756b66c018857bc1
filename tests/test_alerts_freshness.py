"""A source that stops delivering raises one alert, resolved when it delivers again and
reopened (same alert, history kept) if it stops again: the stale_source condition of the
alert rules (moved here from test_freshness.py when freshness joined the rule engine)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts_helpers import alerts, audit_actions, settings
from sqlalchemy import Engine, update

from alerts.kinds import Condition
from alerts.rules import parse_rules
from alerts.service import evaluate_alerts
from monitor.db import session_scope
from monitor.models import Source

NOW = datetime(2025, 3, 4, 3, 0, tzinfo=UTC)
RULES = parse_rules([{"name": "nguon", "condition": "stale_source", "severity": "warning"}])
ONLY = {Condition.STALE_SOURCE}


def _add_source(engine: Engine, last_success: datetime | None) -> None:
    with session_scope(engine) as s:
        s.add(
            Source(
                name="dvc-tinh",
                kind="http",
                url="http://127.0.0.1:1/feed",
                expected_interval_minutes=60,
                last_success_at=last_success,
            )
        )


def _check(engine: Engine, now: datetime) -> dict:
    return evaluate_alerts(engine, settings(), now, RULES, ONLY)


def test_a_source_within_its_interval_raises_nothing(engine: Engine) -> None:
    _add_source(engine, NOW - timedelta(minutes=60))
    assert _check(engine, NOW)["opened"] == 0
    assert alerts(engine) == []


def test_a_stale_source_raises_one_alert_however_often_checked(engine: Engine) -> None:
    _add_source(engine, NOW - timedelta(minutes=61))
    assert _check(engine, NOW)["opened"] == 1
    assert _check(engine, NOW + timedelta(minutes=15))["opened"] == 0
    (alert,) = alerts(engine)
    assert alert.state == "open" and alert.key == "nguon:source:dvc-tinh"
    assert "dvc-tinh" in alert.title and alert.unit_id is None


def test_the_alert_resolves_when_the_source_delivers_and_reopens_if_it_stops_again(
    engine: Engine,
) -> None:
    _add_source(engine, None)
    _check(engine, NOW)
    with session_scope(engine) as s:
        s.execute(update(Source).values(last_success_at=NOW))
    assert _check(engine, NOW + timedelta(minutes=5))["resolved"] == 1
    assert alerts(engine)[0].state == "resolved"
    assert _check(engine, NOW + timedelta(hours=2))["reopened"] == 1
    (alert,) = alerts(engine)
    assert alert.state == "open" and alert.reopen_count == 1
    assert audit_actions(engine, f"alert:{alert.id}") == [
        "alert.opened",
        "alert.resolved",
        "alert.reopened",
    ]
