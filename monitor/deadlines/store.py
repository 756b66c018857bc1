"""Reading dossier facts in bulk, on SQLite and PostgreSQL (writing: ``write.py``).

Plain DB-API cursors, no ORM: reports and listings read many thousands of dossiers. Timestamps
cross the boundary as epoch seconds converted by the database itself (in C).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from monitor.deadlines.facts import (
    ApologyLetter,
    DossierFacts,
    Instant,
    Step,
    SupplementRequest,
)
from monitor.enums import Channel, TimeUnit

_UNITS = {u.value: u for u in TimeUnit}
_UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38, 0)
_ONLINE = int(Channel.ONLINE)


def sqlite_timestamp(epoch: str) -> str:
    """An SQLite expression of epoch seconds as the UTCDateTime column type stores them."""
    return f"strftime('%Y-%m-%d %H:%M:%S', {epoch}, 'unixepoch') || '.000000'"


@dataclass(frozen=True)
class Sql:
    """The few expressions that differ between the two backends."""

    sqlite: bool

    @classmethod
    def of(cls, conn: Connection) -> Sql:
        return cls(conn.dialect.name == "sqlite")

    @property
    def mark(self) -> str:
        return "?" if self.sqlite else "%s"

    def epoch(self, column: str) -> str:
        """A timestamp column as whole epoch seconds (NULL stays NULL)."""
        if self.sqlite:
            if _UNIXEPOCH:  # a fifth cheaper than strftime, in the hottest query
                return f"unixepoch({column})"
            return f"CAST(strftime('%s', {column}) AS INTEGER)"
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)"

    def from_epoch(self) -> str:
        """A placeholder for epoch seconds, stored as the column type stores timestamps."""
        if self.sqlite:
            return sqlite_timestamp("?")
        return "to_timestamp(%s)"

    def local_day(self, column: str) -> str:
        if self.sqlite:
            return f"date({column}, '+7 hours')"
        return f"CAST(({column} AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE)"

    def json_text(self, column: str) -> str:
        return column if self.sqlite else f"CAST({column} AS TEXT)"

    def in_ids(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        if self.sqlite:
            return f"{column} IN ({', '.join('?' * len(ids))})", list(ids)
        return f"{column} = ANY(%s)", [list(ids)]


@dataclass(frozen=True)
class Chunk:
    """A slice of dossiers: ids in [lo, hi], restricted to ``ids`` when given."""

    lo: int
    hi: int
    ids: tuple[int, ...] | None = None

    def where(self, sql: Sql, column: str) -> tuple[str, list[Any]]:
        if self.ids is not None:
            return sql.in_ids(column, self.ids)
        return f"{column} BETWEEN {sql.mark} AND {sql.mark}", [self.lo, self.hi]


def dossier_columns(sql: Sql) -> list[str]:
    """The facts of a dossier (aliased ``d``, procedure ``p``), in the order facts_of reads."""
    e = sql.epoch
    return [
        "d.id",
        "d.status",
        "d.channel",
        e("d.received_at"),
        e("d.due_at"),
        e("d.finished_at"),
        e("d.returned_at"),
        # The catalogue's legal time wins over the one the dossier carries.
        "CASE WHEN p.id IS NULL THEN d.legal_amount ELSE p.legal_amount END",
        "CASE WHEN p.id IS NULL THEN d.legal_unit ELSE p.legal_unit END",
        "COALESCE(d.resolving_unit_id, d.receiving_unit_id)",
    ]


def stored_columns(sql: Sql) -> list[str]:
    """The stored conclusions, to compare with new ones, and updated_at to guard the write."""
    e = sql.epoch
    return [
        "d.due_status",
        e("d.legal_due_at"),
        e("d.effective_due_at"),
        "d.breaches",
        sql.json_text("d.responsible_units"),
        e("d.next_change_at"),
        "d.updated_at",
    ]


FROM_DOSSIERS = "FROM dossiers d LEFT JOIN procedures p ON p.id = d.procedure_id"


def facts_of(row: Sequence[Any], children: Children) -> DossierFacts:
    """DossierFacts from a row starting with ``dossier_columns`` and the chunk's children."""
    dossier_id = row[0]
    return DossierFacts(
        row[1],
        row[3],
        row[2] != _ONLINE,
        row[4],
        row[7],
        _UNITS.get(row[8]) if row[8] is not None else None,
        row[5],
        row[6],
        children.steps.get(dossier_id, ()) if children.steps else (),
        children.supplements.get(dossier_id, ()) if children.supplements else (),
        children.apologies.get(dossier_id, ()) if children.apologies else (),
    )


@dataclass
class Children:
    steps: dict[int, tuple[Step, ...]]
    supplements: dict[int, tuple[SupplementRequest, ...]]
    apologies: dict[int, tuple[ApologyLetter, ...]]


def load_children(cur: Any, sql: Sql, chunk: Chunk, as_of: Instant) -> Children:
    """Steps, supplement requests and apology letters of a chunk, in order.

    Steps that can no longer matter are left in the database: a step without a deadline, or
    one that started and was done by the as-of time on or before its deadline day, is never
    late and never changes anything.
    """
    e = sql.epoch
    statement, params = steps_statement(sql, chunk, as_of, [e(c) for c in _STEP_TIMES])
    steps = _grouped(cur, statement, params, Step)
    where, params = chunk.where(sql, "s.dossier_id")
    supplements = _grouped(
        cur,
        f"SELECT s.dossier_id, {e('s.requested_at')}, {e('s.completed_at')}, "
        f"{e('s.new_due_at')} FROM supplements s WHERE {where} ORDER BY s.dossier_id, s.seq",
        params,
        SupplementRequest,
    )
    apologies = _grouped(
        cur,
        f"SELECT s.dossier_id, {e('s.issued_at')}, {e('s.new_due_at')} "
        f"FROM apologies s WHERE {where} ORDER BY s.dossier_id, s.seq",
        params,
        ApologyLetter,
    )
    return Children(steps, supplements, apologies)


_STEP_TIMES = ("s.started_at", "s.done_at", "s.deadline_at")


def steps_statement(
    sql: Sql, chunk: Chunk, as_of: Instant, times: list[str]
) -> tuple[str, list[Any]]:
    """The steps of a chunk that can matter at ``as_of`` (see load_children), in order: the
    dossier id, the unit's name, then ``times`` (expressions over started, done, deadline).

    A step done by its deadline's instant is done by its deadline's day: the cheap comparison
    of instants spares the day arithmetic for most steps.
    """
    at = sql.from_epoch()
    where, params = chunk.where(sql, "s.dossier_id")
    return (
        f"SELECT s.dossier_id, COALESCE(NULLIF(s.unit_name, ''), u.name, ''), {', '.join(times)} "
        f"FROM dossier_steps s LEFT JOIN units u ON u.id = s.unit_id "
        f"WHERE {where} AND s.deadline_at IS NOT NULL AND (s.done_at IS NULL "
        f"OR s.done_at > {at} OR s.started_at > {at} OR (s.done_at > s.deadline_at "
        f"AND {sql.local_day('s.done_at')} > {sql.local_day('s.deadline_at')})) "
        f"ORDER BY s.dossier_id, s.seq",
        [*params, as_of, as_of],
    )


def _grouped(cur: Any, statement: str, params: list[Any], make: Any) -> dict[int, tuple[Any, ...]]:
    cur.execute(statement, params)
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in cur.fetchall():
        grouped[row[0]].append(make(*row[1:]))
    return {k: tuple(v) for k, v in grouped.items()}
