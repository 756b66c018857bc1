"""Working hours for alerts: which calendar applies to a unit, and whether it is office time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from monitor.calendar import WorkCalendar, local
from monitor.calendar_store import unit_calendars
from monitor.config import Settings


@dataclass(frozen=True)
class Calendars:
    """The everywhere calendar and the units whose overrides make theirs differ."""

    default: WorkCalendar = field(default_factory=WorkCalendar)
    by_unit: dict[int, WorkCalendar] = field(default_factory=dict)

    def of(self, unit_id: int | None) -> WorkCalendar:
        if unit_id is None:
            return self.default
        return self.by_unit.get(unit_id, self.default)


def load_calendars(engine: Engine, settings: Settings) -> Calendars:
    default, by_unit = unit_calendars(engine, settings)
    return Calendars(default, by_unit)


def in_office_hours(calendar: WorkCalendar, now: datetime) -> bool:
    """Within a shift of a working day (the shift's end excluded)."""
    t = local(now)
    if not calendar.is_working_day(t.date()):
        return False
    return any(a <= t.time() < b for a, b in calendar.shifts)


def after_working_hours(calendar: WorkCalendar, start: datetime, hours: int) -> datetime | None:
    """``hours`` of office time after ``start``; None when hours is 0 (never)."""
    return calendar.add_working_hours(start, hours) if hours > 0 else None
