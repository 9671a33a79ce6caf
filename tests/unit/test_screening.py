"""PHQ-9 and GAD-7 scoring: the published bands at every edge, item 9, and bad answers."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.errors import InvalidInput
from core.screening import GAD7, PHQ9, REPEAT_EVERY, next_due, score, severity


def _answers_totalling(total: int, items: int) -> list[int]:
    answers = [0] * items
    for index in range(total):
        answers[index % items] += 1
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_follow_kroenke_2001(total: int, band: str) -> None:
    result = score("PHQ-9", _answers_totalling(total, 9))
    assert (result.total, result.severity) == (total, band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands_follow_spitzer_2006(total: int, band: str) -> None:
    result = score("GAD-7", _answers_totalling(total, 7))
    assert (result.total, result.severity) == (total, band)


def test_the_instruments_have_the_standard_number_of_items_and_wording() -> None:
    assert len(PHQ9.items) == 9 and len(GAD7.items) == 7
    assert PHQ9.items[8].startswith("Thoughts that you would be better off dead")
    assert GAD7.items[0] == "Feeling nervous, anxious or on edge"
    assert "last 2 weeks" in PHQ9.stem and "last 2 weeks" in GAD7.stem
    assert (PHQ9.max_total, GAD7.max_total) == (27, 21)


def test_phq9_item_9_above_zero_is_flagged_whatever_the_total() -> None:
    only_item_9 = [0] * 8 + [1]
    result = score("PHQ-9", only_item_9)
    assert result.total == 1 and result.severity == "minimal"
    assert result.self_harm_thoughts
    assert not score("PHQ-9", [3] * 8 + [0]).self_harm_thoughts
    assert not score("GAD-7", [3] * 7).self_harm_thoughts  # GAD-7 has no such item


@pytest.mark.parametrize(
    "answers",
    [
        [],
        [0] * 8,
        [0] * 10,
        [0] * 8 + [None],
        [0] * 8 + [4],
        [0] * 8 + [-1],
        [0] * 8 + [True],
        [0] * 8 + ["3"],
        [0] * 8 + [1.5],
        "000000000",
        None,
    ],
)
def test_a_missing_or_malformed_answer_is_refused_kindly(answers: object) -> None:
    with pytest.raises(InvalidInput):
        score("PHQ-9", answers)  # type: ignore[arg-type]


@pytest.mark.parametrize("instrument", ["PHQ-2", "", None, "phq-9", 9])
def test_an_unknown_instrument_is_refused(instrument: object) -> None:
    with pytest.raises(InvalidInput, match="PHQ-9 or GAD-7"):
        score(instrument, [0] * 9)


def test_a_total_outside_the_scale_has_no_band() -> None:
    with pytest.raises(InvalidInput):
        severity(GAD7, 22)


def test_repeating_is_suggested_two_weeks_after_the_last_time() -> None:
    taken = datetime(2026, 3, 1, 9, 0)
    assert next_due(None) is None
    assert next_due(taken) == taken + REPEAT_EVERY == datetime(2026, 3, 15, 9, 0)
