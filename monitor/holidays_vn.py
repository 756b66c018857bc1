"""Vietnam's public holidays and government day swaps, from holidays.VN (DOMAIN.md §3).

Re-exported by ``monitor.calendar``; the editable overrides live in ``calendar_days``.
"""

from __future__ import annotations

import functools
from datetime import date

import holidays

# Government day swaps that holidays.VN may not know: the Saturday worked in exchange for a
# bridge day off (Công văn of the Ministry of Home Affairs for each year).
MAKE_UP_SATURDAYS: tuple[date, ...] = (date(2025, 4, 26), date(2026, 8, 22))


@functools.lru_cache(maxsize=256)
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.VN(years=year).keys())


@functools.lru_cache(maxsize=256)
def holiday_names(year: int) -> dict[date, str]:
    """Vietnamese names of the public holidays of ``year`` (holidays.VN)."""
    return dict(holidays.VN(years=year, language="vi"))


@functools.lru_cache(maxsize=256)
def holiday_weekend_workdays(year: int) -> frozenset[date]:
    """Weekend days that holidays.VN knows to be worked (recent versions list swaps)."""
    known = getattr(holidays.VN(years=year), "weekend_workdays", ())
    return frozenset(d for d in known if d.year == year) | frozenset(
        d for d in MAKE_UP_SATURDAYS if d.year == year
    )
