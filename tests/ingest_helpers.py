"""Shared builders for the ingest and collector tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from monitor.models import Apology, Dossier, DossierEvent, DossierStep, QuarantinedRow, Supplement

APPLICANT = "Nguyễn Thị Bí Mật"
PHONE = "0912345678"


def record(code: str = "000.00.06.H56-250110-0001", **overrides: Any) -> dict[str, Any]:
    """A valid national-format dossier received 10/01/2025 08:00, due 17/01/2025 17:00."""
    rec: dict[str, Any] = {
        "MaHoSo": code,
        "MaTTHC": "1.004227",
        "TenTTHC": "Đăng ký biến động đất đai",
        "MaLinhVuc": "G09-DD",
        "TenLinhVuc": "Đất đai",
        "KenhThucHien": "2",
        "ChuHoSo": APPLICANT,
        "SoDienThoai": PHONE,
        "LoaiDoiTuong": "1",
        "NgayNopHoSo": "20250110074500",
        "NgayTiepNhan": "20250110080000",
        "NgayHenTra": "20250117170000",
        "TrangThaiHoSo": "4",
        "DonViXuLy": "000.00.06.H56",
        "QuaTrinhXuLy": [
            {
                "PhongBanXuLy": "Bộ phận một cửa",
                "NguoiXuLy": "Trần Văn Cán Bộ",
                "NgayBatDau": "20250110080000",
                "ThoiDiemXuLy": "20250110100000",
                "NgayKetThucTheoQuyDinh": "20250110170000",
                "TrangThai": "Đã chuyển",
            },
            {
                "PhongBanXuLy": "Văn phòng đăng ký đất đai",
                "NgayBatDau": "20250110100000",
                "NgayKetThucTheoQuyDinh": "20250116170000",
            },
        ],
    }
    rec.update(overrides)
    return rec


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def counts(engine: Engine) -> dict[str, int]:
    """Rows of every table the importer writes (import batches aside)."""
    models = (Dossier, DossierStep, Supplement, Apology, DossierEvent, QuarantinedRow)
    return {m.__tablename__: count(engine, m) for m in models}
