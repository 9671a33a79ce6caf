"""Insights and mood statistics: worked examples, "not enough data", time zones and DST."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from core.errors import InvalidInput
from core.insights import MIN_DAYS, FactorDays, Window, compare, daily_means, weekly_summary
from core.mood import MoodDraft, MoodView, clean_draft, face_for, streak, utc_range
from core.mood_stats import (
    Average,
    by_hour,
    by_weekday,
    daily,
    emotion_counts,
    localise,
    pixels,
)

D = date(2026, 3, 2)  # a Monday


def _days(*offsets: int) -> list[date]:
    return [D + timedelta(days=offset) for offset in offsets]


def test_a_factor_with_three_days_each_side_gives_the_difference_with_its_numbers() -> None:
    # Days 0-5 logged: 8, 7, 9 on walk days (0, 1, 2); 5, 6, 4 on the others.
    means = daily_means(_days(0, 1, 2, 3, 4, 5), [8, 7, 9, 5, 6, 4])
    walk = FactorDays("tag:walk", "walk", frozenset(_days(0, 1, 2)))
    [effect], lacking = compare(means, [walk])
    assert lacking == []
    assert (effect.mean_with, effect.mean_without) == (8.0, 5.0)
    assert (effect.days_with, effect.days_without, effect.difference) == (3, 3, 3.0)
    sentence = effect.sentence()
    assert "averaged 8.0 (3 days)" in sentence and "5.0 (3 days)" in sentence
    assert "3.0 points higher" in sentence and "correlation" in sentence
    assert "cause" in sentence and "causes" not in sentence.replace("not a cause", "")


def test_two_days_with_a_factor_is_not_enough_data() -> None:
    means = daily_means(_days(0, 1, 2, 3, 4, 5), [8, 7, 9, 5, 6, 4])
    rare = FactorDays("tag:gym", "gym", frozenset(_days(0, 1)))
    effects, [lacking] = compare(means, [rare])
    assert effects == [] and (lacking.days_with, lacking.days_without) == (2, 4)
    assert MIN_DAYS == 3


def test_a_factor_on_every_day_has_no_days_without_and_is_not_compared() -> None:
    means = daily_means(_days(0, 1, 2, 3), [5, 5, 5, 5])
    always = FactorDays("journal", "journaling", frozenset(_days(0, 1, 2, 3)))
    effects, [lacking] = compare(means, [always])
    assert effects == [] and lacking.days_without == 0


def test_a_day_logged_twice_counts_once_with_its_mean() -> None:
    means = daily_means(_days(0, 0, 1, 2, 3, 4, 5), [10, 6, 8, 8, 4, 4, 4])
    [effect], _ = compare(means, [FactorDays("x", "x", frozenset(_days(0, 1, 2)))])
    assert effect.mean_with == 8.0 and effect.days_with == 3


def test_a_factor_known_only_on_some_days_compares_only_those() -> None:
    # Sleep is known on days 0-5 only; day 6-8 (mood logged, no sleep diary) are left out.
    means = daily_means(_days(*range(9)), [8, 8, 8, 4, 4, 4, 1, 1, 1])
    slept = FactorDays(
        "sleep", "7 hours of sleep", frozenset(_days(0, 1, 2)), frozenset(_days(*range(6)))
    )
    [effect], _ = compare(means, [slept])
    assert (effect.mean_without, effect.days_without) == (4.0, 3)


def test_effects_are_ordered_by_the_size_of_the_difference() -> None:
    means = daily_means(_days(*range(6)), [9, 9, 9, 3, 3, 3])
    big = FactorDays("a", "a", frozenset(_days(0, 1, 2)))
    small = FactorDays("b", "b", frozenset(_days(0, 3, 4)))
    effects, _ = compare(means, [small, big])
    assert [effect.key for effect in effects] == ["a", "b"]
    assert "lower" in effects[1].sentence()


def test_the_weekly_summary_compares_with_the_week_before() -> None:
    today = D + timedelta(days=13)
    entries = [(D + timedelta(days=n), 4, ()) for n in range(7)]  # the week before: 4
    entries += [(today - timedelta(days=n), 6, ("calm",)) for n in range(3)]
    entries += [(today, 8, ("calm", "happy"))]
    summary = weekly_summary(entries, today)
    assert (summary.days_logged, summary.entries) == (3, 4)
    assert summary.mean == pytest.approx((7 + 6 + 6) / 3)  # today's mean is 7
    assert (summary.lowest, summary.highest, summary.previous_mean) == (6, 8, 4.0)
    assert summary.top_emotions[0] == ("calm", 4)
    text = " ".join(summary.sentences())
    assert "4 entries on 3 of 7 days" in text and "2.3 points up on the week before (4.0)" in text


def test_an_empty_week_says_so_kindly() -> None:
    summary = weekly_summary([], D)
    assert summary.mean is None and "No moods logged this week" in summary.sentences()[0]


def _view(moment: datetime, score: int, emotions: tuple[str, ...] = ()) -> MoodView:
    return MoodView("id", score, emotions, (), (), "", moment)


def test_charts_use_the_local_day_and_hour_across_the_dst_change() -> None:
    # London goes to BST at 01:00 UTC on 29 March 2026.
    entries = [
        _view(datetime(2026, 3, 28, 23, 30), 4),  # 23:30 GMT, Saturday
        _view(datetime(2026, 3, 29, 0, 30), 6),  # 00:30 GMT, Sunday
        _view(datetime(2026, 3, 29, 1, 30), 8, ("calm",)),  # 02:30 BST, Sunday
    ]
    moods = localise(entries, "Europe/London")
    assert [mood.moment.hour for mood in moods] == [23, 0, 2]
    assert [str(mood.day) for mood in moods] == ["2026-03-28", "2026-03-29", "2026-03-29"]
    days = daily(moods)
    assert [(p.mean, p.entries, p.rolling_7) for p in days] == [(4.0, 1, 4.0), (7.0, 2, 5.5)]
    weekdays = {group.label: group for group in by_weekday(moods)}
    assert weekdays["Sun"].mean == 7.0 and weekdays["Mon"] == Average("Mon", None, 0)
    assert [(g.label, g.entries) for g in by_hour(moods) if g.entries] == [
        ("00", 1),
        ("02", 1),
        ("23", 1),
    ]
    assert emotion_counts(moods) == [("calm", 1)]
    grid = pixels(moods, 2026)
    assert grid[28][2] == 7.0 and grid[27][2] == 4.0
    assert sum(value is not None for row in grid for value in row) == 2


def test_the_rolling_mean_skips_days_without_an_entry() -> None:
    moods = localise([_view(datetime(2026, 3, d, 12), d) for d in (1, 2, 8, 9)], "UTC")
    # 8 March: the 7 days ending it are 2..8, logged on 2 (2) and 8 (8).
    assert [p.rolling_7 for p in daily(moods)] == [1.0, 1.5, 5.0, 8.5]


def test_a_range_of_local_days_has_dst_correct_utc_bounds() -> None:
    since, until = utc_range(date(2026, 3, 29), date(2026, 3, 29), "Europe/London")
    assert (since, until) == (datetime(2026, 3, 29, 0, 0), datetime(2026, 3, 29, 23, 0))
    window = Window.ending(datetime(2026, 7, 1, 12), "America/New_York", days=1)
    assert window.since == datetime(2026, 7, 1, 4, 0)


def test_empty_statistics_are_empty_not_errors() -> None:
    assert daily([]) == [] and emotion_counts([]) == []
    assert sum(group.entries for group in by_weekday([]) + by_hour([])) == 0
    assert all(value is None for row in pixels([], 2026) for value in row)


def test_a_streak_counts_back_from_today_or_yesterday() -> None:
    days = set(_days(0, 1, 2, 4))
    assert streak(days, D + timedelta(days=2)) == 3
    assert streak(days, D + timedelta(days=3)) == 3  # today not logged yet: still alive
    assert streak(days, D + timedelta(days=6)) == 0


def test_faces_round_to_the_nearest() -> None:
    assert [face_for(score) for score in (1, 2, 5, 6.9, 10)] == ["😞", "😞", "🙁", "😐", "😄"]


NOW = datetime(2026, 3, 2, 12, 0)


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (MoodDraft(0), "whole number from 1"),
        (MoodDraft(11), "whole number from 1"),
        (MoodDraft(True), "whole number from 1"),  # type: ignore[arg-type]
        (MoodDraft(5, ("ecstatic",)), "from the list"),
        (MoodDraft(5, note="x" * 1_000_000), "at most 5,000"),
        (MoodDraft(5, activities=("a" * 41,)), "at most 40"),
        (MoodDraft(5, activities=("a|b",)), "'|'"),
        (MoodDraft(5, activities=("   ",)), "empty"),
        (MoodDraft(5, activities="walk"), "list"),
        (MoodDraft(5, activities=[f"t{n}" for n in range(21)]), "at most 20"),
        (MoodDraft(5, logged_at=NOW + timedelta(hours=1)), "future"),
        (MoodDraft(5, logged_at=datetime(1999, 12, 31)), "too far back"),
    ],
)
def test_bad_drafts_get_a_kind_message(draft: MoodDraft, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        clean_draft(draft, now=NOW)


def test_emoji_rtl_and_html_survive_as_text_and_duplicate_tags_merge() -> None:
    draft = MoodDraft(
        7,
        ("calm", "calm"),
        ("<b>run</b>", "Run", "run"),
        ("מאיה 🌷",),
        "  [x](javascript:alert(1)) <img src=x> \ud800 ",
        NOW - timedelta(days=3),
    )
    cleaned, moment = clean_draft(draft, now=NOW)
    assert cleaned.emotions == ("calm",) and cleaned.activities == ("<b>run</b>", "Run")
    assert cleaned.people == ("מאיה 🌷",) and cleaned.note.endswith("\ufffd")
    assert moment == NOW - timedelta(days=3)
