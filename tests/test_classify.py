"""The classification job: new feedback gets labels, confidences and the model version, once;
unreadable text gets a low-confidence fallback; urgent feedback ends in an alert record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from alerts.kinds import Condition
from alerts.service import evaluate_alerts
from monitor import jobs
from monitor.classify import classify_pending
from monitor.config import load_settings
from monitor.db import session_scope
from monitor.models import Alert, Feedback, JobRun
from nlp.model import FeedbackClassifier, load
from nlp.settings import REGISTRY_DIR

NOW = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
PRAISE = "Chị cán bộ tiếp nhận rất nhiệt tình, hồ sơ xong trước hẹn, tôi rất hài lòng"
BRIBE = "Cán bộ địa chính đòi tôi đưa 5 triệu bồi dưỡng mới chịu nhận hồ sơ tách thửa"
HOT_ROOM = "Phòng chờ nóng bức, quạt hỏng, không có ghế ngồi"


@pytest.fixture(scope="module")
def shipped() -> FeedbackClassifier:
    return load(REGISTRY_DIR.path())


def add_feedback(engine: Engine, *texts: str, received_at: datetime | None = None) -> list[int]:
    with session_scope(engine) as s:
        rows = [Feedback(source="kiosk", text=t) for t in texts]
        for row in rows:
            if received_at is not None:
                row.received_at = received_at
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def feedback(engine: Engine, ids: list[int]) -> list[Feedback]:
    with session_scope(engine) as s:
        by_id = {f.id: f for f in s.scalars(select(Feedback).where(Feedback.id.in_(ids)))}
        return [by_id[i] for i in ids]


def test_pending_feedback_gets_labels_confidences_and_the_model_version(
    engine: Engine, shipped: FeedbackClassifier
) -> None:
    ids = add_feedback(engine, PRAISE, BRIBE, HOT_ROOM)
    result = classify_pending(engine, NOW, batch=2, model=shipped)
    assert result.classified == 3 and result.urgent == 1 and result.skipped == 0
    praise, bribe, room = feedback(engine, ids)
    assert (praise.sentiment, praise.urgent) == ("positive", False)
    assert (bribe.sentiment, bribe.topic, bribe.urgent) == ("negative", "corruption", True)
    assert room.topic == "facilities"
    for row in (praise, bribe, room):
        assert row.model_version == shipped.version
        assert row.classified_at == NOW
        for confidence in (row.sentiment_confidence, row.topic_confidence, row.urgent_confidence):
            assert confidence is not None and 0 < confidence <= 1


def test_a_second_run_finds_nothing_and_changes_nothing(
    engine: Engine, shipped: FeedbackClassifier
) -> None:
    ids = add_feedback(engine, PRAISE, BRIBE)
    classify_pending(engine, NOW, model=shipped)
    before = [(f.sentiment, f.topic, f.classified_at) for f in feedback(engine, ids)]
    again = classify_pending(engine, NOW + timedelta(minutes=2), model=shipped)
    assert again.classified == 0 and again.urgent == 0
    assert [(f.sentiment, f.topic, f.classified_at) for f in feedback(engine, ids)] == before


def test_rows_labelled_before_are_left_alone(engine: Engine, shipped: FeedbackClassifier) -> None:
    (done,) = add_feedback(engine, BRIBE)
    with session_scope(engine) as s:
        row = s.get(Feedback, done)
        assert row is not None
        row.topic, row.model_version, row.classified_at = "fees", "older-model", NOW
    (new,) = add_feedback(engine, HOT_ROOM)
    assert classify_pending(engine, NOW + timedelta(hours=1), model=shipped).classified == 1
    old_row, new_row = feedback(engine, [done, new])
    assert (old_row.topic, old_row.model_version) == ("fees", "older-model")
    assert new_row.model_version == shipped.version


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀🎉", "The staff were helpful and the room was clean", "服务态度很好"],
)
def test_unreadable_text_gets_low_confidence_other_not_an_error(
    engine: Engine, shipped: FeedbackClassifier, text: str
) -> None:
    (fid,) = add_feedback(engine, text)
    result = classify_pending(engine, NOW, model=shipped)
    assert result.classified == 1 and result.unread == 1
    (row,) = feedback(engine, [fid])
    assert (row.topic, row.sentiment, row.urgent) == ("other", "neutral", False)
    assert row.topic_confidence is not None and row.topic_confidence <= 0.5
    assert row.model_version == shipped.version


def test_very_long_text_is_cut_and_still_classified(
    engine: Engine, shipped: FeedbackClassifier
) -> None:
    (fid,) = add_feedback(engine, (BRIBE + ". ") * 3000)  # ~250,000 characters
    result = classify_pending(engine, NOW, model=shipped)
    assert result.classified == 1 and result.truncated == 1
    (row,) = feedback(engine, [fid])
    assert row.topic == "corruption" and row.urgent is True


def urgent_alerts(engine: Engine) -> list[Alert]:
    with session_scope(engine) as s:
        return list(
            s.scalars(select(Alert).where(Alert.subject_kind == "feedback").order_by(Alert.id))
        )


def test_urgent_feedback_is_classified_then_raises_an_alert_record(
    engine: Engine, shipped: FeedbackClassifier
) -> None:
    now = datetime.now(UTC)
    bribe, _praise = add_feedback(engine, BRIBE, PRAISE, received_at=now - timedelta(minutes=5))
    assert urgent_alerts(engine) == []
    classify_pending(engine, now, model=shipped)
    evaluate_alerts(engine, load_settings({}), now, only={Condition.URGENT_FEEDBACK})
    (alert,) = urgent_alerts(engine)
    assert alert.subject_id == str(bribe) and alert.state == "open"
    assert alert.rule == "phan-anh-khan"  # the shipped rule, data/alert_rules.toml
    assert "bồi dưỡng" not in alert.title  # the text may hold personal data


def test_the_scheduled_job_classifies_and_raises_the_alert_itself(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    jobs._engine.cache_clear()
    try:
        (bribe,) = add_feedback(engine, BRIBE)
        jobs.feedback_classify()
        jobs.feedback_classify()  # nothing left: recorded, no second alert evaluation
    finally:
        jobs._engine().dispose()
        jobs._engine.cache_clear()
    (alert,) = urgent_alerts(engine)
    assert alert.subject_id == str(bribe)
    with session_scope(engine) as s:
        runs = s.execute(select(JobRun.job_id, JobRun.outcome, JobRun.counts).order_by(JobRun.id))
        runs = [(job, outcome, counts.get("classified")) for job, outcome, counts in runs]
    assert runs == [
        ("feedback:classify", "success", 1),
        ("alerts:evaluate", "success", None),
        ("feedback:classify", "success", 0),
    ]
