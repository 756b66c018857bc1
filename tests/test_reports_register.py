"""The late-dossier register: who is in it, responsible units and steps, apology status,
rating, masking, and agreement with Biểu 06a."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from typing import Any

from reports_helpers import APPLICANT, PHONE, Province, add_dossier, make_province, random_dossiers
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.reports import form06a, register
from monitor.reports.counting import count_fast
from monitor.reports.period import Period, Scope

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
ALL = Scope(None, "Toàn tỉnh", None)
CONF = Settings()
NOW = datetime(2025, 4, 2, 1, 0, tzinfo=UTC)
KEYS = [c.key for c in register.COLUMNS]
STEPS = [
    ("Bộ phận một cửa", "2025-03-03 09:00", "2025-03-03 10:00", "2025-03-03 17:00"),
    ("Văn phòng đăng ký đất đai", "2025-03-03 10:00", "2025-03-12 09:00", "2025-03-07 17:00"),
]


def _rows(engine: Engine, masked: bool = True) -> list[dict[str, Any]]:
    report = register.build(engine, CONF, MARCH, ALL, NOW, masked=masked)
    return [dict(zip(KEYS, r.cells, strict=True)) for r in report.tables[0].rows]


def _add(engine: Engine, p: Province, code: str, **kw: Any) -> None:
    kw.setdefault("received", "2025-03-03 09:00")
    kw.setdefault("status", 10)
    add_dossier(engine, p, unit=p.land_office, field=p.land, code=code, **kw)


def test_the_register_lists_late_and_overdue_dossiers_with_their_apology_status(
    engine: Engine,
) -> None:
    p = make_province(engine)
    _add(
        engine,
        p,
        "LATE-NO-APOLOGY",
        due="2025-03-10 17:00",
        finished="2025-03-12 10:00",
        returned="2025-03-13 08:00",
        steps=STEPS,
        rating=1,
    )
    _add(
        engine,
        p,
        "APOLOGY-IN-TIME",
        due="2025-03-07 17:00",
        finished="2025-03-12 10:00",
        apologies=[("2025-03-05 09:00", "2025-03-14 17:00")],
    )
    _add(
        engine,
        p,
        "APOLOGY-TOO-LATE",
        due="2025-03-07 17:00",
        finished="2025-03-12 10:00",
        apologies=[("2025-03-07 08:00", "2025-03-14 17:00")],
    )
    _add(
        engine,
        p,
        "SECOND-RESET",
        due="2025-03-07 17:00",
        finished="2025-03-12 10:00",
        apologies=[("2025-03-05 09:00", "2025-03-11 17:00"), ("2025-03-10 09:00", None)],
    )
    _add(
        engine,
        p,
        "NEW-DATE-MISSED",
        due="2025-03-07 17:00",
        finished="2025-03-18 10:00",
        apologies=[("2025-03-05 09:00", "2025-03-14 17:00")],
    )
    _add(engine, p, "OVERDUE-OPEN", due="2025-03-20 17:00", status=4)
    _add(engine, p, "FINISHED-IN-APRIL", due="2025-03-20 17:00", finished="2025-04-02 09:00")
    _add(engine, p, "ON-TIME", due="2025-03-10 17:00", finished="2025-03-10 16:00")
    _add(engine, p, "WAITING", due="2025-03-10 17:00", status=5)
    _add(
        engine,
        p,
        "WAITING-ON-31-03",
        due="2025-03-10 17:00",
        finished="2025-04-08 10:00",
        supplements=[("2025-03-07 09:00", "2025-04-04 09:00", None)],
    )
    rows = {r["code"]: r for r in _rows(engine)}
    assert set(rows) == {
        "LATE-NO-APOLOGY",
        "APOLOGY-IN-TIME",
        "APOLOGY-TOO-LATE",
        "SECOND-RESET",
        "NEW-DATE-MISSED",
        "OVERDUE-OPEN",
        "FINISHED-IN-APRIL",
    }
    late = rows["LATE-NO-APOLOGY"]
    assert late["state"] == "Đã giải quyết quá hạn"
    assert late["days_late"] == 2  # due Monday 10/03, finished Wednesday 12/03
    assert late["responsible"] == "Văn phòng đăng ký đất đai"
    assert late["steps"] == "Văn phòng đăng ký đất đai: hạn 07/03/2025, xong 12/03/2025"
    assert late["apology"] == "Không có phiếu xin lỗi"
    assert late["rating"] == "Không hài lòng"
    assert late["finished"].astimezone(UTC) == datetime(2025, 3, 12, 3, 0, tzinfo=UTC)
    assert late["reset_due"] is None
    assert rows["APOLOGY-IN-TIME"]["apology"] == "Xin lỗi đúng hạn"
    assert rows["APOLOGY-IN-TIME"]["reset_due"].day == 14
    assert rows["APOLOGY-TOO-LATE"]["apology"] == "Xin lỗi muộn"
    assert "Hẹn lại lần hai" in rows["SECOND-RESET"]["apology"]
    assert rows["NEW-DATE-MISSED"]["apology"] == "Trễ cả ngày hẹn lại"
    assert rows["OVERDUE-OPEN"]["state"] == "Đang giải quyết quá hạn"
    assert rows["OVERDUE-OPEN"]["days_late"] == 7  # 21/03 .. 31/03: seven working days
    # Facts after the period are not known at its end: still open and overdue then.
    april = rows["FINISHED-IN-APRIL"]
    assert april["state"] == "Đang giải quyết quá hạn" and april["finished"] is None


def test_rows_are_numbered_in_order_of_receipt(engine: Engine) -> None:
    p = make_province(engine)
    _add(engine, p, "SECOND", received="2025-03-05 09:00", due="2025-03-06 17:00", status=4)
    _add(engine, p, "FIRST", received="2025-03-04 09:00", due="2025-03-06 17:00", status=4)
    assert [(r["stt"], r["code"]) for r in _rows(engine)] == [(1, "FIRST"), (2, "SECOND")]


def test_personal_data_is_masked_unless_asked_otherwise(engine: Engine) -> None:
    p = make_province(engine)
    _add(engine, p, "X", due="2025-03-06 17:00", status=4)
    masked = _rows(engine)[0]
    assert (masked["applicant"], masked["phone"]) == ("N*** T*** B*** M***", "091****678")
    clear = _rows(engine, masked=False)[0]
    assert (clear["applicant"], clear["phone"]) == (APPLICANT, PHONE)


def test_the_register_holds_exactly_the_dossiers_of_columns_10_and_13(engine: Engine) -> None:
    p = make_province(engine)
    random_dossiers(engine, p, random.Random(5), 300)
    total = form06a.Grouped(
        [("x", [("x", c) for c in count_fast(engine, CONF, MARCH, ALL).cells.values()])]
    ).total()
    rows = _rows(engine)
    assert len(rows) == total["10"] + total["13"]
    assert sum(r["state"] == "Đã giải quyết quá hạn" for r in rows) == total["10"]


def test_the_same_parameters_on_the_same_data_give_the_same_rows_and_hash(
    engine: Engine, tmp_path: Any
) -> None:
    from monitor.reports.writers import WRITERS

    p = make_province(engine)
    random_dossiers(engine, p, random.Random(9), 120)
    first = register.build(engine, CONF, MARCH, ALL, NOW)
    later = register.build(engine, CONF, MARCH, ALL, datetime(2026, 1, 1, tzinfo=UTC))
    a = WRITERS["csv"](first, tmp_path / "a.csv").sha256
    b = WRITERS["xlsx"](later, tmp_path / "b.xlsx").sha256
    assert a == b
