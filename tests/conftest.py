"""Shared fixtures: a migrated database on SQLite (a real file) and on the local PostgreSQL
(a fresh schema for the test session), so the same tests run on both.

PostgreSQL comes from MOTCUA_TEST_POSTGRES_URL (default: the local server's ``test``
database). When it cannot be reached the PostgreSQL tests are skipped with a loud reason,
except under CI (CI=true) or MOTCUA_REQUIRE_POSTGRES=1, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_url import PG_URL
from sqlalchemy import Engine, text

from monitor import migrate
from monitor.db import DatabaseError, check_connection, make_engine
from monitor.models import Base

BACKENDS = ("sqlite", "postgresql")
_ran: Counter[str] = Counter()


def _pg_required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("MOTCUA_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A migrated schema of its own on the local PostgreSQL, dropped at the end."""
    admin = make_engine(PG_URL)
    try:
        check_connection(admin)
    except DatabaseError as exc:
        message = f"PostgreSQL KHÔNG CHẠY ĐƯỢC — bỏ qua các kiểm thử PostgreSQL: {exc}"
        if _pg_required():
            pytest.fail(message)
        pytest.skip(message)
    schema = f"motcua_test_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


def _truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty, migrated database; tests using it run once per backend."""
    _ran[request.param] += 1
    if request.param == "sqlite":
        path = tmp_path / "motcua.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_schema_url")
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _ran:
        runs = ", ".join(f"{name}: {_ran[name]}" for name in BACKENDS)
        terminalreporter.write_line(f"Database tests run per backend — {runs}")
