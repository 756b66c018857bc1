"""Shared builders for the ingest and collector tests, and a real HTTP server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI
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


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` on a random free port of 127.0.0.1 in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
