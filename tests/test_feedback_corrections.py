"""Correcting a feedback label: the human label is set, the correction is recorded with who,
when, the old and the new value, and bad names, values or scopes are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from console_world import World, add_feedback, make_world
from sqlalchemy import Engine, func, select

from monitor.db import session_scope
from monitor.feedback import LABEL_NAMES_VI, LABEL_VALUES, LabelError, correct_label
from monitor.models import Feedback, LabelCorrection

AT = datetime(2025, 3, 20, 2, 30, tzinfo=UTC)


@pytest.fixture
def world(engine: Engine) -> World:
    return make_world(engine)


def _correct(engine: Engine, fid: int, label: str, value: str, user: int, **kw: object) -> object:
    with session_scope(engine) as s:
        return correct_label(s, fid, label, value, user, AT, **kw)  # type: ignore[arg-type]


def _corrections(engine: Engine, fid: int) -> list[tuple[str, str | None, str, int | None]]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(
                LabelCorrection.label,
                LabelCorrection.old_value,
                LabelCorrection.new_value,
                LabelCorrection.user_id,
            )
            .where(LabelCorrection.feedback_id == fid)
            .order_by(LabelCorrection.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _feedback(engine: Engine, fid: int) -> Feedback:
    with session_scope(engine) as s:
        fb = s.get(Feedback, fid)
        assert fb is not None
        s.expunge(fb)
        return fb


def test_topic_correction_sets_the_human_label_and_records_who_when_old_new(
    engine: Engine, world: World
) -> None:
    fid, user = world.feedback["a_slow"], world.users["giamsat.a"].user_id
    _correct(engine, fid, "topic", "procedure", user)
    fb = _feedback(engine, fid)
    assert (fb.topic, fb.human_topic) == ("processing_time", "procedure")
    assert _corrections(engine, fid) == [("topic", "processing_time", "procedure", user)]
    with session_scope(engine) as s:
        at = s.scalar(select(LabelCorrection.at).where(LabelCorrection.feedback_id == fid))
    assert at == AT


def test_a_second_correction_records_the_first_human_label_as_old(
    engine: Engine, world: World
) -> None:
    fid, user = world.feedback["a_praise"], world.users["quantri"].user_id
    _correct(engine, fid, "sentiment", "neutral", user)
    _correct(engine, fid, "sentiment", "negative", user)
    assert _feedback(engine, fid).human_sentiment == "negative"
    assert _corrections(engine, fid) == [
        ("sentiment", "positive", "neutral", user),
        ("sentiment", "neutral", "negative", user),
    ]


def test_urgent_is_stored_as_a_boolean_and_recorded_as_yes_or_no(
    engine: Engine, world: World
) -> None:
    fid, user = world.feedback["a_urgent"], world.users["giamsat.a"].user_id
    _correct(engine, fid, "urgent", "no", user)
    fb = _feedback(engine, fid)
    assert (fb.urgent, fb.human_urgent) == (True, False)
    assert _corrections(engine, fid) == [("urgent", "yes", "no", user)]


def test_confirming_the_model_label_is_recorded_but_repeating_a_human_label_is_not(
    engine: Engine, world: World
) -> None:
    fid, user = world.feedback["a_slow"], world.users["giamsat.a"].user_id
    first = _correct(engine, fid, "topic", "processing_time", user)
    again = _correct(engine, fid, "topic", "processing_time", user)
    assert first is not None and again is None
    assert _corrections(engine, fid) == [("topic", "processing_time", "processing_time", user)]


def test_labelling_unclassified_feedback_records_no_old_value(engine: Engine, world: World) -> None:
    fid, user = world.feedback["new"], world.users["thanhtra"].user_id
    _correct(engine, fid, "topic", "online_service", user)
    assert _corrections(engine, fid) == [("topic", None, "online_service", user)]


@pytest.mark.parametrize(
    ("label", "value"),
    [("mood", "negative"), ("sentiment", "angry"), ("topic", "Phí, lệ phí"), ("urgent", "true")],
)
def test_unknown_label_names_and_values_are_refused(
    engine: Engine, world: World, label: str, value: str
) -> None:
    with pytest.raises(LabelError):
        _correct(engine, world.feedback["a_slow"], label, value, None)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(LabelCorrection)) == 0


def test_feedback_outside_the_persons_units_is_refused_and_left_untouched(
    engine: Engine, world: World
) -> None:
    fid = world.feedback["b_fees"]
    with pytest.raises(LabelError):
        _correct(
            engine,
            fid,
            "topic",
            "other",
            world.users["giamsat.a"].user_id,
            unit_ids={world.p.commune_a},
        )
    assert _feedback(engine, fid).human_topic is None
    assert _corrections(engine, fid) == []


def test_feedback_without_a_unit_is_outside_every_supervisors_scope(
    engine: Engine, world: World
) -> None:
    fid = add_feedback(engine, None, "Không rõ đơn vị", world.now)
    with pytest.raises(LabelError):
        _correct(engine, fid, "topic", "other", None, unit_ids={world.p.commune_a})
    _correct(engine, fid, "topic", "fees", None)  # an inspector or admin: no scope
    assert _feedback(engine, fid).human_topic == "fees"


def test_an_unknown_feedback_is_refused(engine: Engine, world: World) -> None:
    with pytest.raises(LabelError):
        _correct(engine, 999_999, "topic", "other", None)


def test_every_label_value_has_a_vietnamese_name() -> None:
    for label, values in LABEL_VALUES.items():
        assert set(LABEL_NAMES_VI[label]) == set(values)
    assert LABEL_NAMES_VI["topic"]["fees"] == "Phí, lệ phí"
