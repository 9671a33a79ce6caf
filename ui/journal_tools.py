"""Journal extras: the sentiment-beside-mood chart and the search panel.

Owns its session-state keys (all start with "journal_search_" or "journal_sentiment_").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from core.bootstrap import App
from core.errors import InvalidInput
from core.journal_forms import KIND_LABELS, local_date, local_time
from core.journal_search import JournalSearchResult
from core.rendering import escape_markdown
from core.sentiment import LIMITS, METHOD
from ui import charts
from ui.crisis import show_crisis_resources

CHART_DAYS = 90
_ANY = "any"


def _utc(day: date, timezone: str) -> datetime:
    """Local midnight of `day` as naive UTC (the form the tables store)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(day, time(), zone).astimezone(UTC).replace(tzinfo=None)


def sentiment_chart(app: App, user_id: str, *, timezone: str) -> None:
    """Each entry's sentiment (-1 to +1) and each mood score (1-10) over the last 90 days."""
    today = local_date(app.clock.now(), timezone)
    since = _utc(today - timedelta(days=CHART_DAYS), timezone)
    series = app.sentiment.series(user_id=user_id, since=since)
    st.subheader("How your entries read, beside your mood")
    if not series.journal:
        st.caption(
            f"No entries in the last {CHART_DAYS} days yet. Once you write, each entry's tone "
            "shows here next to your mood."
        )
        return
    start = local_time(since, timezone).replace(tzinfo=None)
    journal = [
        (local_time(point.at, timezone).replace(tzinfo=None), point.value)
        for point in series.journal
    ]
    mood = [
        (local_time(point.at, timezone).replace(tzinfo=None), point.value) for point in series.mood
    ]
    figure = charts.sentiment_beside_mood(journal, mood, start, start + timedelta(CHART_DAYS + 1))
    charts.show(figure, "journal_sentiment_chart")
    if not series.mood:
        st.caption("Log your mood on the Mood page to see it here too.")
    st.caption(f"{METHOD}. {LIMITS} Seeing the two together shows correlation, not cause.")


def search_panel(app: App, user_id: str, *, region: str, timezone: str) -> None:
    """Search one's entries by meaning, kind and dates; results drawn below the form."""
    # Entries saved before vectors existed get theirs in the background, so the first search
    # by meaning only decrypts vectors (a no-op once this person's vectors are in memory).
    app.journal_search.warm_up(user_id=user_id)
    today = local_date(app.clock.now(), timezone)
    with st.form("journal_search_form", border=False):
        query = st.text_input(
            "Words or a feeling to look for (optional)",
            key="journal_search_query",
            max_chars=500,
            placeholder="e.g. evenings when work felt too much",
        )
        left, right = st.columns(2)
        kind = left.selectbox(
            "Kind",
            options=[_ANY, *KIND_LABELS],
            format_func=lambda value: "Any kind" if value == _ANY else KIND_LABELS[value],
            key="journal_search_kind",
        )
        period = right.date_input(
            "Written between",
            value=(today - timedelta(days=365), today),
            max_value=today,
            key="journal_search_dates",
        )
        submitted = st.form_submit_button("Search", key="journal_search_submit")
    if not submitted:
        return
    if not isinstance(period, tuple) or len(period) != 2:
        st.warning("Please pick both a first and a last day.")
        return
    first, last = period
    try:
        with st.spinner("Searching your entries…"):
            result = app.journal_search.search(
                user_id=user_id,
                query=query,
                kind=None if kind == _ANY else kind,
                since=_utc(first, timezone),
                until=_utc(last + timedelta(days=1), timezone),
                region=region,
            )
    except InvalidInput as problem:
        st.warning(str(problem))
        return
    _results(result, timezone=timezone)


def _results(result: JournalSearchResult, *, timezone: str) -> None:
    if result.assessment is not None and result.assessment.level == "crisis":
        show_crisis_resources(result.assessment.resources, message=result.assessment.message)
    if result.assessment is not None and not result.by_meaning:
        st.info("Searching by meaning isn't available just now; these are by kind and date.")
    if not result.hits:
        st.info("No entries match. Try other words, another kind or a wider range of dates.")
        return
    st.caption(
        f"{len(result.hits)} found" + (", closest first" if result.by_meaning else ", newest first")
    )
    for hit in result.hits:
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(hit.title or 'Untitled')}**")
            when = f"{local_time(hit.created_at, timezone):%a %d %b %Y, %H:%M}"
            st.caption(f"{when} · {KIND_LABELS.get(hit.kind, 'Entry')}")
            st.markdown(escape_markdown(hit.body))
