"""The SQL of the reports: the fragments that decide, in the database, what the deadline
engine would decide for *plain* dossiers, and the one-pass scan of Biểu 06a.

Timestamps are compared as the column type stores them (text on SQLite), with instants bound
as parameters, so no conversion runs per row except where a day must be computed. Parameters
are named, so fragments can be built in any order and used more than once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.calendar import DAY_S, VN_OFFSET_S, to_instant
from monitor.deadlines import ApologyBasis, Policy
from monitor.deadlines.store import Sql
from monitor.enums import FINISHED, NOT_ACCEPTED, Channel, DossierStatus
from monitor.reports.period import Period, Scope

_ONLINE = int(Channel.ONLINE)
# Dates the database may judge on its own: well inside the calendar's years, so the engine
# would never fall back to dropping a date it cannot place.
PLAIN_RANGE = (
    to_instant(datetime(1980, 1, 1, tzinfo=UTC)),
    to_instant(datetime(2150, 1, 1, tzinfo=UTC)),
)


class Query:
    """SQL text with named parameters, so fragments can be built in any order and reused."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self.params: dict[str, Any] = {}

    def p(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}" if self.sql.sqlite else f"%({name})s"

    def at(self, instant: int) -> str:
        """An instant, bound as the column type stores timestamps: SQLite compares the stored
        text, and a constant parameter (unlike a conversion in SQL) costs nothing per row."""
        t = datetime.fromtimestamp(instant, UTC)
        return self.p(t.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sql.sqlite else t)

    def scope(self, scope: Scope) -> str:
        if scope.unit_ids is None:
            return "1 = 1"
        ids = sorted(scope.unit_ids)
        if self.sql.sqlite:
            return f"{UNIT} IN ({', '.join(self.p(i) for i in ids)})"
        return f"{UNIT} = ANY({self.p(ids)})"


UNIT = "COALESCE(d.resolving_unit_id, d.receiving_unit_id)"
END = (
    "(CASE WHEN d.status IN (9, 10) THEN COALESCE(d.finished_at, d.returned_at) "
    "ELSE d.finished_at END)"
)


def plain_sql(q: Query, policy: Policy) -> str:
    """Dossiers whose status at any moment is a comparison of dates (see the module doc).

    Apology letters matter to the status only when lateness is judged against the reset date
    (``ApologyBasis.RESET``); under the default basis a dossier with a letter is still plain.
    """
    lo, hi = PLAIN_RANGE

    def sane(col: str, nullable: bool) -> str:
        cond = f"({col} >= {q.at(lo)} AND {col} < {q.at(hi)})"
        return f"({col} IS NULL OR {cond})" if nullable else f"({col} IS NOT NULL AND {cond})"

    letters = (
        " AND NOT EXISTS (SELECT 1 FROM apologies a WHERE a.dossier_id = d.id)"
        if policy.apology_basis is ApologyBasis.RESET
        else ""
    )
    return (
        f"({sane('d.due_at', False)} AND {sane('d.finished_at', True)} "
        f"AND {sane('d.returned_at', True)} "
        f"AND NOT EXISTS (SELECT 1 FROM supplements s WHERE s.dossier_id = d.id){letters})"
    )


def counted_sql(q: Query, period: Period, scope: Scope) -> str:
    """Accepted dossiers of the scope received by the end of the period."""
    return (
        f"d.status NOT IN (1, 3) AND d.received_at < {q.at(period.end_instant)} "
        f"AND {q.scope(scope)}"
    )


def end_column_sql(q: Query, period: Period) -> str:
    """For a plain dossier, the Biểu 06a column of its due status at the end of the period:
    the engine's rules for dates only. An end on the appointment day is on time, before it
    early, after it late; an open dossier is overdue once the period's last day is past its
    due day, i.e. when it was due before that day began. Written so that each row costs as
    few date conversions as possible (a million rows a year)."""
    e, end, last_day = q.sql.epoch, period.end_instant, period.end_instant - DAY_S
    fin = "COALESCE(d.finished_at, d.returned_at)"
    # Days from the appointment day to the end day, clamped to -1, 0, 1.
    diff = f"(({e(fin)} + {VN_OFFSET_S}) / {DAY_S}) - (({e('d.due_at')} + {VN_OFFSET_S}) / {DAY_S})"
    clamp = f"max(min({diff}, 1), -1)" if q.sql.sqlite else f"GREATEST(LEAST({diff}, 1), -1)"

    due_before_last_day = q.at(last_day)
    open_col = f"CASE WHEN d.due_at < {due_before_last_day} THEN 13 ELSE 12 END"

    return (
        f"CASE WHEN d.status IN (5, 6) THEN 12 "
        f"WHEN d.status IN (7, 8) THEN CASE WHEN d.finished_at IS NULL "
        f"OR d.finished_at < {q.at(end)} THEN 9 ELSE {open_col} END "
        f"WHEN d.status IN (9, 10) THEN CASE WHEN {fin} IS NULL THEN 9 "
        f"WHEN {fin} >= {q.at(end)} THEN {open_col} "
        f"ELSE CASE {clamp} WHEN -1 THEN 8 WHEN 0 THEN 9 ELSE 10 END END "
        f"ELSE {open_col} END"
    )


def carried_sql(q: Query, period: Period) -> str:
    """Received in the period, or open at its start (for plain dossiers: not ended before)."""
    start = period.first_instant
    return (
        f"(d.received_at >= {q.at(start)} OR NOT (d.status IN (7, 8, 9, 10) "
        f"AND ({END} IS NULL OR {END} < {q.at(start)})))"
    )


def maybe_open_at_start_sql(q: Query, period: Period) -> str:
    """Received in the period, or not certainly closed before it: a superset of the dossiers
    the engine may find open at the start (an end date the calendar can place, before the
    first day, is closed for the engine too)."""
    closed = (
        f"d.status IN (7, 8, 9, 10) AND {END} IS NOT NULL AND {END} >= {q.at(PLAIN_RANGE[0])} "
        f"AND {END} < {q.at(period.first_instant)}"
    )
    return f"(d.received_at >= {q.at(period.first_instant)} OR NOT ({closed}))"


def scan_statement(q: Query, period: Period, scope: Scope, policy: Policy) -> str:
    """One pass over the dossiers that may count: for a plain one, the key of its cell of
    Biểu 06a (unit, field, new, online and end column in one integer, see ``decode_key``) or
    NULL if it does not count; for any other, minus its id, for the engine to judge.

    The rows are counted in Python: SQLite can only group by sorting, which costs more than
    fetching one integer a row.
    """
    column = end_column_sql(q, period)
    new = f"CASE WHEN d.received_at >= {q.at(period.first_instant)} THEN 2 ELSE 0 END"
    online = f"CASE WHEN d.channel = {q.p(_ONLINE)} THEN 1 ELSE 0 END"
    key = (
        f"((CAST(COALESCE({UNIT}, 0) AS BIGINT) * 16777216 + COALESCE(d.field_id, 0)) * 32 "
        f"+ ({column}) - 8) * 4 + {new} + {online}"
    )
    select = (
        f"SELECT CASE WHEN {plain_sql(q, policy)} THEN CASE WHEN {carried_sql(q, period)} "
        f"THEN {key} END ELSE -d.id END FROM dossiers d "
        f"WHERE {counted_sql(q, period, scope)} AND {maybe_open_at_start_sql(q, period)}"
    )
    if period.end - period.start > INDEX_PERIOD:
        return select
    return " UNION ALL ".join(f"{select} AND {part}" for part in index_parts(q, period))


# Up to this length a period's dossiers are read through indexes (``index_parts``), beyond it
# in one pass over the table. On a year of a million dossiers (bench/console.py's data) a
# 30-day count took 0.85 s through indexes and 1.30 s in one pass, 91 days 1.8 s and 1.7 s,
# a year 6.0 s and 4.1 s: the longer the period, the more rows the indexes reach one by one.
INDEX_PERIOD = timedelta(days=62)


# The statuses ``END`` and ``maybe_open_at_start_sql`` call ended (7, 8, 9, 10), and the others.
_ENDED_SET = frozenset({DossierStatus.WITHDRAWN, DossierStatus.STOPPED, *FINISHED})
_ENDED = ", ".join(str(int(s)) for s in sorted(_ENDED_SET))
_NOT_ENDED = ", ".join(str(int(s)) for s in DossierStatus if s not in _ENDED_SET | NOT_ACCEPTED)


def index_parts(q: Query, period: Period) -> tuple[str, ...]:
    """Disjoint conditions that together hold every dossier ``maybe_open_at_start_sql`` lets
    through, each narrow enough for an index: received in the period (received_at), received
    before it and not ended (status), or ended with no end date, an end on or after the
    period's first day or one before the calendar's years (status, finished_at). A province's
    year of dossiers is read a month at a time instead of whole: the dossiers ended before the
    period are never touched.

    A status ended with ``finished_at`` in [PLAIN_RANGE start, period start) is ended before
    the period for ``maybe_open_at_start_sql`` (its end is ``finished_at`` whenever that is
    set), so leaving those rows out loses none that count.
    """
    first, lo = q.at(period.first_instant), q.at(PLAIN_RANGE[0])
    # SQLite: a unary + keeps the planner off the received_at index where status narrows more.
    before = f"{'+' if q.sql.sqlite else ''}d.received_at < {first}"
    ended = f"{before} AND d.status IN ({_ENDED})"
    return (
        f"d.received_at >= {first}",
        f"{before} AND d.status IN ({_NOT_ENDED})",
        f"{ended} AND d.finished_at IS NULL",
        f"{ended} AND d.finished_at >= {first}",
        f"{ended} AND d.finished_at < {lo}",
    )


def decode_key(key: int) -> tuple[int | None, int | None, bool, bool, str]:
    """Unit id, field id, new in the period, online, end column (unit and field ids are
    below 2**24; the end column, new and online take 7 bits)."""
    rest, flags = divmod(int(key), 4)
    ids, column = divmod(rest, 32)
    unit, fld = divmod(ids, 16777216)
    return unit or None, fld or None, bool(flags & 2), bool(flags & 1), str(column + 8)
