"""check-in details: duration, the person's own rating and emotion, voice tone (encrypted)

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-03 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("emotion_checkins", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("duration_seconds", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("self_rating", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "corrected_emotion", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "tone_ct", sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql"), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("emotion_checkins", schema=None) as batch_op:
        batch_op.drop_column("tone_ct")
        batch_op.drop_column("corrected_emotion")
        batch_op.drop_column("self_rating")
        batch_op.drop_column("duration_seconds")
