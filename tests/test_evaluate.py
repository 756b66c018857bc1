"""Evaluating the stored dossiers (monitor.evaluate) and listing them, on SQLite and PostgreSQL.

The province: units H56 > X1, X2; the land procedure 1.001 takes 10 working days. As of
Tuesday 18/3/2025 10:00, dossier A (received 03/3) is one day overdue.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

import monitor.evaluate as evaluation
from monitor.calendar_store import set_override
from monitor.config import Settings
from monitor.db import session_scope
from monitor.deadlines.listing import Filters, list_dossiers
from monitor.enums import CalendarDayKind, DueStatus
from monitor.evaluate import evaluate
from monitor.models import (
    Apology,
    Dossier,
    DossierStep,
    Field,
    Procedure,
    Source,
    Supplement,
    Unit,
)

VN = timezone(timedelta(hours=7))
AS_OF = datetime(2025, 3, 18, 10, 0, tzinfo=VN)
S = Settings()


def vn(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=VN)


def _world(engine: Engine) -> dict[str, Any]:
    with session_scope(engine) as s:
        src = Source(name="dvc")
        province = Unit(code="H56", name="UBND tỉnh", level="province")
        land, civil = (
            Field(code="DD", name="Đất đai", is_land=True),
            Field(code="HT", name="Hộ tịch"),
        )
        s.add_all([src, province, land, civil])
        s.flush()
        x1 = Unit(code="X1", name="UBND xã Một", level="commune", parent_id=province.id)
        x2 = Unit(code="X2", name="UBND xã Hai", level="commune", parent_id=province.id)
        proc = Procedure(
            code="1.001",
            name="Đăng ký biến động",
            field_id=land.id,
            level="commune",
            legal_amount=10,
            legal_unit="working_days",
        )
        s.add_all([x1, x2, proc])
        s.flush()
        base = {"source_id": src.id, "status": 4}
        land_x1 = {**base, "procedure_id": proc.id, "field_id": land.id, "resolving_unit_id": x1.id}
        s.add_all(
            [
                Dossier(
                    code="A",
                    received_at=vn(3),
                    applicant_name="Nguyễn Văn An",
                    applicant_phone="0912345678",
                    **land_x1,
                    steps=[
                        DossierStep(
                            seq=1,
                            unit_name="Phòng Tài nguyên",
                            started_at=vn(3),
                            done_at=vn(12),
                            deadline_at=vn(10, 17),
                        )
                    ],
                ),
                Dossier(
                    code="B",
                    received_at=vn(3),
                    legal_amount=3,
                    legal_unit="working_days",
                    field_id=civil.id,
                    resolving_unit_id=x2.id,
                    finished_at=vn(5),
                    **{**base, "status": 10},
                ),
                Dossier(code="C", received_at=vn(10), **land_x1),
                Dossier(code="D", received_at=vn(20), **land_x1),
                Dossier(
                    code="E",
                    received_at=vn(3),
                    supplements=[Supplement(seq=1, requested_at=vn(5))],
                    **{**land_x1, "status": 5},
                ),
                # The catalogue's 10 working days win over the 1 the dossier carries.
                Dossier(
                    code="F",
                    received_at=vn(3),
                    legal_amount=1,
                    legal_unit="working_days",
                    apologies=[Apology(seq=1, issued_at=vn(14), new_due_at=vn(21, 17))],
                    **land_x1,
                ),
            ]
        )
        return {"x1": x1.id, "x2": x2.id, "province": province.id, "land": land.id}


def _stored(engine: Engine) -> dict[str, Dossier]:
    with session_scope(engine) as s:
        return {d.code: d for d in s.scalars(select(Dossier))}


def test_evaluation_stores_status_dues_breaches_and_responsible_units(engine: Engine) -> None:
    _world(engine)
    result = evaluate(engine, AS_OF, settings=S)
    assert (result.evaluated, result.changed, result.written, result.skipped) == (6, 6, 6, 0)
    d = _stored(engine)
    assert d["A"].due_status == "overdue" and d["A"].breaches == "late_without_apology"
    assert d["A"].legal_due_at == vn(17) and d["A"].effective_due_at == vn(17)
    assert d["A"].responsible_units == ["Phòng Tài nguyên"]
    assert d["B"].due_status == "early" and d["B"].next_change_at.year == 9999
    assert d["C"].due_status == "in_time" and d["C"].next_change_at == vn(21, 0)
    assert d["D"].due_status == "in_time"  # received after the as-of time: judged as it stood
    assert d["E"].due_status == "waiting_citizen"
    assert d["F"].legal_due_at == vn(17) and d["F"].effective_due_at == vn(21, 17)
    assert d["F"].due_status == "overdue" and d["F"].breaches == ""
    assert d["A"].evaluated_at == AS_OF


def test_a_second_run_touches_nothing_until_something_can_have_changed(engine: Engine) -> None:
    _world(engine)
    evaluate(engine, AS_OF, settings=S)
    again = evaluate(engine, AS_OF + timedelta(hours=1), settings=S)
    assert (again.evaluated, again.written) == (0, 0)
    full = evaluate(engine, AS_OF + timedelta(hours=1), full=True, settings=S)
    assert (full.evaluated, full.changed, full.written) == (6, 0, 0)
    # Friday 21/3 00:00: C becomes due soon (due Monday 24/3); F misses its new date.
    friday = evaluate(engine, vn(21, 0), settings=S)
    assert friday.changed == 1 and friday.evaluated >= 1
    assert _stored(engine)["C"].due_status == "due_soon"
    saturday = evaluate(engine, vn(22, 0), settings=S)
    assert saturday.changed == 1 and _stored(engine)["F"].breaches == "missed_new_due"


def test_dossiers_marked_by_the_ingest_are_picked_up(engine: Engine) -> None:
    _world(engine)
    evaluate(engine, AS_OF, settings=S)
    with session_scope(engine) as s:
        # What the ingest does when a record changes: new facts, updated_at and the mark.
        s.execute(
            update(Dossier)
            .where(Dossier.code == "C")
            .values(status=10, finished_at=vn(18, 9), updated_at=AS_OF, next_change_at=AS_OF)
        )
    result = evaluate(engine, AS_OF + timedelta(minutes=5), settings=S)
    assert (result.evaluated, result.changed) == (1, 1)
    assert _stored(engine)["C"].due_status == "early"


def test_a_dossier_changed_during_evaluation_keeps_its_mark(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _world(engine)
    real = evaluation._evaluate_rows

    def meanwhile_the_ingest_writes(*args: Any) -> Any:
        updates = real(*args)
        with session_scope(engine) as s:
            s.execute(
                update(Dossier)
                .where(Dossier.code == "A")
                .values(updated_at=AS_OF, next_change_at=AS_OF)
            )
        return updates

    monkeypatch.setattr(evaluation, "_evaluate_rows", meanwhile_the_ingest_writes)
    result = evaluate(engine, AS_OF, settings=S)
    assert (result.written, result.skipped) == (5, 1)
    assert _stored(engine)["A"].due_status is None
    monkeypatch.undo()
    assert evaluate(engine, AS_OF, settings=S).evaluated == 1


def test_a_units_own_calendar_applies_to_its_dossiers(engine: Engine) -> None:
    _world(engine)
    with session_scope(engine) as s:
        set_override(s, date(2025, 3, 8), CalendarDayKind.WORKING_DAY, "X1", "", "cli:test")
    evaluate(engine, AS_OF, settings=S)
    assert _stored(engine)["A"].legal_due_at == vn(14)  # Saturday 08/3 worked at X1


def test_the_policy_comes_from_the_settings(engine: Engine) -> None:
    _world(engine)
    evaluate(engine, AS_OF, settings=Settings(apology_due_basis="reset"))
    assert _stored(engine)["F"].due_status == "in_time"  # judged against Friday 21/3


# -- listing -------------------------------------------------------------------------------------


def test_listing_computes_the_status_as_of_any_moment_with_filters(engine: Engine) -> None:
    ids = _world(engine)
    listed = {d.code: d for d in list_dossiers(engine, S, AS_OF, Filters())}
    assert set(listed) == {"A", "B", "C", "E", "F"}  # D was received later
    assert listed["A"].evaluation.due_status is DueStatus.OVERDUE
    assert (listed["A"].field_code, listed["A"].unit_code) == ("DD", "X1")
    earlier = list_dossiers(engine, S, vn(7, 10), Filters(status=DueStatus.IN_TIME))
    assert {d.code for d in earlier} == {"A", "F"}
    overdue = list_dossiers(engine, S, AS_OF, Filters(status=DueStatus.OVERDUE))
    assert [d.code for d in overdue] == ["A", "F"]
    province = frozenset({ids["province"], ids["x1"], ids["x2"]})
    assert len(list_dossiers(engine, S, AS_OF, Filters(unit_ids=province))) == 5
    assert [
        d.code for d in list_dossiers(engine, S, AS_OF, Filters(unit_ids=frozenset({ids["x2"]})))
    ] == ["B"]
    assert len(list_dossiers(engine, S, AS_OF, Filters(field_id=ids["land"], limit=2))) == 2
