"""Check-ins: a summary only, the note and tone encrypted, the note screened, bad input refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.bootstrap import App
from core.checkin import CheckinDraft
from core.emotion import EMOTIONS
from core.emotion.voice import VoiceTone
from core.errors import InvalidInput, NotFound
from tests.conftest import raw_rows
from tests.factories import make_user

AVERAGE = {label: (0.4 if label == "happy" else 0.1) for label in EMOTIONS}


def _draft(app: App, **changes: object) -> CheckinDraft:
    values: dict[str, object] = {
        "started_at": app.clock.now() - timedelta(minutes=2),
        "feeling": "neutral",
        "rating": 6,
        "source": "webcam",
        "duration_seconds": 75,
        "analyses": 280,
        "model_dominant": "happy",
        "model_average": AVERAGE,
        "note": "Tired but OK after the walk",
    }
    values.update(changes)
    return CheckinDraft(**values)  # type: ignore[arg-type]


def test_a_webcam_check_in_keeps_the_summary_and_the_persons_own_words(any_app: App) -> None:
    user = make_user(any_app)
    tone = VoiceTone(5.0, 3.2, -28.0, 180.0, 1.9, 4.1, 0.48)
    saved = any_app.checkins.save(user_id=user.id, draft=_draft(any_app, tone=tone))
    assert saved.assessment.level == "none"
    [view] = any_app.checkins.list(user_id=user.id)
    assert (view.id, view.feeling, view.model_dominant, view.rating) == (
        saved.id,
        "neutral",
        "happy",
        6,
    )
    assert view.model_average == pytest.approx(AVERAGE)
    assert view.duration_seconds == 75 and view.analyses == 280
    assert view.note == "Tired but OK after the walk"
    assert view.tone is not None and view.tone["arousal"] == pytest.approx(0.48)
    stored = repr(raw_rows(any_app, "emotion_checkins"))
    assert "Tired" not in stored and "arousal" not in stored  # sealed


def test_a_manual_check_in_needs_no_model(any_app: App) -> None:
    user = make_user(any_app)
    draft = CheckinDraft(started_at=any_app.clock.now(), feeling="sad", rating=3)
    any_app.checkins.save(user_id=user.id, draft=draft)
    [view] = any_app.checkins.list(user_id=user.id)
    assert (view.source, view.feeling, view.model_average, view.tone) == ("manual", "sad", {}, None)
    assert any_app.checkins.timeline(user_id=user.id) == [(view.started_at, 3, "sad")]


def test_a_crisis_note_is_saved_and_answered_with_resources(any_app: App) -> None:
    user = make_user(any_app)
    note = "I have the pills ready and I'm going to take them all tonight"
    saved = any_app.checkins.save(user_id=user.id, draft=_draft(any_app, note=note), region="GB")
    assert saved.assessment.level == "crisis" and saved.assessment.resources.region == "GB"
    assert any_app.checkins.list(user_id=user.id)[0].note == note


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rating": 0}, "1 to 10"),
        ({"rating": 11}, "1 to 10"),
        ({"rating": "7"}, "1 to 10"),
        ({"feeling": "ecstatic"}, "choose how you feel"),
        ({"note": "x" * 2_001}, "at most"),
        ({"note": 5}, "must be text"),
        ({"duration_seconds": -1}, "length"),
        ({"model_average": {"happy": 2.0}}, "not valid"),
        ({"model_average": {**AVERAGE, "happy": float("nan")}}, "not valid"),
    ],
)
def test_bad_input_is_refused_kindly_and_nothing_is_saved(
    app: App, changes: dict[str, object], message: str
) -> None:
    user = make_user(app)
    with pytest.raises(InvalidInput, match=message):
        app.checkins.save(user_id=user.id, draft=_draft(app, **changes))
    assert app.checkins.list(user_id=user.id) == []


def test_future_check_ins_are_refused(app: App) -> None:
    user = make_user(app)
    with pytest.raises(InvalidInput, match="future"):
        app.checkins.save(
            user_id=user.id, draft=_draft(app, started_at=app.clock.now() + timedelta(hours=1))
        )


def test_another_user_can_neither_see_nor_delete_a_check_in(app: App) -> None:
    owner, other = make_user(app), make_user(app)
    saved = app.checkins.save(user_id=owner.id, draft=_draft(app))
    assert app.checkins.list(user_id=other.id) == []
    with pytest.raises(NotFound):
        app.checkins.delete(user_id=other.id, checkin_id=saved.id)
    app.checkins.delete(user_id=owner.id, checkin_id=saved.id)
    assert app.checkins.list(user_id=owner.id) == []
