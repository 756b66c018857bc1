"""Where the tests find the local PostgreSQL (override with MOTCUA_TEST_POSTGRES_URL)."""

import os

PG_URL = os.environ.get(
    "MOTCUA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
