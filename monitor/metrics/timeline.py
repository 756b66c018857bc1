"""One dossier's timeline: its dates and the deadline engine's conclusions now, each step
against its own allotted time (the units responsible for a delay marked), supplement
requests, apology letters, the citizen's rating and the status history.

Who may open it: ``find_dossier`` looks a code up only among the dossiers the person's units
took part in (``monitor.metrics.scope.visible_in``). Personal data (applicant name, phone,
e-mail, ID number) comes back masked unless the caller says it may be revealed (admins only,
as in the exports).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from monitor.calendar import from_instant, local_date
from monitor.config import Settings
from monitor.db import session_scope
from monitor.deadlines import Evaluation
from monitor.deadlines.labels import BREACH_VI, DUE_STATUS_VI
from monitor.enums import STATUS_NAMES_VI, DossierStatus
from monitor.metrics import vi_labels as L
from monitor.metrics.fresh import evaluate_ids
from monitor.metrics.late import procedure_text
from monitor.metrics.scope import visible_in
from monitor.models import Dossier, DossierEvent, DossierStep, Field, Rating, Unit
from monitor.reports.masking import mask_email, mask_id_number, mask_name, mask_phone
from monitor.vi_format import moment

ENDED = frozenset({7, 8, 9, 10})
NOT_ACCEPTED = frozenset({1, 3})


@dataclass(frozen=True)
class Applicant:
    name: str
    phone: str
    email: str
    id_number: str
    masked: bool


@dataclass(frozen=True)
class StepLine:
    seq: int
    unit: str
    officer: str | None
    title: str | None
    content: str | None
    started_at: datetime | None
    done_at: datetime | None
    deadline_at: datetime | None
    verdict: str
    late: bool  # this step outran its allotted time: its unit carries (part of) a delay


@dataclass(frozen=True)
class SupplementLine:
    seq: int
    requested_at: datetime
    completed_at: datetime | None
    previous_due_at: datetime | None
    new_due_at: datetime | None


@dataclass(frozen=True)
class ApologyLine:
    seq: int
    issued_at: datetime
    new_due_at: datetime | None
    reason: str | None
    in_time: bool | None  # issued on a day before the appointment day (None: no appointment)


@dataclass(frozen=True)
class RatingLine:
    overall: int
    criteria: dict[str, int]  # criterion code -> level, answered ones only
    comment: str | None
    channel: str
    created_at: datetime


@dataclass(frozen=True)
class EventLine:
    at: datetime
    kind: str
    status: int | None


@dataclass(frozen=True)
class Timeline:
    id: int
    code: str
    procedure: str
    field: str
    unit: str
    receiving_unit: str
    channel: int
    status: int
    received_at: datetime
    source_due_at: datetime | None  # NgayHenTra as the source gave it
    finished_at: datetime | None
    returned_at: datetime | None
    evaluation: Evaluation | None
    applicant: Applicant
    steps: tuple[StepLine, ...]
    supplements: tuple[SupplementLine, ...]
    apologies: tuple[ApologyLine, ...]
    rating: RatingLine | None
    events: tuple[EventLine, ...]

    @property
    def status_text(self) -> str:
        try:
            return STATUS_NAMES_VI[DossierStatus(self.status)]
        except ValueError:
            return str(self.status)

    @property
    def due_status_text(self) -> str:
        return "" if self.evaluation is None else DUE_STATUS_VI[self.evaluation.due_status]

    @property
    def breach_texts(self) -> list[str]:
        return [] if self.evaluation is None else [BREACH_VI[b] for b in self.evaluation.breaches]

    @property
    def responsible_units(self) -> tuple[str, ...]:
        return () if self.evaluation is None else self.evaluation.responsible_units


def find_dossier(engine: Engine, code: str, unit_ids: Collection[int] | None) -> int | None:
    """The id of the dossier with this code that ``unit_ids`` may open (the most recently
    updated one if two sources share a code); None if there is none in the scope."""
    q = (
        select(Dossier.id)
        .where(Dossier.code == code.strip(), visible_in(unit_ids))
        .order_by(Dossier.updated_at.desc(), Dossier.id.desc())
        .limit(1)
    )
    with session_scope(engine) as s:
        return s.scalar(q)


def step_verdict(
    step: DossierStep, running: bool, end: datetime | None, now: datetime
) -> tuple[str, bool]:
    """The step's verdict against its own deadline, by date (docs/deadlines.md §7): judged at
    its done time; not done, at today while the dossier is in hand, else at the dossier's end."""
    if step.deadline_at is None:
        return L.STEP_NO_DEADLINE, False
    deadline = local_date(step.deadline_at)
    if step.done_at is not None and step.done_at <= now:
        done = local_date(step.done_at)
        if done > deadline:
            return L.STEP_LATE, True
        return (L.STEP_EARLY if done < deadline else L.STEP_ON_TIME), False
    if running:
        late = local_date(now) > deadline
        return (L.STEP_RUNNING_LATE if late else L.STEP_RUNNING), late
    if end is not None and local_date(end) > deadline:
        return L.STEP_LATE, True
    return L.STEP_NOT_DONE, False


def _end(d: Dossier) -> datetime | None:
    if d.status in (9, 10):
        return d.finished_at or d.returned_at
    return d.finished_at


def _steps(s: Session, d: Dossier, now: datetime) -> tuple[StepLine, ...]:
    ids = {st.unit_id for st in d.steps if st.unit_id is not None}
    rows = s.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all()
    names = {uid: name for uid, name in rows}
    running = d.status not in ENDED and d.status not in NOT_ACCEPTED
    out = []
    for st in d.steps:
        verdict, late = step_verdict(st, running, _end(d), now)
        unit = st.unit_name or names.get(st.unit_id or -1, "") or L.NO_UNIT
        out.append(
            StepLine(
                st.seq,
                unit,
                st.officer,
                st.title,
                st.content,
                st.started_at,
                st.done_at,
                st.deadline_at,
                verdict,
                late,
            )
        )
    return tuple(out)


def _apologies(d: Dossier, ev: Evaluation | None) -> tuple[ApologyLine, ...]:
    appointment = None
    if ev is not None and ev.due_at is not None:
        appointment = local_date(from_instant(ev.due_at))
    return tuple(
        ApologyLine(
            a.seq,
            a.issued_at,
            a.new_due_at,
            a.reason,
            None if appointment is None else local_date(a.issued_at) < appointment,
        )
        for a in d.apologies
    )


def _rating(s: Session, dossier_id: int) -> RatingLine | None:
    r = s.scalar(select(Rating).where(Rating.dossier_id == dossier_id))
    if r is None:
        return None
    codes = ("a", "b", "c", "d", "dd", "e", "g", "h", "i")
    criteria = {c: getattr(r, f"crit_{c}") for c in codes if getattr(r, f"crit_{c}") is not None}
    return RatingLine(r.overall, criteria, r.comment, r.channel, r.created_at)


def _applicant(d: Dossier, reveal: bool) -> Applicant:
    if reveal:
        return Applicant(
            d.applicant_name or "",
            d.applicant_phone or "",
            d.applicant_email or "",
            d.applicant_id_number or "",
            False,
        )
    return Applicant(
        mask_name(d.applicant_name),
        mask_phone(d.applicant_phone),
        mask_email(d.applicant_email),
        mask_id_number(d.applicant_id_number),
        True,
    )


def _name(s: Session, model: Any, ident: int | None, default: str) -> str:
    if ident is None:
        return default
    return str(s.scalar(select(model.name).where(model.id == ident)) or default)


def load_timeline(
    engine: Engine, settings: Settings, dossier_id: int, now: datetime, reveal_personal: bool
) -> Timeline | None:
    """Everything the timeline shows about one dossier, judged at ``now``."""
    ev = evaluate_ids(engine, settings, [dossier_id], now).get(dossier_id)
    with session_scope(engine) as s:
        d = s.scalar(
            select(Dossier)
            .where(Dossier.id == dossier_id)
            .options(
                selectinload(Dossier.steps),
                selectinload(Dossier.supplements),
                selectinload(Dossier.apologies),
            )
        )
        if d is None:
            return None
        events = s.scalars(
            select(DossierEvent)
            .where(DossierEvent.dossier_id == dossier_id)
            .order_by(DossierEvent.at, DossierEvent.id)
        )
        unit_id = d.resolving_unit_id or d.receiving_unit_id
        return Timeline(
            id=d.id,
            code=d.code,
            procedure=procedure_text(d.procedure_code, d.procedure_name),
            field=_name(s, Field, d.field_id, L.NO_FIELD),
            unit=_name(s, Unit, unit_id, L.NO_UNIT),
            receiving_unit=_name(s, Unit, d.receiving_unit_id, L.NO_UNIT),
            channel=d.channel,
            status=d.status,
            received_at=d.received_at,
            source_due_at=d.due_at,
            finished_at=d.finished_at,
            returned_at=d.returned_at,
            evaluation=ev,
            applicant=_applicant(d, reveal_personal),
            steps=_steps(s, d, now),
            supplements=tuple(
                SupplementLine(
                    x.seq, x.requested_at, x.completed_at, x.previous_due_at, x.new_due_at
                )
                for x in d.supplements
            ),
            apologies=_apologies(d, ev),
            rating=_rating(s, d.id),
            events=tuple(EventLine(e.at, e.kind, e.status) for e in events),
        )


def gantt_bars(timeline: Timeline, now: datetime) -> list[dict[str, Any]]:
    """Bars for ``charts.timeline_chart``: per started step its allotted time (start to its
    deadline) and the time it took (start to done, or to now while it runs)."""
    bars: list[dict[str, Any]] = []
    for st in timeline.steps:
        if st.started_at is None:
            continue
        label = f"{st.seq}. {st.unit}"
        if st.deadline_at is not None and st.deadline_at > st.started_at:
            bars.append(
                _bar(label, st.seq, L.STEP_ALLOTTED, L.STEP_ALLOTTED, st.started_at, st.deadline_at)
            )
        stop = st.done_at or (now if st.verdict in (L.STEP_RUNNING, L.STEP_RUNNING_LATE) else None)
        if stop is not None and stop > st.started_at:
            bars.append(_bar(label, st.seq, L.STEP_ACTUAL, st.verdict, st.started_at, stop))
    return bars


def _bar(
    step: str, order: int, kind: str, verdict: str, start: datetime, end: datetime
) -> dict[str, Any]:
    return {
        "step": step,
        "order": order,
        "kind": kind,
        "verdict": verdict,
        "start": start,
        "end": end,
        "text": f"{moment(start)} → {moment(end)}",
    }
