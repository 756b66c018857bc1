"""The evaluation's pipeline: a reader thread reads and evaluates chunk k+1 while the caller
writes chunk k. With small chunks (many of them, so the pipeline runs) it must store exactly
what one chunk on one thread stores, keep the guard read with the facts, and neither hang nor
lose an error raised on either side. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text, update
from test_evaluate_bulk import AS_OF, _province

import monitor.deadlines.write as write
import monitor.evaluate as evaluation
from monitor import migrate
from monitor.config import Settings
from monitor.db import make_engine, session_scope
from monitor.evaluate import EvaluationResult, evaluate
from monitor.models import Dossier

S = Settings()
N = 300
SMALL = 7  # ids per chunk: 43 chunks for the province
READER = "evaluate-reader"
CONCLUSIONS = (
    "due_status, legal_due_at, effective_due_at, breaches, responsible_units, "
    "next_change_at, evaluated_at"
)


@pytest.fixture
def threads(engine: Engine) -> Iterator[list[str]]:
    """The names of the threads that took a connection from the engine."""
    names: list[str] = []

    def checkout(*_args: Any) -> None:
        names.append(threading.current_thread().name)

    event.listen(engine, "checkout", checkout)
    yield names
    event.remove(engine, "checkout", checkout)


def _conclusions(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, {CONCLUSIONS} FROM dossiers ORDER BY id"))
        return [tuple(r) for r in rows]


def _never_evaluated(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE dossiers SET due_status = NULL, legal_due_at = NULL, "
                "effective_due_at = NULL, breaches = '', responsible_units = '[]', "
                "next_change_at = NULL, evaluated_at = NULL"
            )
        )


def _ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT id FROM dossiers ORDER BY id"))]


def _written(engine: Engine) -> dict[int, bool]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, due_status FROM dossiers"))
        return {r[0]: r[1] is not None for r in rows}


def _facts_of_a_third(engine: Engine) -> list[dict[str, Any]]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(Dossier.id, Dossier.status, Dossier.finished_at, Dossier.updated_at).where(
                Dossier.id % 3 == 0
            )
        )
        return [dict(r._mapping) for r in rows]


def _start(engine: Engine, facts: list[dict[str, Any]] | None) -> None:
    """The same state each time: never evaluated; or evaluated with the ``facts`` a third of
    the dossiers had, then those changed and marked the way the ingest does it."""
    _never_evaluated(engine)
    if facts is None:
        return
    with session_scope(engine) as s:
        s.execute(update(Dossier), facts)
    evaluate(engine, AS_OF, full=True, settings=S)
    moment = AS_OF + timedelta(hours=1)
    with session_scope(engine) as s:
        s.execute(
            update(Dossier)
            .where(Dossier.id % 3 == 0)
            .values(status=10, finished_at=moment, updated_at=moment, next_change_at=moment)
        )


def _counts(result: EvaluationResult) -> tuple[Any, ...]:
    return (
        result.evaluated,
        result.changed,
        result.written,
        result.skipped,
        result.changed_ids,
    )


def _returns(call: Callable[[], Any], seconds: float = 120) -> dict[str, Any]:
    """Run ``call`` on a thread of its own; fail if it has not returned within ``seconds``."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = call()
        except BaseException as exc:
            outcome["error"] = exc

    runner = threading.Thread(target=target, daemon=True)
    runner.start()
    runner.join(seconds)
    assert not runner.is_alive(), f"evaluate() did not return within {seconds} s"
    return outcome


def _readers_left() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == READER]


@pytest.mark.parametrize("full", [True, False], ids=["full", "incremental"])
def test_pipelined_chunks_store_what_one_chunk_on_one_thread_stores(
    engine: Engine, threads: list[str], monkeypatch: pytest.MonkeyPatch, full: bool
) -> None:
    _province(engine, N)
    as_of = AS_OF if full else AS_OF + timedelta(days=2)
    facts = None if full else _facts_of_a_third(engine)

    _start(engine, facts)
    monkeypatch.setattr(evaluation, "RANGE_CHUNK", 10 * N)
    monkeypatch.setattr(evaluation, "LIST_CHUNK", 10 * N)
    threads.clear()
    alone = evaluate(engine, as_of, full=full, settings=S)
    assert READER not in threads  # one chunk: no reader thread
    expected = _conclusions(engine)

    _start(engine, facts)
    monkeypatch.setattr(evaluation, "RANGE_CHUNK", SMALL)
    monkeypatch.setattr(evaluation, "LIST_CHUNK", SMALL)
    monkeypatch.setattr(write, "SQLITE_ROWS", 4)  # SQLite: two UPDATE statements a chunk
    threads.clear()
    piped = evaluate(engine, as_of, full=full, settings=S)
    assert READER in threads
    assert _readers_left() == []

    assert alone.evaluated == N if full else alone.evaluated > 3 * SMALL
    assert alone.written > 3 * SMALL and alone.changed > 0
    assert _counts(piped) == _counts(alone)
    assert _conclusions(engine) == expected


@pytest.mark.parametrize("rows", [1, 3], ids=["row-by-row", "rows-by-3"])
def test_a_dossier_changed_between_read_and_write_keeps_its_mark(
    engine: Engine, threads: list[str], monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    _province(engine, N)
    monkeypatch.setattr(evaluation, "RANGE_CHUNK", SMALL)
    monkeypatch.setattr(write, "SQLITE_ROWS", rows)  # SQLite: rows per UPDATE statement
    target = _ids(engine)[N // 2]
    marked = AS_OF - timedelta(minutes=1)
    real = evaluation._evaluate_rows
    seen_on: list[str] = []

    def meanwhile_the_ingest_writes(*args: Any) -> Any:
        # The facts of the chunk are read; the guards of the rows to write (read lazily on
        # SQLite) must still be the updated_at of that snapshot, not the newer one.
        if target in args[1].ids.tolist():
            seen_on.append(threading.current_thread().name)
            with session_scope(engine) as s:
                s.execute(
                    update(Dossier)
                    .where(Dossier.id == target)
                    .values(updated_at=marked, next_change_at=marked)
                )
        return real(*args)

    monkeypatch.setattr(evaluation, "_evaluate_rows", meanwhile_the_ingest_writes)
    result = evaluate(engine, AS_OF, full=True, settings=S)
    assert seen_on == [READER]
    assert (result.evaluated, result.written, result.skipped) == (N, N - 1, 1)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT due_status, next_change_at FROM dossiers WHERE id = :i"), {"i": target}
        ).one()
    assert row[0] is None  # not overwritten with conclusions from the older facts
    assert row[1] is not None  # still marked

    monkeypatch.undo()
    again = evaluate(engine, AS_OF, settings=S)
    assert again.evaluated == 1
    assert _written(engine)[target]


def _unreadable(engine: Engine, dossier: int) -> Callable[[], None]:
    """Make one dossier row fail the reader's conversion; return how to undo it."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            before = conn.execute(
                text("SELECT legal_amount FROM dossiers WHERE id = :i"), {"i": dossier}
            ).scalar()
            # A text where a number belongs: SQLite keeps it, numpy cannot convert it.
            statement = "UPDATE dossiers SET legal_amount = 'không phải số' WHERE id = :i"
            undo = "UPDATE dossiers SET legal_amount = :v WHERE id = :i"
        else:
            before = conn.execute(
                text("SELECT received_at FROM dossiers WHERE id = :i"), {"i": dossier}
            ).scalar()
            # PostgreSQL stores an infinite timestamp; its epoch does not fit a BIGINT.
            statement = "UPDATE dossiers SET received_at = 'infinity' WHERE id = :i"
            undo = "UPDATE dossiers SET received_at = :v WHERE id = :i"
        conn.execute(text(statement), {"i": dossier})

    def restore() -> None:
        with engine.begin() as conn:
            conn.execute(text(undo), {"v": before, "i": dossier})

    return restore


def test_an_error_in_the_reader_is_raised_once_the_chunks_before_it_are_written(
    engine: Engine, threads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _province(engine, N)
    monkeypatch.setattr(evaluation, "RANGE_CHUNK", 10)
    ids = _ids(engine)
    bad = ids[0] + 25  # the third chunk
    restore = _unreadable(engine, bad)

    outcome = _returns(lambda: evaluate(engine, AS_OF, full=True, settings=S))
    error = outcome.get("error")
    assert error is not None, "the unreadable dossier went unnoticed"
    assert ("could not convert" if engine.dialect.name == "sqlite" else "infinity") in str(error)
    assert READER in threads
    assert _readers_left() == []
    written = _written(engine)
    assert all(written[i] for i in ids if i < ids[0] + 20)  # the two chunks before it
    assert not any(written[i] for i in ids if i >= ids[0] + 20)

    restore()
    assert evaluate(engine, AS_OF, settings=S).evaluated == N - 20
    assert all(_written(engine).values())


def _refuse_update_of(engine: Engine, dossier: int) -> Callable[[], None]:
    """A trigger that makes the database refuse to update one dossier."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_evaluation BEFORE UPDATE ON dossiers "
                f"WHEN OLD.id = {dossier} BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
            )
            drops = ["DROP TRIGGER refuse_evaluation"]
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_evaluation() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by test'; END $$"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_evaluation BEFORE UPDATE ON dossiers FOR EACH ROW "
                f"WHEN (OLD.id = {dossier}) EXECUTE FUNCTION refuse_evaluation()"
            )
            drops = [
                "DROP TRIGGER refuse_evaluation ON dossiers",
                "DROP FUNCTION refuse_evaluation()",
            ]

    def drop() -> None:
        with engine.begin() as conn:
            for statement in drops:
                conn.exec_driver_sql(statement)

    return drop


def refused_at_the_fourth_chunk(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Run a full evaluation in chunks of 10 whose fourth chunk the database refuses to write;
    check it failed for that reason; return the dossier ids."""
    monkeypatch.setattr(evaluation, "RANGE_CHUNK", 10)
    ids = _ids(engine)
    drop = _refuse_update_of(engine, ids[0] + 35)
    try:
        outcome = _returns(lambda: evaluate(engine, AS_OF, full=True, settings=S))
    finally:
        drop()
    assert "refused by test" in str(outcome.get("error"))
    return ids


def test_an_error_in_the_writer_stops_the_reader(
    engine: Engine, threads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _province(engine, N)
    ids = refused_at_the_fourth_chunk(engine, monkeypatch)
    assert READER in threads
    assert _readers_left() == []  # stopped and joined, not left blocked on the queue
    written = _written(engine)
    assert all(written[i] for i in ids if i < ids[0] + 30)
    assert not any(written[i] for i in ids if i >= ids[0] + 30)  # its chunk rolled back

    assert evaluate(engine, AS_OF, settings=S).evaluated == N - 30
    assert all(_written(engine).values())


def test_a_database_in_memory_stays_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each connection to sqlite:// is a database of its own: a reader would find no tables.
    engine = make_engine("sqlite://")
    try:
        migrate.upgrade(engine)
        _province(engine, 40)
        monkeypatch.setattr(evaluation, "RANGE_CHUNK", SMALL)
        result = evaluate(engine, AS_OF, full=True, settings=S)
        assert (result.evaluated, result.written) == (40, 40)
        assert all(_written(engine).values())
    finally:
        engine.dispose()
