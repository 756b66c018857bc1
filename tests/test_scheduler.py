"""The scheduler: one active process among several, job runs recorded, stable job ids."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, select

from monitor.collectors.http_feed import CollectError, FetchPolicy, collect_source
from monitor.db import session_scope
from monitor.jobruns import close_interrupted, run_recorded
from monitor.jobs import RETRY_MINUTES, due_sources, pull_wait
from monitor.models import JobRun, Source, utcnow
from monitor.scheduler import JOBS, SchedulerLock, build_scheduler


def test_a_second_lock_is_refused_while_the_first_is_held(engine: Engine, tmp_path: Path) -> None:
    first, second = SchedulerLock(engine, tmp_path), SchedulerLock(engine, tmp_path)
    assert first.acquire()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_job_runs_record_success_counts_and_failures(engine: Engine) -> None:
    run_recorded(engine, "ok-job", lambda: {"inserted": 3})

    def boom() -> None:
        raise RuntimeError("nguồn không phản hồi")

    run_recorded(engine, "bad-job", boom)
    with session_scope(engine) as s:
        runs = {r.job_id: r for r in s.scalars(select(JobRun))}
    assert runs["ok-job"].outcome == "success" and runs["ok-job"].counts == {"inserted": 3}
    assert runs["ok-job"].finished_at is not None
    assert runs["bad-job"].outcome == "failed"
    assert "nguồn không phản hồi" in (runs["bad-job"].error or "")


def test_runs_left_running_by_a_dead_process_are_closed_as_interrupted(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add(JobRun(job_id="collect:demo", outcome="running"))
    assert close_interrupted(engine) == 1
    with session_scope(engine) as s:
        run = s.scalars(select(JobRun)).one()
    assert run.outcome == "failed" and "gián đoạn" in (run.error or "")


def test_jobs_are_stored_in_our_database_with_stable_ids(engine: Engine) -> None:
    for _ in range(2):  # a restart replaces the jobs rather than adding copies
        scheduler = build_scheduler(engine, kind=BackgroundScheduler)
        scheduler.start(paused=True)
        scheduler.shutdown(wait=False)
    with engine.connect() as conn:
        ids = {r[0] for r in conn.exec_driver_sql("SELECT id FROM apscheduler_jobs")}
    assert ids == {job.id for job in JOBS}


def _start(db_url: str, data_dir: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, MOTCUA_DATABASE_URL=db_url, MOTCUA_DATA_DIR=str(data_dir))
    return subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "scheduler", "--standby-retry", "0.5"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


_output: dict[int, list[str]] = {}


def _wait_for(proc: subprocess.Popen[str], needle: str, timeout: float = 30) -> bool:
    """Whether ``needle`` shows up on the process's stderr within ``timeout`` seconds."""
    if proc.pid not in _output:
        lines: list[str] = []
        _output[proc.pid] = lines
        assert proc.stderr is not None
        threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(needle in line for line in list(_output[proc.pid])):
            return True
        time.sleep(0.1)
    return False


def test_of_two_scheduler_processes_one_runs_and_the_other_takes_over_when_it_dies(
    db_url: str, tmp_path: Path
) -> None:
    leader = _start(db_url, tmp_path)
    standby = None
    try:
        assert _wait_for(leader, "Lịch chạy đang hoạt động")
        standby = _start(db_url, tmp_path)
        assert _wait_for(standby, "chế độ dự phòng")
        leader.send_signal(signal.SIGKILL)
        leader.wait(10)
        assert _wait_for(standby, "Lịch chạy đang hoạt động")
    finally:
        for proc in (leader, standby):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)


def _source(engine: Engine, name: str, **values: object) -> None:
    with session_scope(engine) as s:
        s.add(Source(name=name, kind="http", url="http://127.0.0.1:1/ho-so",
                     expected_interval_minutes=60, **values))  # fmt: skip


def test_a_failed_or_cut_pull_is_retried_after_minutes_not_a_whole_interval(
    engine: Engine,
) -> None:
    now = utcnow()
    minutes = lambda n: now - timedelta(minutes=n)  # noqa: E731
    _source(engine, "never")
    _source(engine, "ok-recent", last_attempt_at=minutes(10), last_success_at=minutes(9))
    _source(engine, "ok-old", last_attempt_at=minutes(61), last_success_at=minutes(60))
    # Killed halfway 10 minutes ago: the attempt is later than the last success.
    _source(engine, "cut", last_attempt_at=minutes(10), last_success_at=minutes(70))
    _source(engine, "cut-just-now", last_attempt_at=minutes(2), last_success_at=minutes(70))
    _source(engine, "never-succeeded", last_attempt_at=minutes(6))
    _source(engine, "off", enabled=False)
    assert sorted(due_sources(engine)) == ["cut", "never", "never-succeeded", "ok-old"]


def test_a_pull_that_fails_for_real_is_due_again_after_the_retry_wait(engine: Engine) -> None:
    _source(engine, "xa")  # nothing listens on port 1
    with pytest.raises(CollectError):
        collect_source(
            engine, "xa", policy=FetchPolicy(attempts=1, timeout=5.0), sleep=lambda _s: None
        )
    with session_scope(engine) as s:
        src = s.scalars(select(Source).where(Source.name == "xa")).one()
        assert src.last_attempt_at is not None and src.last_success_at is None
        assert pull_wait(src) == timedelta(minutes=RETRY_MINUTES)
        src.last_attempt_at = utcnow() - timedelta(minutes=RETRY_MINUTES)
    assert due_sources(engine) == ["xa"]
