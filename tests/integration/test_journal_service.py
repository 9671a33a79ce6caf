"""The journal service: kinds, the safety screen on every save, its encrypted event, prompts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from core.bootstrap import App
from core.db.models import SafetyEvent
from core.errors import InvalidInput, NotFound
from core.journal_forms import ThoughtRecord, gratitude_entry, prompt_for, thought_record_entry
from tests.conftest import build_app, make_settings, raw_rows
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters
from tests.fakes.clock import FakeClock

CRISIS = "I can't do this any more. I want to kill myself tonight."


def _levels(app: App, user_id: str) -> list[tuple[str, str | None]]:
    with app.store.unit(user_id) as unit:
        events = unit.list(SafetyEvent, newest_first=False)
        return [(event.source, unit.open(event, "level_ct")) for event in events]


def test_a_crisis_entry_is_saved_with_the_regions_numbers_and_an_encrypted_event(
    any_app: App,
) -> None:
    user = make_user(any_app)
    saved = any_app.journal.add(user_id=user.id, title="Tonight", body=CRISIS, region="GB")
    assert saved.assessment.level == "crisis" and saved.assessment.message
    assert saved.assessment.resources.region == "GB"
    assert any_app.journal.get(user_id=user.id, entry_id=saved.id).body == CRISIS
    assert _levels(any_app, user.id) == [("journal", "crisis")]
    stored = repr(raw_rows(any_app, "safety_events")) + repr(raw_rows(any_app, "journal_entries"))
    assert "crisis" not in stored and "kill" not in stored


@pytest.mark.parametrize(
    ("body", "level"),
    [("Walked round the park, felt more awake.", "none"), ("I feel hopeless", "concern")],
)
def test_every_save_records_its_safety_level(any_app: App, body: str, level: str) -> None:
    user = make_user(any_app)
    saved = any_app.journal.add(user_id=user.id, title="", body=body, region="US")
    assert saved.assessment.level == level
    assert _levels(any_app, user.id) == [("journal", level)]


def test_the_title_is_screened_too(app: App) -> None:
    user = make_user(app)
    saved = app.journal.add(user_id=user.id, title="I want to kill myself", body="that's all")
    assert saved.assessment.level == "crisis"


def test_an_edit_is_screened_and_keeps_the_kind(app: App) -> None:
    user = make_user(app)
    draft = gratitude_entry(["Tea", "Sun", "A call"])
    saved = app.journal.add(user_id=user.id, title=draft.title, body=draft.body, kind=draft.kind)
    edited = app.journal.update(
        user_id=user.id, entry_id=saved.id, title="Later", body=CRISIS, region="US"
    )
    assert edited.id == saved.id and edited.assessment.level == "crisis"
    entry = app.journal.get(user_id=user.id, entry_id=saved.id)
    assert (entry.kind, entry.title, entry.body) == ("gratitude", "Later", CRISIS)
    assert [level for _, level in _levels(app, user.id)] == ["none", "crisis"]


def test_kinds_round_trip_and_a_persons_text_cannot_forge_one(app: App) -> None:
    user = make_user(app)
    record = thought_record_entry(ThoughtRecord("Meeting", "I'll mess up", "worried", 70))
    app.journal.add(user_id=user.id, title=record.title, body=record.body, kind=record.kind)
    forged = "\x1egratitude\nnot really"
    app.journal.add(user_id=user.id, title="free", body=forged)
    kinds = {entry.title: (entry.kind, entry.body) for entry in app.journal.list(user_id=user.id)}
    assert kinds[record.title] == ("thought_record", record.body)
    assert kinds["free"][0] == "free" and kinds["free"][1].endswith("gratitude\nnot really")


def test_an_unknown_kind_or_an_empty_entry_saves_nothing(app: App) -> None:
    user = make_user(app)
    with pytest.raises(InvalidInput):
        app.journal.add(user_id=user.id, title="t", body="text", kind="poem")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="empty"):
        app.journal.add(user_id=user.id, title="t", body="  ")
    assert app.journal.list(user_id=user.id) == [] and _levels(app, user.id) == []


def test_editing_a_deleted_entry_says_so(app: App) -> None:
    user = make_user(app)
    saved = app.journal.add(user_id=user.id, title="t", body="gone soon")
    app.journal.delete(user_id=user.id, entry_id=saved.id)
    with pytest.raises(NotFound, match="deleted"):
        app.journal.update(user_id=user.id, entry_id=saved.id, title="t", body="again")


def test_the_daily_prompt_follows_the_persons_date(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 7, 2, 5, 30))  # 1 July in Los Angeles, 2 July in Tokyo
    settings = make_settings(tmp_path)
    app = build_app(settings, fake_adapters(settings, clock=clock))
    la = app.journal.daily_prompt(timezone="America/Los_Angeles")
    assert la == prompt_for(datetime(2026, 7, 1).date())
    assert app.journal.daily_prompt(timezone="Asia/Tokyo") == prompt_for(
        datetime(2026, 7, 2).date()
    )
    clock.advance(hours=1)  # 23:30, still 1 July in Los Angeles
    assert app.journal.daily_prompt(timezone="America/Los_Angeles") == la
    clock.advance(hours=20)
    assert app.journal.daily_prompt(timezone="America/Los_Angeles") != la


def test_recent_entries_are_context_for_the_screen_and_only_raise_it(any_app: App) -> None:
    user = make_user(any_app)
    first = any_app.journal.add(user_id=user.id, title="", body="I finally found the spot.")
    assert first.assessment.level != "crisis"
    later = any_app.journal.add(user_id=user.id, title="", body="It'll be before the 14th.")
    assert later.assessment.level == "crisis"
    other = make_user(any_app)
    alone = any_app.journal.add(user_id=other.id, title="", body="It'll be before the 14th.")
    assert alone.assessment.level != "crisis"
