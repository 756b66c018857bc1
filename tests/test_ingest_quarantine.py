"""Rows that fail validation go to quarantine with line, reason and raw row; the rest imports."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ingest_helpers import APPLICANT, PHONE, count, record
from sqlalchemy import Engine, select

from monitor.db import session_scope
from monitor.ingest import import_records
from monitor.models import Dossier, QuarantinedRow


def _outcome(engine: Engine, rec: Any) -> str | None:
    """The quarantine reason of ``rec`` imported alone, or None if it was accepted."""
    result = import_records(engine, [rec], source="dvc")
    if result.quarantined == 0:
        assert result.inserted + result.updated + result.unchanged == 1
        return None
    (reason,) = result.reasons
    return reason


def _without(key: str) -> dict[str, Any]:
    rec = record()
    del rec[key]
    return rec


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"NgayHenTra": "20250110080000"}, None),  # due exactly at receipt
        ({"NgayHenTra": "20250110075900"}, "due_before_receipt"),  # one minute before
        ({"NgayHenTra": "10/01/2025"}, None),  # date only, same day: compared by date
        ({"NgayHenTra": "09/01/2025"}, "due_before_receipt"),
        ({"TrangThaiHoSo": "9", "NgayKetThucXuLy": "20250110080000"}, None),
        ({"TrangThaiHoSo": "9", "NgayKetThucXuLy": "20250110075900"}, "finish_before_receipt"),
        ({"TrangThaiHoSo": "10", "NgayTra": "20250110075900"}, "return_before_receipt"),
        ({"MaHoSo": ""}, "missing_code"),
        ({"MaHoSo": "   "}, "missing_code"),
        ({"MaHoSo": "X" * 64}, None),
        ({"MaHoSo": "X" * 65}, "code_too_long"),
        ({"NgayTiepNhan": "", "TrangThaiHoSo": "4"}, "missing_received_at"),
        ({"NgayTiepNhan": "20250231080000"}, "bad_date"),  # 31 February
        ({"NgayTiepNhan": "20250110086000"}, "bad_date"),  # minute 60
        ({"NgayTiepNhan": "20250110085959"}, None),
        ({"NgayTiepNhan": "2025011008000"}, "bad_date"),  # 13 digits
        ({"NgayTiepNhan": "hôm qua"}, "bad_date"),
        ({"NgayTiepNhan": "18991231080000"}, "bad_date"),
        ({"NgayHenTra": "00000000000000"}, None),  # the exports' "no date"
        # ... also inside the lists, where dates take another path
        ({"QuaTrinhXuLy": [{"PhongBanXuLy": "A", "ThoiDiemXuLy": "00000000000000"}]}, None),
        ({"QuaTrinhXuLy": [{"PhongBanXuLy": "A", "ThoiDiemXuLy": "2025011010000"}]}, "bad_date"),
        ({"NgayHenTra": "2025011710000"}, "bad_date"),  # 13 digits, not "17/01 00:00"
        ({"DanhSachXinLoi": [{"NgayXinLoi": "20250115080000", "NgayHenTraMoi": "0"}]}, None),
        ({"TrangThaiHoSo": "0"}, "unknown_status"),
        ({"TrangThaiHoSo": "1"}, None),
        ({"TrangThaiHoSo": "10", "NgayTra": "20250115080000"}, None),
        ({"TrangThaiHoSo": "11"}, "unknown_status"),
        ({"TrangThaiHoSo": "Đang xử lý"}, None),
        ({"TrangThaiHoSo": "Đang chơi"}, "unknown_status"),
        ({"TrangThaiHoSo": ""}, "missing_status"),
        ({"KenhThucHien": "3"}, None),
        ({"KenhThucHien": "4"}, "unknown_channel"),
        ({"KenhThucHien": "Trực tuyến"}, None),
        ({"KenhThucHien": None}, "missing_channel"),
        ({"ThoiHanGiaiQuyet": "0", "DonViTinh": "Giờ"}, None),
        ({"ThoiHanGiaiQuyet": "-1", "DonViTinh": "Ngày"}, "bad_legal_time"),
        ({"ThoiHanGiaiQuyet": "10", "DonViTinh": "Tuần"}, "bad_legal_time"),
        ({"ThoiHanGiaiQuyet": "10"}, "bad_legal_time"),
        ({"DanhSachHoSoBoSung": [{"NgayHenTraMoi": "20250120170000"}]}, "bad_supplement"),
        ({"DanhSachHoSoBoSung": [{"NgayBoSung": "x"}]}, "bad_date"),
        ({"DanhSachXinLoi": [{"LyDo": "Chậm"}]}, "bad_apology"),
        ({"DanhSachXinLoi": "không"}, "bad_apology"),
        ({"QuaTrinhXuLy": {"PhongBanXuLy": "A"}}, "bad_step"),
        ({"QuaTrinhXuLy": ["A"]}, "bad_step"),
        ({"SoDienThoai": "0" * 32}, None),
        ({"SoDienThoai": "0" * 33}, "value_too_long"),
    ],
)
def test_validation_boundaries(engine: Engine, overrides: dict[str, Any], reason: str) -> None:
    assert _outcome(engine, record(**overrides)) == reason


@pytest.mark.parametrize("key", ["MaHoSo", "TrangThaiHoSo", "KenhThucHien"])
def test_a_missing_required_field_is_quarantined(engine: Engine, key: str) -> None:
    assert _outcome(engine, _without(key)) is not None


def test_an_element_that_is_not_an_object_is_quarantined(engine: Engine) -> None:
    assert _outcome(engine, "000.00.06.H56-250110-0001") == "not_an_object"


def test_quarantine_keeps_line_reason_and_raw_row_and_the_rest_is_imported(
    engine: Engine,
) -> None:
    bad = record("B-1", NgayHenTra="20250109080000")
    records = [record("A-1"), bad, record("A-2"), record("B-2", TrangThaiHoSo="99")]
    result = import_records(engine, records, source="dvc")
    assert (result.inserted, result.quarantined) == (2, 2)
    assert result.reasons == {"due_before_receipt": 1, "unknown_status": 1}
    assert count(engine, Dossier) == 2
    with session_scope(engine) as s:
        rows = s.scalars(select(QuarantinedRow).order_by(QuarantinedRow.line_no)).all()
    assert [(r.line_no, r.reason, r.batch_id) for r in rows] == [
        (2, "due_before_receipt", result.batch_id),
        (4, "unknown_status", result.batch_id),
    ]
    assert json.loads(rows[0].raw) == bad


def test_quarantine_messages_name_the_field_but_never_personal_data(engine: Engine) -> None:
    records = [
        record(NgayTiepNhan=APPLICANT),
        record(SoDienThoai=PHONE * 4),
        record(ChuHoSo="A" * 300),
    ]
    import_records(engine, records, source="dvc")
    with session_scope(engine) as s:
        messages = s.scalars(select(QuarantinedRow.message)).all()
    assert len(messages) == 3
    assert any("NgayTiepNhan" in m for m in messages)
    assert any("SoDienThoai" in m for m in messages)
    for m in messages:
        assert APPLICANT not in m and PHONE not in m and "AAAA" not in m
