"""The demo account: realistic history for every feature, so the app looks lived-in at once.

`seed(app)` creates the account, or wipes and refills it when it exists (so running it again
gives the same history, moved to today). Each feature adds one seeder to `SEEDERS`.
`python -m core.demo seed` runs it and prints `demo-login: USER PASSWORD` last.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from core.auth import AuthUser, erase_user
from core.bootstrap import App
from core.chat.prompts import AI_DISCLOSURE
from core.chat.records import MessageMeta, new_message
from core.db.engine import session_scope
from core.db.models import Conversation, JournalEntry, TipFeedback
from core.demo.breathing_history import seed_breathing
from core.demo.checkins import seed_checkins
from core.demo.content import CONVERSATIONS, JOURNAL
from core.demo.history import seed_journal_history, seed_screenings
from core.demo.mood_history import seed_mood
from core.demo.reminders import seed_reminders
from core.demo.sleep_history import seed_sleep
from core.journal import seal_entry
from core.safety_events import record_screening
from core.store import UserUnit

log = logging.getLogger(__name__)

DEMO_USERNAME = "demo"
# Public on purpose: the demo refuses to run in production.
DEMO_PASSWORD = "calm harbour morning 24"
DEMO_DISPLAY_NAME = "Alex"


class DemoRefused(RuntimeError):
    """The demo never touches a production database."""


Seeder = Callable[[UserUnit, datetime], None]


def _at(now: datetime, days_ago: int, hour: int) -> datetime:
    day = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return min(day, now - timedelta(minutes=5))


def seed_conversations(unit: UserUnit, now: datetime) -> None:
    """A few conversations of the last weeks, with sources and thumbs on some answers."""
    for spec in CONVERSATIONS:
        started = _at(now, spec.days_ago, spec.hour)
        conversation = Conversation(
            user_id=unit.user_id, last_disclosure_at=started, created_at=started, updated_at=started
        )
        unit.seal(conversation, "title_ct", spec.title)
        unit.add(conversation)
        # Every conversation opens with the AI disclosure, as a real one does.
        unit.add(new_message(unit, conversation, "notice", AI_DISCLOSURE, started))
        moment = started + timedelta(seconds=1)
        for turn in spec.turns:
            question = unit.add(new_message(unit, conversation, "user", turn.said, moment))
            record_screening(unit, "none", source="chat", at=moment)
            moment += timedelta(seconds=20)
            meta = MessageMeta(knowledge_ids=turn.sources)
            answer = new_message(unit, conversation, "assistant", turn.answer, moment, meta)
            answer.reply_to = question.id
            unit.add(answer)
            if turn.helpful is not None:
                vote = TipFeedback(
                    user_id=unit.user_id,
                    message_id=answer.id,
                    helpful=turn.helpful,
                    created_at=moment,
                )
                unit.seal(vote, "knowledge_id_ct", turn.sources[0] if turn.sources else None)
                unit.add(vote)
            moment += timedelta(minutes=3)
        conversation.updated_at = moment


def seed_journal(unit: UserUnit, now: datetime) -> None:
    """Journal entries over the last six weeks (a gratitude entry and a thought record among
    them), each with its safety screen."""
    for spec in JOURNAL:
        written = _at(now, spec.days_ago, spec.hour)
        entry = JournalEntry(user_id=unit.user_id, created_at=written, updated_at=written)
        seal_entry(unit, entry, title=spec.title, body=spec.body, kind=spec.kind)
        unit.add(entry)
        record_screening(unit, "none", source="journal", at=written)


# One per feature that keeps history; a new feature appends its own.
SEEDERS: tuple[Seeder, ...] = (
    seed_conversations,
    seed_journal,
    seed_mood,
    seed_journal_history,
    seed_screenings,
    seed_checkins,
    seed_reminders,
    seed_sleep,
    seed_breathing,
)


def seed(app: App) -> AuthUser:
    """Create (or wipe and refill) the demo account; refuses in production."""
    if app.settings.app_env == "production":
        raise DemoRefused("The demo account is never created in production.")
    existing = app.auth.user_for_username(DEMO_USERNAME)
    if existing is not None:
        with session_scope(app.engine) as session:
            erase_user(session, existing.id)
    user = app.auth.register(
        username=DEMO_USERNAME, password=DEMO_PASSWORD, display_name=DEMO_DISPLAY_NAME
    )
    with app.store.unit(user.id) as unit:
        now = unit.now()
        for seeder in SEEDERS:
            seeder(unit, now)
    try:  # the journal's search vectors, as the app stores them when an entry is saved
        app.journal_search.backfill(user_id=user.id)
    except Exception as failure:  # no embedding model here: the first search embeds them
        log.warning("demo journal not embedded", extra={"error": type(failure).__name__})
    return user
