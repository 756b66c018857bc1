"""Data health for inspectors and admins: source freshness, import batches and their
quarantined rows, scheduled job runs, the audit log (paged), accounts and calendar overrides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, func, select

from monitor.calendar import day_start
from monitor.calendar_store import load_overrides
from monitor.db import session_scope
from monitor.enums import CalendarDayKind
from monitor.freshness import stale_sources
from monitor.models import AuditEntry, ImportBatch, JobRun, QuarantinedRow, Source, Unit, User

FRESHNESS_VI = {
    "fresh": "Đang nhận dữ liệu",
    "stale": "Quá hạn chưa nhận dữ liệu",
    "disabled": "Đã tắt",
    "manual": "Nhập tệp thủ công",
}


@dataclass(frozen=True)
class SourceRow:
    name: str
    kind: str
    url: str
    expected_minutes: int
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str
    state: str  # a key of FRESHNESS_VI


def source_freshness(engine: Engine, now: datetime) -> list[SourceRow]:
    """Every source with its freshness as the stale-source alert rule sees it."""
    with session_scope(engine) as s:
        stale = {src.id for src in stale_sources(s, now)}
        sources = list(s.scalars(select(Source).order_by(Source.name)))
        return [_source_row(src, src.id in stale) for src in sources]


def _source_row(src: Source, stale: bool) -> SourceRow:
    if not src.enabled:
        state = "disabled"
    elif src.kind != "http":
        state = "manual"
    else:
        state = "stale" if stale else "fresh"
    return SourceRow(
        src.name,
        src.kind,
        src.url or "",
        src.expected_interval_minutes,
        src.last_success_at,
        src.last_attempt_at,
        src.last_error or "",
        state,
    )


@dataclass(frozen=True)
class BatchRow:
    id: int
    source: str
    kind: str
    location: str
    file_format: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    inserted: int
    updated: int
    unchanged: int
    quarantined: int
    error: str


def import_batches(engine: Engine, limit: int = 50) -> list[BatchRow]:
    """The latest import batches, newest first."""
    q = (
        select(
            ImportBatch.id,
            func.coalesce(Source.name, ""),
            ImportBatch.kind,
            ImportBatch.location,
            ImportBatch.file_format,
            ImportBatch.started_at,
            ImportBatch.finished_at,
            ImportBatch.status,
            ImportBatch.inserted,
            ImportBatch.updated,
            ImportBatch.unchanged,
            ImportBatch.quarantined,
            func.coalesce(ImportBatch.error, ""),
        )
        .outerjoin(Source, Source.id == ImportBatch.source_id)
        .order_by(ImportBatch.started_at.desc(), ImportBatch.id.desc())
        .limit(limit)
    )
    with session_scope(engine) as s:
        rows: list[Any] = list(s.execute(q).all())  # thirteen columns: past Row's typing
    return [BatchRow(*r) for r in rows]


@dataclass(frozen=True)
class QuarantineRow:
    line_no: int
    reason: str
    message: str
    raw: str


def quarantine_reasons(engine: Engine, batch_id: int) -> list[tuple[str, int]]:
    """How many rows of a batch were quarantined for each reason, most frequent first."""
    q = (
        select(QuarantinedRow.reason, func.count())
        .where(QuarantinedRow.batch_id == batch_id)
        .group_by(QuarantinedRow.reason)
    )
    with session_scope(engine) as s:
        counts = [(r, int(n)) for r, n in s.execute(q).all()]
    return sorted(counts, key=lambda rn: (-rn[1], rn[0]))


def quarantined_rows(engine: Engine, batch_id: int, limit: int = 500) -> list[QuarantineRow]:
    q = (
        select(
            QuarantinedRow.line_no,
            QuarantinedRow.reason,
            QuarantinedRow.message,
            QuarantinedRow.raw,
        )
        .where(QuarantinedRow.batch_id == batch_id)
        .order_by(QuarantinedRow.line_no, QuarantinedRow.id)
        .limit(limit)
    )
    with session_scope(engine) as s:
        return [QuarantineRow(*r) for r in s.execute(q).all()]


@dataclass(frozen=True)
class JobRunRow:
    id: int
    job_id: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    counts: dict[str, Any]
    error: str

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


def job_ids(engine: Engine) -> list[str]:
    with session_scope(engine) as s:
        return list(s.scalars(select(JobRun.job_id).distinct().order_by(JobRun.job_id)))


def job_runs(engine: Engine, job_id: str | None = None, limit: int = 100) -> list[JobRunRow]:
    """The latest runs, newest first, of one job or of all."""
    q = select(
        JobRun.id,
        JobRun.job_id,
        JobRun.started_at,
        JobRun.finished_at,
        JobRun.outcome,
        JobRun.counts,
        func.coalesce(JobRun.error, ""),
    )
    if job_id:
        q = q.where(JobRun.job_id == job_id)
    q = q.order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    with session_scope(engine) as s:
        return [JobRunRow(*r) for r in s.execute(q).all()]


@dataclass(frozen=True)
class AuditFilter:
    start: date | None = None
    end: date | None = None
    actor: str = ""
    action: str = ""
    target: str = ""  # a part of the target

    def conditions(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.start is not None:
            out.append(AuditEntry.at >= day_start(self.start))
        if self.end is not None:
            out.append(AuditEntry.at < day_start(self.end + timedelta(days=1)))
        if self.actor:
            out.append(AuditEntry.actor == self.actor)
        if self.action:
            out.append(AuditEntry.action == self.action)
        if self.target:
            out.append(AuditEntry.target.contains(self.target, autoescape=True))
        return out


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int  # 1-based
    pages: int


def audit_page(engine: Engine, flt: AuditFilter, page: int = 1, size: int = 50) -> AuditPage:
    """One page of the audit log, newest first, within the filter."""
    conditions = flt.conditions()
    with session_scope(engine) as s:
        total = int(s.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0)
        pages = max(1, -(-total // size))
        page = min(max(1, page), pages)
        q = (
            select(
                AuditEntry.id,
                AuditEntry.at,
                AuditEntry.actor,
                AuditEntry.action,
                AuditEntry.target,
                AuditEntry.detail,
            )
            .where(*conditions)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        )
        rows = [AuditRow(*r) for r in s.execute(q).all()]
    return AuditPage(rows, total, page, pages)


def audit_choices(engine: Engine) -> tuple[list[str], list[str]]:
    """The actors and the actions that occur in the audit log, for the filters."""
    with session_scope(engine) as s:
        actors = s.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))
        actions = s.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
        return list(actors), list(actions)


@dataclass(frozen=True)
class UserRow:
    username: str
    full_name: str
    role: str
    unit: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


def users(engine: Engine) -> list[UserRow]:
    q = (
        select(
            User.username,
            User.full_name,
            User.role,
            func.coalesce(Unit.name, ""),
            User.active,
            User.locked_until,
            User.last_login_at,
        )
        .outerjoin(Unit, Unit.id == User.unit_id)
        .order_by(User.username)
    )
    with session_scope(engine) as s:
        return [UserRow(*r) for r in s.execute(q).all()]


CALENDAR_KIND_VI = {
    CalendarDayKind.DAY_OFF: "Ngày nghỉ thêm",
    CalendarDayKind.WORKING_DAY: "Ngày làm việc thêm",
}


@dataclass(frozen=True)
class OverrideRow:
    day: date
    kind: str  # Vietnamese
    scope: str
    note: str


def calendar_overrides(engine: Engine) -> list[OverrideRow]:
    """Every override of the working calendar, by day."""
    flat = [o for group in load_overrides(engine).values() for o in group]
    flat.sort(key=lambda o: (o.day, o.scope))
    return [OverrideRow(o.day, CALENDAR_KIND_VI[o.kind], o.scope, o.note) for o in flat]
