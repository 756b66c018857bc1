"""The kiosk and the online form in Debian's Chromium, driven by Playwright, against a real
``motcua ratings-web`` on loopback. (The README's screenshots come from
bench/ratings_screenshots.py.)"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from surveys_helpers import CODES, make_centre, settings_for
from surveys_server import ratings_server

from monitor import migrate
from monitor.db import make_engine, session_scope
from monitor.models import Feedback, Rating, utcnow
from surveys.links import make_link

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"KHÔNG CÓ {CHROMIUM} — bỏ qua kiểm thử trình duyệt (chạy `make browser`)."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object, object]]:
    """One service for the module; each test rates its own dossier."""
    tmp_path = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    centre = make_centre(engine)
    env = {
        "MOTCUA_DATABASE_URL": url,
        "MOTCUA_DATA_DIR": str(tmp_path / "data"),
        "MOTCUA_RATING_LINK_SECRET": "khoa-bi-mat-cho-kiem-thu",
        "MOTCUA_CONFIG": str(tmp_path / "none.toml"),
    }
    with ratings_server(env) as base:
        yield base, engine, centre
    engine.dispose()


def _wait_for_rating(engine: object, code_id: int, seconds: float = 5.0) -> Rating | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with session_scope(engine) as s:  # type: ignore[arg-type]
            found = s.scalar(select(Rating).where(Rating.dossier_id == code_id))
        if found is not None:
            return found
        time.sleep(0.1)
    return None


def test_a_citizen_taps_through_a_kiosk_rating_and_sees_the_thank_you_screen(
    browser: object, site: tuple[str, object, object]
) -> None:
    base, engine, centre = site
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[attr-defined]
    page.goto(f"{base}/kiosk#setup")
    page.fill("#setup-token", centre.token)  # type: ignore[attr-defined]
    page.click("#setup-save")
    page.wait_for_selector("#screen-start:not([hidden])")
    assert page.inner_text("#device-label").startswith("Quầy 3 · Cán bộ: Trần Thị Bình · ")
    # The bar stays one line at 1280×800 (title and device label each a single line, on the
    # same row), the label's full text kept as its tooltip when it is cut short.
    for selector in (".kiosk-title", "#device-label"):
        box = page.locator(selector).bounding_box()
        size = page.evaluate(
            f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)"
        )
        assert box is not None and box["height"] < 2 * size, (selector, box, size)
    tb, lb = (
        page.locator(".kiosk-title").bounding_box(),
        page.locator("#device-label").bounding_box(),
    )
    assert abs((tb["y"] + tb["height"] / 2) - (lb["y"] + lb["height"] / 2)) < 4, (tb, lb)
    label = page.locator("#device-label")
    assert label.get_attribute("title") == page.inner_text("#device-label").strip()
    page.fill("#dossier-code", "khong-co")
    page.click("#code-next")
    # A locator assertion, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("#start-message")).to_have_text(  # type: ignore[attr-defined]
        "Không tìm thấy hồ sơ mã KHONG-CO. Vui lòng kiểm tra lại."
    )
    page.fill("#dossier-code", CODES[0].lower())
    page.click("#code-next")
    page.wait_for_selector("#screen-question:not([hidden])")
    page.click("#question-levels button[data-level='1']")  # a), then a change of mind
    assert page.inner_text("#question-step") == "Câu 2/7"
    page.click("#question-back")
    assert page.inner_text("#question-text").startswith("a) ")
    taps = ["3", "3", "2", "3", "3", None, "3"]  # a, b, c, đ, e, h (skipped), overall
    for level in taps:
        if level is None:
            page.click("#question-skip")
        else:
            page.click(f"#question-levels button[data-level='{level}']")
    page.wait_for_selector("#screen-comment:not([hidden])")
    page.fill("#comment", "Cán bộ hướng dẫn tận tình")
    page.click("#submit")
    page.wait_for_selector("#screen-thanks:not([hidden])")
    assert "Cảm ơn" in page.inner_text("#screen-thanks")
    rating = _wait_for_rating(engine, centre.dossier_ids[CODES[0]])  # type: ignore[attr-defined]
    assert rating is not None
    assert (rating.channel, rating.crit_a, rating.crit_c, rating.crit_h, rating.overall) == (
        "kiosk",
        3,
        2,
        None,
        3,
    )
    assert rating.counter == "Quầy 3" and rating.device_id == centre.device_id  # type: ignore[attr-defined]
    with session_scope(engine) as s:  # type: ignore[arg-type]
        assert s.scalar(select(Feedback.text).where(Feedback.rating_id == rating.id)) == (
            "Cán bộ hướng dẫn tận tình"
        )
    assert page.evaluate("localStorage.getItem('motcua.kiosk.queue')") == "[]"


def test_a_rating_made_offline_is_kept_and_sent_once_the_network_returns(
    browser: object, site: tuple[str, object, object]
) -> None:
    base, engine, centre = site
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/kiosk#setup")
    page.fill("#setup-token", centre.token)  # type: ignore[attr-defined]
    page.click("#setup-save")
    page.wait_for_selector("#screen-start:not([hidden])")
    context.set_offline(True)
    page.fill("#dossier-code", CODES[2])
    page.click("#code-next")
    page.wait_for_selector("#screen-question:not([hidden])")
    for level in ["2", "2", "2", "1", "2", "3", "1"]:  # a, b, c, đ, e, h, overall
        page.click(f"button[data-level='{level}']")
    page.click("#submit")
    page.wait_for_selector("#screen-thanks:not([hidden])")
    assert "1 đánh giá đang chờ gửi" in page.inner_text("#queue-label")
    dossier_id = centre.dossier_ids[CODES[2]]  # type: ignore[attr-defined]
    assert _wait_for_rating(engine, dossier_id, seconds=1.0) is None
    context.set_offline(False)  # the browser fires "online": the queue is sent
    rating = _wait_for_rating(engine, dossier_id)
    assert rating is not None and (rating.overall, rating.crit_dd, rating.crit_h) == (1, 1, 3)
    page.wait_for_selector("#queue-label[hidden]", state="attached")
    # The thank-you screen returns to the start by itself (about 8 s).
    page.wait_for_selector("#screen-start:not([hidden])", timeout=12_000)
    assert page.input_value("#dossier-code") == ""
    context.close()


def test_ratings_queued_offline_survive_the_page_being_closed_and_are_sent_on_the_next_load(
    browser: object, site: tuple[str, object, object]
) -> None:
    base, engine, centre = site
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/kiosk#setup")
    page.fill("#setup-token", centre.token)  # type: ignore[attr-defined]
    page.click("#setup-save")
    page.wait_for_selector("#screen-start:not([hidden])")
    context.set_offline(True)
    for code in (CODES[3], None):  # a dossier, then the counter alone
        if code is None:
            page.click("#counter-only")
        else:
            page.fill("#dossier-code", code)
            page.click("#code-next")
        for level in ["3", "3", "3", "3", "3", None, "3"]:
            page.click("#question-skip" if level is None else f"button[data-level='{level}']")
        page.click("#submit")
        page.click("#screen-thanks")  # a tap returns to the start at once
    assert "2 đánh giá đang chờ gửi" in page.inner_text("#queue-label")
    page.close()  # the tablet's browser is closed while the network is down
    context.set_offline(False)
    with session_scope(engine) as s:  # type: ignore[arg-type]
        before = s.scalar(select(func.count(Rating.id)))
    again = context.new_page()
    again.goto(f"{base}/kiosk")
    dossier_id = centre.dossier_ids[CODES[3]]  # type: ignore[attr-defined]
    assert _wait_for_rating(engine, dossier_id) is not None
    again.wait_for_selector("#queue-label[hidden]", state="attached")
    with session_scope(engine) as s:  # type: ignore[arg-type]
        assert s.scalar(select(func.count(Rating.id))) == before + 2
    context.close()


def test_the_online_form_shows_progress_without_personal_data_and_thanks_the_citizen(
    browser: object, site: tuple[str, object, object], tmp_path: Path
) -> None:
    base, engine, centre = site
    settings = settings_for(tmp_path, "sqlite://", ratings_url=base)
    link = make_link(settings, CODES[1], utcnow())
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[attr-defined]
    page.goto(link.url)
    text = page.inner_text("body")
    assert "Đăng ký biến động đất đai" in text and "Nguyễn Văn An" not in text
    assert "0912345678" not in page.content()
    for code in ("a", "b", "c", "dd", "e"):
        page.click(f"label.level-3:has(input[name='crit_{code}'])")
    page.click("label.level-2:has(input[name='overall'])")
    page.click("button.submit")
    page.wait_for_selector("h1")
    assert "Cảm ơn" in page.inner_text("h1")
    rating = _wait_for_rating(engine, centre.dossier_ids[CODES[1]])  # type: ignore[attr-defined]
    assert rating is not None and (rating.channel, rating.overall) == ("online", 2)
