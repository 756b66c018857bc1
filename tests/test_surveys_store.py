"""The machinery under the rating API: the writer threads that store ratings for the event
loop, and SQLite's write-ahead log kept bounded by checkpoints taken off the writer."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from surveys_helpers import make_centre

from monitor import migrate
from monitor.db import make_engine, session_scope
from monitor.models import Rating, utcnow
from surveys.capture import NewRating, RatingStore
from surveys.checkpoint import Checkpointer
from surveys.writers import WriterPool


def _threads(name: str) -> int:
    return sum(t.name == name for t in threading.enumerate())


def test_a_writer_thread_returns_results_and_exceptions_to_the_awaiting_request() -> None:
    pool = WriterPool(1, name="writer-a")

    def fail() -> None:
        raise ValueError("hỏng")

    async def scenario() -> tuple[list[int], str]:
        results = await asyncio.gather(*(pool.run(pow, n, 2) for n in range(20)))
        with pytest.raises(ValueError) as failed:
            await pool.run(fail)
        return list(results), str(failed.value)

    results, message = asyncio.run(scenario())
    assert results == [n * n for n in range(20)] and message == "hỏng"
    assert _threads("writer-a") == 1  # one thread drained the whole burst


def test_idle_writer_threads_end_and_come_back_on_demand() -> None:
    pool = WriterPool(2, idle=0.1, name="writer-b")
    assert asyncio.run(pool.run(str.upper, "a")) == "A"
    deadline = time.monotonic() + 5
    while _threads("writer-b") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _threads("writer-b") == 0
    assert asyncio.run(pool.run(str.upper, "b")) == "B"


def test_work_whose_request_was_cancelled_still_completes() -> None:
    pool = WriterPool(1, name="writer-c")
    started, done = threading.Event(), threading.Event()

    def slow() -> None:
        started.set()
        time.sleep(0.2)
        done.set()

    async def scenario() -> None:
        task = asyncio.ensure_future(pool.run(slow))
        while not started.is_set():
            await asyncio.sleep(0.01)
        task.cancel()  # the client went away
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.4)  # the loop lives on: the late result is dropped quietly

    asyncio.run(scenario())
    assert done.is_set()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'motcua.db'}")
    migrate.upgrade(engine)
    return engine


def _counter_ratings(store: RatingStore, count: int) -> None:
    for n in range(count):
        new = NewRating(
            channel="kiosk",
            overall=3,
            criteria={"a": 3, "b": 2, "c": 3, "dd": 3, "e": 3},
            created_at=utcnow(),
            external_ref=f"wal-{n:05d}",
            unit_id=1,
        )
        store.save(new)


def test_the_writer_keeps_the_log_bounded_when_no_background_checkpoint_comes(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """600 ratings write about 3,600 pages of log, and the writer does not checkpoint after
    every commit as SQLite would. With the background thread held back (here: never due),
    the writer copies the log itself once it may hold 200 pages (at five pages a rating,
    every 40 ratings), so the next write rewinds it. Without that the log would keep every
    page (about 13 MB)."""
    make_centre(sqlite_engine)
    held_back = Checkpointer(sqlite_engine, every=10**9, interval=3600, limit=200)
    _counter_ratings(RatingStore(sqlite_engine, checkpoints=held_back), 600)
    assert (tmp_path / "motcua.db-wal").stat().st_size < 400 * _page_size(tmp_path)
    with session_scope(sqlite_engine) as s:
        assert s.scalar(select(func.count(Rating.id))) == 600


def test_the_background_thread_copies_the_log_into_the_database_after_a_burst(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """The ratings reach the database file itself (read here without its log) by the
    background thread's checkpoints alone: the writer's own is out of reach."""
    make_centre(sqlite_engine)
    background = Checkpointer(sqlite_engine, every=50, interval=0.05, limit=10**9)
    _counter_ratings(RatingStore(sqlite_engine, checkpoints=background), 300)
    deadline = time.monotonic() + 10
    while _ratings_in_file_alone(tmp_path) < 300:
        assert time.monotonic() < deadline, "the log was not copied into the database"
        time.sleep(0.05)


def _ratings_in_file_alone(tmp_path: Path) -> int:
    copy = tmp_path / "file-alone.db"
    copy.write_bytes((tmp_path / "motcua.db").read_bytes())
    try:
        with sqlite3.connect(copy) as conn:
            return int(conn.execute("SELECT count(*) FROM ratings").fetchone()[0])
    except sqlite3.DatabaseError:
        return 0  # copied in the middle of a checkpoint: look again
    finally:
        copy.unlink()
        Path(f"{copy}-wal").unlink(missing_ok=True)
        Path(f"{copy}-shm").unlink(missing_ok=True)


def _page_size(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "motcua.db") as conn:
        return int(conn.execute("PRAGMA page_size").fetchone()[0])
