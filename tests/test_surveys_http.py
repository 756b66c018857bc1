"""The rating service as a real ``motcua ratings-web`` (uvicorn) on loopback, on SQLite and
PostgreSQL: concurrent clients, one rating per dossier, every 2xx a committed row."""

from __future__ import annotations

import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from pg_url import PG_URL
from sqlalchemy import Engine, func, select
from surveys_helpers import CODES, SECRET, Centre, make_centre
from surveys_server import ratings_process, ratings_server

from monitor import migrate
from monitor.db import DatabaseError, check_connection, make_engine, session_scope
from monitor.models import Rating

pytestmark = pytest.mark.slow


def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'motcua.db'}"
        return
    admin = make_engine(PG_URL)
    try:
        check_connection(admin)
    except DatabaseError as exc:
        pytest.skip(f"PostgreSQL KHÔNG CHẠY ĐƯỢC: {exc}")
    schema = f"motcua_http_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine, Centre]]:
    tmp = tmp_path_factory.mktemp(f"http-{request.param}")
    for url in _database(request.param, tmp):
        engine = make_engine(url)
        migrate.upgrade(engine)
        centre = make_centre(engine)
        env = {
            "MOTCUA_DATABASE_URL": url,
            "MOTCUA_DATA_DIR": str(tmp / "data"),
            "MOTCUA_CONFIG": str(tmp / "none.toml"),
            "MOTCUA_RATING_LINK_SECRET": SECRET,
            "MOTCUA_RATINGS_DEVICE_PER_MINUTE": "600",
            "MOTCUA_RATINGS_ADDRESS_PER_MINUTE": "5",
        }
        with ratings_server(env) as base:
            yield base, engine, centre
        engine.dispose()


def _post_all(base: str, centre: Centre, bodies: list[dict[str, Any]]) -> list[int]:
    headers = {"Authorization": f"Bearer {centre.token}"}

    def post(body: dict[str, Any]) -> int:
        return httpx.post(
            f"{base}/api/v1/ratings", json=body, headers=headers, timeout=30
        ).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(post, bodies))


def _rows(engine: Engine, **where: Any) -> int:
    q = select(func.count(Rating.id)).filter_by(**where)
    with session_scope(engine) as s:
        return int(s.scalar(q) or 0)


def test_concurrent_ratings_of_one_dossier_commit_exactly_one(
    served: tuple[str, Engine, Centre],
) -> None:
    base, engine, centre = served
    bodies = [{"dossier_code": CODES[5], "overall": 1 + n % 3} for n in range(16)]
    statuses = Counter(_post_all(base, centre, bodies))
    assert statuses == {201: 1, 409: 15}
    assert _rows(engine, dossier_id=centre.dossier_ids[CODES[5]]) == 1


def test_every_2xx_over_the_wire_is_a_committed_row(served: tuple[str, Engine, Centre]) -> None:
    base, engine, centre = served
    before = _rows(engine)
    bodies = [{"overall": 3, "idempotency_key": f"http-burst-{n:04d}"} for n in range(24)]
    statuses = _post_all(base, centre, bodies)
    assert statuses == [201] * 24
    assert _rows(engine) - before == 24


def test_a_resend_racing_the_first_attempt_is_counted_once(
    served: tuple[str, Engine, Centre],
) -> None:
    base, engine, centre = served
    body = {"dossier_code": CODES[6], "overall": 2, "idempotency_key": "resend-race-1"}
    statuses = Counter(_post_all(base, centre, [body] * 6))
    assert statuses[201] == 1 and statuses[200] == 5
    assert _rows(engine, dossier_id=centre.dossier_ids[CODES[6]]) == 1


def test_forged_links_get_403_then_the_address_gets_429(served: tuple[str, Engine, Centre]) -> None:
    base, _engine, _centre = served
    answers = [httpx.get(f"{base}/r/{CODES[0]}?t=1.forged", timeout=10) for _ in range(6)]
    assert [a.status_code for a in answers] == [403] * 5 + [429]
    assert "Đường dẫn đánh giá không hợp lệ" in answers[0].text
    assert int(answers[-1].headers["retry-after"]) >= 1


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[dict[str, str], Engine, Centre]]:
    """A database of its own and the service's environment, for a test that starts (or
    kills) its own service."""
    for url in _database(request.param, tmp_path):
        engine = make_engine(url)
        migrate.upgrade(engine)
        centre = make_centre(engine)
        env = {
            "MOTCUA_DATABASE_URL": url,
            "MOTCUA_DATA_DIR": str(tmp_path / "data"),
            "MOTCUA_CONFIG": str(tmp_path / "none.toml"),
            "MOTCUA_RATING_LINK_SECRET": SECRET,
            "MOTCUA_RATINGS_DEVICE_PER_MINUTE": "100000",
        }
        yield env, engine, centre
        engine.dispose()


def _keep_rating(base: str, token: str, prefix: str, accepted: list[int]) -> None:
    """Counter ratings one after another until the service stops answering."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
        for n in range(5000):
            body = {"overall": 2, "idempotency_key": f"{prefix}-{n:05d}"}
            try:
                answer = http.post("/api/v1/ratings", json=body)
            except httpx.TransportError:
                return
            if answer.status_code == 201:
                accepted.append(answer.json()["id"])


def test_every_rating_answered_2xx_survives_the_service_being_killed(
    fresh: tuple[dict[str, str], Engine, Centre],
) -> None:
    env, engine, centre = fresh
    accepted: list[int] = []
    with ratings_process(env) as (base, proc), ThreadPoolExecutor(4) as pool:
        for n in range(4):
            pool.submit(_keep_rating, base, centre.token, f"kill{n}", accepted)
        deadline = time.monotonic() + 30
        while len(accepted) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)  # mid-burst: no shutdown, no flush
        proc.wait(10)
    assert len(accepted) >= 100
    with session_scope(engine) as s:
        stored = set(s.scalars(select(Rating.id).where(Rating.id.in_(accepted))))
    assert stored == set(accepted)


def test_two_worker_processes_still_commit_one_rating_per_dossier(
    fresh: tuple[dict[str, str], Engine, Centre],
) -> None:
    env, engine, centre = fresh
    bodies = [{"dossier_code": code, "overall": 3} for code in CODES for _ in range(4)]
    with ratings_process(env, workers=2) as (base, _proc):
        statuses = _post_all(base, centre, bodies)
    assert Counter(statuses) == {201: len(CODES), 409: 3 * len(CODES)}
    assert _rows(engine) == len(CODES)
