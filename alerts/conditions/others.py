"""Conditions on sources, feedback and ratings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from alerts import texts
from alerts.conditions.base import Candidate, Context, alert_key
from alerts.kinds import Condition, SubjectKind
from alerts.rules import Rule
from monitor.enums import RatingLevel
from monitor.freshness import stale_sources
from monitor.models import Feedback, Officer, Rating


def stale_source(ctx: Context, rule: Rule) -> list[Candidate]:
    """A source past its expected interval: no unit, so it goes to the administrators."""
    return [
        Candidate(
            key=alert_key(rule.name, SubjectKind.SOURCE, src.name),
            subject_kind=SubjectKind.SOURCE,
            subject_id=src.name,
            unit_id=None,
            title=texts.stale_source(src.name, src.last_success_at),
            detail={
                "condition": Condition.STALE_SOURCE.value,
                "source": src.name,
                "last_success_at": src.last_success_at.isoformat() if src.last_success_at else None,
            },
        )
        for src in stale_sources(ctx.session, ctx.now)
    ]


def urgent_feedback(ctx: Context, rule: Rule) -> list[Candidate]:
    """Feedback the classifier (or a person correcting it) marked urgent, for max_age_days.
    The text itself never goes into the alert: it may carry personal data."""
    urgent = func.coalesce(Feedback.human_urgent, Feedback.urgent)
    where = [urgent.is_(True), Feedback.received_at <= ctx.now]
    max_age = int(rule.param("max_age_days"))
    if max_age > 0:
        where.append(Feedback.received_at >= ctx.now - timedelta(days=max_age))
    if rule.scope.units:
        where.append(Feedback.unit_id.in_(ctx.subtree(rule)))
    q = select(Feedback.id, Feedback.unit_id, Feedback.received_at, Feedback.topic).where(*where)
    return [
        Candidate(
            key=alert_key(rule.name, SubjectKind.FEEDBACK, fid),
            subject_kind=SubjectKind.FEEDBACK,
            subject_id=str(fid),
            unit_id=unit,
            title=texts.urgent_feedback(fid, received, topic),
            detail={"condition": Condition.URGENT_FEEDBACK.value, "feedback_id": fid},
        )
        for fid, unit, received, topic in ctx.session.execute(q)
    ]


def low_satisfaction_streak(ctx: Context, rule: Rule) -> list[Candidate]:
    """At least streak_count "Không hài lòng" ratings for one officer in the last streak_days
    days (a sliding window: the alert clears when the oldest of them falls out of it)."""
    count, days = int(rule.param("streak_count")), int(rule.param("streak_days"))
    n = func.count(Rating.id)
    q = (
        select(Rating.officer_id, n, func.max(Rating.unit_id))
        .where(
            Rating.overall == int(RatingLevel.UNSATISFIED),
            Rating.officer_id.is_not(None),
            Rating.created_at > ctx.now - timedelta(days=days),
            Rating.created_at <= ctx.now,
        )
        .group_by(Rating.officer_id)
        .having(n >= count)
    )
    streaks = {oid: (int(c), unit) for oid, c, unit in ctx.session.execute(q)}
    if not streaks:
        return []
    officers = select(Officer.id, Officer.code, Officer.name, Officer.unit_id).where(
        Officer.id.in_(list(streaks))
    )
    scope = set(ctx.subtree(rule)) if rule.scope.units else None
    out = []
    for oid, code, name, officer_unit in ctx.session.execute(officers):
        c, rating_unit = streaks[oid]
        unit = officer_unit if officer_unit is not None else rating_unit
        if scope is not None and unit not in scope:
            continue
        out.append(
            Candidate(
                key=alert_key(rule.name, SubjectKind.OFFICER, oid),
                subject_kind=SubjectKind.OFFICER,
                subject_id=str(oid),
                unit_id=unit,
                title=texts.low_satisfaction(name or code, c, days),
                detail={
                    "condition": Condition.LOW_SATISFACTION_STREAK.value,
                    "officer_code": code,
                    "count": c,
                },
            )
        )
    return out
