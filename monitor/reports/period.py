"""The period and the unit scope of a report, and the moments the period is judged at.

A period is a range of Vietnamese calendar days, both ends included. The report compares by
date (DOMAIN.md §7): "at the start" is the last second before the first day, "at the end" the
last second of the last day, which is what the deadline engine is asked about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from monitor.calendar import DAY_S, VN_OFFSET_S, to_eday
from monitor.db import session_scope
from monitor.deadlines import Instant
from monitor.models import Unit
from monitor.units import subtree_ids
from monitor.vi_format import day


class ReportInputError(ValueError):
    """Bad report parameters (an empty period, an unknown unit)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ReportInputError(
                f"Kỳ báo cáo không hợp lệ: ngày kết thúc {day(self.end)} trước ngày bắt đầu "
                f"{day(self.start)}."
            )

    @property
    def first_instant(self) -> Instant:
        """The first second of the period (midnight of its first day in Vietnam)."""
        return to_eday(self.start) * DAY_S - VN_OFFSET_S

    @property
    def end_instant(self) -> Instant:
        """The first second after the period."""
        return (to_eday(self.end) + 1) * DAY_S - VN_OFFSET_S

    @property
    def as_of_start(self) -> Instant:
        return self.first_instant - 1

    @property
    def as_of_end(self) -> Instant:
        return self.end_instant - 1

    def text(self) -> str:
        return f"Từ ngày {day(self.start)} đến ngày {day(self.end)}"


@dataclass(frozen=True)
class Scope:
    """A unit subtree (``unit_ids``), or the whole province when ``unit_ids`` is None."""

    unit_code: str | None
    unit_name: str
    unit_ids: frozenset[int] | None


def resolve_scope(engine: Engine, unit_code: str | None, everywhere: str) -> Scope:
    if not unit_code:
        return Scope(None, everywhere, None)
    with session_scope(engine) as s:
        unit = s.execute(select(Unit.id, Unit.name).where(Unit.code == unit_code)).first()
    if unit is None:
        raise ReportInputError(f"Không có đơn vị mã '{unit_code}'.")
    return Scope(unit_code, unit.name, frozenset(subtree_ids(engine, unit.id)))
