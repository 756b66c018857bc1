"""The late-dossier list: overdue and due-soon dossiers of a scope, judged afresh, filtered and
sorted by urgency; a commune never sees another commune's dossiers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from reports_helpers import VN, Province, add_dossier, make_province
from sqlalchemy import Engine, update

from monitor.config import Settings
from monitor.db import session_scope
from monitor.deadlines.listing import Filters, list_dossiers
from monitor.enums import DueStatus
from monitor.evaluate import evaluate
from monitor.metrics.late import LateFilters, field_choices, late_dossiers
from monitor.metrics.overview import unit_levels
from monitor.models import Dossier
from monitor.units import subtree_ids

CONF = Settings()
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=VN)  # Monday


def _add(
    engine: Engine, p: Province, code: str, unit: int, field: int, due: str, **kw: object
) -> int:
    return add_dossier(
        engine, p, unit=unit, field=field, received="2025-02-10 09:00", due=due, code=code, **kw
    )


@pytest.fixture
def province(engine: Engine) -> Province:
    """At commune A: L1 (land) and C1 overdue since 20/02, C2 overdue since 05/03, S1 (online)
    due today, S2 (land) due tomorrow, I1 in time, F1 finished late. B1 overdue at commune B.
    P1 overdue at the land office, received at commune A."""
    p = make_province(engine)
    a = p.commune_a
    _add(engine, p, "L1", a, p.land, "2025-02-20 16:00")
    _add(engine, p, "C1", a, p.civil, "2025-02-20 16:00")
    _add(engine, p, "C2", a, p.civil, "2025-03-05 16:00")
    _add(engine, p, "S1", a, p.civil, "2025-03-10 16:00", channel=2)
    _add(engine, p, "S2", a, p.land, "2025-03-11 16:00")
    _add(engine, p, "I1", a, p.civil, "2025-04-10 16:00")
    _add(engine, p, "F1", a, p.civil, "2025-02-20 16:00", status=10, finished="2025-02-25 10:00")
    _add(engine, p, "B1", p.commune_b, p.civil, "2025-02-20 16:00")
    p1 = _add(engine, p, "P1", p.land_office, p.land, "2025-02-25 16:00")
    with session_scope(engine) as s:
        s.execute(update(Dossier).where(Dossier.id == p1).values(receiving_unit_id=a))
    evaluate(engine, NOW, full=True, settings=CONF)
    return p


def _codes(engine: Engine, now: datetime = NOW, **kw: object) -> list[str]:
    filters = LateFilters(**kw)  # type: ignore[arg-type]
    return [d.code for d in late_dossiers(engine, CONF, filters, now, unit_levels(engine))]


def _scope(engine: Engine, unit: int) -> frozenset[int]:
    return frozenset(subtree_ids(engine, unit))


def test_sorted_by_urgency_overdue_longest_first_land_first_on_a_tie(
    engine: Engine, province: Province
) -> None:
    rows = late_dossiers(
        engine, CONF, LateFilters(unit_ids=_scope(engine, province.commune_a)), NOW
    )
    assert [d.code for d in rows] == ["L1", "C1", "C2", "S1", "S2"]
    # Working days after 20/02 up to 10/03: 21/02, 24–28/02, 03–07/03, 10/03; after 05/03: 3.
    assert [d.days_overdue for d in rows] == [12, 12, 3, 0, 0]
    assert [d.due_status for d in rows][2:4] == [DueStatus.OVERDUE, DueStatus.DUE_SOON]


def test_days_overdue_agree_with_the_dossier_listing(engine: Engine, province: Province) -> None:
    listed = {
        d.code: d.evaluation.days_late
        for d in list_dossiers(engine, CONF, NOW, Filters(status=DueStatus.OVERDUE))
    }
    rows = late_dossiers(engine, CONF, LateFilters(due_statuses=(DueStatus.OVERDUE,)), NOW)
    assert {d.code: d.days_overdue for d in rows} == listed


def test_a_commune_supervisor_never_sees_another_communes_dossiers(
    engine: Engine, province: Province
) -> None:
    a = _codes(engine, unit_ids=_scope(engine, province.commune_a))
    b = _codes(engine, unit_ids=_scope(engine, province.commune_b))
    assert b == ["B1"]
    assert "B1" not in a
    # P1 counts at the land office, which resolves it: not on commune A's list.
    assert "P1" not in a
    assert set(_codes(engine)) == {"L1", "C1", "C2", "S1", "S2", "B1", "P1"}


def test_filters_by_field_channel_level_and_days_overdue(
    engine: Engine, province: Province
) -> None:
    p = province
    assert _codes(engine, field_ids=(p.land,)) == ["L1", "P1", "S2"]
    assert _codes(engine, channels=(2,)) == ["S1"]
    assert _codes(engine, levels=("province",)) == ["P1"]
    assert "P1" not in _codes(engine, levels=("commune",))
    assert _codes(engine, min_days_overdue=4) == ["L1", "B1", "C1", "P1"]
    assert _codes(engine, due_statuses=(DueStatus.DUE_SOON,)) == ["S1", "S2"]


def test_dossiers_are_judged_afresh_not_by_the_stored_status(
    engine: Engine, province: Province
) -> None:
    tomorrow = NOW + timedelta(days=1)
    rows = {
        d.code: d
        for d in late_dossiers(
            engine, CONF, LateFilters(unit_ids=_scope(engine, province.commune_a)), tomorrow
        )
    }
    assert rows["S1"].due_status is DueStatus.OVERDUE and rows["S1"].days_overdue == 1
    with session_scope(engine) as s:  # returned since the last evaluation
        s.execute(
            update(Dossier)
            .where(Dossier.code == "C2")
            .values(status=10, finished_at=NOW - timedelta(hours=1))
        )
    assert "C2" not in _codes(engine)


def test_field_choices_put_land_first(engine: Engine) -> None:
    make_province(engine)
    assert [name for _id, name in field_choices(engine)] == [
        "Đất đai",
        "Đăng ký kinh doanh",
        "Hộ tịch",
    ]
