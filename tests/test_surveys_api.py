"""The kiosk devices' JSON API through FastAPI's TestClient, on SQLite and PostgreSQL: every
abuse case answered with a clear 4xx JSON error, and every 2xx committed."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select
from surveys_helpers import CODES, Centre, make_centre, settings_for

from monitor import migrate
from monitor.db import make_engine, session_scope
from monitor.models import Feedback, Rating, utcnow
from surveys.devices import DeviceCache, revoke_device
from surveys.web import create_app

URL = "/api/v1/ratings"


@pytest.fixture
def centre(engine: Engine) -> Centre:
    return make_centre(engine)


def _client(engine: Engine, db_url: str, tmp_path: Path, **overrides: Any) -> TestClient:
    return TestClient(create_app(engine, settings_for(tmp_path, db_url, **overrides)))


@pytest.fixture
def client(engine: Engine, db_url: str, tmp_path: Path, centre: Centre) -> TestClient:
    return _client(engine, db_url, tmp_path)


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Centre]]:
    """One SQLite service for the tests that only probe input checks (nothing is stored)."""
    tmp = tmp_path_factory.mktemp("checks")
    url = f"sqlite:///{tmp / 'motcua.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    centre = make_centre(engine)
    yield TestClient(create_app(engine, settings_for(tmp, url))), centre
    engine.dispose()


def _auth(centre: Centre) -> dict[str, str]:
    return {"Authorization": f"Bearer {centre.token}"}


def _rating(code: str | None = CODES[0], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"criteria": {"a": 3, "c": 2, "dd": 3}, "overall": 3, **extra}
    if code is not None:
        body["dossier_code"] = code
    return body


def _ratings(engine: Engine) -> list[Rating]:
    with session_scope(engine) as s:
        return list(s.scalars(select(Rating).order_by(Rating.id)))


def test_a_rating_is_committed_before_201_with_the_device_counter_and_officer(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    response = client.post(URL, json=_rating(), headers=_auth(centre))
    assert response.status_code == 201
    assert response.json()["status"] == "created"
    [rating] = _ratings(engine)
    assert rating.id == response.json()["id"]
    assert (rating.channel, rating.crit_a, rating.crit_c, rating.crit_dd, rating.crit_b) == (
        "device",
        3,
        2,
        3,
        None,
    )
    assert rating.unit_id == centre.agency_id  # the agency resolving the dossier is rated
    assert (rating.officer_id, rating.counter, rating.device_id) == (
        centre.officer_id,
        "Quầy 3",
        centre.device_id,
    )


def test_a_second_rating_of_the_same_dossier_gets_409(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    assert client.post(URL, json=_rating(), headers=_auth(centre)).status_code == 201
    again = client.post(URL, json=_rating(overall=1), headers=_auth(centre))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    assert "đã được đánh giá" in again.json()["error"]["message"]
    assert len(_ratings(engine)) == 1


def test_a_resend_with_the_same_idempotency_key_returns_the_first_rating(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    body = _rating(idempotency_key="a1b2c3d4e5f6")
    first = client.post(URL, json=body, headers=_auth(centre))
    second = client.post(URL, json=body, headers=_auth(centre))
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == {"id": first.json()["id"], "status": "duplicate"}
    assert len(_ratings(engine)) == 1


def test_a_resend_of_a_counter_rating_is_not_counted_twice(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    body = _rating(code=None, idempotency_key="counter-0001")
    assert client.post(URL, json=body, headers=_auth(centre)).status_code == 201
    assert client.post(URL, json=body, headers=_auth(centre)).status_code == 200
    [rating] = _ratings(engine)
    assert rating.dossier_id is None and rating.unit_id == centre.centre_id


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer kd_not-a-real-token"}, {"Authorization": "Basic abc"}],
)
def test_a_missing_or_wrong_device_token_gets_401(
    checker: tuple[TestClient, Centre], headers: dict[str, str]
) -> None:
    client, _centre = checker
    response = client.post(URL, json=_rating(), headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_revoked_device_gets_403(client: TestClient, engine: Engine, centre: Centre) -> None:
    with session_scope(engine) as s:
        revoke_device(s, centre.device_id, actor="test", now=utcnow())
    response = client.post(URL, json=_rating(), headers=_auth(centre))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "revoked"


def test_a_device_over_its_rate_gets_429_with_retry_after(
    engine: Engine, db_url: str, tmp_path: Path, centre: Centre
) -> None:
    client = _client(engine, db_url, tmp_path, ratings_device_per_minute=2)
    codes = [
        client.post(URL, json=_rating(c), headers=_auth(centre)).status_code for c in CODES[:3]
    ]
    assert codes == [201, 201, 429]
    limited = client.post(URL, json=_rating(CODES[3]), headers=_auth(centre))
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert len(_ratings(engine)) == 2


def test_guessing_device_tokens_from_one_address_gets_429(client: TestClient) -> None:
    answers = [
        client.post(URL, json=_rating(), headers={"Authorization": f"Bearer kd_guess{n}"})
        for n in range(11)
    ]
    assert [a.status_code for a in answers] == [401] * 10 + [429]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (_rating(overall=4), "overall", "1, 2 hoặc 3"),
        (_rating(overall=True), "overall", "số 1, 2 hoặc 3"),
        (_rating(overall="3"), "overall", "số 1, 2 hoặc 3"),
        ({"dossier_code": CODES[0]}, "overall", "thiếu trường bắt buộc"),
        (_rating(criteria={"z": 3}), "criteria.z", "tiêu chí"),
        (_rating(extra=1), "extra", "không được phép"),
        (_rating(comment="x" * 1001), "comment", "1000 ký tự"),
        (_rating(code="<script>"), "dossier_code", "mã hồ sơ"),
        (_rating(idempotency_key="short"), "idempotency_key", "8–64"),
        (_rating(rated_at="2025-03-20T10:00:00"), "rated_at", "múi giờ"),
    ],
)
def test_invalid_ratings_get_422_with_the_field_and_a_vietnamese_reason(
    checker: tuple[TestClient, Centre], body: dict[str, Any], field: str, message: str
) -> None:
    client, centre = checker
    response = client.post(URL, json=body, headers=_auth(centre))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert any(d["field"] == field and message in d["message"] for d in error["details"]), error


def test_a_body_that_is_not_json_gets_422(checker: tuple[TestClient, Centre]) -> None:
    client, centre = checker
    response = client.post(
        URL, content=b"overall=3", headers={**_auth(centre), "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["message"] == "nội dung không phải JSON hợp lệ"


def test_an_oversized_body_gets_413_before_it_is_read(checker: tuple[TestClient, Centre]) -> None:
    client, centre = checker
    response = client.post(URL, content=b"{" + b" " * 20_000 + b"}", headers=_auth(centre))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_an_oversized_chunked_body_without_a_length_gets_413(
    checker: tuple[TestClient, Centre],
) -> None:
    client, centre = checker

    def chunks() -> Iterator[bytes]:
        yield b'{"overall": 3, "comment": "'
        for _ in range(40):
            yield b"x" * 1000
        yield b'"}'

    response = client.post(URL, content=chunks(), headers=_auth(centre))
    assert response.status_code == 413


def test_an_unknown_dossier_code_gets_404(client: TestClient, centre: Centre) -> None:
    response = client.post(URL, json=_rating("000.00.06.H56-991231-9999"), headers=_auth(centre))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_dossier"


def test_a_comment_is_cleaned_of_control_characters_and_lands_in_feedback(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    comment = "  Cán bộ\u202e nhiệt tình\x07\r\nxin cảm ơn\x00  "
    response = client.post(URL, json=_rating(comment=comment), headers=_auth(centre))
    assert response.status_code == 201
    with session_scope(engine) as s:
        feedback = s.scalars(select(Feedback)).one()
        rating_comment = s.scalar(select(Rating.comment))
    assert rating_comment == feedback.text == "Cán bộ nhiệt tình\nxin cảm ơn"
    assert (feedback.source, feedback.rating_id, feedback.unit_id) == (
        "rating",
        response.json()["id"],
        centre.agency_id,
    )
    assert feedback.dossier_id == centre.dossier_ids[CODES[0]]
    # Unclassified, so the classification job (which reads classified_at IS NULL) takes it.
    assert (feedback.classified_at, feedback.sentiment, feedback.topic) == (None, None, None)


def test_a_rating_without_a_comment_adds_no_feedback_row(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    for comment in (None, "", " \u200b\x00 "):  # nothing left once cleaned
        code = CODES[len(_ratings(engine))]
        response = client.post(URL, json=_rating(code, comment=comment), headers=_auth(centre))
        assert response.status_code == 201
    with session_scope(engine) as s:
        assert s.scalars(select(Feedback)).all() == []
        assert s.scalars(select(Rating.comment)).all() == [None, None, None]


def test_a_comment_of_exactly_1000_characters_after_cleaning_is_accepted(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    comment = "\u200b" * 50 + "ệ" * 1000 + "\x07" * 50  # the invisible ones do not count
    response = client.post(URL, json=_rating(comment=comment), headers=_auth(centre))
    assert response.status_code == 201
    with session_scope(engine) as s:
        assert s.scalar(select(Rating.comment)) == "ệ" * 1000


def test_a_lowercase_dossier_code_finds_the_dossier(client: TestClient, centre: Centre) -> None:
    response = client.post(URL, json=_rating(CODES[0].lower()), headers=_auth(centre))
    assert response.status_code == 201


def test_a_kiosk_that_was_offline_keeps_its_time_unless_it_is_implausible(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    two_hours_ago = (utcnow() - timedelta(hours=2)).replace(microsecond=0)
    tomorrow = utcnow() + timedelta(days=1)
    client.post(
        URL, json=_rating(CODES[0], rated_at=two_hours_ago.isoformat()), headers=_auth(centre)
    )
    client.post(URL, json=_rating(CODES[1], rated_at=tomorrow.isoformat()), headers=_auth(centre))
    first, second = _ratings(engine)
    assert first.created_at == two_hours_ago
    assert abs(second.created_at - utcnow()) < timedelta(minutes=1)


def test_the_kiosk_sees_its_device_and_whether_a_dossier_is_rated(
    client: TestClient, centre: Centre
) -> None:
    device = client.get("/kiosk/api/device", headers=_auth(centre)).json()
    assert device == {
        "id": centre.device_id,
        "name": "Kiosk quầy 3",
        "unit": "Trung tâm Phục vụ hành chính công",
        "counter": "Quầy 3",
        "officer": "Trần Thị Bình",
    }
    before = client.get(f"/kiosk/api/dossiers/{CODES[0]}", headers=_auth(centre)).json()
    client.post("/kiosk/api/ratings", json=_rating(), headers=_auth(centre))
    after = client.get(f"/kiosk/api/dossiers/{CODES[0]}", headers=_auth(centre)).json()
    unknown = client.get("/kiosk/api/dossiers/KHONG-CO", headers=_auth(centre)).json()
    assert (before["found"], before["rated"], after["rated"]) == (True, False, True)
    assert unknown == {"code": "KHONG-CO", "found": False, "rated": False}
    assert client.get("/kiosk/api/device").status_code == 401


def test_ratings_from_the_kiosk_page_are_counted_in_channel_kiosk(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    response = client.post("/kiosk/api/ratings", json=_rating(), headers=_auth(centre))
    assert response.status_code == 201
    assert [r.channel for r in _ratings(engine)] == ["kiosk"]


def test_every_response_carries_the_security_headers(checker: tuple[TestClient, Centre]) -> None:
    response = checker[0].get("/kiosk")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "Đánh giá sự phục vụ" in response.text


def test_a_2xx_count_equals_the_rows_after_a_mixed_burst(
    client: TestClient, engine: Engine, centre: Centre
) -> None:
    statuses = [
        client.post(URL, json=_rating(code, overall=1 + n % 3), headers=_auth(centre)).status_code
        for n, code in enumerate([*CODES, *CODES[:3]])
    ]
    assert statuses.count(201) == len(CODES) and statuses.count(409) == 3
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Rating.id))) == statuses.count(201)


def test_a_revoked_device_is_refused_once_its_cached_entry_expires(
    engine: Engine, centre: Centre
) -> None:
    cache = DeviceCache(engine, ttl=0.3)
    assert cache.lookup(centre.token).active  # type: ignore[union-attr]
    with session_scope(engine) as s:
        revoke_device(s, centre.device_id, actor="test", now=utcnow())
    cached = cache.lookup(centre.token)
    assert cached is not None and cached.active  # within the documented delay
    time.sleep(0.35)
    expired = cache.lookup(centre.token)
    assert expired is not None and not expired.active
    assert cache.lookup("kd_" + "x" * 43) is None


def test_a_database_that_stays_locked_gets_503_and_the_resend_is_stored(
    tmp_path: Path,
) -> None:
    """Another process holds SQLite's write lock past the busy timeout: the kiosk gets 503
    with Retry-After (it keeps the rating queued), nothing half-stored; once the lock is
    released the same rating is accepted."""
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    centre = make_centre(engine)

    @event.listens_for(engine, "connect")
    def _impatient(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=200")

    engine.dispose()  # connections made from now on give up after 200 ms
    client = TestClient(create_app(engine, settings_for(tmp_path, url)))
    client.get("/kiosk/api/device", headers=_auth(centre))  # the device is cached
    other = sqlite3.connect(tmp_path / "motcua.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    body = _rating(idempotency_key="locked-0001")
    try:
        locked = client.post(URL, json=body, headers=_auth(centre))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert locked.status_code == 503
    assert locked.json()["error"]["code"] == "server_error"
    assert locked.headers["retry-after"] == "5"
    assert _ratings(engine) == []
    assert client.post(URL, json=body, headers=_auth(centre)).status_code == 201
    engine.dispose()
