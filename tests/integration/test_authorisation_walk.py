"""The authorisation walk: every public service method that takes a `user_id`, found by
introspection, is called as user B on user A's data. It must raise `NotFound` (or refuse B's
wrong credentials), or act on B's own data only: A's rows stay byte for byte the same and
nothing of A's comes back. A new service method is walked the moment it exists; a parameter the
walk has no value for fails the test until one is added here.

A's data is the demo seed, which every feature extends.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import typing
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import sqlalchemy as sa

from core.auth import AuthError
from core.bootstrap import App
from core.checkin import CheckinDraft
from core.db.models import (
    USER_OWNED_TABLES,
    BreathingSession,
    Conversation,
    EmotionCheckin,
    JournalEntry,
    Message,
    MoodEntry,
    Notification,
    ReminderSchedule,
    ScreeningResult,
    SleepLog,
)
from core.demo import seed
from core.demo.checkins import CHECKINS
from core.demo.content import CONVERSATIONS, JOURNAL
from core.demo.mood_history import NOTES
from core.demo.sleep_history import NOTES as SLEEP_NOTES
from core.errors import InvalidInput, NotFound
from core.mood import MoodDraft
from core.profile import Preferences
from core.reminders.schedules import ReminderSpec
from core.reminders.triggers import TriggerChoice
from tests.factories import GOOD_PASSWORD, diary_entry, make_user

NEW_PASSWORD = "another quiet lantern 77"


def _services() -> list[tuple[str, str]]:
    """(App field, method) for every public method of a core service taking `user_id`."""
    found = []
    for name, kind in typing.get_type_hints(App).items():
        if not (isinstance(kind, type) and kind.__module__.startswith("core.")):
            continue
        if not kind.__name__.endswith("Service"):
            continue
        for method_name, member in inspect.getmembers(kind, inspect.isfunction):
            if method_name.startswith("_"):
                continue
            if "user_id" in inspect.signature(member).parameters:
                found.append((name, method_name))
    return sorted(found)


SERVICE_METHODS = _services()


def test_the_walk_finds_the_services() -> None:
    walked = {service for service, _ in SERVICE_METHODS}
    assert {"auth", "profile", "journal", "conversations", "chat"} <= walked
    assert {"mood", "mood_import", "insights"} <= walked
    assert {"screening", "export", "journal_search", "sentiment"} <= walked
    assert {"sleep", "breathing"} <= walked
    assert len(SERVICE_METHODS) >= 20


def _owned_rows(app: App, user_id: str) -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    with app.engine.connect() as connection:
        for table, column in USER_OWNED_TABLES:
            name = table.__tablename__  # type: ignore[attr-defined]
            result = connection.execute(
                sa.text(f"SELECT * FROM {name} WHERE {column} = :owner ORDER BY 1"),
                {"owner": user_id},
            )
            rows[name] = [tuple(row) for row in result]
    return rows


def _first_id(app: App, query: sa.Select[Any]) -> str:
    with app.engine.connect() as connection:
        value = connection.execute(query.limit(1)).scalar_one()
    return str(value)


def _values(app: App, owner_id: str) -> dict[str, Callable[[], Any]]:
    """What each parameter is given: A's ids, B-neutral text, B's own credentials."""
    conversation = _first_id(
        app,
        sa.select(Conversation.id).where(Conversation.user_id == owner_id),  # type: ignore[arg-type]
    )
    entry = _first_id(
        app,
        sa.select(JournalEntry.id).where(JournalEntry.user_id == owner_id),  # type: ignore[arg-type]
    )
    answer = _first_id(
        app,
        sa.select(Message.id).where(  # type: ignore[arg-type]
            Message.user_id == owner_id, Message.role == "assistant"
        ),
    )
    checkin = _first_id(
        app,
        sa.select(EmotionCheckin.id).where(EmotionCheckin.user_id == owner_id),  # type: ignore[arg-type]
    )
    mood = _first_id(
        app,
        sa.select(MoodEntry.id).where(MoodEntry.user_id == owner_id),  # type: ignore[arg-type]
    )
    screening = _first_id(
        app,
        sa.select(ScreeningResult.id).where(ScreeningResult.user_id == owner_id),  # type: ignore[arg-type]
    )
    reminder = _first_id(
        app,
        sa.select(ReminderSchedule.id).where(ReminderSchedule.user_id == owner_id),  # type: ignore[arg-type]
    )
    notification = _first_id(
        app,
        sa.select(Notification.id).where(Notification.user_id == owner_id),  # type: ignore[arg-type]
    )
    night = _first_id(
        app,
        sa.select(SleepLog.id).where(SleepLog.user_id == owner_id),  # type: ignore[arg-type]
    )
    session = _first_id(
        app,
        sa.select(BreathingSession.id).where(  # type: ignore[arg-type]
            BreathingSession.user_id == owner_id
        ),
    )
    return {
        "checkin_id": lambda: checkin,
        "draft": lambda: CheckinDraft(started_at=app.clock.now(), feeling="happy", rating=6),
        "since": lambda: None,
        "until": lambda: None,
        "result_id": lambda: screening,
        "instrument": lambda: "PHQ-9",
        "answers": lambda: [0] * 9,
        "table": lambda: "journal_entries",
        "query": lambda: "walking through",
        "mood_id": lambda: mood,
        "mood": lambda: MoodDraft(5, ("calm",), ("walking",), (), "walking through"),
        "data": lambda: (
            b"full_date,date,weekday,time,mood,activities,note_title,note\n"
            b"2024-03-05,March 5,Tuesday,21:35,good,walking,,walking through\n"
        ),
        "timezone": lambda: "Europe/London",
        "reminder_id": lambda: reminder,
        "notification_id": lambda: notification,
        "spec": lambda: ReminderSpec("mood", "in_app", "09:00", "0123456", "UTC"),
        "choice": lambda: TriggerChoice(3, 2.0, True),
        "phone_text": lambda: "+447911123499",
        "code": lambda: "123456",
        "opted_out": lambda: True,
        "night_id": lambda: night,
        "kind": lambda: "fitbit",
        "source": lambda: io.BytesIO(
            b"Start Time,End Time,Minutes Asleep,Minutes Awake,Number of Awakenings,Time in Bed\n"
            b"2026-03-02 10:45PM,2026-03-03 6:45AM,400,80,3,480\n"
        ),
        "session_id": lambda: session,
        "pattern_id": lambda: "box",
        "phases": lambda: "4-4-4-4",
        "duration_seconds": lambda: 120,
        "stress_before": lambda: 6,
        "stress_after": lambda: 3,
        "entry": lambda: diary_entry(note="walking"),
        "conversation_id": lambda: conversation,
        "entry_id": lambda: entry,
        "message_id": lambda: answer,
        "text": lambda: "walking through",
        "title": lambda: "walking",
        "body": lambda: "walking through",
        "region": lambda: "US",
        "helpful": lambda: False,
        "limit": lambda: 100,
        "preferences": lambda: Preferences("Bea", "GB", "Europe/London", "en"),
        "password": lambda: GOOD_PASSWORD,
        "current_password": lambda: GOOD_PASSWORD,
        "new_password": lambda: NEW_PASSWORD,
        "cookie_expiry": lambda: 2_000_000_000.0,
        "cookie_expiries": lambda: [2_000_000_000.0],
        "plan": lambda: app.chat.prepare(
            user_id=owner_id, conversation_id=conversation, text="my own words", region="US"
        ),
    }


def _consume(result: object) -> object:
    """Run what a method hands back lazily (an answer stream), as a page would."""
    if isinstance(result, str | bytes | dict | list | tuple) or result is None:
        return result
    if isinstance(result, Iterable):
        return list(result)
    return result


@pytest.mark.parametrize(("service", "method"), SERVICE_METHODS)
def test_user_b_cannot_reach_user_a_through(any_app: App, service: str, method: str) -> None:
    alice = seed(any_app)
    bob = make_user(any_app)
    values = _values(any_app, alice.id)
    bound = getattr(getattr(any_app, service), method)
    arguments: dict[str, Any] = {}
    for name, parameter in inspect.signature(bound).parameters.items():
        if name == "user_id":
            arguments[name] = bob.id
        elif name in values:
            arguments[name] = values[name]()
        elif parameter.default is inspect.Parameter.empty:
            pytest.fail(f"the walk has no value for `{name}` of {service}.{method}: add one")
    before = _owned_rows(any_app, alice.id)
    try:
        returned = _consume(bound(**arguments))
    except (NotFound, AuthError, InvalidInput):  # refused kindly: nothing reached
        returned = None
    assert _owned_rows(any_app, alice.id) == before, f"{service}.{method} changed A's rows"
    shown = repr(returned) + repr(dataclasses.asdict(returned)) if dataclasses.is_dataclass(
        returned) and not isinstance(returned, type) else repr(returned)  # fmt: skip
    leaks = [alice.id, *(c.title for c in CONVERSATIONS), *(j.title for j in JOURNAL)]
    leaks += [note for *_, note in CHECKINS if note]
    leaks += [
        values[key]()
        for key in ("conversation_id", "entry_id", "message_id", "mood_id", "checkin_id")
    ]
    leaks += [values["result_id"]()]
    leaks += list(NOTES)
    leaks += [*SLEEP_NOTES.values()]
    leaks += [values[key]() for key in ("night_id", "session_id")]
    assert not [leak for leak in leaks if leak in shown], f"{service}.{method} returned A's data"
