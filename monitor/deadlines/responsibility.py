"""Who carries a delay (DOMAIN.md §4): the units whose step outran its own allotted time.

A step is late when the day it ended (or, while the dossier is still in hand and the step not
done, the as-of day) is after the day of its NgayKetThucTheoQuyDinh — by date, like the dossier
itself. A step that never got a done time on a dossier that has ended is judged at the end.
"""

from __future__ import annotations

from monitor.deadlines.dues import day_of
from monitor.deadlines.facts import Instant, Step


def responsible_units(
    steps: tuple[Step, ...], running: bool, end: Instant | None, now: Instant
) -> tuple[str, ...]:
    """Names of the units with a late step, in the order of the steps, each once."""
    late: list[str] = []
    for s in steps:
        if s.deadline_at is None or (s.started_at is not None and s.started_at > now):
            continue
        if s.done_at is not None and s.done_at <= now:
            stop = s.done_at
        elif running:
            stop = now
        elif end is not None:
            stop = end
        else:
            continue
        if day_of(stop) > day_of(s.deadline_at) and s.unit not in late:
            late.append(s.unit)
    return tuple(late)


def late_step_deadlines(steps: tuple[Step, ...], now: Instant) -> list[int]:
    """Deadline days of the steps still running at ``now``: each becomes late the day after."""
    return [
        day_of(s.deadline_at)
        for s in steps
        if s.deadline_at is not None
        and (s.done_at is None or s.done_at > now)
        and (s.started_at is None or s.started_at <= now)
    ]
