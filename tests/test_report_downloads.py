"""The console's report downloads: the same reports as ``motcua report``, audited under the
person who made them, masked unless an admin, never wider than a supervisor's subtree."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from reports_helpers import APPLICANT, PHONE, Province, add_dossier, make_province
from sqlalchemy import Engine, select

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import AuditEntry
from monitor.reports.downloads import Download, build_download, console_scope
from monitor.reports.period import Period, ReportInputError
from monitor.reports.verify import verify_file

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
NOW = datetime(2025, 4, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def province(engine: Engine) -> Province:
    p = make_province(engine)
    for unit, code in ((p.commune_a, "AP-0001"), (p.commune_b, "BM-0001")):
        add_dossier(
            engine,
            p,
            unit=unit,
            field=p.land,
            received="2025-03-03 09:00",
            due="2025-03-10",
            finished="2025-03-14 10:00",
            status=10,
            code=code,
        )
    return p


def _download(
    engine: Engine,
    unit: int | None,
    allowed: set[int] | None,
    *,
    kind: str = "register",
    fmt: str = "csv",
    actor: str = "thanhtra",
    masked: bool = True,
) -> Download:
    scope = console_scope(engine, unit, allowed)
    return build_download(
        engine, Settings(), kind, fmt, MARCH, scope, actor=actor, masked=masked, now=NOW
    )


def test_the_whole_province_for_someone_who_sees_everything(engine: Engine) -> None:
    scope = console_scope(engine, None, None)
    assert (scope.unit_code, scope.unit_ids) == (None, None)


def test_a_supervisor_must_pick_a_unit_inside_the_subtree(
    engine: Engine, province: Province
) -> None:
    allowed = {province.commune_a}
    with pytest.raises(ReportInputError):
        console_scope(engine, None, allowed)
    with pytest.raises(ReportInputError):
        console_scope(engine, province.commune_b, allowed)
    scope = console_scope(engine, province.commune_a, allowed)
    assert (scope.unit_code, scope.unit_name) == ("H56.X1", "UBND xã An Phú")
    assert scope.unit_ids == frozenset({province.commune_a})


def test_a_units_subtree_is_cut_to_what_the_person_may_see(
    engine: Engine, province: Province
) -> None:
    scope = console_scope(engine, province.province, {province.province, province.commune_a})
    assert scope.unit_ids == frozenset({province.province, province.commune_a})


def test_register_is_masked_and_audited_under_the_person(
    engine: Engine, province: Province, tmp_path: Path
) -> None:
    d = _download(engine, None, None)
    text = d.data.decode("utf-8-sig")
    assert "AP-0001" in text and "BM-0001" in text
    assert APPLICANT not in text and PHONE not in text
    assert "N*** T*** B*** M***" in text
    assert (d.rows, d.personal_data, d.mime) == (2, False, "text/csv")
    assert d.file_name == "so-ho-so-tre-han_01-03-2025_31-03-2025.csv"
    with session_scope(engine) as s:
        entry = s.execute(
            select(AuditEntry).where(AuditEntry.action == "report.export")
        ).scalar_one()
        assert (entry.actor, entry.target) == ("thanhtra", f"report:{d.sha256}")
        assert entry.detail["personal_data"] is False
        assert entry.detail["file"] == d.file_name
    saved = tmp_path / d.file_name
    saved.write_bytes(d.data)
    assert verify_file(saved).intact


def test_an_admin_gets_personal_data_and_the_audit_says_so(
    engine: Engine, province: Province
) -> None:
    d = _download(engine, None, None, actor="quantri", masked=False)
    assert APPLICANT in d.data.decode("utf-8-sig")
    assert d.personal_data is True
    with session_scope(engine) as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.actor == "quantri"))
    assert detail is not None and detail["personal_data"] is True


def test_a_commune_supervisors_register_has_only_their_dossiers(
    engine: Engine, province: Province
) -> None:
    d = _download(engine, province.commune_a, {province.commune_a}, actor="giamsat.a")
    text = d.data.decode("utf-8-sig")
    assert "AP-0001" in text and "BM-0001" not in text
    assert d.rows == 1


@pytest.mark.parametrize(
    ("kind", "fmt", "magic"),
    [("06a", "xlsx", b"PK"), ("satisfaction", "pdf", b"%PDF"), ("06a", "csv", b"\xef\xbb\xbf")],
)
def test_every_report_in_every_format(
    engine: Engine, province: Province, kind: str, fmt: str, magic: bytes
) -> None:
    d = _download(engine, None, None, kind=kind, fmt=fmt)
    assert d.data.startswith(magic)
    assert d.file_name.endswith(f".{fmt}")


def test_unknown_reports_and_formats_are_refused(engine: Engine, province: Province) -> None:
    with pytest.raises(ReportInputError):
        _download(engine, None, None, kind="tong-hop")
    with pytest.raises(ReportInputError):
        _download(engine, None, None, fmt="json")
