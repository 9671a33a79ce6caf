"""Migration 0003: data written before (format 1 ciphertexts, plaintext safety metadata) is
re-encrypted bound to its row, and its metadata encrypted; and back (#6 items 3, 4, 27)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from core.bootstrap import App
from core.db import migrate
from core.db.engine import session_scope
from tests.factories import make_user


def _id() -> str:
    return uuid.uuid4().hex


def _legacy_history(app: App) -> dict[str, str]:
    """A user's conversation, journal entry, safety event and vote, as revision 0002 stored them."""
    user = make_user(app)
    with session_scope(app.engine) as session:
        cipher = app.keyring.cipher_for(session=session, user_id=user.id)

    def seal(column: str, text: str) -> bytes:
        return cipher.encrypt(column, text, row_id="unused", legacy=True)

    ids = {"user": user.id, "conversation": _id(), "question": _id(), "answer": _id()}
    ids["entry"], ids["event"], ids["vote"] = _id(), _id(), _id()
    now = "2026-11-30 10:00:00.000000"
    statements = [
        ("INSERT INTO conversations (id, user_id, title_ct, summary_upto, created_at, updated_at)"
         " VALUES (:id, :user, :title, 0, :now, :now)",
         {"id": ids["conversation"], "user": user.id, "title": seal("conversations.title",
          "A hard moment"), "now": now}),
        ("INSERT INTO messages (id, user_id, conversation_id, role, content_ct, safety_level,"
         " knowledge_ids, offline, excluded_from_context, created_at) VALUES (:id, :user, :c,"
         " 'user', :text, 'crisis', '', 0, 1, :now)",
         {"id": ids["question"], "user": user.id, "c": ids["conversation"], "now": now,
          "text": seal("messages.content", "I can't go on")}),
        ("INSERT INTO messages (id, user_id, conversation_id, role, content_ct, safety_level,"
         " knowledge_ids, offline, excluded_from_context, created_at) VALUES (:id, :user, :c,"
         " 'assistant', :text, 'crisis', 'crisis-support-next-few-minutes', 0, 1,"
         " '2026-11-30 10:00:01.000000')",
         {"id": ids["answer"], "user": user.id, "c": ids["conversation"],
          "text": seal("messages.content", "Please call 988 now.")}),
        ("INSERT INTO journal_entries (id, user_id, title_ct, body_ct, created_at, updated_at)"
         " VALUES (:id, :user, :title, :body, :now, :now)",
         {"id": ids["entry"], "user": user.id, "now": now,
          "title": seal("journal_entries.title", "Tuesday"),
          "body": seal("journal_entries.body", "a long day")}),
        ("INSERT INTO safety_events (id, user_id, level, source, created_at)"
         " VALUES (:id, :user, 'crisis', 'chat', :now)",
         {"id": ids["event"], "user": user.id, "now": now}),
        ("INSERT INTO tip_feedback (id, user_id, message_id, knowledge_id, helpful, created_at)"
         " VALUES (:id, :user, :m, 'crisis-support-next-few-minutes', 1, :now)",
         {"id": ids["vote"], "user": user.id, "m": ids["answer"], "now": now}),
    ]  # fmt: skip
    with app.engine.begin() as connection:
        for statement, values in statements:
            connection.execute(sa.text(statement), values)
    return ids


def _dump(app: App, table: str) -> str:
    with app.engine.connect() as connection:
        return repr(connection.execute(sa.text(f"SELECT * FROM {table}")).all())


def test_old_data_is_rebound_to_its_rows_and_its_safety_metadata_encrypted(any_app: App) -> None:
    migrate.downgrade(any_app.engine, "0002", keyring=any_app.keyring)
    ids = _legacy_history(any_app)
    migrate.upgrade(any_app.engine, keyring=any_app.keyring)

    user = ids["user"]
    turns = any_app.conversations.history(user_id=user, conversation_id=ids["conversation"])
    assert [(t.role, t.text, t.safety_level) for t in turns] == [
        ("user", "I can't go on", "crisis"),
        ("assistant", "Please call 988 now.", "crisis"),
    ]
    assert turns[1].knowledge_ids == ("crisis-support-next-few-minutes",)
    assert any_app.journal.get(user_id=user, entry_id=ids["entry"]).body == "a long day"
    for table in ("messages", "safety_events", "tip_feedback"):
        dump = _dump(any_app, table)
        assert "crisis" not in dump, f"{table} still says who had a crisis"
    with any_app.engine.connect() as connection:
        blob = connection.execute(
            sa.text("SELECT body_ct FROM journal_entries WHERE id = :id"), {"id": ids["entry"]}
        ).scalar_one()
    assert bytes(blob)[:1] == b"\x02"
    # The old answer now answers its question: no second answer can be stored for it.
    with any_app.engine.connect() as connection:
        reply_to = connection.execute(
            sa.text("SELECT reply_to FROM messages WHERE id = :id"), {"id": ids["answer"]}
        ).scalar_one()
    assert reply_to == ids["question"]

    migrate.downgrade(any_app.engine, "0002", keyring=any_app.keyring)
    assert "crisis" in _dump(any_app, "safety_events")  # the old shape, restored
    migrate.upgrade(any_app.engine, keyring=any_app.keyring)
    assert any_app.journal.get(user_id=user, entry_id=ids["entry"]).title == "Tuesday"


def test_a_journal_body_moved_into_another_entry_no_longer_decrypts(any_app: App) -> None:
    user = make_user(any_app)
    first = any_app.journal.add(user_id=user.id, title="one", body="the first entry").id
    second = any_app.journal.add(user_id=user.id, title="two", body="the second entry").id
    with any_app.engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE journal_entries SET body_ct = (SELECT body_ct FROM "
                "(SELECT body_ct FROM journal_entries WHERE id = :first) AS source) "
                "WHERE id = :second"
            ),
            {"first": first, "second": second},
        )
    with pytest.raises(Exception, match="could not be decrypted"):
        any_app.journal.get(user_id=user.id, entry_id=second)


def test_the_migration_refuses_to_run_over_encrypted_data_without_the_key(any_app: App) -> None:
    migrate.downgrade(any_app.engine, "0002", keyring=any_app.keyring)
    _legacy_history(any_app)
    with pytest.raises(RuntimeError, match="MASTER_KEY"):
        migrate.upgrade(any_app.engine)
    migrate.upgrade(any_app.engine, keyring=any_app.keyring)
