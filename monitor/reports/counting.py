"""The counts behind Biểu II.06a, per (unit, field), by date at the period's start and end.

A dossier counts when it was received in the period (columns 4, 5) or received before it and
still open at its start (column 6). Where it stood at the end decides columns 8–10 and 12–13.
What "open" and "late" mean is the deadline engine's: ``evaluate_at`` is asked with ``now`` at
the last second before the period and at the last second of it.

Two ways to the same numbers:

- ``count_exact`` runs the engine on every dossier (the reference; fine up to some 100,000).
- ``count_fast`` lets the database judge the *plain* dossiers — an appointment date, no
  supplement request, dates the calendar can place (and no apology letter when lateness is
  judged against the reset date) — for which the engine's answer reduces to comparing dates,
  in one pass (monitor/reports/sql.py), and runs the engine on the others only. The tests hold
  the two to the same counts on generated dossiers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from monitor.calendar import WorkCalendar
from monitor.calendar_store import unit_calendars
from monitor.config import Settings
from monitor.deadlines import DossierFacts, Evaluation, Instant, Policy, evaluate_at
from monitor.deadlines.facts import ApologyLetter, SupplementRequest
from monitor.deadlines.store import (
    FROM_DOSSIERS,
    Children,
    Chunk,
    Sql,
    dossier_columns,
    facts_of,
    load_children,
)
from monitor.enums import Channel, DueStatus
from monitor.reports.period import Period, Scope
from monitor.reports.sql import (
    Query,
    counted_sql,
    decode_key,
    maybe_open_at_start_sql,
    scan_statement,
)

# Column of Biểu 06a for each due status at the end of the period. Withdrawn dossiers are
# settled on time (common practice, DOMAIN.md §7); so are stopped ones (docs/reports.md).
END_COLUMN: dict[DueStatus, str] = {
    DueStatus.EARLY: "8",
    DueStatus.ON_TIME: "9",
    DueStatus.LATE: "10",
    DueStatus.WITHDRAWN: "9",
    DueStatus.STOPPED: "9",
    DueStatus.IN_TIME: "12",
    DueStatus.DUE_SOON: "12",
    DueStatus.WAITING_CITIZEN: "12",
    DueStatus.OVERDUE: "13",
}
OPEN = frozenset(
    {DueStatus.IN_TIME, DueStatus.DUE_SOON, DueStatus.OVERDUE, DueStatus.WAITING_CITIZEN}
)
COUNTED = ("4", "5", "6", "8", "9", "10", "12", "13")


def waiting_at(f: DossierFacts, t: Instant) -> bool:
    """Whether the dossier waited at ``t`` for the citizen to complete a supplement request
    that was completed only later. The engine knows waiting by the present status (5, 6);
    for a moment in the past a request open at that moment says it."""
    return any(
        s.requested_at <= t and s.completed_at is not None and s.completed_at > t
        for s in f.supplements
    )


def end_column(f: DossierFacts, ev: Evaluation, end: Instant) -> str | None:
    """The column of Biểu 06a for a dossier judged ``ev`` at the period's ``end``: a dossier
    in hand but waiting for a supplement then counts within deadline (DOMAIN.md §7)."""
    column = END_COLUMN.get(ev.due_status)
    if column == "13" and f.supplements and waiting_at(f, end):
        return "12"
    return column


_ONLINE = int(Channel.ONLINE)
FETCH = 5_000


@dataclass
class Tally:
    """Counts per (unit id, field id) and column number."""

    cells: dict[tuple[int | None, int | None], dict[str, int]] = field(default_factory=dict)

    def add(self, unit: int | None, fld: int | None, column: str, n: int = 1) -> None:
        counts = self.cells.get((unit, fld))
        if counts is None:
            counts = self.cells[(unit, fld)] = dict.fromkeys(COUNTED, 0)
        counts[column] += n

    def add_dossier(
        self, unit: int | None, fld: int | None, new: bool, online: bool, end_col: str, n: int = 1
    ) -> None:
        self.add(unit, fld, ("4" if online else "5") if new else "6", n)
        self.add(unit, fld, end_col, n)


@dataclass(frozen=True)
class Context:
    """What the engine needs besides the facts, loaded once per report."""

    policy: Policy
    default: WorkCalendar
    by_unit: dict[int, WorkCalendar]

    @classmethod
    def load(cls, conn: Connection, settings: Settings) -> Context:
        default, by_unit = unit_calendars(conn, settings)
        return cls(Policy.from_settings(settings), default, by_unit)


def _cursor(conn: Connection) -> Any:
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def batches(
    conn: Connection, statement: str, params: dict[str, Any], as_of: int, steps: bool = True
) -> Iterator[tuple[list[Any], Children]]:
    """The fetched rows batch by batch, each batch with its children as the engine's loader
    reads them at ``as_of``; without steps when only due statuses are wanted (steps decide
    responsibility, never the status)."""
    sql = Sql.of(conn)
    cur, children_cur = _cursor(conn), _cursor(conn)
    cur.execute(statement, params)
    while batch := cur.fetchmany(FETCH):
        ids = tuple(sorted(r[0] for r in batch))
        chunk = Chunk(ids[0], ids[-1], ids)
        if steps:
            yield batch, load_children(children_cur, sql, chunk, as_of)
        else:
            yield batch, _dated_children(children_cur, sql, chunk)


def _dated_children(cur: Any, sql: Sql, chunk: Chunk) -> Children:
    """Supplement requests and apology letters of a chunk, in order (no steps)."""
    e = sql.epoch
    out: dict[str, dict[int, list[Any]]] = {"s": defaultdict(list), "a": defaultdict(list)}
    for key, columns, table, make in (
        (
            "s",
            f"{e('requested_at')}, {e('completed_at')}, {e('new_due_at')}",
            "supplements",
            SupplementRequest,
        ),
        ("a", f"{e('issued_at')}, {e('new_due_at')}", "apologies", ApologyLetter),
    ):
        where, params = chunk.where(sql, "dossier_id")
        cur.execute(
            f"SELECT dossier_id, {columns} FROM {table} WHERE {where} ORDER BY dossier_id, seq",
            params,
        )
        for row in cur.fetchall():
            out[key][row[0]].append(make(*row[1:]))
    return Children(
        {},
        {k: tuple(v) for k, v in out["s"].items()},
        {k: tuple(v) for k, v in out["a"].items()},
    )


def facts_statement(sql: Sql, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """The facts of the given dossiers, with their field. Bound by position: SQLite binds
    thousands of named parameters three times slower."""
    columns = ", ".join([*dossier_columns(sql), "d.field_id"])
    where, params = sql.in_ids("d.id", ids)
    return f"SELECT {columns} {FROM_DOSSIERS} WHERE {where} ORDER BY d.id", params


def exact_statement(q: Query, period: Period, scope: Scope) -> str:
    """The facts of every dossier that may count, with their field, in id order."""
    columns = ", ".join([*dossier_columns(q.sql), "d.field_id"])
    return (
        f"SELECT {columns} {FROM_DOSSIERS} WHERE {counted_sql(q, period, scope)} "
        f"AND {maybe_open_at_start_sql(q, period)} ORDER BY d.id"
    )


def judge(rows: list[Any], children: Children, ctx: Context, period: Period, tally: Tally) -> None:
    """Count dossiers as the engine judges them at the period's start and end."""
    start, first, end = period.as_of_start, period.first_instant, period.as_of_end
    policy, default, by_unit = ctx.policy, ctx.default, ctx.by_unit
    for row in rows:
        facts = facts_of(row, children)
        cal = by_unit.get(row[9], default) if by_unit else default
        new = row[3] >= first
        if not new and evaluate_at(facts, policy, cal, start).due_status not in OPEN:
            continue
        column = end_column(facts, evaluate_at(facts, policy, cal, end), end)
        if column is not None:
            tally.add_dossier(row[9], row[10], new, row[2] == _ONLINE, column)


def count_fast(engine: Engine, settings: Settings, period: Period, scope: Scope) -> Tally:
    """The counts from one pass in the database plus the engine on the non-plain dossiers."""
    tally, keys = Tally(), Counter[int | None]()
    with engine.connect() as conn, conn.begin():
        ctx = Context.load(conn, settings)
        sql = Sql.of(conn)
        q = Query(sql)
        cur = _cursor(conn)
        cur.execute(scan_statement(q, period, scope, ctx.policy), q.params)
        while batch := cur.fetchmany(50_000):
            keys.update(r[0] for r in batch)
        others = sorted(-k for k in keys if k is not None and k < 0)
        for key, n in keys.items():
            if key is not None and key >= 0:
                unit, fld, new, online, column = decode_key(key)
                tally.add_dossier(unit, fld, new, online, column, n)
        for lo in range(0, len(others), FETCH):
            ids = others[lo : lo + FETCH]
            cur.execute(*facts_statement(sql, ids))
            rows = cur.fetchall()
            chunk = Chunk(ids[0], ids[-1], tuple(ids))
            judge(rows, _dated_children(cur, sql, chunk), ctx, period, tally)
    return tally


def count_exact(engine: Engine, settings: Settings, period: Period, scope: Scope) -> Tally:
    """The counts with the engine run on every dossier: the reference for ``count_fast``."""
    tally = Tally()
    with engine.connect() as conn, conn.begin():
        ctx = Context.load(conn, settings)
        q = Query(Sql.of(conn))
        statement = exact_statement(q, period, scope)
        for batch, children in batches(conn, statement, q.params, period.as_of_end, False):
            judge(batch, children, ctx, period, tally)
    return tally
