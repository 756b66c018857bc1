"""One dossier's due status, breaches, responsible units and next change, from its facts.

``evaluate_dossier`` is pure: the moment of evaluation is passed in, and facts dated after it
are treated as not yet known, so evaluating "as of" a past moment gives what could have been
known then. Dates are compared by Vietnamese calendar day, as the official reports do.
Comparisons work on epoch days (``day_of``), each computed once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from enum import Enum

from monitor.calendar import DAY_S, FIRST_YEAR, LAST_YEAR, VN_OFFSET_S, WorkCalendar, to_instant
from monitor.deadlines.apologies import ApologyOutcome, judge_apologies
from monitor.deadlines.dues import appointment, day_of, legal_due, midnight
from monitor.deadlines.facts import (
    NEVER,
    ApologyBasis,
    DossierFacts,
    Evaluation,
    Instant,
    Policy,
    SupplementPolicy,
    SupplementRequest,
)
from monitor.deadlines.responsibility import late_step_deadlines, responsible_units
from monitor.enums import Breach, DueStatus


class Phase(Enum):
    OPEN = "open"  # accepted, in hand (status 2, 4; or ended only after the as-of time)
    WAITING = "waiting"  # 5, 6: the clock is the citizen's
    FINISHED = "finished"  # 9, 10
    WITHDRAWN = "withdrawn"  # 7
    STOPPED = "stopped"  # 8
    NOT_ACCEPTED = "not_accepted"  # 1, 3


# Looking up an enum member costs ~0.3 µs on Python 3.11 (members are descriptors there); the
# hot path below runs a million times per evaluation, so it uses module-level aliases.
OPEN, WAITING, FINISHED = Phase.OPEN, Phase.WAITING, Phase.FINISHED
NOT_ACCEPTED = Phase.NOT_ACCEPTED
EARLY, ON_TIME, LATE = DueStatus.EARLY, DueStatus.ON_TIME, DueStatus.LATE
IN_TIME, DUE_SOON, OVERDUE = DueStatus.IN_TIME, DueStatus.DUE_SOON, DueStatus.OVERDUE
NATIONAL, RESET = SupplementPolicy.NATIONAL, ApologyBasis.RESET
B_NO_APOLOGY, B_TOO_LATE = Breach.LATE_WITHOUT_APOLOGY, Breach.APOLOGY_TOO_LATE
B_SECOND, B_MISSED = Breach.SECOND_RESCHEDULE, Breach.MISSED_NEW_DUE
B_INFLATED, B_MULTIPLE = Breach.INFLATED_APPOINTMENT, Breach.MULTIPLE_SUPPLEMENTS

_FIXED_STATUS = {
    Phase.WAITING: DueStatus.WAITING_CITIZEN,
    Phase.WITHDRAWN: DueStatus.WITHDRAWN,
    Phase.STOPPED: DueStatus.STOPPED,
    Phase.NOT_ACCEPTED: DueStatus.NOT_ACCEPTED,
}
# TrangThaiHoSo -> phase; 2, 4 and unknown codes are in hand.
_PHASE_OF_STATUS = {
    1: NOT_ACCEPTED,
    3: NOT_ACCEPTED,
    5: WAITING,
    6: WAITING,
    7: Phase.WITHDRAWN,
    8: Phase.STOPPED,
    9: FINISHED,
    10: FINISHED,
}
# Instants the calendar can place (its years, less a margin for looking ahead).
_SANE = (
    to_instant(datetime(FIRST_YEAR + 1, 1, 1, tzinfo=UTC)),
    to_instant(datetime(LAST_YEAR - 1, 1, 1, tzinfo=UTC)),
)
_NONE: list[SupplementRequest] = []


def evaluate_dossier(
    facts: DossierFacts, policy: Policy, calendar: WorkCalendar, now: datetime
) -> Evaluation:
    """The conclusions about a dossier at ``now`` (an aware datetime)."""
    return evaluate_at(facts, policy, calendar, to_instant(now))


def evaluate_at(f: DossierFacts, policy: Policy, cal: WorkCalendar, now: Instant) -> Evaluation:
    """``evaluate_dossier`` with ``now`` in epoch seconds (the bulk path)."""
    try:
        return _evaluate(f, policy, cal, now)
    except ValueError:  # a date the calendar cannot place (a typo at the source)
        return _evaluate(_without_wild_dates(f), policy, cal, now)


def _evaluate(f: DossierFacts, policy: Policy, cal: WorkCalendar, now: Instant) -> Evaluation:
    phase, end = _phase(f, now)
    requested = completed = _NONE
    if f.supplements:
        requested = [s for s in f.supplements if s.requested_at <= now]
        completed = [s for s in requested if s.completed_at is not None and s.completed_at <= now]
    legal = legal_due(f, completed, policy, cal)
    appt = appointment(f, completed, legal, cal)
    apology = judge_apologies(f.apologies, appt, now) if f.apologies else None
    effective = appt if apology is None else apology.effective_due
    multiple = len(requested) > 1 and policy.supplements is NATIONAL
    basis = effective if policy.apology_basis is RESET else appt
    # Days are compared, not instants (epoch days in Vietnam; see dues.day_of).
    today = (now + VN_OFFSET_S) // DAY_S
    basis_day = None if basis is None else (basis + VN_OFFSET_S) // DAY_S
    status, days_late = _due_status(phase, basis_day, end, today, multiple, policy, cal)
    judged = None  # the day lateness is judged on: when processing ended, or today
    if phase is OPEN:
        judged = today
    elif phase is FINISHED and end is not None:
        judged = (end + VN_OFFSET_S) // DAY_S
    breaches = _breaches(phase, judged, appt, legal, apology, multiple)
    units: tuple[str, ...] = ()
    if f.steps:
        units = responsible_units(f.steps, phase is OPEN or phase is WAITING, end, now)
    nxt = NEVER  # unless it is in hand, or has dated facts that may lie ahead
    if phase is OPEN or f.supplements or f.apologies or f.steps:
        nxt = _next_change(f, phase, now, basis_day, appt, apology, policy, cal)
    return Evaluation(status, appt, legal, effective, breaches, units, nxt, days_late)


def _phase(f: DossierFacts, now: Instant) -> tuple[Phase, Instant | None]:
    """Where the dossier stands at ``now`` and, if it has ended, when."""
    phase = _PHASE_OF_STATUS.get(f.status, OPEN)
    if phase is OPEN or phase is WAITING or phase is NOT_ACCEPTED:
        return phase, None
    end = f.finished_at
    if end is None and phase is FINISHED:
        end = f.returned_at
    if end is not None and end > now:  # it ended later: at ``now`` it was still in hand
        return OPEN, None
    return phase, end


def _due_status(
    phase: Phase,
    due: int | None,
    end: Instant | None,
    today: int,
    multiple: bool,
    policy: Policy,
    cal: WorkCalendar,
) -> tuple[DueStatus, int]:
    """The due status and the working days late, ``due`` being the day judged against.

    Without a due date nothing can be late, except by the national rule that more than one
    supplement request makes a dossier late.
    """
    if phase is FINISHED:
        if end is None or due is None:
            return (LATE if multiple else ON_TIME), 0
        done = day_of(end)
        if multiple or done > due:
            return LATE, _days_late(cal, due, done)
        return (EARLY if done < due else ON_TIME), 0
    if phase is OPEN:
        if due is None:
            return (OVERDUE if multiple else IN_TIME), 0
        if multiple or today > due:
            return OVERDUE, _days_late(cal, due, today)
        if today >= _soon_from(cal, due, policy.due_soon_working_days):
            return DUE_SOON, 0
        return IN_TIME, 0
    return _FIXED_STATUS[phase], 0


def _days_late(cal: WorkCalendar, due: int, day: int) -> int:
    """Working days after the due date up to ``day``; a day off after the due date counts 1."""
    if day <= due:
        return 0
    return max(1, cal.working_days_between_edays(due, day))


def _soon_from(cal: WorkCalendar, due: int, n: int) -> int:
    """The first day on which a dossier due on day ``due`` is due soon: from then on the due
    date is at most ``n`` working days ahead (on the due date itself it always is)."""
    return due if n <= 0 else cal.working_day_before_eday(due, n)


def _breaches(
    phase: Phase,
    judged: int | None,
    appt: Instant | None,
    legal: Instant | None,
    apology: ApologyOutcome | None,
    multiple: bool,
) -> tuple[Breach, ...]:
    """Breaches in the order of the Breach enum; ``judged`` is the day lateness is judged on
    (when processing ended, or today while it goes on; None when lateness does not apply)."""
    if phase is NOT_ACCEPTED:
        return ()
    found: list[Breach] = []
    appt_day = None if appt is None else (appt + VN_OFFSET_S) // DAY_S
    issued = apology is not None and apology.issued
    if judged is not None and appt_day is not None and judged > appt_day and not issued:
        found.append(B_NO_APOLOGY)
    if apology is not None and issued:
        if apology.too_late:
            found.append(B_TOO_LATE)
        if apology.second:
            found.append(B_SECOND)
        new_due = apology.effective_due
        if (
            apology.reset
            and judged is not None
            and new_due is not None
            and judged > day_of(new_due)
        ):
            found.append(B_MISSED)
    if appt_day is not None and legal is not None and appt_day > (legal + VN_OFFSET_S) // DAY_S:
        found.append(B_INFLATED)
    if multiple:
        found.append(B_MULTIPLE)
    return tuple(found) if found else ()


def _next_change(
    f: DossierFacts,
    phase: Phase,
    now: Instant,
    basis_day: int | None,
    appt: Instant | None,
    apology: ApologyOutcome | None,
    policy: Policy,
    cal: WorkCalendar,
) -> Instant:
    """The earliest moment after ``now`` at which any conclusion can change without new facts:
    a fact dated in the future becoming known, or a day boundary that a comparison crosses."""
    first = _first_future_fact(f, now)
    if phase is OPEN:
        # It ends later (finished after ``now``): then it is judged as ended.
        moments = [t for t in (f.finished_at, f.returned_at) if t is not None and t > now]
        days = []
        if basis_day is not None:
            days += [_soon_from(cal, basis_day, policy.due_soon_working_days), basis_day + 1]
        if appt is not None:
            days.append(day_of(appt) + 1)  # late against the appointment: apology breaches
        if apology is not None and apology.reset and apology.effective_due is not None:
            days.append(day_of(apology.effective_due) + 1)  # missed_new_due
        moments += [midnight(d) for d in days]
        first = min([first, *(t for t in moments if t > now)])
    if (phase is OPEN or phase is WAITING) and f.steps:
        for d in late_step_deadlines(f.steps, now):
            if now < midnight(d + 1) < first:
                first = midnight(d + 1)
    return first


def _first_future_fact(f: DossierFacts, now: Instant) -> Instant:
    """When the first supplement request, letter or step dated after ``now`` becomes known
    (NEVER if none); a step without a deadline never matters."""
    first = NEVER
    for s in f.supplements:
        for t in (s.requested_at, s.completed_at):
            if t is not None and now < t < first:
                first = t
    for a in f.apologies:
        if now < a.issued_at < first:
            first = a.issued_at
    for st in f.steps:
        if st.deadline_at is not None:
            for t in (st.started_at, st.done_at):
                if t is not None and now < t < first:
                    first = t
    return first


def _without_wild_dates(f: DossierFacts) -> DossierFacts:
    """The facts with every date the calendar cannot place dropped (or set to unknown)."""
    lo, hi = _SANE

    def ok(t: Instant | None) -> Instant | None:
        return t if t is not None and lo <= t < hi else None

    return replace(
        f,
        due_at=ok(f.due_at),
        finished_at=ok(f.finished_at),
        returned_at=ok(f.returned_at),
        legal_amount=f.legal_amount if ok(f.received_at) else None,
        supplements=tuple(
            replace(s, completed_at=ok(s.completed_at), new_due_at=ok(s.new_due_at))
            for s in f.supplements
            if ok(s.requested_at) is not None
        ),
        apologies=tuple(
            replace(a, new_due_at=ok(a.new_due_at)) for a in f.apologies if ok(a.issued_at)
        ),
    )
