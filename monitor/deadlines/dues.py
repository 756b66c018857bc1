"""Due dates: the legal due (procedure time, supplement policy) and the appointment in force.

All functions are pure; instants are epoch seconds, days are epoch days in Vietnam.
"""

from __future__ import annotations

from monitor.calendar import DAY_S, VN_OFFSET_S, WorkCalendar
from monitor.deadlines.facts import (
    DossierFacts,
    Instant,
    Policy,
    SupplementPolicy,
    SupplementRequest,
)
from monitor.enums import TimeUnit

# Enum members are slow to look up on Python 3.11; aliases for the hot path.
LEGAL = SupplementPolicy.LEGAL
HOURS, CALENDAR_DAYS = TimeUnit.HOURS, TimeUnit.CALENDAR_DAYS


def day_of(t: Instant) -> int:
    """The Vietnamese calendar day (epoch day) of an instant."""
    return (t + VN_OFFSET_S) // DAY_S


def midnight(day: int) -> Instant:
    """The instant at which Vietnamese epoch day ``day`` begins."""
    return day * DAY_S - VN_OFFSET_S


def legal_due(
    f: DossierFacts, completed: list[SupplementRequest], policy: Policy, cal: WorkCalendar
) -> Instant | None:
    """The due time the procedure's legal time allows, or None if the time is unknown.

    The clock starts at receipt (next working morning after closing time, or after the
    afternoon cut-off for paper). Under the national policy each completed supplement request
    pushes the due back by the time the dossier waited for the citizen; under the legal policy
    the whole time restarts when the last complete dossier arrived.
    """
    amount, unit = f.legal_amount, f.legal_unit
    if amount is None or unit is None or amount < 0:
        return None
    try:
        if policy.supplements is LEGAL and completed:
            restart = max(s.completed_at for s in completed if s.completed_at is not None)
            return cal.due_after_receipt_s(restart, f.paper, amount, unit)
        due = cal.due_after_receipt_s(f.received_at, f.paper, amount, unit)
        for s in completed:
            due = shift_for_waiting(cal, due, s, unit)
        return due
    except ValueError:  # a date or amount outside the calendar's range: no legal due
        return None


def shift_for_waiting(
    cal: WorkCalendar, due: Instant, s: SupplementRequest, unit: TimeUnit | None
) -> Instant:
    """``due`` moved back by the time between the request and the complete dossier.

    The wait is measured in the procedure's own unit: working days between the two dates,
    office hours, or wall-clock time for calendar days.
    """
    assert s.completed_at is not None
    if unit == HOURS:
        waited = cal.working_seconds_between_s(s.requested_at, s.completed_at)
        return cal.add_working_hours_s(due, waited / 3600) if waited else due
    if unit == CALENDAR_DAYS:
        return due + max(0, s.completed_at - s.requested_at)
    days = cal.working_days_between_edays(day_of(s.requested_at), day_of(s.completed_at))
    if days <= 0:
        return due
    d, sod = divmod(due + VN_OFFSET_S, DAY_S)
    return cal.add_working_days_eday(d, days) * DAY_S - VN_OFFSET_S + sod


def appointment(
    f: DossierFacts, completed: list[SupplementRequest], legal: Instant | None, cal: WorkCalendar
) -> Instant | None:
    """The return date in force before any apology.

    The source's NgayHenTra; a completed supplement request replaces it with its NgayHenTraMoi,
    or, if it gives none, pushes it back by the wait. Without any appointment from the source,
    the legal due.
    """
    due = f.due_at
    if not completed:
        return legal if due is None else due
    for s in completed:
        if s.new_due_at is not None:
            due = s.new_due_at
        elif due is not None:
            due = shift_for_waiting(cal, due, s, f.legal_unit)
    return legal if due is None else due
