"""Classified feedback for the console: the filtered list (urgent first), its counts, and the
weekly topic trend. A human's label wins over the model's everywhere (``human_*`` first)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, case, false, func, or_, select

from monitor.calendar import day_start
from monitor.db import session_scope
from monitor.metrics.localday import as_date, local_day
from monitor.models import Dossier, Feedback, LabelCorrection, Unit, User

UNCLASSIFIED = ""  # the filter value for feedback the model has not labelled yet

SENTIMENT = func.coalesce(Feedback.human_sentiment, Feedback.sentiment)
TOPIC = func.coalesce(Feedback.human_topic, Feedback.topic)
URGENT = func.coalesce(Feedback.human_urgent, Feedback.urgent)
CORRECTED = or_(
    Feedback.human_sentiment.is_not(None),
    Feedback.human_topic.is_not(None),
    Feedback.human_urgent.is_not(None),
)


@dataclass(frozen=True)
class FeedbackFilter:
    """Which feedback to show: received from ``start`` to ``end`` (Vietnamese days, both
    included) in ``unit_ids`` (None: everywhere); empty label sets mean any value."""

    start: date
    end: date
    unit_ids: Collection[int] | None = None
    topics: frozenset[str] = field(default_factory=frozenset)
    sentiments: frozenset[str] = field(default_factory=frozenset)
    urgent_only: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        out = [
            Feedback.received_at >= day_start(self.start),
            Feedback.received_at < day_start(self.end + timedelta(days=1)),
        ]
        if self.unit_ids is not None:
            out.append(Feedback.unit_id.in_(sorted(self.unit_ids)))
        if self.topics:
            out.append(_label_in(TOPIC, self.topics))
        if self.sentiments:
            out.append(_label_in(SENTIMENT, self.sentiments))
        if self.urgent_only:
            out.append(URGENT.is_(True))
        return out


def _label_in(column: Any, values: frozenset[str]) -> ColumnElement[bool]:
    named = sorted(v for v in values if v != UNCLASSIFIED)
    parts = [column.in_(named)] if named else []
    if UNCLASSIFIED in values:
        parts.append(column.is_(None))
    return or_(*parts) if parts else false()


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    received_at: datetime
    unit_name: str
    dossier_code: str
    text: str
    sentiment: str | None
    topic: str | None
    urgent: bool | None
    confidence: float | None  # the model's lowest confidence of the three labels
    corrected: bool


@dataclass(frozen=True)
class FeedbackCounts:
    total: int
    urgent: int
    negative: int
    unclassified: int
    corrected: int


def _n(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def feedback_counts(engine: Engine, flt: FeedbackFilter) -> FeedbackCounts:
    q = select(
        func.count(),
        _n(URGENT.is_(True)),
        _n(SENTIMENT == "negative"),
        _n(Feedback.classified_at.is_(None)),
        _n(CORRECTED),
    ).where(*flt.conditions())
    with session_scope(engine) as s:
        total, urgent, negative, unclassified, corrected = s.execute(q).one()
    return FeedbackCounts(int(total), int(urgent), int(negative), int(unclassified), int(corrected))


def feedback_rows(engine: Engine, flt: FeedbackFilter, limit: int = 200) -> list[FeedbackRow]:
    """The filtered feedback, urgent first, then the newest; at most ``limit`` rows."""
    urgent_first = case((URGENT.is_(True), 0), else_=1)
    q = (
        select(
            Feedback.id,
            Feedback.received_at,
            func.coalesce(Unit.name, ""),
            func.coalesce(Dossier.code, ""),
            Feedback.text,
            SENTIMENT,
            TOPIC,
            URGENT,
            Feedback.sentiment_confidence,
            Feedback.topic_confidence,
            Feedback.urgent_confidence,
            CORRECTED,
        )
        .outerjoin(Unit, Unit.id == Feedback.unit_id)
        .outerjoin(Dossier, Dossier.id == Feedback.dossier_id)
        .where(*flt.conditions())
        .order_by(urgent_first, Feedback.received_at.desc(), Feedback.id.desc())
        .limit(limit)
    )
    with session_scope(engine) as s:
        rows = s.execute(q).all()
    return [_row(r) for r in rows]


def _row(r: Any) -> FeedbackRow:
    confidences = [c for c in r[8:11] if c is not None]
    return FeedbackRow(
        id=r[0],
        received_at=r[1],
        unit_name=r[2],
        dossier_code=r[3],
        text=r[4],
        sentiment=r[5],
        topic=r[6],
        urgent=None if r[7] is None else bool(r[7]),
        confidence=min(confidences) if confidences else None,
        corrected=bool(r[11]),
    )


@dataclass(frozen=True)
class WeekTopic:
    week: date  # the Monday the week starts on
    topic: str | None
    count: int


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_topics(engine: Engine, flt: FeedbackFilter) -> list[WeekTopic]:
    """Feedback per week and topic: counted by day in the database, folded into weeks here
    (weeks start on Monday, Vietnamese days)."""
    day = local_day(engine, Feedback.received_at)
    q = select(day, TOPIC, func.count()).where(*flt.conditions()).group_by(day, TOPIC)
    with session_scope(engine) as s:
        rows = s.execute(q).all()
    weeks: Counter[tuple[date, str | None]] = Counter()
    for d, topic, n in rows:
        weeks[(monday(as_date(d)), topic)] += int(n)
    return [WeekTopic(w, t, n) for (w, t), n in sorted(weeks.items(), key=_week_key)]


def _week_key(item: tuple[tuple[date, str | None], int]) -> tuple[date, str]:
    (week, topic), _n = item
    return week, topic or ""


@dataclass(frozen=True)
class CorrectionRow:
    at: datetime
    username: str
    label: str
    old_value: str | None
    new_value: str


def corrections_of(engine: Engine, feedback_id: int) -> list[CorrectionRow]:
    """Who corrected which label of one feedback, oldest first."""
    q = (
        select(
            LabelCorrection.at,
            func.coalesce(User.username, ""),
            LabelCorrection.label,
            LabelCorrection.old_value,
            LabelCorrection.new_value,
        )
        .outerjoin(User, User.id == LabelCorrection.user_id)
        .where(LabelCorrection.feedback_id == feedback_id)
        .order_by(LabelCorrection.at, LabelCorrection.id)
    )
    with session_scope(engine) as s:
        return [CorrectionRow(*r) for r in s.execute(q).all()]
