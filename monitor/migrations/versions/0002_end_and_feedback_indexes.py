"""dossiers: index on (status, finished_at); feedback: index on dossier_id

The reports' one-pass count reads, besides the dossiers received in the period, the ended ones
whose end falls on or after the period's first day; the satisfaction score reads the dossiers
finished in the period. Both find them through the first index instead of reading the whole
table. A dossier's timeline reads its feedback through the second.

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
    op.create_index("ix_feedback_dossier_id", "feedback", ["dossier_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_dossier_id", table_name="feedback")
    op.drop_index("ix_dossiers_status_finished", table_name="dossiers")
