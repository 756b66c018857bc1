"""The data model and its migrations, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError, StatementError

from monitor import migrate
from monitor.db import session_scope
from monitor.models import Dossier, DossierEvent, Field, Procedure, Rating, Source, Unit
from monitor.seed import load_seeds

VN = timezone(timedelta(hours=7))


def _source(session, name: str = "dvc") -> Source:
    src = Source(name=name)
    session.add(src)
    session.flush()
    return src


def _dossier(source: Source, code: str = "000.00.06.H56-250110-0001", **kw) -> Dossier:
    return Dossier(
        source_id=source.id,
        code=code,
        received_at=kw.pop("received_at", datetime(2025, 1, 10, 8, 0, tzinfo=VN)),
        status=kw.pop("status", 4),
        **kw,
    )


def test_migrating_twice_changes_nothing_the_second_time(engine: Engine) -> None:
    assert migrate.upgrade(engine) is False
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_seeding_twice_adds_nothing_the_second_time(engine: Engine) -> None:
    first = load_seeds(engine)
    second = load_seeds(engine)
    assert first["ngày lịch"] >= 4
    assert all(n == 0 for n in second.values())


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(engine: Engine) -> None:
    migrate.downgrade(engine, "base")
    remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    migrate.upgrade(engine)
    assert {"dossiers", "units", "ratings", "alerts", "audit_log"} <= set(
        inspect(engine).get_table_names()
    )


def test_indexes_exist_for_open_dossiers_by_due_time_unit_field_and_next_change(
    engine: Engine,
) -> None:
    names = {ix["name"] for ix in inspect(engine).get_indexes("dossiers")}
    assert {
        "ix_dossiers_open_due",
        "ix_dossiers_unit_field",
        "ix_dossiers_next_change_at",
        "ix_dossiers_status_finished",
    } <= names


def test_feedback_is_found_by_its_rating_and_its_dossier_through_indexes(engine: Engine) -> None:
    names = {ix["name"] for ix in inspect(engine).get_indexes("feedback")}
    assert {"ix_feedback_rating_id", "ix_feedback_dossier_id"} <= names
    if engine.dialect.name == "sqlite":  # the satisfaction page's join of comments to labels
        with engine.connect() as conn:
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT r.id, f.topic FROM ratings r "
                "LEFT JOIN feedback f ON f.rating_id = r.id WHERE r.unit_id = 1"
            ).all()
        steps = [str(row[-1]) for row in plan]
        assert any("ix_feedback_rating_id" in step for step in steps), steps
        assert not any(step.startswith("SCAN f") for step in steps), steps


def test_timestamps_round_trip_as_aware_utc(engine: Engine) -> None:
    received = datetime(2025, 1, 24, 16, 45, tzinfo=VN)
    with session_scope(engine) as s:
        s.add(_dossier(_source(s), received_at=received))
    with session_scope(engine) as s:
        got = s.scalars(select(Dossier.received_at)).one()
    assert got.tzinfo is not None and got.utcoffset() == timedelta(0)
    assert got == received


def test_naive_timestamps_are_refused(engine: Engine) -> None:
    with pytest.raises(StatementError), session_scope(engine) as s:
        s.add(_dossier(_source(s), received_at=datetime(2025, 1, 24, 16, 45)))


def test_dossier_code_is_unique_per_source_but_not_across_sources(engine: Engine) -> None:
    with session_scope(engine) as s:
        a, b = _source(s, "a"), _source(s, "b")
        s.add_all([_dossier(a), _dossier(b)])
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        src = s.scalars(select(Source).where(Source.name == "a")).one()
        s.add(_dossier(src))


def test_a_dossier_can_have_only_one_rating(engine: Engine) -> None:
    with session_scope(engine) as s:
        d = _dossier(_source(s))
        s.add(d)
        s.flush()
        s.add(Rating(dossier_id=d.id, channel="kiosk", overall=3))
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        did = s.scalars(select(Dossier.id)).one()
        s.add(Rating(dossier_id=did, channel="online", overall=1))


def test_counter_ratings_without_a_dossier_are_not_limited(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add_all([Rating(channel="kiosk", overall=2) for _ in range(3)])
    with session_scope(engine) as s:
        assert len(s.scalars(select(Rating)).all()) == 3


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(DossierEvent(dossier_id=999_999, kind="status", status=4))


def test_units_form_a_tree_and_retired_units_map_to_successors(engine: Engine) -> None:
    reform = date(2025, 7, 1)
    with session_scope(engine) as s:
        province = Unit(code="H56", name="UBND tỉnh", level="province")
        s.add(province)
        s.flush()
        commune = Unit(
            code="X01",
            name="UBND xã Hòa Bình",
            level="commune",
            parent_id=province.id,
            valid_from=reform,
        )
        s.add(commune)
        s.flush()
        district = Unit(
            code="D01",
            name="UBND huyện cũ",
            level="district",
            parent_id=province.id,
            valid_to=reform,
            successor_id=commune.id,
        )
        s.add(district)
    with session_scope(engine) as s:
        old = s.scalars(select(Unit).where(Unit.code == "D01")).one()
        assert old.successor is not None and old.successor.code == "X01"
        assert old.is_valid_on(date(2025, 6, 30)) and not old.is_valid_on(reform)
        root = s.scalars(select(Unit).where(Unit.code == "H56")).one()
        assert {c.code for c in root.children} == {"X01", "D01"}


def test_procedures_belong_to_a_field(engine: Engine) -> None:
    with session_scope(engine) as s:
        f = Field(code="DD", name="Đất đai", is_land=True)
        s.add(f)
        s.flush()
        s.add(
            Procedure(
                code="1.004227",
                name="Đăng ký đất đai lần đầu",
                field_id=f.id,
                level="commune",
                legal_amount=20,
                legal_unit="working_days",
            )
        )
    with session_scope(engine) as s:
        p = s.scalars(select(Procedure)).one()
        assert p.field.is_land and p.legal_amount == 20


def test_sqlite_runs_in_wal_mode_with_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_json_columns_keep_vietnamese_text(engine: Engine) -> None:
    with session_scope(engine) as s:
        d = _dossier(_source(s), responsible_units=["Phòng Nông nghiệp và Môi trường"])
        d.updated_at = datetime.now(UTC)
        s.add(d)
    with session_scope(engine) as s:
        assert s.scalars(select(Dossier)).one().responsible_units == [
            "Phòng Nông nghiệp và Môi trường"
        ]


def test_migrations_match_the_models_exactly(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from monitor.models import Base

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
