"""The counts behind the monthly rankings, read from the database.

- On-time rate (Quyết định 766): (dossiers settled on time + dossiers in progress within their
  deadline) / dossiers received or processed in the month — columns (8 + 9 + 12) / 3 of
  Biểu II.06a, counted by the reports' one-pass count (``count_fast``), so the ranking and the
  inspectors' report never disagree.
- Satisfaction: ratings made in the month whose overall level is Hài lòng or Rất hài lòng, out
  of all ratings, as the satisfaction page counts them.

A unit is compared with its peers only: communes with communes, provincial agencies with
provincial agencies (the levels of Biểu 06a's sections).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Engine, case, func, select

from monitor.config import Settings
from monitor.db import session_scope
from monitor.metrics.ranking import (
    Entry,
    RankChange,
    month_bounds,
    month_over_month,
    previous_month,
    rank,
)
from monitor.metrics.satisfaction_detail import rated_between
from monitor.models import Rating, Unit
from monitor.reports.counting import count_fast
from monitor.reports.period import Period, Scope
from monitor.reports.texts import LEVEL_OF_UNIT

Counts = dict[int, tuple[int, int]]  # unit id -> (successes, total)


class Metric(StrEnum):
    ON_TIME = "on_time"
    SATISFACTION = "satisfaction"


METRIC_NAMES_VI = {
    Metric.ON_TIME: "Tỷ lệ giải quyết đúng hạn",
    Metric.SATISFACTION: "Tỷ lệ hài lòng",
}
PEER_GROUPS_VI = {
    "commune": "Cấp xã",
    "province": "Sở, ban, ngành cấp tỉnh",
    "district": "Cấp huyện (trước 01/7/2025)",
}


def on_time_counts(
    engine: Engine, settings: Settings, first: date, last: date, unit_ids: Collection[int] | None
) -> Counts:
    """Per resolving unit: dossiers on time (columns 8, 9, 12 of Biểu 06a) out of column 3."""
    ids = None if unit_ids is None else frozenset(unit_ids)
    tally = count_fast(engine, settings, Period(first, last), Scope(None, "", ids))
    out: dict[int, list[int]] = {}
    for (unit, _field), c in tally.cells.items():
        if unit is None:
            continue
        acc = out.setdefault(unit, [0, 0])
        acc[0] += c["8"] + c["9"] + c["12"]
        acc[1] += c["8"] + c["9"] + c["10"] + c["12"] + c["13"]
    return {u: (ok, n) for u, (ok, n) in out.items() if n}


def satisfaction_counts(
    engine: Engine, first: date, last: date, unit_ids: Collection[int] | None
) -> Counts:
    """Per unit: ratings Hài lòng or Rất hài lòng out of all ratings made in the days."""
    satisfied = func.sum(case((Rating.overall >= 2, 1), else_=0))
    q = (
        select(Rating.unit_id, satisfied, func.count())
        .where(Rating.unit_id.is_not(None), *rated_between(first, last, unit_ids))
        .group_by(Rating.unit_id)
    )
    with session_scope(engine) as s:
        return {u: (int(ok or 0), int(n)) for u, ok, n in s.execute(q).all()}


def peer_groups(engine: Engine, ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Unit id -> (name, peer group key) for the given units."""
    if not ids:
        return {}
    with session_scope(engine) as s:
        rows = s.execute(
            select(Unit.id, Unit.name, Unit.level).where(Unit.id.in_(sorted(ids)))
        ).all()
    return {uid: (name, LEVEL_OF_UNIT.get(level, "unknown")) for uid, name, level in rows}


@dataclass(frozen=True)
class MonthRanking:
    metric: Metric
    group: str
    first: date
    last: date
    previous: tuple[date, date]
    rows: list[RankChange]
    groups_seen: tuple[str, ...]  # the peer groups that had data this month


def _counts(
    engine: Engine,
    settings: Settings,
    metric: Metric,
    bounds: tuple[date, date],
    unit_ids: Collection[int] | None,
) -> Counts:
    if metric is Metric.ON_TIME:
        return on_time_counts(engine, settings, *bounds, unit_ids)
    return satisfaction_counts(engine, *bounds, unit_ids)


def monthly_ranking(
    engine: Engine,
    settings: Settings,
    metric: Metric,
    month: date,
    today: date,
    group: str,
    unit_ids: Collection[int] | None = None,
    min_sample: int = 30,
) -> MonthRanking | None:
    """The units of one peer group ranked for ``month`` (capped at ``today``), with their rank
    the month before; None for a month not yet begun."""
    bounds = month_bounds(month, today)
    if bounds is None:
        return None
    before = month_bounds(previous_month(month), today)
    assert before is not None  # the month before a begun month has begun
    now_counts = _counts(engine, settings, metric, bounds, unit_ids)
    then_counts = _counts(engine, settings, metric, before, unit_ids)
    info = peer_groups(engine, set(now_counts) | set(then_counts))

    def entries(counts: Counts) -> list[Entry]:
        return [
            Entry(u, info[u][0], ok, n)
            for u, (ok, n) in counts.items()
            if u in info and info[u][1] == group
        ]

    current = rank(entries(now_counts), min_sample)
    previous = rank(entries(then_counts), min_sample)
    seen = tuple(sorted({info[u][1] for u in now_counts if u in info}))
    return MonthRanking(metric, group, *bounds, before, month_over_month(current, previous), seen)
