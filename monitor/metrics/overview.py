"""The overview: dossier counts by status and by field, within a unit scope."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, case, func, select, true

from monitor.db import session_scope
from monitor.enums import STATUS_NAMES_VI, DossierStatus
from monitor.models import Dossier, Field

OPEN_STATUSES = (2, 4, 5, 6)


@dataclass(frozen=True)
class StatusCount:
    status: int
    name: str
    count: int


@dataclass(frozen=True)
class FieldCount:
    field: str
    total: int
    open: int
    overdue: int
    finished_late: int


def in_scope(unit_ids: Collection[int] | None) -> ColumnElement[bool]:
    """All dossiers, or those resolved by one of ``unit_ids``."""
    if unit_ids is None:
        return true()
    return Dossier.resolving_unit_id.in_(list(unit_ids))


def status_counts(engine: Engine, unit_ids: Collection[int] | None = None) -> list[StatusCount]:
    q = select(Dossier.status, func.count()).where(in_scope(unit_ids)).group_by(Dossier.status)
    with session_scope(engine) as s:
        rows = dict(s.execute(q.order_by(Dossier.status)).tuples().all())
    return [
        StatusCount(int(st), STATUS_NAMES_VI[DossierStatus(st)], int(n))
        for st, n in sorted(rows.items())
    ]


def field_counts(engine: Engine, unit_ids: Collection[int] | None = None) -> list[FieldCount]:
    is_open = Dossier.status.in_(OPEN_STATUSES)
    q = (
        select(
            func.coalesce(Field.name, "Chưa xác định lĩnh vực"),
            func.count(),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((Dossier.due_status == "overdue", 1), else_=0)),
            func.sum(case((Dossier.due_status == "late", 1), else_=0)),
        )
        .select_from(Dossier)
        .outerjoin(Field, Field.id == Dossier.field_id)
        .where(in_scope(unit_ids))
        .group_by(Field.name)
    )
    with session_scope(engine) as s:
        rows = s.execute(q).all()
    out = [
        FieldCount(str(f), int(t), int(o or 0), int(od or 0), int(fl or 0))
        for f, t, o, od, fl in rows
    ]
    return sorted(out, key=lambda r: (-r.total, r.field))
