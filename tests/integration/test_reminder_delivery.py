"""The outbox and the dispatcher end to end: real Twilio client against the loopback fake,
real SMTP client against aiosmtpd, on SQLite and MySQL."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.db.models import Notification, ReminderDelivery
from tests.conftest import raw_rows
from tests.integration.reminder_world import World, build_world


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The reminder world on SQLite, then on MySQL."""
    url = request.getfixturevalue("mysql_url") if request.param == "mysql" else None
    built = build_world(tmp_path, url)
    yield built
    built.twilio.stop()
    built.smtp.stop()
    built.app.engine.dispose()


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[World]:
    """The reminder world on SQLite only (failure-mode tests)."""
    built = build_world(tmp_path, reminder_max_attempts=2)
    yield built
    built.twilio.stop()
    built.smtp.stop()
    built.app.engine.dispose()


def _deliveries(world: World) -> list[ReminderDelivery]:
    from sqlmodel import Session, select

    with Session(world.app.engine) as session:
        return list(session.exec(select(ReminderDelivery)).all())


def _notes(world: World, user_id: str) -> list[tuple[str, str | None]]:
    with world.app.store.unit(user_id) as unit:
        return [(n.kind, unit.open(n, "body_ct")) for n in unit.list(Notification)]


def test_a_due_reminder_goes_once_and_is_marked_with_twilios_id(world: World) -> None:
    user = world.user_with_whatsapp()
    world.schedule(user)
    world.clock.advance(hours=2, minutes=1)  # 09:01 London
    worker = world.worker()
    worker.drain()
    worker.drain()
    sent = world.reminder_messages()
    assert len(sent) == 1
    [row] = _deliveries(world)
    assert (row.status, row.provider_message_id, row.attempts) == ("sent", sent[0].sid, 1)
    world.clock.advance(days=1)
    worker.drain()
    assert len(world.reminder_messages()) == 2  # the next day's, once


def test_two_workers_at_once_never_send_an_occurrence_twice(world: World) -> None:
    users = [world.user_with_whatsapp(f"+4479111234{n:02d}") for n in range(12)]
    for user in users:
        world.schedule(user)
    world.clock.advance(hours=2, minutes=1)
    workers = [world.worker(f"w{n}") for n in range(3)]
    for worker in workers:
        worker.batch_size = 3
    threads = [threading.Thread(target=w.drain) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    counts = [len(world.reminder_messages(f"+4479111234{n:02d}")) for n in range(12)]
    assert counts == [1] * 12
    assert {row.status for row in _deliveries(world)} == {"sent"}


def test_rate_limited_sends_back_off_and_go_once(sqlite_world: World) -> None:
    world = sqlite_world
    world.schedule(world.user_with_whatsapp())
    world.clock.advance(hours=2, minutes=1)
    world.twilio.then("429", "429")
    world.worker().drain()
    assert len(world.reminder_messages()) == 1
    assert _deliveries(world)[0].status == "sent"


def test_a_lost_answer_is_reconciled_with_twilio_and_not_sent_again(world: World) -> None:
    world.schedule(world.user_with_whatsapp())
    world.clock.advance(hours=2, minutes=1)
    world.twilio.then("timeout")  # Twilio creates it, the answer never comes
    worker = world.worker()
    worker.drain()
    [row] = _deliveries(world)
    assert row.status == "unknown"
    world.clock.advance(minutes=1)
    worker.drain()
    sent = world.reminder_messages()
    [row] = _deliveries(world)
    assert len(sent) == 1
    assert (row.status, row.provider_message_id) == ("sent", sent[0].sid)


def test_a_5xx_that_created_nothing_is_checked_then_sent_once(sqlite_world: World) -> None:
    world = sqlite_world
    world.schedule(world.user_with_whatsapp())
    world.clock.advance(hours=2, minutes=1)
    world.twilio.then("500")
    worker = world.worker()
    worker.drain()
    assert _deliveries(world)[0].status == "unknown"
    assert world.reminder_messages() == []
    world.clock.advance(minutes=1)
    worker.drain()
    assert len(world.reminder_messages()) == 1
    assert _deliveries(world)[0].status == "sent"


def test_a_crash_after_twilio_created_the_message_is_reconciled(sqlite_world: World) -> None:
    world = sqlite_world
    world.schedule(world.user_with_whatsapp())
    world.clock.advance(hours=2, minutes=1)
    world.twilio.then("500-after-create")
    worker = world.worker()
    worker.drain()
    world.clock.advance(minutes=1)
    worker.drain()
    assert len(world.reminder_messages()) == 1
    row = _deliveries(world)[0]
    assert (row.status, row.provider_message_id) == ("sent", world.reminder_messages()[0].sid)


def test_a_permanent_error_is_not_retried_and_the_person_is_told(sqlite_world: World) -> None:
    world = sqlite_world
    user = world.user_with_whatsapp()
    world.schedule(user)
    world.clock.advance(hours=2, minutes=1)
    world.twilio.then("error:21211")
    before = world.twilio.requests
    worker = world.worker()
    worker.drain()
    world.clock.advance(hours=1)
    worker.drain()
    assert world.twilio.requests - before == 1
    row = _deliveries(world)[0]
    assert (row.status, row.error_code) == ("failed", "21211")
    assert [kind for kind, _ in _notes(world, user)] == ["undelivered"]
    assert [d.status for d in world.app.reminders.undeliverable(user)] == ["failed"]


def test_after_the_last_try_a_reminder_is_dead_lettered_and_shown(sqlite_world: World) -> None:
    world = sqlite_world  # max 2 tries
    user = world.user_with_whatsapp()
    world.schedule(user)
    world.clock.advance(hours=2, minutes=1)
    world.twilio.then("500", "500")
    worker = world.worker()
    for _ in range(4):
        worker.drain()
        world.clock.advance(minutes=1)
    assert world.reminder_messages() == []
    row = _deliveries(world)[0]
    assert (row.status, row.attempts) == ("dead", 2)
    assert [d.status for d in world.app.reminders.undeliverable(user)] == ["dead"]
    assert any("couldn't deliver" in (body or "") for _, body in _notes(world, user))


def test_after_downtime_only_occurrences_within_the_grace_period_are_sent(world: World) -> None:
    world.schedule(world.user_with_whatsapp(), time_of_day="09:00")
    world.clock.advance(days=3, hours=2, minutes=30)  # Thursday 09:30: three occurrences late
    world.worker().drain()
    statuses = sorted((r.occurrence_at, r.status) for r in _deliveries(world))
    assert [s for _, s in statuses] == ["missed", "missed", "missed", "sent"]
    assert len(world.reminder_messages()) == 1


def test_outside_the_24_hour_window_the_template_goes_inside_free_text(tmp_path: Path) -> None:
    world = build_world(tmp_path, twilio_reminder_content_sid="HX" + "1" * 32)
    try:
        user = world.user_with_whatsapp()
        world.schedule(user)
        world.clock.advance(hours=2, minutes=1)
        worker = world.worker()
        worker.drain()
        world.clock.advance(days=1)
        world.app.whatsapp.record_inbound(user)  # the person writes: the window opens
        worker.drain()
        first, second = world.reminder_messages()
        assert first.content_sid == "HX" + "1" * 32 and first.body is None
        assert json.loads(first.content_variables or "{}")["1"].startswith("A gentle nudge")
        assert second.content_sid is None and (second.body or "").startswith("A gentle nudge")
    finally:
        world.twilio.stop()
        world.smtp.stop()


def test_an_opted_out_person_gets_nothing_until_they_opt_in(sqlite_world: World) -> None:
    world = sqlite_world
    user = world.user_with_whatsapp()
    world.schedule(user)
    world.app.whatsapp.set_opted_out(user, True)
    world.clock.advance(hours=2, minutes=1)
    worker = world.worker()
    worker.drain()
    assert world.reminder_messages() == []
    assert _deliveries(world)[0].status == "skipped"
    world.app.whatsapp.set_opted_out(user, False)
    world.clock.advance(days=1)
    worker.drain()
    assert len(world.reminder_messages()) == 1


def test_paused_and_deleted_schedules_send_nothing(sqlite_world: World) -> None:
    world = sqlite_world
    user = world.user_with_whatsapp()
    paused = world.schedule(user)
    deleted = world.schedule(user, time_of_day="10:00")
    world.app.reminders.pause(user, paused.id)
    world.app.reminders.delete(user, deleted.id)
    world.clock.advance(hours=5)
    world.worker().drain()
    assert world.reminder_messages() == []
    assert {d.status for d in _deliveries(world)} <= {"skipped", "missed"}
    world.app.reminders.resume(user, paused.id)
    world.clock.advance(hours=21)  # Tuesday 09:01 in London
    world.worker().drain()
    assert len(world.reminder_messages()) == 1  # from the next occurrence, not the paused ones


def test_email_reminders_go_through_starttls_smtp_with_login(world: World) -> None:
    from tests.factories import make_user

    user = make_user(world.app).id
    world.schedule(user, channel="email", email="sam@example.org", kind="breathing")
    world.clock.advance(hours=2, minutes=1)
    world.worker().drain()
    [mail] = world.smtp.received
    assert mail["To"] == "sam@example.org"
    assert "breathing" in mail.get_payload()
    row = _deliveries(world)[0]
    assert row.status == "sent" and row.provider_message_id == mail["Message-ID"]


def test_a_refused_email_is_failed_and_a_busy_server_retried(sqlite_world: World) -> None:
    from tests.factories import make_user

    world = sqlite_world
    user = make_user(world.app).id
    world.schedule(user, channel="email", email="sam@example.org")
    world.smtp.refuse_with.append(451)
    world.clock.advance(hours=2, minutes=1)
    worker = world.worker()
    worker.drain()
    assert _deliveries(world)[0].status == "pending"
    world.clock.advance(minutes=5)
    worker.drain()
    assert _deliveries(world)[0].status == "sent"
    assert len(world.smtp.received) == 1


def test_in_app_reminders_are_written_once_and_sealed(world: World) -> None:
    from tests.factories import make_user

    user = make_user(world.app).id
    world.schedule(user, channel="in_app", kind="custom", message="Drink some water 💧")
    world.clock.advance(hours=2, minutes=1)
    world.worker().drain()
    world.worker("w2").drain()
    assert _notes(world, user) == [("reminder", "Drink some water 💧")]
    assert all(b"water" not in bytes(row[3] or b"") for row in raw_rows(world.app, "notifications"))


def test_status_callbacks_move_a_sent_row_along(sqlite_world: World) -> None:
    world = sqlite_world
    world.schedule(world.user_with_whatsapp())
    world.clock.advance(hours=2, minutes=1)
    world.worker().drain()
    sid = world.reminder_messages()[0].sid
    assert world.app.outbox.record_provider_status(sid, "delivered")
    assert _deliveries(world)[0].status == "delivered"
    assert world.app.outbox.record_provider_status(sid, "failed", "63016")
    row = _deliveries(world)[0]
    assert (row.status, row.error_code) == ("failed", "63016")
    assert not world.app.outbox.record_provider_status("SM" + "f" * 32, "read")


def test_claims_are_fenced_a_worker_whose_lease_expired_cannot_finish(sqlite_world: World) -> None:
    world = sqlite_world
    world.schedule(world.user_with_whatsapp())
    world.clock.advance(hours=2, minutes=1)
    world.app.outbox.materialise()
    [slow] = world.app.outbox.claim("slow", limit=5)
    world.clock.advance(seconds=31)  # lease (30 s) over
    [fast] = world.app.outbox.claim("fast", limit=5)
    assert not world.app.outbox.begin_send(slow)
    assert world.app.outbox.begin_send(fast)
    with world.app.engine.connect() as connection:
        owner = connection.execute(sa.text("SELECT claimed_by FROM reminder_deliveries")).scalar()
    assert str(owner).startswith("fast:")


def test_another_message_to_the_number_in_the_window_is_not_taken_for_the_reminder(
    world: World,
) -> None:
    user = world.user_with_whatsapp()
    world.schedule(user)
    world.clock.advance(hours=2, minutes=1)  # 09:01 London
    assert world.app.sender is not None
    code_sid = world.app.sender.send(  # a code (or a chat reply) to the same number, same minute
        to="+447911123456", body="Your companion verification code is 481516."
    )
    world.twilio.then("500")  # the reminder's answer is a 5xx: nothing was created
    worker = world.worker()
    worker.drain()
    [row] = _deliveries(world)
    assert row.status == "unknown"
    world.clock.advance(minutes=1)  # the recheck: Twilio lists only the code in the window
    worker.drain()
    worker.drain()
    sent = world.reminder_messages()
    assert len(sent) == 1  # resent exactly once
    [row] = _deliveries(world)
    assert (row.status, row.provider_message_id, row.attempts) == ("sent", sent[0].sid, 2)
    assert row.provider_message_id != code_sid


def test_another_reminder_with_the_same_words_is_not_taken_for_this_one(world: World) -> None:
    user = world.user_with_whatsapp()
    world.schedule(user)  # two mood reminders at 09:00: the same text to the same number
    world.schedule(user)
    world.clock.advance(hours=2, minutes=1)
    world.twilio.then("timeout-before")  # one of the two: no answer, nothing created
    worker = world.worker()
    worker.drain()
    assert sorted(row.status for row in _deliveries(world)) == ["sent", "unknown"]
    world.clock.advance(minutes=1)  # the recheck lists the other reminder's message only
    worker.drain()
    sent = world.reminder_messages()
    rows = _deliveries(world)
    assert len(sent) == 2
    assert [row.status for row in rows] == ["sent", "sent"]
    assert {row.provider_message_id for row in rows} == {message.sid for message in sent}


def test_an_email_whose_answer_was_lost_goes_again_with_the_same_message_id(
    tmp_path: Path,
) -> None:
    from tests.factories import make_user

    world = build_world(tmp_path, mail_timeout=1.0)
    try:
        user = make_user(world.app).id
        world.schedule(user, channel="email", email="sam@example.org")
        world.smtp.hang_after_accept = 1  # the server keeps it; its answer comes too late
        world.smtp.hang_seconds = 2.0
        world.clock.advance(hours=2, minutes=1)
        worker = world.worker()
        worker.drain()
        [row] = _deliveries(world)
        assert (row.status, row.attempts) == ("pending", 1)  # ambiguous: tried again later
        world.clock.advance(minutes=10)
        worker.drain()
        first, again = world.smtp.received  # at least once: SMTP cannot be asked
        assert first["Message-ID"] == again["Message-ID"] == f"<reminder.{row.id}@example.org>"
        [row] = _deliveries(world)
        assert (row.status, row.provider_message_id) == ("sent", first["Message-ID"])
    finally:
        world.twilio.stop()
        world.smtp.stop()
