"""sleep diary fields (Consensus Sleep Diary) and breathing sessions with stress ratings

One sleep row per user and night, so imported and typed nights merge without duplicates. The
breathing table had never been written to; its 0-10 calm columns become 1-10 stress ratings.

Revision ID: 0006
Revises: 0007
Create Date: 2026-12-03 16:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0006"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, *, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"), nullable=nullable
    )


def _int(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def upgrade() -> None:
    with op.batch_alter_table("sleep_logs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "timezone",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="UTC",
            )
        )
        batch_op.add_column(
            sa.Column(
                "source",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="diary",
            )
        )
        batch_op.add_column(_time("lights_out"))
        batch_op.add_column(sa.Column("wake_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(_time("out_of_bed"))
        batch_op.add_column(_int("naps"))
        batch_op.add_column(_int("nap_minutes"))
        batch_op.add_column(_int("caffeine_drinks"))
        batch_op.add_column(_time("caffeine_last"))
        batch_op.add_column(_int("alcohol_drinks"))
        batch_op.add_column(_time("alcohol_last"))
        batch_op.add_column(_time("updated_at", nullable=True))
        batch_op.drop_index("ix_sleep_logs_user_night")
        batch_op.create_index("uq_sleep_logs_user_night", ["user_id", "night_of"], unique=True)
    op.execute("UPDATE sleep_logs SET updated_at = created_at WHERE updated_at IS NULL")
    with op.batch_alter_table("sleep_logs", schema=None) as batch_op:
        batch_op.alter_column(
            "updated_at",
            existing_type=sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql"),
            nullable=False,
        )
        for name in ("naps", "nap_minutes", "caffeine_drinks", "alcohol_drinks"):
            batch_op.alter_column(name, existing_type=sa.Integer(), server_default=None)
        for name, length in (("timezone", 64), ("source", 16)):
            batch_op.alter_column(
                name,
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=length),
                server_default=None,
            )

    with op.batch_alter_table("breathing_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "phases",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("stress_before", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stress_after", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("breaths_per_minute", sa.Float(), nullable=True))
        batch_op.drop_column("calm_before")
        batch_op.drop_column("calm_after")
    with op.batch_alter_table("breathing_sessions", schema=None) as batch_op:
        batch_op.alter_column(
            "phases", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), server_default=None
        )


def downgrade() -> None:
    with op.batch_alter_table("breathing_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calm_after", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("calm_before", sa.Integer(), nullable=True))
        batch_op.drop_column("breaths_per_minute")
        batch_op.drop_column("stress_after")
        batch_op.drop_column("stress_before")
        batch_op.drop_column("phases")
    with op.batch_alter_table("sleep_logs", schema=None) as batch_op:
        batch_op.drop_index("uq_sleep_logs_user_night")
        batch_op.create_index("ix_sleep_logs_user_night", ["user_id", "night_of"], unique=False)
        for name in (
            "updated_at", "alcohol_last", "alcohol_drinks", "caffeine_last", "caffeine_drinks",
            "nap_minutes", "naps", "out_of_bed", "wake_minutes", "lights_out", "source", "timezone",
        ):  # fmt: skip
            batch_op.drop_column(name)
