"""Scoring citizen ratings (DOMAIN.md §5–§6): satisfaction rates, the TT 01/2018 indices with
the agency and officer classifications, and the 766 satisfaction score.

Pure functions over plain values; the queries that feed them live in
``monitor.metrics.satisfaction_data``. docs/satisfaction.md explains every choice made here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# The Rating columns crit_<code>, in the order of NĐ 61/2018 art. 31.
CRITERIA = ("a", "b", "c", "d", "dd", "e", "g", "h", "i")
# TT 01/2018 index fed by each criterion a citizen answers. e (legality, costs) and i (other)
# feed no index: they count only in the satisfaction rates.
CRITERION_INDEX: dict[str, int] = {"a": 1, "c": 3, "b": 4, "d": 6, "dd": 7, "g": 8, "h": 9}
INDICES = tuple(range(1, 10))
OFFICER_INDICES = (1, 2, 3, 4, 7)
AGENCY_MAX = 18.0
OFFICER_MAX = 10.0
INDEX_MAX = 2.0
# 766: 90 % or more earns the full 6 points.
FULL_766_POINTS = 6.0
FULL_766_RATE = Decimal("0.9")


class AgencyGrade(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    AVERAGE = "average"
    POOR = "poor"


class OfficerGrade(StrEnum):
    FULL = "full"  # hoàn thành 100 % nhiệm vụ
    MOST = "most"  # 70 % đến dưới 100 %
    BELOW = "below"  # dưới 70 %


AGENCY_GRADE_VI = {
    AgencyGrade.EXCELLENT: "Xuất sắc",
    AgencyGrade.GOOD: "Tốt",
    AgencyGrade.FAIR: "Khá",
    AgencyGrade.AVERAGE: "Trung bình",
    AgencyGrade.POOR: "Yếu",
}
OFFICER_GRADE_VI = {
    OfficerGrade.FULL: "Hoàn thành 100% nhiệm vụ",
    OfficerGrade.MOST: "Hoàn thành từ 70% đến dưới 100% nhiệm vụ",
    OfficerGrade.BELOW: "Hoàn thành dưới 70% nhiệm vụ",
}
_AGENCY_STEPS = (
    (15.0, AgencyGrade.EXCELLENT),
    (12.0, AgencyGrade.GOOD),
    (9.0, AgencyGrade.FAIR),
    (6.0, AgencyGrade.AVERAGE),
)
_OFFICER_STEPS = ((5.0, OfficerGrade.FULL), (3.5, OfficerGrade.MOST))


def round1(x: float) -> float:
    """Rounded to one decimal, halves up (as a person rounds, not banker's rounding)."""
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def level_points(level: int) -> int:
    """Rất hài lòng (3) = 2 "better than the rule", Hài lòng (2) = 1, Không hài lòng (1) = 0."""
    if level not in (1, 2, 3):
        raise ValueError(f"rating level {level!r} is not 1, 2 or 3")
    return level - 1


@dataclass(frozen=True, slots=True)
class RatingFacts:
    """What scoring needs of one rating."""

    overall: int
    criteria: Mapping[str, int | None]  # criterion code -> level, None when not answered
    has_dossier: bool = True


def index_scores(ratings: Iterable[RatingFacts]) -> dict[int, float]:
    """Each index's average points over the rated dossiers, rounded to one decimal; an index
    nobody answered is left out. Counter ratings (no dossier) feed no per-dossier index."""
    sums: dict[int, int] = defaultdict(int)
    counts: dict[int, int] = defaultdict(int)
    for r in ratings:
        if not r.has_dossier:
            continue
        for code, index in CRITERION_INDEX.items():
            level = r.criteria.get(code)
            if level is not None:
                sums[index] += level_points(level)
                counts[index] += 1
    return {i: round1(sums[i] / counts[i]) for i in sorted(counts)}


def _prorated(scores: Mapping[int, float], indices: Iterable[int], maximum: float) -> float | None:
    used = [scores[i] for i in indices if i in scores]
    if not used:
        return None
    return round1(sum(used) * maximum / (INDEX_MAX * len(used)))


def agency_total(scores: Mapping[int, float]) -> float | None:
    """The agency's total on the 18-point scale: the index scores summed, prorated when some
    indices have no data (sum × 18 / (2 × indices with data)); None without any data."""
    return _prorated(scores, INDICES, AGENCY_MAX)


def officer_total(scores: Mapping[int, float]) -> float | None:
    """The officer's total over indices 1, 2, 3, 4, 7 on the 10-point scale, prorated alike."""
    return _prorated(scores, OFFICER_INDICES, OFFICER_MAX)


def agency_grade(total: float) -> AgencyGrade:
    """≥ 15 Xuất sắc (15 exactly included), 12–<15 Tốt, 9–<12 Khá, 6–<9 Trung bình, < 6 Yếu."""
    for floor, grade in _AGENCY_STEPS:
        if total >= floor:
            return grade
    return AgencyGrade.POOR


def officer_grade(total: float) -> OfficerGrade:
    """≥ 5 completes 100 % of duties, 3.5–<5 from 70 % to under 100 %, < 3.5 under 70 %."""
    for floor, grade in _OFFICER_STEPS:
        if total >= floor:
            return grade
    return OfficerGrade.BELOW


@dataclass(frozen=True)
class RateSummary:
    """Overall levels of a group of ratings."""

    rated: int
    very_satisfied: int
    satisfied: int
    unsatisfied: int
    counter_only: int  # ratings of the counter without a dossier, counted apart

    @property
    def satisfied_share(self) -> float | None:
        """Share of Hài lòng or Rất hài lòng among the ratings."""
        return None if not self.rated else (self.very_satisfied + self.satisfied) / self.rated

    def as_json(self) -> dict[str, float | int | None]:
        share = self.satisfied_share
        return {
            "rated": self.rated,
            "very_satisfied": self.very_satisfied,
            "satisfied": self.satisfied,
            "unsatisfied": self.unsatisfied,
            "counter_only": self.counter_only,
            "satisfied_share": None if share is None else round(share, 4),
        }


def rate_summary(ratings: Iterable[RatingFacts]) -> RateSummary:
    levels = {1: 0, 2: 0, 3: 0}
    counter_only = 0
    for r in ratings:
        level_points(r.overall)  # refuses a level outside 1..3
        levels[r.overall] += 1
        counter_only += not r.has_dossier
    return RateSummary(sum(levels.values()), levels[3], levels[2], levels[1], counter_only)


@dataclass(frozen=True)
class Score766:
    """Quyết định 766/QĐ-TTg: satisfaction with dossier handling (6 points)."""

    considered: int  # dossiers finished in the period
    late: int
    complained: int  # with a complaint or a negative rating
    rate: float
    points: float

    @property
    def late_share(self) -> float:
        return self.late / self.considered

    @property
    def complaint_share(self) -> float:
        return self.complained / self.considered

    def as_json(self) -> dict[str, float | int]:
        return {
            "considered": self.considered,
            "late": self.late,
            "complained": self.complained,
            "late_share": round(self.late_share, 4),
            "complaint_share": round(self.complaint_share, 4),
            "rate": round(self.rate, 4),
            "points": round(self.points, 2),
        }


def score_766(considered: int, late: int, complained: int) -> Score766 | None:
    """100 % − (share finished late + share with a complaint or a negative rating), floored at
    0; ≥ 90 % earns 6 points, below that rate × 6 / 90 %. None when nothing was finished."""
    if considered <= 0:
        return None
    if not (0 <= late <= considered and 0 <= complained <= considered):
        raise ValueError("late and complained must be between 0 and the dossiers considered")
    # Exact arithmetic: 1 − 0.05 − 0.05 must be 90 %, not 89.99… %.
    rate = max(Decimal(0), Decimal(considered - late - complained) / Decimal(considered))
    points = FULL_766_POINTS if rate >= FULL_766_RATE else float(rate * 6 / FULL_766_RATE)
    return Score766(considered, late, complained, float(rate), points)
