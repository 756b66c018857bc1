"""Conditions on dossiers and their steps, read from the deadline engine's conclusions.

Each is one SELECT over the indexed conclusion columns (due_status, breaches) plus the rule's
scope, so 50,000 overdue dossiers are one query, not 50,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, literal, or_, select

from alerts import texts
from alerts.conditions.base import Candidate, Context, alert_key
from alerts.kinds import Condition, SubjectKind
from alerts.rules import Rule
from monitor.calendar import WorkCalendar, day_start, local_date
from monitor.enums import IN_PROGRESS, DueStatus
from monitor.models import Dossier, DossierStep

DOSSIER_UNIT = func.coalesce(Dossier.resolving_unit_id, Dossier.receiving_unit_id)
DUE = func.coalesce(Dossier.effective_due_at, Dossier.due_at)


def overdue_cutoff(calendar: WorkCalendar, today: date, n: int) -> datetime:
    """Dossiers due before this instant are overdue by at least ``n`` working days today
    (counting the working days after the due date up to and including today)."""
    day = today
    while calendar.working_days_between(day, today) < n:
        day -= timedelta(days=1)
    return day_start(day + timedelta(days=1))


def _scope(ctx: Context, rule: Rule, unit_col: Any) -> list[ColumnElement[bool]]:
    scope, where = rule.scope, []
    if scope.units:
        where.append(unit_col.in_(ctx.subtree(rule)))
    if scope.fields:
        where.append(Dossier.field_id.in_(ctx.fields(rule)))
    if scope.land is True:
        where.append(Dossier.field_id.in_(ctx.land_field_ids or [-1]))
    elif scope.land is False:
        where.append(
            or_(Dossier.field_id.is_(None), Dossier.field_id.not_in(ctx.land_field_ids or [-1]))
        )
    if scope.channels:
        where.append(Dossier.channel.in_(scope.channels))
    return where


def _dossier_rows(ctx: Context, rule: Rule, *where: ColumnElement[bool]) -> Sequence[Any]:
    q = select(Dossier.id, Dossier.code, DOSSIER_UNIT, DUE, Dossier.breaches).where(
        *where, *_scope(ctx, rule, DOSSIER_UNIT)
    )
    return ctx.session.execute(q).all()


def _candidate(rule: Rule, row: Any, title: str, **detail: Any) -> Candidate:
    did, code, unit = row[0], row[1], row[2]
    return Candidate(
        key=alert_key(rule.name, SubjectKind.DOSSIER, did),
        subject_kind=SubjectKind.DOSSIER,
        subject_id=str(did),
        unit_id=unit,
        title=title,
        detail={"condition": rule.condition.value, "dossier_code": code, **detail},
    )


def due_soon(ctx: Context, rule: Rule) -> list[Candidate]:
    rows = _dossier_rows(ctx, rule, Dossier.due_status == DueStatus.DUE_SOON)
    return [_candidate(rule, r, texts.due_soon(r[1], r[3])) for r in rows]


def overdue(ctx: Context, rule: Rule) -> list[Candidate]:
    where = [Dossier.due_status == DueStatus.OVERDUE]
    n = int(rule.param("min_overdue_working_days"))
    if n > 0:
        where.append(overdue_cutoff(ctx.calendar, local_date(ctx.now), n) > DUE)
    rows = _dossier_rows(ctx, rule, *where)
    return [_candidate(rule, r, texts.overdue(r[1], r[3])) for r in rows]


def breach(ctx: Context, rule: Rule) -> list[Candidate]:
    wanted = rule.breaches
    padded = literal(",") + Dossier.breaches + literal(",")
    where = [Dossier.breaches != "", or_(*(padded.like(f"%,{b.value},%") for b in wanted))]
    max_age = int(rule.param("max_age_days"))
    if max_age > 0:
        since = ctx.now - timedelta(days=max_age)
        where.append(or_(Dossier.finished_at.is_(None), Dossier.finished_at >= since))
    out = []
    for r in _dossier_rows(ctx, rule, *where):
        found = [b for b in wanted if b.value in (r[4] or "").split(",")]
        title = texts.breach(r[1], found)
        out.append(_candidate(rule, r, title, breaches=[b.value for b in found]))
    return out


def step_overdue(ctx: Context, rule: Rule) -> list[Candidate]:
    """A step still running after the day of its own deadline (compared by date, like the
    dossier), while the dossier is in the agency's hands."""
    unit = func.coalesce(DossierStep.unit_id, DOSSIER_UNIT)
    today_start = day_start(local_date(ctx.now))
    q = (
        select(DossierStep.id, Dossier.code, unit, DossierStep.deadline_at, DossierStep.unit_name)
        .join(Dossier, Dossier.id == DossierStep.dossier_id)
        .where(
            DossierStep.done_at.is_(None),
            DossierStep.deadline_at < today_start,
            or_(DossierStep.started_at.is_(None), DossierStep.started_at <= ctx.now),
            Dossier.status.in_([int(s) for s in IN_PROGRESS]),
            *_scope(ctx, rule, unit),
        )
    )
    return [
        Candidate(
            key=alert_key(rule.name, SubjectKind.STEP, sid),
            subject_kind=SubjectKind.STEP,
            subject_id=str(sid),
            unit_id=uid,
            title=texts.step_overdue(code, unit_name, deadline),
            detail={
                "condition": Condition.STEP_OVERDUE.value,
                "dossier_code": code,
                "step_unit": unit_name,
                "deadline_at": deadline.isoformat() if deadline else None,
            },
        )
        for sid, code, uid, deadline, unit_name in ctx.session.execute(q)
    ]
