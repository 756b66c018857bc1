"""The day table behind WorkCalendar: which days of a span of years are worked, and how many
working days precede each, so that "the N-th working day after D" is one list lookup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from monitor.vntime import EPOCH_ORDINAL


class DayTable:
    """Lookups over whole years: worked or not, working days up to a day, the working days.

    Days are epoch days (days since 1970-01-01); ``upto[i]`` counts the working days in
    ``[first, first + i]`` and ``workdays`` lists them in order. Never changed once built: a
    calendar that needs more years builds a bigger one and swaps it in, so threads sharing a
    calendar always read a consistent table.
    """

    __slots__ = ("first", "last", "upto", "workdays", "working")

    def __init__(
        self, first: int, last: int, working: bytearray, upto: list[int], workdays: list[int]
    ) -> None:
        self.first, self.last = first, last
        self.working, self.upto, self.workdays = working, upto, workdays

    @classmethod
    def empty(cls) -> DayTable:
        return cls(1, 0, bytearray(), [], [])

    @classmethod
    def build(cls, first_year: int, last_year: int, is_working: Callable[[date], bool]) -> DayTable:
        first = date(first_year, 1, 1).toordinal() - EPOCH_ORDINAL
        last = date(last_year, 12, 31).toordinal() - EPOCH_ORDINAL
        working, upto, workdays, count = bytearray(), [], [], 0
        for d in range(first, last + 1):
            w = is_working(date.fromordinal(d + EPOCH_ORDINAL))
            working.append(w)
            if w:
                count += 1
                workdays.append(d)
            upto.append(count)
        return cls(first, last, working, upto, workdays)
