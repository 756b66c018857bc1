"""The supervisors' console end to end: a real ``streamlit run app.py`` on loopback, Debian's
Chromium driven by Playwright, a small province in a SQLite file.

The province is built the way the product builds its data: units and dossiers (with steps, a
supplement request, an apology letter, a rating) and a citizen's complaint, then ``motcua
evaluate``, ``motcua feedback classify`` (the shipped model) and ``motcua alerts evaluate`` as
the scheduler runs them, and an account made by ``create_user``. A commune supervisor signs
in, opens the overdue list and a dossier's timeline, acknowledges an alert with a note and
corrects a feedback label; each action is then checked in the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console_server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    choose,
    close_choices,
    console_server,
    open_choices,
    open_page,
    sign_in,
    wait_idle,
)
from reports_helpers import add_dossier, make_province

from monitor import migrate
from monitor.auth import create_user
from monitor.calendar import VN_TZ
from monitor.db import make_engine, session_scope
from monitor.models import Alert, Dossier, Feedback, LabelCorrection, Unit, User, utcnow
from monitor.seed import load_seeds

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
USERNAME, PASSWORD = "giamsat_xa", "mat-khau-kiem-thu-2025"
OVERDUE = "H56.X1-E2E-0001"
OTHER_COMMUNE = "H56.X2-E2E-0009"
COMPLAINT = (
    "Hồ sơ đất đai của tôi đã quá hạn hai tuần mà chưa có kết quả, "
    "gọi điện cho bộ phận một cửa không ai nghe máy."
)
NOTE = "Đã giao Văn phòng đăng ký đất đai xử lý trong ngày"


@dataclass(frozen=True)
class Site:
    url: str
    engine: Engine
    overdue_id: int
    alert_id: int
    feedback_id: int


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"KHÔNG CÓ {CHROMIUM} — bỏ qua kiểm thử trình duyệt (chạy `make browser`)."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _day(days: int, hour: str = "08:00") -> str:
    """Today plus ``days`` days, Vietnam time, as reports_helpers' 'YYYY-MM-DD HH:MM'."""
    return f"{(datetime.now(VN_TZ) + timedelta(days=days)):%Y-%m-%d} {hour}"


def _dossiers(engine: Engine) -> None:
    p = make_province(engine)
    land: dict[str, Any] = {"field": p.land, "legal_amount": 10.0, "legal_unit": "working_days"}
    add_dossier(
        engine,
        p,
        code=OVERDUE,
        unit=p.commune_a,
        received=_day(-24),
        due=_day(-6, "17:00"),
        steps=[
            ("Bộ phận một cửa", _day(-24), _day(-24, "10:00"), _day(-23, "17:00")),
            ("Văn phòng đăng ký đất đai", _day(-24, "10:00"), None, _day(-8, "17:00")),
        ],
        supplements=[(_day(-20), _day(-18), None)],
        **land,
    )
    add_dossier(
        engine,
        p,
        code="H56.X1-E2E-0002",
        unit=p.commune_a,
        received=_day(-12),
        due=_day(-2, "17:00"),
        status=10,
        finished=_day(-3, "15:00"),
        returned=_day(-2, "09:00"),
        rating=3,
        **land,
    )
    add_dossier(
        engine,
        p,
        code="H56.X1-E2E-0003",
        unit=p.commune_a,
        received=_day(-15),
        due=_day(-5, "17:00"),
        status=10,
        finished=_day(-3, "10:00"),
        returned=_day(-2, "10:00"),
        apologies=[(_day(-6), _day(-2, "17:00"))],
        **land,
    )
    add_dossier(
        engine,
        p,
        code=OTHER_COMMUNE,
        unit=p.commune_b,
        received=_day(-20),
        due=_day(-4, "17:00"),
        field=p.civil,
        legal_amount=5.0,
        legal_unit="working_days",
    )


def _motcua(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _complaint(engine: Engine) -> int:
    """A citizen's complaint on the overdue dossier, as the rating service stores comments:
    not yet classified."""
    with session_scope(engine) as s:
        dossier = s.scalars(select(Dossier).where(Dossier.code == OVERDUE)).one()
        fb = Feedback(
            source="online",
            external_ref="e2e-1",
            dossier_id=dossier.id,
            unit_id=dossier.resolving_unit_id,
            text=COMPLAINT,
            received_at=utcnow() - timedelta(days=1),
        )
        s.add(fb)
        s.flush()
        return fb.id


def _build(tmp: Path) -> tuple[dict[str, str], Engine, int, int, int]:
    url = f"sqlite:///{tmp / 'motcua.db'}"
    env = {
        "MOTCUA_DATABASE_URL": url,
        "MOTCUA_DATA_DIR": str(tmp / "data"),
        "MOTCUA_CONFIG": str(tmp / "none.toml"),
    }
    engine = make_engine(url)
    migrate.upgrade(engine)
    _dossiers(engine)
    load_seeds(engine)  # the calendar and the catalogue; the province's fields are kept
    feedback_id = _complaint(engine)
    # What the scheduler runs: deadlines, the classifier, then the alert rules.
    _motcua(env, "evaluate")
    _motcua(env, "feedback", "classify")
    _motcua(env, "alerts", "evaluate")
    with session_scope(engine) as s:
        fb = s.get(Feedback, feedback_id)
        assert fb is not None and fb.classified_at is not None and fb.topic is not None
        overdue = s.scalars(select(Dossier).where(Dossier.code == OVERDUE)).one()
        assert overdue.due_status == "overdue", "the deadline engine did not see it overdue"
        unit_code = s.scalar(select(Unit.code).where(Unit.id == overdue.resolving_unit_id))
        create_user(s, USERNAME, PASSWORD, "supervisor", unit_code, "Lê Thị Giám Sát")
        alert_id = s.scalar(
            select(Alert.id)
            .where(
                Alert.subject_kind == "dossier",
                Alert.subject_id == str(overdue.id),
                Alert.state == "open",
            )
            .order_by(Alert.id)
        )
        assert alert_id is not None, "alert evaluation raised no alert on the overdue dossier"
        overdue_id = overdue.id
    return env, engine, overdue_id, alert_id, feedback_id


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _require_chromium()
    env, engine, overdue_id, alert_id, feedback_id = _build(tmp_path_factory.mktemp("console"))
    with console_server(env) as console:
        yield Site(console.url, engine, overdue_id, alert_id, feedback_id)
    engine.dispose()


@pytest.fixture(scope="module")
def page(site: Site) -> Iterator[Any]:
    """One signed-in browser tab for the module: the tests follow one supervisor's visit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport=VIEWPORT)
        tab.set_default_timeout(30_000)
        sign_in(tab, site.url, USERNAME, PASSWORD)
        yield tab
        browser.close()


def test_the_supervisor_signs_in_and_lands_on_the_overview(page: Any) -> None:
    wait_idle(page)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_role("heading", name="Tổng quan").first.is_visible()
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Lê Thị Giám Sát" in sidebar
    # A supervisor has no system page.
    assert "Dữ liệu & hệ thống" not in sidebar


def test_the_overdue_list_holds_the_communes_dossier_and_not_the_neighbours(
    page: Any, site: Site
) -> None:
    open_page(page, "Hồ sơ trễ hạn / sắp đến hạn")
    main = page.locator("[data-testid='stMain']")
    # The list's count line, then the codes offered for the timeline (those of the list).
    assert "1 quá hạn" in main.get_by_text("xếp theo mức độ khẩn").inner_text()
    options = open_choices(
        page, main.get_by_role("combobox", name="Xem tiến trình hồ sơ trong danh sách")
    )
    close_choices(page)
    assert OVERDUE in options
    assert OTHER_COMMUNE not in options


def test_a_dossiers_timeline_shows_its_steps_and_who_is_responsible(page: Any, site: Site) -> None:
    open_page(page, "Hồ sơ trễ hạn / sắp đến hạn")
    main = page.locator("[data-testid='stMain']")
    choose(page, main.get_by_role("combobox", name="Xem tiến trình hồ sơ trong danh sách"), OVERDUE)
    main.get_by_role("heading", name=f"Hồ sơ {OVERDUE}").wait_for()
    wait_idle(page)
    text = main.inner_text()
    with session_scope(site.engine) as s:
        dossier = s.get(Dossier, site.overdue_id)
        assert dossier is not None
        responsible = [str(u) for u in dossier.responsible_units]
    assert "Quá hạn" in text
    assert "Quá trình xử lý" in text and "Yêu cầu bổ sung" in text
    assert responsible, "the deadline engine named no responsible unit"
    assert "Đơn vị chịu trách nhiệm về chậm trễ: " + ", ".join(responsible) in text
    # A supervisor does not see the applicant's personal data.
    assert "đã che thông tin cá nhân" in text
    assert "Nguyễn Thị Bí Mật" not in page.content() and "0912345678" not in page.content()


def test_an_alert_is_acknowledged_with_a_note(page: Any, site: Site) -> None:
    open_page(page, "Cảnh báo")
    main = page.locator("[data-testid='stMain']")
    box = main.get_by_label("Số cảnh báo cần xem chi tiết")
    box.fill(str(site.alert_id))
    box.press("Enter")
    main.get_by_role("heading", name=f"Cảnh báo #{site.alert_id}").wait_for()
    wait_idle(page)
    main.get_by_label("Ghi chú xử lý (bắt buộc)").fill(NOTE)
    main.get_by_role("button", name="Xác nhận đã tiếp nhận xử lý").click()
    main.get_by_text(f"Đã xác nhận 1 cảnh báo: #{site.alert_id}.").wait_for()
    wait_idle(page)
    assert NOTE in main.inner_text()  # the alert's detail now shows who acknowledged it
    with session_scope(site.engine) as s:
        alert = s.get(Alert, site.alert_id)
        user_id = s.scalar(select(User.id).where(User.username == USERNAME))
        assert alert is not None
        assert (alert.state, alert.ack_note, alert.acknowledged_by) == (
            "acknowledged",
            NOTE,
            user_id,
        )
        assert alert.acknowledged_at is not None


def test_a_feedback_label_is_corrected_in_place_and_recorded(page: Any, site: Site) -> None:
    with session_scope(site.engine) as s:
        before = s.get(Feedback, site.feedback_id)
        assert before is not None and before.topic is not None
        model_topic = before.topic
    new_topic, new_name = (
        ("staff_attitude", "Thái độ, hướng dẫn của cán bộ")
        if model_topic != "staff_attitude"
        else ("procedure", "Thủ tục, giấy tờ")
    )
    open_page(page, "Phản ánh, góp ý")
    form = page.locator("[data-testid='stForm']")
    choose(page, form.get_by_role("combobox", name="Chủ đề"), new_name)
    form.get_by_role("button", name="Lưu nhãn").click()
    page.get_by_text(f"Đã lưu nhãn (Chủ đề) cho phản ánh số {site.feedback_id}.").wait_for()
    wait_idle(page)
    with session_scope(site.engine) as s:
        fb = s.get(Feedback, site.feedback_id)
        corrections = s.scalars(
            select(LabelCorrection).where(LabelCorrection.feedback_id == site.feedback_id)
        ).all()
        user_id = s.scalar(select(User.id).where(User.username == USERNAME))
        assert fb is not None and fb.human_topic == new_topic
        assert fb.topic == model_topic  # the model's label is kept beside the human's
        assert [(c.label, c.old_value, c.new_value, c.user_id) for c in corrections] == [
            ("topic", model_topic, new_topic, user_id)
        ]
