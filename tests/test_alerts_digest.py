"""The morning digest: counts for the supervisor's units, the ten oldest overdue dossiers,
what changed since the previous working day's digest; once a day, working days only."""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts_helpers import VN, add_dossier, build_org, notifications, rules, set_dossier, settings
from sqlalchemy import Engine

from alerts.digest import send_digest
from alerts.service import evaluate_alerts

MONDAY_0730 = datetime(2025, 3, 10, 7, 30, tzinfo=VN)
FRIDAY_8 = datetime(2025, 3, 7, 8, 0, tzinfo=VN)
RULES = rules([{"name": "qua-han", "condition": "overdue", "label": "Hồ sơ quá hạn"}])


def _province(engine: Engine):
    org = build_org(engine)
    for i in range(12):
        due = datetime(2025, 2, 1, 9, 0, tzinfo=VN) + timedelta(days=i)
        add_dossier(engine, org, f"DD-{i:02d}", due=due, procedure_name="Cấp giấy chứng nhận")
    add_dossier(engine, org, "SOON-1", due_status="due_soon")
    add_dossier(engine, org, "SOON-2", due_status="due_soon")
    returned = add_dossier(engine, org, "XA-1", unit="XA-A")
    evaluate_alerts(engine, settings(), FRIDAY_8, RULES)
    set_dossier(engine, returned, due_status="late", status=10)
    evaluate_alerts(engine, settings(), FRIDAY_8 + timedelta(days=1), RULES)
    return org


def _digest_of(engine: Engine, user_id: int) -> dict:
    (row,) = notifications(engine, kind="digest", recipient_id=user_id)
    return row.payload


def test_each_supervisor_gets_counts_oldest_and_changes_for_their_units(engine: Engine) -> None:
    org = _province(engine)
    result = send_digest(engine, settings(), MONDAY_0730, RULES)
    assert result["working_day"] and result["queued"] == 5  # five supervisors, inbox only
    assert result["since"] == datetime(2025, 3, 7, 7, 30, tzinfo=VN).isoformat()
    so = _digest_of(engine, org.users["gd_so"])
    assert (so["overdue"], so["due_soon"]) == (12, 2)
    assert [d["code"] for d in so["oldest"]] == [f"DD-{i:02d}" for i in range(10)]
    assert so["changes"] == [
        {"rule": "qua-han", "label": "Hồ sơ quá hạn", "opened": 12, "resolved": 0}
    ]
    xa = _digest_of(engine, org.users["ct_xa"])
    assert (xa["overdue"], xa["oldest"]) == (0, [])
    assert xa["changes"][0]["opened"] == xa["changes"][0]["resolved"] == 1
    tinh = _digest_of(engine, org.users["gd_tinh"])
    assert tinh["overdue"] == 12 and tinh["changes"][0]["opened"] == 13


def test_the_digest_text_is_vietnamese_with_dates_and_links(engine: Engine) -> None:
    org = _province(engine)
    send_digest(engine, settings(), MONDAY_0730, RULES)
    (row,) = notifications(engine, kind="digest", recipient_id=org.users["tp_dd"])
    assert row.subject == "[Một cửa] Bản tin sáng 10/03/2025: 12 hồ sơ quá hạn, 2 sắp đến hạn"
    assert "Mười hồ sơ quá hạn lâu nhất:" in row.body
    assert "DD-00 — Cấp giấy chứng nhận (hạn 01/02/2025)" in row.body
    assert "http://console.test/dossiers?code=DD-00" in row.body
    assert "Thay đổi từ 07/03/2025 07:30:" in row.body


def test_the_digest_goes_out_once_a_day_and_not_on_days_off(engine: Engine) -> None:
    org = _province(engine)
    st = settings()
    assert (
        send_digest(engine, st, MONDAY_0730 - timedelta(minutes=1), RULES, when_due=True)["queued"]
        == 0
    )
    assert send_digest(engine, st, MONDAY_0730, RULES, when_due=True)["queued"] == 5
    assert send_digest(engine, st, MONDAY_0730 + timedelta(minutes=5), RULES)["queued"] == 0
    later = send_digest(engine, st, MONDAY_0730 + timedelta(hours=2), RULES, when_due=True)
    assert later["queued"] == 0
    saturday = send_digest(engine, st, datetime(2025, 3, 8, 7, 30, tzinfo=VN), RULES)
    assert saturday == {"working_day": False, "queued": 0}
    assert len(notifications(engine, kind="digest", recipient_id=org.users["gd_so"])) == 1


def test_the_digest_is_emailed_to_supervisors_with_an_address(engine: Engine) -> None:
    org = _province(engine)
    send_digest(engine, settings(smtp_host="127.0.0.1"), MONDAY_0730, RULES)
    mine = notifications(engine, kind="digest", recipient_id=org.users["gd_so"])
    assert len(mine) == 2  # inbox and email
