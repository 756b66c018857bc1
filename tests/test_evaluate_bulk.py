"""What ``evaluate`` stores (chunks read into arrays, the catalogue and unit calendars looked up
by id, the batch rules) is what the one-dossier rules give on the facts as ``motcua dossiers``
reads them (joins, records, ``evaluate_at``), on a varied province, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, select

from monitor.calendar_store import set_override
from monitor.config import Settings
from monitor.db import session_scope
from monitor.deadlines.listing import Filters, list_dossiers
from monitor.enums import CalendarDayKind
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
UNITS = ("working_days", "calendar_days", "hours", None)
LEGAL_TIMES = [
    (10, "working_days"),
    (7, "calendar_days"),
    (8, "hours"),
    (0.5, "calendar_days"),
    (1.5, "working_days"),
]


def _moment(rng: random.Random, days_before: int) -> datetime:
    """A minute in the ``days_before`` days before AS_OF, or a little after it."""
    return AS_OF - timedelta(minutes=rng.randrange(-3 * 24 * 60, days_before * 24 * 60))


def _maybe(rng: random.Random, share: float, days: int) -> datetime | None:
    return _moment(rng, days) if rng.random() < share else None


def _dossier(rng: random.Random, i: int, ids: dict[str, Any]) -> Dossier:
    received = AS_OF - timedelta(minutes=rng.randrange(60, 60 * 24 * 50))
    unit = rng.choice(UNITS)
    return Dossier(
        source_id=ids["source"],
        code=f"HS-{i:04d}",
        status=rng.choice([1, 2, 3, 4, 4, 4, 5, 6, 7, 8, 9, 10, 10, 10, 11]),
        channel=rng.choice([1, 2, 3]),
        received_at=received,
        due_at=_maybe(rng, 0.7, 30),
        finished_at=_maybe(rng, 0.5, 30),
        returned_at=_maybe(rng, 0.3, 30),
        procedure_id=rng.choice([None, *ids["procedures"]]),
        legal_amount=rng.choice([None, 0, 1, 3, 0.5, 8]) if unit else None,
        legal_unit=unit,
        resolving_unit_id=rng.choice([None, *ids["units"]]),
        receiving_unit_id=rng.choice(ids["units"]),
        steps=[
            DossierStep(
                seq=k,
                unit_name=rng.choice(["Phòng A", "Phòng B", ""]),
                unit_id=rng.choice(ids["units"]),
                started_at=_maybe(rng, 0.9, 40),
                done_at=_maybe(rng, 0.6, 30),
                deadline_at=_maybe(rng, 0.9, 30),
            )
            for k in range(rng.choice([0, 1, 2, 3]))
        ],
        supplements=[
            Supplement(
                seq=k,
                requested_at=_moment(rng, 40),
                completed_at=_maybe(rng, 0.7, 30),
                new_due_at=_maybe(rng, 0.3, 20),
            )
            for k in range(rng.choice([0, 0, 0, 1, 2]))
        ],
        apologies=[
            Apology(seq=k, issued_at=_moment(rng, 30), new_due_at=_maybe(rng, 0.8, 10))
            for k in range(rng.choice([0, 0, 0, 1, 2]))
        ],
    )


def _province(engine: Engine, n: int) -> None:
    rng = random.Random(20250318)
    with session_scope(engine) as s:
        source = Source(name="dvc")
        top = Unit(code="H56", name="UBND tỉnh", level="province")
        land = Field(code="DD", name="Đất đai", is_land=True)
        s.add_all([source, top, land])
        s.flush()
        communes = [
            Unit(code=f"X{k}", name=f"UBND xã {k}", level="commune", parent_id=top.id)
            for k in range(1, 4)
        ]
        procedures = [
            Procedure(
                code=f"1.{k:03d}",
                name=f"Thủ tục {k}",
                field_id=land.id,
                level="commune",
                legal_amount=amount,
                legal_unit=unit,
            )
            for k, (amount, unit) in enumerate(LEGAL_TIMES)
        ]
        s.add_all([*communes, *procedures])
        s.flush()
        ids = {
            "source": source.id,
            "units": [top.id, *(u.id for u in communes)],
            "procedures": [p.id for p in procedures],
        }
        s.add_all([_dossier(rng, i, ids) for i in range(n)])
    with session_scope(engine) as s:  # X1 works Saturday 8/3/2025
        set_override(s, date(2025, 3, 8), CalendarDayKind.WORKING_DAY, "X1", "", "cli:test")


def test_stored_conclusions_are_those_of_the_one_dossier_rules(engine: Engine) -> None:
    _province(engine, 400)
    for settings in (Settings(), Settings(supplement_policy="legal", apology_due_basis="reset")):
        result = evaluate(engine, AS_OF, full=True, settings=settings)
        assert result.evaluated == 400
        listed = {d.code: d.evaluation for d in list_dossiers(engine, settings, AS_OF, Filters())}
        with session_scope(engine) as s:
            stored = {d.code: d for d in s.scalars(select(Dossier))}
        assert len(listed) == 400
        for code, ev in listed.items():
            d = stored[code]
            got = (d.due_status, d.legal_due_at, d.effective_due_at, d.breaches)
            assert got == (
                ev.due_status,
                ev.as_dict()["legal_due_at"],
                ev.as_dict()["effective_due_at"],
                ",".join(ev.breaches),
            ), code
            assert tuple(d.responsible_units) == ev.responsible_units, code
            assert d.next_change_at is not None
            assert int(d.next_change_at.timestamp()) == ev.next_change_at, code
