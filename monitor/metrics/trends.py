"""Weekly trends for the overview: dossiers received (and how many online), dossiers finished
(and how many early or on time, how many late), ratings (and how many satisfied).

Weeks run Monday to Sunday in Vietnam time. The window is the weeks up to the one holding the
period's last day: the whole period, and at least ``MIN_WEEKS`` weeks so that a short period
still shows a trend; the last week may be cut short at the period's end. Each series is one
aggregate query grouped by week number, computed by the database.

A finished dossier is early, on time or late as the deadline engine stored it: once a dossier
is finished that verdict no longer changes with time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Engine, Integer, case, cast, func, select

from monitor.calendar import day_start
from monitor.db import session_scope
from monitor.enums import Channel, DueStatus
from monitor.metrics.scope import counted_in, finished_status, unit_in
from monitor.models import Dossier, Rating
from monitor.reports.period import Period

MIN_WEEKS = 13
WEEK_S = 7 * 86_400
_UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38, 0)


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    received: int = 0
    online: int = 0
    finished: int = 0
    finished_on_time: int = 0  # early or on time
    finished_late: int = 0
    rated: int = 0
    satisfied: int = 0  # Hài lòng or Rất hài lòng

    @property
    def online_share(self) -> float | None:
        return None if not self.received else self.online / self.received

    @property
    def on_time_share(self) -> float | None:
        return None if not self.finished else self.finished_on_time / self.finished

    @property
    def satisfied_share(self) -> float | None:
        return None if not self.rated else self.satisfied / self.rated


def window(period: Period, min_weeks: int = MIN_WEEKS) -> tuple[date, int, date]:
    """First Monday, number of weeks, and the last day counted (the period's end)."""
    last_monday = period.end - timedelta(days=period.end.weekday())
    first_monday = period.start - timedelta(days=period.start.weekday())
    weeks = max(min_weeks, (last_monday - first_monday).days // 7 + 1)
    return last_monday - timedelta(weeks=weeks - 1), weeks, period.end


def _epoch(column: Any, sqlite: bool) -> Any:
    """A timestamp column as whole epoch seconds, on either backend."""
    if sqlite:
        if _UNIXEPOCH:
            return func.unixepoch(column, type_=Integer)
        return cast(func.strftime("%s", column), Integer)
    return cast(func.floor(func.extract("epoch", column)), BigInteger)


def _grouped(
    engine: Engine, column: Any, first: datetime, end: datetime, values: list[Any], where: list[Any]
) -> dict[int, tuple[int, ...]]:
    """Rows of ``values`` summed per week of ``column`` in [first, end)."""
    sqlite = engine.dialect.name == "sqlite"
    since = cast(_epoch(column, sqlite) - int(first.timestamp()), BigInteger)
    week = (since // WEEK_S).label("week")
    q = select(week, *values).where(column >= first, column < end, *where).group_by(week)
    with session_scope(engine) as s:
        return {int(r[0]): tuple(int(v or 0) for v in r[1:]) for r in s.execute(q).all()}


def weekly(engine: Engine, period: Period, unit_ids: Collection[int] | None) -> list[Week]:
    first_day, count, last_day = window(period)
    first, end = day_start(first_day), day_start(last_day + timedelta(days=1))
    weeks = [Week(first_day + timedelta(weeks=i)) for i in range(count)]

    def one(flag: Any) -> Any:
        return func.sum(case((flag, 1), else_=0))

    received = _grouped(
        engine,
        Dossier.received_at,
        first,
        end,
        [func.count(), one(Dossier.channel == int(Channel.ONLINE))],
        [Dossier.status.not_in((1, 3)), counted_in(unit_ids)],
    )
    in_time = (DueStatus.EARLY.value, DueStatus.ON_TIME.value)
    finished = _grouped(
        engine,
        Dossier.finished_at,
        first,
        end,
        [
            func.count(),
            one(Dossier.due_status.in_(in_time)),
            one(Dossier.due_status == DueStatus.LATE.value),
        ],
        [finished_status(), counted_in(unit_ids)],
    )
    rated = _grouped(
        engine,
        Rating.created_at,
        first,
        end,
        [func.count(), one(Rating.overall >= 2)],
        [unit_in(Rating.unit_id, unit_ids)],
    )
    out = []
    for i, w in enumerate(weeks):
        r, f, s = received.get(i, (0, 0)), finished.get(i, (0, 0, 0)), rated.get(i, (0, 0))
        out.append(
            replace(
                w,
                received=r[0],
                online=r[1],
                finished=f[0],
                finished_on_time=f[1],
                finished_late=f[2],
                rated=s[0],
                satisfied=s[1],
            )
        )
    return out
