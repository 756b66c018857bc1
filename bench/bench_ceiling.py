"""The ingest benchmark's ceiling: the same file, parsed the same streaming way, inserted with
plain DB-API executemany (SQLite) or COPY (PostgreSQL) into the same tables, with no
validation, no lookups, no upsert and only the conversion a value needs to be stored (dates
sliced into the storage form)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from monitor.collectors.dvcqg_json import iter_json_array
from monitor.collectors.headers import map_header

BATCH = 5000
DOSSIER_COLUMNS = (
    "id, source_id, code, procedure_code, procedure_name, channel, applicant_name, "
    "applicant_phone, applicant_kind, submitted_at, received_at, due_at, legal_amount, "
    "legal_unit, finished_at, returned_at, status, source_version, created_at, updated_at, "
    "breaches, responsible_units"
)
STEP_COLUMNS = (
    "dossier_id, seq, unit_name, officer, title, status, started_at, done_at, deadline_at"
)
SUPPLEMENT_COLUMNS = "dossier_id, seq, requested_at, completed_at, new_due_at"
APOLOGY_COLUMNS = "dossier_id, seq, issued_at, new_due_at, reason"
NOW = "2025-01-01 00:00:00"


def _compact(v: Any) -> str | None:
    return f"{v[:4]}-{v[4:6]}-{v[6:8]} {v[8:10]}:{v[10:12]}:{v[12:14]}" if v else None


def _human(v: str) -> str | None:
    return f"{v[6:10]}-{v[3:5]}-{v[:2]} {v[11:16] or '00:00'}:00" if v else None


def _dossier(i: int, r: dict[str, Any], d: Any) -> tuple[Any, ...]:
    amount = r.get("ThoiHanGiaiQuyet")
    return (
        i, 1, r["MaHoSo"], r.get("MaTTHC", ""), r.get("TenTTHC", ""), int(r["KenhThucHien"]),
        r.get("ChuHoSo"), r.get("SoDienThoai"), r.get("LoaiDoiTuong"), d(r.get("NgayNopHoSo")),
        d(r.get("NgayTiepNhan")), d(r.get("NgayHenTra")), float(amount) if amount else None,
        r.get("DonViTinh"), d(r.get("NgayKetThucXuLy")), d(r.get("NgayTra")),
        int(r["TrangThaiHoSo"]), "", NOW, NOW, "", "[]",
    )  # fmt: skip


def _children(i: int, r: dict[str, Any]) -> tuple[list[Any], list[Any], list[Any]]:
    steps = [
        (i, n, s.get("PhongBanXuLy", ""), s.get("NguoiXuLy"), s.get("ChucDanh"),
         s.get("TrangThai"), _compact(s.get("NgayBatDau")), _compact(s.get("ThoiDiemXuLy")),
         _compact(s.get("NgayKetThucTheoQuyDinh")))
        for n, s in enumerate(r.get("QuaTrinhXuLy") or (), 1)
    ]  # fmt: skip
    sups = [
        (i, n, _compact(s.get("NgayBoSung")), _compact(s.get("NgayTiepNhanBoSung")),
         _compact(s.get("NgayHenTraMoi")))
        for n, s in enumerate(r.get("DanhSachHoSoBoSung") or (), 1)
    ]  # fmt: skip
    apologies = [
        (i, n, _compact(a.get("NgayXinLoi")), _compact(a.get("NgayHenTraMoi")), a.get("LyDo"))
        for n, a in enumerate(r.get("DanhSachXinLoi") or (), 1)
    ]
    return steps, sups, apologies


def _csv_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        fields = map_header(next(reader)) or []
        for cells in reader:
            yield {f: v for f, v in zip(fields, cells, strict=False) if f and v}


def _json_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as raw:
        for _, rec in iter_json_array(io.TextIOWrapper(raw, encoding="utf-8")):
            yield rec


def ceiling(engine: Engine, path: Path) -> int:
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    conn: Any = raw.driver_connection
    mark = "?" if sqlite else "%s"
    suffix = ".000000" if sqlite else "+07"
    is_csv = path.suffix == ".csv"
    conv = _human if is_csv else _compact

    def d(v: Any) -> str | None:
        text = conv(v)
        return None if text is None else text + suffix

    def sql(table: str, columns: str) -> str:
        if not sqlite:  # PostgreSQL's fastest way in: COPY
            return f"COPY {table} ({columns}) FROM STDIN"
        marks = ", ".join([mark] * (columns.count(",") + 1))
        return f"INSERT INTO {table} ({columns}) VALUES ({marks})"

    cur = conn.cursor()
    if sqlite:
        cur.execute("BEGIN")
    cur.execute("INSERT INTO sources (id, name, kind, expected_interval_minutes, enabled) "
                "VALUES (1, 'ceiling', 'file', 60, TRUE)")  # fmt: skip
    batches: dict[str, list[Any]] = {"d": [], "s": [], "u": [], "a": []}
    statements = {
        "d": sql("dossiers", DOSSIER_COLUMNS),
        "s": sql("dossier_steps", STEP_COLUMNS),
        "u": sql("supplements", SUPPLEMENT_COLUMNS),
        "a": sql("apologies", APOLOGY_COLUMNS),
    }
    n = 0
    for n, rec in enumerate(_csv_records(path) if is_csv else _json_records(path), 1):
        batches["d"].append(_dossier(n, rec, d))
        if not is_csv:
            steps, sups, apologies = _children(n, rec)
            batches["s"] += steps
            batches["u"] += sups
            batches["a"] += apologies
        if len(batches["d"]) >= BATCH:
            _flush(cur, statements, batches)
    _flush(cur, statements, batches)
    conn.commit()
    raw.close()
    return n


def _flush(cur: Any, statements: dict[str, str], batches: dict[str, list[Any]]) -> None:
    for key, rows in batches.items():
        if not rows:
            continue
        if statements[key].startswith("COPY"):
            with cur.copy(statements[key]) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(statements[key], rows)
        rows.clear()
