"""journal embeddings: each entry's search vector, encrypted like its text

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:30:00.000000

Entries written before it have no vector; the journal search embeds them when first searched
(or in its background warm-up) and stores the vector then (core.journal_vectors).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0012"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "embedding_ct",
                sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_column("embedding_ct")
