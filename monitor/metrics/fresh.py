"""The deadline engine's conclusions about a few dossiers at a given moment, computed afresh.

The console lists the dossiers the last evaluation found overdue or due soon, but shows the
working days late, the due dates and the responsible units as of the moment the page is
drawn: the same pure ``evaluate_at`` the evaluation runs, on the same facts, read in chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from monitor.calendar import to_instant
from monitor.calendar_store import unit_calendars
from monitor.config import Settings
from monitor.deadlines import Evaluation, Policy, evaluate_at
from monitor.deadlines.store import (
    FROM_DOSSIERS,
    Chunk,
    Sql,
    dossier_columns,
    facts_of,
    load_children,
)

CHUNK = 5_000


def evaluate_ids(
    engine: Engine, settings: Settings, ids: Sequence[int], now: datetime
) -> dict[int, Evaluation]:
    """Dossier id -> its evaluation at ``now`` (ids that do not exist are left out)."""
    at, policy = to_instant(now), Policy.from_settings(settings)
    wanted = sorted(set(ids))
    out: dict[int, Evaluation] = {}
    if not wanted:
        return out
    with engine.connect() as conn, conn.begin():
        default, by_unit = unit_calendars(conn, settings)
        sql = Sql.of(conn)
        cur: Any = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for lo in range(0, len(wanted), CHUNK):
            part = tuple(wanted[lo : lo + CHUNK])
            where, params = sql.in_ids("d.id", part)
            cur.execute(
                f"SELECT {', '.join(dossier_columns(sql))} {FROM_DOSSIERS} WHERE {where}", params
            )
            rows = cur.fetchall()
            children = load_children(cur, sql, Chunk(part[0], part[-1], part), at)
            for row in rows:
                cal = by_unit.get(row[9], default)
                out[row[0]] = evaluate_at(facts_of(row, children), policy, cal, at)
    return out
