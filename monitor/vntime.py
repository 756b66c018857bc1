"""Vietnam time: instants as epoch seconds, days as epoch days, in Asia/Ho_Chi_Minh.

The deadline engine does its arithmetic on integers (a million dossiers at a time); these are
the conversions at its edges. Re-exported by ``monitor.calendar``.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

DAY_S = 86_400
# Vietnam has kept UTC+7 without daylight saving since 1975: local days are fixed-offset.
VN_OFFSET_S = 7 * 3600
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def to_eday(day: date) -> int:
    """Epoch day (days since 1970-01-01) of a date."""
    return day.toordinal() - EPOCH_ORDINAL


def from_eday(eday: int) -> date:
    return date.fromordinal(eday + EPOCH_ORDINAL)


def to_instant(dt: datetime) -> int:
    """Whole seconds since the Unix epoch of an aware datetime."""
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt!r}: give a time zone")
    return int(dt.timestamp() // 1)


def from_instant(seconds: int) -> datetime:
    """An aware datetime in Vietnam time."""
    return datetime.fromtimestamp(seconds, VN_TZ)


def local(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt!r}: give a time zone")
    return dt.astimezone(VN_TZ)


def local_date(dt: datetime) -> date:
    """The calendar date in Vietnam of an aware instant."""
    return from_eday((to_instant(dt) + VN_OFFSET_S) // DAY_S)


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in Vietnam."""
    return from_instant(to_eday(day) * DAY_S - VN_OFFSET_S)
