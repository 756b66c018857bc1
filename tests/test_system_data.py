"""Data health read for the console: source freshness, import batches and quarantined rows,
job runs, the audit log page by page and filtered, accounts and calendar overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from monitor import audit
from monitor.auth import create_user
from monitor.calendar_store import set_override
from monitor.db import session_scope
from monitor.enums import CalendarDayKind
from monitor.jobruns import run_recorded
from monitor.metrics import system_data as sd
from monitor.models import AuditEntry, ImportBatch, QuarantinedRow, Source, Unit

NOW = datetime(2025, 3, 20, 3, 0, tzinfo=UTC)


def test_source_freshness_follows_the_stale_source_rule(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add_all(
            [
                Source(
                    name="a-fresh",
                    kind="http",
                    expected_interval_minutes=60,
                    last_success_at=NOW - timedelta(minutes=59),
                ),
                Source(
                    name="b-stale",
                    kind="http",
                    expected_interval_minutes=60,
                    last_success_at=NOW - timedelta(minutes=61),
                    last_error="HTTP 503",
                ),
                Source(name="c-never", kind="http"),
                Source(name="d-off", kind="http", enabled=False),
                Source(name="e-files", kind="file"),
            ]
        )
    rows = sd.source_freshness(engine, NOW)
    assert [(r.name, r.state) for r in rows] == [
        ("a-fresh", "fresh"),
        ("b-stale", "stale"),
        ("c-never", "stale"),
        ("d-off", "disabled"),
        ("e-files", "manual"),
    ]
    assert rows[1].last_error == "HTTP 503"
    assert all(r.state in sd.FRESHNESS_VI for r in rows)


def _batch(engine: Engine, started: datetime, quarantined: list[tuple[int, str]]) -> int:
    with session_scope(engine) as s:
        src = s.query(Source).filter_by(name="dvc").one_or_none() or Source(name="dvc")
        s.add(src)
        s.flush()
        b = ImportBatch(
            source_id=src.id,
            location="ho-so.csv",
            file_format="csv",
            started_at=started,
            status="success",
            inserted=5,
            quarantined=len(quarantined),
        )
        s.add(b)
        s.flush()
        for line, reason in quarantined:
            s.add(
                QuarantinedRow(
                    batch_id=b.id,
                    line_no=line,
                    reason=reason,
                    message=f"dòng {line}",
                    raw=f"raw {line}",
                )
            )
        return b.id


def test_batches_newest_first_with_their_quarantined_rows_and_reasons(engine: Engine) -> None:
    old = _batch(engine, NOW - timedelta(days=1), [])
    new = _batch(engine, NOW, [(7, "bad_date"), (3, "missing_code"), (9, "bad_date")])
    batches = sd.import_batches(engine)
    assert [b.id for b in batches] == [new, old]
    assert (batches[0].source, batches[0].quarantined) == ("dvc", 3)
    assert sd.quarantine_reasons(engine, new) == [("bad_date", 2), ("missing_code", 1)]
    rows = sd.quarantined_rows(engine, new)
    assert [(q.line_no, q.reason, q.raw) for q in rows] == [
        (3, "missing_code", "raw 3"),
        (7, "bad_date", "raw 7"),
        (9, "bad_date", "raw 9"),
    ]
    assert sd.quarantined_rows(engine, old) == []


def test_job_runs_newest_first_by_job_with_outcome_and_error(engine: Engine) -> None:
    run_recorded(engine, "evaluate", lambda: {"evaluated": 3})

    def broken() -> None:
        raise RuntimeError("không kết nối được nguồn")

    run_recorded(engine, "collect:demo", broken)
    run_recorded(engine, "evaluate", lambda: {"evaluated": 4})
    assert sd.job_ids(engine) == ["collect:demo", "evaluate"]
    runs = sd.job_runs(engine)
    assert len(runs) == 3
    evaluations = sd.job_runs(engine, "evaluate")
    assert [r.counts for r in evaluations] == [{"evaluated": 4}, {"evaluated": 3}]
    failed = sd.job_runs(engine, "collect:demo")[0]
    assert failed.outcome == "failed" and "không kết nối được nguồn" in failed.error
    assert failed.seconds is not None and failed.seconds >= 0


def _audit(engine: Engine, n: int) -> None:
    with session_scope(engine) as s:
        for i in range(n):
            s.add(
                AuditEntry(
                    at=NOW + timedelta(minutes=i),
                    actor="quantri" if i % 2 else "cli:root",
                    action="kiosk.revoke" if i % 3 == 0 else "report.export",
                    target=f"kiosk:{i}" if i % 3 == 0 else f"report:{i:04d}",
                    detail={"i": i},
                )
            )


def test_audit_log_pages_newest_first(engine: Engine) -> None:
    _audit(engine, 12)
    first = sd.audit_page(engine, sd.AuditFilter(), page=1, size=5)
    assert (first.total, first.pages, first.page) == (12, 3, 1)
    assert [r.detail["i"] for r in first.rows] == [11, 10, 9, 8, 7]
    last = sd.audit_page(engine, sd.AuditFilter(), page=3, size=5)
    assert [r.detail["i"] for r in last.rows] == [1, 0]
    beyond = sd.audit_page(engine, sd.AuditFilter(), page=99, size=5)
    assert beyond.page == 3 and len(beyond.rows) == 2


def test_audit_log_filters_combine(engine: Engine) -> None:
    _audit(engine, 12)
    flt = sd.AuditFilter(actor="quantri", action="kiosk.revoke")
    assert [r.detail["i"] for r in sd.audit_page(engine, flt).rows] == [9, 3]
    kiosk = sd.audit_page(engine, sd.AuditFilter(target="kiosk:9"))
    assert [r.target for r in kiosk.rows] == ["kiosk:9"]
    by_target = sd.audit_page(engine, sd.AuditFilter(target="report:001"))
    assert sorted(r.detail["i"] for r in by_target.rows) == [10, 11]
    actors, actions = sd.audit_choices(engine)
    assert (actors, actions) == (["cli:root", "quantri"], ["kiosk.revoke", "report.export"])


def test_audit_target_filter_treats_wildcards_literally(engine: Engine) -> None:
    with session_scope(engine) as s:
        audit.record(s, "a", "x", "giảm_50%")
        audit.record(s, "a", "x", "giam-50-phan-tram")
    assert [r.target for r in sd.audit_page(engine, sd.AuditFilter(target="_50%")).rows] == [
        "giảm_50%"
    ]


def test_audit_log_filters_by_vietnamese_days(engine: Engine) -> None:
    with session_scope(engine) as s:
        # 23:30 on 19 March in Vietnam, and 00:30 on 20 March.
        s.add(AuditEntry(at=datetime(2025, 3, 19, 16, 30, tzinfo=UTC), actor="a", action="x"))
        s.add(AuditEntry(at=datetime(2025, 3, 19, 17, 30, tzinfo=UTC), actor="b", action="x"))
    day = date(2025, 3, 20)
    assert [r.actor for r in sd.audit_page(engine, sd.AuditFilter(day, day)).rows] == ["b"]
    assert [r.actor for r in sd.audit_page(engine, sd.AuditFilter(end=date(2025, 3, 19))).rows] == [
        "a"
    ]


def test_users_and_calendar_overrides(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add(Unit(code="H56.X1", name="UBND xã An Phú", level="commune"))
        s.flush()
        create_user(s, "giamsat", "mat-khau-dai", "supervisor", "H56.X1", full_name="Giám Sát")
        create_user(s, "quantri", "mat-khau-dai", "admin")
        set_override(s, date(2025, 3, 22), CalendarDayKind.WORKING_DAY, "*", "Làm bù", "t")
        set_override(s, date(2025, 3, 21), CalendarDayKind.DAY_OFF, "H56.X1", "Nghỉ xã", "t")
    assert [(u.username, u.role, u.unit, u.active) for u in sd.users(engine)] == [
        ("giamsat", "supervisor", "UBND xã An Phú", True),
        ("quantri", "admin", "", True),
    ]
    overrides = [
        o for o in sd.calendar_overrides(engine) if o.day in (date(2025, 3, 21), date(2025, 3, 22))
    ]
    assert [(o.day, o.kind, o.scope) for o in overrides] == [
        (date(2025, 3, 21), "Ngày nghỉ thêm", "H56.X1"),
        (date(2025, 3, 22), "Ngày làm việc thêm", "*"),
    ]


@pytest.mark.parametrize("size", [1, 7])
def test_an_empty_audit_log_has_one_empty_page(engine: Engine, size: int) -> None:
    page = sd.audit_page(engine, sd.AuditFilter(), size=size)
    assert (page.rows, page.total, page.page, page.pages) == ([], 0, 1, 1)
