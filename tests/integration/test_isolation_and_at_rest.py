"""Privacy on both backends: users can't reach each other's rows; text is ciphertext at rest."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from core.bootstrap import App
from core.crypto import DecryptionError
from core.errors import InvalidInput, NotFound
from core.profile import Preferences
from tests.conftest import raw_rows
from tests.factories import make_user

SECRET = "I told nobody that I cried in the car park today"


def test_user_b_cannot_read_change_or_delete_user_as_journal(any_app: App) -> None:
    alice, bob = make_user(any_app, "alice"), make_user(any_app, "bob")
    entry_id = any_app.journal.add(user_id=alice.id, title="Tuesday", body=SECRET).id
    assert any_app.journal.list(user_id=bob.id) == []
    with pytest.raises(NotFound):
        any_app.journal.get(user_id=bob.id, entry_id=entry_id)
    with pytest.raises(NotFound):
        any_app.journal.update(user_id=bob.id, entry_id=entry_id, title="x", body="overwritten")
    with pytest.raises(NotFound):
        any_app.journal.delete(user_id=bob.id, entry_id=entry_id)
    assert any_app.journal.get(user_id=alice.id, entry_id=entry_id).body == SECRET


def test_each_user_lists_only_their_own_entries(any_app: App) -> None:
    alice, bob = make_user(any_app, "alice"), make_user(any_app, "bob")
    any_app.journal.add(user_id=alice.id, title="a", body="alice writes")
    any_app.journal.add(user_id=bob.id, title="b", body="bob writes")
    assert [entry.body for entry in any_app.journal.list(user_id=alice.id)] == ["alice writes"]


def test_preferences_are_per_user(any_app: App) -> None:
    alice, bob = make_user(any_app, "alice"), make_user(any_app, "bob")
    any_app.profile.update(
        user_id=alice.id, preferences=Preferences("Alice", "GB", "Europe/London", "en")
    )
    assert any_app.profile.get(user_id=bob.id).region == "US"
    assert any_app.profile.get(user_id=alice.id).timezone == "Europe/London"


def test_deleting_one_account_leaves_the_other_intact(any_app: App) -> None:
    alice, bob = make_user(any_app, "alice"), make_user(any_app, "bob")
    entry_id = any_app.journal.add(user_id=alice.id, title="t", body=SECRET).id
    any_app.auth.delete_account(user_id=bob.id, password="quiet river lantern 42")
    assert any_app.journal.get(user_id=alice.id, entry_id=entry_id).body == SECRET


def test_journal_text_is_not_stored_in_plaintext(any_app: App, tmp_path: Path) -> None:
    alice = make_user(any_app, "alice")
    any_app.journal.add(user_id=alice.id, title="Private title", body=SECRET)
    rows = raw_rows(any_app, "journal_entries")
    assert len(rows) == 1
    assert SECRET.encode() not in repr(rows).encode() and "Private title" not in repr(rows)
    if any_app.settings.is_sqlite:
        any_app.engine.dispose()  # checkpoint the WAL so the main file holds everything
        for path in tmp_path.glob("test.db*"):
            assert SECRET.encode() not in path.read_bytes(), path.name
            assert SECRET.encode("utf-16-le") not in path.read_bytes(), path.name


def test_a_ciphertext_copied_into_another_users_row_does_not_decrypt(any_app: App) -> None:
    alice, bob = make_user(any_app, "alice"), make_user(any_app, "bob")
    any_app.journal.add(user_id=alice.id, title="a", body=SECRET)
    bob_entry = any_app.journal.add(user_id=bob.id, title="b", body="bob's own words").id
    with any_app.engine.begin() as connection:
        stolen = connection.execute(
            sa.text("SELECT body_ct FROM journal_entries WHERE user_id = :u"), {"u": alice.id}
        ).scalar_one()
        connection.execute(
            sa.text("UPDATE journal_entries SET body_ct = :c WHERE id = :i"),
            {"c": stolen, "i": bob_entry},
        )
    with pytest.raises(DecryptionError):
        any_app.journal.get(user_id=bob.id, entry_id=bob_entry)


def test_a_tampered_ciphertext_is_detected_and_other_entries_still_read(any_app: App) -> None:
    alice = make_user(any_app, "alice")
    keep = any_app.journal.add(user_id=alice.id, title="a", body="keep me").id
    broken = any_app.journal.add(user_id=alice.id, title="b", body="tamper with me").id
    with any_app.engine.begin() as connection:
        blob = connection.execute(
            sa.text("SELECT body_ct FROM journal_entries WHERE id = :i"), {"i": broken}
        ).scalar_one()
        connection.execute(
            sa.text("UPDATE journal_entries SET body_ct = :c WHERE id = :i"),
            {"c": blob[:-1] + bytes([blob[-1] ^ 1]), "i": broken},
        )
    with pytest.raises(DecryptionError):
        any_app.journal.get(user_id=alice.id, entry_id=broken)
    assert any_app.journal.get(user_id=alice.id, entry_id=keep).body == "keep me"


@pytest.mark.parametrize("body", ["", "   ", "x" * 50_001])
def test_empty_or_huge_journal_entries_get_a_kind_message(any_app: App, body: str) -> None:
    alice = make_user(any_app, "alice")
    with pytest.raises(InvalidInput):
        any_app.journal.add(user_id=alice.id, title="t", body=body)
    assert any_app.journal.list(user_id=alice.id) == []


def test_html_and_sql_in_text_are_stored_and_returned_verbatim(any_app: App) -> None:
    alice = make_user(any_app, "alice")
    hostile = "<script>alert('x')</script>'); DROP TABLE users;-- 💥"
    entry_id = any_app.journal.add(user_id=alice.id, title=hostile, body=hostile).id
    assert any_app.journal.get(user_id=alice.id, entry_id=entry_id).body == hostile
    assert any_app.auth.user_for_username("alice") is not None
