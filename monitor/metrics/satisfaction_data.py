"""The satisfaction figures of a period and unit scope, read from the database and scored by
``monitor.metrics.satisfaction``: per unit, per counter and per officer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, case, exists, func, or_, select, true

from monitor.calendar import day_start
from monitor.db import session_scope
from monitor.enums import FINISHED, DueStatus
from monitor.metrics.satisfaction import (
    AGENCY_GRADE_VI,
    CRITERIA,
    OFFICER_GRADE_VI,
    RateSummary,
    RatingFacts,
    Score766,
    agency_grade,
    agency_total,
    index_scores,
    officer_grade,
    officer_total,
    rate_summary,
    score_766,
)
from monitor.models import Dossier, Feedback, KioskDevice, Officer, Rating, Unit

NEGATIVE = "negative"  # the NLP sentiment label of a complaint
NO_UNIT = "Chưa xác định đơn vị"


@dataclass(frozen=True)
class Scored:
    """One unit's or officer's satisfaction: rates, TT 01/2018 indices, total and grade."""

    code: str
    name: str
    rates: RateSummary
    indices: dict[int, float]
    total: float | None
    grade: str | None  # AgencyGrade / OfficerGrade value
    grade_vi: str | None
    s766: Score766 | None = None
    is_unit: bool = True  # units carry the 766 score; officers do not

    def as_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            **self.rates.as_json(),
            "indices": {str(i): v for i, v in self.indices.items()},
            "total": self.total,
            "grade": self.grade,
            "grade_vi": self.grade_vi,
        }
        if self.is_unit:
            doc["score_766"] = None if self.s766 is None else self.s766.as_json()
        return doc


@dataclass(frozen=True)
class CounterRates:
    unit_code: str
    unit_name: str
    counter: str
    rates: RateSummary

    def as_json(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "counter": self.counter,
            **self.rates.as_json(),
        }


@dataclass
class SatisfactionSummary:
    start: date
    end: date
    overall: RateSummary
    units: list[Scored] = field(default_factory=list)
    counters: list[CounterRates] = field(default_factory=list)
    officers: list[Scored] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "overall": self.overall.as_json(),
            "units": [u.as_json() for u in self.units],
            "counters": [c.as_json() for c in self.counters],
            "officers": [o.as_json() for o in self.officers],
        }


@dataclass(frozen=True, slots=True)
class _Row:
    unit_id: int | None
    officer_id: int | None
    counter: str | None
    counter_unit_id: int | None  # the centre the counter stands in: the device's unit
    facts: RatingFacts


def _in(column: Any, ids: Collection[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(sorted(ids))


def _ratings(
    engine: Engine, start: date, end: date, unit_ids: Collection[int] | None
) -> list[_Row]:
    cols = [getattr(Rating, f"crit_{c}") for c in CRITERIA]
    q = (
        select(
            Rating.unit_id,
            Rating.officer_id,
            Rating.counter,
            func.coalesce(KioskDevice.unit_id, Rating.unit_id),
            Rating.dossier_id,
            Rating.overall,
            *cols,
        )
        .outerjoin(KioskDevice, KioskDevice.id == Rating.device_id)
        .where(
            Rating.created_at >= day_start(start),
            Rating.created_at < day_start(end + timedelta(days=1)),
            _in(Rating.unit_id, unit_ids),
        )
    )
    with session_scope(engine) as s:
        rows = s.execute(q).all()
    return [
        _Row(
            r[0],
            r[1],
            r[2],
            r[3],
            RatingFacts(r[5], dict(zip(CRITERIA, r[6:], strict=True)), r[4] is not None),
        )
        for r in rows
    ]


def dossier_outcomes(
    engine: Engine, start: date, end: date, unit_ids: Collection[int] | None
) -> dict[int | None, tuple[int, int, int]]:
    """Per unit: dossiers finished in the period, how many late, how many with a complaint or
    a negative rating (each dossier counted once in each)."""
    unit = func.coalesce(Dossier.resolving_unit_id, Dossier.receiving_unit_id)
    negative_rating = exists().where(and_(Rating.dossier_id == Dossier.id, Rating.overall == 1))
    sentiment = func.coalesce(Feedback.human_sentiment, Feedback.sentiment)
    # A set computed once, not a correlated EXISTS: feedback has no index on dossier_id, and
    # probing it per finished dossier took seconds on the demo province.
    complaint = Dossier.id.in_(
        select(Feedback.dossier_id).where(Feedback.dossier_id.is_not(None), sentiment == NEGATIVE)
    )
    late = func.sum(case((Dossier.due_status == DueStatus.LATE.value, 1), else_=0))
    complained = func.sum(case((or_(negative_rating, complaint), 1), else_=0))
    q = (
        select(unit, func.count(), late, complained)
        .where(
            Dossier.status.in_([int(s) for s in FINISHED]),
            Dossier.finished_at >= day_start(start),
            Dossier.finished_at < day_start(end + timedelta(days=1)),
            _in(unit, unit_ids),
        )
        .group_by(unit)
    )
    with session_scope(engine) as s:
        return {u: (int(n), int(lt or 0), int(c or 0)) for u, n, lt, c in s.execute(q).all()}


def _names(
    engine: Engine, model: type[Unit] | type[Officer], ids: set[int]
) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    with session_scope(engine) as s:
        rows = s.execute(select(model.id, model.code, model.name).where(model.id.in_(sorted(ids))))
        return {i: (code, name) for i, code, name in rows}


def _score_units(
    groups: dict[int | None, list[RatingFacts]],
    outcomes: dict[int | None, tuple[int, int, int]],
    names: dict[int, tuple[str, str]],
) -> list[Scored]:
    out = []
    for uid in set(groups) | set(outcomes):
        facts = groups.get(uid, [])
        scores = index_scores(facts)
        total = agency_total(scores)
        grade = None if total is None else agency_grade(total)
        code, name = names.get(uid, ("", NO_UNIT)) if uid is not None else ("", NO_UNIT)
        s766 = score_766(*outcomes[uid]) if uid in outcomes else None
        vi = None if grade is None else AGENCY_GRADE_VI[grade]
        out.append(Scored(code, name, rate_summary(facts), scores, total, grade, vi, s766))
    return sorted(out, key=lambda s: (s.name, s.code))


def _score_officers(
    groups: dict[int, list[RatingFacts]], names: dict[int, tuple[str, str]]
) -> list[Scored]:
    out = []
    for oid, facts in groups.items():
        scores = {i: v for i, v in index_scores(facts).items() if i in (1, 2, 3, 4, 7)}
        total = officer_total(scores)
        grade = None if total is None else officer_grade(total)
        code, name = names.get(oid, ("", ""))
        vi = None if grade is None else OFFICER_GRADE_VI[grade]
        out.append(Scored(code, name, rate_summary(facts), scores, total, grade, vi, None, False))
    return sorted(out, key=lambda s: (s.name, s.code))


def _counters(rows: Sequence[_Row], names: dict[int, tuple[str, str]]) -> list[CounterRates]:
    groups: dict[tuple[int | None, str], list[RatingFacts]] = defaultdict(list)
    for r in rows:
        if r.counter:
            groups[(r.counter_unit_id, r.counter)].append(r.facts)
    out = []
    for (uid, counter), facts in groups.items():
        code, name = names.get(uid, ("", NO_UNIT)) if uid is not None else ("", NO_UNIT)
        out.append(CounterRates(code, name, counter, rate_summary(facts)))
    return sorted(out, key=lambda c: (c.unit_name, c.counter))


def summarise(
    engine: Engine, start: date, end: date, unit_ids: Collection[int] | None = None
) -> SatisfactionSummary:
    """Ratings made and dossiers finished from ``start`` to ``end`` (Vietnamese days, both
    included), within ``unit_ids`` (None: everywhere)."""
    rows = _ratings(engine, start, end, unit_ids)
    outcomes = dossier_outcomes(engine, start, end, unit_ids)
    by_unit: dict[int | None, list[RatingFacts]] = defaultdict(list)
    by_officer: dict[int, list[RatingFacts]] = defaultdict(list)
    for r in rows:
        by_unit[r.unit_id].append(r.facts)
        if r.officer_id is not None:
            by_officer[r.officer_id].append(r.facts)
    counter_units = (r.counter_unit_id for r in rows)
    unit_ids_seen = {u for u in (*by_unit, *outcomes, *counter_units) if u is not None}
    unit_names = _names(engine, Unit, unit_ids_seen)
    return SatisfactionSummary(
        start,
        end,
        rate_summary(r.facts for r in rows),
        _score_units(by_unit, outcomes, unit_names),
        _counters(rows, unit_names),
        _score_officers(by_officer, _names(engine, Officer, set(by_officer))),
    )
