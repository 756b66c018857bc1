"""WorkCalendar's day arithmetic on numpy arrays of epoch days and epoch seconds.

The deadline engine evaluates a province at a time; these are the same lookups as the
``*_eday``/``*_s`` methods of ``WorkCalendar``, done for a whole array at once on the same day
table. Each function asks the calendar for a table covering every day it will look up, so a
caller only has to keep its days inside the calendar's years (``FIRST_YEAR``–``LAST_YEAR``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from monitor.calendar import DAY_S, VN_OFFSET_S, WorkCalendar
from monitor.calendar_table import DayTable

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# The arrays of a day table, built once per table: tables are shared by equal calendars and
# cached across runs (monitor.calendar._table), so these are too.
_ARRAYS: dict[int, tuple[DayTable, Any, Ints, Ints]] = {}


def _arrays(table: DayTable) -> tuple[Any, Ints, Ints]:
    """``working`` (bool), ``upto`` and ``workdays`` of a table as numpy arrays."""
    cached = _ARRAYS.get(id(table))
    if cached is None or cached[0] is not table:
        if len(_ARRAYS) > 64:
            _ARRAYS.clear()
        working = np.frombuffer(bytes(table.working), dtype=np.uint8).astype(np.bool_)
        upto = np.asarray(table.upto, dtype=np.int64)
        workdays = np.asarray(table.workdays, dtype=np.int64)
        cached = _ARRAYS[id(table)] = (table, working, upto, workdays)
    return cached[1], cached[2], cached[3]


def _table(cal: WorkCalendar, lo: int, hi: int) -> tuple[int, Any, Ints, Ints]:
    table = cal.table_covering(lo, hi)
    working, upto, workdays = _arrays(table)
    return table.first, working, upto, workdays


def due_after_receipt(
    cal: WorkCalendar,
    received: Ints,
    paper: Bools,
    amount: Ints,
    calendar_days: Bools,
    hours: Bools,
) -> Ints:
    """``cal.due_after_receipt_s`` element by element, for ``amount`` whole working days, or
    whole calendar days where ``calendar_days``, or ``amount`` seconds of office time (more
    than none) where ``hours``. Every array has the same length (not empty)."""
    d, sod = np.divmod(received + VN_OFFSET_S, DAY_S)
    span = np.where(hours, amount // cal.office_seconds_per_day + 1, amount)
    first, working, upto, workdays = _table(cal, int(d.min()) - 1, int((d + 2 * span).max()) + 40)
    opening, closing, cutoff = cal.office_seconds
    i = d - first
    k = upto[i]  # workdays[k] is the first working day after d
    today = working[i] & (sod < np.where(paper, cutoff, closing))
    # Working days: the clock starts on day d (at opening at the earliest) or the next morning.
    whole = np.where(hours, 0, amount)
    day = np.where(today, workdays[np.maximum(k + whole - 1, 0)], workdays[k + whole])
    day = np.where(today & (whole == 0), d, day)
    due = day * DAY_S - VN_OFFSET_S + np.where(today, np.maximum(sod, opening), opening)
    if not (calendar_days.any() or hours.any()):
        return due
    # The clock start as WorkCalendar.clock_start_s gives it.
    start = np.where(today, received, workdays[k] * DAY_S - VN_OFFSET_S + opening)
    start = np.where(working[i] & (sod < opening), d * DAY_S - VN_OFFSET_S + opening, start)
    if calendar_days.any():
        # Wall-clock time; ending on a day off, the period ends on the next working day at
        # the same time (BLDS 2015 art. 148).
        end = start + np.where(calendar_days, amount, 0) * DAY_S
        d2, sod2 = np.divmod(end + VN_OFFSET_S, DAY_S)
        j = d2 - first
        end = np.where(working[j], end, workdays[upto[j]] * DAY_S - VN_OFFSET_S + sod2)
        due = np.where(calendar_days, end, due)
    if hours.any():
        later = _add_office_seconds(cal, start, np.where(hours, amount, 1), first, workdays, upto)
        due = np.where(hours, later, due)
    return due


def _add_office_seconds(
    cal: WorkCalendar, start: Ints, seconds: Ints, first: int, workdays: Ints, upto: Ints
) -> Ints:
    """``cal.add_working_hours_s`` from a clock start (a time of a working day) for more than
    zero seconds: count the office time of the start's day already gone, add, and place the
    total on the working days that follow; a total that ends a shift ends at the shift's end."""
    d, sod = np.divmod(start + VN_OFFSET_S, DAY_S)
    shifts = cal.shift_seconds
    per_day = cal.office_seconds_per_day
    gone = sum(np.clip(sod - a, 0, b - a) for a, b in shifts)
    total = gone + seconds
    skip = (total - 1) // per_day
    into = total - skip * per_day  # office seconds into the last day, 1..per_day
    day = workdays[upto[d - first] - 1 + skip]  # d is a working day: it is workdays[upto - 1]
    clock = np.zeros_like(into)
    before = per_day
    for a, b in reversed(shifts):  # the first shift whose end the total reaches wins
        before -= b - a
        clock = np.where(into <= before + (b - a), a + into - before, clock)
    return day * DAY_S - VN_OFFSET_S + clock


def working_day_before(cal: WorkCalendar, days: Ints, n: int) -> Ints:
    """``cal.working_day_before_eday(d, n)`` for every day of ``days`` (not empty; n >= 1)."""
    first, working, upto, workdays = _table(cal, int(days.min()) - 2 * n - 31, int(days.max()))
    i = days - first
    return workdays[upto[i] - working[i] - n]


def working_days_between(cal: WorkCalendar, a: Ints, b: Ints) -> Ints:
    """``cal.working_days_between_edays(a, b)`` element by element (not empty)."""
    first, _working, upto, _workdays = _table(
        cal, int(min(a.min(), b.min())), int(max(a.max(), b.max()))
    )
    return upto[b - first] - upto[a - first]


def add_working_days(cal: WorkCalendar, days: Ints, n: Ints) -> Ints:
    """``cal.add_working_days_eday(d, n)`` element by element (not empty; n >= 0)."""
    first, _working, upto, workdays = _table(cal, int(days.min()), int((days + 2 * n).max()) + 31)
    later = workdays[np.maximum(upto[days - first] + n - 1, 0)]
    return np.where(n > 0, later, days)
