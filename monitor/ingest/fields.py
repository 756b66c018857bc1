"""Reading one field of a record: text within the column's width, dates (values.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.ingest.result import Reason, RowProblem
from monitor.ingest.values import When, read_moment, read_text, read_when

# Column widths of the schema: PostgreSQL refuses longer values, so we refuse them first.
LIMITS = {
    "MaHoSo": 64,
    "MaTTHC": 64,
    "TenTTHC": 500,
    "ChuHoSo": 255,
    "SoDienThoai": 32,
    "Email": 255,
    "SoGiayToChuHoSo": 32,
    "NguoiTiepNhan": 64,
    "MaLinhVuc": 64,
    "TenLinhVuc": 255,
    "DonViXuLy": 64,
    "DonViTiepNhan": 64,
    "PhongBanXuLy": 255,
    "MaPhongBanXuLy": 64,
    "NguoiXuLy": 255,
    "ChucDanh": 255,
    "TrangThai": 64,
}


def text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    # The common case is kept cheap: this runs about twenty times a dossier.
    value = value.strip() or None if type(value) is str else read_text(value)
    limit = LIMITS.get(key)
    if value is not None and limit is not None and len(value) > limit:
        raise RowProblem(Reason.VALUE_TOO_LONG, f"{key}: dài quá {limit} ký tự")
    return value


def when(record: Mapping[str, Any], key: str) -> When | None:
    return read_when(record.get(key), key)


def at(record: Mapping[str, Any], key: str) -> str | None:
    return read_moment(record.get(key), key)
