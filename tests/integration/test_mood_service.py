"""Mood, its import and insights against a real database (SQLite, and MySQL where available)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.bootstrap import App
from core.db.models import MoodEntry, SafetyEvent
from core.demo import seed
from core.errors import InvalidInput, NotFound
from core.export import ExportService
from core.mood import MoodDraft, local_day
from core.ports import RiskScore
from tests.conftest import build_app, make_settings, raw_rows
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters
from tests.fakes.embeddings import HashingEmbedder

DAYLIO = (
    b"full_date,date,weekday,time,mood,activities,note_title,note\n"
    b"2024-03-05,March 5,Tuesday,9:35 PM,good,walk | friends,,A fine evening\n"
    b"2024-03-04,March 4,Monday,08:10,meh,,,\n"
    b"2024-03-03,March 3,Sunday,10:00,weird-custom,,,\n"
)


def test_an_entry_is_logged_edited_and_deleted_with_its_tags_reused(any_app: App) -> None:
    user = make_user(any_app)
    earlier = any_app.clock.now() - timedelta(days=2)
    draft = MoodDraft(6, ("tired",), ("walk",), ("Sam",), "Long day", earlier)
    saved = any_app.mood.log(user_id=user.id, mood=draft)
    assert saved.assessment is not None and saved.assessment.level == "none"
    any_app.mood.log(user_id=user.id, mood=MoodDraft(8, activities=("Walk",)))
    assert [(t.kind, t.name) for t in any_app.mood.tags(user_id=user.id)] == [
        ("activity", "walk"),
        ("people", "Sam"),
    ]
    changed = MoodDraft(7, ("calm",), ("walk", "reading"), (), "", earlier - timedelta(days=1))
    any_app.mood.update(user_id=user.id, mood_id=saved.id, mood=changed)
    view = any_app.mood.get(user_id=user.id, mood_id=saved.id)
    assert (view.score, view.activities, view.people, view.note) == (7, ("walk", "reading"), (), "")
    any_app.mood.delete(user_id=user.id, mood_id=saved.id)
    with pytest.raises(NotFound):
        any_app.mood.get(user_id=user.id, mood_id=saved.id)


def test_notes_and_tag_names_are_encrypted_at_rest(any_app: App) -> None:
    user = make_user(any_app)
    any_app.mood.log(
        user_id=user.id, mood=MoodDraft(5, (), ("secret-hobby",), ("Zed",), "private words")
    )
    stored = repr(raw_rows(any_app, "mood_entries")) + repr(raw_rows(any_app, "mood_tags"))
    for text in ("private words", "secret-hobby", "Zed"):
        assert text not in stored and text.encode() not in stored.encode()


def test_a_crisis_note_is_saved_and_recorded_as_a_screening(any_app: App) -> None:
    user = make_user(any_app)
    saved = any_app.mood.log(
        user_id=user.id, mood=MoodDraft(1, note="I want to kill myself tonight")
    )
    assert saved.assessment is not None and saved.assessment.level == "crisis"
    assert any_app.mood.get(user_id=user.id, mood_id=saved.id).score == 1
    with any_app.store.unit(user.id) as unit:
        [event] = unit.list(SafetyEvent)
        assert event.source == "mood" and unit.open(event, "level_ct") == "crisis"


def test_a_future_entry_or_a_huge_note_saves_nothing_and_keeps_what_was_there(any_app: App) -> None:
    user = make_user(any_app)
    any_app.mood.log(user_id=user.id, mood=MoodDraft(5))
    future = any_app.clock.now() + timedelta(days=1)
    with pytest.raises(InvalidInput, match="future"):
        any_app.mood.log(user_id=user.id, mood=MoodDraft(5, logged_at=future))
    with pytest.raises(InvalidInput, match="5,000"):
        any_app.mood.log(user_id=user.id, mood=MoodDraft(5, note="x" * 1_000_000))
    assert len(any_app.mood.recent(user_id=user.id)) == 1


def test_importing_the_same_daylio_file_twice_adds_nothing(any_app: App) -> None:
    user = make_user(any_app)
    preview = any_app.mood_import.preview(user_id=user.id, data=DAYLIO, timezone="Europe/London")
    assert (len(preview.new), preview.duplicates, len(preview.rejected)) == (2, 0, 1)
    assert any_app.mood.recent(user_id=user.id) == []  # a preview saves nothing
    first = any_app.mood_import.import_file(user_id=user.id, data=DAYLIO, timezone="Europe/London")
    assert (first.imported, first.duplicates) == (2, 0)
    again = any_app.mood_import.import_file(user_id=user.id, data=DAYLIO, timezone="Europe/London")
    assert (again.imported, again.duplicates, len(again.rejected)) == (0, 2, 1)
    assert len(any_app.mood.recent(user_id=user.id)) == 2
    assert {t.name for t in any_app.mood.tags(user_id=user.id)} == {"walk", "friends"}


def test_imported_notes_are_screened_and_a_crisis_note_is_reported_and_saved(
    any_app: App,
) -> None:
    user = make_user(any_app)
    crisis = DAYLIO + b"2024-03-02,March 2,Saturday,22:00,awful,,,I want to kill myself tonight\n"
    report = any_app.mood_import.import_file(
        user_id=user.id, data=crisis, timezone="UTC", region="GB"
    )
    assert report.imported == 3 and report.assessment is not None
    assert report.assessment.level == "crisis" and report.assessment.resources.region == "GB"
    with any_app.store.unit(user.id) as unit:
        events = unit.list(SafetyEvent)
        levels = sorted(unit.open(event, "level_ct") or "" for event in events)
    assert {event.source for event in events} == {"mood_import"}
    assert levels == ["crisis", "none"]  # the two notes; rows without a note are not screened
    calm = any_app.mood_import.import_file(
        user_id=make_user(any_app).id, data=DAYLIO, timezone="UTC"
    )
    assert calm.assessment is not None and calm.assessment.level == "none"
    preview = any_app.mood_import.preview(
        user_id=make_user(any_app).id, data=crisis, timezone="UTC"
    )
    assert preview.assessment is None  # a preview saves nothing and records nothing


def test_a_malformed_import_saves_nothing(any_app: App) -> None:
    user = make_user(any_app)
    any_app.mood.log(user_id=user.id, mood=MoodDraft(5))
    for data in (b"date,feeling\n1,2\n", b"\x00\x01binary", DAYLIO[:60] + b'"open'):
        with pytest.raises(InvalidInput):
            any_app.mood_import.import_file(user_id=user.id, data=data, timezone="UTC")
    assert len(any_app.mood.recent(user_id=user.id)) == 1


def test_the_data_export_imports_into_another_account_as_the_same_moods(any_app: App) -> None:
    alice = seed(any_app)
    archive = ExportService(store=any_app.store).archive(user_id=alice.id)
    bob = make_user(any_app)
    report = any_app.mood_import.import_file(user_id=bob.id, data=archive, timezone="UTC")
    assert report.format == "export" and report.rejected == ()

    def moods(user_id: str) -> list[tuple[object, ...]]:
        return sorted(
            (
                v.logged_at.replace(second=0, microsecond=0),
                v.score,
                v.emotions,
                v.activities,
                v.people,
                v.note,
            )
            for v in any_app.mood.history(user_id=user_id, notes=True)
        )

    assert moods(bob.id) == moods(alice.id) and len(moods(bob.id)) > 100
    again = any_app.mood_import.import_file(user_id=bob.id, data=archive, timezone="UTC")
    assert again.imported == 0 and again.duplicates == report.imported


def test_own_mood_csv_rows_import_back_unchanged(any_app: App) -> None:
    import csv
    import io

    from core.mood import MOOD_CSV_COLUMNS

    alice = seed(any_app)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MOOD_CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(any_app.mood.csv_rows(user_id=alice.id, timezone="America/New_York"))
    bob = make_user(any_app)
    data = buffer.getvalue().encode()
    report = any_app.mood_import.import_file(user_id=bob.id, data=data, timezone="UTC")
    assert report.rejected == () and report.imported == len(any_app.mood.history(user_id=alice.id))


def test_the_demo_has_120_days_of_mood_the_same_every_time(any_app: App) -> None:
    demo = seed(any_app)
    entries = any_app.mood.history(user_id=demo.id)
    days = {local_day(entry.logged_at, "UTC") for entry in entries}
    today = local_day(any_app.clock.now(), "UTC")
    assert min(days) == today - timedelta(days=119) and 100 <= len(days) <= 120
    scores = [entry.score for entry in entries]
    again = seed(any_app)
    assert [entry.score for entry in any_app.mood.history(user_id=again.id)] == scores
    state = any_app.mood.today(user_id=again.id, timezone="UTC")
    assert state.streak >= 3 and all(day.entries for day in state.last_7_days[-3:])


def test_insights_on_the_demo_compare_tags_and_journaling_with_their_numbers(any_app: App) -> None:
    demo = seed(any_app)
    insights = any_app.insights.for_user(user_id=demo.id, timezone="UTC")
    assert insights.days_logged >= 80
    effects = {effect.label: effect for effect in insights.effects}
    assert effects["walk"].difference > 0 and effects["work late"].difference < 0
    assert "journaling" in effects or "journaling" in {f.label for f in insights.not_enough}
    for effect in insights.effects:
        assert effect.days_with >= 3 and effect.days_without >= 3
    assert insights.summary.entries >= 3


def test_a_new_factor_source_plugs_in_with_one_function(any_app: App) -> None:
    from core.insights import FACTOR_SOURCES, FactorDays, InsightsService, Window
    from core.store import UserUnit

    def weekends(unit: UserUnit, window: Window) -> list[FactorDays]:
        rows = unit.list(MoodEntry, time_column="logged_at", since=window.since)
        days = {window.day_of(row.logged_at) for row in rows}
        return [
            FactorDays("weekend", "a weekend day", frozenset(d for d in days if d.weekday() >= 5))
        ]

    demo = seed(any_app)
    service = InsightsService(store=any_app.store, sources=(*FACTOR_SOURCES, weekends))
    effects = {e.key: e for e in service.for_user(user_id=demo.id, timezone="UTC").effects}
    assert effects["weekend"].days_with >= 10


class _RecordingScorer:
    """A semantic layer that reads "storm" as crisis and keeps the vectors it was given."""

    crisis_threshold, concern_threshold = 0.5, 0.5

    def __init__(self) -> None:
        self.given: list[object] = []

    def score(self, text: str, *, embedding: object = None) -> RiskScore:
        self.given.append(embedding)
        crisis = 0.9 if "storm" in text else 0.0
        return RiskScore(crisis=crisis, concern=crisis)


def test_with_the_semantic_layer_loaded_imported_notes_are_embedded_in_one_batch(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)
    embedder, scorer = HashingEmbedder(), _RecordingScorer()
    adapters = fake_adapters(settings, embedder=embedder, risk_scorer=scorer)
    app = build_app(settings, adapters)
    adapters.embedder(), adapters.risk_scorer()  # both loaded, as once the app has warmed up
    user = make_user(app)
    rows = "".join(
        f"2024-03-{day:02d},x,x,09:00,good,,,{'a storm inside' if day == 9 else 'fine'}\n"
        for day in range(1, 21)
    )
    data = f"full_date,date,weekday,time,mood,activities,note_title,note\n{rows}".encode()
    embedder.calls.clear()
    report = app.mood_import.import_file(user_id=user.id, data=data, timezone="UTC")
    assert report.imported == 20 and report.assessment is not None
    assert report.assessment.level == "crisis"  # the semantic layer's verdict counts
    assert embedder.calls == [20]  # one batch, not one model call per note
    assert len(scorer.given) == 20 and all(vector is not None for vector in scorer.given)
    app.engine.dispose()
