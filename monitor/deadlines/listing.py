"""Dossiers with their deadline conclusions as of any moment, for ``motcua dossiers``.

The conclusions are computed afresh for the as-of time (the stored ones are as of the last
evaluation), from the same facts and the same pure function. No applicant data is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from monitor.calendar import from_instant, to_instant
from monitor.calendar_store import unit_calendars
from monitor.config import Settings
from monitor.deadlines.facts import Evaluation, Instant, Policy
from monitor.deadlines.rules import evaluate_at
from monitor.deadlines.store import FROM_DOSSIERS, Chunk, Sql, dossier_columns, facts_of
from monitor.deadlines.store import load_children as _children
from monitor.enums import DueStatus

CHUNK = 20_000
# Status codes that can give each due status (a dossier ended after the as-of time was still
# in hand then, whatever its status code now).
_CANDIDATES: dict[DueStatus, str] = {
    DueStatus.EARLY: "IN (9, 10)",
    DueStatus.ON_TIME: "IN (9, 10)",
    DueStatus.LATE: "IN (9, 10)",
    DueStatus.IN_TIME: "NOT IN (1, 3, 5, 6)",
    DueStatus.DUE_SOON: "NOT IN (1, 3, 5, 6)",
    DueStatus.OVERDUE: "NOT IN (1, 3, 5, 6)",
    DueStatus.WAITING_CITIZEN: "IN (5, 6)",
    DueStatus.WITHDRAWN: "= 7",
    DueStatus.STOPPED: "= 8",
    DueStatus.NOT_ACCEPTED: "IN (1, 3)",
}


@dataclass(frozen=True)
class Filters:
    status: DueStatus | None = None
    field_id: int | None = None
    unit_ids: frozenset[int] | None = None  # a unit and its subtree
    limit: int | None = None


@dataclass(frozen=True)
class ListedDossier:
    code: str
    status: int
    procedure_code: str
    field_code: str | None
    unit_code: str | None
    finished_at: Instant | None
    evaluation: Evaluation

    def as_dict(self) -> dict[str, Any]:
        ev = self.evaluation.as_dict()
        ev.pop("next_change_at")
        return {
            "code": self.code,
            "status": self.status,
            **ev,
            "finished_at": None if self.finished_at is None else from_instant(self.finished_at),
            "procedure_code": self.procedure_code,
            "field_code": self.field_code,
            "unit_code": self.unit_code,
        }


def list_dossiers(
    engine: Engine, settings: Settings, as_of: datetime, filters: Filters
) -> list[ListedDossier]:
    """Dossiers received by ``as_of`` matching ``filters``, in import order."""
    now, policy = to_instant(as_of), Policy.from_settings(settings)
    found: list[ListedDossier] = []
    with engine.connect() as conn, conn.begin():
        default, by_unit = unit_calendars(conn, settings)
        for row, children in _rows(conn, Sql.of(conn), now, filters):
            ev = evaluate_at(facts_of(row, children), policy, by_unit.get(row[9], default), now)
            if filters.status is not None and ev.due_status != filters.status:
                continue
            found.append(ListedDossier(row[10], row[11], row[12], row[13], row[14], row[5], ev))
            if filters.limit is not None and len(found) >= filters.limit:
                break
    return found


def _rows(conn: Connection, sql: Sql, now: Instant, filters: Filters) -> Iterator[Any]:
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cur.execute("SELECT MIN(id), MAX(id) FROM dossiers")
    lo, hi = cur.fetchone()
    if lo is None:
        return
    columns = [
        *dossier_columns(sql),
        "d.code",
        "d.status",
        "d.procedure_code",
        "f.code",
        "u.code",
    ]
    conditions, params = _conditions(sql, now, filters)
    for start in range(lo, hi + 1, CHUNK):
        chunk = Chunk(start, min(hi, start + CHUNK - 1))
        where, chunk_params = chunk.where(sql, "d.id")
        cur.execute(
            f"SELECT {', '.join(columns)} {FROM_DOSSIERS} "
            "LEFT JOIN fields f ON f.id = d.field_id "
            "LEFT JOIN units u ON u.id = COALESCE(d.resolving_unit_id, d.receiving_unit_id) "
            f"WHERE {where} AND {' AND '.join(conditions)} ORDER BY d.id",
            [*chunk_params, *params],
        )
        rows = cur.fetchall()
        if rows:
            children = _children(cur, sql, chunk, now)
            for row in rows:
                yield row, children


def _conditions(sql: Sql, now: Instant, filters: Filters) -> tuple[list[str], list[Any]]:
    m = sql.mark
    conditions, params = [f"d.received_at <= {sql.from_epoch()}"], [now]
    if filters.status is not None:
        conditions.append(f"d.status {_CANDIDATES[filters.status]}")
    if filters.field_id is not None:
        conditions.append(f"d.field_id = {m}")
        params.append(filters.field_id)
    if filters.unit_ids is not None:
        ids = sorted(filters.unit_ids)
        resolving, p1 = sql.in_ids("d.resolving_unit_id", ids)
        receiving, p2 = sql.in_ids("d.receiving_unit_id", ids)
        conditions.append(f"({resolving} OR {receiving})")
        params += p1 + p2
    return conditions, params
