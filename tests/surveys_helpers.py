"""A small one-stop centre for the rating tests: a centre, an agency, an officer, dossiers
and a registered kiosk device."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Dossier, Officer, Source, Unit
from surveys.devices import add_device

NOW = datetime(2025, 3, 20, 3, 0, tzinfo=UTC)
SECRET = "khoa-bi-mat-cho-kiem-thu"
CODES = tuple(f"000.00.06.H56-250310-{n:04d}" for n in range(1, 9))


@dataclass
class Centre:
    centre_id: int
    agency_id: int
    officer_id: int
    dossier_ids: dict[str, int]
    token: str
    device_id: int


def settings_for(tmp_path: Path, db_url: str, **overrides: object) -> Settings:
    base = Settings(
        data_dir=str(tmp_path / "data"),
        database_url=db_url,
        rating_link_secret=SECRET,
        ratings_url="http://127.0.0.1:8502",
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def make_centre(engine: Engine, *, applicant: str = "Nguyễn Văn An") -> Centre:
    with session_scope(engine) as s:
        centre = Unit(
            code="H56.TTPVHCC", name="Trung tâm Phục vụ hành chính công", level="province"
        )
        agency = Unit(code="H56.STNMT", name="Sở Tài nguyên và Môi trường", level="department")
        s.add_all([centre, agency])
        s.flush()
        officer = Officer(code="CB01", name="Trần Thị Bình", unit_id=centre.id, counter="Quầy 3")
        source = Source(name="dvc")
        s.add_all([officer, source])
        s.flush()
        ids = {}
        for n, code in enumerate(CODES):
            d = Dossier(
                source_id=source.id,
                code=code,
                procedure_name="Đăng ký biến động đất đai",
                resolving_unit_id=agency.id,
                receiving_officer_code="CB01",
                applicant_name=applicant,
                applicant_phone="0912345678",
                received_at=NOW - timedelta(days=10),
                due_at=NOW - timedelta(days=2),
                finished_at=NOW - timedelta(days=3 - n % 2 * 2),
                status=10,
                due_status="early" if n % 2 == 0 else "late",
            )
            s.add(d)
            s.flush()
            ids[code] = d.id
        device, token = add_device(
            s,
            "Kiosk quầy 3",
            centre.code,
            counter="Quầy 3",
            officer_code="CB01",
            actor="test",
            now=NOW,
        )
        return Centre(centre.id, agency.id, officer.id, ids, token, device.id)
