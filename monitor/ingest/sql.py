"""Plain DB-API statements for the import's hot path, for SQLite and PostgreSQL.

The ORM (and even Core's per-value type processing) costs more per row than the database
itself, so the importer binds ready-made values with ``executemany``. Timestamps are bound in
exactly the form the UTCDateTime column type writes, so values written here and values written
through the ORM compare equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection


class Dialect:
    """Placeholders and value conversion for one backend."""

    def __init__(self, conn: Connection) -> None:
        self.sqlite = conn.dialect.name == "sqlite"
        self.mark = "?" if self.sqlite else "%s"

    def dt(self, value: str | None) -> str | None:
        """A canonical UTC moment (values.When.at) as this backend stores it."""
        if value is None:
            return None
        # SQLite: SQLAlchemy's storage format. PostgreSQL: explicit UTC, whatever the
        # session's time zone.
        return value + (".000000" if self.sqlite else "+00")

    def moment(self, value: datetime) -> Any:
        """An aware datetime (with its microseconds) as this backend stores it."""
        if not self.sqlite:
            return value
        text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        return text if len(text) > 19 else text + ".000000"

    def stored(self, value: Any) -> Any:
        """A value read back with plain SQL, comparable with what ``dt`` binds."""
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ") + "+00"
        return value

    def dt_out(self, value: Any) -> datetime | None:
        """A stored timestamp (read with plain SQL) as an aware UTC datetime."""
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def marks(self, n: int) -> str:
        return ", ".join([self.mark] * n)

    def insert_sql(self, table: str, columns: Sequence[str]) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({self.marks(len(columns))})"

    def update_sql(self, table: str, columns: Sequence[str], where: Sequence[str]) -> str:
        sets = ", ".join(f"{c} = {self.mark}" for c in columns)
        cond = " AND ".join(f"{c} = {self.mark}" for c in where)
        return f"UPDATE {table} SET {sets} WHERE {cond}"


def executemany(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        conn.exec_driver_sql(sql, rows)


def insert_rows(
    conn: Connection, d: Dialect, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Append ``rows``: executemany on SQLite, COPY on PostgreSQL (several times faster than
    one INSERT a row there), in the connection's transaction either way."""
    if not rows:
        return
    if d.sqlite:
        conn.exec_driver_sql(d.insert_sql(table, columns), rows)
        return
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def select_in(
    conn: Connection, d: Dialect, sql: str, fixed: tuple[Any, ...], keys: Iterable[Any]
) -> list[Sequence[Any]]:
    """Run ``sql`` whose last condition is ``<column> IN ({})`` for ``keys``, in chunks.

    PostgreSQL gets one array parameter instead (``= ANY(%s)``): planning thousands of
    placeholders costs it more than the lookup itself."""
    keys = list(keys)
    rows: list[Sequence[Any]] = []
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        if d.sqlite:
            statement, params = sql.format(d.marks(len(chunk))), (*fixed, *chunk)
        else:
            statement, params = sql.replace(" IN ({})", " = ANY(%s)"), (*fixed, chunk)
        rows.extend(conn.exec_driver_sql(statement, params).all())
    return rows


def sqlite_new_ids(conn: Connection, source_id: int, codes: list[str]) -> dict[str, int] | None:
    """The ids SQLite gave the dossiers ``codes`` just inserted, in order, by one executemany;
    None if they cannot be told without looking each one up.

    SQLite gives a new row the largest rowid so far plus one (unless that largest is the
    maximum integer), and this transaction holds the write lock, so the rows got consecutive
    ids ending at last_insert_rowid(). Both ends are checked: a lookup of two rows instead of
    one a dossier."""
    last = conn.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
    first = last - len(codes) + 1
    # By id alone: with source_id in the WHERE clause SQLite prefers the (source_id, code)
    # index and scans every dossier of the source.
    ends = conn.exec_driver_sql(
        "SELECT id, source_id, code FROM dossiers WHERE id IN (?, ?)", (first, last)
    ).all()
    expected = {first: (source_id, codes[0]), last: (source_id, codes[-1])}
    if {row[0]: (row[1], row[2]) for row in ends} != expected:
        return None
    return dict(zip(codes, range(first, last + 1), strict=True))
