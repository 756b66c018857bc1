"""Overdue and due-soon dossiers of a scope, filtered and sorted by urgency.

The candidates are the dossiers the last evaluation found overdue or due soon (an indexed
column, so the list never reads the whole table); each is judged again at ``now`` by the
deadline engine (``monitor.metrics.fresh``), which gives the working days overdue and the
units responsible, and drops a dossier that changed since. No applicant data is read.

Urgency: overdue before due soon; among the overdue the most working days late first; then
the earliest due day; land affairs first among dossiers due the same day (DESIGN: land first
among overdue dossiers).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from monitor.calendar import from_instant, local_date
from monitor.config import Settings
from monitor.db import session_scope
from monitor.deadlines import Evaluation
from monitor.enums import Breach, DueStatus
from monitor.metrics.fresh import evaluate_ids
from monitor.metrics.scope import DOSSIER_UNIT, counted_in, unit_in
from monitor.metrics.vi_labels import NO_FIELD, NO_UNIT
from monitor.models import Dossier, Field, Unit

PENDING = (DueStatus.OVERDUE, DueStatus.DUE_SOON)


@dataclass(frozen=True)
class LateFilters:
    due_statuses: tuple[DueStatus, ...] = PENDING
    unit_ids: frozenset[int] | None = None  # the scope (None: every unit)
    field_ids: tuple[int, ...] = ()  # empty: every field
    levels: tuple[str, ...] = ()  # province, district, commune (Biểu 06a sections)
    channels: tuple[int, ...] = ()
    min_days_overdue: int = 0  # working days; 0 keeps the due-soon ones too


@dataclass(frozen=True)
class LateDossier:
    id: int
    code: str
    procedure: str
    field: str
    is_land: bool
    unit: str
    unit_id: int | None
    channel: int
    status: int
    received_at: datetime
    due_status: DueStatus
    due_at: datetime | None  # the appointment lateness is judged against
    effective_due_at: datetime | None  # a valid apology's new date, else the appointment
    days_overdue: int
    responsible_units: tuple[str, ...]
    breaches: tuple[Breach, ...]


def _units_of_levels(levels: Collection[str], level_of_unit: dict[int, str]) -> set[int]:
    return {uid for uid, level in level_of_unit.items() if level in levels}


def _candidates(engine: Engine, filters: LateFilters, level_of_unit: dict[int, str]) -> list[Any]:
    q = (
        select(
            Dossier.id,
            Dossier.code,
            Dossier.procedure_code,
            Dossier.procedure_name,
            func.coalesce(Field.name, NO_FIELD).label("field"),
            func.coalesce(Field.is_land, False).label("is_land"),
            func.coalesce(Unit.name, NO_UNIT).label("unit"),
            DOSSIER_UNIT.label("unit_id"),
            Dossier.channel,
            Dossier.status,
            Dossier.received_at,
        )
        .outerjoin(Field, Field.id == Dossier.field_id)
        .outerjoin(Unit, Unit.id == DOSSIER_UNIT)
        .where(
            Dossier.due_status.in_([s.value for s in PENDING]),
            counted_in(filters.unit_ids),
        )
    )
    if filters.field_ids:
        q = q.where(Dossier.field_id.in_(filters.field_ids))
    if filters.channels:
        q = q.where(Dossier.channel.in_(filters.channels))
    if filters.levels:
        q = q.where(unit_in(DOSSIER_UNIT, _units_of_levels(filters.levels, level_of_unit)))
    with session_scope(engine) as s:
        return list(s.execute(q).all())


def _dt(instant: int | None) -> datetime | None:
    return None if instant is None else from_instant(instant)


def procedure_text(code: str | None, name: str | None) -> str:
    return f"{code} - {name}" if code and name else str(name or code or "")


def _listed(row: Any, ev: Evaluation) -> LateDossier:
    return LateDossier(
        id=row.id,
        code=row.code,
        procedure=procedure_text(row.procedure_code, row.procedure_name),
        field=row.field,
        is_land=bool(row.is_land),
        unit=row.unit,
        unit_id=row.unit_id,
        channel=row.channel,
        status=row.status,
        received_at=row.received_at,
        due_status=ev.due_status,
        due_at=_dt(ev.due_at),
        effective_due_at=_dt(ev.effective_due_at),
        days_overdue=ev.days_late if ev.due_status is DueStatus.OVERDUE else 0,
        responsible_units=ev.responsible_units,
        breaches=ev.breaches,
    )


def urgency(d: LateDossier) -> tuple[int, int, date, bool, datetime, str]:
    """Sort key: most urgent first (see the module doc)."""
    due = d.due_at or d.effective_due_at or d.received_at
    group = 0 if d.due_status is DueStatus.OVERDUE else 1
    return (group, -d.days_overdue, local_date(due), not d.is_land, due, d.code)


def late_dossiers(
    engine: Engine,
    settings: Settings,
    filters: LateFilters,
    now: datetime,
    level_of_unit: dict[int, str] | None = None,
) -> list[LateDossier]:
    """The scope's overdue and due-soon dossiers as of ``now``, most urgent first."""
    rows = _candidates(engine, filters, level_of_unit or {})
    evaluations = evaluate_ids(engine, settings, [r.id for r in rows], now)
    wanted = set(filters.due_statuses)
    out = []
    for row in rows:
        ev = evaluations.get(row.id)
        if ev is None or ev.due_status not in wanted:
            continue
        listed = _listed(row, ev)
        if listed.days_overdue >= filters.min_days_overdue:
            out.append(listed)
    return sorted(out, key=urgency)


def field_choices(engine: Engine) -> list[tuple[int, str]]:
    """Fields as (id, name), land first, then by name."""
    with session_scope(engine) as s:
        rows = s.execute(select(Field.id, Field.name, Field.is_land)).all()
    ordered = sorted(rows, key=lambda r: (not r[2], vi_sort_key(r[1])))
    return [(fid, name) for fid, name, _land in ordered]


def vi_sort_key(text: str) -> str:
    """Vietnamese alphabetical order, near enough for a list of names: Đ with D, accents
    after the letters they sit on."""
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in base if not unicodedata.combining(c)).casefold() + "\x00" + text
