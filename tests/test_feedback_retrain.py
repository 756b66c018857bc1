"""Supervisors' corrections feed the nightly retraining: exported with the human label
winning, learnt, promoted only when not worse, the previous model kept for rollback, and the
version in use written on every label. Trained on a 700-row slice of the corpus to stay quick.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from monitor.classify import classify_pending
from monitor.db import session_scope
from monitor.feedback_model import ModelPaths, active_model
from monitor.models import Feedback, JobRun, LabelCorrection
from monitor.retrain import (
    RETRAIN_JOB,
    corrected_feedback,
    corrections_dataset,
    last_slot,
    retrain_due,
    retrain_from_corrections,
)
from nlp.current import read_pointer
from nlp.data import Dataset, is_dev, read_tsv, split_by_hash, write_tsv
from nlp.indomain import corpus_files
from nlp.registry import rollback, set_current, versions
from nlp.settings import CORPUS_DIR, DEV_PERCENT
from nlp.train import TrainConfig, train_model

FAST = TrainConfig(c_values=(0.6,), weight_powers=(0.75,))
NIGHT = datetime(2025, 3, 10, 19, 0, tzinfo=UTC)  # 02:00 on 11/03 in Vietnam
PLANTS = "Quầy số 7 để cây xanh rất đẹp, nhìn mát mắt"


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = read_tsv(corpus_files(CORPUS_DIR.path()))
    rows = sorted(random.Random(11).sample(range(len(data)), 700))
    directory = tmp_path_factory.mktemp("corpus")
    write_tsv(data.subset(rows), directory / "corpus_small.tsv")
    return directory


def shipped_registry(train: Dataset, dev: Dataset, directory: Path) -> Path:
    """A read-only registry like data/models/feedback."""
    model = train_model(train, dev, ["sentiment", "topic", "urgent"], FAST, now=NIGHT)
    model.save(directory / model.version)
    set_current(directory, model.version)
    return directory


@pytest.fixture(scope="module")
def shipped(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Trained on exactly the corpus, as `motcua nlp train` ships it."""
    train, dev = split_by_hash(read_tsv(corpus_files(small_corpus)), DEV_PERCENT)
    return shipped_registry(train, dev, tmp_path_factory.mktemp("shipped"))


@pytest.fixture(scope="module")
def older(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Trained on half the corpus: a candidate that learns from all of it is better, so its
    promotion does not hang on a dev row or two."""
    train, dev = split_by_hash(read_tsv(corpus_files(small_corpus)), DEV_PERCENT)
    half = train.subset(range(len(train) // 2))
    return shipped_registry(half, dev, tmp_path_factory.mktemp("older"))


@pytest.fixture
def paths(tmp_path: Path, small_corpus: Path, shipped: Path) -> ModelPaths:
    return ModelPaths(tmp_path / "registry", shipped, small_corpus, tmp_path / "work")


@pytest.fixture
def paths_older(tmp_path: Path, small_corpus: Path, older: Path) -> ModelPaths:
    return ModelPaths(tmp_path / "registry", older, small_corpus, tmp_path / "work")


def add_corrected(engine: Engine, text: str, **labels: str) -> int:
    """A classified feedback row and one correction row per label (who, when, old, new)."""
    with session_scope(engine) as s:
        row = Feedback(
            source="kiosk",
            text=text,
            topic="other",
            sentiment="neutral",
            urgent=False,
            model_version="older-model",
            classified_at=NIGHT - timedelta(days=1),
        )
        s.add(row)
        s.flush()
        for label, new in labels.items():
            s.add(LabelCorrection(feedback_id=row.id, label=label, old_value=None, new_value=new))
        return row.id


def retrain(engine: Engine, paths: ModelPaths, when: datetime = NIGHT) -> dict[str, Any]:
    return retrain_from_corrections(engine, paths, when, config=FAST)


def test_human_label_wins_over_older_corrections_and_urgent_reads_as_yes_no(
    engine: Engine,
) -> None:
    first = add_corrected(engine, "Chờ\tlâu\nquá", topic="fees")
    with session_scope(engine) as s:
        s.add(
            LabelCorrection(
                feedback_id=first,
                label="topic",
                old_value="fees",
                new_value="processing_time",
                at=datetime.now(UTC) + timedelta(minutes=1),
            )
        )
        s.add(
            Feedback(source="kiosk", text="Đòi tiền", human_urgent=True, human_topic="corruption")
        )
        s.add(Feedback(source="kiosk", text="Không sửa gì", topic="other"))
    add_corrected(engine, "Nhãn gõ sai", topic="thu_tuc", urgent="false")
    with session_scope(engine) as s:
        items = corrected_feedback(s)
    corrected = {c.text: c.labels for c in items}
    assert corrected == {
        "Chờ\tlâu\nquá": {"topic": "processing_time"},
        "Đòi tiền": {"topic": "corruption", "urgent": "yes"},
        "Nhãn gõ sai": {"topic": "thu_tuc", "urgent": "no"},
    }
    label_sets = {"topic": ["corruption", "processing_time"], "urgent": ["no", "yes"]}
    data, ignored = corrections_dataset(items, label_sets)
    assert ignored == 1  # "thu_tuc" is no topic of the model
    assert data.texts == ["Chờ lâu quá", "Đòi tiền", "Nhãn gõ sai"]
    assert data.labels == {
        "topic": ["processing_time", "corruption", ""],
        "urgent": ["", "yes", "no"],
    }


def test_corrections_are_learnt_promoted_and_new_labels_carry_the_new_version(
    engine: Engine, paths_older: ModelPaths
) -> None:
    paths = paths_older
    texts = [t for t in [PLANTS] + [f"{PLANTS} lần {i}" for i in range(6)] if not is_dev(t, 20)]
    for text in texts[:4]:
        add_corrected(engine, text, topic="facilities")
    seeded = read_pointer(paths.shipped)
    result = retrain(engine, paths)
    assert result["retrained"] and result["promoted"], result["reason"]
    assert result["corrections"] == 4 and result["previous_version"] == seeded.version
    assert set(versions(paths.registry)) == {seeded.version, result["current_version"]}
    assert versions(paths.shipped) == [seeded.version]  # the shipped registry is only read
    export = read_tsv(paths.registry / result["current_version"] / "corrections.tsv")
    assert export.texts == texts[:4] and set(export.labels["topic"]) == {"facilities"}
    with session_scope(engine) as s:
        s.add(Feedback(source="kiosk", text=PLANTS))
    classify_pending(engine, NIGHT, model=active_model(paths))
    with session_scope(engine) as s:
        row = s.scalars(select(Feedback).where(Feedback.classified_at == NIGHT)).one()
    assert (row.topic, row.model_version) == ("facilities", result["current_version"])


def test_a_worse_candidate_is_not_promoted_and_the_model_in_use_stays(
    engine: Engine, paths: ModelPaths
) -> None:
    train, _dev = split_by_hash(read_tsv(corpus_files(paths.corpus_dir)), DEV_PERCENT)
    for text in train.texts[:300]:  # a careless supervisor: everything is about fees
        add_corrected(engine, text, topic="fees", sentiment="positive")
    result = retrain(engine, paths)
    assert result["retrained"] and not result["promoted"]
    assert "macro-F1 lower" in result["reason"]
    seeded = read_pointer(paths.shipped)
    assert result["current_version"] == seeded.version
    assert versions(paths.registry) == [seeded.version]  # the candidate was not kept
    assert active_model(paths).version == seeded.version


def test_without_new_corrections_nothing_is_trained(engine: Engine, paths: ModelPaths) -> None:
    result = retrain(engine, paths)
    assert not result["retrained"] and result["corrections"] == 0
    assert result["current_version"] == read_pointer(paths.shipped).version
    assert read_pointer(paths.registry) is None and paths.active() == paths.shipped
    add_corrected(engine, PLANTS, topic="facilities")
    assert retrain(engine, paths)["retrained"]


def test_rollback_returns_to_the_previous_model_and_labels_say_so(
    engine: Engine, paths_older: ModelPaths
) -> None:
    paths = paths_older
    for text in [f"{PLANTS} lần {i}" for i in range(4)]:
        add_corrected(engine, text, topic="facilities")
    promoted = retrain(engine, paths)["current_version"]
    seeded = read_pointer(paths.shipped).version
    assert active_model(paths).version == promoted
    pointer = rollback(paths.registry)
    assert (pointer.version, pointer.previous) == (seeded, promoted)
    with session_scope(engine) as s:
        s.add(Feedback(source="kiosk", text="Hồ sơ trễ hẹn hai tuần"))
    classify_pending(engine, NIGHT, model=active_model(paths))
    with session_scope(engine) as s:
        row = s.scalars(select(Feedback).where(Feedback.classified_at == NIGHT)).one()
    assert row.model_version == seeded


@pytest.mark.parametrize(
    ("local", "slot"),
    [
        (datetime(2025, 3, 11, 1, 59), datetime(2025, 3, 10, 2, 0)),
        (datetime(2025, 3, 11, 2, 0), datetime(2025, 3, 11, 2, 0)),
        (datetime(2025, 3, 11, 23, 59), datetime(2025, 3, 11, 2, 0)),
    ],
)
def test_the_nightly_slot_is_the_last_0200_in_vietnam(local: datetime, slot: datetime) -> None:
    vn = timedelta(hours=7)
    now = (local - vn).replace(tzinfo=UTC)
    assert last_slot(now, time(2, 0)) == (slot - vn).replace(tzinfo=UTC)


def test_retraining_is_due_once_a_night_and_caught_up_after_a_missed_night(
    engine: Engine,
) -> None:
    at = time(2, 0)
    before = NIGHT - timedelta(minutes=1)  # 01:59 in Vietnam
    assert retrain_due(engine, before, at)  # never ran: catch up
    with session_scope(engine) as s:
        s.add(JobRun(job_id=RETRAIN_JOB, started_at=before - timedelta(hours=23), outcome="failed"))
    assert not retrain_due(engine, before, at)  # last night's run, even failed, counts
    assert retrain_due(engine, NIGHT, at)
    with session_scope(engine) as s:
        s.add(JobRun(job_id=RETRAIN_JOB, started_at=NIGHT + timedelta(seconds=30)))
    assert not retrain_due(engine, NIGHT + timedelta(minutes=15), at)
    assert retrain_due(engine, NIGHT + timedelta(days=1), at)


def motcua(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args, "--json"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


def test_command_line_classifies_retrains_and_rolls_back(
    engine: Engine, db_url: str, paths_older: ModelPaths, tmp_path: Path
) -> None:
    paths = paths_older
    env = {
        "MOTCUA_DATABASE_URL": db_url,
        "MOTCUA_DATA_DIR": str(tmp_path / "data"),
        "MOTCUA_NLP_MODEL_DIR": str(paths.shipped),
        "MOTCUA_NLP_CORPUS_DIR": str(paths.corpus_dir),
    }
    for text in [f"{PLANTS} lần {i}" for i in range(4)]:
        add_corrected(engine, text, topic="facilities")
    seeded = read_pointer(paths.shipped).version
    retrained = motcua(["feedback", "retrain"], env)
    assert retrained["retrained"] and retrained["previous_version"] == seeded
    runtime = tmp_path / "data" / "runtime" / "models" / "feedback"
    assert read_pointer(runtime).version == retrained["current_version"]
    assert read_pointer(paths.shipped).version == seeded
    with session_scope(engine) as s:
        s.add(Feedback(source="kiosk", text=PLANTS))
    classified = motcua(["feedback", "classify"], env)
    assert classified["classified"] == 1
    assert classified["model_version"] == read_pointer(runtime).version
    back = motcua(["feedback", "rollback"], env)
    assert back["current_version"] == seeded


def test_the_nightly_job_runs_once_per_night_and_records_its_run(
    engine: Engine,
    db_url: str,
    paths_older: ModelPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from monitor import jobs

    for name, value in {
        "MOTCUA_DATABASE_URL": db_url,
        "MOTCUA_DATA_DIR": str(tmp_path / "data"),
        "MOTCUA_NLP_MODEL_DIR": str(paths_older.shipped),
        "MOTCUA_NLP_CORPUS_DIR": str(paths_older.corpus_dir),
    }.items():
        monkeypatch.setenv(name, value)
    add_corrected(engine, PLANTS, topic="facilities")
    jobs._engine.cache_clear()
    try:
        jobs.feedback_retrain()
        jobs.feedback_retrain()  # the next tick: tonight's run is done
    finally:
        jobs._engine().dispose()
        jobs._engine.cache_clear()
    with session_scope(engine) as s:
        runs = s.execute(select(JobRun.job_id, JobRun.outcome, JobRun.counts)).all()
    assert [(job, outcome) for job, outcome, _ in runs] == [(RETRAIN_JOB, "success")]
    counts = runs[0][2]
    assert counts["retrained"] and counts["corrections"] == 1
    runtime = tmp_path / "data" / "runtime" / "models" / "feedback"
    assert read_pointer(runtime).version == counts["current_version"]
