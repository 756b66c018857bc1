"""`motcua report 06a|register|verify` as an inspector runs them: files, exit codes, the audit
log, masking by role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reports_helpers import APPLICANT, add_dossier, make_province
from sqlalchemy import Engine, select

from monitor.auth import create_user
from monitor.cli import main
from monitor.db import session_scope
from monitor.models import AuditEntry

PERIOD = ["--from", "01/03/2025", "--to", "31/03/2025"]


@pytest.fixture
def province(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Engine:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    p = make_province(engine)
    add_dossier(
        engine,
        p,
        unit=p.land_office,
        field=p.land,
        received="2025-03-03 09:00",
        due="2025-03-10 17:00",
        status=10,
        finished="2025-03-12 10:00",
        channel=2,
    )
    add_dossier(
        engine,
        p,
        unit=p.commune_a,
        field=p.civil,
        received="2025-03-04 09:00",
        due="2025-03-06 17:00",
        status=4,
    )
    with session_scope(engine) as s:
        create_user(s, "thanhtra", "mật khẩu dài", "inspector")
        create_user(s, "quantri", "mật khẩu dài", "admin")
    return engine


def _audits(engine: Engine) -> list[tuple[str, str, dict]]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(AuditEntry.actor, AuditEntry.target, AuditEntry.detail)
            .where(AuditEntry.action == "report.export")
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_06a_json_is_keyed_by_the_form_column_numbers_and_audited(
    province: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b06a.json"
    code = main(["report", "06a", *PERIOD, "--format", "json", "-o", str(out), "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["field"] for r in doc["rows"]] == ["Đất đai", "Hộ tịch"]
    assert {k: doc["total"][k] for k in ("3", "4", "5", "7", "10", "11", "13")} == {
        "3": 2,
        "4": 1,
        "5": 1,
        "7": 1,
        "10": 1,
        "11": 1,
        "13": 1,
    }
    assert doc["meta"]["sha256"] == printed["sha256"]
    [(actor, target, detail)] = _audits(province)
    assert actor.startswith("cli") and target == f"report:{printed['sha256']}"
    assert detail["report"] == "06a" and detail["format"] == "json" and detail["rows"] == 5


def test_register_is_masked_for_an_inspector_and_clear_for_an_admin(
    province: Engine, tmp_path: Path
) -> None:
    masked, clear = tmp_path / "masked.csv", tmp_path / "clear.csv"
    assert main(["report", "register", *PERIOD, "-o", str(masked), "--as-user", "thanhtra"]) == 0
    assert main(["report", "register", *PERIOD, "-o", str(clear), "--as-user", "quantri"]) == 0
    assert APPLICANT not in masked.read_text(encoding="utf-8-sig")
    assert APPLICANT in clear.read_text(encoding="utf-8-sig")
    audits = _audits(province)
    assert [(a[0], a[2]["personal_data"]) for a in audits] == [
        ("thanhtra", False),
        ("quantri", True),
    ]


def test_verify_says_intact_then_altered(
    province: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b06a.xlsx"
    assert main(["report", "06a", *PERIOD, "--unit", "H56", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["report", "verify", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Dữ liệu nguyên vẹn" in said and "Đã ghi nhật ký xuất" in said
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == "Đất đai":
                ws.cell(row=cell.row, column=3).value = 99
    wb.save(out)
    assert main(["report", "verify", str(out), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["intact"] is False and doc["ok"] is False


def test_verify_flags_a_rewritten_hash_that_the_audit_log_never_saw(
    province: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b06a.csv"
    assert main(["report", "06a", *PERIOD, "-o", str(out)]) == 0
    with session_scope(province) as s:
        for entry in s.scalars(select(AuditEntry)):
            s.delete(entry)
    capsys.readouterr()
    assert main(["report", "verify", str(out)]) == 1
    assert "không có trong nhật ký xuất" in capsys.readouterr().out


def test_verify_flags_an_edited_period_in_the_stamp(
    province: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stamp's parameters are outside the hashed rows; the audit log holds the real ones."""
    out = tmp_path / "b06a.csv"
    assert main(["report", "06a", *PERIOD, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.count('"to"": ""2025-03-31""') == 2  # the human line and the #meta JSON
    out.write_text(
        text.replace('"to"": ""2025-03-31""', '"to"": ""2025-06-30""'), encoding="utf-8-sig"
    )
    capsys.readouterr()
    assert main(["report", "verify", str(out), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["intact"] is True and doc["stamp_matches_audit"] is False
    assert doc["params"]["to"] == "2025-06-30" and len(doc["recorded"]) == 1
    assert main(["report", "verify", str(out)]) == 1
    assert "khác với nhật ký xuất" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "32/03/2025", "--to", "31/03/2025"], "--from '32/03/2025' không phải ngày"),
        (["--from", "01/04/2025", "--to", "31/03/2025"], "ngày kết thúc 31/03/2025 trước"),
        ([*PERIOD, "--unit", "KHONG-CO"], "Không có đơn vị mã 'KHONG-CO'"),
        ([*PERIOD, "--as-user", "ai-do"], "Không có tài khoản đang hoạt động 'ai-do'"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    province: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "x.csv"
    assert main(["report", "06a", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and not out.exists()


def test_verify_of_a_missing_or_foreign_file_exits_2(
    province: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "verify", str(tmp_path / "none.xlsx")]) == 2
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("a,b\n", encoding="utf-8")
    assert main(["report", "verify", str(foreign)]) == 2
    assert "không có phần thông tin xuất" in capsys.readouterr().err
