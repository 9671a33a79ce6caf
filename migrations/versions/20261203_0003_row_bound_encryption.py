"""row-bound encryption, sensitive metadata encrypted, one answer per message

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 14:00:00.000000

- Every ciphertext is re-encrypted in format 2, bound to its user, column AND row (format 1 was
  bound to user and column only, so a value could be moved to another row of the same user).
- What says who had a crisis no longer sits in plaintext: a message's safety level, whether it
  is kept out of the model's context, the guides it used and the crisis region it was shown move
  into `messages.meta_ct` (encrypted JSON); `safety_events.level` and `tip_feedback.knowledge_id`
  become `level_ct` and `knowledge_id_ct`. What stays plain, and why: user ids and times (every
  per-user query needs them), a message's role (user / assistant / notice: says nothing of its
  content), `offline` and `helpful` (about the app, not the person), a safety event's source.
- `messages.reply_to` names the user message an answer answers, unique, so one message gets at
  most one stored answer, whatever tabs and reloads do.

Re-encrypting needs each user's data key: run through `python -m core.db upgrade` (or the app),
which hands the migration the master key. On an empty database no key is needed.
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import context, op
from sqlalchemy.dialects import mysql

from core.crypto import FieldCipher

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every encrypted column at this revision (table, column without the _ct suffix).
ENCRYPTED = (
    ("conversations", "title"),
    ("conversations", "summary"),
    ("emotion_checkins", "note"),
    ("journal_entries", "title"),
    ("journal_entries", "body"),
    ("messages", "content"),
    ("mood_entries", "note"),
    ("notifications", "body"),
    ("reminder_schedules", "message"),
    ("reminder_schedules", "destination"),
    ("screening_results", "answers"),
    ("sleep_logs", "note"),
)


def _blob() -> sa.types.TypeEngine[Any]:
    return sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql")


def _ciphers(connection: sa.Connection) -> dict[str, FieldCipher]:
    """Every user's cipher; refuses when there are keys but no keyring was handed over."""
    rows = connection.execute(
        sa.text("SELECT user_id, wrapped_key, master_key_id FROM user_keys")
    ).all()
    if not rows:
        return {}
    keyring = context.config.attributes.get("keyring")
    if keyring is None:
        raise RuntimeError(
            "This migration re-encrypts existing data and needs MASTER_KEY: run it with "
            "`python -m core.db upgrade` (or start the app), not with the bare alembic command."
        )
    return {
        user_id: keyring.cipher_from_wrapped(user_id, bytes(wrapped), key_id)
        for user_id, wrapped, key_id in rows
    }


def _recrypt_columns(
    connection: sa.Connection, ciphers: dict[str, FieldCipher], *, to_row_bound: bool
) -> None:
    for table, column in ENCRYPTED:
        field = f"{column}_ct"
        name = f"{table}.{column}"
        rows = connection.execute(
            sa.text(f"SELECT id, user_id, {field} FROM {table} WHERE {field} IS NOT NULL")
        ).all()
        for row_id, user_id, blob in rows:
            cipher = ciphers[user_id]
            text = cipher.decrypt(name, bytes(blob), row_id=row_id, legacy=True)
            sealed = cipher.encrypt(name, text, row_id=row_id, legacy=not to_row_bound)
            connection.execute(
                sa.text(f"UPDATE {table} SET {field} = :sealed WHERE id = :id"),
                {"sealed": sealed, "id": row_id},
            )


def _link_answers(connection: sa.Connection) -> None:
    """Each user message's first answer gets `reply_to`; later duplicates stay unlinked."""
    rows = connection.execute(
        sa.text(
            "SELECT id, conversation_id, role FROM messages "
            "ORDER BY conversation_id, created_at, id"
        )
    ).all()
    waiting: dict[str, str] = {}
    for row_id, conversation_id, role in rows:
        if role == "user":
            waiting[conversation_id] = row_id
        elif role == "assistant" and conversation_id in waiting:
            connection.execute(
                sa.text("UPDATE messages SET reply_to = :question WHERE id = :id"),
                {"question": waiting.pop(conversation_id), "id": row_id},
            )


def upgrade() -> None:
    connection = op.get_bind()
    ciphers = _ciphers(connection)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meta_ct", _blob(), nullable=True))
        batch_op.add_column(
            sa.Column("reply_to", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
    with op.batch_alter_table("safety_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level_ct", _blob(), nullable=True))
    with op.batch_alter_table("tip_feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("knowledge_id_ct", _blob(), nullable=True))

    _recrypt_columns(connection, ciphers, to_row_bound=True)
    messages = connection.execute(
        sa.text(
            "SELECT id, user_id, safety_level, knowledge_ids, excluded_from_context FROM messages"
        )
    ).all()
    for row_id, user_id, level, knowledge_ids, excluded in messages:
        meta = {
            "safety_level": level,
            "knowledge_ids": [entry for entry in (knowledge_ids or "").split(",") if entry],
            "excluded_from_context": bool(excluded),
            "region": None,
        }
        sealed = ciphers[user_id].encrypt("messages.meta", json.dumps(meta), row_id=row_id)
        connection.execute(
            sa.text("UPDATE messages SET meta_ct = :sealed WHERE id = :id"),
            {"sealed": sealed, "id": row_id},
        )
    for table, plain, name in (
        ("safety_events", "level", "safety_events.level"),
        ("tip_feedback", "knowledge_id", "tip_feedback.knowledge_id"),
    ):
        rows = connection.execute(
            sa.text(f"SELECT id, user_id, {plain} FROM {table} WHERE {plain} IS NOT NULL")
        ).all()
        for row_id, user_id, value in rows:
            sealed = ciphers[user_id].encrypt(name, str(value), row_id=row_id)
            connection.execute(
                sa.text(f"UPDATE {table} SET {plain}_ct = :sealed WHERE id = :id"),
                {"sealed": sealed, "id": row_id},
            )
    _link_answers(connection)

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("safety_level")
        batch_op.drop_column("knowledge_ids")
        batch_op.drop_column("excluded_from_context")
        batch_op.create_index("uq_messages_reply_to", ["reply_to"], unique=True)
    with op.batch_alter_table("safety_events", schema=None) as batch_op:
        batch_op.drop_column("level")
    with op.batch_alter_table("tip_feedback", schema=None) as batch_op:
        batch_op.drop_column("knowledge_id")


def downgrade() -> None:
    connection = op.get_bind()
    ciphers = _ciphers(connection)
    string = sqlmodel.sql.sqltypes.AutoString
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("uq_messages_reply_to")
        batch_op.add_column(
            sa.Column("safety_level", string(length=16), nullable=False, server_default="none")
        )
        batch_op.add_column(
            sa.Column("knowledge_ids", string(length=1000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "excluded_from_context", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("safety_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", string(length=16), nullable=False, server_default="none")
        )
    with op.batch_alter_table("tip_feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("knowledge_id", string(length=120), nullable=True))

    rows = connection.execute(
        sa.text("SELECT id, user_id, meta_ct FROM messages WHERE meta_ct IS NOT NULL")
    ).all()
    for row_id, user_id, blob in rows:
        meta = json.loads(ciphers[user_id].decrypt("messages.meta", bytes(blob), row_id=row_id))
        connection.execute(
            sa.text(
                "UPDATE messages SET safety_level = :level, knowledge_ids = :ids, "
                "excluded_from_context = :excluded WHERE id = :id"
            ),
            {
                "level": meta["safety_level"],
                "ids": ",".join(meta["knowledge_ids"])[:1000],
                "excluded": bool(meta["excluded_from_context"]),
                "id": row_id,
            },
        )
    for table, plain, name in (
        ("safety_events", "level", "safety_events.level"),
        ("tip_feedback", "knowledge_id", "tip_feedback.knowledge_id"),
    ):
        rows = connection.execute(
            sa.text(f"SELECT id, user_id, {plain}_ct FROM {table} WHERE {plain}_ct IS NOT NULL")
        ).all()
        for row_id, user_id, blob in rows:
            value = ciphers[user_id].decrypt(name, bytes(blob), row_id=row_id)
            connection.execute(
                sa.text(f"UPDATE {table} SET {plain} = :value WHERE id = :id"),
                {"value": value, "id": row_id},
            )
    _recrypt_columns(connection, ciphers, to_row_bound=False)

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("meta_ct")
        batch_op.drop_column("reply_to")
    with op.batch_alter_table("safety_events", schema=None) as batch_op:
        batch_op.drop_column("level_ct")
    with op.batch_alter_table("tip_feedback", schema=None) as batch_op:
        batch_op.drop_column("knowledge_id_ct")
