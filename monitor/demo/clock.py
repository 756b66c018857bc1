"""Office time as one number line, so the simulation can add working time with integer sums.

A *position* counts office seconds from the opening of the first working day of the range:
position ``i * per_day + s`` is ``s`` office seconds into working day ``i``. Adding N working
days is adding ``N * per_day``; positions map back to instants through the calendar's office
hours. Instants are epoch seconds (monitor.calendar); days are epoch days in Vietnam.
"""

from __future__ import annotations

from bisect import bisect_left

from monitor.calendar import DAY_S, VN_OFFSET_S, WorkCalendar

# Beyond the simulated range: the longest procedure (45 calendar days), lateness and
# supplement waits all fit well within this many days.
MARGIN_DAYS = 900


class OfficeClock:
    def __init__(self, cal: WorkCalendar, first_day: int, last_day: int) -> None:
        self.cal = cal
        self.shifts = tuple(
            (a.hour * 3600 + a.minute * 60, b.hour * 3600 + b.minute * 60) for a, b in cal.shifts
        )
        self.per_day = sum(b - a for a, b in self.shifts)
        self._first_len = self.shifts[0][1] - self.shifts[0][0]
        self.days = [
            d for d in range(first_day, last_day + MARGIN_DAYS + 1) if cal.is_working_eday(d)
        ]
        self.index = {d: i for i, d in enumerate(self.days)}
        # Epoch second of the opening of each working day, and of the afternoon shift: the
        # position → instant mapping runs about fifteen times per dossier.
        self._opens = [d * DAY_S - VN_OFFSET_S + self.shifts[0][0] for d in self.days]
        self._gap = self.shifts[1][0] - self.shifts[0][1] if len(self.shifts) > 1 else 0

    def is_working(self, day: int) -> bool:
        return day in self.index

    def day_position(self, day: int) -> int:
        """Position of the opening of working day ``day`` (which must be a working day)."""
        return self.index[day] * self.per_day

    def instant(self, pos: int) -> int:
        i, off = divmod(pos, self.per_day)
        if off < self._first_len:
            return self._opens[i] + off
        if len(self.shifts) == 2:
            return self._opens[i] + self._gap + off
        base = self.days[i] * DAY_S - VN_OFFSET_S
        off -= self._first_len
        for a, b in self.shifts[1:]:
            if off < b - a:
                return base + a + off
            off -= b - a
        raise AssertionError("unreachable: offset within a day")

    def office_time_of_day(self, off: int) -> int:
        """Second of the day of office offset ``off`` (0 <= off < per_day)."""
        for a, b in self.shifts:
            if off < b - a:
                return a + off
            off -= b - a
        raise ValueError("offset beyond the office day")

    def position(self, t: int) -> int:
        """The position of instant ``t``; outside office hours, the next opening."""
        d, sod = divmod(t + VN_OFFSET_S, DAY_S)
        i = self.index.get(d)
        if i is None:
            return bisect_left(self.days, d) * self.per_day
        acc = i * self.per_day
        for a, b in self.shifts:
            if sod < a:
                return acc
            if sod < b:
                return acc + sod - a
            acc += b - a
        return acc

    def closing(self, pos: int) -> int:
        """The closing instant of the working day of ``pos``."""
        return self.days[pos // self.per_day] * DAY_S - VN_OFFSET_S + self.shifts[-1][1]

    def day_of(self, pos: int) -> int:
        return self.days[pos // self.per_day]
