"""A source that stops delivering raises one alert, resolved when it delivers again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update

from monitor.db import session_scope
from monitor.freshness import check_freshness
from monitor.models import Alert, Source

NOW = datetime(2025, 3, 4, 3, 0, tzinfo=UTC)


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


def _alerts(engine: Engine) -> list[Alert]:
    with session_scope(engine) as s:
        return list(s.scalars(select(Alert)))


def test_a_source_within_its_interval_raises_nothing(engine: Engine) -> None:
    _add_source(engine, NOW - timedelta(minutes=60))
    assert check_freshness(engine, NOW)["stale"] == 0
    assert _alerts(engine) == []


def test_a_stale_source_raises_one_alert_however_often_checked(engine: Engine) -> None:
    _add_source(engine, NOW - timedelta(minutes=61))
    assert check_freshness(engine, NOW)["raised"] == 1
    assert check_freshness(engine, NOW + timedelta(minutes=15))["raised"] == 0
    alerts = _alerts(engine)
    assert len(alerts) == 1
    assert alerts[0].state == "open" and alerts[0].key == "stale_source:dvc-tinh"
    assert "dvc-tinh" in alerts[0].title


def test_the_alert_resolves_when_the_source_delivers_and_reopens_if_it_stops_again(
    engine: Engine,
) -> None:
    _add_source(engine, None)
    check_freshness(engine, NOW)
    with session_scope(engine) as s:
        s.execute(update(Source).values(last_success_at=NOW))
    assert check_freshness(engine, NOW + timedelta(minutes=5))["resolved"] == 1
    assert _alerts(engine)[0].state == "resolved"
    assert check_freshness(engine, NOW + timedelta(hours=2))["raised"] == 0
    (alert,) = _alerts(engine)
    assert alert.state == "open" and alert.reopen_count == 1
