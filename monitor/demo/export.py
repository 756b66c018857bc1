"""Write national-format dossiers to a file of any size, one record at a time.

JSON: an array with one dossier per line (the sync format itself, steps and all). CSV: the
flat columns of a provincial export with Vietnamese headers and dd/mm/yyyy HH:MM:SS dates,
UTF-8 with a byte-order mark so that spreadsheet programs read the diacritics. Memory stays
flat: nothing is kept once written.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from monitor.demo.catalogue import load_catalogue
from monitor.demo.render import UNIT_NAMES
from monitor.enums import STATUS_NAMES_VI, DossierStatus

FORMATS = ("json", "csv")
PROGRESS_EVERY = 10_000
CHANNEL_NAMES = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính"}
_DATE_COLUMNS = frozenset(
    {"NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "NgayXinLoi", "NgayHenTraMoi"}
)
# (header, national field); the apology columns come from the first DanhSachXinLoi letter.
CSV_COLUMNS = (
    ("Mã hồ sơ", "MaHoSo"),
    ("Mã TTHC", "MaTTHC"),
    ("Tên TTHC", "TenTTHC"),
    ("Mã lĩnh vực", "MaLinhVuc"),
    ("Lĩnh vực", "TenLinhVuc"),
    ("Đơn vị xử lý", "DonViXuLy"),
    ("Kênh nộp", "KenhThucHien"),
    ("Ngày tiếp nhận", "NgayTiepNhan"),
    ("Ngày hẹn trả", "NgayHenTra"),
    ("Ngày kết thúc xử lý", "NgayKetThucXuLy"),
    ("Ngày trả kết quả", "NgayTra"),
    ("Trạng thái", "TrangThaiHoSo"),
    ("Thời hạn giải quyết", "ThoiHanGiaiQuyet"),
    ("Đơn vị tính", "DonViTinh"),
    ("Chủ hồ sơ", "ChuHoSo"),
    ("Số điện thoại", "SoDienThoai"),
    ("Ngày xin lỗi", "NgayXinLoi"),
    ("Ngày hẹn trả mới", "NgayHenTraMoi"),
)

Progress = Callable[[int], None]


def human_date(compact: str) -> str:
    """``yyyyMMddHHmmss`` → ``dd/mm/yyyy HH:MM:SS``."""
    c = compact
    return f"{c[6:8]}/{c[4:6]}/{c[:4]} {c[8:10]}:{c[10:12]}:{c[12:14]}"


def _legal_times() -> dict[str, tuple[Any, str]]:
    out: dict[str, tuple[Any, str]] = {}
    for p in load_catalogue().procedures:
        amount = int(p.legal_amount) if p.legal_amount.is_integer() else p.legal_amount
        out[p.code] = (amount, UNIT_NAMES[p.legal_unit])
    return out


def csv_row(rec: Mapping[str, Any], legal: Mapping[str, tuple[Any, str]]) -> list[Any]:
    flat = dict(rec)
    letters = rec.get("DanhSachXinLoi")
    if letters:
        flat["NgayXinLoi"] = letters[0].get("NgayXinLoi")
        flat["NgayHenTraMoi"] = letters[0].get("NgayHenTraMoi")
    if "ThoiHanGiaiQuyet" not in flat and rec.get("MaTTHC") in legal:
        flat["ThoiHanGiaiQuyet"], flat["DonViTinh"] = legal[rec["MaTTHC"]]
    row: list[Any] = []
    for _, key in CSV_COLUMNS:
        value = flat.get(key)
        if value is None or value == "":
            row.append("")
        elif key in _DATE_COLUMNS:
            row.append(human_date(value))
        elif key == "KenhThucHien":
            row.append(CHANNEL_NAMES.get(int(value), value))
        elif key == "TrangThaiHoSo":
            row.append(STATUS_NAMES_VI[DossierStatus(int(value))])
        else:
            row.append(value)
    return row


def write_json(records: Iterable[Mapping[str, Any]], fh: IO[str], progress: Progress | None) -> int:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    fh.write("[")
    n = 0
    for rec in records:
        fh.write(",\n" if n else "\n")
        fh.write(dumps(rec))
        n += 1
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    fh.write("\n]\n" if n else "]\n")
    return n


def write_csv(records: Iterable[Mapping[str, Any]], fh: IO[str], progress: Progress | None) -> int:
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow([header for header, _ in CSV_COLUMNS])
    legal = _legal_times()
    n = 0
    for rec in records:
        writer.writerow(csv_row(rec, legal))
        n += 1
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    return n


def export_file(
    path: Path,
    records: Iterable[Mapping[str, Any]],
    fmt: str,
    progress: Progress | None = None,
) -> int:
    """Write ``records`` to ``path`` as ``fmt`` (json or csv); returns how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with path.open("w", encoding=encoding, newline="") as fh:
        n = write_csv(records, fh, progress) if fmt == "csv" else write_json(records, fh, progress)
    if progress is not None:
        progress(n)
    return n
