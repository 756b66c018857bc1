"""Dates and moments typed at the shell: dd/mm/yyyy or ISO 8601, in Vietnam time."""

from __future__ import annotations

import re
from datetime import date, datetime

from monitor.calendar import VN_TZ
from monitor.cli.common import UsageError

_VN_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_VN_MOMENT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_day(text: str) -> date:
    """``dd/mm/yyyy`` or ``yyyy-mm-dd``."""
    text = text.strip()
    try:
        m = _VN_DAY.fullmatch(text)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"Ngày '{text}' không hợp lệ; dùng dd/mm/yyyy hoặc yyyy-mm-dd.") from None


def parse_moment(text: str) -> datetime:
    """``dd/mm/yyyy[ HH:MM[:SS]]`` or ISO 8601; without an offset, Vietnam time."""
    text = text.strip()
    try:
        m = _VN_MOMENT.fullmatch(text)
        if m:
            parsed = datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]), int(m[6] or 0))
        elif _VN_DAY.fullmatch(text):
            parsed = datetime.combine(parse_day(text), datetime.min.time())
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, UsageError):
        raise UsageError(
            f"Thời điểm '{text}' không hợp lệ; dùng dd/mm/yyyy HH:MM hoặc ISO 8601."
        ) from None
    return parsed.replace(tzinfo=VN_TZ) if parsed.tzinfo is None else parsed


def vn_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy (in Vietnam time for a moment); empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(VN_TZ).date()
    return value.strftime("%d/%m/%Y")


def vn_moment(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
