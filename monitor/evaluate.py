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
from monitor.deadlines import Instant, Policy
from monitor.deadlines.batch import evaluate_columns
from monitor.deadlines.bulk import Catalogue, Stored, read_chunk
from monitor.deadlines.columns import Columns
from monitor.deadlines.store import Chunk, Sql
from monitor.deadlines.write import differences, update_rows, write_updates

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
    calendars: list[WorkCalendar]
    catalogue: Catalogue
    now: Instant


def evaluate(
    engine: Engine, as_of: datetime, *, full: bool = False, settings: Settings | None = None
) -> EvaluationResult:
    """Evaluate the dossiers that can have changed by ``as_of`` (all with ``full``)."""
    started = time.perf_counter()
    settings = settings or load_settings()
    result = EvaluationResult(as_of, full)
    now = to_instant(as_of)
    with engine.connect() as conn:
        sql = Sql.of(conn)
        with conn.begin():
            run = _prepare(conn, settings, now)
            chunks = list(_chunks(conn, sql, now, full))
        for chunk in chunks:
            with conn.begin():
                columns, stored = read_chunk(_cursor(conn), sql, chunk, now, run.catalogue)
                updates = _evaluate_rows(columns, stored, run, result)
            if updates:
                with conn.begin():
                    _write(conn, sql, updates, run.now, result)
    result.seconds = time.perf_counter() - started
    return result


def _prepare(conn: Connection, settings: Settings, now: Instant) -> _Run:
    """The calendars (the default one first) and what is looked up by id."""
    default, by_unit = unit_calendars(conn, settings)
    calendars = [default]
    position: dict[int, int] = {}
    of_unit: dict[int, int] = {}
    for unit_id, cal in by_unit.items():
        if id(cal) not in position:
            position[id(cal)] = len(calendars)
            calendars.append(cal)
        of_unit[unit_id] = position[id(cal)]
    catalogue = Catalogue.load(_cursor(conn), of_unit)
    return _Run(Policy.from_settings(settings), calendars, catalogue, now)


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


def _evaluate_rows(
    columns: Columns, stored: Stored, run: _Run, result: EvaluationResult
) -> list[tuple[Any, ...]]:
    """Evaluate a chunk; count it; return the update rows of what differs from the stored."""
    if not len(columns):
        return []
    out = evaluate_columns(columns, run.calendars, run.policy, run.now)
    diff = differences(out, stored)
    result.evaluated += len(columns)
    result.changed += int(diff.changed.sum())
    result.changed_ids.extend(stored.ids[diff.changed].tolist())
    return update_rows(out, stored, diff)


def _write(
    conn: Connection, sql: Sql, updates: list[tuple[Any, ...]], now: Instant, result: Any
) -> None:
    written = write_updates(_cursor(conn), sql, updates, now)
    result.written += written
    result.skipped += len(updates) - written
