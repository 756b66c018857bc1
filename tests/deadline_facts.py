"""Building deadline facts for tests from readable Vietnam-time strings."""

from __future__ import annotations

from datetime import datetime

from monitor.calendar import VN_TZ, WorkCalendar, from_instant, to_instant
from monitor.deadlines import (
    ApologyLetter,
    DossierFacts,
    Evaluation,
    Policy,
    Step,
    SupplementRequest,
    evaluate_at,
)
from monitor.enums import TimeUnit

CAL = WorkCalendar()


def at(text: str | None) -> int | None:
    """'2025-03-17 09:00' in Vietnam time, as epoch seconds."""
    if text is None:
        return None
    return to_instant(datetime.fromisoformat(text).replace(tzinfo=VN_TZ))


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def shown(instant: int | None) -> str | None:
    """Epoch seconds back to 'YYYY-MM-DD HH:MM' in Vietnam time."""
    return None if instant is None else from_instant(instant).strftime("%Y-%m-%d %H:%M")


def step(
    unit: str, deadline: str | None, done: str | None = None, started: str | None = None
) -> Step:
    return Step(unit, at(started), at(done), at(deadline))


def supplement(
    requested: str, completed: str | None, new_due: str | None = None
) -> SupplementRequest:
    return SupplementRequest(at(requested) or 0, at(completed), at(new_due))


def apology(issued: str, new_due: str | None) -> ApologyLetter:
    return ApologyLetter(at(issued) or 0, at(new_due))


def facts(
    received: str = "2025-03-03 09:00",
    *,
    status: int = 4,
    amount: float | None = 10,
    unit: str | None = "working_days",
    due: str | None = None,
    finished: str | None = None,
    returned: str | None = None,
    paper: bool = True,
    steps: tuple[Step, ...] = (),
    supplements: tuple[SupplementRequest, ...] = (),
    apologies: tuple[ApologyLetter, ...] = (),
) -> DossierFacts:
    return DossierFacts(
        status,
        at(received) or 0,
        paper,
        at(due),
        amount,
        TimeUnit(unit) if unit else None,
        at(finished),
        at(returned),
        steps,
        supplements,
        apologies,
    )


def evaluate(f: DossierFacts, now: str, policy: Policy | None = None) -> Evaluation:
    return evaluate_at(f, policy or Policy(), CAL, at(now) or 0)
