"""The late-dossier register: every dossier of the period (as Biểu 06a counts them) that was
settled late (column 10) or is still open past its due date at the period's end (column 13),
with who was responsible and what became of the apology the agency owed (DOMAIN.md §4).

Rows stream from the database in batches in order of receipt; each is judged by the deadline
engine as of the last second of the period, and facts dated after it are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from monitor import __version__
from monitor.calendar import from_instant
from monitor.config import Settings
from monitor.db import session_scope
from monitor.deadlines import Evaluation, Policy, evaluate_at
from monitor.deadlines.apologies import judge_apologies
from monitor.deadlines.facts import DossierFacts
from monitor.deadlines.responsibility import responsible_units
from monitor.deadlines.store import FROM_DOSSIERS, Sql, dossier_columns, facts_of
from monitor.enums import Breach, DueStatus
from monitor.models import Field, Unit
from monitor.reports import texts as T
from monitor.reports.counting import OPEN, Context, batches, end_column
from monitor.reports.masking import mask_name, mask_phone
from monitor.reports.model import Column, Kind, Report, Row, Table
from monitor.reports.period import Period, Scope
from monitor.reports.sql import (
    Query,
    counted_sql,
    end_column_sql,
    maybe_open_at_start_sql,
    plain_sql,
)
from monitor.reports.trust import VN_FIXED
from monitor.vi_format import day

IN_REGISTER = ("10", "13")  # the columns of Biểu 06a: settled late, in progress overdue
_D, _N = Kind.DATETIME, Kind.INT
COLUMNS = (
    Column("stt", T.COL_REGISTER["stt"], _N, 7),
    Column("code", T.COL_REGISTER["code"], Kind.TEXT, 24),
    Column("procedure", T.COL_REGISTER["procedure"], Kind.TEXT, 34),
    Column("field", T.COL_REGISTER["field"], Kind.TEXT, 16),
    Column("unit", T.COL_REGISTER["unit"], Kind.TEXT, 22),
    Column("applicant", T.COL_REGISTER["applicant"], Kind.TEXT, 18),
    Column("phone", T.COL_REGISTER["phone"], Kind.TEXT, 13),
    Column("received", T.COL_REGISTER["received"], _D, 16),
    Column("due", T.COL_REGISTER["due"], _D, 16, T.GROUP_DUE),
    Column("reset_due", T.COL_REGISTER["reset_due"], _D, 16, T.GROUP_DUE),
    Column("finished", T.COL_REGISTER["finished"], _D, 16, T.GROUP_DONE),
    Column("returned", T.COL_REGISTER["returned"], _D, 16, T.GROUP_DONE),
    Column("state", T.COL_REGISTER["state"], Kind.TEXT, 18),
    Column("days_late", T.COL_REGISTER["days_late"], _N, 10),
    Column("responsible", T.COL_REGISTER["responsible"], Kind.TEXT, 24),
    Column("steps", T.COL_REGISTER["steps"], Kind.TEXT, 34),
    Column("apology", T.COL_REGISTER["apology"], Kind.TEXT, 20),
    Column("rating", T.COL_REGISTER["rating"], Kind.TEXT, 14),
)
# Extra columns read after dossier_columns (0–9) and field id (10).
EXTRA = ("d.code", "d.procedure_code", "d.procedure_name", "d.applicant_name", "d.applicant_phone")


def statement(q: Query, period: Period, scope: Scope, policy: Policy) -> str:
    """Dossiers that may be in the register: every non-plain one, and plain ones whose end
    column is 10 or 13. The engine has the last word on each."""
    columns = ", ".join([*dossier_columns(q.sql), "d.field_id", *EXTRA])
    where = counted_sql(q, period, scope)
    plain = plain_sql(q, policy)
    late = end_column_sql(q, period)
    maybe = maybe_open_at_start_sql(q, period)
    return (
        f"SELECT {columns} {FROM_DOSSIERS} WHERE {where} AND d.status NOT IN (5, 6) "
        f"AND (NOT {plain} OR ({late}) IN (10, 13)) AND {maybe} "
        "ORDER BY d.received_at, d.id"
    )


@dataclass(frozen=True)
class Names:
    units: dict[int, str]
    fields: dict[int, str]

    @classmethod
    def load(cls, engine: Engine) -> Names:
        with session_scope(engine) as s:
            units = {i: n for i, n in s.execute(select(Unit.id, Unit.name))}
            fields = {i: n for i, n in s.execute(select(Field.id, Field.name))}
        return cls(units, fields)


def _at(t: int | None, limit: int) -> datetime | None:
    """A fact's time, or nothing if it was not yet known at the as-of time."""
    return None if t is None or t > limit else datetime.fromtimestamp(t, VN_FIXED)


def _dt(t: int | None) -> datetime | None:
    return None if t is None else datetime.fromtimestamp(t, VN_FIXED)


APOLOGY_BREACHES = {
    Breach.LATE_WITHOUT_APOLOGY: T.APOLOGY_MISSING,
    Breach.APOLOGY_TOO_LATE: T.APOLOGY_TOO_LATE,
    Breach.SECOND_RESCHEDULE: T.APOLOGY_SECOND,
    Breach.MISSED_NEW_DUE: T.APOLOGY_MISSED_NEW,
}


def apology_status(f: DossierFacts, ev: Evaluation, now: int) -> str:
    """What became of the apology the agency owed: the breaches of the rule, or else whether
    a letter was issued in time."""
    found = [APOLOGY_BREACHES[b] for b in ev.breaches if b in APOLOGY_BREACHES]
    if found:
        return "; ".join(found)
    outcome = judge_apologies(f.apologies, ev.due_at, now)
    if outcome.reset:
        return T.APOLOGY_IN_TIME
    return T.APOLOGY_ISSUED if outcome.issued else ""


def late_steps(f: DossierFacts, ev: Evaluation, now: int) -> str:
    """The steps that outran their own allotted time, as the engine judges responsibility."""
    running = ev.due_status is DueStatus.OVERDUE
    end = f.finished_at if f.finished_at is not None else f.returned_at
    out = []
    for step in f.steps:
        if step.deadline_at is None or not responsible_units((step,), running, end, now):
            continue
        done = _at(step.done_at, now)
        state = T.STEP_DONE.format(at=day(done)) if done else T.STEP_OPEN
        out.append(
            T.STEP_LATE.format(
                unit=step.unit, deadline=day(from_instant(step.deadline_at)), done=state
            )
        )
    return "; ".join(out)


def _ratings(conn: Any, ids: list[int]) -> dict[int, int]:
    sql = Sql.of(conn)
    cond, params = sql.in_ids("dossier_id", ids)
    cur = conn.connection.driver_connection.cursor()
    cur.execute(f"SELECT dossier_id, overall FROM ratings WHERE {cond}", params)
    return {d: o for d, o in cur.fetchall()}


def register_rows(
    engine: Engine, settings: Settings, period: Period, scope: Scope, masked: bool
) -> Iterator[Row]:
    names = Names.load(engine)
    start, first, end = period.as_of_start, period.first_instant, period.as_of_end
    with engine.connect() as conn, conn.begin():
        ctx = Context.load(conn, settings)
        q = Query(Sql.of(conn))
        text = statement(q, period, scope, ctx.policy)
        n = 0
        for batch, children in batches(conn, text, q.params, end):
            ratings = _ratings(conn, [r[0] for r in batch])
            for row in batch:
                facts = facts_of(row, children)
                cal = ctx.by_unit.get(row[9], ctx.default) if ctx.by_unit else ctx.default
                if row[3] < first and (
                    evaluate_at(facts, ctx.policy, cal, start).due_status not in OPEN
                ):
                    continue
                ev = evaluate_at(facts, ctx.policy, cal, end)
                if end_column(facts, ev, end) not in IN_REGISTER:
                    continue
                n += 1
                yield _register_row(n, row, facts, ev, end, names, ratings.get(row[0]), masked)


def _register_row(
    n: int,
    row: Any,
    f: DossierFacts,
    ev: Evaluation,
    now: int,
    names: Names,
    rating: int | None,
    masked: bool,
) -> Row:
    code, proc_code, proc_name, applicant, phone = row[11:16]
    reset = ev.effective_due_at if ev.effective_due_at != ev.due_at else None
    return Row(
        (
            n,
            code,
            f"{proc_code} - {proc_name}" if proc_code else proc_name,
            names.fields.get(row[10], T.NO_FIELD) if row[10] else T.NO_FIELD,
            names.units.get(row[9], "") if row[9] else "",
            mask_name(applicant) if masked else applicant or "",
            mask_phone(phone) if masked else phone or "",
            datetime.fromtimestamp(row[3], VN_FIXED),
            _dt(ev.due_at),
            _dt(reset),
            _at(row[5], now),
            _at(row[6], now),
            T.STATE_LATE if ev.due_status is DueStatus.LATE else T.STATE_OVERDUE,
            ev.days_late,
            ", ".join(ev.responsible_units),
            late_steps(f, ev, now),
            apology_status(f, ev, now),
            T.RATING_LEVELS.get(rating, "") if rating is not None else "",
        )
    )


def build(
    engine: Engine,
    settings: Settings,
    period: Period,
    scope: Scope,
    generated_at: datetime,
    masked: bool = True,
) -> Report:
    rows = register_rows(engine, settings, period, scope, masked)
    return Report(
        kind="register",
        title=T.TITLE_REGISTER,
        form_code="",
        header=[
            (T.REPORTING_UNIT, scope.unit_name),
            (T.PERIOD, T.period_text(day(period.start), day(period.end))),
        ],
        tables=[Table("register", T.REGISTER_SHEET, COLUMNS, rows)],
        params={
            "report": "register",
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "unit": scope.unit_code,
            "masked": masked,
            "supplement_policy": settings.supplement_policy,
        },
        generated_at=generated_at,
        version=__version__,
        notes=[T.MASKED_NOTE if masked else T.UNMASKED_NOTE],
        personal_data=not masked,
    )
