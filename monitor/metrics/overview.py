"""The overview of a period and a unit scope (DOMAIN.md §6, §9), and the same figures for the
previous period of the same length.

- **On-time rate** (Quyết định 766): dossiers settled on time or early, plus dossiers still in
  hand within their deadline, over the dossiers received in the period or carried over into
  it — columns (8 + 9 + 12) / 3 of Biểu 06a, counted the same way (``count_fast``: judged by
  the deadline engine at the period's end). The national dashboard shows it × 20 points.
- **Finished late** is column 10: settled during the period after the appointment day.
- **Online share**: dossiers received in the period through the online channel, per level,
  against the targets (60 % commune, 80 % district, 90 % province).
- **Satisfaction**: ratings made in the period (share of Hài lòng or Rất hài lòng) and the 766
  satisfaction score of the dossiers finished in the period.
- **Pending now**: the deadline engine's stored statuses (overdue, due soon).

Every figure is an aggregate computed by the database (one pass for the 06a counts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, func, or_, select

from monitor import vi_format
from monitor.calendar import day_start
from monitor.config import Settings
from monitor.db import session_scope
from monitor.enums import DueStatus, JobOutcome
from monitor.jobs import EVALUATE_JOB
from monitor.metrics.satisfaction import RateSummary, Score766, score_766
from monitor.metrics.scope import counted_in, finished_between, unit_in
from monitor.metrics.vi_labels import NO_FIELD
from monitor.models import Dossier, Feedback, Field, JobRun, Rating
from monitor.reports.counting import Tally, count_fast
from monitor.reports.form06a import Catalogue
from monitor.reports.period import Period, Scope

ON_TIME_POINTS = 20.0
ONLINE_TARGETS: dict[str, float] = {"province": 0.9, "district": 0.8, "commune": 0.6}
NEGATIVE = "negative"  # the feedback sentiment that counts as a complaint


@dataclass(frozen=True)
class OnTime:
    """Biểu 06a totals behind the 766 on-time rate."""

    counted: int  # column 3: received in the period or carried over
    on_time: int  # 8 + 9 + 12: settled early or on time, or in hand within the deadline
    settled: int  # column 7
    settled_late: int  # column 10
    open_overdue: int  # column 13: in hand and overdue at the period's end

    @property
    def rate(self) -> float | None:
        return None if not self.counted else self.on_time / self.counted

    @property
    def points(self) -> float | None:
        rate = self.rate
        return None if rate is None else rate * ON_TIME_POINTS


@dataclass(frozen=True)
class Online:
    """Dossiers received in the period at one level, and how many of them online."""

    level: str  # province, district, commune, unknown (Biểu 06a sections)
    received: int
    online: int

    @property
    def share(self) -> float | None:
        return None if not self.received else self.online / self.received

    @property
    def target(self) -> float | None:
        return ONLINE_TARGETS.get(self.level)

    @property
    def meets_target(self) -> bool | None:
        share, target = self.share, self.target
        return None if share is None or target is None else share >= target


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    on_time: OnTime
    online: tuple[Online, ...]  # levels with dossiers, province first
    satisfaction: RateSummary
    s766: Score766 | None

    @property
    def received(self) -> int:
        return sum(o.received for o in self.online)

    @property
    def online_share(self) -> float | None:
        received = self.received
        return None if not received else sum(o.online for o in self.online) / received


@dataclass(frozen=True)
class Pending:
    """Dossiers in hand now, as the deadline engine last judged them."""

    overdue: int
    due_soon: int
    evaluated_at: datetime | None  # the latest evaluation that wrote a conclusion


@dataclass(frozen=True)
class FieldPending:
    field: str
    is_land: bool
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class Overview:
    current: PeriodFigures
    previous: PeriodFigures
    pending: Pending


def previous_period(period: Period) -> Period:
    """The period of the same length that ends the day before ``period`` starts."""
    length = period.end - period.start
    end = period.start - timedelta(days=1)
    return Period(end - length, end)


def _scope(unit_ids: Collection[int] | None) -> Scope:
    return Scope(None, "", None if unit_ids is None else frozenset(unit_ids))


def on_time_of(tally: Tally) -> OnTime:
    total: Counter[str] = Counter()
    for counts in tally.cells.values():
        total.update(counts)
    return OnTime(
        counted=total["4"] + total["5"] + total["6"],
        on_time=total["8"] + total["9"] + total["12"],
        settled=total["8"] + total["9"] + total["10"],
        settled_late=total["10"],
        open_overdue=total["13"],
    )


_LEVEL_ORDER = ("province", "district", "commune", "unknown")


def online_of(tally: Tally, level_of_unit: dict[int, str]) -> tuple[Online, ...]:
    """Columns 4 (online) and 5 (other channels) summed per level of the counting unit."""
    received: Counter[str] = Counter()
    online: Counter[str] = Counter()
    for (unit, _field), counts in tally.cells.items():
        level = level_of_unit.get(unit, "unknown") if unit is not None else "unknown"
        received[level] += counts["4"] + counts["5"]
        online[level] += counts["4"]
    return tuple(
        Online(level, received[level], online[level]) for level in _LEVEL_ORDER if received[level]
    )


def _period_bounds(period: Period) -> tuple[datetime, datetime]:
    return day_start(period.start), day_start(period.end + timedelta(days=1))


def rating_summary(engine: Engine, period: Period, unit_ids: Collection[int] | None) -> RateSummary:
    """Overall levels of the ratings made in the period at the scope's units."""
    lo, hi = _period_bounds(period)
    counter_only = func.sum(case((Rating.dossier_id.is_(None), 1), else_=0))
    q = (
        select(Rating.overall, func.count(), counter_only)
        .where(Rating.created_at >= lo, Rating.created_at < hi, unit_in(Rating.unit_id, unit_ids))
        .group_by(Rating.overall)
    )
    with session_scope(engine) as s:
        rows = s.execute(q).all()
    levels = {int(level): int(n) for level, n, _c in rows}
    counter = sum(int(c or 0) for _l, _n, c in rows)
    return RateSummary(
        sum(levels.values()), levels.get(3, 0), levels.get(2, 0), levels.get(1, 0), counter
    )


def satisfaction_766(
    engine: Engine, period: Period, unit_ids: Collection[int] | None
) -> Score766 | None:
    """The 766 satisfaction score over the dossiers finished in the period: the share finished
    late and the share with a negative rating or a complaint (a human's sentiment label wins
    over the model's). The two lists of complained-about dossiers are computed once each
    (uncorrelated IN), not per dossier."""
    lo, hi = _period_bounds(period)
    negative_rating = select(Rating.dossier_id).where(
        Rating.overall == 1, Rating.dossier_id.is_not(None)
    )
    sentiment = func.coalesce(Feedback.human_sentiment, Feedback.sentiment)
    complaint = select(Feedback.dossier_id).where(
        Feedback.dossier_id.is_not(None), sentiment == NEGATIVE
    )
    complained = or_(Dossier.id.in_(negative_rating), Dossier.id.in_(complaint))
    q = select(
        func.count(),
        func.sum(case((Dossier.due_status == DueStatus.LATE.value, 1), else_=0)),
        func.sum(case((complained, 1), else_=0)),
    ).where(finished_between(lo, hi), counted_in(unit_ids))
    with session_scope(engine) as s:
        considered, late, complaints = s.execute(q).one()
    return score_766(int(considered), int(late or 0), int(complaints or 0))


def period_figures(
    engine: Engine,
    settings: Settings,
    period: Period,
    unit_ids: Collection[int] | None,
    level_of_unit: dict[int, str] | None = None,
) -> PeriodFigures:
    tally = count_fast(engine, settings, period, _scope(unit_ids))
    levels = level_of_unit if level_of_unit is not None else unit_levels(engine)
    return PeriodFigures(
        period,
        on_time_of(tally),
        online_of(tally, levels),
        rating_summary(engine, period, unit_ids),
        satisfaction_766(engine, period, unit_ids),
    )


def unit_levels(engine: Engine) -> dict[int, str]:
    """Each unit's level as Biểu 06a groups it (a retired district counts at its successor's)."""
    return Catalogue.load(engine).section_of_unit


def pending_now(engine: Engine, unit_ids: Collection[int] | None) -> Pending:
    """The counts, and when they were last judged: the later of the last successful scheduled
    evaluation and the latest conclusion written on one of these dossiers (a run from the
    command line leaves only the latter). Both are read through indexes: the latest
    ``evaluated_at`` of the whole table would cost a pass over it."""
    wanted = (DueStatus.OVERDUE.value, DueStatus.DUE_SOON.value)
    q = (
        select(Dossier.due_status, func.count(), func.max(Dossier.evaluated_at))
        .where(Dossier.due_status.in_(wanted), counted_in(unit_ids))
        .group_by(Dossier.due_status)
    )
    last_run = select(func.max(JobRun.started_at)).where(
        JobRun.job_id == EVALUATE_JOB, JobRun.outcome == JobOutcome.SUCCESS
    )
    with session_scope(engine) as s:
        rows = s.execute(q).all()
        moments = [m for *_, m in rows if m is not None]
        if (ran := s.scalar(last_run)) is not None:
            moments.append(ran)
    counts = {str(k): int(n) for k, n, _m in rows}
    return Pending(
        counts.get(DueStatus.OVERDUE.value, 0),
        counts.get(DueStatus.DUE_SOON.value, 0),
        max(moments, default=None),
    )


def pending_by_field(engine: Engine, unit_ids: Collection[int] | None) -> list[FieldPending]:
    """Overdue and due-soon dossiers per field: land first, then the most overdue."""
    overdue = Dossier.due_status == DueStatus.OVERDUE.value
    soon = Dossier.due_status == DueStatus.DUE_SOON.value
    q = (
        select(
            func.coalesce(Field.name, NO_FIELD),
            func.coalesce(Field.is_land, False),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((soon, 1), else_=0)),
        )
        .select_from(Dossier)
        .outerjoin(Field, Field.id == Dossier.field_id)
        .where(or_(overdue, soon), counted_in(unit_ids))
        .group_by(Field.name, Field.is_land)
    )
    with session_scope(engine) as s:
        rows = [
            FieldPending(str(name), bool(land), int(o or 0), int(d or 0))
            for name, land, o, d in s.execute(q).all()
        ]
    return sorted(rows, key=lambda r: (not r.is_land, -r.overdue, -r.due_soon, r.field))


def overview(
    engine: Engine, settings: Settings, period: Period, unit_ids: Collection[int] | None
) -> Overview:
    """The page's figures. The two periods and the pending counts are independent queries,
    run side by side: the database work releases the GIL, so a second core halves the wait
    on a large province."""
    levels = unit_levels(engine)
    with ThreadPoolExecutor(max_workers=3) as pool:
        current = pool.submit(period_figures, engine, settings, period, unit_ids, levels)
        before = pool.submit(
            period_figures, engine, settings, previous_period(period), unit_ids, levels
        )
        pending = pool.submit(pending_now, engine, unit_ids)
        return Overview(current.result(), before.result(), pending.result())


def rate_change(current: float | None, previous: float | None) -> float | None:
    """The change of a rate in percentage points (None when either side has no data)."""
    if current is None or previous is None:
        return None
    return (current - previous) * 100


def signed_points(change: float | None) -> str | None:
    """'+1,2 điểm %' / '-0,5 điểm %' for a change of a rate (a leading '-' for Streamlit)."""
    if change is None:
        return None
    return f"{'+' if change >= 0 else '-'}{vi_format.decimal(abs(change))} điểm %"


def signed_count(change: int) -> str:
    """'+1.234' / '-12'."""
    return f"{'+' if change >= 0 else '-'}{vi_format.integer(abs(change))}"
