"""Scoring citizen ratings (DOMAIN.md §5–§6) as pure functions: no database, no web server."""

from __future__ import annotations

import pytest

from monitor.metrics.satisfaction import (
    AgencyGrade,
    OfficerGrade,
    RatingFacts,
    agency_grade,
    agency_total,
    index_scores,
    level_points,
    officer_grade,
    officer_total,
    rate_summary,
    round1,
    score_766,
)


def _r(overall: int = 3, has_dossier: bool = True, **criteria: int | None) -> RatingFacts:
    return RatingFacts(overall, criteria, has_dossier)


def test_three_levels_map_to_two_one_and_zero_points() -> None:
    assert [level_points(level) for level in (3, 2, 1)] == [2, 1, 0]
    with pytest.raises(ValueError):
        level_points(0)


def test_rounding_to_one_decimal_rounds_halves_up() -> None:
    assert round1(1.25) == 1.3
    assert round1(1.35) == 1.4
    assert round1(1.2499) == 1.2
    assert round1(15.0) == 15.0


def test_each_criterion_feeds_its_tt01_index_averaged_over_dossiers() -> None:
    ratings = [_r(a=3, c=2, dd=1), _r(a=2, c=2, dd=3), _r(a=3)]
    scores = index_scores(ratings)
    # a -> 1: (2 + 1 + 2) / 3 = 1.67 -> 1.7; c -> 3: 1.0; đ -> 7: (0 + 2) / 2 = 1.0
    assert scores == {1: 1.7, 3: 1.0, 7: 1.0}


def test_an_index_nobody_answered_is_left_out_and_criterion_e_feeds_no_index() -> None:
    assert index_scores([_r(e=3, i=1)]) == {}


def test_counter_ratings_without_a_dossier_feed_no_per_dossier_index() -> None:
    assert index_scores([_r(a=1, has_dossier=False), _r(a=3)]) == {1: 2.0}


def test_agency_total_is_prorated_to_eighteen_when_indices_have_no_data() -> None:
    assert agency_total({1: 2.0, 3: 2.0, 4: 2.0}) == 18.0
    assert agency_total({1: 1.5, 3: 2.0, 4: 1.8, 7: 1.9}) == 16.2  # 7.2 × 18 / 8
    assert agency_total({}) is None
    full = {i: 1.0 for i in range(1, 10)}
    assert agency_total(full) == 9.0  # all nine indices: the plain sum


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (18.0, AgencyGrade.EXCELLENT),
        (15.0, AgencyGrade.EXCELLENT),
        (14.9, AgencyGrade.GOOD),
        (12.0, AgencyGrade.GOOD),
        (11.9, AgencyGrade.FAIR),
        (9.0, AgencyGrade.FAIR),
        (8.9, AgencyGrade.AVERAGE),
        (6.0, AgencyGrade.AVERAGE),
        (5.9, AgencyGrade.POOR),
        (0.0, AgencyGrade.POOR),
    ],
)
def test_agency_classification_boundaries(total: float, grade: AgencyGrade) -> None:
    assert agency_grade(total) is grade


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (10.0, OfficerGrade.FULL),
        (5.0, OfficerGrade.FULL),
        (4.9, OfficerGrade.MOST),
        (3.5, OfficerGrade.MOST),
        (3.4, OfficerGrade.BELOW),
    ],
)
def test_officer_classification_boundaries(total: float, grade: OfficerGrade) -> None:
    assert officer_grade(total) is grade


def test_officer_total_uses_indices_1_2_3_4_7_on_a_ten_point_scale() -> None:
    assert officer_total({1: 2.0, 7: 1.0, 9: 0.0}) == 7.5  # index 9 is not an officer's
    assert officer_total({9: 2.0}) is None


def test_index_scores_totalling_exactly_fifteen_are_excellent_and_fourteen_nine_good() -> None:
    fifteen = agency_total({1: 2.0, 3: 1.0, 4: 2.0, 7: 1.0, 8: 2.0, 9: 2.0})  # 10 × 18 / 12
    just_below = agency_total({1: 2.0, 3: 1.5, 4: 1.5, 6: 1.5, 7: 1.8})  # 8.3 × 18 / 10
    assert (fifteen, just_below) == (15.0, 14.9)
    assert agency_grade(fifteen) is AgencyGrade.EXCELLENT
    assert agency_grade(just_below) is AgencyGrade.GOOD


def test_rate_summary_counts_levels_and_counter_ratings_apart() -> None:
    summary = rate_summary([_r(3), _r(2), _r(1), _r(3, has_dossier=False)])
    assert (summary.rated, summary.very_satisfied, summary.satisfied, summary.unsatisfied) == (
        4,
        2,
        1,
        1,
    )
    assert summary.counter_only == 1
    assert summary.satisfied_share == 0.75
    assert rate_summary([]).satisfied_share is None


def test_766_at_exactly_ninety_percent_earns_the_full_six_points() -> None:
    score = score_766(considered=100, late=5, complained=5)
    assert score is not None
    assert score.rate == 0.9 and score.points == 6.0


def test_766_below_ninety_percent_scales_linearly() -> None:
    score = score_766(considered=100, late=6, complained=5)
    assert score is not None
    assert score.rate == 0.89
    assert score.points == pytest.approx(0.89 * 6 / 0.9)


def test_766_rate_is_floored_at_zero_and_needs_finished_dossiers() -> None:
    score = score_766(considered=10, late=8, complained=7)
    assert score is not None and score.rate == 0.0 and score.points == 0.0
    assert score_766(0, 0, 0) is None
    with pytest.raises(ValueError):
        score_766(10, 11, 0)
