"""Nightly retraining of the feedback classifier from supervisors' corrections.

The corrected labels (the ``human_*`` columns of ``feedback``; else the latest row of
``label_corrections`` for that label) are exported to a TSV, one row per corrected text with
only its corrected columns filled. ``nlp.registry.retrain_with_corrections`` then trains on
the in-domain corpus with those labels winning over the corpus's own for the same text,
evaluates the candidate and the model in use on the same dev split, and promotes the
candidate only if its macro-F1 is not lower on any label; the model it replaces is kept for
``rollback``. Labels written afterwards carry the new version (``monitor.classify``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from monitor.db import session_scope
from monitor.feedback_model import ModelPaths, seed_registry
from monitor.models import Feedback, JobRun, LabelCorrection
from monitor.vntime import day_start, local_date
from nlp.data import Correction, Dataset, read_tsv, split_by_hash, with_corrections, write_tsv
from nlp.indomain import corpus_files
from nlp.model import load
from nlp.registry import retrain_with_corrections
from nlp.settings import DEFAULT_LABELS, DEV_PERCENT
from nlp.train import TrainConfig

RETRAIN_JOB = "feedback:retrain"
EXPORT_FILE = "corrections.tsv"
_YES, _NO = frozenset({"yes", "true", "1", "có"}), frozenset({"no", "false", "0", "không"})


@dataclass(frozen=True)
class Corrected:
    """The corrected labels of one feedback text, by label column."""

    text: str
    labels: dict[str, str]


def corrected_feedback(session: Session) -> list[Corrected]:
    """Every feedback text with at least one corrected label, its human label winning."""
    found: dict[int, dict[str, object]] = {}
    texts: dict[int, str] = {}
    q = select(
        LabelCorrection.feedback_id, LabelCorrection.label, LabelCorrection.new_value
    ).order_by(LabelCorrection.at, LabelCorrection.id)
    for fid, label, value in session.execute(q):
        found.setdefault(fid, {})[label.removeprefix("human_")] = value
    human = (Feedback.human_sentiment, Feedback.human_topic, Feedback.human_urgent)
    rows = select(Feedback.id, Feedback.text, *human).where(
        or_(
            Feedback.id.in_(select(LabelCorrection.feedback_id)),
            *(column.is_not(None) for column in human),
        )
    )
    for fid, text, sentiment, topic, urgent in session.execute(rows):
        texts[fid] = text
        now_set = {"sentiment": sentiment, "topic": topic, "urgent": urgent}
        found.setdefault(fid, {}).update({c: v for c, v in now_set.items() if v is not None})
    return [
        Corrected(texts[fid], {c: _label_value(c, v) for c, v in labels.items()})
        for fid, labels in sorted(found.items())
        if fid in texts
    ]


def _label_value(column: str, value: Any) -> str:
    """The label as the model names it: urgent is yes/no, whatever the column stored."""
    text = str(value).strip()
    if column == "urgent" and text.lower() in _YES | _NO:
        return "yes" if text.lower() in _YES else "no"
    return text


def corrections_dataset(
    corrected: list[Corrected], label_sets: dict[str, list[str]]
) -> tuple[Dataset, int]:
    """The corrected texts as a dataset with the default label columns (empty where a label
    was not corrected), and how many corrected labels were left out because the model has
    no such label (a typo, a label of another model)."""
    columns = [c for c in DEFAULT_LABELS if c in label_sets]
    texts: list[str] = []
    labels: dict[str, list[str]] = {c: [] for c in columns}
    ignored = 0
    for item in corrected:
        known = {c: v for c, v in item.labels.items() if v in label_sets.get(c, ())}
        ignored += len(item.labels) - len(known)
        text = " ".join(item.text.split())  # one line: a TSV cell holds no tab or newline
        if known and text:
            texts.append(text)
            for c in columns:
                labels[c].append(known.get(c, ""))
    return Dataset(texts, labels), ignored


def as_corrections(data: Dataset) -> list[Correction]:
    return [
        Correction(text, column, values[i])
        for column, values in data.labels.items()
        for i, text in enumerate(data.texts)
        if values[i]
    ]


def last_slot(now: datetime, at: time) -> datetime:
    """The latest moment at or before ``now`` when the clock in Vietnam showed ``at``."""
    slot = day_start(local_date(now)) + timedelta(hours=at.hour, minutes=at.minute)
    return slot if slot <= now else slot - timedelta(days=1)


def retrain_due(engine: Engine, now: datetime, at: time) -> bool:
    """Whether no retraining has started since the last ``at``; a scheduler that was down
    at that hour catches up on its next tick, and a run that failed waits for the next night."""
    q = select(JobRun.id).where(
        JobRun.job_id == RETRAIN_JOB, JobRun.started_at >= last_slot(now, at)
    )
    with session_scope(engine) as s:
        return s.scalar(q.limit(1)) is None


def retrain_from_corrections(
    engine: Engine, paths: ModelPaths, now: datetime, config: TrainConfig = TrainConfig()
) -> dict[str, Any]:
    """Export the corrections, retrain, promote if not worse; a JSON-ready summary.

    Nothing is trained when corpus and corrections are what the model in use learnt from.
    """
    model = load(paths.active())
    with session_scope(engine) as s:
        corrected = corrected_feedback(s)
    data, ignored = corrections_dataset(corrected, model.meta.get("labels", {}))
    export = paths.work_dir / EXPORT_FILE
    paths.work_dir.mkdir(parents=True, exist_ok=True)
    write_tsv(data, export)
    fixes = as_corrections(read_tsv(export)) if len(data) else []
    files = corpus_files(paths.corpus_dir)
    summary: dict[str, Any] = {
        "corrected_texts": len(data),
        "corrections": len(fixes),
        "ignored": ignored,
        "export": str(export),
    }
    if _train_sha256(files, fixes) == model.meta.get("data", {}).get("train_sha256"):
        return {**summary, "retrained": False, "promoted": False, "current_version": model.version}
    seed_registry(paths)  # the candidate is judged against, and may replace, the model in use
    result = retrain_with_corrections(files, fixes, None, paths.registry, config=config, now=now)
    if result.promoted and result.current_version:
        shutil.copy(export, paths.registry / result.current_version / EXPORT_FILE)
    return {**summary, "retrained": True, **result.to_dict()}


def _train_sha256(files: list[Path], fixes: list[Correction]) -> str:
    """The hash the candidate's train split would have (as retrain_with_corrections splits)."""
    train, _dev = split_by_hash(with_corrections(read_tsv(files), fixes), DEV_PERCENT)
    return train.sha256()
