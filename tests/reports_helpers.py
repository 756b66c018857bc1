"""A hand-made province for the report tests: units at two levels, three fields, and dossiers
built from Vietnam wall-clock times written as text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine

from monitor.db import session_scope
from monitor.models import Apology, Dossier, DossierStep, Field, Rating, Source, Supplement, Unit

VN = timezone(timedelta(hours=7))
APPLICANT = "Nguyễn Thị Bí Mật"
PHONE = "0912345678"


def vn(text: str | None) -> datetime | None:
    """'2025-03-10 09:00' (or '2025-03-10') in Vietnam time, as an aware datetime."""
    if text is None:
        return None
    fmt = "%Y-%m-%d %H:%M" if " " in text else "%Y-%m-%d"
    return datetime.strptime(text, fmt).replace(tzinfo=VN)


@dataclass
class Province:
    source: int
    province: int
    land_office: int  # a department (provincial level)
    commune_a: int
    commune_b: int
    land: int  # field ids
    civil: int
    business: int
    seq: int = 0


def make_province(engine: Engine) -> Province:
    with session_scope(engine) as s:
        src = Source(name="dvc")
        prov = Unit(code="H56", name="UBND tỉnh Thử Nghiệm", level="province")
        s.add_all([src, prov])
        s.flush()
        dept = Unit(
            code="H56.01",
            name="Sở Nông nghiệp và Môi trường",
            level="department",
            parent_id=prov.id,
        )
        ca = Unit(code="H56.X1", name="UBND xã An Phú", level="commune", parent_id=prov.id)
        cb = Unit(code="H56.X2", name="UBND phường Bình Minh", level="commune", parent_id=prov.id)
        land = Field(code="G09-DD", name="Đất đai", is_land=True)
        civil = Field(code="G01-HT", name="Hộ tịch")
        biz = Field(code="G05-KD", name="Đăng ký kinh doanh")
        s.add_all([dept, ca, cb, land, civil, biz])
        s.flush()
        return Province(src.id, prov.id, dept.id, ca.id, cb.id, land.id, civil.id, biz.id)


def add_dossier(
    engine: Engine,
    p: Province,
    *,
    unit: int,
    field: int | None,
    received: str,
    due: str | None,
    status: int = 4,
    finished: str | None = None,
    returned: str | None = None,
    channel: int = 1,
    supplements: list[tuple[str, str | None, str | None]] = (),  # type: ignore[assignment]
    apologies: list[tuple[str, str | None]] = (),  # type: ignore[assignment]
    steps: list[tuple[str, str, str | None, str]] = (),  # type: ignore[assignment]
    rating: int | None = None,
    code: str | None = None,
    **extra: Any,
) -> int:
    """One dossier; supplements are (requested, completed, new due), apologies (issued, new
    due), steps (unit name, started, done, deadline). Returns its id."""
    p.seq += 1
    with session_scope(engine) as s:
        d = Dossier(
            source_id=p.source,
            code=code or f"H56-250101-{p.seq:04d}",
            procedure_code="1.000001",
            procedure_name="Đăng ký biến động quyền sử dụng đất",
            field_id=field,
            resolving_unit_id=unit,
            receiving_unit_id=unit,
            channel=channel,
            applicant_name=APPLICANT,
            applicant_phone=PHONE,
            received_at=vn(received),
            due_at=vn(due),
            finished_at=vn(finished),
            returned_at=vn(returned),
            status=status,
            **extra,
        )
        for i, (req, done, new_due) in enumerate(supplements, start=1):
            d.supplements.append(
                Supplement(
                    seq=i, requested_at=vn(req), completed_at=vn(done), new_due_at=vn(new_due)
                )
            )
        for i, (issued, new_due) in enumerate(apologies, start=1):
            d.apologies.append(Apology(seq=i, issued_at=vn(issued), new_due_at=vn(new_due)))
        for i, (name, started, done, deadline) in enumerate(steps, start=1):
            d.steps.append(
                DossierStep(
                    seq=i,
                    unit_name=name,
                    started_at=vn(started),
                    done_at=vn(done),
                    deadline_at=vn(deadline),
                )
            )
        s.add(d)
        s.flush()
        if rating is not None:
            s.add(Rating(dossier_id=d.id, unit_id=unit, channel="kiosk", overall=rating))
        return d.id


def random_dossiers(engine: Engine, p: Province, rng: Any, n: int) -> None:
    """``n`` dossiers around March 2025 with every status, channel and boundary the report
    distinguishes: times at midnight and just before it, missing and far-off dates,
    supplement requests and apology letters."""
    units = (p.land_office, p.commune_a, p.commune_b, p.province)
    fields = (p.land, p.civil, p.business, None)
    base = datetime(2025, 2, 10, tzinfo=VN)

    def moment(lo_days: int, hi_days: int) -> datetime:
        t = base + timedelta(days=rng.randint(lo_days, hi_days))
        return t + rng.choice(
            (
                timedelta(0),
                timedelta(hours=9),
                timedelta(hours=16, minutes=59),
                timedelta(hours=23, minutes=59, seconds=59),
            )
        )

    with session_scope(engine) as s:
        for i in range(n):
            received = moment(0, 60)
            status = rng.choice((1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 10, 10))
            due = None if rng.random() < 0.08 else received + timedelta(days=rng.randint(0, 20))
            if due is not None and rng.random() < 0.02:
                due = datetime(2999, 1, 1, tzinfo=VN)
            finished = None
            if status in (7, 8, 9, 10) and rng.random() < 0.92:
                finished = received + timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 9))
            returned = finished + timedelta(hours=20) if finished and status == 10 else None
            d = Dossier(
                source_id=p.source,
                code=f"R-{i:05d}",
                field_id=rng.choice(fields),
                resolving_unit_id=rng.choice(units),
                channel=rng.choice((1, 2, 3)),
                received_at=received,
                due_at=due,
                finished_at=finished,
                returned_at=returned,
                status=status,
                legal_amount=rng.choice((None, 5.0, 10.0)),
                legal_unit="working_days",
            )
            if rng.random() < 0.15:
                req = received + timedelta(days=rng.randint(0, 5))
                done = req + timedelta(days=rng.randint(1, 6)) if rng.random() < 0.7 else None
                d.supplements.append(Supplement(seq=1, requested_at=req, completed_at=done))
                if rng.random() < 0.3:
                    d.supplements.append(Supplement(seq=2, requested_at=req + timedelta(days=8)))
            if rng.random() < 0.1 and due is not None and due.year < 2100:
                issued = due - timedelta(days=rng.randint(-2, 3))
                d.apologies.append(
                    Apology(seq=1, issued_at=issued, new_due_at=due + timedelta(days=7))
                )
            s.add(d)
