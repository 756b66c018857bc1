"""The satisfaction export: leading complaint topics from the NLP labels, and the layout of the
scores the ratings service computes (given here by hand: the scoring is tested there)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reports_helpers import add_dossier, make_province, vn
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Feedback, Officer, Rating
from monitor.reports import satisfaction
from monitor.reports.period import Period, Scope, resolve_scope
from monitor.reports.satisfaction import SatisfactionData, Score766Row, ScoreRow, TopicRow
from monitor.reports.verify import verify_file
from monitor.reports.writers import WRITERS

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
ALL = Scope(None, "Toàn tỉnh", None)


def _feedback(engine: Engine, unit: int, at: str, sentiment: str, topic: str, **kw: str) -> None:
    with session_scope(engine) as s:
        s.add(
            Feedback(
                source="kiosk",
                unit_id=unit,
                text="…",
                received_at=vn(at),
                sentiment=sentiment,
                topic=topic,
                **kw,
            )
        )


def test_leading_complaint_topics_count_negative_feedback_of_the_period_and_scope(
    engine: Engine,
) -> None:
    p = make_province(engine)
    for _ in range(3):
        _feedback(engine, p.commune_a, "2025-03-10 09:00", "negative", "processing_time")
    _feedback(engine, p.commune_a, "2025-03-11 09:00", "negative", "corruption")
    _feedback(engine, p.commune_a, "2025-03-12 09:00", "positive", "staff_attitude")
    # A human's correction wins: this one is not a complaint about fees after all.
    _feedback(
        engine, p.commune_a, "2025-03-12 10:00", "negative", "fees", human_sentiment="neutral"
    )
    _feedback(
        engine,
        p.commune_a,
        "2025-03-13 10:00",
        "positive",
        "other",
        human_sentiment="negative",
        human_topic="staff_attitude",
    )
    _feedback(engine, p.commune_a, "2025-04-01 00:00", "negative", "facilities")  # April
    _feedback(engine, p.land_office, "2025-03-10 09:00", "negative", "procedure")
    topics = satisfaction.complaint_topics(engine, MARCH, resolve_scope(engine, "H56.X1", "-"))
    assert [(t.topic, t.count, round(t.share, 2)) for t in topics] == [
        ("Thời gian giải quyết, trễ hẹn", 3, 0.6),
        ("Tiêu cực, nhũng nhiễu", 1, 0.2),  # ties in the order of the label: corruption first
        ("Thái độ, hướng dẫn của cán bộ", 1, 0.2),
    ]
    assert len(satisfaction.complaint_topics(engine, MARCH, ALL)) == 4


def _data() -> SatisfactionData:
    idx = {1: 1.8, 2: 1.0, 3: 2.0, 4: 1.5, 5: 1.2, 6: 1.9, 7: 2.0, 8: None, 9: 1.1}
    return SatisfactionData(
        units=[ScoreRow("UBND xã An Phú", idx, 13.5, "Tốt", 120)],
        officers=[
            ScoreRow(
                "Trần Văn Cán Bộ",
                {1: 1.8, 2: 1.0, 3: 2.0, 4: 1.5, 7: 2.0},
                8.3,
                "Hoàn thành 100 % nhiệm vụ",
                40,
            )
        ],
        s766=[Score766Row("UBND xã An Phú", 0.05, 0.08, 0.87, 5.8)],
        topics=[TopicRow("Thời gian giải quyết, trễ hẹn", 3, 0.6)],
    )


def test_the_report_has_four_sheets_and_verifies(tmp_path: Path) -> None:
    report = satisfaction.report(_data(), MARCH, ALL, datetime(2025, 4, 1, tzinfo=UTC), Settings())
    path = tmp_path / "hai-long.xlsx"
    WRITERS["xlsx"](report, path)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Chỉ số theo đơn vị",
        "Chỉ số theo cán bộ",
        "Điểm hài lòng 766",
        "Chủ đề phản ánh",
        "Thông tin",
    ]
    units = wb["Chỉ số theo đơn vị"]
    row = [c.value for c in units[8]]
    assert row[:3] == ["UBND xã An Phú", 1.8, 1.0] and row[8] is None  # index 8: no data
    assert row[10:] == [13.5, "Tốt", 120]
    s766 = [c.value for c in wb["Điểm hài lòng 766"][7]]
    assert s766 == ["UBND xã An Phú", 5.0, 8.0, 87.0, 5.8]
    assert verify_file(path).intact


def test_the_command_lays_out_the_ratings_services_scores(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two ratings of a commune's officer on criterion a (index 1): Rất hài lòng = 2 points,
    Hài lòng = 1, so index 1 is 1.5; with no other index the totals are prorated: 1.5 × 18 / 2
    = 13.5 for the unit (Tốt, 12–<15) and 1.5 × 10 / 2 = 7.5 for the officer (≥ 5: all
    duties). The scoring itself is the ratings service's and tested there."""
    from monitor.cli import main

    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    p = make_province(engine)
    with session_scope(engine) as s:
        officer = Officer(code="CB01", name="Trần Thị Cán Bộ", unit_id=p.commune_a)
        s.add(officer)
        s.flush()
        officer_id = officer.id
    for level in (3, 2):
        dossier = add_dossier(
            engine,
            p,
            unit=p.commune_a,
            field=p.civil,
            received="2025-03-03 09:00",
            due="2025-03-10 17:00",
            status=10,
            finished="2025-03-07 09:00",
        )
        with session_scope(engine) as s:
            s.add(
                Rating(
                    dossier_id=dossier,
                    unit_id=p.commune_a,
                    officer_id=officer_id,
                    channel="kiosk",
                    crit_a=level,
                    overall=level,
                    created_at=vn("2025-03-10 09:00"),
                )
            )
    _feedback(engine, p.commune_a, "2025-03-10 09:00", "negative", "processing_time")
    out = tmp_path / "s.json"
    code = main(
        [
            "report",
            "satisfaction",
            "--from",
            "01/03/2025",
            "--to",
            "31/03/2025",
            "--unit",
            "H56.X1",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    [unit] = doc["tables"]["units"]["rows"]
    assert unit["name"] == "UBND xã An Phú" and unit["i1"] == 1.5 and unit["ratings"] == 2
    assert (unit["total"], unit["class"]) == (13.5, "Tốt")
    [officer_row] = doc["tables"]["officers"]["rows"]
    assert officer_row["name"] == "Trần Thị Cán Bộ" and officer_row["i1"] == 1.5
    assert (officer_row["total"], officer_row["class"]) == (7.5, "Hoàn thành 100% nhiệm vụ")
    assert doc["tables"]["topics"]["rows"] == [
        {"topic": "Thời gian giải quyết, trễ hẹn", "count": 1, "share": 100.0}
    ]
    assert doc["meta"]["report"] == "satisfaction" and doc["meta"]["params"]["unit"] == "H56.X1"
