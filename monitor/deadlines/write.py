"""Finding the conclusions that differ from the stored ones and writing them back, on SQLite
and PostgreSQL.

Each row is written only where ``updated_at`` is still the value read with the facts: a dossier
the ingest changed meanwhile keeps its "evaluate me" mark. Timestamps are written in exactly
the form the UTCDateTime column type stores, so ORM readers see ordinary values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from monitor.deadlines.bulk import Objects, Stored
from monitor.deadlines.columns import BREACHES, NA, STATUSES, Ints, Outcome
from monitor.deadlines.facts import Instant
from monitor.deadlines.store import Sql, sqlite_timestamp

_STATUS_TEXT = np.array([str(s) for s in STATUSES], dtype=object)
_BREACH_TEXT = np.array(
    [
        ",".join(str(b) for k, b in enumerate(BREACHES) if bits & (1 << k))
        for bits in range(1 << len(BREACHES))
    ],
    dtype=object,
)
# "status|breaches" for every status and set of breaches, at status * 64 + bits.
_VERDICT = np.array(
    [f"{status}|{breaches}" for status in _STATUS_TEXT for breaches in _BREACH_TEXT], dtype=object
)

# The order of an update row.
UPDATE_FIELDS = (
    "due_status",
    "legal_due_at",
    "effective_due_at",
    "breaches",
    "responsible_units",
    "next_change_at",
    "id",
    "updated_at",
)


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


@dataclass
class Differences:
    changed: npt.NDArray[np.bool_]  # the conclusions differ from the stored ones
    write: npt.NDArray[np.bool_]  # changed, or only the next change moved
    breaches: Objects
    units: Objects


def differences(out: Outcome, stored: Stored) -> Differences:
    breaches = _BREACH_TEXT[out.breaches]
    units = np.full(out.status.size, "[]", dtype=object)
    texts: dict[tuple[str, ...], str] = {}  # few distinct lists: each encoded once
    for i, found in out.units.items():
        text = texts.get(found)
        if text is None:
            text = texts[found] = units_json(found)
        units[i] = text
    units_differ = stored.units != units
    for i in np.flatnonzero(units_differ).tolist():
        units_differ[i] = not same_units(stored.units[i], units[i])
    changed = (
        (stored.verdict != _VERDICT[out.status * _BREACH_TEXT.size + out.breaches])
        | (stored.legal != out.legal)
        | (stored.effective != out.effective)
        | units_differ
    )
    return Differences(changed, changed | (stored.next_change != out.next_change), breaches, units)


def update_rows(out: Outcome, stored: Stored, diff: Differences) -> list[tuple[Any, ...]]:
    """The rows to write, in the order of write.UPDATE_FIELDS."""
    rows = np.flatnonzero(diff.write)
    return list(
        zip(
            _STATUS_TEXT[out.status[rows]].tolist(),
            _nullable(out.legal[rows]),
            _nullable(out.effective[rows]),
            diff.breaches[rows].tolist(),
            diff.units[rows].tolist(),
            out.next_change[rows].tolist(),
            stored.ids[rows].tolist(),
            stored.guards(rows),
            strict=True,
        )
    )


def _nullable(values: Ints) -> Sequence[int | None]:
    return [None if v == NA else v for v in values.tolist()]


def write_updates(cur: Any, sql: Sql, updates: list[tuple[Any, ...]], as_of: Instant) -> int:
    """Write update rows (UPDATE_FIELDS), stamping ``evaluated_at`` with ``as_of``; return how
    many rows were written. SQLite gets them ``SQLITE_ROWS`` at a time in one UPDATE … FROM
    (VALUES …); PostgreSQL by COPY into a temporary table and one UPDATE (an executemany of
    UPDATEs costs a round trip per row there)."""
    if sql.sqlite:
        return _sqlite_write(cur, updates, as_of)
    cur.execute(_PG_TEMP)
    with cur.copy(f"COPY evaluation_batch ({', '.join(UPDATE_FIELDS)}) FROM STDIN") as copy:
        for row in updates:
            copy.write_row(row)
    cur.execute(_PG_UPDATE, [as_of])
    return int(cur.rowcount)


# Rows per SQLite UPDATE. The database does the same work as for one UPDATE a row, but the
# driver lets go of the GIL once a statement rather than once a row: with the evaluation's
# reader thread working meanwhile, a handover of the GIL for each row cost more CPU than the
# overlap saved (half a million context switches for a million rows).
SQLITE_ROWS = 500
_UPDATE_FROM = sqlite3.sqlite_version_info >= (3, 33, 0)
_T = sqlite_timestamp


def _sqlite_write(cur: Any, updates: list[tuple[Any, ...]], as_of: Instant) -> int:
    width = len(UPDATE_FIELDS)
    limit = cur.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width
    size = min(SQLITE_ROWS, limit) if _UPDATE_FROM else 1
    if size <= 1:
        cur.executemany(_sqlite_update(as_of), updates)
        return int(cur.rowcount)
    written = 0
    for start in range(0, len(updates), size):
        part = updates[start : start + size]
        cur.execute(_sqlite_update_from(as_of, len(part)), [v for row in part for v in row])
        written += cur.rowcount
    return written


def _stamp(as_of: Instant) -> str:
    # The same moment for every row: formatted once, not by the database for each row.
    return datetime.fromtimestamp(as_of, UTC).strftime("%Y-%m-%d %H:%M:%S.000000")


def _sqlite_update(as_of: Instant) -> str:
    return (
        f"UPDATE dossiers SET due_status = ?, legal_due_at = {_T('?')}, "
        f"effective_due_at = {_T('?')}, breaches = ?, responsible_units = ?, "
        f"next_change_at = {_T('?')}, evaluated_at = '{_stamp(as_of)}' "
        "WHERE id = ? AND updated_at = ?"
    )


@lru_cache(maxsize=8)
def _sqlite_update_from(as_of: Instant, rows: int) -> str:
    """One UPDATE for ``rows`` update rows; b.column1… are UPDATE_FIELDS in order."""
    values = ", ".join(["(" + ", ".join("?" * len(UPDATE_FIELDS)) + ")"] * rows)
    return (
        f"UPDATE dossiers SET due_status = b.column1, legal_due_at = {_T('b.column2')}, "
        f"effective_due_at = {_T('b.column3')}, breaches = b.column4, "
        f"responsible_units = b.column5, next_change_at = {_T('b.column6')}, "
        f"evaluated_at = '{_stamp(as_of)}' FROM (VALUES {values}) AS b "
        "WHERE dossiers.id = b.column7 AND dossiers.updated_at = b.column8"
    )


_PG_TEMP = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS evaluation_batch (due_status TEXT, "
    "legal_due_at BIGINT, effective_due_at BIGINT, breaches TEXT, responsible_units TEXT, "
    "next_change_at BIGINT, id BIGINT, updated_at TIMESTAMPTZ) "
    "ON COMMIT DELETE ROWS"
)
_PG_UPDATE = (
    "UPDATE dossiers d SET due_status = b.due_status, "
    "legal_due_at = to_timestamp(b.legal_due_at), "
    "effective_due_at = to_timestamp(b.effective_due_at), breaches = b.breaches, "
    "responsible_units = CAST(b.responsible_units AS JSON), "
    "next_change_at = to_timestamp(b.next_change_at), "
    "evaluated_at = to_timestamp(%s) "
    "FROM evaluation_batch b WHERE d.id = b.id AND d.updated_at = b.updated_at"
)
