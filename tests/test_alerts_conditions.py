"""Each condition and scope, probed at its boundaries."""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts_helpers import MONDAY_9, VN, add_dossier, alerts, build_org, rules, settings
from sqlalchemy import Engine

from alerts import texts
from alerts.service import evaluate_alerts
from monitor.db import session_scope
from monitor.models import DossierStep, Feedback, Officer, Rating


def _keys(engine: Engine, raw: list[dict], now: datetime = MONDAY_9) -> set[str]:
    evaluate_alerts(engine, settings(), now, rules(raw))
    return {a.key.split(":", 1)[1] for a in alerts(engine) if a.state == "open"}


def _ids(engine: Engine, org, *codes: str, **kw) -> dict[str, int]:
    return {code: add_dossier(engine, org, code, **kw) for code in codes}


def test_at_least_n_working_days_overdue_counts_working_days_not_the_weekend(
    engine: Engine,
) -> None:
    org = build_org(engine)
    # On Monday: due Friday is 1 working day overdue, due Thursday 2 (Sat and Sun not counted).
    thu = _ids(engine, org, "THU-LATE", due=datetime(2025, 3, 6, 23, 59, tzinfo=VN))
    _ids(engine, org, "FRI-EARLY", due=datetime(2025, 3, 7, 0, 0, tzinfo=VN))
    raw = [{"name": "r", "condition": "overdue", "min_overdue_working_days": 2}]
    assert _keys(engine, raw) == {f"dossier:{thu['THU-LATE']}"}


def test_due_soon_and_overdue_follow_the_deadline_engine_status(engine: Engine) -> None:
    org = build_org(engine)
    soon = add_dossier(engine, org, "SOON", due_status="due_soon")
    add_dossier(engine, org, "FINE", due_status="in_time")
    add_dossier(engine, org, "WAIT", due_status="waiting_citizen")
    assert _keys(engine, [{"name": "r", "condition": "due_soon"}]) == {f"dossier:{soon}"}


def test_land_scope_separates_land_from_every_other_field(engine: Engine) -> None:
    org = build_org(engine)
    land = add_dossier(engine, org, "LAND", field_code="DD")
    civil = add_dossier(engine, org, "CIVIL", field_code="HT")
    raw = [
        {"name": "land", "condition": "overdue", "scope": {"land": True}},
        {"name": "rest", "condition": "overdue", "scope": {"land": False}},
    ]
    evaluate_alerts(engine, settings(), MONDAY_9, rules(raw))
    assert {a.key for a in alerts(engine)} == {f"land:dossier:{land}", f"rest:dossier:{civil}"}


def test_unit_scope_includes_the_subtree_and_nothing_beside_it(engine: Engine) -> None:
    org = build_org(engine)
    below = add_dossier(engine, org, "DIVISION", unit="PHONG-DD")
    at = add_dossier(engine, org, "DEPARTMENT", unit="SO-TNMT")
    add_dossier(engine, org, "COMMUNE", unit="XA-A")
    raw = [{"name": "r", "condition": "overdue", "scope": {"units": ["SO-TNMT"]}}]
    assert _keys(engine, raw) == {f"dossier:{below}", f"dossier:{at}"}


def test_field_and_intake_channel_scopes(engine: Engine) -> None:
    org = build_org(engine)
    online = add_dossier(engine, org, "ONLINE", field_code="HT", channel=2)
    add_dossier(engine, org, "COUNTER", field_code="HT", channel=1)
    add_dossier(engine, org, "LAND-ONLINE", field_code="DD", channel=2)
    raw = [
        {"name": "r", "condition": "overdue", "scope": {"fields": ["HT"], "channels": ["online"]}}
    ]
    assert _keys(engine, raw) == {f"dossier:{online}"}


def test_breach_rules_match_only_their_breaches_and_only_recent_ones(engine: Engine) -> None:
    org = build_org(engine)
    apology = add_dossier(engine, org, "A", due_status="late", breaches="late_without_apology")
    add_dossier(engine, org, "B", due_status="late", breaches="second_reschedule")
    add_dossier(
        engine,
        org,
        "OLD",
        due_status="late",
        status=10,
        breaches="multiple_supplements,late_without_apology",
        finished_at=MONDAY_9 - timedelta(days=31),
    )
    raw = [{"name": "r", "condition": "breach", "breaches": ["late_without_apology"]}]
    assert _keys(engine, raw) == {f"dossier:{apology}"}
    (a,) = alerts(engine)
    assert a.detail["breaches"] == ["late_without_apology"]
    assert "trễ hạn không có phiếu xin lỗi" in a.title


def test_a_step_is_overdue_from_the_day_after_its_own_deadline(engine: Engine) -> None:
    org = build_org(engine)
    did = add_dossier(engine, org, "HS", due_status="in_time")
    with session_scope(engine) as s:
        step = DossierStep(
            dossier_id=did,
            seq=1,
            unit_name="Phòng Đất đai",
            unit_id=org.units["PHONG-DD"],
            started_at=datetime(2025, 3, 3, 8, 0, tzinfo=VN),
            deadline_at=datetime(2025, 3, 10, 16, 0, tzinfo=VN),
        )
        s.add(step)
        s.flush()
        sid = step.id
    raw = [{"name": "r", "condition": "step_overdue"}]
    assert _keys(engine, raw, datetime(2025, 3, 10, 23, 59, tzinfo=VN)) == set()
    assert _keys(engine, raw, datetime(2025, 3, 11, 0, 0, tzinfo=VN)) == {f"step:{sid}"}
    (a,) = alerts(engine)
    assert a.unit_id == org.units["PHONG-DD"] and "Phòng Đất đai" in a.title
    with session_scope(engine) as s:
        s.get(DossierStep, sid).done_at = datetime(2025, 3, 11, 9, 0, tzinfo=VN)
    assert _keys(engine, raw, datetime(2025, 3, 11, 9, 5, tzinfo=VN)) == set()


def test_urgent_feedback_alerts_unless_a_person_corrected_the_label(engine: Engine) -> None:
    org = build_org(engine)
    with session_scope(engine) as s:
        rows = [
            Feedback(
                source="kiosk", text="Cán bộ đòi tiền", urgent=True, unit_id=org.units["XA-A"]
            ),
            Feedback(source="kiosk", text="Khen", urgent=False),
            Feedback(source="kiosk", text="Không khẩn", urgent=True, human_urgent=False),
            Feedback(source="kiosk", text="Bị bỏ sót", urgent=None, human_urgent=True),
        ]
        for f in rows:
            f.received_at = MONDAY_9 - timedelta(hours=1)
        s.add_all(rows)
        s.flush()
        wanted = {f"feedback:{rows[0].id}", f"feedback:{rows[3].id}"}
    assert _keys(engine, [{"name": "r", "condition": "urgent_feedback"}]) == wanted
    titles = " ".join(a.title for a in alerts(engine))
    assert "đòi tiền" not in titles  # the text may carry personal data: never in the alert


def _rate(engine: Engine, officer: int, *ages_in_days: float, overall: int = 1) -> None:
    with session_scope(engine) as s:
        for age in ages_in_days:
            s.add(
                Rating(
                    officer_id=officer,
                    channel="kiosk",
                    overall=overall,
                    created_at=MONDAY_9 - timedelta(days=age),
                )
            )


def test_three_unsatisfied_ratings_for_one_officer_within_seven_days(engine: Engine) -> None:
    org = build_org(engine)
    with session_scope(engine) as s:
        officer = Officer(code="CB01", name="Trần Văn Bình", unit_id=org.units["XA-A"])
        other = Officer(code="CB02", name="Lê Thị Hoa", unit_id=org.units["XA-A"])
        s.add_all([officer, other])
        s.flush()
        oid, other_id = officer.id, other.id
    _rate(engine, oid, 0.5, 3, 6.9)
    _rate(engine, other_id, 0.5, 3, 7.1)  # the third one is outside the window
    _rate(engine, other_id, 1, overall=2)  # satisfied: does not count
    raw = [{"name": "r", "condition": "low_satisfaction_streak"}]
    assert _keys(engine, raw) == {f"officer:{oid}"}
    (a,) = alerts(engine)
    assert a.unit_id == org.units["XA-A"] and "Trần Văn Bình: 3 đánh giá" in a.title
    # A day later the oldest of the three has left the window: the alert clears.
    assert _keys(engine, raw, MONDAY_9 + timedelta(days=1)) == set()


def test_an_urgent_feedback_title_names_its_topic_in_vietnamese() -> None:
    title = texts.urgent_feedback(7, None, "corruption")
    assert "Tiêu cực, nhũng nhiễu" in title
    assert "corruption" not in title
