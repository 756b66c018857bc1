"""Recompute the deadline conclusions stored on dossiers, touching only what can have changed.

A dossier is evaluated when its ``next_change_at`` is NULL or not after the as-of time (the
ingest sets it to the import time when facts change), or always with ``full=True`` (after a
change of settings). Facts are read in chunks with plain cursors, evaluated by the pure
``evaluate_at``, and only rows whose conclusions or next change differ are written, each write
guarded by the ``updated_at`` that was read: a dossier the ingest changed in between keeps its
"evaluate me" mark and is picked up by the next run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from monitor.calendar import WorkCalendar, to_instant
from monitor.calendar_store import unit_calendars
from monitor.config import Settings, load_settings
from monitor.deadlines import Instant, Policy, evaluate_at
from monitor.deadlines.store import (
    FROM_DOSSIERS,
    Chunk,
    Sql,
    dossier_columns,
    facts_of,
    load_children,
    same_units,
    stored_columns,
    units_json,
    update_row,
    write_updates,
)

RANGE_CHUNK = 20_000  # ids per chunk when reading everything
LIST_CHUNK = 5_000  # ids per chunk when reading a selection (bound as parameters)


@dataclass
class EvaluationResult:
    as_of: datetime
    full: bool
    evaluated: int = 0  # dossiers whose conclusions were recomputed
    changed: int = 0  # of which the conclusions (status, dues, breaches, units) changed
    written: int = 0  # rows written (changed, or only their next change moved)
    skipped: int = 0  # rows changed by someone else meanwhile: evaluated again next run
    seconds: float = 0.0
    changed_ids: list[int] = field(default_factory=list, repr=False)

    def as_json(self) -> dict[str, Any]:
        """Counts for JSON (``--json``, job_runs.counts): the as-of time in ISO 8601."""
        return {
            "as_of": self.as_of.isoformat(),
            "full": self.full,
            "evaluated": self.evaluated,
            "changed": self.changed,
            "written": self.written,
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class _Run:
    policy: Policy
    default: WorkCalendar
    by_unit: dict[int, WorkCalendar]
    now: Instant


def evaluate(
    engine: Engine, as_of: datetime, *, full: bool = False, settings: Settings | None = None
) -> EvaluationResult:
    """Evaluate the dossiers that can have changed by ``as_of`` (all with ``full``)."""
    started = time.perf_counter()
    settings = settings or load_settings()
    result = EvaluationResult(as_of, full)
    with engine.connect() as conn:
        sql = Sql.of(conn)
        with conn.begin():
            default, by_unit = unit_calendars(conn, settings)
            chunks = list(_chunks(conn, sql, to_instant(as_of), full))
        run = _Run(Policy.from_settings(settings), default, by_unit, to_instant(as_of))
        for chunk in chunks:
            with conn.begin():
                rows, children = _read(conn, sql, chunk, run.now)
            updates = _evaluate_rows(rows, children, run, result)
            if updates:
                with conn.begin():
                    _write(conn, sql, updates, result)
    result.seconds = time.perf_counter() - started
    return result


def _cursor(conn: Connection) -> Any:
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def _chunks(conn: Connection, sql: Sql, now: Instant, full: bool) -> Iterator[Chunk]:
    cur = _cursor(conn)
    if full:
        cur.execute("SELECT MIN(id), MAX(id) FROM dossiers")
        lo, hi = cur.fetchone()
        if lo is None:
            return
        for start in range(lo, hi + 1, RANGE_CHUNK):
            yield Chunk(start, min(hi, start + RANGE_CHUNK - 1))
        return
    # No ORDER BY: with one, SQLite scans the table instead of using the index twice.
    cur.execute(
        f"SELECT id FROM dossiers WHERE next_change_at IS NULL "
        f"OR next_change_at <= {sql.from_epoch()}",
        [now],
    )
    ids = sorted(r[0] for r in cur.fetchall())
    for start in range(0, len(ids), LIST_CHUNK):
        part = tuple(ids[start : start + LIST_CHUNK])
        yield Chunk(part[0], part[-1], part)


def _read(conn: Connection, sql: Sql, chunk: Chunk, now: Instant) -> tuple[list[Any], Any]:
    cur = _cursor(conn)
    where, params = chunk.where(sql, "d.id")
    columns = ", ".join(dossier_columns(sql) + stored_columns(sql))
    cur.execute(f"SELECT {columns} {FROM_DOSSIERS} WHERE {where} ORDER BY d.id", params)
    rows = cur.fetchall()
    return rows, load_children(cur, sql, chunk, now)


def _evaluate_rows(
    rows: list[Any], children: Any, run: _Run, result: EvaluationResult
) -> list[tuple[Any, ...]]:
    """Evaluate a chunk; count it; return the update rows of what differs from the stored."""
    updates: list[tuple[Any, ...]] = []
    policy, default, by_unit, now = run.policy, run.default, run.by_unit, run.now
    for row in rows:
        cal = by_unit.get(row[9], default) if by_unit else default
        ev = evaluate_at(facts_of(row, children), policy, cal, now)
        breaches = ",".join(ev.breaches) if ev.breaches else ""
        units = units_json(ev.responsible_units) if ev.responsible_units else "[]"
        changed = (
            row[10] != ev.due_status
            or row[11] != ev.legal_due_at
            or row[12] != ev.effective_due_at
            or row[13] != breaches
            or (row[14] != units and not same_units(row[14], units))
        )
        if changed:
            result.changed += 1
            result.changed_ids.append(row[0])
        if changed or row[15] != ev.next_change_at:
            updates.append(update_row(row[0], ev, breaches, units, now, row[16]))
    result.evaluated += len(rows)
    return updates


def _write(conn: Connection, sql: Sql, updates: list[tuple[Any, ...]], result: Any) -> None:
    written = write_updates(_cursor(conn), sql, updates)
    result.written += written
    result.skipped += len(updates) - written
