"""The online form behind a signed link: forged, altered and expired links get 403, the form
needs its CSRF token, a dossier is rated once, and no page shows personal data."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from surveys_helpers import CODES, SECRET, Centre, make_centre, settings_for

from monitor.db import session_scope
from monitor.models import Dossier, Feedback, Rating, utcnow
from surveys.links import make_link, sign
from surveys.web import create_app


@pytest.fixture
def centre(engine: Engine) -> Centre:
    return make_centre(engine)


@pytest.fixture
def client(engine: Engine, db_url: str, tmp_path: Path, centre: Centre) -> TestClient:
    return TestClient(create_app(engine, settings_for(tmp_path, db_url)))


def _path(code: str, token: str) -> str:
    return f"/r/{code}?t={token}"


def _token(code: str, *, days: int = 30) -> str:
    return sign(SECRET.encode(), code, int((utcnow() + timedelta(days=days)).timestamp()))


def _h1(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return found.group(1).strip() if found else ""


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def _open_and_submit(client: TestClient, code: str, **fields: Any) -> Any:
    token = _token(code)
    page = client.get(_path(code, token))
    data = {"t": token, "csrf": _csrf(page.text), "overall": "3", "crit_a": "3", **fields}
    return client.post(f"/r/{code}", data=data)


def test_a_valid_link_shows_the_dossiers_progress_but_no_personal_data(
    client: TestClient,
) -> None:
    page = client.get(_path(CODES[1], _token(CODES[1])))
    assert page.status_code == 200
    for shown in (
        "Đăng ký biến động đất đai",
        "Đã trả kết quả",
        "18/03/2025",
        "Giải quyết quá hạn",
    ):
        assert shown in page.text
    for hidden in ("Nguyễn Văn An", "0912345678"):
        assert hidden not in page.text
    assert page.headers["cache-control"] == "no-store"


def test_a_forged_token_gets_403(client: TestClient) -> None:
    forged = sign(b"another-secret", CODES[0], int(utcnow().timestamp()) + 3600)
    page = client.get(_path(CODES[0], forged))
    assert page.status_code == 403
    assert _h1(page.text) == "Đường dẫn đánh giá không hợp lệ"


def test_a_token_moved_to_another_dossier_gets_403(client: TestClient) -> None:
    page = client.get(_path(CODES[1], _token(CODES[0])))
    assert page.status_code == 403


def test_an_altered_expiry_gets_403_as_forged(client: TestClient) -> None:
    expires, _, sig = _token(CODES[0]).partition(".")
    page = client.get(_path(CODES[0], f"{int(expires) + 86_400}.{sig}"))
    assert page.status_code == 403
    assert _h1(page.text) == "Đường dẫn đánh giá không hợp lệ"


def test_an_expired_link_gets_403_and_says_so(client: TestClient) -> None:
    page = client.get(_path(CODES[0], _token(CODES[0], days=-1)))
    assert page.status_code == 403
    assert _h1(page.text) == "Đường dẫn đánh giá đã hết hạn"


def test_a_missing_token_gets_403(client: TestClient) -> None:
    assert client.get(f"/r/{CODES[0]}").status_code == 403


def test_a_link_to_an_unknown_dossier_gets_404(client: TestClient) -> None:
    code = "000.00.06.H56-991231-9999"
    assert client.get(_path(code, _token(code))).status_code == 404


def test_a_submitted_form_is_committed_and_thanked(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    answer = _open_and_submit(client, CODES[0], crit_dd="1", comment="Chờ lâu quá")
    assert answer.status_code == 200
    assert _h1(answer.text) == "Cảm ơn Ông/Bà đã đánh giá!"
    with session_scope(engine) as s:
        rating = s.scalars(select(Rating)).one()
        feedback = s.scalars(select(Feedback)).one()
    assert (rating.channel, rating.overall, rating.crit_a, rating.crit_dd) == ("online", 3, 3, 1)
    assert rating.dossier_id == centre.dossier_ids[CODES[0]]
    assert feedback.text == "Chờ lâu quá" and feedback.rating_id == rating.id


def test_a_link_reopened_after_rating_says_the_dossier_is_rated(client: TestClient) -> None:
    assert _open_and_submit(client, CODES[0]).status_code == 200
    reopened = client.get(_path(CODES[0], _token(CODES[0])))
    assert reopened.status_code == 200
    assert _h1(reopened.text) == "Hồ sơ này đã được đánh giá"
    assert "<form" not in reopened.text


def test_a_csrf_token_made_for_another_dossier_is_refused(client: TestClient) -> None:
    other = _csrf(client.get(_path(CODES[1], _token(CODES[1]))).text)
    answer = client.post(
        f"/r/{CODES[0]}", data={"t": _token(CODES[0]), "csrf": other, "overall": "3"}
    )
    assert answer.status_code == 403


def test_two_forms_open_on_one_dossier_commit_once_and_the_second_gets_409(
    client: TestClient, engine: Engine
) -> None:
    token = _token(CODES[2])
    csrf = _csrf(client.get(_path(CODES[2], token)).text)
    data = {"t": token, "csrf": csrf, "overall": "2"}
    first = client.post(f"/r/{CODES[2]}", data=data)
    second = client.post(f"/r/{CODES[2]}", data=data)
    assert (first.status_code, second.status_code) == (200, 409)
    assert _h1(second.text) == "Hồ sơ này đã được đánh giá"
    assert "Mỗi hồ sơ chỉ được đánh giá một lần" in second.text
    with session_scope(engine) as s:
        assert len(s.scalars(select(Rating)).all()) == 1


def test_a_post_without_the_csrf_cookie_or_field_gets_403(
    client: TestClient, engine: Engine
) -> None:
    token = _token(CODES[0])
    page = client.get(_path(CODES[0], token))
    good = _csrf(page.text)
    client.cookies.clear()
    no_cookie = client.post(f"/r/{CODES[0]}", data={"t": token, "csrf": good, "overall": "3"})
    assert no_cookie.status_code == 403
    assert _h1(no_cookie.text) == "Phiên làm việc đã hết hạn"
    client.get(_path(CODES[0], token))
    no_field = client.post(f"/r/{CODES[0]}", data={"t": token, "overall": "3"})
    assert no_field.status_code == 403
    with session_scope(engine) as s:
        assert s.scalars(select(Rating)).all() == []


def test_a_form_without_an_overall_level_is_shown_again_with_the_reason(
    client: TestClient, engine: Engine
) -> None:
    answer = _open_and_submit(client, CODES[0], overall="", crit_a="7", comment="Góp ý")
    assert answer.status_code == 400
    assert "Thông tin đánh giá chưa hợp lệ" in answer.text
    assert "Mức hài lòng chung: thiếu trường bắt buộc" in answer.text
    assert "Tiêu chí a): mức đánh giá phải là số 1, 2 hoặc 3" in answer.text
    assert "Góp ý" in answer.text  # what was typed is kept
    with session_scope(engine) as s:
        assert s.scalars(select(Rating)).all() == []


def test_one_address_over_its_rate_gets_429(
    engine: Engine, db_url: str, tmp_path: Path, centre: Centre
) -> None:
    client = TestClient(
        create_app(engine, settings_for(tmp_path, db_url, ratings_address_per_minute=3))
    )
    token = _token(CODES[0])
    statuses = [client.get(_path(CODES[0], token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_link_the_cli_makes_opens_the_form(
    client: TestClient, db_url: str, tmp_path: Path
) -> None:
    link = make_link(settings_for(tmp_path, db_url), CODES[3], utcnow())
    assert link.url.startswith("http://127.0.0.1:8502/r/000.00.06.H56-250310-0004?t=")
    assert client.get(link.url.removeprefix("http://127.0.0.1:8502")).status_code == 200


def test_the_form_caps_and_cleans_the_comment_like_the_api(
    client: TestClient, engine: Engine
) -> None:
    too_long = _open_and_submit(client, CODES[0], comment="ô" * 1001)
    assert too_long.status_code == 400
    assert "Ý kiến góp ý (không bắt buộc): ý kiến dài quá 1000 ký tự" in too_long.text
    cleaned = _open_and_submit(client, CODES[0], comment="Rất\u202e tốt\x1b[31m\r\nCảm ơn ")
    assert cleaned.status_code == 200
    with session_scope(engine) as s:
        assert s.scalar(select(Rating.comment)) == "Rất tốt[31m\nCảm ơn"
        assert s.scalar(select(Feedback.classified_at)) is None


PERSONAL = ("Nguyễn Văn An", "0912345678", "an.nguyen@example.vn", "001085012345")


def test_no_public_page_or_answer_shows_the_applicants_personal_data(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    with session_scope(engine) as s:
        for dossier in s.scalars(select(Dossier)):
            dossier.applicant_email, dossier.applicant_id_number = PERSONAL[2], PERSONAL[3]
    auth = {"Authorization": f"Bearer {centre.token}"}
    token = _token(CODES[0])
    pages = [
        client.get("/kiosk"),
        client.get(_path(CODES[0], token)),  # the form with the progress
        client.get("/kiosk/api/device", headers=auth),
        client.get(f"/kiosk/api/dossiers/{CODES[1]}", headers=auth),
        _open_and_submit(client, CODES[0], comment="Tốt"),  # the thank-you page
        client.get(_path(CODES[0], token)),  # already rated
        client.post(f"/r/{CODES[0]}", data={"t": token, "overall": "3"}),  # no CSRF: 403
        client.get(_path(CODES[0], _token(CODES[0], days=-1))),  # expired
        client.post("/api/v1/ratings", json={"dossier_code": CODES[0], "overall": 1}, headers=auth),
    ]
    assert [p.status_code for p in pages] == [200, 200, 200, 200, 200, 200, 403, 403, 409]
    for page in pages:
        for personal in PERSONAL:
            assert personal not in page.text, (page.url, personal)
