"""The feedback list, its counts and the weekly topic trend: urgent first, filters by topic and
sentiment, a human's label wins, a unit scope keeps other units out, days in Vietnam time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from console_world import World, add_feedback, make_world
from reports_helpers import make_province
from sqlalchemy import Engine

from monitor.db import session_scope
from monitor.feedback import correct_label
from monitor.metrics.feedback_data import (
    UNCLASSIFIED,
    FeedbackFilter,
    WeekTopic,
    feedback_counts,
    feedback_rows,
    weekly_topics,
)

VN = timezone(timedelta(hours=7))


@pytest.fixture
def world(engine: Engine) -> World:
    return make_world(engine)


def _last_month(w: World, **kw: object) -> FeedbackFilter:
    today = w.now.astimezone(VN).date()
    return FeedbackFilter(today - timedelta(days=29), today, **kw)  # type: ignore[arg-type]


def _texts(engine: Engine, flt: FeedbackFilter) -> list[str]:
    return [r.text for r in feedback_rows(engine, flt)]


def test_urgent_feedback_comes_first_then_the_newest(engine: Engine, world: World) -> None:
    rows = feedback_rows(engine, _last_month(world))
    ids = [r.id for r in rows]
    f = world.feedback
    # Both urgent ones first (the newer of them first), then the rest newest first.
    assert ids[:2] == [f["b_fees"], f["a_urgent"]]
    assert set(ids[2:]) == {f["a_slow"], f["a_praise"], f["new"]}
    assert ids[-1] == f["a_praise"]


def test_filters_by_topic_and_sentiment_combine(engine: Engine, world: World) -> None:
    flt = _last_month(world, topics=frozenset({"fees", "corruption"}))
    assert {r.topic for r in feedback_rows(engine, flt)} == {"fees", "corruption"}
    flt = _last_month(
        world, topics=frozenset({"processing_time"}), sentiments=frozenset({"positive"})
    )
    assert _texts(engine, flt) == []
    flt = _last_month(world, sentiments=frozenset({"positive"}))
    assert _texts(engine, flt) == ["Cán bộ An Phú hướng dẫn tận tình"]


def test_unclassified_is_a_filter_value_of_its_own(engine: Engine, world: World) -> None:
    flt = _last_month(world, topics=frozenset({UNCLASSIFIED}))
    assert _texts(engine, flt) == ["Phường Bình Minh chưa phân loại"]
    flt = _last_month(world, topics=frozenset({UNCLASSIFIED, "fees"}))
    assert len(_texts(engine, flt)) == 2


def test_urgent_only(engine: Engine, world: World) -> None:
    flt = _last_month(world, urgent_only=True)
    assert {r.id for r in feedback_rows(engine, flt)} == {
        world.feedback["a_urgent"],
        world.feedback["b_fees"],
    }


def test_a_human_label_wins_in_filters_rows_and_counts(engine: Engine, world: World) -> None:
    fid = world.feedback["a_urgent"]
    with session_scope(engine) as s:
        correct_label(s, fid, "urgent", "no", None, world.now)
        correct_label(s, fid, "topic", "staff_attitude", None, world.now)
    assert fid not in {r.id for r in feedback_rows(engine, _last_month(world, urgent_only=True))}
    row = next(r for r in feedback_rows(engine, _last_month(world)) if r.id == fid)
    assert (row.topic, row.urgent, row.corrected) == ("staff_attitude", False, True)
    counts = feedback_counts(engine, _last_month(world))
    assert (counts.urgent, counts.corrected) == (1, 1)


def test_counts(engine: Engine, world: World) -> None:
    counts = feedback_counts(engine, _last_month(world))
    assert (counts.total, counts.urgent, counts.negative, counts.unclassified) == (5, 2, 3, 1)
    assert counts.corrected == 0


def test_a_commune_scope_never_returns_another_communes_feedback(
    engine: Engine, world: World
) -> None:
    flt = _last_month(world, unit_ids={world.p.commune_a})
    texts = _texts(engine, flt)
    assert len(texts) == 3 and all("An Phú" in t for t in texts)
    assert feedback_counts(engine, flt).total == 3
    weeks = weekly_topics(engine, flt)
    assert sum(w.count for w in weeks) == 3
    assert "fees" not in {w.topic for w in weeks}


def test_the_lowest_model_confidence_is_shown(engine: Engine, world: World) -> None:
    row = next(r for r in feedback_rows(engine, _last_month(world)) if r.urgent)
    assert row.confidence == pytest.approx(0.7)


def test_the_list_is_limited(engine: Engine, world: World) -> None:
    assert len(feedback_rows(engine, _last_month(world), limit=2)) == 2


def test_the_period_is_counted_in_vietnamese_days(engine: Engine) -> None:
    p = make_province(engine)
    # 23:30 on 9 March in Vietnam is still 9 March although it is 16:30 UTC.
    add_feedback(engine, p.commune_a, "tối 9/3", datetime(2025, 3, 9, 23, 30, tzinfo=VN))
    add_feedback(engine, p.commune_a, "sáng 10/3", datetime(2025, 3, 10, 0, 0, tzinfo=VN))
    flt = FeedbackFilter(date(2025, 3, 10), date(2025, 3, 10))
    assert _texts(engine, flt) == ["sáng 10/3"]
    flt = FeedbackFilter(date(2025, 3, 9), date(2025, 3, 9))
    assert _texts(engine, flt) == ["tối 9/3"]


def test_weekly_topics_start_on_monday_in_vietnam_time(engine: Engine) -> None:
    p = make_province(engine)
    # Sunday 9 March 23:30 in Vietnam belongs to the week of Monday 3 March; Monday 10 March
    # 00:10 (17:10 UTC on the Sunday) starts the next week.
    for text, at, topic in [
        ("a", datetime(2025, 3, 9, 23, 30, tzinfo=VN), "fees"),
        ("b", datetime(2025, 3, 10, 0, 10, tzinfo=VN), "fees"),
        ("c", datetime(2025, 3, 12, 9, 0, tzinfo=VN), "fees"),
        ("d", datetime(2025, 3, 13, 9, 0, tzinfo=VN), None),
    ]:
        add_feedback(engine, p.commune_a, text, at, topic=topic)
    weeks = weekly_topics(engine, FeedbackFilter(date(2025, 3, 1), date(2025, 3, 31)))
    assert weeks == [
        WeekTopic(date(2025, 3, 3), "fees", 1),
        WeekTopic(date(2025, 3, 10), None, 1),
        WeekTopic(date(2025, 3, 10), "fees", 2),
    ]
