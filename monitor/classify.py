"""Classifying new feedback: every row no model has labelled yet (``classified_at`` NULL)
gets sentiment, topic and urgency, each with its confidence, and the version of the model.

Rows are taken in batches and written with a conditional UPDATE (``classified_at IS NULL``),
so two runs at once (the scheduler and someone at the command line) label each row once and
a second run finds nothing to do. Text the model cannot read (empty, emoji only, another
language) gets its low-confidence fallback labels rather than an error. Raising the alert
for urgent feedback is the alert rules' work (condition ``urgent_feedback``); the scheduler
runs them right after a run that found something urgent.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, Table, bindparam, select, update

from monitor.config import load_settings
from monitor.db import session_scope
from monitor.feedback_model import active_model, model_paths
from monitor.models import Feedback

if TYPE_CHECKING:
    from nlp.model import FeedbackClassifier, Prediction

DEFAULT_BATCH = 500
# Notes of a prediction that carries the fallback labels instead of the model's reading.
UNREAD_NOTES = frozenset({"empty", "no_words", "not_vietnamese", "unknown_words"})
_T = cast(Table, Feedback.__table__)


@dataclass
class ClassifyResult:
    model_version: str
    classified: int = 0
    urgent: int = 0  # among the rows read (a row another run labelled first included)
    unread: int = 0  # fallback labels: nothing the model could read
    truncated: int = 0
    skipped: int = 0  # labelled by another run between our read and our write
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def classify_pending(
    engine: Engine,
    now: datetime,
    batch: int = DEFAULT_BATCH,
    model: FeedbackClassifier | None = None,
) -> ClassifyResult:
    """Label every pending feedback row, ``batch`` rows per transaction, with ``model`` or
    else the model in use (``monitor.feedback_model``; loaded once per process)."""
    started = time.perf_counter()
    if model is None:
        model = active_model(model_paths(load_settings()))
    result = ClassifyResult(model.version)
    seen: set[int] = set()
    while True:
        rows = [r for r in _pending(engine, batch) if r[0] not in seen]
        if not rows:
            break
        seen.update(fid for fid, _ in rows)
        predictions = model.predict([text for _, text in rows])
        written = _write(engine, rows, predictions, now)
        _count(result, predictions, written, len(rows))
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _pending(engine: Engine, batch: int) -> list[tuple[int, str]]:
    q = select(Feedback.id, Feedback.text).where(Feedback.classified_at.is_(None))
    with session_scope(engine) as s:
        return [(fid, text or "") for fid, text in s.execute(q.order_by(Feedback.id).limit(batch))]


def _write(
    engine: Engine,
    rows: Sequence[tuple[int, str]],
    predictions: Sequence[Prediction],
    now: datetime,
) -> int:
    stmt = (
        update(_T)
        .where(_T.c.id == bindparam("fid"), _T.c.classified_at.is_(None))
        .values({c: bindparam(f"v_{c}") for c in _LABEL_COLUMNS})
    )
    params = [
        {"fid": fid, **{f"v_{c}": v for c, v in labels(p, now).items()}}
        for (fid, _), p in zip(rows, predictions, strict=True)
    ]
    with session_scope(engine) as s:
        return int(s.connection().execute(stmt, params).rowcount)


_LABEL_COLUMNS = (
    "sentiment",
    "sentiment_confidence",
    "topic",
    "topic_confidence",
    "urgent",
    "urgent_confidence",
    "model_version",
    "classified_at",
)


def labels(p: Prediction, now: datetime) -> dict[str, Any]:
    """The feedback columns a prediction fills; a column the model lacks stays NULL."""
    sentiment, topic, urgent = (p.labels.get(c) for c in ("sentiment", "topic", "urgent"))
    return {
        "sentiment": sentiment.label if sentiment else None,
        "sentiment_confidence": sentiment.confidence if sentiment else None,
        "topic": topic.label if topic else None,
        "topic_confidence": topic.confidence if topic else None,
        "urgent": (urgent.label == "yes") if urgent else None,
        "urgent_confidence": urgent.confidence if urgent else None,
        "model_version": p.model_version,
        "classified_at": now,
    }


def _count(result: ClassifyResult, predictions: Sequence[Prediction], written: int, n: int) -> None:
    result.classified += written
    result.skipped += n - written
    for p in predictions:
        urgent = p.labels.get("urgent")
        result.urgent += bool(urgent and urgent.label == "yes")
        result.unread += bool(UNREAD_NOTES.intersection(p.notes))
        result.truncated += "truncated" in p.notes
