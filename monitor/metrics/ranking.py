"""Fair rankings of units on a rate (on-time dossiers, satisfied citizens).

A raw rate ranks a unit that settled three dossiers on time above one that settled 997 of
1,000: the small unit was lucky, not better. So each rate carries its Wilson score interval,
units are ranked on the interval's lower bound (the rate we are 95 % sure the unit reaches),
and a unit with fewer cases than a minimum sample is listed but not ranked.

Pure functions over counts; ``monitor.metrics.ranking_data`` reads the counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

Z_95 = 1.959963984540054  # two-sided 95 %
DEFAULT_MIN_SAMPLE = 30
_TIE = 1e-12  # lower bounds closer than this are the same rank


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``total``; (0, 1) when total is 0.

    Unlike the normal approximation it stays inside [0, 1] and does not collapse to a point at
    0 % or 100 %, which is where small units sit."""
    if total < 0 or not 0 <= successes <= total:
        raise ValueError(f"{successes} successes out of {total} is not a count")
    if total == 0:
        return 0.0, 1.0
    p = successes / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Entry:
    """One unit's count: ``successes`` out of ``total``."""

    unit_id: int
    name: str
    successes: int
    total: int


@dataclass(frozen=True)
class Ranked:
    unit_id: int
    name: str
    successes: int
    total: int
    rate: float | None
    low: float
    high: float
    rank: int | None  # None: fewer cases than the minimum sample, not ranked

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def rank(entries: Iterable[Entry], min_sample: int = DEFAULT_MIN_SAMPLE) -> list[Ranked]:
    """Ranked units first, best lower bound first (ties share a rank: 1, 2, 2, 4), then the
    units below the minimum sample, largest first."""
    if min_sample < 1:
        raise ValueError("the minimum sample must be at least 1")
    scored = [_score(e) for e in entries]
    eligible = sorted(
        (r for r in scored if r.total >= min_sample),
        key=lambda r: (-r.low, -(r.rate or 0.0), -r.total, r.name, r.unit_id),
    )
    out: list[Ranked] = []
    for position, r in enumerate(eligible, start=1):
        same = out and abs(out[-1].low - r.low) < _TIE
        out.append(_with_rank(r, out[-1].rank if same else position))
    small = sorted(
        (r for r in scored if r.total < min_sample), key=lambda r: (-r.total, r.name, r.unit_id)
    )
    return out + small


def _score(e: Entry) -> Ranked:
    low, high = wilson_interval(e.successes, e.total)
    rate = e.successes / e.total if e.total else None
    return Ranked(e.unit_id, e.name, e.successes, e.total, rate, low, high, None)


def _with_rank(r: Ranked, position: int | None) -> Ranked:
    return Ranked(r.unit_id, r.name, r.successes, r.total, r.rate, r.low, r.high, position)


@dataclass(frozen=True)
class RankChange:
    current: Ranked
    previous_rank: int | None

    @property
    def moved(self) -> int | None:
        """Places gained (positive) or lost since the previous month; None if not ranked in
        both."""
        if self.current.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.current.rank


def month_over_month(current: list[Ranked], previous: Iterable[Ranked]) -> list[RankChange]:
    """This month's ranking with each unit's rank the month before."""
    before: Mapping[int, int | None] = {r.unit_id: r.rank for r in previous}
    return [RankChange(r, before.get(r.unit_id)) for r in current]


def month_bounds(month: date, today: date) -> tuple[date, date] | None:
    """The first and last day of ``month`` (any day in it), the last day capped at ``today``
    for the month in progress; None for a month that has not started."""
    first = month.replace(day=1)
    if first > today:
        return None
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, min(last, today)


def previous_month(month: date) -> date:
    """The first day of the month before ``month``."""
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)
