"""A small province for the console pages' tests: two communes and a department, one account
of each role (a supervisor per commune), labelled feedback and ratings, all dated relative to
today so the pages' default periods find them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from reports_helpers import VN, Province, add_dossier, make_province
from sqlalchemy import Engine

from console.session import SignedIn
from monitor.auth import create_user
from monitor.db import session_scope
from monitor.models import Feedback, Officer, Rating, utcnow

PASSWORD = "mat-khau-thu-nghiem"


@dataclass
class World:
    p: Province
    now: datetime
    users: dict[str, SignedIn] = field(default_factory=dict)
    feedback: dict[str, int] = field(default_factory=dict)
    officer_a: int = 0


def add_users(engine: Engine, p: Province) -> dict[str, SignedIn]:
    """quantri (admin), thanhtra (inspector), giamsat.a and giamsat.b (commune supervisors)."""
    specs = [
        ("quantri", "admin", None, "Quản Trị Viên"),
        ("thanhtra", "inspector", None, "Thanh Tra Viên"),
        ("giamsat.a", "supervisor", "H56.X1", "Giám Sát An Phú"),
        ("giamsat.b", "supervisor", "H56.X2", "Giám Sát Bình Minh"),
    ]
    out = {}
    with session_scope(engine) as s:
        for name, role, unit, full in specs:
            u = create_user(s, name, PASSWORD, role, unit, full_name=full)
            out[name] = SignedIn(u.id, u.username, u.full_name, u.role, u.unit_id)
    return out


def add_feedback(
    engine: Engine,
    unit: int | None,
    text: str,
    received: datetime,
    *,
    sentiment: str | None = "neutral",
    topic: str | None = "other",
    urgent: bool | None = False,
    **extra: object,
) -> int:
    classified = received if sentiment is not None else None
    with session_scope(engine) as s:
        fb = Feedback(
            source="pakn",
            unit_id=unit,
            text=text,
            received_at=received,
            sentiment=sentiment,
            sentiment_confidence=0.9 if sentiment else None,
            topic=topic,
            topic_confidence=0.8 if topic else None,
            urgent=urgent,
            urgent_confidence=0.7 if urgent is not None else None,
            model_version="test-model" if classified else None,
            classified_at=classified,
            **extra,
        )
        s.add(fb)
        s.flush()
        return fb.id


def add_rating(
    engine: Engine,
    unit: int,
    overall: int,
    at: datetime,
    *,
    comment: str | None = None,
    officer: int | None = None,
    counter: str | None = None,
    dossier: int | None = None,
    **criteria: int,
) -> int:
    with session_scope(engine) as s:
        r = Rating(
            dossier_id=dossier,
            unit_id=unit,
            officer_id=officer,
            counter=counter,
            channel="kiosk",
            overall=overall,
            comment=comment,
            created_at=at,
            **{f"crit_{k}": v for k, v in criteria.items()},
        )
        s.add(r)
        s.flush()
        return r.id


def make_world(engine: Engine) -> World:
    """Feedback and ratings from the last few days in both communes."""
    p = make_province(engine)
    now = utcnow()
    w = World(p, now, add_users(engine, p))
    day = timedelta(days=1)
    w.feedback = {
        "a_urgent": add_feedback(
            engine,
            p.commune_a,
            "Cán bộ xã An Phú gợi ý phải bồi dưỡng mới nhận hồ sơ",
            now - 3 * day,
            sentiment="negative",
            topic="corruption",
            urgent=True,
        ),
        "a_slow": add_feedback(
            engine,
            p.commune_a,
            "Hồ sơ đất ở An Phú trễ hẹn hai tuần",
            now - day,
            sentiment="negative",
            topic="processing_time",
        ),
        "a_praise": add_feedback(
            engine,
            p.commune_a,
            "Cán bộ An Phú hướng dẫn tận tình",
            now - 2 * day,
            sentiment="positive",
            topic="staff_attitude",
        ),
        "b_fees": add_feedback(
            engine,
            p.commune_b,
            "Phường Bình Minh thu phí cao hơn niêm yết",
            now - day,
            sentiment="negative",
            topic="fees",
            urgent=True,
        ),
        "new": add_feedback(
            engine,
            p.commune_b,
            "Phường Bình Minh chưa phân loại",
            now - day,
            sentiment=None,
            topic=None,
            urgent=None,
        ),
    }
    with session_scope(engine) as s:
        officer = Officer(code="CB-A1", name="Lê Văn Quầy", unit_id=p.commune_a, counter="Quầy 1")
        s.add(officer)
        s.flush()
        w.officer_a = officer.id
    rated = [returned_dossier(engine, p, unit, now, code) for unit, code in RATED]
    add_rating(
        engine,
        p.commune_a,
        3,
        now - day,
        comment="An Phú phục vụ nhanh",
        officer=w.officer_a,
        counter="Quầy 1",
        dossier=rated[0],
        a=3,
        dd=3,
    )
    add_rating(
        engine, p.commune_a, 1, now - 2 * day, comment="An Phú chờ lâu", dossier=rated[1], a=1, dd=2
    )
    add_rating(
        engine,
        p.commune_b,
        2,
        now - day - timedelta(hours=12),
        comment="Bình Minh tạm được",
        dossier=rated[2],
        a=2,
    )
    return w


RATED = (("a", "AP-250101-0001"), ("a", "AP-250101-0002"), ("b", "BM-250101-0001"))


def returned_dossier(engine: Engine, p: Province, commune: str, now: datetime, code: str) -> int:
    """A dossier of the commune received ten days ago, returned on time three days ago."""
    unit = p.commune_a if commune == "a" else p.commune_b

    def vn(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).astimezone(VN).strftime("%Y-%m-%d %H:%M")

    return add_dossier(
        engine,
        p,
        unit=unit,
        field=p.civil,
        received=vn(10),
        due=vn(2),
        finished=vn(3),
        returned=vn(3),
        status=10,
        code=code,
    )
