"""Column headers of CSV/XLSX exports → fields of the national format.

A header row may use the national names themselves (``MaHoSo``) or the Vietnamese headers
of provincial exports (``Mã hồ sơ``). Matching ignores case, diacritics, spacing and a trailing
``(*)`` or colon. The flat apology columns of an export become a DanhSachXinLoi of one letter.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from monitor.ingest.values import fold

NATIONAL_FIELDS = (
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "KenhThucHien",
    "ChuHoSo",
    "SoDienThoai",
    "Email",
    "SoGiayToChuHoSo",
    "LoaiDoiTuong",
    "TrichYeuHoSo",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "TrangThaiHoSo",
    "DonViXuLy",
    "DonViTiepNhan",
    "NguoiTiepNhan",
    "ThoiHanGiaiQuyet",
    "DonViTinh",
)
# Flat columns that describe one apology letter.
APOLOGY_FIELDS = frozenset({"NgayXinLoi", "NgayHenTraMoi", "LyDo"})

_VIETNAMESE = {
    "MaHoSo": ("Mã hồ sơ", "Số hồ sơ"),
    "MaTTHC": ("Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính"),
    "TenTTHC": ("Tên thủ tục", "Tên TTHC", "Tên thủ tục hành chính", "Thủ tục"),
    "MaLinhVuc": ("Mã lĩnh vực",),
    "TenLinhVuc": ("Lĩnh vực", "Tên lĩnh vực"),
    "KenhThucHien": ("Kênh nộp", "Kênh thực hiện", "Hình thức nộp", "Kênh tiếp nhận"),
    "ChuHoSo": ("Chủ hồ sơ", "Người nộp", "Tên người nộp", "Người đứng tên"),
    "SoDienThoai": ("Số điện thoại", "Điện thoại", "SĐT"),
    "Email": ("Thư điện tử",),
    "SoGiayToChuHoSo": ("Số giấy tờ", "Số CCCD", "Số định danh", "CMND/CCCD"),
    "LoaiDoiTuong": ("Loại đối tượng", "Đối tượng"),
    "TrichYeuHoSo": ("Trích yếu", "Trích yếu hồ sơ", "Nội dung"),
    "NgayNopHoSo": ("Ngày nộp", "Ngày nộp hồ sơ"),
    "NgayTiepNhan": ("Ngày tiếp nhận", "Ngày nhận"),
    "NgayHenTra": ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn xử lý", "Hạn giải quyết"),
    "NgayKetThucXuLy": ("Ngày kết thúc xử lý", "Ngày hoàn thành", "Ngày xử lý xong"),
    "NgayTra": ("Ngày trả kết quả", "Ngày trả"),
    "TrangThaiHoSo": ("Trạng thái", "Trạng thái hồ sơ", "Tình trạng"),
    "DonViXuLy": ("Đơn vị xử lý", "Mã đơn vị xử lý", "Cơ quan xử lý", "Cơ quan giải quyết"),
    "DonViTiepNhan": ("Đơn vị tiếp nhận", "Mã đơn vị tiếp nhận", "Nơi tiếp nhận"),
    "NguoiTiepNhan": ("Người tiếp nhận", "Cán bộ tiếp nhận", "Mã cán bộ tiếp nhận"),
    "ThoiHanGiaiQuyet": ("Thời hạn giải quyết", "Thời gian giải quyết", "Thời hạn"),
    "DonViTinh": ("Đơn vị tính", "Đơn vị thời gian"),
    "NgayXinLoi": ("Ngày xin lỗi", "Ngày phiếu xin lỗi"),
    "NgayHenTraMoi": ("Ngày hẹn trả mới", "Ngày hẹn lại"),
    "LyDo": ("Lý do", "Lý do xin lỗi", "Lý do trễ hạn"),
}
_TRAILING = re.compile(r"[\s:*()]+$")


def _key(header: str) -> str:
    return fold(_TRAILING.sub("", header))


HEADER_MAP: dict[str, str] = {_key(field): field for field in (*NATIONAL_FIELDS, *APOLOGY_FIELDS)}
HEADER_MAP.update({_key(name): field for field, names in _VIETNAMESE.items() for name in names})


def map_header(cells: Sequence[Any]) -> list[str | None] | None:
    """National field per column, or None if this row is not a dossier header (no MaHoSo)."""
    fields = [HEADER_MAP.get(_key(str(c))) if c is not None else None for c in cells]
    return fields if "MaHoSo" in fields else None


class RowMapper:
    """Data rows of one header → national-format records; empty cells are left out.

    ``composed`` says the cells are already NFC text (a CSV reader fed NFC lines), so they are
    taken as they are; otherwise (spreadsheet cells) each text cell is composed here."""

    def __init__(self, fields: Sequence[str | None], *, composed: bool = False) -> None:
        # Only the mapped columns are visited, apology ones apart (they nest).
        self.plain = [(i, f) for i, f in enumerate(fields) if f and f not in APOLOGY_FIELDS]
        self.apology = [(i, f) for i, f in enumerate(fields) if f in APOLOGY_FIELDS]
        self.clean = _same if composed else _clean

    def __call__(self, cells: Sequence[Any]) -> dict[str, Any]:
        n, clean = len(cells), self.clean
        record = {f: clean(cells[i]) for i, f in self.plain if i < n and cells[i] not in _EMPTY}
        if self.apology:
            letter = {f: clean(cells[i]) for i, f in self.apology if i < n}
            letter = {f: v for f, v in letter.items() if v not in _EMPTY}
            if letter:
                record["DanhSachXinLoi"] = [letter]
        return record


_EMPTY = (None, "")


def _same(value: Any) -> Any:
    return value


def _clean(value: Any) -> Any:
    # Text typed on Windows or macOS may be decomposed (NFD); the catalogue is composed.
    if value.__class__ is str and not value.isascii():
        return unicodedata.normalize("NFC", value)
    return value


def compose(lines: Iterable[str]) -> Iterator[str]:
    """``lines`` in NFC, a whole line at a time: one C call a line instead of one Python call
    a cell. Composition never crosses a delimiter or a quote (no character composes with them)."""
    return map(functools.partial(unicodedata.normalize, "NFC"), lines)
