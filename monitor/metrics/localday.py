"""The Vietnamese calendar day of a stored UTC timestamp, computed by the database, so that
trends can be grouped by day in SQL on both backends."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Engine, cast, func


def local_day(engine: Engine, column: Any) -> Any:
    """SQL for the day in Asia/Ho_Chi_Minh of ``column`` (SQLite stores naive UTC text;
    Vietnam keeps UTC+7 all year)."""
    if engine.dialect.name == "sqlite":
        return func.date(column, "+7 hours")
    return cast(func.timezone("Asia/Ho_Chi_Minh", column), Date)


def as_date(value: date | str) -> date:
    """What ``local_day`` returns, as a date (SQLite gives 'YYYY-MM-DD' text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
