"""Vietnamese number and date formats for people: 1.234 · 92,4 % · 24/01/2025 16:45."""

from __future__ import annotations

from datetime import date, datetime

from monitor.calendar import VN_TZ


def integer(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def decimal(x: float, digits: int = 1) -> str:
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(ratio: float | None, digits: int = 1) -> str:
    return "–" if ratio is None else f"{decimal(ratio * 100, digits)} %"


def day(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone(VN_TZ).date()
    return d.strftime("%d/%m/%Y")


def moment(t: datetime | None) -> str:
    return "" if t is None else t.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
