"""Steps, supplements and apologies of a batch, merged by position (seq, from 1).

A new dossier gets all its children inserted. A changed dossier's children are compared with
what is stored: a differing row is corrected in place, a new position is added, and a stored
row the record no longer lists is kept (nothing is deleted; a feed that shortens a list is more
likely truncated than right). A record without the list at all leaves the stored rows alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from monitor.ingest.lists import APOLOGY_COLUMNS, STEP_COLUMNS, SUPPLEMENT_COLUMNS
from monitor.ingest.normalise import Normalised
from monitor.ingest.references import References
from monitor.ingest.sql import Dialect, executemany, insert_rows, select_in


@dataclass(frozen=True)
class ChildTable:
    name: str
    columns: tuple[str, ...]  # stored columns after (dossier_id, seq)
    items: Callable[[Normalised], list[tuple[Any, ...]] | None]
    # Converts a normalised child to its stored columns.
    to_row: Callable[[tuple[Any, ...], Dialect, References], tuple[Any, ...]]


def _step_row(step: tuple[Any, ...], d: Dialect, refs: References) -> tuple[Any, ...]:
    code, name, officer, title, content, status, started, done, deadline = step
    unit_id = refs.step_unit(code, name)
    return (
        name,
        unit_id,
        officer,
        title,
        content,
        status,
        d.dt(started),
        d.dt(done),
        d.dt(deadline),
    )


def _supplement_row(sup: tuple[Any, ...], d: Dialect, _refs: References) -> tuple[Any, ...]:
    return tuple(d.dt(v) for v in sup)


def _apology_row(apology: tuple[Any, ...], d: Dialect, _refs: References) -> tuple[Any, ...]:
    issued, new_due, reason = apology
    return (d.dt(issued), d.dt(new_due), reason)


CHILD_TABLES = (
    ChildTable(
        "dossier_steps",
        ("unit_name", "unit_id", *STEP_COLUMNS[1:]),
        lambda n: n.steps,
        _step_row,
    ),
    ChildTable("supplements", SUPPLEMENT_COLUMNS, lambda n: n.supplements, _supplement_row),
    ChildTable("apologies", APOLOGY_COLUMNS, lambda n: n.apologies, _apology_row),
)


def merge_children(
    conn: Connection,
    d: Dialect,
    table: ChildTable,
    new: list[Normalised],
    changed: list[Normalised],
    ids: Mapping[str, int],
    refs: References,
) -> set[int]:
    """Write the children of ``new`` and ``changed``; return the changed dossiers whose
    children of this table were added to or corrected."""
    inserts: list[tuple[Any, ...]] = []
    for item in new:
        for seq, child in enumerate(table.items(item) or (), start=1):
            inserts.append((ids[item.code], seq, *table.to_row(child, d, refs)))
    carrying = [i for i in changed if table.items(i)]
    stored = _stored(conn, d, table, [ids[i.code] for i in carrying])
    updates: list[tuple[Any, ...]] = []
    touched: set[int] = set()
    for item in carrying:
        dossier_id = ids[item.code]
        for seq, child in enumerate(table.items(item) or (), start=1):
            row = table.to_row(child, d, refs)
            before = stored.get((dossier_id, seq))
            if before is None:
                inserts.append((dossier_id, seq, *row))
                touched.add(dossier_id)
            elif before != row:
                updates.append((*row, dossier_id, seq))
                touched.add(dossier_id)
    insert_rows(conn, d, table.name, ("dossier_id", "seq", *table.columns), inserts)
    executemany(conn, d.update_sql(table.name, table.columns, ("dossier_id", "seq")), updates)
    return touched


def _stored(
    conn: Connection, d: Dialect, table: ChildTable, dossier_ids: list[int]
) -> dict[tuple[int, int], tuple[Any, ...]]:
    if not dossier_ids:
        return {}
    sql = (
        f"SELECT dossier_id, seq, {', '.join(table.columns)} FROM {table.name} "
        "WHERE dossier_id IN ({})"
    )
    rows = select_in(conn, d, sql, (), dossier_ids)
    return {(row[0], row[1]): tuple(d.stored(v) for v in row[2:]) for row in rows}
