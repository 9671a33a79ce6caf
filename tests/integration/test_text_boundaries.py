"""Lone surrogates (a broken paste, a hostile client) never crash a form (#6 item 14)."""

from __future__ import annotations

import pytest

from core.bootstrap import App
from core.errors import InvalidInput
from core.textinput import REPLACEMENT
from tests.factories import GOOD_PASSWORD, make_user

LONE = "\ud83d"  # half of an emoji


def test_a_password_with_a_lone_surrogate_is_refused_kindly(app: App) -> None:
    with pytest.raises(InvalidInput):
        app.auth.register(username="sam", password=GOOD_PASSWORD + LONE, display_name="Sam")


def test_a_login_with_a_lone_surrogate_is_a_wrong_password(app: App) -> None:
    user = make_user(app)
    with pytest.raises(Exception) as refused:
        app.auth.login(username=user.username, password=GOOD_PASSWORD + LONE)
    assert not isinstance(refused.value, UnicodeError)


def test_a_display_name_with_a_lone_surrogate_is_stored_without_it(app: App) -> None:
    user = app.auth.register(username="sam", password=GOOD_PASSWORD, display_name=f"Sam{LONE}")
    assert user.display_name == "Sam"


def test_journal_and_chat_keep_the_text_with_a_replacement_character(app: App) -> None:
    user = make_user(app)
    entry = app.journal.add(user_id=user.id, title=f"t{LONE}", body=f"today {LONE} was long").id
    assert app.journal.get(user_id=user.id, entry_id=entry).body == f"today {REPLACEMENT} was long"
    plan = app.chat.prepare(user_id=user.id, conversation_id=None, text=f"hi {LONE}", region="US")
    "".join(app.chat.reply(plan, user_id=user.id))
    turns = app.conversations.history(user_id=user.id, conversation_id=plan.conversation_id)
    assert f"hi {REPLACEMENT}" in [turn.text for turn in turns]
    app.conversations.rename(user_id=user.id, conversation_id=plan.conversation_id, title=LONE)
