"""The scheduler process: APScheduler 3 with its job store in our database, stable job ids,
missed runs coalesced, one instance of a job at a time, and a lock so that only one of several
scheduler processes runs jobs (a PostgreSQL advisory lock; a file lock on SQLite)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine

from monitor.db import is_sqlite
from monitor.jobruns import close_interrupted

log = logging.getLogger(__name__)

# pg_advisory_lock key: any constant the product owns ("motcua" in ASCII).
ADVISORY_KEY = 0x6D6F74637561


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: str
    minutes: int


JOBS: tuple[JobSpec, ...] = (
    JobSpec("collect", "monitor.jobs:collect", 5),
    JobSpec("evaluate", "monitor.jobs:evaluate", 5),
    JobSpec("freshness", "monitor.jobs:freshness", 15),
    JobSpec("alerts:dispatch", "monitor.jobs:alerts_dispatch", 1),
    # Checks every 5 minutes whether today's digest (digest_time, working days) is due.
    JobSpec("alerts:digest", "monitor.jobs:alerts_digest", 5),
    JobSpec("ratings:import", "monitor.jobs:ratings_import", 15),
    JobSpec("feedback:classify", "monitor.jobs:feedback_classify", 2),
    # Checks every 15 minutes whether tonight's retraining (retrain_time) is due.
    JobSpec("feedback:retrain", "monitor.jobs:feedback_retrain", 15),
)


class SchedulerLock:
    """Held for the life of the active scheduler; ``acquire`` does not block."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self._file = FileLock(str(data_dir / "scheduler.lock")) if is_sqlite(engine) else None
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._file is not None:
            try:
                self._file.acquire(timeout=0)
                return True
            except Timeout:
                return False
        conn = self.engine.connect()
        got = bool(conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({ADVISORY_KEY})").scalar())
        conn.commit()
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def release(self) -> None:
        if self._file is not None and self._file.is_locked:
            self._file.release()
        if self._conn is not None:
            self._conn.exec_driver_sql(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
            self._conn.close()
            self._conn = None


@contextmanager
def leadership(
    lock: SchedulerLock, retry_seconds: float, max_wait: float | None = None
) -> Iterator[bool]:
    """Wait (as a standby) until this process holds the lock; yield whether it does."""
    waited, said = 0.0, False
    while not lock.acquire():
        if not said:
            log.warning("Một tiến trình lịch chạy khác đang hoạt động; chờ ở chế độ dự phòng.")
            said = True
        if max_wait is not None and waited >= max_wait:
            yield False
            return
        time.sleep(retry_seconds)
        waited += retry_seconds
    try:
        yield True
    finally:
        lock.release()


def build_scheduler(
    engine: Engine, jobs: tuple[JobSpec, ...] = JOBS, kind: type[BaseScheduler] = BlockingScheduler
) -> BaseScheduler:
    scheduler = kind(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="Asia/Ho_Chi_Minh",
    )
    for job in jobs:
        scheduler.add_job(
            job.func, "interval", minutes=job.minutes, id=job.id, name=job.id, replace_existing=True
        )
    return scheduler


def run(engine: Engine, data_dir: Path, retry_seconds: float = 10.0) -> None:
    lock = SchedulerLock(engine, data_dir)
    with leadership(lock, retry_seconds) as leader:
        if not leader:
            return
        interrupted = close_interrupted(engine)
        if interrupted:
            log.warning("Đã đóng %d lần chạy bị gián đoạn trước đó.", interrupted)
        log.warning("Lịch chạy đang hoạt động (%s).", ", ".join(j.id for j in JOBS))
        build_scheduler(engine).start()
