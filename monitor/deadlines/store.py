"""Reading dossier facts in bulk and writing conclusions back, on SQLite and PostgreSQL.

Plain DB-API cursors, no ORM: a full evaluation reads a million dossiers. Timestamps cross the
boundary as epoch seconds converted by the database itself (in C), and are written back in
exactly the form the UTCDateTime column type stores, so ORM readers see ordinary values.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from monitor.deadlines.facts import (
    ApologyLetter,
    DossierFacts,
    Evaluation,
    Instant,
    Step,
    SupplementRequest,
)
from monitor.enums import Channel, TimeUnit

_UNITS = {u.value: u for u in TimeUnit}
_UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38, 0)
_ONLINE = int(Channel.ONLINE)


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
            return "strftime('%Y-%m-%d %H:%M:%S', ?, 'unixepoch') || '.000000'"
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
    e, at = sql.epoch, sql.from_epoch()
    where, params = chunk.where(sql, "s.dossier_id")
    steps = _grouped(
        cur,
        f"SELECT s.dossier_id, COALESCE(NULLIF(s.unit_name, ''), u.name, ''), "
        f"{e('s.started_at')}, {e('s.done_at')}, {e('s.deadline_at')} "
        f"FROM dossier_steps s LEFT JOIN units u ON u.id = s.unit_id "
        f"WHERE {where} AND s.deadline_at IS NOT NULL AND (s.done_at IS NULL "
        f"OR s.done_at > {at} OR s.started_at > {at} "
        f"OR {sql.local_day('s.done_at')} > {sql.local_day('s.deadline_at')}) "
        f"ORDER BY s.dossier_id, s.seq",
        [*params, as_of, as_of],
        Step,
    )
    where, params = chunk.where(sql, "s.dossier_id")  # the same again, for the next statements
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


def _grouped(cur: Any, statement: str, params: list[Any], make: Any) -> dict[int, tuple[Any, ...]]:
    cur.execute(statement, params)
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in cur.fetchall():
        grouped[row[0]].append(make(*row[1:]))
    return {k: tuple(v) for k, v in grouped.items()}


# -- writing ------------------------------------------------------------------------------------


def units_json(units: tuple[str, ...]) -> str:
    """responsible_units as the ingest writes JSON (compact, UTF-8)."""
    return json.dumps(list(units), ensure_ascii=False, separators=(",", ":")) if units else "[]"


def same_units(stored: str | None, new_text: str) -> bool:
    if stored == new_text:
        return True
    try:
        return stored is not None and json.loads(stored) == json.loads(new_text)
    except ValueError:
        return False


def write_updates(cur: Any, sql: Sql, updates: list[tuple[Any, ...]]) -> int:
    """Write ``update_row`` tuples where ``updated_at`` is still what was read; return how many
    rows were written. PostgreSQL gets them by COPY into a temporary table and one UPDATE (an
    executemany of UPDATEs costs a round trip per row there)."""
    if sql.sqlite:
        cur.executemany(_SQLITE_UPDATE, updates)
        return int(cur.rowcount)
    cur.execute(_PG_TEMP)
    with cur.copy(f"COPY evaluation_batch ({', '.join(_UPDATE_FIELDS)}) FROM STDIN") as copy:
        for row in updates:
            copy.write_row(row)
    cur.execute(_PG_UPDATE)
    return int(cur.rowcount)


_UPDATE_FIELDS = (
    "due_status",
    "legal_due_at",
    "effective_due_at",
    "breaches",
    "responsible_units",
    "next_change_at",
    "evaluated_at",
    "id",
    "updated_at",
)
_T = "strftime('%Y-%m-%d %H:%M:%S', ?, 'unixepoch') || '.000000'"
_SQLITE_UPDATE = (
    f"UPDATE dossiers SET due_status = ?, legal_due_at = {_T}, effective_due_at = {_T}, "
    f"breaches = ?, responsible_units = ?, next_change_at = {_T}, evaluated_at = {_T} "
    "WHERE id = ? AND updated_at = ?"
)
_PG_TEMP = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS evaluation_batch (due_status TEXT, "
    "legal_due_at BIGINT, effective_due_at BIGINT, breaches TEXT, responsible_units TEXT, "
    "next_change_at BIGINT, evaluated_at BIGINT, id BIGINT, updated_at TIMESTAMPTZ) "
    "ON COMMIT DELETE ROWS"
)
_PG_UPDATE = (
    "UPDATE dossiers d SET due_status = b.due_status, "
    "legal_due_at = to_timestamp(b.legal_due_at), "
    "effective_due_at = to_timestamp(b.effective_due_at), breaches = b.breaches, "
    "responsible_units = CAST(b.responsible_units AS JSON), "
    "next_change_at = to_timestamp(b.next_change_at), "
    "evaluated_at = to_timestamp(b.evaluated_at) "
    "FROM evaluation_batch b WHERE d.id = b.id AND d.updated_at = b.updated_at"
)


def update_row(
    dossier_id: int, ev: Evaluation, breaches: str, units: str, as_of: Instant, updated_at: Any
) -> tuple[Any, ...]:
    return (
        str(ev.due_status),
        ev.legal_due_at,
        ev.effective_due_at,
        breaches,
        units,
        ev.next_change_at,
        as_of,
        dossier_id,
        updated_at,
    )
