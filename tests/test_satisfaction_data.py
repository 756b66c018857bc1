"""Satisfaction figures read from the database: per unit, counter and officer, the TT 01/2018
totals and grades, and the 766 score from late dossiers, negative ratings and complaints."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine
from surveys_helpers import CODES, NOW, Centre, make_centre

from monitor.db import session_scope
from monitor.metrics.satisfaction_data import summarise
from monitor.models import Feedback, Rating

VN = timezone(timedelta(hours=7))
MARCH = (date(2025, 3, 1), date(2025, 3, 20))


@pytest.fixture
def centre(engine: Engine) -> Centre:
    return make_centre(engine)


def _rate(engine: Engine, centre: Centre, code: str | None, overall: int, **kw: Any) -> None:
    at = kw.pop("at", NOW)
    with session_scope(engine) as s:
        s.add(
            Rating(
                dossier_id=centre.dossier_ids[code] if code else None,
                unit_id=centre.agency_id if code else centre.centre_id,
                officer_id=centre.officer_id,
                counter="Quầy 3",
                device_id=centre.device_id,
                channel="kiosk",
                overall=overall,
                created_at=at,
                **kw,
            )
        )


def _world(engine: Engine, centre: Centre) -> None:
    _rate(engine, centre, CODES[0], 3, crit_a=3, crit_c=2, crit_dd=3)
    _rate(engine, centre, CODES[1], 1, crit_a=1)
    _rate(engine, centre, CODES[2], 2, crit_a=2)
    _rate(engine, centre, None, 3, crit_a=1)  # the counter alone, no dossier
    with session_scope(engine) as s:  # a complaint about CODES[4], without a rating
        s.add(
            Feedback(
                source="pakn",
                dossier_id=centre.dossier_ids[CODES[4]],
                unit_id=centre.agency_id,
                text="Hồ sơ chậm",
                sentiment="negative",
                received_at=NOW,
            )
        )


def test_unit_scores_combine_indices_grade_and_the_766_score(
    engine: Engine, centre: Centre
) -> None:
    _world(engine, centre)
    summary = summarise(engine, *MARCH)
    agency = next(u for u in summary.units if u.code == "H56.STNMT")
    assert agency.indices == {1: 1.0, 3: 1.0, 7: 2.0}
    assert (agency.total, agency.grade, agency.grade_vi) == (12.0, "good", "Tốt")
    assert (agency.rates.rated, agency.rates.unsatisfied) == (3, 1)
    s766 = agency.s766
    assert s766 is not None
    # 8 finished in March, 4 late, 2 with a negative rating or complaint: 25 % -> 1.67 points
    assert (s766.considered, s766.late, s766.complained) == (8, 4, 2)
    assert s766.rate == 0.25 and round(s766.points, 2) == 1.67


def test_counter_ratings_are_counted_apart_and_feed_no_index(
    engine: Engine, centre: Centre
) -> None:
    _world(engine, centre)
    summary = summarise(engine, *MARCH)
    centre_row = next(u for u in summary.units if u.code == "H56.TTPVHCC")
    assert centre_row.indices == {} and centre_row.total is None and centre_row.grade is None
    assert (centre_row.rates.rated, centre_row.rates.counter_only) == (1, 1)
    assert summary.overall.counter_only == 1 and summary.overall.rated == 4
    [counter] = summary.counters
    assert (counter.unit_code, counter.counter, counter.rates.rated) == ("H56.TTPVHCC", "Quầy 3", 4)


def test_officer_scores_use_the_officer_indices_on_ten_points(
    engine: Engine, centre: Centre
) -> None:
    _world(engine, centre)
    [officer] = summarise(engine, *MARCH).officers
    assert (officer.code, officer.name) == ("CB01", "Trần Thị Bình")
    assert officer.total == 6.7  # (1.0 + 1.0 + 2.0) × 10 / 6
    assert officer.grade_vi == "Hoàn thành 100% nhiệm vụ"
    assert "score_766" not in officer.as_json()


def test_the_period_is_whole_vietnamese_days(engine: Engine, centre: Centre) -> None:
    last_minute = datetime(2025, 3, 20, 23, 59, tzinfo=VN)
    _rate(engine, centre, CODES[0], 3, at=last_minute)
    _rate(engine, centre, CODES[1], 1, at=last_minute + timedelta(minutes=1))
    _rate(engine, centre, CODES[2], 1, at=datetime(2025, 2, 28, 17, 0, tzinfo=UTC))  # 1/3 00:00
    summary = summarise(engine, *MARCH)
    assert (summary.overall.rated, summary.overall.very_satisfied) == (2, 1)


def test_a_unit_scope_keeps_only_its_ratings_and_dossiers(engine: Engine, centre: Centre) -> None:
    _world(engine, centre)
    summary = summarise(engine, *MARCH, unit_ids={centre.centre_id})
    assert [u.code for u in summary.units] == ["H56.TTPVHCC"]
    assert summary.as_json()["overall"]["rated"] == 1
