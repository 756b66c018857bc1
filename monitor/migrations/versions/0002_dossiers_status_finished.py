"""dossiers: index on (status, finished_at)

The reports' one-pass count reads, besides the dossiers received in the period, the ended ones
whose end falls on or after the period's first day; the satisfaction score reads the dossiers
finished in the period. Both find them through this index instead of reading the whole table.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_dossiers_status_finished", "dossiers", ["status", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_status_finished", table_name="dossiers")
