"""mood tags: a person's own reusable activity and people tags, and the tags of each entry

Revision ID: 0005
Revises: 0010 (0004 on its own branch: the worktree shared with the journal-sentiment migration
0010 chains them so it has one head; the lead re-chains at merge)
Create Date: 2026-12-03 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0005"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mood_tags",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "name_ct", sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql"), nullable=True
        ),
        sa.Column(
            "created_at", sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mood_tags", schema=None) as batch_op:
        batch_op.create_index("ix_mood_tags_user_time", ["user_id", "created_at"], unique=False)
    with op.batch_alter_table("mood_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "tags",
                sqlmodel.sql.sqltypes.AutoString(length=700),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("mood_entries", schema=None) as batch_op:
        batch_op.drop_column("tags")
    with op.batch_alter_table("mood_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_mood_tags_user_time")
    op.drop_table("mood_tags")
