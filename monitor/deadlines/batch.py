"""The deadline engine over a chunk of dossiers at once, on numpy arrays.

``evaluate_at`` (rules.py) is the rule book, one dossier at a time; a full evaluation would
run it a million times. For the plain dossiers of a chunk — a legal time in whole working or
calendar days or whole seconds of office hours (or none), dates well inside the calendar's
years — this module computes the same stored conclusions (due status, legal and effective
due, breaches, responsible units, next change) with array arithmetic, supplement requests and
apology letters included (batch_dues.py, batch_children.py); every other dossier goes to
``evaluate_at`` itself. tests/test_deadlines_batch.py checks on generated dossiers that both
give the same answers, so rules.py stays the reference: a rule changed there must be changed
here too, or that test fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from monitor.calendar import DAY_S, FIRST_YEAR, LAST_YEAR, VN_OFFSET_S, WorkCalendar, to_instant
from monitor.calendar_arrays import working_day_before
from monitor.deadlines.batch_children import Letters, Requests, letters_of, requests_of, steps_of
from monitor.deadlines.batch_dues import Dues, dues_of
from monitor.deadlines.columns import (
    BREACH_BIT,
    NA,
    STATUS_CODE,
    UNIT_CODE,
    Bools,
    Columns,
    Ints,
    Outcome,
    day,
    facts_at,
    midnight,
)
from monitor.deadlines.facts import (
    NEVER,
    ApologyBasis,
    Evaluation,
    Instant,
    Policy,
    SupplementPolicy,
)
from monitor.deadlines.rules import evaluate_at
from monitor.enums import Breach, DueStatus

# Phases, as in rules.Phase, by TrangThaiHoSo 0..10 (codes outside are in hand).
OPEN, WAITING, FINISHED, WITHDRAWN, STOPPED, NOT_ACCEPTED = range(6)
_PHASE = np.array([0, 5, 0, 5, 0, 1, 1, 3, 4, 2, 2], dtype=np.int64)
_FIXED = np.array(
    [
        -1,
        STATUS_CODE[DueStatus.WAITING_CITIZEN],
        -1,
        STATUS_CODE[DueStatus.WITHDRAWN],
        STATUS_CODE[DueStatus.STOPPED],
        STATUS_CODE[DueStatus.NOT_ACCEPTED],
    ],
    dtype=np.int64,
)
EARLY, ON_TIME, LATE = (
    STATUS_CODE[s] for s in (DueStatus.EARLY, DueStatus.ON_TIME, DueStatus.LATE)
)
IN_TIME, DUE_SOON, OVERDUE = (
    STATUS_CODE[s] for s in (DueStatus.IN_TIME, DueStatus.DUE_SOON, DueStatus.OVERDUE)
)
NO_APOLOGY, TOO_LATE, SECOND, MISSED, INFLATED, MULTIPLE = (BREACH_BIT[b] for b in Breach)
WORKING_DAYS, CALENDAR_DAYS = UNIT_CODE["working_days"], UNIT_CODE["calendar_days"]
HOURS = UNIT_CODE["hours"]
NATIONAL, LEGAL = SupplementPolicy.NATIONAL, SupplementPolicy.LEGAL
RESET = ApologyBasis.RESET

# Plain dossiers keep their dates this far inside the calendar's years and their legal time
# under MAX_DAYS, so that no lookup can fall off the calendar (evaluate_at handles the rest).
_SAFE = (
    to_instant(datetime(FIRST_YEAR + 30, 1, 1, tzinfo=UTC)),
    to_instant(datetime(LAST_YEAR - 30, 1, 1, tzinfo=UTC)),
)
MAX_DAYS = 3660
MAX_DUE_SOON = 366


def evaluate_columns(
    c: Columns, calendars: Sequence[WorkCalendar], policy: Policy, now: Instant
) -> Outcome:
    """The conclusions about every row of ``c`` at ``now``; row i uses
    ``calendars[c.calendar[i]]``."""
    n = len(c)
    out = Outcome(
        status=np.zeros(n, np.int64),
        legal=np.full(n, NA, np.int64),
        effective=np.full(n, NA, np.int64),
        breaches=np.zeros(n, np.int64),
        next_change=np.full(n, NEVER, np.int64),
    )
    chunk = _Chunk.of(c, policy, now)
    for k, cal in enumerate(calendars):
        rows = np.flatnonzero(chunk.plain & (c.calendar == k))
        if rows.size:
            _dues_and_status(chunk, rows, cal, out)
    running = (chunk.phase == OPEN) | (chunk.phase == WAITING)
    first, step_next = steps_of(c, chunk.plain, running, chunk.end, now, out)
    dated = np.zeros(n, np.bool_)
    for child in (c.steps.row, c.supplements.row, c.apologies.row):
        dated[child] = True
    computed = chunk.plain & ((chunk.phase == OPEN) | dated)
    nxt = np.minimum(np.minimum(chunk.open_next, first), step_next)
    nxt = np.minimum(nxt, np.minimum(chunk.requests.ahead, chunk.letters.ahead))
    out.next_change = np.where(computed, nxt, out.next_change)
    for i, facts in facts_at(c, np.flatnonzero(~chunk.plain).tolist()):
        cal = calendars[int(c.calendar[i])]
        _store(out, i, evaluate_at(facts, policy, cal, now))
    return out


def plain_rows(c: Columns, policy: Policy, now: Instant) -> Bools:
    """The rows this module evaluates itself; the others go to ``evaluate_at``."""
    return _Chunk.of(c, policy, now).plain


@dataclass
class _Chunk:
    """What every calendar group of a chunk shares."""

    c: Columns
    policy: Policy
    now: Instant
    requests: Requests
    letters: Letters
    plain: Bools
    phase: Ints
    end: Ints
    open_next: Ints  # for dossiers in hand: the next day boundary or end that lies ahead

    @classmethod
    def of(cls, c: Columns, policy: Policy, now: Instant) -> _Chunk:
        requests = requests_of(c, now, _SAFE, MAX_DAYS * DAY_S)
        letters = letters_of(c, now, _SAFE)
        plain = _plain(c, policy, now) & requests.sane & letters.sane
        phase, end = _phases(c, now)
        return cls(
            c, policy, now, requests, letters, plain, phase, end, np.full(len(c), NEVER, np.int64)
        )


def _plain(c: Columns, policy: Policy, now: Instant) -> Bools:
    lo, hi = _SAFE
    if not lo <= now < hi or policy.due_soon_working_days > MAX_DUE_SOON:
        return np.zeros(len(c), np.bool_)
    plain = (c.received >= lo) & (c.received < hi)
    for t in (c.due, c.finished, c.returned):
        plain &= (t == NA) | ((t >= lo) & (t < hi))
    days = (c.unit == WORKING_DAYS) | (c.unit == CALENDAR_DAYS)
    whole = (c.amount == np.floor(c.amount)) & (c.amount <= MAX_DAYS)
    # Hours: whole seconds, more than none; and no supplement request, whose wait would be
    # counted in office hours too.
    seconds = c.amount * 3600
    hours = (c.unit == HOURS) & (seconds == np.floor(seconds)) & (c.amount > 0)
    hours &= c.amount <= MAX_DAYS * 8
    requested = np.zeros(len(c), np.bool_)
    requested[c.supplements.row] = True
    plain &= ~((c.unit == HOURS) & requested)
    return plain & ((c.amount < 0) | (c.unit == 0) | (days & whole) | hours)


def _phases(c: Columns, now: Instant) -> tuple[Ints, Ints]:
    """rules._phase for every row: the phase, and when a dossier that has ended ended."""
    inside = (c.status >= 0) & (c.status <= 10)
    phase = np.where(inside, _PHASE[np.clip(c.status, 0, 10)], OPEN)
    end = np.where((phase == FINISHED) & (c.finished == NA), c.returned, c.finished)
    end = np.where((phase == FINISHED) | (phase == WITHDRAWN) | (phase == STOPPED), end, NA)
    later = (end != NA) & (end > now)  # it ended after ``now``: then it was still in hand
    return np.where(later, OPEN, phase), np.where(later, NA, end)


def _dues_and_status(ch: _Chunk, rows: Ints, cal: WorkCalendar, out: Outcome) -> None:
    """Dues, due status, breaches and the day-boundary next changes of plain rows sharing
    one calendar."""
    dues = dues_of(ch.c, rows, cal, ch.policy, ch.requests, ch.letters)
    known = dues.basis != NA
    basis_day = np.where(known, day(dues.basis), 0)
    soon = _soon_from(cal, basis_day, known, ch.policy.due_soon_working_days)
    today = (ch.now + VN_OFFSET_S) // DAY_S
    phase, end = ch.phase[rows], ch.end[rows]
    out.legal[rows] = dues.legal
    out.effective[rows] = dues.effective
    out.status[rows] = _status(phase, end, known, basis_day, soon, today, dues.multiple)
    out.breaches[rows] = _breaches(ch, rows, dues, today)
    moments = [ch.c.finished[rows], ch.c.returned[rows]]
    moments += [np.where(known, midnight(soon), NA), np.where(known, midnight(basis_day + 1), NA)]
    moments += [_next_midnight(dues.appt), _next_midnight(np.where(dues.reset, dues.effective, NA))]
    first = np.full(rows.size, NEVER, np.int64)
    for t in moments:
        first = np.where((t != NA) & (t > ch.now) & (t < first), t, first)
    ch.open_next[rows] = np.where(phase == OPEN, first, NEVER)


def _next_midnight(t: Ints) -> Ints:
    """The start of the day after ``t`` (NA stays NA)."""
    return np.where(t != NA, midnight(day(t) + 1), NA)


def _soon_from(cal: WorkCalendar, due_day: Ints, known: Bools, n: int) -> Ints:
    """rules._soon_from for the rows with a due date (the others keep ``due_day``)."""
    if n <= 0 or not known.any():
        return due_day
    soon = due_day.copy()
    soon[known] = working_day_before(cal, due_day[known], n)
    return soon


def _status(
    phase: Ints,
    end: Ints,
    known: Bools,
    due_day: Ints,
    soon: Ints,
    today: int,
    multiple: Bools,
) -> Ints:
    """rules._due_status (``due_day`` is the day judged against)."""
    done = day(end)
    judged = (end != NA) & known
    finished = np.where(
        multiple | (judged & (done > due_day)),
        LATE,
        np.where(judged & (done < due_day), EARLY, ON_TIME),
    )
    in_hand = np.where(
        multiple | (known & (today > due_day)),
        OVERDUE,
        np.where(known & (today >= soon), DUE_SOON, IN_TIME),
    )
    fixed = _FIXED[phase]
    return np.where(phase == FINISHED, finished, np.where(phase == OPEN, in_hand, fixed))


def _breaches(ch: _Chunk, rows: Ints, dues: Dues, today: int) -> Ints:
    """rules._breaches, as bits."""
    phase, end = ch.phase[rows], ch.end[rows]
    judged = np.where(phase == OPEN, today, np.where(end != NA, day(end), NA))
    judged = np.where((phase == OPEN) | (phase == FINISHED), judged, NA)
    known = dues.appt != NA
    appt_day = day(dues.appt)
    issued = ch.letters.issued[rows]
    late = (judged != NA) & known & (judged > appt_day)
    missed = dues.reset & (judged != NA) & (judged > day(dues.effective))
    inflated = known & (dues.legal != NA) & (appt_day > day(dues.legal))
    found = (
        np.where(late & ~issued, NO_APOLOGY, 0)
        | np.where(issued & dues.too_late, TOO_LATE, 0)
        | np.where(issued & ch.letters.second[rows], SECOND, 0)
        | np.where(missed, MISSED, 0)
        | np.where(inflated, INFLATED, 0)
        | np.where(dues.multiple, MULTIPLE, 0)
    )
    return np.where(phase == NOT_ACCEPTED, 0, found)


def _store(out: Outcome, i: int, ev: Evaluation) -> None:
    out.status[i] = STATUS_CODE[ev.due_status]
    out.legal[i] = NA if ev.legal_due_at is None else ev.legal_due_at
    out.effective[i] = NA if ev.effective_due_at is None else ev.effective_due_at
    bits = 0
    for b in ev.breaches:
        bits |= BREACH_BIT[b]
    out.breaches[i] = bits
    out.next_change[i] = ev.next_change_at
    if ev.responsible_units:
        out.units[i] = ev.responsible_units
