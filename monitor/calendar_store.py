"""Working calendars from the database: holidays.VN plus the calendar_days overrides.

An override's scope is ``*`` (everywhere) or a unit code. A unit's calendar applies, in order,
the overrides of ``*``, of each of its ancestors from the top down, and of the unit itself, so
a province can declare a make-up Saturday for all its offices and one office can still differ.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, or_, select, update
from sqlalchemy.orm import Session

from monitor import audit
from monitor.calendar import (
    WorkCalendar,
    day_start,
    holiday_names,
    holiday_weekend_workdays,
    public_holidays,
)
from monitor.config import Settings
from monitor.enums import CalendarDayKind
from monitor.models import CalendarDay, Dossier, Unit

EVERYWHERE = "*"
SOURCE_HOLIDAYS = "holidays.VN"
SOURCE_OVERRIDE = "override"

Source = Engine | Connection | Session


class CalendarError(ValueError):
    """An unknown scope, or an override that cannot be removed; the message is for a person."""


def _all(source: Source, statement: Any) -> list[Any]:
    if isinstance(source, Engine):
        with source.connect() as conn:
            return list(conn.execute(statement).all())
    return list(source.execute(statement).all())


def base_calendar(settings: Settings) -> WorkCalendar:
    """holidays.VN and the built-in make-up Saturdays, with the configured office hours."""
    return WorkCalendar(shifts=settings.office_shifts, paper_cutoff=settings.paper_cutoff_time)


@dataclass(frozen=True)
class Override:
    day: date
    kind: CalendarDayKind
    scope: str
    note: str


def load_overrides(source: Source) -> dict[str, list[Override]]:
    """Every override, grouped by scope."""
    rows = _all(
        source,
        select(CalendarDay.day, CalendarDay.kind, CalendarDay.scope, CalendarDay.note).order_by(
            CalendarDay.day
        ),
    )
    by_scope: dict[str, list[Override]] = defaultdict(list)
    for day, kind, scope, note in rows:
        by_scope[scope].append(Override(day, CalendarDayKind(kind), scope, note or ""))
    return dict(by_scope)


def scope_chain(source: Source, code: str | None) -> list[str]:
    """``*``, then the unit's ancestors' codes from the top, then the unit's own code."""
    if not code or code == EVERYWHERE:
        return [EVERYWHERE]
    rows = _all(source, select(Unit.id, Unit.code, Unit.parent_id))
    ids = {c: uid for uid, c, _p in rows}
    if code not in ids:
        raise CalendarError(f"Không có đơn vị mã '{code}'.")
    parent_of = {uid: parent for uid, _c, parent in rows}
    code_of = {uid: c for uid, c, _p in rows}
    return [EVERYWHERE, *_ancestry(ids[code], parent_of, code_of)]


def apply_overrides(cal: WorkCalendar, overrides: list[Override]) -> WorkCalendar:
    if not overrides:
        return cal
    off = [o.day for o in overrides if o.kind is CalendarDayKind.DAY_OFF]
    work = [o.day for o in overrides if o.kind is CalendarDayKind.WORKING_DAY]
    return cal.with_overrides(days_off=off, working_days=work)


def load_calendar(source: Source, settings: Settings, scope: str | None = None) -> WorkCalendar:
    """The calendar of one unit (by code), or of everywhere when ``scope`` is None or ``*``."""
    overrides = load_overrides(source)
    cal = base_calendar(settings)
    for level in scope_chain(source, scope):
        cal = apply_overrides(cal, overrides.get(level, []))
    return cal


def unit_calendars(
    source: Source, settings: Settings
) -> tuple[WorkCalendar, dict[int, WorkCalendar]]:
    """The ``*`` calendar, and the calendar of every unit whose scope chain has overrides of
    its own (units sharing the same chain of overrides share one calendar object)."""
    overrides = load_overrides(source)
    default = apply_overrides(base_calendar(settings), overrides.get(EVERYWHERE, []))
    rows = _all(source, select(Unit.id, Unit.code, Unit.parent_id))
    parent_of = {uid: parent for uid, _c, parent in rows}
    code_of = {uid: code for uid, code, _p in rows}
    shared: dict[tuple[str, ...], WorkCalendar] = {}
    by_unit: dict[int, WorkCalendar] = {}
    for uid in code_of:
        chain = [c for c in _ancestry(uid, parent_of, code_of) if c in overrides]
        if not chain:
            continue
        key = tuple(chain)
        if key not in shared:
            cal = default
            for level in chain:
                cal = apply_overrides(cal, overrides[level])
            shared[key] = cal
        by_unit[uid] = shared[key]
    return default, by_unit


def _ancestry(uid: int, parent_of: dict[int, int | None], code_of: dict[int, str]) -> list[str]:
    """Codes from the top of the tree down to the unit (cycles in bad data are cut)."""
    chain: list[str] = []
    seen: set[int] = set()
    current: int | None = uid
    while current is not None and current not in seen and current in code_of:
        seen.add(current)
        chain.append(code_of[current])
        current = parent_of.get(current)
    return list(reversed(chain))


@dataclass(frozen=True)
class CalendarEntry:
    """A day off or an extra working day of a year, and where it comes from."""

    day: date
    kind: CalendarDayKind
    source: str  # SOURCE_HOLIDAYS or SOURCE_OVERRIDE
    scope: str | None  # the override's scope
    note: str


def year_entries(
    source: Source, settings: Settings, year: int, scope: str | None = None
) -> list[CalendarEntry]:
    """Every public holiday, known make-up day and override of ``year`` for ``scope``; each day
    once, with the kind the scope's calendar gives it and the source that decided it."""
    cal = load_calendar(source, settings, scope)
    overrides = load_overrides(source)
    entries: dict[date, CalendarEntry] = {}
    names = holiday_names(year)
    for day in sorted(public_holidays(year) | holiday_weekend_workdays(year)):
        kind = _kind(cal.is_working_day(day))
        entries[day] = CalendarEntry(day, kind, SOURCE_HOLIDAYS, None, names.get(day, "Làm bù"))
    for level in scope_chain(source, scope):
        for o in overrides.get(level, []):
            if o.day.year == year:
                kind = _kind(cal.is_working_day(o.day))
                entries[o.day] = CalendarEntry(o.day, kind, SOURCE_OVERRIDE, o.scope, o.note)
    return [entries[d] for d in sorted(entries)]


def _kind(working: bool) -> CalendarDayKind:
    return CalendarDayKind.WORKING_DAY if working else CalendarDayKind.DAY_OFF


# -- editing ------------------------------------------------------------------------------------


def unit_ids_of_scope(session: Session, scope: str) -> set[int] | None:
    """None for ``*``; the unit and its subtree for a unit code; CalendarError if unknown."""
    if scope == EVERYWHERE:
        return None
    rows = session.execute(select(Unit.id, Unit.code, Unit.parent_id)).all()
    root = next((uid for uid, code, _p in rows if code == scope), None)
    if root is None:
        raise CalendarError(f"Không có đơn vị mã '{scope}'.")
    children: dict[int, list[int]] = defaultdict(list)
    for uid, _code, parent in rows:
        if parent is not None:
            children[parent].append(uid)
    seen, stack = {root}, [root]
    while stack:
        for child in children[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def set_override(
    session: Session, day: date, kind: CalendarDayKind, scope: str, note: str, actor: str
) -> int:
    """Add or change an override; audit it; mark the dossiers it can affect. Returns how many
    dossiers were marked for re-evaluation."""
    unit_ids = unit_ids_of_scope(session, scope)
    row = session.scalar(
        select(CalendarDay).where(CalendarDay.day == day, CalendarDay.scope == scope)
    )
    before = None if row is None else {"kind": row.kind, "note": row.note}
    if row is None:
        session.add(CalendarDay(day=day, kind=kind.value, scope=scope, note=note))
    else:
        row.kind, row.note = kind.value, note
    marked = mark_affected_dossiers(session, day, unit_ids)
    audit.record(
        session,
        actor,
        "calendar.add",
        _target(day, scope),
        {"kind": kind.value, "note": note, "before": before, "marked": marked},
    )
    return marked


def remove_override(session: Session, day: date, scope: str, actor: str) -> int:
    """Remove an override; audit it; mark the dossiers it can affect."""
    unit_ids = unit_ids_of_scope(session, scope)
    row = session.scalar(
        select(CalendarDay).where(CalendarDay.day == day, CalendarDay.scope == scope)
    )
    if row is None:
        raise CalendarError(f"Không có ngày điều chỉnh {day:%d/%m/%Y} cho phạm vi '{scope}'.")
    before = {"kind": row.kind, "note": row.note}
    session.delete(row)
    marked = mark_affected_dossiers(session, day, unit_ids)
    audit.record(
        session, actor, "calendar.remove", _target(day, scope), {"before": before, "marked": marked}
    )
    return marked


def _target(day: date, scope: str) -> str:
    return f"calendar_days:{scope}:{day.isoformat()}"


def mark_affected_dossiers(session: Session, day: date, unit_ids: set[int] | None) -> int:
    """Set next_change_at = NULL ("evaluate me") on the dossiers whose deadlines can depend on
    ``day``: received by the end of it, and not settled with every date before the day before.
    """
    lo, hi = day_start(day - timedelta(days=1)), day_start(day + timedelta(days=1))
    d = Dossier
    stmt = (
        update(d)
        .where(d.received_at < hi)
        .where(
            or_(
                d.finished_at.is_(None),
                d.finished_at >= lo,
                d.legal_due_at >= lo,
                d.effective_due_at >= lo,
                d.due_at >= lo,
            )
        )
        .values(next_change_at=None)
        .execution_options(synchronize_session=False)
    )
    if unit_ids is not None:
        ids = sorted(unit_ids)
        stmt = stmt.where(or_(d.resolving_unit_id.in_(ids), d.receiving_unit_id.in_(ids)))
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
