"""Recompute the deadline conclusions stored on dossiers, touching only what can have changed.

A dossier is evaluated when its ``next_change_at`` is NULL or not after the as-of time (the
ingest sets it to the import time when facts change), or always with ``full=True`` (after a
change of settings). Facts are read in chunks with plain cursors, evaluated by the batch rules
(``evaluate_columns``, the same conclusions as the pure ``evaluate_at``), and only rows whose
conclusions or next change differ are written, each write guarded by the ``updated_at`` that
was read with the facts: a dossier the ingest changed in between keeps its "evaluate me" mark
and is picked up by the next run.

Reading and writing overlap when there is more than one chunk: a reader thread with a
connection of its own reads and evaluates chunk k+1 (one transaction per chunk, the guards of
the rows to write taken in it) while the calling thread writes chunk k (a transaction of its
own). At most ``AHEAD`` evaluated chunks wait for the writer, so memory stays flat. sqlite3
and psycopg release the GIL while the database works, so the two halves run at once on two
cores; for that SQLite gets its updates several hundred rows a statement (``write.py``), not
one UPDATE a row, which would hand the GIL back and forth for every row. Chunks are applied
in order by the calling thread, so the counts and ``changed_ids`` are the same as one thread
would give; an error in the reader is raised by ``evaluate`` once the chunks before it are
written, and an error in the writer stops the reader (joined before ``evaluate`` returns).
One chunk, or an SQLite database in memory (private to its connection), stays on one thread.

After a large first import (``ASIDE_FROM`` dossiers never evaluated, and a third of them all
or more), SQLite's two indexes on conclusions are dropped for the run and built again at its
end: cheaper than updating them row by row, at the price of scans for the console's queries
on ``due_status`` meanwhile.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.schema import CreateIndex, DropIndex

from monitor.calendar import WorkCalendar, to_instant
from monitor.calendar_store import unit_calendars
from monitor.config import Settings, load_settings
from monitor.deadlines import Instant, Policy
from monitor.deadlines.batch import evaluate_columns
from monitor.deadlines.bulk import Catalogue, Stored, read_chunk
from monitor.deadlines.columns import Columns
from monitor.deadlines.store import Chunk, Sql
from monitor.deadlines.write import differences, update_rows, write_updates
from monitor.models import Dossier

RANGE_CHUNK = 20_000  # ids per chunk when reading everything
LIST_CHUNK = 5_000  # ids per chunk when reading a selection (bound as parameters)
AHEAD = 1  # evaluated chunks waiting for the writer, besides the one read and the one written
# The indexes on conclusions, which SQLite updates for every dossier written; next_change_at's
# at a random place (its key goes from NULL to the moment of the next change). With a million
# rows to write, keeping them up to date row by row cost about 5 s of a first evaluation,
# building them again afterwards under 2 s.
ASIDE_INDEXES = ("ix_dossiers_next_change_at", "ix_dossiers_due_status")
ASIDE_FROM = 100_000  # never-evaluated dossiers (due_status NULL), and a third of them all
_ASIDE = [i for i in cast(Table, Dossier.__table__).indexes if i.name in ASIDE_INDEXES]


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


@dataclass
class _Evaluated:
    """One chunk read and evaluated: its counts and the rows to write, guards included."""

    evaluated: int = 0
    changed: int = 0
    changed_ids: list[int] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)


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
        with (
            _index_set_aside(conn, sql),
            _evaluated_chunks(engine, conn, sql, chunks, run) as evaluated,
        ):
            for chunk in evaluated:
                result.evaluated += chunk.evaluated
                result.changed += chunk.changed
                result.changed_ids.extend(chunk.changed_ids)
                if chunk.updates:
                    with conn.begin():
                        _write(conn, sql, chunk.updates, run.now, result)
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


@contextmanager
def _index_set_aside(conn: Connection, sql: Sql) -> Iterator[None]:
    """On SQLite, with many dossiers never evaluated (after a first import; see
    ``_worth_setting_aside``), drop the ``ASIDE_INDEXES`` for the run and build them again at
    its end, even a failed one. A run cut short leaves them dropped: every run starts by
    building what is missing."""
    if not sql.sqlite:
        yield
        return
    with conn.begin():
        _build(conn)
        aside = _worth_setting_aside(conn)
        if aside:
            for index in _ASIDE:
                conn.execute(DropIndex(index, if_exists=True))
    try:
        yield
    finally:
        if aside:
            if conn.in_transaction():
                conn.rollback()
            with conn.begin():
                _build(conn)


def _worth_setting_aside(conn: Connection) -> bool:
    """Building the indexes again costs in proportion to all the dossiers, about a third of
    what keeping them up to date costs for each one written: worth it when at least a third of
    them wait for their first evaluation, and at least ``ASIDE_FROM``."""
    waiting = conn.exec_driver_sql(
        "SELECT COUNT(*) FROM dossiers WHERE due_status IS NULL"
    ).scalar_one()
    if waiting < ASIDE_FROM:
        return False
    return bool(3 * waiting >= conn.exec_driver_sql("SELECT COUNT(*) FROM dossiers").scalar_one())


def _build(conn: Connection) -> None:
    for index in _ASIDE:
        conn.execute(CreateIndex(index, if_not_exists=True))


@contextmanager
def _evaluated_chunks(
    engine: Engine, conn: Connection, sql: Sql, chunks: list[Chunk], run: _Run
) -> Iterator[Iterator[_Evaluated]]:
    """The chunks read and evaluated, in order: on this thread and connection for one chunk,
    ahead of the writer on a reader thread for more (stopped and joined on the way out)."""
    if len(chunks) <= 1 or _private(engine):
        yield (_read(conn, sql, chunk, run) for chunk in chunks)
        return
    reader = _Reader(engine, sql, chunks, run)
    try:
        yield reader.results()
    finally:
        reader.stop()


def _private(engine: Engine) -> bool:
    """An SQLite database in memory: another connection would be another, empty database."""
    url = engine.url
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
    )


def _read(conn: Connection, sql: Sql, chunk: Chunk, run: _Run) -> _Evaluated:
    """Read and evaluate a chunk in one transaction. The update rows are made in it: on SQLite
    their guards are read there, in the snapshot that gave the facts."""
    evaluated = _Evaluated()
    with conn.begin():
        columns, stored = read_chunk(_cursor(conn), sql, chunk, run.now, run.catalogue)
        evaluated.updates = _evaluate_rows(columns, stored, run, evaluated)
    return evaluated


def _evaluate_rows(
    columns: Columns, stored: Stored, run: _Run, counts: _Evaluated
) -> list[tuple[Any, ...]]:
    """Evaluate a chunk; count it; return the update rows of what differs from the stored."""
    if not len(columns):
        return []
    out = evaluate_columns(columns, run.calendars, run.policy, run.now)
    diff = differences(out, stored)
    counts.evaluated += len(columns)
    counts.changed += int(diff.changed.sum())
    counts.changed_ids.extend(stored.ids[diff.changed].tolist())
    return update_rows(out, stored, diff)


def _write(
    conn: Connection, sql: Sql, updates: list[tuple[Any, ...]], now: Instant, result: Any
) -> None:
    written = write_updates(_cursor(conn), sql, updates, now)
    result.written += written
    result.skipped += len(updates) - written


_DONE = object()  # the reader's last item: every chunk was handed over


class _Reader:
    """Reads and evaluates chunks on a thread of its own, with a connection of its own, at most
    ``AHEAD`` chunks ahead of the one being written. What it raises is handed over in place of
    the chunk it was reading; ``stop`` makes it give up at the next hand-over."""

    def __init__(self, engine: Engine, sql: Sql, chunks: list[Chunk], run: _Run) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._work,
            args=(engine, sql, chunks, run),
            name="evaluate-reader",
            daemon=True,
        )
        self._thread.start()

    def _work(self, engine: Engine, sql: Sql, chunks: list[Chunk], run: _Run) -> None:
        try:
            with engine.connect() as conn:
                for chunk in chunks:
                    if not self._hand_over(_read(conn, sql, chunk, run)):
                        return
        except BaseException as exc:  # handed to the caller, which raises it
            self._hand_over(exc)
            return
        self._hand_over(_DONE)

    def _hand_over(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def results(self) -> Iterator[_Evaluated]:
        while True:
            try:
                item = self._queue.get(timeout=1.0)
            except queue.Empty:
                if not self._thread.is_alive() and self._queue.empty():
                    raise RuntimeError("the evaluation's reader ended without a result") from None
                continue
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
