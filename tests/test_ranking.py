"""Fair rankings: Wilson intervals, ranking on the lower bound with a minimum sample, months,
and the on-time and satisfaction counts read from the database per peer group."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from console_world import add_rating
from reports_helpers import Province, add_dossier, make_province
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.metrics.ranking import (
    Entry,
    month_bounds,
    month_over_month,
    previous_month,
    rank,
    wilson_interval,
)
from monitor.metrics.ranking_data import (
    Metric,
    monthly_ranking,
    on_time_counts,
    satisfaction_counts,
)

VN = timezone(timedelta(hours=7))
MARCH = (date(2025, 3, 1), date(2025, 3, 31))
TODAY = date(2025, 4, 15)

# -- pure --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),  # published reference values of the Wilson score interval
        (8, 10, 0.4902, 0.9433),
        (3, 3, 0.4385, 1.0),
        (50, 100, 0.4038, 0.5962),
    ],
)
def test_wilson_interval_matches_reference_values(k: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_wilson_interval_of_nothing_is_everything() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(("k", "n"), [(-1, 3), (4, 3), (0, -1)])
def test_wilson_interval_refuses_impossible_counts(k: int, n: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(k, n)


def test_three_perfect_dossiers_do_not_beat_997_of_1000() -> None:
    ranked = rank([Entry(1, "Xã nhỏ", 3, 3), Entry(2, "Phường lớn", 997, 1000)], min_sample=1)
    assert [(r.name, r.rank) for r in ranked] == [("Phường lớn", 1), ("Xã nhỏ", 2)]


def test_units_below_the_minimum_sample_are_listed_after_the_ranked_and_not_ranked() -> None:
    ranked = rank(
        [Entry(1, "A", 29, 29), Entry(2, "B", 20, 30), Entry(3, "C", 5, 10)], min_sample=30
    )
    assert [(r.name, r.rank) for r in ranked] == [("B", 1), ("A", None), ("C", None)]
    assert not ranked[1].ranked


def test_the_minimum_sample_is_inclusive() -> None:
    assert rank([Entry(1, "A", 30, 30)], min_sample=30)[0].rank == 1
    assert rank([Entry(1, "A", 29, 29)], min_sample=30)[0].rank is None


def test_equal_lower_bounds_share_a_rank_and_the_next_rank_is_skipped() -> None:
    ranked = rank(
        [
            Entry(1, "A", 90, 100),
            Entry(2, "B", 45, 50),
            Entry(3, "C", 45, 50),
            Entry(4, "D", 1, 50),
        ],
        min_sample=1,
    )
    assert [r.rank for r in ranked] == [1, 2, 2, 4]
    assert [r.name for r in ranked][1:3] == ["B", "C"]


def test_minimum_sample_must_be_positive() -> None:
    with pytest.raises(ValueError):
        rank([], min_sample=0)


def test_month_over_month_gives_places_gained_and_new_units() -> None:
    now = rank([Entry(1, "A", 95, 100), Entry(2, "B", 80, 100), Entry(3, "C", 9, 10)], 30)
    before = rank([Entry(1, "A", 70, 100), Entry(2, "B", 90, 100)], 30)
    changes = {c.current.name: c for c in month_over_month(now, before)}
    assert (changes["A"].previous_rank, changes["A"].moved) == (2, 1)
    assert (changes["B"].previous_rank, changes["B"].moved) == (1, -1)
    assert (changes["C"].previous_rank, changes["C"].moved) == (None, None)


def test_month_bounds() -> None:
    assert month_bounds(date(2025, 2, 14), TODAY) == (date(2025, 2, 1), date(2025, 2, 28))
    assert month_bounds(date(2024, 12, 1), TODAY) == (date(2024, 12, 1), date(2024, 12, 31))
    assert month_bounds(date(2025, 4, 1), TODAY) == (date(2025, 4, 1), TODAY)
    assert month_bounds(date(2025, 5, 1), TODAY) is None
    assert previous_month(date(2025, 1, 20)) == date(2024, 12, 1)


# -- from the database -------------------------------------------------------------------------


@pytest.fixture
def province(engine: Engine) -> Province:
    p = make_province(engine)
    a, b = p.commune_a, p.commune_b
    finished = {"status": 10}
    # Commune A in March: 3 of 6 on time.
    add_dossier(
        engine,
        p,
        unit=a,
        field=p.land,
        received="2025-03-03 09:00",
        due="2025-03-10",
        finished="2025-03-07 10:00",
        **finished,
    )  # early
    add_dossier(
        engine,
        p,
        unit=a,
        field=p.land,
        received="2025-03-03 09:00",
        due="2025-03-10 08:00",
        finished="2025-03-10 16:00",
        **finished,
    )  # same day
    add_dossier(
        engine,
        p,
        unit=a,
        field=p.land,
        received="2025-03-03 09:00",
        due="2025-03-10",
        finished="2025-03-12 10:00",
        **finished,
    )  # late
    add_dossier(
        engine, p, unit=a, field=p.civil, received="2025-03-20 09:00", due="2025-03-25"
    )  # still open at the end of March: overdue
    add_dossier(
        engine, p, unit=a, field=p.civil, received="2025-03-25 09:00", due="2025-04-04"
    )  # open, within its deadline
    add_dossier(
        engine,
        p,
        unit=a,
        field=p.civil,
        received="2025-02-20 09:00",
        due="2025-02-28",
        finished="2025-03-05 10:00",
        **finished,
    )  # carried over, settled late
    add_dossier(
        engine,
        p,
        unit=a,
        field=p.civil,
        received="2025-02-10 09:00",
        due="2025-02-17",
        finished="2025-02-14 10:00",
        **finished,
    )  # February only
    # Commune B in March: 1 of 1; the department: 1 of 1.
    add_dossier(
        engine,
        p,
        unit=b,
        field=p.civil,
        received="2025-03-05 09:00",
        due="2025-03-06",
        finished="2025-03-06 09:00",
        **finished,
    )
    add_dossier(
        engine,
        p,
        unit=p.land_office,
        field=p.land,
        received="2025-03-05 09:00",
        due="2025-03-06",
        finished="2025-03-06 09:00",
        **finished,
    )
    return p


def test_on_time_counts_follow_the_766_definition(engine: Engine, province: Province) -> None:
    counts = on_time_counts(engine, Settings(), *MARCH, None)
    p = province
    assert counts == {p.commune_a: (3, 6), p.commune_b: (1, 1), p.land_office: (1, 1)}


def test_on_time_counts_stay_within_the_scope(engine: Engine, province: Province) -> None:
    counts = on_time_counts(engine, Settings(), *MARCH, {province.commune_a})
    assert counts == {province.commune_a: (3, 6)}


def test_satisfaction_counts_ratings_made_in_the_days(engine: Engine, province: Province) -> None:
    a = province.commune_a
    for overall, day in [(3, 1), (2, 15), (1, 20), (2, 31)]:
        add_rating(engine, a, overall, datetime(2025, 3, day, 23, 0, tzinfo=VN))
    add_rating(engine, a, 1, datetime(2025, 4, 1, 0, 0, tzinfo=VN))
    add_rating(engine, a, 3, datetime(2025, 2, 28, 23, 59, tzinfo=VN))
    assert satisfaction_counts(engine, *MARCH, None) == {a: (3, 4)}
    assert satisfaction_counts(engine, *MARCH, {province.commune_b}) == {}


def test_monthly_ranking_compares_peers_only_with_the_previous_month(
    engine: Engine, province: Province
) -> None:
    p = province
    result = monthly_ranking(
        engine, Settings(), Metric.ON_TIME, date(2025, 3, 1), TODAY, "commune", min_sample=2
    )
    assert result is not None
    assert (result.first, result.last) == MARCH
    assert result.previous == (date(2025, 2, 1), date(2025, 2, 28))
    assert set(result.groups_seen) == {"commune", "province"}
    rows = {r.current.unit_id: r for r in result.rows}
    assert set(rows) == {p.commune_a, p.commune_b}  # the department is not a commune's peer
    assert (rows[p.commune_a].current.rank, rows[p.commune_a].previous_rank) == (1, 1)
    assert rows[p.commune_b].current.rank is None  # one dossier: listed, not ranked
    ranked_one = monthly_ranking(
        engine, Settings(), Metric.ON_TIME, date(2025, 3, 1), TODAY, "commune", min_sample=1
    )
    assert ranked_one is not None
    # With a sample of one allowed, 1 of 1 (lower bound 20,7 %) outranks 3 of 6 (18,8 %).
    assert [r.current.unit_id for r in ranked_one.rows] == [p.commune_b, p.commune_a]


def test_a_month_not_begun_has_no_ranking(engine: Engine, province: Province) -> None:
    assert (
        monthly_ranking(engine, Settings(), Metric.SATISFACTION, date(2025, 5, 1), TODAY, "commune")
        is None
    )
