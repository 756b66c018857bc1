"""Vietnam's working calendar (DOMAIN.md §3) and deadline arithmetic in Asia/Ho_Chi_Minh.

Working days are Monday–Friday minus public holidays (seeded from ``holidays.VN``) plus
overrides: extra days off and extra working days (make-up Saturdays), everywhere or for one
office. Arithmetic is done on local wall-clock time; callers pass aware datetimes in any zone
and get aware datetimes back in Vietnam time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from monitor.enums import TimeUnit

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_SHIFTS: tuple[tuple[time, time], ...] = (
    (time(7, 0), time(11, 30)),
    (time(13, 30), time(17, 0)),
)

# Government day swaps that holidays.VN does not know: the Saturday worked in exchange for a
# bridge day off (Công văn of the Ministry of Home Affairs for each year).
MAKE_UP_SATURDAYS: tuple[date, ...] = (date(2025, 4, 26), date(2026, 8, 22))


@functools.lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.VN(years=year).keys())


def local(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt!r}: give a time zone")
    return dt.astimezone(VN_TZ)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked, and office hours. Immutable; build one per scope."""

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset(MAKE_UP_SATURDAYS)
    shifts: tuple[tuple[time, time], ...] = DEFAULT_SHIFTS
    paper_cutoff: time = time(15, 0)
    _cache: dict[date, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_working_day(self, day: date) -> bool:
        cached = self._cache.get(day)
        if cached is None:
            cached = self._compute_working(day)
            self._cache[day] = cached
        return cached

    def _compute_working(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return day.weekday() < 5 and day not in public_holidays(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days_to_date(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n >= 0; n = 0 gives ``day`` itself)."""
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    @property
    def opening(self) -> time:
        return self.shifts[0][0]

    @property
    def closing(self) -> time:
        return self.shifts[-1][1]

    def clock_start(self, received_at: datetime, *, paper: bool = False) -> datetime:
        """When the agency's clock starts for a dossier received at ``received_at``.

        Inside office hours on a working day it starts at once; after closing time (or, for a
        paper dossier, after the afternoon cut-off), on a day off, or before opening, it starts
        at opening time of the next working morning.
        """
        t = local(received_at)
        day, clock = t.date(), t.timetz().replace(tzinfo=None)
        cutoff = self.paper_cutoff if paper else self.closing
        if self.is_working_day(day) and clock < self.opening:
            return datetime.combine(day, self.opening, VN_TZ)
        if self.is_working_day(day) and clock < cutoff:
            return t
        return datetime.combine(self.next_working_day(day), self.opening, VN_TZ)

    def add(self, start: datetime, amount: float, unit: TimeUnit | str) -> datetime:
        """The due time ``amount`` units after ``start`` (start taken as it is)."""
        unit = TimeUnit(unit)
        if amount < 0:
            raise ValueError("amount must not be negative")
        t = local(start)
        if unit is TimeUnit.WORKING_DAYS:
            whole = int(amount)
            due = datetime.combine(self.add_working_days_to_date(t.date(), whole), t.time(), VN_TZ)
            return self.add_working_hours(due, (amount - whole) * self.hours_per_day)
        if unit is TimeUnit.CALENDAR_DAYS:
            due = t + timedelta(days=amount)
            # A period ending on a day off ends on the next working day (BLDS 2015 art. 148).
            if not self.is_working_day(due.date()):
                due = datetime.combine(self.next_working_day(due.date()), due.time(), VN_TZ)
            return due
        return self.add_working_hours(t, amount)

    @property
    def hours_per_day(self) -> float:
        return sum(_minutes(a, b) for a, b in self.shifts) / 60

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """Move forward ``hours`` of office time, skipping breaks, nights and days off."""
        remaining = round(hours * 60)
        t = local(start)
        day, clock = t.date(), t.time()
        while True:
            if self.is_working_day(day):
                for a, b in self.shifts:
                    if clock >= b:
                        continue
                    begin = max(clock, a)
                    available = _minutes(begin, b)
                    if remaining <= available:
                        return datetime.combine(day, begin, VN_TZ) + timedelta(minutes=remaining)
                    remaining -= available
                    clock = b
            day, clock = self.next_working_day(day), time(0, 0)

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Office hours between two instants (0 when end <= start)."""
        a, b = local(start), local(end)
        if b <= a:
            return 0.0
        total, day = 0.0, a.date()
        while day <= b.date():
            if self.is_working_day(day):
                for s, e in self.shifts:
                    lo = max(datetime.combine(day, s, VN_TZ), a)
                    hi = min(datetime.combine(day, e, VN_TZ), b)
                    if hi > lo:
                        total += (hi - lo).total_seconds() / 3600
            day += timedelta(days=1)
        return total

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


def _minutes(a: time, b: time) -> int:
    return (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute)
