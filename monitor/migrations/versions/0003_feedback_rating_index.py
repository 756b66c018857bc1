"""feedback: index on rating_id

The satisfaction page lists the newest comments of a unit's ratings with the labels of their
feedback rows. Without an index each rating looked at read the whole feedback table: 1.0 s for
a ward's comments in a province of a million dossiers (68,000 feedback rows).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_feedback_rating_id", "feedback", ["rating_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_rating_id", table_name="feedback")
