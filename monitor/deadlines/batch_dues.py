"""Due dates of a chunk's plain dossiers on arrays, for the batch evaluation: the legal due
(dues.legal_due, under both supplement policies), the appointment (dues.appointment) and what
the apology letters do to it (apologies.judge_apologies)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.calendar import DAY_S, VN_OFFSET_S, WorkCalendar
from monitor.calendar_arrays import add_working_days, due_after_receipt, working_days_between
from monitor.deadlines.batch_children import Letters, Requests
from monitor.deadlines.columns import NA, UNIT_CODE, Bools, Columns, Ints, day
from monitor.deadlines.facts import ApologyBasis, Policy, SupplementPolicy

WORKING_DAYS, CALENDAR_DAYS = UNIT_CODE["working_days"], UNIT_CODE["calendar_days"]
HOURS = UNIT_CODE["hours"]
NATIONAL, LEGAL = SupplementPolicy.NATIONAL, SupplementPolicy.LEGAL
RESET = ApologyBasis.RESET


@dataclass
class Dues:
    """The dates of a calendar group's rows (rules._evaluate up to the due status)."""

    legal: Ints
    appt: Ints
    effective: Ints
    basis: Ints  # the date lateness is judged against (apology_due_basis)
    too_late: Bools
    reset: Bools
    multiple: Bools


def dues_of(
    c: Columns,
    rows: Ints,
    cal: WorkCalendar,
    policy: Policy,
    req: Requests,
    letters: Letters,
) -> Dues:
    """dues.legal_due, dues.appointment and apologies.judge_apologies for ``rows`` of ``c``
    (plain rows sharing the calendar ``cal``)."""
    calendar_days = c.unit[rows] == CALENDAR_DAYS
    completed = [(r[rows], d[rows], nd[rows]) for r, d, nd in req.completed]
    legal = _legal_due(c, rows, cal, policy, req, completed)
    due = c.due[rows]
    for asked, done, new_due in completed:
        has = done != NA
        shifted = _shift_for_waiting(cal, due, asked, done, has & (due != NA), calendar_days)
        due = np.where(has & (new_due != NA), new_due, shifted)
    appt = np.where(due != NA, due, legal)
    issued = letters.issued[rows]
    first_day = day(letters.first_issued[rows])
    too_late = issued & (appt != NA) & (first_day >= day(appt))
    reset = issued & ~too_late & (letters.first_new_due[rows] != NA)
    effective = np.where(reset, letters.first_new_due[rows], appt)
    basis = effective if policy.apology_basis is RESET else appt
    multiple = (req.requested[rows] > 1) & (policy.supplements is NATIONAL)
    return Dues(legal, appt, effective, basis, too_late, reset, multiple)


def _legal_due(
    c: Columns,
    rows: Ints,
    cal: WorkCalendar,
    policy: Policy,
    req: Requests,
    completed: list[tuple[Ints, Ints, Ints]],
) -> Ints:
    legal = np.full(rows.size, NA, np.int64)
    amount, unit = c.amount[rows], c.unit[rows]
    hours = unit == HOURS
    has = (amount >= 0) & ((unit == WORKING_DAYS) | (unit == CALENDAR_DAYS) | hours)
    start = c.received[rows]
    restart = req.restart[rows]
    restarts = policy.supplements is LEGAL
    if restarts:  # the legal time counts again from the last complete dossier
        start = np.where(restart != NA, restart, start)
    if has.any():
        size = np.where(hours, np.round(amount * 3600), amount)[has].astype(np.int64)
        in_days, in_hours = unit[has] == CALENDAR_DAYS, hours[has]
        legal[has] = due_after_receipt(cal, start[has], c.paper[rows][has], size, in_days, in_hours)
    if not restarts:
        for asked, done, _new in completed:
            waited = has & (done != NA)
            legal = _shift_for_waiting(cal, legal, asked, done, waited, unit == CALENDAR_DAYS)
    return legal


def _shift_for_waiting(
    cal: WorkCalendar, due: Ints, asked: Ints, done: Ints, which: Bools, calendar_days: Bools
) -> Ints:
    """dues.shift_for_waiting on the rows ``which``: ``due`` moved back by the wait, in
    calendar time for calendar days, else in working days."""
    if not which.any():
        return due
    due, asked, done = due.copy(), asked[which], done[which]
    waited_days = working_days_between(cal, day(asked), day(done))
    d, sod = np.divmod(due[which] + VN_OFFSET_S, DAY_S)
    by_days = np.where(
        waited_days > 0,
        add_working_days(cal, d, np.maximum(waited_days, 0)) * DAY_S - VN_OFFSET_S + sod,
        due[which],
    )
    by_time = due[which] + np.maximum(0, done - asked)
    due[which] = np.where(calendar_days[which], by_time, by_days)
    return due
