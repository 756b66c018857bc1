"""The satisfaction report: TT 01/2018 indices per unit and per officer with their
classifications, the 766 satisfaction score, and the leading complaint topics.

The scoring is the ratings service's (``monitor.metrics.satisfaction``, read through
``satisfaction_source``); this module only lays its results out as tables, and counts the
complaint topics the NLP labelled (a human's correction wins over the model's label).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select

from monitor import __version__
from monitor.calendar import from_instant
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Feedback
from monitor.reports import texts as T
from monitor.reports.model import Column, Kind, Report, Row, Table
from monitor.reports.period import Period, Scope
from monitor.vi_format import day

INDICES = tuple(range(1, 10))
OFFICER_INDICES = (1, 2, 3, 4, 7)
TOP_TOPICS = 5
NEGATIVE = "negative"


@dataclass(frozen=True)
class ScoreRow:
    """One unit's or officer's TT 01/2018 result."""

    name: str
    indices: dict[int, float | None]  # index number -> average score; None: no data
    total: float | None
    classification: str
    ratings: int


@dataclass(frozen=True)
class Score766Row:
    name: str
    late_share: float  # 0..1
    complaint_share: float  # 0..1
    rate: float  # 0..1
    points: float  # of 6


@dataclass(frozen=True)
class TopicRow:
    topic: str
    count: int
    share: float  # 0..1 of the complaints


@dataclass
class SatisfactionData:
    units: list[ScoreRow] = field(default_factory=list)
    officers: list[ScoreRow] = field(default_factory=list)
    s766: list[Score766Row] = field(default_factory=list)
    topics: list[TopicRow] = field(default_factory=list)


def complaint_topics(engine: Engine, period: Period, scope: Scope) -> list[TopicRow]:
    """The topics of negative feedback received in the period, most frequent first."""
    topic = func.coalesce(Feedback.human_topic, Feedback.topic)
    sentiment = func.coalesce(Feedback.human_sentiment, Feedback.sentiment)
    q = (
        select(topic, func.count())
        .where(sentiment == NEGATIVE)
        .where(Feedback.received_at >= from_instant(period.first_instant))
        .where(Feedback.received_at < from_instant(period.end_instant))
        .group_by(topic)
    )
    if scope.unit_ids is not None:
        q = q.where(Feedback.unit_id.in_(sorted(scope.unit_ids)))
    with session_scope(engine) as s:
        counts = [(t, int(n)) for t, n in s.execute(q).all()]
    total = sum(n for _t, n in counts) or 1
    ranked = sorted(counts, key=lambda tn: (-tn[1], tn[0] or "\uffff"))[:TOP_TOPICS]
    return [TopicRow(T.TOPIC_NAMES.get(t, t) if t else T.NO_TOPIC, n, n / total) for t, n in ranked]


def _score_columns(first: str, indices: tuple[int, ...]) -> tuple[Column, ...]:
    return (
        Column("name", first, Kind.TEXT, 34),
        *(
            Column(f"i{n}", T.COL_INDEX.format(n=n), Kind.FLOAT, 9, T.GROUP_INDICES)
            for n in indices
        ),
        Column("total", T.COL_TOTAL, Kind.FLOAT, 10),
        Column("class", T.COL_CLASS, Kind.TEXT, 22),
        Column("ratings", T.COL_RATINGS, Kind.INT, 11),
    )


def _score_rows(rows: list[ScoreRow], indices: tuple[int, ...]) -> Iterator[Row]:
    for r in rows:
        yield Row(
            (
                r.name,
                *(r.indices.get(n) for n in indices),
                r.total,
                r.classification,
                r.ratings,
            )
        )


def _pct(x: float) -> float:
    return round(x * 100, 1)


def tables(data: SatisfactionData) -> list[Table]:
    s766 = (
        Column("name", T.COL_UNIT, Kind.TEXT, 34),
        Column("late", T.COL_766_LATE, Kind.FLOAT, 14),
        Column("complaints", T.COL_766_COMPLAINTS, Kind.FLOAT, 16),
        Column("rate", T.COL_766_RATE, Kind.FLOAT, 14),
        Column("points", T.COL_766_POINTS, Kind.FLOAT, 12),
    )
    topics = (
        Column("topic", T.COL_TOPIC, Kind.TEXT, 36),
        Column("count", T.COL_COUNT, Kind.INT, 12),
        Column("share", T.COL_SHARE, Kind.FLOAT, 12),
    )
    return [
        Table(
            "units",
            T.SHEET_UNITS,
            _score_columns(T.COL_UNIT, INDICES),
            _score_rows(data.units, INDICES),
        ),
        Table(
            "officers",
            T.SHEET_OFFICERS,
            _score_columns(T.COL_OFFICER, OFFICER_INDICES),
            _score_rows(data.officers, OFFICER_INDICES),
        ),
        Table(
            "s766",
            T.SHEET_766,
            s766,
            (
                Row(
                    (
                        r.name,
                        _pct(r.late_share),
                        _pct(r.complaint_share),
                        _pct(r.rate),
                        round(r.points, 2),
                    )
                )
                for r in data.s766
            ),
        ),
        Table(
            "topics",
            T.SHEET_TOPICS,
            topics,
            (Row((r.topic, r.count, _pct(r.share))) for r in data.topics),
        ),
    ]


def report(
    data: SatisfactionData,
    period: Period,
    scope: Scope,
    generated_at: datetime,
    settings: Settings,
) -> Report:
    return Report(
        kind="satisfaction",
        title=T.TITLE_SATISFACTION,
        form_code="",
        header=[
            (T.REPORTING_UNIT, scope.unit_name),
            (T.PERIOD, T.period_text(day(period.start), day(period.end))),
        ],
        tables=tables(data),
        params={
            "report": "satisfaction",
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "unit": scope.unit_code,
            "supplement_policy": settings.supplement_policy,
        },
        generated_at=generated_at,
        version=__version__,
    )


def build(
    engine: Engine, settings: Settings, period: Period, scope: Scope, generated_at: datetime
) -> Report:
    from monitor.reports.satisfaction_source import collect

    data = collect(engine, settings, period, scope)
    data.topics = complaint_topics(engine, period, scope)
    return report(data, period, scope, generated_at, settings)
