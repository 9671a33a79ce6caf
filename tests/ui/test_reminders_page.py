"""The Reminders page: create, pause, resume, delete; kind errors; nudges; notifications."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.reminders.triggers import TriggerChoice
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts


def _page(new_app_test: Callable[[], AppTest], core_app: App) -> tuple[AppTest, str]:
    user = make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/reminders.py").run(), user.id


def test_a_reminder_is_added_paused_resumed_and_deleted(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _page(new_app_test, core_app)
    assert not at.exception and at.title[0].value == "Reminders"
    assert "No reminders yet." in texts(at)
    at.selectbox(key="rem_kind").select("breathing")
    at.selectbox(key="rem_channel").select("in_app")
    at.button(key="rem_add").click()
    at = at.run()
    assert not at.exception and [s.value for s in at.success] == ["Reminder added."]
    [reminder] = core_app.reminders.schedules(user_id)
    assert (reminder.kind, reminder.channel, reminder.time_of_day) == (
        "breathing",
        "in_app",
        "09:00",
    )
    at.button(key=f"rem_pause_{reminder.id}").click()
    at = at.run()
    assert not core_app.reminders.schedules(user_id)[0].active and "paused" in texts(at)
    at.button(key=f"rem_resume_{reminder.id}").click()
    at = at.run()
    assert core_app.reminders.schedules(user_id)[0].active
    at.button(key=f"rem_delete_{reminder.id}").click()
    at = at.run()
    assert core_app.reminders.schedules(user_id) == []


def test_whatsapp_without_a_verified_number_gets_a_kind_message(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _page(new_app_test, core_app)
    at.selectbox(key="rem_channel").select("whatsapp")
    at.button(key="rem_add").click()
    at = at.run()
    assert not at.exception
    assert "Link and verify your WhatsApp number first." in [e.value for e in at.error]
    assert core_app.reminders.schedules(user_id) == []
    at.text_input(key="wa_phone").input("+447911123456")
    at.button(key="wa_send").click()
    at = at.run()
    assert not at.exception
    assert "isn't set up" in at.error[0].value  # no Twilio configured in page tests


def test_nudges_are_saved_and_notifications_show_on_home_with_a_count(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _page(new_app_test, core_app)
    at.checkbox(key="nudge_streak").check()
    at.button(key="nudge_save").click()
    at = at.run()
    assert core_app.triggers.get(user_id) == TriggerChoice(streak=True)
    with core_app.store.unit(user_id) as unit:
        from core.db.models import Notification

        note = Notification(user_id=user_id, kind="nudge", created_at=unit.now())
        unit.seal(note, "body_ct", "A *gentle* note")
        unit.add(note)
    at = at.switch_page("pages/home.py").run()
    assert not at.exception
    assert "**1** unread notification on Home" in texts(at)
    assert "A &#42;gentle&#42; note" in texts(at)
    at.button(key="notes_read_all").click()
    at = at.run()
    assert core_app.notifications.unread_count(user_id) == 0
