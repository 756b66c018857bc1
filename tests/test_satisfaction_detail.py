"""The satisfaction page's detail: how each criterion was answered, and the comments with the
labels of their feedback, within a period and a unit scope."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from console_world import add_feedback, add_rating
from reports_helpers import Province, make_province
from sqlalchemy import Engine

from monitor.metrics.satisfaction_detail import comments, criteria_breakdown

VN = timezone(timedelta(hours=7))
MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 3, day, hour, 0, tzinfo=VN)


@pytest.fixture
def province(engine: Engine) -> Province:
    return make_province(engine)


def test_criteria_count_each_level_and_leave_out_unanswered(
    engine: Engine, province: Province
) -> None:
    a = province.commune_a
    add_rating(engine, a, 3, at(3), a=3, dd=3)
    add_rating(engine, a, 2, at(4), a=2, dd=1)
    add_rating(engine, a, 1, at(5), a=1)
    add_rating(engine, a, 3, datetime(2025, 4, 1, 0, 0, tzinfo=VN), a=3)  # after March
    levels = {c.code: c for c in criteria_breakdown(engine, *MARCH)}
    assert set(levels) == {"a", "dd"}
    assert levels["a"].counts == {1: 1, 2: 1, 3: 1}
    assert levels["dd"].counts == {1: 1, 2: 0, 3: 1}
    assert levels["dd"].answered == 2
    assert levels["dd"].share(3) == pytest.approx(0.5)
    assert (levels["a"].index, levels["dd"].index) == (1, 7)
    assert levels["dd"].name.startswith("đ)")


def test_criteria_stay_within_the_scope(engine: Engine, province: Province) -> None:
    add_rating(engine, province.commune_a, 3, at(3), a=3)
    add_rating(engine, province.commune_b, 1, at(3), a=1, c=1)
    levels = criteria_breakdown(engine, *MARCH, {province.commune_a})
    assert [(c.code, c.counts) for c in levels] == [("a", {1: 0, 2: 0, 3: 1})]


def test_comments_newest_first_with_their_feedback_labels(
    engine: Engine, province: Province
) -> None:
    a = province.commune_a
    first = add_rating(engine, a, 1, at(3), comment="Chờ lâu quá")
    add_rating(engine, a, 3, at(5), comment="Rất tốt")
    add_rating(engine, a, 2, at(6), comment="   ")  # blank: not a comment
    add_rating(engine, a, 2, at(7))
    add_feedback(
        engine,
        a,
        "Chờ lâu quá",
        at(3),
        sentiment="negative",
        topic="processing_time",
        rating_id=first,
    )
    rows = comments(engine, *MARCH)
    assert [(r.comment, r.overall) for r in rows] == [("Rất tốt", 3), ("Chờ lâu quá", 1)]
    assert (rows[1].sentiment, rows[1].topic) == ("negative", "processing_time")
    assert rows[0].topic is None
    only_bad = comments(engine, *MARCH, unsatisfied_only=True)
    assert [r.comment for r in only_bad] == ["Chờ lâu quá"]


def test_comments_of_another_unit_are_not_shown(engine: Engine, province: Province) -> None:
    add_rating(engine, province.commune_a, 3, at(3), comment="An Phú tốt")
    add_rating(engine, province.commune_b, 1, at(3), comment="Bình Minh chậm")
    rows = comments(engine, *MARCH, {province.commune_a})
    assert [r.comment for r in rows] == ["An Phú tốt"]
    assert rows[0].unit_name == "UBND xã An Phú"


def test_comments_are_limited(engine: Engine, province: Province) -> None:
    for day in range(1, 6):
        add_rating(engine, province.commune_a, 2, at(day), comment=f"ý kiến {day}")
    assert [r.comment for r in comments(engine, *MARCH, limit=2)] == ["ý kiến 5", "ý kiến 4"]
