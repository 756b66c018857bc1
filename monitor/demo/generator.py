"""The simulated province's dossiers as a deterministic stream of national-format records.

Each working day has its own ``random.Random`` seeded by (seed, day), so a day's dossiers are
the same whatever window is simulated, and the stream can start anywhere. The one
window-dependent input is the online share, which rises across the simulated period (from 45 %
to 65 % over at least 90 days). Only what has happened by ``as_of`` is shown; by default that
is the end of the last day, or now when the last day is today: a monitor must never hold events
from the future.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from random import Random
from typing import Any

from monitor.calendar import DAY_S, VN_OFFSET_S, VN_TZ, WorkCalendar, from_eday, to_eday
from monitor.demo.catalogue import load_catalogue
from monitor.demo.clock import OfficeClock
from monitor.demo.intake import Intake
from monitor.demo.lifecycle import Planner
from monitor.demo.province import build_province
from monitor.demo.render import Renderer
from monitor.demo.story import Story
from monitor.seed import SEED_DIR

BASE_DAILY = 1750  # dossiers received by the whole province on an ordinary working day
WEEKDAY_FACTOR = (1.22, 1.05, 1.0, 0.97, 0.86, 0.55, 0.55)  # Monday peak; make-up Saturdays
ONLINE_FROM, ONLINE_TO = 0.45, 0.65
TREND_MIN_DAYS = 90
LOOKBACK_DAYS = 40  # calendar days the clock covers before the first simulated day

Record = dict[str, Any]


@functools.cache
def demo_calendar(path: Path = SEED_DIR / "calendar_overrides.csv") -> WorkCalendar:
    """holidays.VN plus the province-wide overrides that ``motcua init`` seeds."""
    off: list[date] = []
    work: list[date] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if (row.get("scope") or "*") == "*":
                (work if row["kind"] == "working_day" else off).append(
                    date.fromisoformat(row["day"])
                )
    return WorkCalendar().with_overrides(days_off=off, working_days=work)


def end_of_day(day: date) -> int:
    """The last second of ``day`` in Vietnam, as epoch seconds."""
    return (to_eday(day) + 1) * DAY_S - VN_OFFSET_S - 1


def default_as_of(end: date, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return min(end_of_day(end), int(now.timestamp()))


def today_vn(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(VN_TZ).date()


class Simulation:
    """The province over the days ``first``..``end``."""

    def __init__(
        self,
        *,
        seed: int,
        first: date,
        end: date,
        scale: float = 1.0,
        calendar: WorkCalendar | None = None,
        keep_days: bool = False,
    ) -> None:
        self.seed, self.scale = seed, scale
        # With keep_days, planned days are kept to be shown again at a later moment (the
        # HTTP feed reloads every minute; only the view changes, not the plans).
        self._kept: dict[int, list[Story]] | None = {} if keep_days else None
        self.cal = calendar or demo_calendar()
        self.first, self.end = to_eday(first), to_eday(end)
        self.span = max(self.end - self.first + 1, TREND_MIN_DAYS)
        self.clock = OfficeClock(self.cal, self.first - LOOKBACK_DAYS, self.end)
        province, catalogue = build_province(), load_catalogue()
        self.intake = Intake(self.clock, self.cal, province, catalogue)
        self.planner = Planner(self.clock, self.cal, province)
        self.renderer = Renderer(self.clock)

    def volume(self, day: int) -> int:
        """Dossiers received on ``day`` (0 on a day off)."""
        return day_volume(self.cal, self.seed, self.scale, day)

    def online_share(self, day: int) -> float:
        behind = min(1.0, max(0.0, (self.end - day) / self.span))
        return ONLINE_TO - (ONLINE_TO - ONLINE_FROM) * behind

    def day_stories(self, day: int) -> list[Story]:
        """Every dossier received on ``day``, in order of reception, with its code."""
        if self._kept is not None and day in self._kept:
            return self._kept[day]
        stories = self._plan_day(day)
        if self._kept is not None:
            self._kept[day] = stories
        return stories

    def _plan_day(self, day: int) -> list[Story]:
        n = self.volume(day)
        if n == 0:
            return []
        r = Random(f"motcua-demo/{self.seed}/{day}")
        when, pos, share = from_eday(day), self.clock.day_position(day), self.online_share(day)
        stories = []
        for _ in range(n):
            story = self.intake.story(r, when, pos, share)
            self.planner.plan(story, r)
            stories.append(story)
        stories.sort(key=lambda s: s.received)
        stamp = when.strftime("%y%m%d")
        numbers: dict[str, int] = {}
        for story in stories:
            n = numbers.get(story.receiver.code, 0) + 1
            numbers[story.receiver.code] = n
            story.code = f"{story.receiver.code}-{stamp}-{n:04d}"
        return stories

    def records(self, as_of: int, *, include_next: bool = True) -> Iterator[Record]:
        """The dossiers of every working day, as of ``as_of``. With ``include_next``, also the
        online submissions of the next working day already made by ``as_of`` (status 1)."""
        render, cutoff = self.renderer.record, self.renderer.cutoff(as_of)
        last = self.end
        if include_next:
            last = self.cal.add_working_days_eday(self.end, 1)
        for day in range(self.first, last + 1):
            for story in self.day_stories(day):
                rec = render(story, as_of, cutoff)
                if rec is not None:
                    yield rec


def day_volume(cal: WorkCalendar, seed: int, scale: float, day: int) -> int:
    if not cal.is_working_eday(day):
        return 0
    r = Random(f"motcua-demo/{seed}/{day}/volume")
    factor = WEEKDAY_FACTOR[from_eday(day).weekday()]
    gap = day - cal.working_day_before_eday(day)
    if gap >= 4:  # the first day after Tết or a long holiday
        factor *= 1.3
    elif gap == 2 and from_eday(day).weekday() != 0:  # after a one-day holiday midweek
        factor *= 1.15
    noise = 1 + (r.random() + r.random() + r.random() - 1.5) * 0.1
    return max(1, round(BASE_DAILY * scale * factor * noise))


def generate(
    *, seed: int, days: int, end: date, as_of: int | None = None, scale: float = 1.0
) -> Iterator[Record]:
    """The dossiers of the ``days`` days ending on ``end``, as they stand at ``as_of``."""
    first = end - timedelta(days=days - 1)
    sim = Simulation(seed=seed, first=first, end=end, scale=scale)
    return sim.records(end_of_day(end) if as_of is None else as_of)


def recent_records(
    *, seed: int, days: int = 14, now: datetime | None = None, scale: float = 1.0
) -> list[Record]:
    """The last ``days`` days as of now: what the demo HTTP feed serves (planned once a day,
    shown again at every call)."""
    now = now or datetime.now(UTC)
    end = today_vn(now)
    sim = _kept_simulation(seed, end - timedelta(days=days - 1), end, scale)
    return list(sim.records(int(now.timestamp())))


@functools.lru_cache(maxsize=2)
def _kept_simulation(seed: int, first: date, end: date, scale: float) -> Simulation:
    return Simulation(seed=seed, first=first, end=end, scale=scale, keep_days=True)


def export_window(count: int, seed: int, end: date, scale: float = 1.0) -> tuple[date, int]:
    """The first day of the shortest window ending on ``end`` that holds at least ``count``
    dossiers, and how many dossiers more than ``count`` it holds."""
    cal, day, total = demo_calendar(), to_eday(end), 0
    while total < count:
        total += day_volume(cal, seed, scale, day)
        day -= 1
    return from_eday(day + 1), total - count


def export_records(
    count: int, *, seed: int, end: date, as_of: int | None = None, scale: float = 1.0
) -> Iterator[Record]:
    """The last ``count`` dossiers received by ``end`` (at realistic daily volume, over as many
    days as that takes); when ``as_of`` falls within ``end``, the window ends the day before."""
    as_of = end_of_day(end) if as_of is None else as_of
    last = end if as_of >= end_of_day(end) else end - timedelta(days=1)
    first, surplus = export_window(count, seed, last, scale)
    sim = Simulation(seed=seed, first=first, end=last, scale=scale)
    # Every dossier received by the end of ``last`` is shown: skip the first day's earliest.
    return islice(sim.records(as_of, include_next=False), surplus, None)
