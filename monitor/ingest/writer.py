"""Upsert normalised dossiers by (source, MaHoSo), a batch at a time, without the ORM.

Per batch: one query finds which codes exist and their version hash; new dossiers are inserted
in bulk (executemany on SQLite, COPY on PostgreSQL), changed ones updated with executemany,
unchanged ones not touched at all. Every insert or
change appends a dossier_events row. Child lists (steps, supplements, apologies) are merged
by position: a record never deletes a child row, it adds or corrects them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from monitor.enums import DossierEventKind
from monitor.ingest.children import CHILD_TABLES, merge_children
from monitor.ingest.normalise import DOSSIER_COLUMNS, Normalised
from monitor.ingest.references import References
from monitor.ingest.result import ImportResult, Note, Reason
from monitor.ingest.sql import Dialect, executemany, insert_rows, select_in, sqlite_new_ids
from monitor.ingest.values import parse_canonical

BATCH_SIZE = 5000
_REF_COLUMNS = ("procedure_id", "field_id", "receiving_unit_id", "resolving_unit_id")
_INSERT_COLUMNS = (
    "source_id",
    "code",
    *_REF_COLUMNS,
    *DOSSIER_COLUMNS,
    "source_version",
    "created_at",
    "updated_at",
    "breaches",
    "responsible_units",
)
_UPDATE_COLUMNS = (*_REF_COLUMNS, *DOSSIER_COLUMNS, "source_version", "updated_at")
# Indexes into DOSSIER_COLUMNS of the timestamps, and of the facts an event reports.
_DT_INDEXES = tuple(i for i, c in enumerate(DOSSIER_COLUMNS) if c.endswith("_at"))
_EVENT_FACTS = ("status", "due_at", "finished_at", "returned_at")
_EVENT_COLUMNS = ("dossier_id", "at", "kind", "status", "batch_id", "detail")
_QUARANTINE_COLUMNS = ("batch_id", "line_no", "reason", "message", "raw", "created_at")
# Plain strings: an enum's .value is a Python-level descriptor, and this runs once a row.
_NEW_FIELD, _UNKNOWN_UNIT = Note.NEW_FIELD.value, Note.UNKNOWN_UNIT.value
_IMPORTED = DossierEventKind.IMPORTED.value


class BatchWriter:
    """Buffers records and writes them in batches on ``conn``; counts into ``result``."""

    def __init__(
        self, conn: Connection, source_id: int, now: datetime, result: ImportResult
    ) -> None:
        assert result.batch_id is not None
        self.conn, self.source_id, self.now, self.result = conn, source_id, now, result
        self.d = Dialect(conn)
        self.refs = References.load(conn)
        self.pending: dict[str, Normalised] = {}
        self.quarantine_rows: list[tuple[Any, ...]] = []
        self._now_db = self.d.moment(now)
        self._sql_update = self.d.update_sql(
            "dossiers", (*_UPDATE_COLUMNS, "next_change_at", "evaluated_at"), ("id",)
        )

    def add(self, item: Normalised) -> None:
        # A code seen twice in one batch: write the first before reading the second, so the
        # second is compared with the first like any later record.
        if item.code in self.pending:
            self.flush()
        self.pending[item.code] = item
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def quarantine(self, line_no: int, reason: Reason, message: str, raw: str) -> None:
        self.result.quarantined += 1
        self.result.count_reason(reason.value)
        batch_id = self.result.batch_id
        self.quarantine_rows.append((batch_id, line_no, reason.value, message, raw, self._now_db))
        if len(self.quarantine_rows) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        items, self.pending = list(self.pending.values()), {}
        if items:
            self._write(items)
        rows, self.quarantine_rows = self.quarantine_rows, []
        insert_rows(self.conn, self.d, "quarantine", _QUARANTINE_COLUMNS, rows)

    def _write(self, items: list[Normalised]) -> None:
        existing = self._existing([i.code for i in items])
        new = [i for i in items if i.code not in existing]
        changed = [i for i in items if i.code in existing and existing[i.code][1] != i.version]
        self.result.unchanged += len(items) - len(new) - len(changed)
        self.result.inserted += len(new)
        self.result.updated += len(changed)
        ids = self._insert(new)
        self._update(changed, existing)
        for item in changed:
            ids[item.code] = existing[item.code][0]
        touched = {
            table.name: merge_children(self.conn, self.d, table, new, changed, ids, self.refs)
            for table in CHILD_TABLES
        }
        self._events(new, changed, existing, touched, ids)

    def _existing(self, codes: list[str]) -> dict[str, tuple[Any, ...]]:
        sql = (
            f"SELECT code, id, source_version, {', '.join(_EVENT_FACTS)} FROM dossiers "
            f"WHERE source_id = {self.d.mark} AND code IN ({{}})"
        )
        rows = select_in(self.conn, self.d, sql, (self.source_id,), codes)
        return {row[0]: tuple(row[1:]) for row in rows}

    def _row(self, item: Normalised) -> tuple[Any, ...]:
        """Foreign keys and dossier columns in DB form; counts notes once per written row."""
        refs = self.refs
        procedure_id, catalogue_field = refs.procedure(item.values[0])
        created_before = refs.created_fields
        field_id = refs.field(self.conn, item.field_code, item.field_name) or catalogue_field
        if refs.created_fields > created_before:
            self.result.count_note(_NEW_FIELD)
        receiving = refs.unit(item.receiving_unit)
        resolving = refs.unit(item.resolving_unit)
        unknown = (item.receiving_unit is not None and receiving is None) or (
            item.resolving_unit is not None and resolving is None
        )
        if unknown:
            self.result.count_note(_UNKNOWN_UNIT)
        for note in item.notes:
            self.result.count_note(note.value)
        values = list(item.values)
        for i in _DT_INDEXES:
            values[i] = self.d.dt(values[i])
        return (procedure_id, field_id, receiving, resolving, *values, item.version)

    def _insert(self, items: list[Normalised]) -> dict[str, int]:
        if not items:
            return {}
        now = self._now_db
        rows = [(self.source_id, i.code, *self._row(i), now, now, "", "[]") for i in items]
        insert_rows(self.conn, self.d, "dossiers", _INSERT_COLUMNS, rows)
        codes = [i.code for i in items]
        if self.d.sqlite:
            ids = sqlite_new_ids(self.conn, self.source_id, codes)
            if ids is not None:
                return ids
        sql = f"SELECT code, id FROM dossiers WHERE source_id = {self.d.mark} AND code IN ({{}})"
        found = select_in(self.conn, self.d, sql, (self.source_id,), codes)
        return {code: dossier_id for code, dossier_id in found}

    def _update(self, items: list[Normalised], existing: Mapping[str, tuple[Any, ...]]) -> None:
        # next_change_at NULL means "facts changed, evaluate me" to the deadline engine.
        now = self._now_db
        rows = [(*self._row(i), now, None, None, existing[i.code][0]) for i in items]
        executemany(self.conn, self._sql_update, rows)

    def _events(
        self,
        new: list[Normalised],
        changed: list[Normalised],
        existing: Mapping[str, tuple[Any, ...]],
        touched: Mapping[str, set[int]],
        ids: Mapping[str, int],
    ) -> None:
        now, batch = self._now_db, self.result.batch_id
        rows = [(ids[i.code], now, _IMPORTED, i.status, batch, "{}") for i in new]
        for item in changed:
            old = existing[item.code]
            detail = self._changes(item, old)
            lists = [name for name, dossier_ids in touched.items() if old[0] in dossier_ids]
            if lists:
                detail["lists"] = lists
            kind = DossierEventKind.UPDATED
            if old[2] != item.status:
                kind = DossierEventKind.STATUS_CHANGED
            rows.append((old[0], now, kind.value, item.status, batch, json.dumps(detail)))
        insert_rows(self.conn, self.d, "dossier_events", _EVENT_COLUMNS, rows)

    def _changes(self, item: Normalised, old: tuple[Any, ...]) -> dict[str, Any]:
        """The monitored facts that changed, as [before, after] (timestamps in ISO UTC); the
        child tables that gained or corrected rows are added as ``lists``."""
        detail: dict[str, Any] = {}
        for offset, name in enumerate(_EVENT_FACTS):
            before = old[2 + offset]
            after = item.values[DOSSIER_COLUMNS.index(name)]
            if name != "status":
                before = self.d.dt_out(before)
                after = None if after is None else parse_canonical(after)
            if before != after:
                detail[name] = [_iso(before), _iso(after)]
        return detail


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
