"""The Mood page's read side: the date-range filter, the charts and the insight panel.

Owns its session-state keys (all start with "mood_view_"). Empty, one-entry and empty-range
histories get a friendly line instead of an empty axis.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st

from core.bootstrap import App
from core.insights import Insights
from core.mood import MoodView, local_time, utc_range
from core.mood_stats import between, by_hour, by_weekday, daily, emotion_counts, localise, pixels
from core.rendering import escape_markdown
from ui import charts
from ui.mood import icon_for

RANGES = {"30 days": 30, "90 days": 90, "1 year": 365, "All": None, "Custom": -1}


def pick_range(today: date, first: date) -> tuple[date, date]:
    """The date-range filter: a preset, or two dates; never past today or before the first."""
    choice = st.segmented_control(
        "Show", list(RANGES), default="90 days", key="mood_view_range", required=True
    )
    days = RANGES.get(choice or "90 days", 90)
    if days == -1:
        picked = st.date_input(
            "From – to",
            value=(max(first, today - timedelta(days=29)), today),
            min_value=first,
            max_value=today,
            key="mood_view_dates",
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            return picked[0], picked[1]
        st.caption("Pick the last day too.")
        return picked[0] if isinstance(picked, tuple) and picked else first, today
    if days is None:
        return first, today
    return max(first, today - timedelta(days=days - 1)), today


def show_history_state(earliest: list[MoodView], timezone: str) -> bool:
    """A friendly line for an empty or one-entry history; True when there is enough to chart."""
    if not earliest:
        st.info(
            "No moods logged yet. Log your first one above: a single tap is enough. "
            "Your charts and patterns will grow from there.",
            icon=":material/insights:",
        )
        return False
    if len(earliest) == 1:
        only = earliest[0]
        when = local_time(only.logged_at, timezone)
        st.info(
            f"One mood so far: {icon_for(only.score)} {only.score}/10 on {when:%A %d %B}. "
            "Charts appear from your second entry; a line needs two points.",
            icon=":material/insights:",
        )
        return False
    return True


def show_checkins_alone(app: App, user_id: str, timezone: str) -> None:
    """Before there are moods enough to chart, the check-ins still join the timeline."""
    checkins = _local_checkins(app, user_id, timezone)
    if checkins:
        st.caption("Your camera check-ins so far, with your own rating; moods you log join them.")
        charts.show(charts.score_over_time([], checkins), "mood_chart_time")


def _local_checkins(
    app: App,
    user_id: str,
    timezone: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[datetime, int, str]]:
    """The rated check-ins as (local time, rating, feeling), oldest first."""
    return [
        (local_time(moment, timezone).replace(tzinfo=None), rating, feeling)
        for moment, rating, feeling in app.checkins.timeline(
            user_id=user_id, since=since, until=until
        )
    ]


def show_charts(app: App, user_id: str, timezone: str, start: date, end: date) -> None:
    """Score over time with its 7-day mean, emotions, weekday and hour averages, year in pixels."""
    since, until = utc_range(start, end, timezone)
    moods = between(
        localise(app.mood.history(user_id=user_id, since=since, until=until, tags=False), timezone),
        start,
        end,
    )
    if not moods:
        st.info(f"Nothing logged between {start:%d %b %Y} and {end:%d %b %Y}. Try a longer range.")
    else:
        days = daily(moods)
        st.caption(
            f"{len(moods)} entries on {len(days)} days, {start:%d %b %Y} – "
            f"{end:%d %b %Y}, times in {timezone}."
        )
        checkins = _local_checkins(app, user_id, timezone, since, until)
        charts.show(charts.score_over_time(days, checkins), "mood_chart_time")
        emotions = emotion_counts(moods)
        if emotions:
            charts.show(charts.emotion_frequency(emotions), "mood_chart_emotions")
        else:
            st.caption("No emotions picked in this range yet.")
        left, right = st.columns(2)
        with left:
            charts.show(charts.average_by(by_weekday(moods), "By weekday"), "mood_chart_weekday")
        with right:
            hours = charts.average_by(by_hour(moods), "By hour of day", axis="Hour of day")
            charts.show(hours, "mood_chart_hour")
    choices = _years(start, end)
    if st.session_state.get("mood_view_year") not in choices:
        st.session_state.pop("mood_view_year", None)
    year = st.selectbox("Year in pixels", choices, key="mood_view_year") or end.year
    year_since, year_until = utc_range(date(year, 1, 1), date(year, 12, 31), timezone)
    in_year = localise(
        app.mood.history(user_id=user_id, since=year_since, until=year_until, tags=False), timezone
    )
    charts.show(charts.year_in_pixels(pixels(in_year, year), year), "mood_chart_pixels")


def _years(start: date, end: date) -> list[int]:
    return list(range(end.year, start.year - 1, -1))


def show_insights(insights: Insights, *, compact: bool = False) -> None:
    """The weekly summary and what goes with better or worse days, each with its numbers."""
    for line in insights.summary.sentences():
        st.markdown(line)
    if compact:
        if insights.effects:
            top = insights.effects[0]
            st.markdown(top.sentence(escape_markdown(top.label)))
        return
    if insights.effects:
        st.markdown("**What goes with better or worse days** (a correlation, never a cause):")
        for effect in insights.effects:
            st.markdown(f"- {effect.sentence(escape_markdown(effect.label))}")
    else:
        st.markdown("No factor has enough days yet to compare.")
    if insights.not_enough:
        with st.expander(f"Not enough data yet ({len(insights.not_enough)})"):
            for factor in insights.not_enough:
                st.markdown(
                    f"- {escape_markdown(factor.label)}: {factor.days_with} days with, "
                    f"{factor.days_without} without"
                )
    st.caption(insights.rule)
