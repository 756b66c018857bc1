"""Vietnam's working calendar (DOMAIN.md §3) and deadline arithmetic in Asia/Ho_Chi_Minh.

Working days are Monday–Friday minus public holidays (seeded from ``holidays.VN``) plus
overrides: extra days off and extra working days (make-up Saturdays), everywhere or for one
office. Arithmetic is done on local wall-clock time; callers pass aware datetimes in any zone
and get aware datetimes back in Vietnam time.

Day arithmetic runs on a table of whole years built on first use (which days are worked and
how many working days precede each day), so adding N working days is one list lookup: the
deadline engine does this for a million dossiers at a time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from monitor.calendar_table import DayTable
from monitor.enums import TimeUnit
from monitor.holidays_vn import (
    MAKE_UP_SATURDAYS,
    holiday_names,
    holiday_weekend_workdays,
    public_holidays,
)
from monitor.vntime import (
    DAY_S,
    EPOCH_ORDINAL,
    VN_OFFSET_S,
    VN_TZ,
    day_start,
    from_eday,
    from_instant,
    local,
    local_date,
    to_eday,
    to_instant,
)

__all__ = [
    "DAY_S",
    "DEFAULT_SHIFTS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAKE_UP_SATURDAYS",
    "VN_OFFSET_S",
    "VN_TZ",
    "WorkCalendar",
    "day_start",
    "from_eday",
    "from_instant",
    "holiday_names",
    "holiday_weekend_workdays",
    "local",
    "local_date",
    "public_holidays",
    "to_eday",
    "to_instant",
]
DEFAULT_SHIFTS: tuple[tuple[time, time], ...] = (
    (time(7, 0), time(11, 30)),
    (time(13, 30), time(17, 0)),
)
# The calendar refuses dates outside these years: a typo like amount=1e9 must not try to build
# a table of millions of years.
FIRST_YEAR, LAST_YEAR = 1976, 2200

# Enum members are slow to look up on Python 3.11; aliases for the engine's hot path.
_WORKING_DAYS, _CALENDAR_DAYS, _HOURS = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.HOURS,
)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked, and office hours. Immutable; build one per scope.

    Two faces over one implementation: dates and aware datetimes for people and tests, and
    epoch days / epoch seconds (``*_eday``, ``*_s``) for the deadline engine's hot loop.
    Instants are whole seconds: the sources record no finer time.
    """

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset(MAKE_UP_SATURDAYS)
    shifts: tuple[tuple[time, time], ...] = DEFAULT_SHIFTS
    paper_cutoff: time = time(15, 0)
    # A one-element holder: the table is replaced, never modified (see DayTable).
    _index: list[DayTable] = field(
        default_factory=lambda: [DayTable.empty()], compare=False, repr=False
    )

    # -- days, epoch-day face -----------------------------------------------------------------

    def _compute_working(self, day: date) -> bool:
        return _is_working(day, self.extra_days_off, self.extra_working_days)

    def _covering(self, lo: int, hi: int) -> DayTable:
        idx = self._index[0]
        if idx.first <= lo and hi <= idx.last:
            return idx
        years = [_year_of(lo), _year_of(hi)]
        if idx.last >= idx.first:
            years += [_year_of(idx.first), _year_of(idx.last)]
        if min(years) < FIRST_YEAR or max(years) > LAST_YEAR:
            raise ValueError(f"ngày nằm ngoài phạm vi lịch hỗ trợ ({FIRST_YEAR}–{LAST_YEAR})")
        # A margin, so that neighbouring lookups need no new table, rounded out to whole
        # decades, so that the calendars of the next evaluation find this table in the cache.
        first = (min(years) - 3) // 10 * 10
        last = (max(years) + 3) // 10 * 10 + 9
        idx = _table(
            self.extra_days_off,
            self.extra_working_days,
            max(FIRST_YEAR, first),
            min(LAST_YEAR, last),
        )
        self._index[0] = idx
        return idx

    def table_covering(self, lo: int, hi: int) -> DayTable:
        """The day table, grown if needed to cover epoch days ``lo``..``hi`` (for array
        arithmetic over many days at once, see ``monitor.calendar_arrays``)."""
        return self._covering(lo, hi)

    def is_working_eday(self, d: int) -> bool:
        idx = self._covering(d, d)
        return bool(idx.working[d - idx.first])

    def add_working_days_eday(self, d: int, n: int) -> int:
        """The n-th working day after epoch day ``d`` (n = 0 gives ``d`` itself)."""
        if n <= 0:
            if n < 0:
                raise ValueError("n must not be negative")
            return d
        # n working days always fit in 2n + 30 calendar days, Tết included.
        idx = self._covering(d, d + 2 * n + 30)
        return idx.workdays[idx.upto[d - idx.first] + n - 1]

    def working_day_before_eday(self, d: int, n: int = 1) -> int:
        """The n-th working day strictly before epoch day ``d`` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        idx = self._covering(d - 2 * n - 30, d)
        i = d - idx.first
        return idx.workdays[idx.upto[i] - idx.working[i] - n]

    def working_days_between_edays(self, a: int, b: int) -> int:
        """Working days in (a, b]; negative when b < a."""
        if b < a:
            return -self.working_days_between_edays(b, a)
        idx = self._covering(a, b)
        return idx.upto[b - idx.first] - idx.upto[a - idx.first]

    # -- days, date face ----------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return self.is_working_eday(to_eday(day))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return from_eday(self.add_working_days_eday(to_eday(day), 1))

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days_to_date(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n >= 0; n = 0 gives ``day`` itself)."""
        return from_eday(self.add_working_days_eday(to_eday(day), n))

    def working_day_before(self, day: date, n: int = 1) -> date:
        """The n-th working day strictly before ``day`` (n >= 1)."""
        return from_eday(self.working_day_before_eday(to_eday(day), n))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end < start."""
        return self.working_days_between_edays(to_eday(start), to_eday(end))

    # -- office hours, epoch-second face ------------------------------------------------------

    @property
    def opening(self) -> time:
        return self.shifts[0][0]

    @property
    def closing(self) -> time:
        return self.shifts[-1][1]

    @property
    def hours_per_day(self) -> float:
        return self._seconds_per_day / 3600

    @functools.cached_property
    def _shift_seconds(self) -> tuple[tuple[int, int], ...]:
        return tuple((_secs(a), _secs(b)) for a, b in self.shifts)

    @functools.cached_property
    def _seconds_per_day(self) -> int:
        return sum(b - a for a, b in self._shift_seconds)

    def clock_start_s(self, received: int, paper: bool = False) -> int:
        """``clock_start`` on epoch seconds."""
        d, sod = divmod(received + VN_OFFSET_S, DAY_S)
        opening = self._shift_seconds[0][0]
        if self.is_working_eday(d):
            if sod < opening:
                return d * DAY_S - VN_OFFSET_S + opening
            cutoff = _secs(self.paper_cutoff) if paper else self._shift_seconds[-1][1]
            if sod < cutoff:
                return received
        return self.add_working_days_eday(d, 1) * DAY_S - VN_OFFSET_S + opening

    @functools.cached_property
    def _hours_s(self) -> tuple[int, int, int]:
        """Opening, closing and paper cut-off as seconds of the day."""
        return self._shift_seconds[0][0], self._shift_seconds[-1][1], _secs(self.paper_cutoff)

    @property
    def shift_seconds(self) -> tuple[tuple[int, int], ...]:
        """The office shifts as seconds after midnight."""
        return self._shift_seconds

    @property
    def office_seconds_per_day(self) -> int:
        return self._seconds_per_day

    @property
    def office_seconds(self) -> tuple[int, int, int]:
        """Opening, closing and the paper cut-off, in seconds after midnight."""
        return self._hours_s

    def due_after_receipt_s(self, received: int, paper: bool, amount: float, unit: str) -> int:
        """``add_s(clock_start_s(received, paper), amount, unit)``.

        The common case, whole working days, is done here with direct table lookups: the
        deadline engine computes it for every dossier of the province.
        """
        n = int(amount)
        if unit == _WORKING_DAYS and n == amount and n >= 0:
            d, sod = divmod(received + VN_OFFSET_S, DAY_S)
            idx = self._index[0]
            i = d - idx.first
            if i >= 0 and d + 2 * n + 32 <= idx.last:
                opening, closing, cutoff = self._hours_s
                k = idx.upto[i]  # workdays[k] is the first working day after d
                if idx.working[i] and sod < (cutoff if paper else closing):
                    # The clock starts on day d, at opening time at the earliest.
                    day = idx.workdays[k + n - 1] if n else d
                    return day * DAY_S - VN_OFFSET_S + max(sod, opening)
                return idx.workdays[k + n] * DAY_S - VN_OFFSET_S + opening
        return self.add_s(self.clock_start_s(received, paper), amount, unit)

    def add_s(self, start: int, amount: float, unit: TimeUnit | str) -> int:
        """``add`` on epoch seconds."""
        if amount < 0:
            raise ValueError("amount must not be negative")
        if unit == _WORKING_DAYS:
            whole = int(amount)
            d, sod = divmod(start + VN_OFFSET_S, DAY_S)
            due = self.add_working_days_eday(d, whole) * DAY_S - VN_OFFSET_S + sod
            if amount == whole:
                return due
            return self.add_working_hours_s(due, (amount - whole) * self.hours_per_day)
        if unit == _CALENDAR_DAYS:
            due = start + round(amount * DAY_S)
            d, sod = divmod(due + VN_OFFSET_S, DAY_S)
            # A period ending on a day off ends on the next working day (BLDS 2015 art. 148).
            if not self.is_working_eday(d):
                due = self.add_working_days_eday(d, 1) * DAY_S - VN_OFFSET_S + sod
            return due
        if unit == _HOURS:
            return self.add_working_hours_s(start, amount)
        raise ValueError(f"unknown time unit {unit!r}")

    def add_working_hours_s(self, start: int, hours: float) -> int:
        """``add_working_hours`` on epoch seconds."""
        remaining = round(hours * 3600)
        per_day = self._seconds_per_day
        d, sod = divmod(start + VN_OFFSET_S, DAY_S)
        while True:
            if self.is_working_eday(d):
                for a, b in self._shift_seconds:
                    if sod >= b:
                        continue
                    begin = max(sod, a)
                    if remaining <= b - begin:
                        return d * DAY_S - VN_OFFSET_S + begin + remaining
                    remaining -= b - begin
                    sod = b
            d, sod = self.add_working_days_eday(d, 1), 0
            if remaining > per_day:  # jump over whole days, leaving some for the last one
                skip = (remaining - 1) // per_day
                d, remaining = self.add_working_days_eday(d, skip), remaining - skip * per_day

    def working_seconds_between_s(self, start: int, end: int) -> int:
        """Office time, in seconds, between two instants (0 when end <= start)."""
        if end <= start:
            return 0
        da, sa = divmod(start + VN_OFFSET_S, DAY_S)
        db, sb = divmod(end + VN_OFFSET_S, DAY_S)
        if da == db:
            return self._office_overlap(da, sa, sb)
        middle = self.working_days_between_edays(da, db - 1) * self._seconds_per_day
        return self._office_overlap(da, sa, DAY_S) + middle + self._office_overlap(db, 0, sb)

    def _office_overlap(self, d: int, lo: int, hi: int) -> int:
        if not self.is_working_eday(d):
            return 0
        return sum(max(0, min(hi, b) - max(lo, a)) for a, b in self._shift_seconds)

    # -- office hours, datetime face ----------------------------------------------------------

    def clock_start(self, received_at: datetime, *, paper: bool = False) -> datetime:
        """When the agency's clock starts for a dossier received at ``received_at``.

        Inside office hours on a working day it starts at once; after closing time (or, for a
        paper dossier, after the afternoon cut-off), on a day off, or before opening, it starts
        at opening time of the next working morning.
        """
        return from_instant(self.clock_start_s(to_instant(received_at), paper))

    def add(self, start: datetime, amount: float, unit: TimeUnit | str) -> datetime:
        """The due time ``amount`` units after ``start`` (start taken as it is).

        N working days from time t on day D end at time t on the N-th working day after D; a
        fraction of a day is counted in office hours from there. Calendar days ending on a day
        off end on the next working day; hours are office hours.
        """
        return from_instant(self.add_s(to_instant(start), amount, TimeUnit(unit)))

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """Move forward ``hours`` of office time, skipping breaks, nights and days off."""
        return from_instant(self.add_working_hours_s(to_instant(start), hours))

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Office hours between two instants (0 when end <= start)."""
        return self.working_seconds_between_s(to_instant(start), to_instant(end)) / 3600

    def with_overrides(
        self, days_off: Iterable[date] = (), working_days: Iterable[date] = ()
    ) -> WorkCalendar:
        off, work = set(self.extra_days_off), set(self.extra_working_days)
        for d in days_off:
            off.add(d)
            work.discard(d)
        for d in working_days:
            work.add(d)
            off.discard(d)
        return WorkCalendar(frozenset(off), frozenset(work), self.shifts, self.paper_cutoff)


def _is_working(day: date, days_off: frozenset[date], working_days: frozenset[date]) -> bool:
    if day in working_days:
        return True
    if day in days_off:
        return False
    if day.weekday() >= 5:
        return day in holiday_weekend_workdays(day.year)
    return day not in public_holidays(day.year)


@functools.lru_cache(maxsize=64)
def _table(
    days_off: frozenset[date], working_days: frozenset[date], first_year: int, last_year: int
) -> DayTable:
    """Day tables are shared by equal calendars: the evaluation builds its calendars afresh on
    every run, and building a table costs far more than a run with little to do."""
    return DayTable.build(first_year, last_year, lambda d: _is_working(d, days_off, working_days))


def _secs(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _year_of(eday: int) -> int:
    return from_eday(max(1 - EPOCH_ORDINAL, eday)).year
