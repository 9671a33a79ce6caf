"""The screening service: results saved with answers encrypted, item 9's crisis path, history."""

from __future__ import annotations

import pytest

from core.bootstrap import App
from core.db.models import SafetyEvent
from core.errors import InvalidInput, NotFound
from tests.conftest import raw_rows
from tests.factories import make_user


def _events(app: App, user_id: str) -> list[tuple[str, str | None]]:
    with app.store.unit(user_id) as unit:
        return [
            (event.source, unit.open(event, "level_ct"))
            for event in unit.list(SafetyEvent, newest_first=False)
        ]


def test_item_9_above_zero_brings_the_regions_crisis_numbers_and_a_safety_event(
    any_app: App,
) -> None:
    user = make_user(any_app)
    outcome = any_app.screening.take(
        user_id=user.id, instrument="PHQ-9", answers=[0] * 8 + [1], region="GB"
    )
    assert outcome.score.total == 1 and outcome.score.severity == "minimal"
    assert outcome.resources is not None and outcome.resources.region == "GB"
    assert _events(any_app, user.id) == [("screening", "crisis")]
    assert "crisis" not in repr(raw_rows(any_app, "safety_events"))


def test_an_ordinary_result_has_no_crisis_numbers_and_no_safety_event(app: App) -> None:
    user = make_user(app)
    outcome = app.screening.take(user_id=user.id, instrument="GAD-7", answers=[3] * 7)
    assert outcome.resources is None and outcome.score.severity == "severe"
    assert _events(app, user.id) == []


def test_answers_are_encrypted_at_rest_and_read_back_for_the_owner(any_app: App) -> None:
    user = make_user(any_app)
    answers = [3, 2, 1, 0, 3, 2, 1, 0, 0]
    any_app.screening.take(user_id=user.id, instrument="PHQ-9", answers=answers)
    [row] = raw_rows(any_app, "screening_results")
    assert "[3, 2, 1" not in repr(row) and 12 in row  # the total stays plain for the chart
    [view] = any_app.screening.history(user_id=user.id)
    assert view.answers == tuple(answers) and view.total == 12 and view.severity == "moderate"


def test_history_is_oldest_first_filters_by_instrument_and_is_the_owners_only(app: App) -> None:
    alice, bob = make_user(app), make_user(app)
    app.screening.take(user_id=alice.id, instrument="PHQ-9", answers=[1] * 9)
    app.screening.take(user_id=alice.id, instrument="GAD-7", answers=[1] * 7)
    app.screening.take(user_id=alice.id, instrument="PHQ-9", answers=[2] * 9)
    phq = app.screening.history(user_id=alice.id, instrument="PHQ-9")
    assert [view.total for view in phq] == [9, 18]
    assert len(app.screening.history(user_id=alice.id)) == 3
    assert app.screening.history(user_id=bob.id) == []
    with pytest.raises(NotFound):
        app.screening.delete(user_id=bob.id, result_id=phq[0].id)
    app.screening.delete(user_id=alice.id, result_id=phq[0].id)
    assert [view.total for view in app.screening.history(user_id=alice.id)] == [7, 18]


def test_a_bad_submission_saves_nothing(app: App) -> None:
    user = make_user(app)
    with pytest.raises(InvalidInput):
        app.screening.take(user_id=user.id, instrument="PHQ-9", answers=[0] * 8 + [None])  # type: ignore[list-item]
    assert raw_rows(app, "screening_results") == []
