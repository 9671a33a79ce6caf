"""Sleep widgets: the diary form (new night or edit), the nights list, the coaching.

Owns its session-state keys (all start with "sleep_"). A save keeps its outcome for the next
run and runs the page again, so the list and charts include the new night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import streamlit as st

from core.bootstrap import App
from core.errors import InvalidInput, NotFound
from core.journal_forms import local_date
from core.rendering import escape_markdown, safe_markdown
from core.sleep import DiaryInput, NightView, SavedNight, SleepOverview
from core.sleep.coaching import CLINICIAN_NOTE, WINDOW_CAUTION
from core.sleep.diary import Night, from_clock_times, last_before, local
from core.sleep.importers import MAX_IMPORT_BYTES
from core.sleep.metrics import clock_label, duration_label
from ui.crisis import show_save_outcome
from ui.uploads import limited_uploader

_OUTCOME = "sleep_outcome"
_NOTICE = "sleep_notice"
_EDITING = "sleep_editing"
_STEP = timedelta(minutes=5)
_USUAL = (time(23, 0), time(23, 15), time(7, 0), time(7, 15))
SOURCES = {"diary": "diary", "apple_health": "Apple Health", "fitbit": "Fitbit / Google"}


def _clocks(view: NightView | None) -> tuple[time, ...]:
    if view is None:
        return _USUAL
    night = view.night
    moments = (night.bed_time, night.lights_out, night.wake_time, night.out_of_bed)
    return tuple(local(moment, night.timezone).time() for moment in moments)


def _drink_clock(moment: datetime | None, timezone: str, usual: time) -> time:
    return usual if moment is None else local(moment, timezone).time()


@dataclass(frozen=True, slots=True)
class _Extras:
    naps: int
    nap_minutes: int
    caffeine: int
    caffeine_last: time | None
    alcohol: int
    alcohol_last: time | None
    note: str


def diary_form(
    key: str,
    *,
    timezone: str,
    night_of: date,
    start: NightView | None,
    submit: str,
    note: str = "",
) -> DiaryInput | None:
    """The diary form, filled from `start` (a night to edit, or the last one as a guide) and
    `note`; the typed entry when submitted, else None."""
    bed, lights, wake, up = _clocks(start)
    night = start.night if start is not None else None
    with st.form(f"{key}_form", border=True):
        day = st.date_input("Night of", value=night_of, key=f"{key}_night", format="DD/MM/YYYY")
        left, right = st.columns(2)
        bed = left.time_input("Got into bed", bed, key=f"{key}_bed", step=_STEP)
        lights = right.time_input("Lights out", lights, key=f"{key}_lights", step=_STEP)
        wake = left.time_input("Woke for the day", wake, key=f"{key}_wake", step=_STEP)
        up = right.time_input("Got out of bed", up, key=f"{key}_up", step=_STEP)
        latency = left.number_input(
            "Minutes to fall asleep", min_value=0, max_value=960, step=5, key=f"{key}_latency",
            value=night.sleep_latency_minutes if night else 15,
        )  # fmt: skip
        waso = right.number_input(
            "Minutes awake in the night", min_value=0, max_value=960, step=5, key=f"{key}_waso",
            value=night.wake_minutes if night else 0,
        )  # fmt: skip
        awakenings = left.number_input(
            "Times you woke up", min_value=0, max_value=60, key=f"{key}_awakenings",
            value=night.awakenings if night else 0,
        )  # fmt: skip
        quality = right.slider(
            "Sleep quality (1 very poor, 5 very good)", 1, 5, key=f"{key}_quality",
            value=(night.quality or 3) if night else 3,
        )  # fmt: skip
        with st.expander("Naps, caffeine, alcohol and a note"):
            extras = _extras(key, night, timezone, note)
        submitted = st.form_submit_button(submit, type="primary", key=f"{key}_save")
    if not submitted:
        return None
    clocks = [bed, lights, wake, up]
    if not isinstance(day, date) or not all(isinstance(c, time) for c in clocks):
        raise InvalidInput("Please give the date and the four times of the night.")
    moments = from_clock_times(day, clocks)
    return DiaryInput(
        night_of=day,
        timezone=timezone,
        bed_time=moments[0],
        lights_out=moments[1],
        sleep_latency_minutes=int(latency),
        awakenings=int(awakenings),
        wake_minutes=int(waso),
        wake_time=moments[2],
        out_of_bed=moments[3],
        quality=int(quality),
        naps=extras.naps,
        nap_minutes=extras.nap_minutes,
        caffeine_drinks=extras.caffeine,
        caffeine_last=_last(moments[0], extras.caffeine_last),
        alcohol_drinks=extras.alcohol,
        alcohol_last=_last(moments[0], extras.alcohol_last),
        note=extras.note,
    )


def _last(bed: datetime, clock: time | None) -> datetime | None:
    return None if clock is None else last_before(bed, clock)


def _extras(key: str, night: Night | None, timezone: str, note: str) -> _Extras:
    zone = night.timezone if night else timezone
    one, two = st.columns(2)
    naps = one.number_input("Naps or dozes", 0, 10, night.naps if night else 0, key=f"{key}_naps")
    nap_minutes = two.number_input(
        "Minutes napping in all", 0, 960, night.nap_minutes if night else 0, step=5,
        key=f"{key}_nap_minutes",
    )  # fmt: skip
    caffeine = one.number_input(
        "Caffeinated drinks", 0, 30, night.caffeine_drinks if night else 0, key=f"{key}_caffeine"
    )
    caffeine_last = two.time_input(
        "Last caffeine at", _drink_clock(night.caffeine_last if night else None, zone, time(14)),
        key=f"{key}_caffeine_last", step=_STEP,
    )  # fmt: skip
    alcohol = one.number_input(
        "Alcoholic drinks", 0, 30, night.alcohol_drinks if night else 0, key=f"{key}_alcohol"
    )
    alcohol_last = two.time_input(
        "Last alcohol at", _drink_clock(night.alcohol_last if night else None, zone, time(20)),
        key=f"{key}_alcohol_last", step=_STEP,
    )  # fmt: skip
    typed = st.text_area("Note (private, encrypted)", value=note, key=f"{key}_note", max_chars=2000)
    return _Extras(
        int(naps), int(nap_minutes), int(caffeine), caffeine_last, int(alcohol), alcohol_last,
        typed or "",
    )  # fmt: skip


def save_new(app: App, user_id: str, region: str, entry: DiaryInput, *, form: str) -> None:
    """Save a typed night from the diary form `form`; a broken rule is a kind warning, nothing
    is saved and the form keeps what was typed."""
    try:
        saved = app.sleep.add(user_id=user_id, entry=entry, region=region)
    except InvalidInput as problem:
        st.warning(str(problem), icon=":material/info:")
        return
    _after_save(saved, form)


def _after_save(saved: SavedNight, form: str) -> None:
    """Keep the outcome for the next run, and empty the form: it opens afresh, filled in from
    the night just saved, with no note."""
    st.session_state[_OUTCOME] = saved
    st.session_state.pop(_EDITING, None)
    for name in [name for name in st.session_state if str(name).startswith(f"{form}_")]:
        del st.session_state[name]
    st.rerun()


def show_outcome() -> None:
    """What the last save or delete did (the crisis numbers at once, if a note needs them)."""
    notice: str | None = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(notice)
    saved: SavedNight | None = st.session_state.pop(_OUTCOME, None)
    if saved is None:
        return
    show_save_outcome(saved.assessment, saved="Your night is saved.")


def default_night(app: App, timezone: str) -> date:
    """Last night: the evening before today, in the person's time zone."""
    return local_date(app.clock.now(), timezone) - timedelta(days=1)


def show_nights(app: App, user_id: str, *, region: str, timezone: str) -> None:
    """The latest nights, newest first, each with its numbers, Edit and a confirmed Delete."""
    nights = app.sleep.list(user_id=user_id, limit=60)
    if not nights:
        st.caption("No nights yet. Your diary will appear here, newest first.")
        return
    for view in nights:
        _night(app, user_id, view, region=region, timezone=timezone)


def _night(app: App, user_id: str, view: NightView, *, region: str, timezone: str) -> None:
    m, night = view.metrics, view.night
    editing = st.session_state.get(_EDITING) == view.id
    label = (
        f"{night.night_of:%a %d %b} · {duration_label(m.total_sleep)} asleep · "
        f"{m.efficiency:.0f}% efficiency"
    )
    with st.expander(label, expanded=editing):
        bed, wake = local(night.bed_time, night.timezone), local(night.wake_time, night.timezone)
        st.caption(
            f"In bed {bed:%H:%M} – up {local(night.out_of_bed, night.timezone):%H:%M} "
            f"({duration_label(m.time_in_bed)}) · woke {wake:%H:%M} · "
            f"{m.onset_latency:.0f} min to fall asleep · {m.waso:.0f} min awake · "
            f"quality {night.quality or '–'}/5 · from {SOURCES.get(night.source, night.source)}"
        )
        if view.note:
            st.markdown(escape_markdown(view.note))
        if editing:
            _edit(app, user_id, view, region=region, timezone=timezone)
            return
        edit, delete = st.columns(2)
        if edit.button("Edit", key=f"sleep_edit_{view.id}", icon=":material/edit:"):
            st.session_state[_EDITING] = view.id
            st.rerun()
        if delete.button("Delete", key=f"sleep_delete_{view.id}", icon=":material/delete:"):
            _delete(app, user_id, view.id)


def _edit(app: App, user_id: str, view: NightView, *, region: str, timezone: str) -> None:
    try:
        entry = diary_form(
            f"sleep_edit_{view.id}", timezone=view.night.timezone or timezone,
            night_of=view.night.night_of, start=view, submit="Save changes", note=view.note,
        )  # fmt: skip
        if entry is None:
            if st.button("Cancel", key=f"sleep_cancel_{view.id}"):
                st.session_state.pop(_EDITING, None)
                st.rerun()
            return
        saved = app.sleep.update(user_id=user_id, night_id=view.id, entry=entry, region=region)
    except InvalidInput as problem:
        st.warning(str(problem), icon=":material/info:")
    except NotFound as gone:
        st.session_state[_NOTICE] = str(gone)
        st.session_state.pop(_EDITING, None)
        st.rerun()
    else:
        _after_save(saved, f"sleep_edit_{view.id}")


def _delete(app: App, user_id: str, night_id: str) -> None:
    try:
        app.sleep.delete(user_id=user_id, night_id=night_id)
    except NotFound as gone:
        st.session_state[_NOTICE] = str(gone)
    else:
        st.session_state[_NOTICE] = "Night deleted."
    st.rerun()


def show_coaching(overview: SleepOverview) -> None:
    """Advice chosen from the last two weeks, the suggested window, and its cautions."""
    if overview.window is None:
        st.info(
            f"Coaching starts after five nights in two weeks; you have {overview.recent_nights}. "
            "A minute each morning is enough.",
            icon=":material/bedtime:",
        )
        return
    if not overview.advice:
        st.success("Your last two weeks look steady. Keep your rise time and wind-down going.")
    for advice in overview.advice:
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(advice.title)}**")
            st.markdown(escape_markdown(advice.why))
            st.markdown(f"*Try:* {escape_markdown(advice.action)}")
            guide = overview.guides.get(advice.guide_id)
            if guide is not None:
                with st.expander(f"Read more: {guide.title}"):
                    st.markdown(safe_markdown(guide.body))
    with st.container(border=True):
        st.markdown("**A suggested sleep window**")
        st.markdown(escape_markdown(overview.window.describe()))
        st.warning(WINDOW_CAUTION, icon=":material/warning:")
    st.info(CLINICIAN_NOTE, icon=":material/medical_services:")


def window_label(overview: SleepOverview) -> str:
    """'23:45 – 07:15' for the suggested window, or '' when there is none yet."""
    window = overview.window
    if window is None:
        return ""
    return f"{clock_label(window.bed_clock)} – {clock_label(window.wake_clock)}"


IMPORT_KINDS: dict[str, str] = {
    "apple_health": "Apple Health (export.zip or export.xml)",
    "fitbit": "Fitbit / Google sleep CSV",
}
MAX_UPLOAD_MB = MAX_IMPORT_BYTES // (1024 * 1024)  # the importer's own limit, 1 GB


def show_import(app: App, user_id: str, *, timezone: str) -> None:
    """Upload a wearable export; nights the diary lacks are added, with progress shown."""
    st.caption(
        "Nights already in your diary are kept as they are; importing the same file again adds "
        "nothing. The file is read on this machine and not kept."
    )
    kind = st.radio(
        "From", list(IMPORT_KINDS), format_func=IMPORT_KINDS.__getitem__, key="sleep_import_kind"
    )
    upload = limited_uploader(
        "Export file", key=f"sleep_import_file_{kind}", limit_mb=MAX_UPLOAD_MB,
        types=["zip", "xml"] if kind == "apple_health" else ["csv"], what="the sleep import",
    )  # fmt: skip
    if kind == "apple_health":
        st.caption(
            "In the Health app: your picture → Export All Health Data. Upload the export.zip as "
            "it comes: it is many times smaller than the export.xml inside it."
        )
    if upload is None or not st.button("Import", type="primary", key="sleep_import_go"):
        return
    bar = st.progress(0.0, text="Reading…")
    shown = [0]

    def progress(fraction: float) -> None:
        step = int(fraction * 100)
        if step > shown[0]:
            shown[0] = step
            bar.progress(step / 100, text=f"Reading… {step}%")

    try:
        result = app.sleep.import_file(
            user_id=user_id, kind=kind, source=upload, timezone=timezone, progress=progress
        )
    except InvalidInput as problem:
        bar.empty()
        st.warning(f"{problem} Nothing was imported.", icon=":material/info:")
        return
    bar.progress(1.0, text="Done")
    st.session_state[_NOTICE] = (
        f"Imported {result.added} new night{'s' if result.added != 1 else ''} "
        f"({result.found} in the file, {result.already} already in your diary)."
    )
    st.rerun()
