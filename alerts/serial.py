"""Transactions that read then write take their lock first.

On SQLite a transaction that has read and then writes fails at once ("database is locked")
if another connection committed in between; taking the write lock with the first statement
makes it wait its turn instead. On PostgreSQL the planner also holds an advisory lock for its
transaction: grouping reads then writes many alerts, and two planners racing would each build
half a message.
"""

from __future__ import annotations

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from monitor.models import Alert

# pg_advisory_xact_lock key owned by the alert planner ("mcalrt" in ASCII).
PLANNER_KEY = 0x6D63616C7274


def write_first(session: Session) -> None:
    """On SQLite, take the write lock now (any write does, even one matching no row)."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.execute(update(Alert).where(Alert.id == -1).values(id=Alert.id))


def hold_planner_lock(session: Session) -> None:
    """Block until no other planner's transaction is running; released at commit."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT pg_advisory_xact_lock({PLANNER_KEY})"))
    else:
        write_first(session)
