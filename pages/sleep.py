"""Sleep: last night in a few taps, weekly charts, coaching from your own diary, past nights."""

from __future__ import annotations

import streamlit as st

from core.errors import InvalidInput
from ui.context import page_context
from ui.sleep import (
    default_night,
    diary_form,
    save_new,
    show_coaching,
    show_import,
    show_nights,
    show_outcome,
    window_label,
)
from ui.sleep_charts import awake_figure, efficiency_figure, hours_figure, regularity_figure

here = page_context()
app, user = here.app, here.user
region, timezone = here.preferences.region, here.preferences.timezone

st.title("Sleep")
st.caption("A sleep diary, a minute each morning. Your notes are private and encrypted.")
show_outcome()

latest = app.sleep.list(user_id=user.id, limit=1)
overview = app.sleep.overview(user_id=user.id, timezone=timezone)

diary, trends, coaching, nights, imports = st.tabs(
    ["Last night", "Trends", "Coaching", "Your nights", "Import"]
)

with diary:
    st.caption("Filled in from your last night: change what was different and save.")
    try:
        entry = diary_form(
            "sleep_new", timezone=timezone, night_of=default_night(app, timezone),
            start=latest[0] if latest else None, submit="Save night",
        )  # fmt: skip
    except InvalidInput as problem:
        st.warning(str(problem), icon=":material/info:")
        entry = None
    if entry is not None:
        save_new(app, user.id, region, entry, form="sleep_new")
    if overview.window is not None:
        st.caption(f"Your suggested sleep window: {window_label(overview)} (see Coaching).")

with trends:
    if not overview.weeks:
        st.caption("Charts appear after your first night.")
    else:
        for figure in (
            hours_figure(overview.weeks),
            efficiency_figure(overview.weeks),
            awake_figure(overview.weeks),
            regularity_figure(overview.weeks),
        ):
            st.plotly_chart(figure, config={"displayModeBar": False})

with coaching:
    show_coaching(overview)

with nights:
    show_nights(app, user.id, region=region, timezone=timezone)

with imports:
    show_import(app, user.id, timezone=timezone)
