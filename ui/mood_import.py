"""Mood import widget: choose a Daylio or own-format CSV, see a preview and the counts, import.

Owns its session-state keys (all start with "mood_import_"). Nothing is saved until the person
presses Import; the import is all or nothing, and a second import of the same file adds nothing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.bootstrap import App
from core.errors import InvalidInput
from core.mood import local_time
from core.mood_import import MAX_FILE_BYTES, ImportReport
from ui.crisis import crisis_expander, show_crisis_resources
from ui.uploads import limited_uploader

_DONE = "mood_import_done"
_FORMATS = {
    "daylio": "a Daylio export",
    "companion": "this app's mood CSV",
    "export": "this app's data export",
}


def import_section(app: App, user_id: str, *, region: str, timezone: str) -> None:
    """The import expander: upload, preview with counts and reasons, then import."""
    done: ImportReport | None = st.session_state.pop(_DONE, None)
    with st.expander(
        "Import mood history (a Daylio CSV, or this app's mood CSV or export zip)",
        expanded=bool(done),
    ):
        if done is not None:
            st.success(
                f"Imported {done.imported} {'entry' if done.imported == 1 else 'entries'}; "
                f"skipped {done.duplicates} already here; rejected {len(done.rejected)}.",
                icon=":material/check:",
            )
            _screened(done)
            _rejections(done)
        st.caption(
            "Daylio: Settings → Export entries → CSV. Times are read in your time zone "
            f"({timezone}). Importing the same file again adds nothing."
        )
        upload = limited_uploader(
            "Choose a CSV file (or this app's export zip)",
            key="mood_import_file",
            limit_mb=MAX_FILE_BYTES // (1024 * 1024),
            types=["csv", "zip"],
            what="the mood import",
        )
        if upload is None:
            return
        data = upload.getvalue()
        try:
            report = app.mood_import.preview(user_id=user_id, data=data, timezone=timezone)
        except InvalidInput as problem:
            st.warning(f"{problem} Nothing was imported.")
            return
        _preview(report, timezone)
        if not report.new:
            st.info("Nothing new to import from this file.")
            return
        label = f"Import {len(report.new)} {'entry' if len(report.new) == 1 else 'entries'}"
        if st.button(label, type="primary", key="mood_import_go"):
            try:
                result = app.mood_import.import_file(
                    user_id=user_id, data=data, timezone=timezone, region=region
                )
            except InvalidInput as problem:
                st.warning(f"{problem} Nothing was imported.")
                return
            st.session_state[_DONE] = result
            st.session_state.pop("mood_import_file", None)
            st.rerun()


def _screened(report: ImportReport) -> None:
    """What the safety screen found in the imported notes, as the page does for a logged mood:
    the region's numbers at once for a crisis note, the gentle line for a concern."""
    assessment = report.assessment
    if assessment is None or assessment.level == "none":
        return
    if assessment.level == "crisis":
        st.markdown(
            "One of the notes you imported says something that worries us. If that is how "
            "things are for you now, please reach out:"
        )
        show_crisis_resources(assessment.resources, message=assessment.message)
    else:
        st.info(assessment.message, icon=":material/favorite:")
        crisis_expander(assessment.resources)


def _preview(report: ImportReport, timezone: str) -> None:
    st.markdown(
        f"This looks like {_FORMATS[report.format]}: **{len(report.new)} new**, "
        f"{report.duplicates} already here (skipped), {len(report.rejected)} rejected."
    )
    if report.preview:
        rows = [
            {
                "when": f"{local_time(row.logged_at, timezone):%Y-%m-%d %H:%M}",
                "score": row.draft.score,
                "emotions": ", ".join(row.draft.emotions),
                "tags": ", ".join([*row.draft.activities, *row.draft.people]),
                "note": "yes" if row.draft.note else "",
            }
            for row in report.preview
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        if len(report.new) > len(report.preview):
            st.caption(f"The first {len(report.preview)} of {len(report.new)} new entries.")
    _rejections(report)


def _rejections(report: ImportReport) -> None:
    if not report.rejected:
        return
    table = pd.DataFrame(
        [{"line": item.line, "why": item.reason} for item in report.rejected[:200]]
    )
    st.caption("Rejected rows (the file's line numbers):")
    st.dataframe(table, hide_index=True, width="stretch")
