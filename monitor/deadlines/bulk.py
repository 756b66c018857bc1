"""Reading a chunk of dossiers into arrays for the batch evaluation, with what is stored.

One SELECT per chunk for the dossiers (only the columns evaluation needs, timestamps as epoch
seconds computed by the database, NULL as NA), one for the steps that can matter, one each for
supplement requests and apology letters. The procedure catalogue and the unit calendars are
looked up in arrays rather than joined: a join costs the database a search per dossier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from monitor.deadlines.columns import (
    NA,
    UNIT_CODE,
    Columns,
    Ints,
    LetterColumns,
    RequestColumns,
    StepColumns,
)
from monitor.deadlines.facts import Instant
from monitor.deadlines.store import Chunk, Sql, steps_statement
from monitor.enums import Channel

Objects = npt.NDArray[np.object_]


def _kind() -> str:
    """TrangThaiHoSo, paper or online, and the unit of the dossier's own legal time, packed in
    one integer: every column costs the driver time for each of a million rows. Status codes
    outside 0..10 become 0; the rules put every code they do not know in hand, 0 included."""
    units = " ".join(f"WHEN '{name}' THEN {code}" for name, code in UNIT_CODE.items())
    return (
        "CASE WHEN d.status BETWEEN 0 AND 10 THEN d.status ELSE 0 END * 8 "
        f"+ CASE WHEN d.channel = {int(Channel.ONLINE)} THEN 0 ELSE 4 END "
        f"+ CASE d.legal_unit {units} ELSE 0 END"
    )


def _columns(sql: Sql) -> list[str]:
    """Integers first (one conversion for all of them), then the legal amount, then text."""

    def t(column: str) -> str:
        return f"COALESCE({sql.epoch(column)}, {NA})"

    return [
        "d.id",
        _kind(),
        t("d.received_at"),
        t("d.due_at"),
        t("d.finished_at"),
        t("d.returned_at"),
        # The procedure and the unit whose calendar applies, packed like _kind.
        f"COALESCE(d.procedure_id, 0) * {ID_SPAN} "
        "+ COALESCE(d.resolving_unit_id, d.receiving_unit_id, 0)",
        t("d.legal_due_at"),
        t("d.effective_due_at"),
        t("d.next_change_at"),
        "COALESCE(d.legal_amount, -1.0)",
        # Status and breaches in one text, compared with write._VERDICT (NULL: never evaluated).
        "d.due_status || '|' || d.breaches",
        sql.json_text("d.responsible_units"),
        # The guard of the write. SQLite reads it later, for the rows to write only, in the
        # same transaction (the same snapshot); PostgreSQL's next statement could see newer.
        *([] if sql.sqlite else ["d.updated_at"]),
    ]


_INTS = 10
ID_SPAN = 2**31  # procedure and unit ids are below it (Catalogue.load checks)
_STEP_TIMES = ("s.started_at", "s.done_at", "s.deadline_at")


class Lookup:
    """An array indexed by id (procedure, unit), with a default for ids it does not know."""

    def __init__(self, values: dict[int, Any], default: Any, dtype: Any) -> None:
        size = max((k for k in values if k >= 0), default=0) + 1
        self.table = np.full(size, default, dtype=dtype)
        self.known = np.zeros(size, dtype=np.bool_)
        for k, v in values.items():
            if k >= 0:
                self.table[k], self.known[k] = v, True

    def __call__(self, ids: Ints) -> tuple[Any, npt.NDArray[np.bool_]]:
        inside = (ids >= 0) & (ids < self.table.size)
        at = np.where(inside, ids, 0)
        return self.table[at], inside & self.known[at]


@dataclass
class Catalogue:
    """What evaluation looks up by id: the procedures' legal times and the units' calendars."""

    amount: Lookup
    unit: Lookup
    calendar: Lookup

    @classmethod
    def load(cls, cur: Any, calendar_of_unit: dict[int, int]) -> Catalogue:
        cur.execute("SELECT MAX(id) FROM units")
        units = cur.fetchone()[0] or 0
        cur.execute("SELECT id, legal_amount, legal_unit FROM procedures")
        rows = cur.fetchall()
        if max([units, *(r[0] for r in rows)]) >= ID_SPAN:
            raise ValueError("procedure or unit ids beyond 2**31: the evaluation cannot pack them")
        return cls(
            Lookup({r[0]: -1.0 if r[1] is None else r[1] for r in rows}, -1.0, np.float64),
            Lookup({r[0]: UNIT_CODE.get(r[2], 0) for r in rows}, 0, np.int64),
            Lookup(calendar_of_unit, 0, np.int64),
        )


@dataclass
class Stored:
    """What a chunk's rows hold now: to compare with, and to guard the write with."""

    ids: Ints
    legal: Ints
    effective: Ints
    next_change: Ints
    verdict: Objects  # "due_status|breaches"
    units: Objects
    updated_at: Objects | _Guards

    def guards(self, rows: Ints) -> list[Any]:
        """The updated_at of ``rows`` as read with their facts."""
        if isinstance(self.updated_at, _Guards):
            return self.updated_at.of(self.ids[rows].tolist())
        return list(self.updated_at[rows].tolist())


def read_chunk(
    cur: Any, sql: Sql, chunk: Chunk, as_of: Instant, catalogue: Catalogue
) -> tuple[Columns, Stored]:
    """The facts of a chunk's dossiers, in id order, with their children and what is stored."""
    where, params = chunk.where(sql, "d.id")
    cur.execute(
        f"SELECT {', '.join(_columns(sql))} FROM dossiers d WHERE {where} ORDER BY d.id", params
    )
    table = np.array(cur.fetchall(), dtype=object).reshape(-1, len(_columns(sql)))
    ints = table[:, :_INTS].astype(np.int64)
    ids, kind = ints[:, 0], ints[:, 1]
    procedure, unit_id = np.divmod(ints[:, 6], ID_SPAN)
    proc_amount, in_catalogue = catalogue.amount(procedure)
    proc_unit, _ = catalogue.unit(procedure)
    calendar, _ = catalogue.calendar(unit_id)
    facts = Columns(
        status=kind >> 3,
        paper=(kind & 4) != 0,
        received=ints[:, 2],
        due=ints[:, 3],
        finished=ints[:, 4],
        returned=ints[:, 5],
        # The catalogue's legal time wins over the one the dossier carries.
        amount=np.where(in_catalogue, proc_amount, table[:, _INTS].astype(np.float64)),
        unit=np.where(in_catalogue, proc_unit, kind & 3),
        calendar=calendar,
    )
    _read_children(cur, sql, chunk, as_of, ids, facts)
    conclusions = table[:, _INTS + 1 :]
    stored = Stored(
        ids,
        ints[:, 7],
        ints[:, 8],
        ints[:, 9],
        conclusions[:, 0],
        conclusions[:, 1],
        _Guards(cur, chunk) if sql.sqlite else conclusions[:, 2],
    )
    return facts, stored


class _Guards:
    """updated_at of the rows to write, read in the transaction that read their facts."""

    def __init__(self, cur: Any, chunk: Chunk) -> None:
        self.cur, self.chunk = cur, chunk

    def of(self, ids: list[int]) -> list[Any]:
        if not ids:
            return []
        if self.chunk.ids is None or len(ids) > 900:
            where, params = self.chunk.where(Sql(True), "id")
        else:
            where, params = Sql(True).in_ids("id", ids)
        self.cur.execute(f"SELECT id, updated_at FROM dossiers WHERE {where}", params)
        found = dict(self.cur.fetchall())
        return [found.get(i) for i in ids]


def _read_children(
    cur: Any, sql: Sql, chunk: Chunk, as_of: Instant, ids: Ints, columns: Columns
) -> None:
    def t(column: str) -> str:
        return f"COALESCE({sql.epoch(column)}, {NA})"

    statement, params = steps_statement(sql, chunk, as_of, [t(c) for c in _STEP_TIMES])
    cur.execute(statement, params)
    steps = cur.fetchall()
    if steps:
        dossier, unit, started, done, deadline = zip(*steps, strict=True)
        columns.steps = StepColumns(
            np.searchsorted(ids, np.asarray(dossier, dtype=np.int64)),
            list(unit),
            np.asarray(started, dtype=np.int64),
            np.asarray(done, dtype=np.int64),
            np.asarray(deadline, dtype=np.int64),
        )
    where, params = chunk.where(sql, "s.dossier_id")
    requests = _child_table(
        cur,
        f"SELECT s.dossier_id, {t('s.requested_at')}, {t('s.completed_at')}, "
        f"{t('s.new_due_at')} FROM supplements s WHERE {where} ORDER BY s.dossier_id, s.seq",
        params,
        ids,
    )
    if requests is not None:
        columns.supplements = RequestColumns(*requests)
    letters = _child_table(
        cur,
        f"SELECT s.dossier_id, {t('s.issued_at')}, {t('s.new_due_at')} "
        f"FROM apologies s WHERE {where} ORDER BY s.dossier_id, s.seq",
        params,
        ids,
    )
    if letters is not None:
        columns.apologies = LetterColumns(*letters)


def _child_table(cur: Any, statement: str, params: list[Any], ids: Ints) -> list[Ints] | None:
    """The rows of a child table as int64 columns, the dossier id turned into its row."""
    cur.execute(statement, params)
    found = cur.fetchall()
    if not found:
        return None
    table = np.asarray(found, dtype=np.int64)
    table[:, 0] = np.searchsorted(ids, table[:, 0])
    return [table[:, k].copy() for k in range(table.shape[1])]
