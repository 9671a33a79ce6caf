"""Gratitude entries, thought records and the daily prompt, as plain text and plain dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from core.errors import InvalidInput
from core.journal_forms import (
    ThoughtRecord,
    gratitude_entry,
    local_date,
    prompt_for,
    prompts,
    thought_record_entry,
)

RECORD = ThoughtRecord(
    situation="Asked to present on Thursday",
    automatic_thought="I'll freeze and they'll think I'm useless",
    emotion="anxious",
    intensity=80,
    evidence_for="My voice shook last time",
    evidence_against="I spoke up twice last week and it was fine",
    balanced_thought="I might be nervous, and I can still get through it",
    new_intensity=40,
)


def test_three_good_things_become_a_numbered_gratitude_entry() -> None:
    draft = gratitude_entry(["Sam made me laugh", " Finished early ", "A pink sky"])
    assert draft.kind == "gratitude" and draft.title == "Three good things"
    assert draft.body == "1. Sam made me laugh\n2. Finished early\n3. A pink sky"


def test_one_good_thing_is_enough_and_blanks_are_dropped() -> None:
    draft = gratitude_entry(["", "Coffee in the sun", "  "], title="Tuesday")
    assert draft.title == "Tuesday" and draft.body == "1. Coffee in the sun"


@pytest.mark.parametrize("things", [["", " ", ""], [], ["a", "b", "c", "d"]])
def test_a_gratitude_entry_needs_one_to_three_things(things: list[str]) -> None:
    with pytest.raises(InvalidInput):
        gratitude_entry(things)


def test_a_thought_record_keeps_every_column_in_labelled_lines() -> None:
    draft = thought_record_entry(RECORD)
    assert draft.kind == "thought_record"
    assert draft.title == "Thought record: Asked to present on Thursday"
    assert draft.body.splitlines() == [
        "Situation: Asked to present on Thursday",
        "Automatic thought: I'll freeze and they'll think I'm useless",
        "Emotion: anxious (80/100)",
        "Evidence for: My voice shook last time",
        "Evidence against: I spoke up twice last week and it was fine",
        "Balanced thought: I might be nervous, and I can still get through it",
        "Emotion now: anxious (40/100)",
    ]


def test_a_thought_record_with_only_the_first_parts_is_fine() -> None:
    short = ThoughtRecord("A long situation " * 10, "Nobody likes me", "sad", 60)
    draft = thought_record_entry(short)
    assert draft.body.splitlines()[-1] == "Emotion: sad (60/100)"
    assert draft.title.endswith("…") and len(draft.title) < 90


def test_a_multi_line_answer_stays_on_its_own_line() -> None:
    draft = thought_record_entry(ThoughtRecord("At work\nin the\tmeeting", "x", "y", 5))
    assert draft.body.splitlines()[0] == "Situation: At work in the meeting"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"situation": "  "}, "situation"),
        ({"automatic_thought": ""}, "thought"),
        ({"emotion": ""}, "emotion"),
        ({"intensity": 101}, "from 0"),
        ({"intensity": -1}, "from 0"),
        ({"intensity": True}, "from 0"),
        ({"new_intensity": 250}, "from 0"),
        ({"evidence_for": "x" * 5_001}, "at most"),
    ],
)
def test_a_thought_record_that_breaks_a_rule_is_refused_kindly(
    change: dict[str, object], says: str
) -> None:
    record = replace(RECORD, **change)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=says):
        thought_record_entry(record)


def test_there_are_about_twenty_gentle_prompts() -> None:
    assert 18 <= len(prompts()) <= 30
    assert len(set(prompts())) == len(prompts())
    assert all(len(prompt) < 160 for prompt in prompts())


def test_the_prompt_is_the_same_all_day_and_changes_the_next() -> None:
    day = date(2026, 3, 14)
    assert prompt_for(day) == prompt_for(date(2026, 3, 14))
    week = [prompt_for(day + timedelta(days=n)) for n in range(7)]
    assert len(set(week)) == 7


def test_the_day_is_the_persons_own_day_in_their_time_zone() -> None:
    late_evening_in_la = datetime(2026, 7, 2, 5, 30)  # 22:30 on 1 July in Los Angeles (PDT)
    assert local_date(late_evening_in_la, "America/Los_Angeles") == date(2026, 7, 1)
    assert local_date(late_evening_in_la, "Asia/Tokyo") == date(2026, 7, 2)
    assert local_date(late_evening_in_la, "Not/AZone") == date(2026, 7, 2)  # UTC
