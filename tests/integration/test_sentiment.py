"""Journal sentiment: VADER's score sealed with each entry, legacy entries scored on read, and
the series beside mood."""

from __future__ import annotations

from datetime import timedelta

from core.bootstrap import App
from core.db.models import JournalEntry, MoodEntry
from core.journal_forms import pack_body
from core.sentiment import sentiment_of
from tests.factories import make_user


def test_vader_reads_the_direction_of_the_words() -> None:
    assert sentiment_of("A lovely, warm day with friends. I felt happy.") > 0.5
    assert sentiment_of("Awful day. I felt sad, lonely and worthless.") < -0.5
    assert sentiment_of("   ") == 0.0
    assert -1.0 <= sentiment_of("not good " * 10_000) <= 1.0  # a huge entry is scored, capped


def test_each_entry_gets_a_sealed_score_and_the_series_sits_beside_mood(app: App) -> None:
    user = make_user(app)
    app.journal.add(user_id=user.id, title="", body="A wonderful, happy afternoon.")
    app.journal.add(user_id=user.id, title="", body="I feel terrible and hopeless.")
    with app.store.unit(user.id) as unit:
        assert all(isinstance(row.sentiment_ct, bytes) for row in unit.list(JournalEntry))
        unit.add(MoodEntry(user_id=user.id, score=7, logged_at=unit.now()))
    series = app.sentiment.series(user_id=user.id)
    assert [point.value > 0 for point in series.journal] == [True, False]
    assert [point.value for point in series.mood] == [7.0]
    since = app.clock.now() + timedelta(minutes=1)
    assert app.sentiment.series(user_id=user.id, since=since).journal == ()


def test_an_entry_written_before_scores_existed_is_scored_when_read(app: App) -> None:
    user = make_user(app)
    with app.store.unit(user.id) as unit:
        legacy = JournalEntry(user_id=user.id)
        unit.seal(legacy, "body_ct", pack_body("free", "What a great, joyful day."))
        unit.add(legacy)
    [point] = app.sentiment.series(user_id=user.id).journal
    assert point.value > 0.5


def test_another_persons_series_is_empty(app: App) -> None:
    alice, bob = make_user(app), make_user(app)
    app.journal.add(user_id=alice.id, title="", body="A good day.")
    assert app.sentiment.series(user_id=bob.id).journal == ()
