"""The WhatsApp webhook with requests signed by Twilio's own RequestValidator, on SQLite and
MySQL: signatures, TwiML, MessageSid idempotency, keywords, mood, media, safety, chat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from core.db.models import MoodEntry, SafetyEvent
from core.reminders.inbound import LINK_HINT, WhatsAppInbox, split_message
from tests.integration.reminder_world import World, build_world
from workers.whatsapp_webhook import create_webhook

PHONE = "+447911123456"
BASE = "http://localhost"


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The reminder world (fake Twilio for the linking code) on SQLite, then MySQL."""
    url = request.getfixturevalue("mysql_url") if request.param == "mysql" else None
    built = build_world(tmp_path, url)
    yield built
    built.twilio.stop()
    built.smtp.stop()
    built.app.engine.dispose()


@pytest.fixture
def client(world: World) -> FlaskClient:
    """A test client of the webhook."""
    return create_webhook(world.app).test_client()


def _post(
    world: World, client: FlaskClient, path: str, form: dict[str, str], *, url: str | None = None
) -> Any:
    token = world.twilio.auth_token
    signature = RequestValidator(token).compute_signature(url or BASE + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def _message(sid: str, body: str, sender: str = PHONE, media: int = 0) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "From": f"whatsapp:{sender}",
        "To": "whatsapp:+14155238886",
        "Body": body,
        "NumMedia": str(media),
    }


def _replies(response: Any) -> list[str]:
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    return [m.text or "" for m in root.iter("Message")]


def test_a_request_without_a_valid_signature_is_refused(world: World, client: FlaskClient) -> None:
    form = _message("SM1", "hello")
    assert client.post("/twilio/whatsapp", data=form).status_code == 403
    bad = client.post("/twilio/whatsapp", data=form, headers={"X-Twilio-Signature": "AAAA"})
    assert bad.status_code == 403
    signed_for_other_body = RequestValidator(world.twilio.auth_token).compute_signature(
        BASE + "/twilio/whatsapp", _message("SM1", "different")
    )
    tampered = client.post(
        "/twilio/whatsapp", data=form, headers={"X-Twilio-Signature": signed_for_other_body}
    )
    assert tampered.status_code == 403
    status = client.post("/twilio/status", data={"MessageSid": "SM1", "MessageStatus": "read"})
    assert status.status_code == 403


def test_behind_a_proxy_the_public_url_is_what_is_checked(tmp_path: Path) -> None:
    world = build_world(tmp_path, webhook_public_url="https://companion.example.org/")
    try:
        client = create_webhook(world.app).test_client()
        public = "https://companion.example.org/twilio/whatsapp"
        ok = _post(world, client, "/twilio/whatsapp", _message("SM1", "hi"), url=public)
        assert _replies(ok) == [LINK_HINT]
        local = _post(world, client, "/twilio/whatsapp", _message("SM2", "hi"))
        assert local.status_code == 403
    finally:
        world.twilio.stop()
        world.smtp.stop()


def test_an_unknown_number_gets_only_the_linking_hint(world: World, client: FlaskClient) -> None:
    replies = _replies(_post(world, client, "/twilio/whatsapp", _message("SM1", "mood 3")))
    assert replies == [LINK_HINT]


def test_mood_messages_become_mood_entries_once_per_message_sid(
    world: World, client: FlaskClient
) -> None:
    user = world.user_with_whatsapp(PHONE)
    form = _message("SMmood1", "mood 7 tired anxious")
    first = _replies(_post(world, client, "/twilio/whatsapp", form))
    again = _replies(_post(world, client, "/twilio/whatsapp", form))  # Twilio's retry
    assert "7/10" in first[0] and "tired, anxious" in first[0]
    assert again == []
    with world.app.store.unit(user) as unit:
        entries = unit.list(MoodEntry, time_column="logged_at")
    assert [(e.score, e.emotions) for e in entries] == [(7, "tired,anxious")]
    bad = _replies(_post(world, client, "/twilio/whatsapp", _message("SMmood2", "mood 11")))
    assert "1 to 10" in bad[0]


def test_stop_and_start_opt_out_of_and_back_into_whatsapp(
    world: World, client: FlaskClient
) -> None:
    user = world.user_with_whatsapp(PHONE)
    stop = _replies(_post(world, client, "/twilio/whatsapp", _message("SMs", "STOP")))
    assert "START" in stop[0]
    recipient = world.app.whatsapp.recipient(user)
    assert recipient is not None and recipient.opted_out
    _replies(_post(world, client, "/twilio/whatsapp", _message("SMt", "start")))
    recipient = world.app.whatsapp.recipient(user)
    assert recipient is not None and not recipient.opted_out and recipient.in_window
    help_text = _replies(_post(world, client, "/twilio/whatsapp", _message("SMh", "help")))
    assert "mood 7" in help_text[0]


def test_a_picture_gets_a_kind_text_only_reply(world: World, client: FlaskClient) -> None:
    world.user_with_whatsapp(PHONE)
    replies = _replies(_post(world, client, "/twilio/whatsapp", _message("SMm", "", media=1)))
    assert replies == ["I can only read text messages for now. Could you tell me in words?"]


def _inbox(client: FlaskClient) -> WhatsAppInbox:
    inbox = client.application.extensions["whatsapp_inbox"]
    assert isinstance(inbox, WhatsAppInbox)
    return inbox


def _chat_replies(world: World) -> list[str]:
    return [m.body or "" for m in world.reminder_messages(PHONE)]


def test_a_crisis_message_gets_crisis_resources_at_once_and_no_model_call(
    world: World, client: FlaskClient
) -> None:
    user = world.user_with_whatsapp(PHONE)
    form = _message("SMc", "I want to kill myself tonight")
    [reply] = _replies(_post(world, client, "/twilio/whatsapp", form))
    assert "Emergency: 911" in reply  # the account's region (US by default), in the answer
    assert _inbox(client).wait_for_replies(10)
    assert _chat_replies(world) == []  # nothing was left for the model to write
    with world.app.store.unit(user) as unit:
        events = unit.list(SafetyEvent)
        # screened once, by the chat service, and recorded as WhatsApp's
        assert [(e.source, unit.open(e, "level_ct")) for e in events] == [("whatsapp", "crisis")]


def test_free_text_is_answered_at_once_and_the_reply_sent_through_the_api(
    world: World, client: FlaskClient
) -> None:
    user = world.user_with_whatsapp(PHONE)
    form = _message("SMf", "I have trouble sleeping before exams")
    assert _replies(_post(world, client, "/twilio/whatsapp", form)) == []  # empty TwiML
    assert _inbox(client).wait_for_replies(30)
    replies = _chat_replies(world)
    assert replies and all(len(r) <= 1600 for r in replies)
    assert "AI" in replies[0]  # the disclosure opens a conversation, as in the app
    assert len(world.app.conversations.recent(user_id=user)) == 1
    with world.app.store.unit(user) as unit:
        events = unit.list(SafetyEvent)
        assert [(e.source, unit.open(e, "level_ct")) for e in events] == [("whatsapp", "none")]


def test_a_slow_model_gets_a_holding_line_first(tmp_path: Path) -> None:
    from core.reminders.inbound import HOLDING_TEXT

    world = build_world(tmp_path)
    try:
        world.user_with_whatsapp(PHONE)
        client = create_webhook(world.app).test_client()
        inbox = _inbox(client)
        inbox._hold_seconds = 0.0  # the model (Ollama down: offline answer) counts as slow
        form = _message("SMslow", "How can I relax in the evening?")
        assert _replies(_post(world, client, "/twilio/whatsapp", form)) == []
        assert inbox.wait_for_replies(30)
        replies = _chat_replies(world)
        assert replies[0] == HOLDING_TEXT and len(replies) >= 2
    finally:
        world.twilio.stop()
        world.smtp.stop()


def test_status_callbacks_update_the_delivery(world: World, client: FlaskClient) -> None:
    world.schedule(world.user_with_whatsapp(PHONE))
    world.clock.advance(hours=2, minutes=1)
    world.worker().drain()
    sid = world.reminder_messages(PHONE)[0].sid
    form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "63016"}
    assert _post(world, client, "/twilio/status", form).status_code == 200
    [delivery] = world.app.reminders.undeliverable(world.reminder_owner(sid))
    assert (delivery.status, delivery.error_code) == ("failed", "63016")


def test_long_replies_are_split_at_sentences_within_the_limit() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(300))
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= 1600 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text
