"""The statements of the rating hot path as plain SQL with positional parameters.

Building a Core statement per request costs more than SQLite's own work (coercions, cache
keys); like the dossier importer (monitor.ingest.sql) the service binds ready-made values, in
the same stored forms as the ORM writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from monitor.ingest.sql import Dialect

CRITERIA_COLUMNS = tuple(f"crit_{c}" for c in ("a", "b", "c", "d", "dd", "e", "g", "h", "i"))
RATING_COLUMNS = (
    "dossier_id",
    "unit_id",
    "officer_id",
    "counter",
    "channel",
    "device_id",
    "external_ref",
    *CRITERIA_COLUMNS,
    "overall",
    "comment",
    "created_at",
)
FEEDBACK_COLUMNS = ("source", "rating_id", "dossier_id", "unit_id", "text", "received_at")
FEEDBACK_SOURCE = "rating"  # as the demo generator writes them


@dataclass(frozen=True, slots=True)
class DossierRef:
    id: int
    unit_id: int | None  # the resolving unit, else the receiving one
    officer_id: int | None  # the receiving officer, when known
    rated: bool


def find_dossier(cur: Any, d: Dialect, code: str) -> DossierRef | None:
    """The dossier a rating of ``code`` is for, on a DB-API cursor. A code is unique per
    source; should two sources carry it, the freshest record wins."""
    cur.execute(
        "SELECT d.id, COALESCE(d.resolving_unit_id, d.receiving_unit_id), o.id, "
        "(SELECT r.id FROM ratings r WHERE r.dossier_id = d.id) "
        "FROM dossiers d LEFT JOIN officers o ON o.code = d.receiving_officer_code "
        f"WHERE d.code = {d.mark} ORDER BY d.updated_at DESC, d.id DESC LIMIT 1",
        (code,),
    )
    row = cur.fetchone()
    if row is None:
        return None
    return DossierRef(int(row[0]), row[1], row[2], row[3] is not None)


def insert_rating(cur: Any, d: Dialect, values: Mapping[str, Any]) -> int:
    """Insert one rating (keys: RATING_COLUMNS; missing criteria are NULL); its id."""
    row = tuple(d.moment(values[c]) if c == "created_at" else values.get(c) for c in RATING_COLUMNS)
    cur.execute(d.insert_sql("ratings", RATING_COLUMNS) + " RETURNING id", row)
    return int(cur.fetchone()[0])


def insert_feedback(cur: Any, d: Dialect, values: Mapping[str, Any], rating_id: int) -> None:
    """The rating's comment as a feedback row, for the classifier."""
    row = (
        FEEDBACK_SOURCE,
        rating_id,
        values["dossier_id"],
        values["unit_id"],
        values["comment"],
        d.moment(values["created_at"]),
    )
    cur.execute(d.insert_sql("feedback", FEEDBACK_COLUMNS), row)


def cursor(conn: Connection) -> Any:
    """A DB-API cursor in ``conn``'s transaction."""
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
