"""Deterministic national-format dossiers for the ingest benchmark, written as JSON or CSV.

Usage: python bench/gen_dossiers.py N OUT.json|OUT.csv [--seed S]

Each dossier has 1–4 processing steps; about 8 % a supplement request and 5 % an apology
letter, roughly what provincial data looks like. Files are written streaming, so N can be
millions.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

UNITS = [f"000.{i // 10:02d}.{i % 10:02d}.H56" for i in range(40)]
FIELDS = [("DD", "Đất đai"), ("XD", "Xây dựng"), ("HT", "Hộ tịch"), ("KD", "Đăng ký kinh doanh")]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Võ Minh Em"]
START = datetime(2024, 1, 2, 7, 30)


def _fmt(t: datetime) -> str:
    return t.strftime("%Y%m%d%H%M%S")


def dossier(i: int, rnd: random.Random) -> dict[str, Any]:
    unit = UNITS[i % len(UNITS)]
    received = START + timedelta(minutes=7 * i + rnd.randrange(0, 400))
    days = rnd.choice((3, 5, 7, 10, 15, 20))
    due = received + timedelta(days=days)
    status = rnd.choice((2, 4, 4, 5, 9, 10, 10, 10))
    field = FIELDS[i % len(FIELDS)]
    rec: dict[str, Any] = {
        "MaHoSo": f"{unit}-{received:%y%m%d}-{i:07d}",
        "MaTTHC": f"1.{i % 1800:06d}",
        "TenTTHC": f"Thủ tục số {i % 1800}",
        "MaLinhVuc": field[0],
        "TenLinhVuc": field[1],
        "KenhThucHien": str(rnd.choice((1, 2, 2, 3))),
        "ChuHoSo": rnd.choice(NAMES),
        "SoDienThoai": f"09{rnd.randrange(10**8):08d}",
        "LoaiDoiTuong": "1",
        "NgayNopHoSo": _fmt(received - timedelta(minutes=30)),
        "NgayTiepNhan": _fmt(received),
        "NgayHenTra": _fmt(due),
        "TrangThaiHoSo": str(status),
        "DonViXuLy": unit,
        "ThoiHanGiaiQuyet": str(days),
        "DonViTinh": "Ngày làm việc",
    }
    if status in (9, 10):
        finished = received + timedelta(days=rnd.randrange(1, days + 4), hours=2)
        rec["NgayKetThucXuLy"] = _fmt(finished)
        if status == 10:
            rec["NgayTra"] = _fmt(finished + timedelta(hours=20))
    steps = []
    at = received
    for n in range(rnd.randrange(1, 5)):
        done = at + timedelta(days=1, hours=rnd.randrange(0, 9))
        steps.append(
            {
                "PhongBanXuLy": f"Phòng {n + 1}",
                "NguoiXuLy": f"CB{n:03d}",
                "NgayBatDau": _fmt(at),
                "ThoiDiemXuLy": _fmt(done),
                "NgayKetThucTheoQuyDinh": _fmt(at + timedelta(days=2)),
                "TrangThai": "Hoàn thành",
            }
        )
        at = done
    rec["QuaTrinhXuLy"] = steps
    if rnd.random() < 0.08:
        rec["DanhSachHoSoBoSung"] = [
            {"NgayBoSung": _fmt(received + timedelta(days=1)), "NgayHenTraMoi": _fmt(due)}
        ]
    if rnd.random() < 0.05:
        rec["DanhSachXinLoi"] = [
            {
                "NgayXinLoi": _fmt(due - timedelta(days=2)),
                "NgayHenTraMoi": _fmt(due + timedelta(days=3)),
                "LyDo": "Chờ ý kiến cơ quan phối hợp",
            }
        ]
    return rec


def dossiers(n: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    rnd = random.Random(seed)
    for i in range(n):
        yield dossier(i, rnd)


CSV_COLUMNS = [
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
]


def _human(value: str) -> str:
    return f"{value[6:8]}/{value[4:6]}/{value[:4]} {value[8:10]}:{value[10:12]}"


def write_json(path: Path, n: int, seed: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[\n")
        for i, rec in enumerate(dossiers(n, seed)):
            fh.write(("," if i else "") + json.dumps(rec, ensure_ascii=False) + "\n")
        fh.write("]\n")


def write_csv(path: Path, n: int, seed: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([h for h, _ in CSV_COLUMNS])
        for rec in dossiers(n, seed):
            row = []
            for _, key in CSV_COLUMNS:
                value = rec.get(key, "")
                row.append(_human(value) if key.startswith("Ngay") and value else value)
            out.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    writer = write_csv if args.out.suffix == ".csv" else write_json
    writer(args.out, args.n, args.seed)


if __name__ == "__main__":
    main()
