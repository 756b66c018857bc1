"""Scheduled jobs: thin functions that call what the CLI calls. Each takes only picklable
arguments (the job store keeps them) and records its run in job_runs."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select

from monitor.config import load_settings
from monitor.db import make_engine, session_scope
from monitor.jobruns import run_recorded
from monitor.models import Source, utcnow

EVALUATE_JOB = "evaluate"  # its job_runs rows tell the console when statuses were judged


@functools.lru_cache(maxsize=1)
def _engine() -> Engine:
    return make_engine(load_settings().effective_database_url)


RETRY_MINUTES = 5  # after a pull that failed or was cut off, unless the interval is shorter


def pull_wait(src: Source) -> timedelta:
    """How long after its last attempt a source is pulled again: its interval after a pull
    that succeeded, at most RETRY_MINUTES after one that failed or was killed halfway (a
    province should not wait an hour for a pull that a restart cut short)."""
    interval = timedelta(minutes=src.expected_interval_minutes)
    succeeded = src.last_success_at is not None and (
        src.last_attempt_at is None or src.last_success_at >= src.last_attempt_at
    )
    return interval if succeeded else min(interval, timedelta(minutes=RETRY_MINUTES))


def due_sources(engine: Engine) -> list[str]:
    """The enabled HTTP sources whose wait since the last attempt has passed."""
    now = utcnow()
    with session_scope(engine) as s:
        sources = s.scalars(select(Source).where(Source.enabled.is_(True), Source.kind == "http"))
        return [
            src.name
            for src in sources
            if src.last_attempt_at is None or now - src.last_attempt_at >= pull_wait(src)
        ]


def collect() -> None:
    """Pull every HTTP source whose interval has passed, then evaluate what changed."""
    engine = _engine()
    from monitor.ingest import collect_source

    changed = 0
    for name in due_sources(engine):
        result: Any = None

        def _one(name: str = name) -> dict[str, Any]:
            nonlocal result
            result = collect_source(engine, name)
            return dict(result.as_json())

        run_recorded(engine, f"collect:{name}", _one)
        if result is not None:
            changed += result.inserted + result.updated
    if changed:
        evaluate()


def evaluate() -> None:
    engine = _engine()
    from monitor.evaluate import evaluate as run_evaluation

    run_recorded(engine, EVALUATE_JOB, lambda: run_evaluation(engine, utcnow()).as_json())
    alerts_evaluate()


def alerts_evaluate() -> None:
    """The alert rules, right after the deadline conclusions they read were refreshed."""
    engine = _engine()
    from alerts.service import evaluate_and_plan

    run_recorded(
        engine, "alerts:evaluate", lambda: evaluate_and_plan(engine, load_settings(), utcnow())
    )


def freshness() -> None:
    """Only the stale-source rules: one lifecycle for every alert, source alerts included."""
    engine = _engine()
    from alerts.kinds import Condition
    from alerts.service import evaluate_and_plan

    only = {Condition.STALE_SOURCE}
    run_recorded(
        engine, "freshness", lambda: evaluate_and_plan(engine, load_settings(), utcnow(), only)
    )


def alerts_dispatch() -> None:
    """Plan what is due (reminders, escalations, ended silences) and send the outbox."""
    engine = _engine()
    from alerts.service import dispatch_notifications

    run_recorded(
        engine, "alerts:dispatch", lambda: dispatch_notifications(engine, load_settings(), utcnow())
    )


def alerts_digest() -> None:
    """The morning digest, once its time has come on a working day (caught up if missed)."""
    engine = _engine()
    from alerts.digest import send_digest

    run_recorded(
        engine,
        "alerts:digest",
        lambda: send_digest(engine, load_settings(), utcnow(), when_due=True),
    )


def ratings_import() -> None:
    """Ratings exported by other systems as CSV into ``ratings_import_dir`` (if set)."""
    folder = load_settings().ratings_import_dir
    if not folder:
        return
    engine = _engine()
    from pathlib import Path

    from surveys.importer import import_folder

    run_recorded(engine, "ratings:import", lambda: import_folder(engine, Path(folder)))


def feedback_classify() -> None:
    """Label new feedback; if any is urgent, run the urgent-feedback rules at once rather
    than at the next deadline evaluation, so the alert is raised within minutes."""
    engine = _engine()
    settings = load_settings()
    from monitor.classify import classify_pending
    from monitor.feedback_model import active_model, model_paths

    found: dict[str, Any] = {}

    def _classify() -> dict[str, Any]:
        model = active_model(model_paths(settings))
        found.update(classify_pending(engine, utcnow(), model=model).as_json())
        return found

    run_recorded(engine, "feedback:classify", _classify)
    if found.get("urgent"):
        from alerts.kinds import Condition
        from alerts.service import evaluate_and_plan

        only = {Condition.URGENT_FEEDBACK}
        run_recorded(
            engine, "alerts:evaluate", lambda: evaluate_and_plan(engine, settings, utcnow(), only)
        )


def feedback_retrain() -> None:
    """Nightly at ``retrain_time`` (checked every tick, so a missed night is caught up)."""
    engine = _engine()
    settings = load_settings()
    from monitor.feedback_model import model_paths
    from monitor.retrain import RETRAIN_JOB, retrain_due, retrain_from_corrections

    now = utcnow()
    if not retrain_due(engine, now, settings.retrain_clock):
        return
    paths = model_paths(settings)
    run_recorded(engine, RETRAIN_JOB, lambda: retrain_from_corrections(engine, paths, now))
