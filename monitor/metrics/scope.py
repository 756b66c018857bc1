"""Which dossiers a unit scope covers, as SQL conditions shared by the console's queries.

A dossier *counts* at its resolving unit, else its receiving unit — the unit Biểu 06a, the
766 scores and the alert rules place it at. A person may *open* a dossier their units took
part in: the one that counts it, the one that received it, or one that handled a step (a
commune that confirmed a land record is told when its step overruns, and must be able to
look at the dossier the message links to).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, true

from monitor.enums import FINISHED
from monitor.models import Dossier, DossierStep

DOSSIER_UNIT = func.coalesce(Dossier.resolving_unit_id, Dossier.receiving_unit_id)


def unit_in(column: Any, unit_ids: Collection[int] | None) -> ColumnElement[bool]:
    """``column`` is one of ``unit_ids``; always true when ``unit_ids`` is None (everything)."""
    if unit_ids is None:
        return true()
    return column.in_(sorted(unit_ids))


def counted_in(unit_ids: Collection[int] | None) -> ColumnElement[bool]:
    """Dossiers counted at one of ``unit_ids``."""
    return unit_in(DOSSIER_UNIT, unit_ids)


def visible_in(unit_ids: Collection[int] | None) -> ColumnElement[bool]:
    """Dossiers one of ``unit_ids`` took part in: counted, received or a step handled there."""
    if unit_ids is None:
        return true()
    ids = sorted(unit_ids)
    by_step = exists().where(DossierStep.dossier_id == Dossier.id, DossierStep.unit_id.in_(ids))
    return or_(DOSSIER_UNIT.in_(ids), Dossier.receiving_unit_id.in_(ids), by_step)


def finished_status() -> ColumnElement[bool]:
    """Status 9 or 10, written so that SQLite does not use the (status, due_at) index: nine
    dossiers in ten are finished, and reading them through the index costs three times a
    plain scan of the table."""
    return (Dossier.status + 0).in_(sorted(int(s) for s in FINISHED))


# Up to this span the (status, finished_at) index finds the dossiers finished in it faster than
# a pass over the table: on a year of a million dossiers, 0.13 s against 0.39 s for a month,
# and the same 0.41 s for 13 weeks (bench/console.py's data).
INDEX_SPAN = timedelta(days=92)


def finished_between(lo: datetime, hi: datetime) -> ColumnElement[bool]:
    """Status 9 or 10 and finished in [lo, hi): through the index for a short span, by a pass
    over the table (``finished_status``) for a longer one."""
    status = (
        Dossier.status.in_(sorted(int(s) for s in FINISHED))
        if hi - lo <= INDEX_SPAN
        else finished_status()
    )
    return and_(status, Dossier.finished_at >= lo, Dossier.finished_at < hi)
