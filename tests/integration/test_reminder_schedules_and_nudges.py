"""Schedules' rules, WhatsApp linking by code, gentle nudges and in-app notifications."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.db.models import MoodEntry, WhatsAppLink
from core.errors import InvalidInput, NotFound
from core.reminders.schedules import ReminderSpec
from core.reminders.triggers import MOOD_DROP_TEXT, NO_CHECKIN_TEXT, STREAK_TEXT, TriggerChoice
from core.reminders.whatsapp import MAX_CODE_ATTEMPTS
from tests.conftest import raw_rows
from tests.factories import make_user
from tests.integration.reminder_world import World, build_world

PHONE = "+447911123456"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The reminder world on SQLite."""
    built = build_world(tmp_path)
    yield built
    built.twilio.stop()
    built.smtp.stop()
    built.app.engine.dispose()


def _spec(**fields: str) -> ReminderSpec:
    values = {
        "kind": "mood",
        "channel": "in_app",
        "time_of_day": "09:00",
        "days_of_week": "0123456",
        "timezone": "Europe/London",
    } | fields
    return ReminderSpec(**values)  # type: ignore[arg-type]


def test_bad_reminders_are_refused_kindly_and_nothing_is_saved(world: World) -> None:
    user = make_user(world.app).id
    for spec in (
        _spec(kind="custom"),  # no words
        _spec(channel="whatsapp"),  # no verified number
        _spec(channel="email", email="not-an-address"),
        _spec(kind="nightmare"),
        _spec(channel="pigeon"),
        _spec(time_of_day="9am"),
        _spec(timezone="Atlantis/Capital"),
    ):
        with pytest.raises(InvalidInput):
            world.app.reminders.create(user, spec)
    assert world.app.reminders.schedules(user) == []


def test_custom_words_and_email_addresses_are_sealed(world: World) -> None:
    user = make_user(world.app).id
    world.app.reminders.create(user, _spec(kind="custom", message="Call Gran on Sundays"))
    world.app.reminders.create(user, _spec(channel="email", email="sam@example.org"))
    stored = repr(raw_rows(world.app, "reminder_schedules"))
    assert "Gran" not in stored and "sam@example.org" not in stored
    # Both were made at the same (fake) instant, so pick by kind rather than by order.
    by_kind = {view.kind: view for view in world.app.reminders.schedules(user)}
    assert by_kind["custom"].message == "Call Gran on Sundays"


def test_another_persons_reminder_cannot_be_paused_or_deleted(world: World) -> None:
    owner, other = make_user(world.app).id, make_user(world.app).id
    reminder = world.app.reminders.create(owner, _spec())
    with pytest.raises(NotFound):
        world.app.reminders.pause(other, reminder.id)
    with pytest.raises(NotFound):
        world.app.reminders.delete(other, reminder.id)
    assert world.app.reminders.schedules(owner)[0].active


def test_linking_a_number_needs_the_right_code_in_time_and_in_few_tries(world: World) -> None:
    user = make_user(world.app).id
    world.app.whatsapp.start(user, "07911 123456", region="GB")  # national form is fine
    code = (world.twilio.sent_to(PHONE)[-1].body or "").split("code is ")[1][:6]
    assert code not in repr(raw_rows(world.app, "whatsapp_links"))  # only a keyed hash
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidInput, match="tries left"):
        world.app.whatsapp.confirm(user, wrong)
    world.clock.advance(minutes=11)
    with pytest.raises(InvalidInput, match="expired"):
        world.app.whatsapp.confirm(user, code)
    world.app.whatsapp.start(user, PHONE)
    code = (world.twilio.sent_to(PHONE)[-1].body or "").split("code is ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(InvalidInput):
            world.app.whatsapp.confirm(user, wrong)
    with pytest.raises(InvalidInput, match="Too many"):
        world.app.whatsapp.confirm(user, code)  # even the right code, once spent
    link = world.app.whatsapp.status(user)
    assert link is not None and not link.verified and PHONE not in link.masked_phone


def test_a_bad_number_or_one_linked_elsewhere_is_refused(world: World) -> None:
    first, second = make_user(world.app).id, make_user(world.app).id
    with pytest.raises(InvalidInput):
        world.app.whatsapp.start(first, "12345")
    world.app.whatsapp.start(first, PHONE)
    with pytest.raises(InvalidInput, match="another account"):
        world.app.whatsapp.start(second, PHONE)


def _moods(world: World, user: str, scores_by_days_ago: dict[int, int]) -> None:
    now = world.clock.now()
    with world.app.store.unit(user) as unit:
        for days_ago, score in scores_by_days_ago.items():
            unit.add(MoodEntry(user_id=user, score=score, logged_at=now - timedelta(days=days_ago)))


def _nudges(world: World, user: str) -> list[str]:
    return [n.body for n in world.app.notifications.recent(user) if n.kind == "nudge"]


def test_no_check_in_for_n_days_nudges_gently_once_a_day(world: World) -> None:
    user = make_user(world.app).id
    world.app.triggers.set(user, TriggerChoice(no_checkin_days=3))
    _moods(world, user, {4: 6})
    assert world.app.triggers.run() == 1
    assert world.app.triggers.run() == 0  # at most one a day
    world.clock.advance(days=1)
    assert world.app.triggers.run() == 1
    assert _nudges(world, user) == [NO_CHECKIN_TEXT, NO_CHECKIN_TEXT]


def test_a_mood_drop_and_a_streak_about_to_break_nudge(world: World) -> None:
    dropping, streaking = make_user(world.app).id, make_user(world.app).id
    world.app.triggers.set(dropping, TriggerChoice(mood_drop=2.0))
    world.app.triggers.set(streaking, TriggerChoice(streak=True))
    world.clock.set(datetime(2026, 6, 10, 18, 30))  # 19:30 in London; default zone is UTC
    _moods(world, dropping, {5: 8, 4: 8, 3: 7, 2: 4, 1: 4, 0: 3})
    _moods(world, streaking, {1: 6, 2: 6, 3: 7})
    assert world.app.triggers.run() == 2
    assert _nudges(world, dropping) == [MOOD_DROP_TEXT]
    assert _nudges(world, streaking) == [STREAK_TEXT]


def test_nudges_are_off_by_default_and_refuse_odd_numbers(world: World) -> None:
    user = make_user(world.app).id
    _moods(world, user, {10: 2})
    assert world.app.triggers.run() == 0
    with pytest.raises(InvalidInput):
        world.app.triggers.set(user, TriggerChoice(no_checkin_days=0))
    with pytest.raises(InvalidInput):
        world.app.triggers.set(user, TriggerChoice(mood_drop=20))


def test_notifications_have_a_read_state_and_an_unread_count(world: World) -> None:
    user = make_user(world.app).id
    world.app.triggers.set(user, TriggerChoice(no_checkin_days=1))
    _moods(world, user, {3: 5})
    world.app.triggers.run()
    world.clock.advance(days=1)
    world.app.triggers.run()
    assert world.app.notifications.unread_count(user) == 2
    first = world.app.notifications.recent(user)[0]
    world.app.notifications.mark_read(user, first.id)
    assert world.app.notifications.unread_count(user) == 1
    other = make_user(world.app).id
    with pytest.raises(NotFound):
        world.app.notifications.mark_read(other, first.id)
    world.app.notifications.mark_all_read(user)
    assert world.app.notifications.unread_count(user) == 0
    assert all(n.read for n in world.app.notifications.recent(user))


def test_a_link_row_holds_no_readable_number(world: World) -> None:
    user = world.user_with_whatsapp(PHONE)
    with world.app.store.unit(user) as unit:
        link = unit.session.get(WhatsAppLink, user)
        assert link is not None and link.phone_lookup != PHONE
    assert PHONE not in repr(raw_rows(world.app, "whatsapp_links"))


def test_a_nudge_goes_by_whatsapp_or_email_when_chosen_and_set_up_once_a_day(
    world: World,
) -> None:
    by_whatsapp = world.user_with_whatsapp(PHONE)
    by_email = make_user(world.app).id
    world.app.reminders.create(by_email, _spec(channel="email", email="sam@example.org"))
    not_set_up = make_user(world.app).id  # chose WhatsApp, has no number: in the app only
    for user, channel in ((by_whatsapp, "whatsapp"), (by_email, "email"), (not_set_up, "whatsapp")):
        world.app.triggers.set(user, TriggerChoice(no_checkin_days=3, channel=channel))
        _moods(world, user, {4: 6})
    assert world.app.triggers.get(by_whatsapp).channel == "whatsapp"
    assert world.app.triggers.run() == 3
    worker = world.worker()
    worker.drain()
    assert world.app.triggers.run() == 0  # at most one a day, whatever the channel
    worker.drain()
    assert [m.body for m in world.reminder_messages(PHONE)] == [NO_CHECKIN_TEXT]
    [mail] = world.smtp.received
    assert mail["To"] == "sam@example.org"
    assert NO_CHECKIN_TEXT in mail.get_payload(decode=True).decode()
    for user in (by_whatsapp, by_email, not_set_up):
        assert _nudges(world, user) == [NO_CHECKIN_TEXT]  # and always in the app
    with pytest.raises(InvalidInput):
        world.app.triggers.set(by_email, TriggerChoice(streak=True, channel="pigeon"))
