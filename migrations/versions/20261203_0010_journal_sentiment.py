"""journal sentiment: each entry's VADER compound score, encrypted like its text

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-03 16:20:00.000000

Entries written before it have no score; core.sentiment scores them when read.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0010"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sentiment_ct",
                sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_column("sentiment_ct")
