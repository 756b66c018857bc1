"""import_records: normalise → validate → upsert, recording an import batch and quarantine.

Callers choose the transaction: a file is imported in one (a file that turns out unreadable
halfway changes nothing), an HTTP pull commits page by page (the cursor moves only at the end).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from monitor.enums import BatchStatus, DossierEventKind, SourceKind
from monitor.ingest.normalise import normalise
from monitor.ingest.result import ImportResult, RowProblem
from monitor.ingest.writer import BatchWriter
from monitor.models import DossierEvent, ImportBatch, QuarantinedRow, Source, utcnow

Progress = Callable[[int], None]
_PROGRESS_EVERY = 1000
INTERRUPTED = (
    "Bị gián đoạn: tiến trình nhập đã dừng giữa chừng; các trang đã ghi được giữ lại, "
    "lần kéo sau lấy lại phần còn thiếu."
)


class UnreadableInput(ValueError):
    """The input cannot be parsed at all (or not faithfully); nothing is imported."""


def describe_error(exc: BaseException) -> str:
    """One line about ``exc`` that is safe to log: a database error's text would carry the
    statement's parameters (applicant names, phone numbers), so only the driver's first line
    is kept."""
    if isinstance(exc, DBAPIError):
        first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
        return f"lỗi CSDL ({type(exc.orig).__name__}): {first}"
    if isinstance(exc, SQLAlchemyError):
        return f"lỗi CSDL ({type(exc).__name__})"
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def import_records(
    engine: Engine,
    records: Iterable[Mapping[str, Any]],
    *,
    source: str,
    location: str = "",
    file_format: str = "json",
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Import national-format records in one transaction; rows are numbered from 1."""
    return import_numbered(
        engine,
        enumerate(records, start=1),
        source=source,
        location=location,
        file_format=file_format,
        progress=progress,
        now=now,
    )


def import_numbered(
    engine: Engine,
    numbered: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    source: str,
    location: str = "",
    file_format: str = "json",
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Like import_records, with the caller's line numbers (a CSV's physical lines)."""
    now = now or utcnow()
    with engine.begin() as conn:
        source_id = ensure_source(conn, source)
        result = open_batch(conn, source_id, location, file_format)
        ingest(conn, source_id, numbered, result, now=now, progress=progress)
        close_batch(conn, result)
    return result


def ensure_source(conn: Connection, name: str, kind: str = SourceKind.FILE) -> int:
    found = conn.execute(select(Source.id).where(Source.name == name)).scalar()
    if found is not None:
        return int(found)
    return int(
        conn.execute(insert(Source).values(name=name, kind=kind).returning(Source.id)).scalar_one()
    )


def open_batch(conn: Connection, source_id: int, location: str, file_format: str) -> ImportResult:
    batch_id = conn.execute(
        insert(ImportBatch)
        .values(
            source_id=source_id,
            location=location[:1000],
            file_format=file_format,
            status=BatchStatus.RUNNING,
        )
        .returning(ImportBatch.id)
    ).scalar_one()
    return ImportResult(batch_id=int(batch_id))


def close_batch(conn: Connection, result: ImportResult, *, error: str | None = None) -> None:
    conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == result.batch_id)
        .values(
            finished_at=utcnow(),
            status=BatchStatus.FAILED if error else BatchStatus.SUCCESS,
            inserted=result.inserted,
            updated=result.updated,
            unchanged=result.unchanged,
            quarantined=result.quarantined,
            error=error,
        )
    )


def close_interrupted_batches(conn: Connection, source_id: int) -> list[int]:
    """Close the batches of ``source_id`` still marked running: their process died mid-pull
    (a pull closes its own batch, even when it fails). What such a pull committed page by page
    stays and is counted from the events and quarantine rows it left; the rest comes again with
    the next pull, which starts from the cursor stored before the cut.

    Called when a new pull of the source starts. Should two pulls of one source ever overlap,
    the live one still closes its own batch last, with its own counts."""
    batch_ids = list(
        conn.execute(
            select(ImportBatch.id).where(
                ImportBatch.source_id == source_id, ImportBatch.status == BatchStatus.RUNNING
            )
        ).scalars()
    )
    for batch_id in batch_ids:
        conn.execute(
            update(ImportBatch)
            .where(ImportBatch.id == batch_id, ImportBatch.status == BatchStatus.RUNNING)
            .values(
                finished_at=utcnow(),
                status=BatchStatus.FAILED,
                error=INTERRUPTED,
                inserted=_count_events(batch_id, imported=True),
                updated=_count_events(batch_id, imported=False),
                quarantined=select(func.count())
                .where(QuarantinedRow.batch_id == batch_id)
                .scalar_subquery(),
            )
        )
    return batch_ids


def _count_events(batch_id: int, *, imported: bool) -> Any:
    kind = DossierEvent.kind == DossierEventKind.IMPORTED
    return (
        select(func.count())
        .where(DossierEvent.batch_id == batch_id, kind if imported else ~kind)
        .scalar_subquery()
    )


def ingest(
    conn: Connection,
    source_id: int,
    numbered: Iterable[tuple[int, Mapping[str, Any]]],
    result: ImportResult,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> None:
    """Normalise and write ``numbered`` records on ``conn``, counting into ``result``."""
    writer = BatchWriter(conn, source_id, now, result)
    seen = 0
    for line_no, record in numbered:
        try:
            writer.add(normalise(record))
        except RowProblem as problem:
            writer.quarantine(line_no, problem.reason, str(problem), _raw(record))
        seen += 1
        if progress is not None and seen % _PROGRESS_EVERY == 0:
            progress(seen)
    writer.flush()
    if progress is not None:
        progress(seen)


def _raw(record: object) -> str:
    # Stored in the quarantine table for a person to inspect; never logged or printed.
    return json.dumps(record, ensure_ascii=False, default=str)
