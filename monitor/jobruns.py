"""Every scheduled run is a row in job_runs: start, end, outcome, counts, error."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine, update

from monitor.db import session_scope
from monitor.enums import JobOutcome
from monitor.models import JobRun, utcnow

log = logging.getLogger(__name__)


def run_recorded(engine: Engine, job_id: str, fn: Callable[[], Mapping[str, Any] | None]) -> int:
    """Run ``fn`` and record it; a failure is recorded, logged and not raised (the scheduler
    keeps going). Returns the job_runs id."""
    with session_scope(engine) as s:
        run = JobRun(job_id=job_id, started_at=utcnow(), outcome=JobOutcome.RUNNING)
        s.add(run)
        s.flush()
        run_id = run.id
    outcome, counts, error = JobOutcome.SUCCESS, {}, None
    try:
        counts = dict(fn() or {})
    except Exception as exc:
        outcome = JobOutcome.FAILED
        error = "".join(traceback.format_exception_only(exc)).strip()
        log.error("job %s failed: %s", job_id, error)
    with session_scope(engine) as s:
        s.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(finished_at=utcnow(), outcome=outcome, counts=counts, error=error)
        )
    return run_id


def close_interrupted(engine: Engine) -> int:
    """Runs left 'running' by a process that died are closed as failed when a scheduler starts."""
    with session_scope(engine) as s:
        result = s.execute(
            update(JobRun)
            .where(JobRun.outcome == JobOutcome.RUNNING)
            .values(
                finished_at=utcnow(),
                outcome=JobOutcome.FAILED,
                error="Bị gián đoạn: tiến trình lịch chạy đã dừng giữa chừng.",
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
