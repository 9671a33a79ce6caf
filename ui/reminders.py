"""Widgets of the Reminders page: the WhatsApp link, the new-reminder form, the list, nudges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import streamlit as st

from core.bootstrap import App
from core.errors import InvalidInput, NotFound
from core.reminders.messages import CHANNEL_LABELS, CHANNELS, KIND_LABELS, KINDS
from core.reminders.schedules import ReminderSpec, ReminderView
from core.reminders.triggers import TriggerChoice
from core.rendering import escape_markdown

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_NOTE = "reminders_note"


def act(action: Callable[[], object], done: str) -> None:
    """Run a change; a kind error stays on the page, success shows after the rerun."""
    try:
        action()
    except (InvalidInput, NotFound) as error:
        st.error(str(error))
    else:
        st.session_state[_NOTE] = done
        st.rerun()


def show_note() -> None:
    """The success note of the last change, once."""
    note = st.session_state.pop(_NOTE, None)
    if note:
        st.success(note)


def whatsapp_link(app: App, user_id: str, region: str) -> None:
    """Link, verify or unlink the person's WhatsApp number."""
    link = app.whatsapp.status(user_id)
    if link is not None and link.verified:
        state = " (paused: you sent STOP)" if link.opted_out else ""
        st.write(f"Linked: **{escape_markdown(link.masked_phone)}**{state}")
        if st.button("Unlink this number", key="wa_unlink"):
            act(lambda: app.whatsapp.unlink(user_id), "Your number is unlinked.")
        return
    with st.form("wa_link_form", border=False):
        phone = st.text_input("WhatsApp number", placeholder="+44 7911 123456", key="wa_phone")
        if st.form_submit_button("Send me a code", key="wa_send"):
            act(lambda: app.whatsapp.start(user_id, phone, region=region), "Code sent.")
    if link is not None and link.code_pending:
        with st.form("wa_code_form", border=False):
            code = st.text_input("The 6-digit code we sent", max_chars=6, key="wa_code")
            if st.form_submit_button("Verify", type="primary", key="wa_verify"):
                act(lambda: app.whatsapp.confirm(user_id, code), "Your number is verified.")


def new_reminder_form(app: App, user_id: str, timezone: str) -> None:
    """Create a reminder in the person's time zone."""
    with st.form("reminder_form", border=True):
        st.subheader("New reminder")
        kind = st.selectbox("For", KINDS, format_func=KIND_LABELS.__getitem__, key="rem_kind")
        channel = st.selectbox(
            "How", CHANNELS, format_func=CHANNEL_LABELS.__getitem__, key="rem_channel"
        )
        at = st.time_input("At", value=time(9, 0), step=900, key="rem_time")
        days = st.multiselect("On", DAYS, default=DAYS, key="rem_days")
        message = st.text_input("Your words (for “My own words”)", max_chars=300, key="rem_text")
        email = st.text_input("Email address (for email)", key="rem_email")
        quiet = st.checkbox("Quiet hours (hold reminders until they end)", key="rem_quiet")
        left, right = st.columns(2)
        quiet_from = left.time_input("Quiet from", value=time(22, 0), key="rem_q_from")
        quiet_to = right.time_input("Quiet until", value=time(7, 0), key="rem_q_to")
        st.caption(f"Times are in your time zone, {escape_markdown(timezone)} (see Settings).")
        if st.form_submit_button("Add reminder", type="primary", key="rem_add"):
            spec = ReminderSpec(
                kind=kind,
                channel=channel,
                time_of_day=at.strftime("%H:%M"),
                days_of_week="".join(str(DAYS.index(d)) for d in days),
                timezone=timezone,
                quiet_start=quiet_from.strftime("%H:%M") if quiet else None,
                quiet_end=quiet_to.strftime("%H:%M") if quiet else None,
                message=message,
                email=email,
            )
            act(lambda: app.reminders.create(user_id, spec), "Reminder added.")


def reminder_row(app: App, user_id: str, reminder: ReminderView) -> None:
    """One reminder with Pause/Resume and Delete."""
    days = ", ".join(DAYS[int(d)] for d in reminder.days_of_week)
    quiet = f" · quiet {reminder.quiet_start}–{reminder.quiet_end}" if reminder.quiet_start else ""
    with st.container(border=True):
        text, pause, delete = st.columns([6, 2, 2])
        state = "" if reminder.active else " · **paused**"
        text.markdown(
            f"**{reminder.label}** at {reminder.time_of_day} ({days}) by "
            f"{CHANNEL_LABELS.get(reminder.channel, reminder.channel)}{quiet}{state}"
        )
        if reminder.message:
            text.caption(escape_markdown(reminder.message))
        if reminder.active and pause.button("Pause", key=f"rem_pause_{reminder.id}"):
            act(lambda: app.reminders.pause(user_id, reminder.id), "Paused.")
        if not reminder.active and pause.button("Resume", key=f"rem_resume_{reminder.id}"):
            act(lambda: app.reminders.resume(user_id, reminder.id), "Resumed.")
        if delete.button("Delete", key=f"rem_delete_{reminder.id}"):
            act(lambda: app.reminders.delete(user_id, reminder.id), "Deleted.")


def nudges_form(app: App, user_id: str) -> None:
    """Turn the gentle trigger-based nudges on or off."""
    current = app.triggers.get(user_id)
    with st.form("nudges_form", border=True):
        st.subheader("Gentle nudges")
        st.caption(
            "At most one a day, always in the app, and by WhatsApp or email too if you choose "
            "(once your number is linked, or you have an email reminder). Worded gently; turn "
            "them off any time."
        )
        quiet_days = st.checkbox(
            "When I haven't checked in for a while",
            value=current.no_checkin_days is not None,
            key="nudge_days_on",
        )
        days = st.number_input("Days", 1, 60, current.no_checkin_days or 3, key="nudge_days")
        drop_on = st.checkbox(
            "When my 3-day mood average drops",
            value=current.mood_drop is not None,
            key="nudge_drop_on",
        )
        drop = st.number_input(
            "By at least (points)", 0.5, 9.0, current.mood_drop or 2.0, step=0.5, key="nudge_drop"
        )
        streak = st.checkbox(
            "When my check-in streak is about to break", value=current.streak, key="nudge_streak"
        )
        channel = st.selectbox(
            "Also send them by",
            CHANNELS,
            index=CHANNELS.index(current.channel) if current.channel in CHANNELS else 0,
            format_func=lambda c: "Only in the app" if c == "in_app" else CHANNEL_LABELS[c],
            key="nudge_channel",
        )
        if st.form_submit_button("Save nudges", key="nudge_save"):
            choice = TriggerChoice(
                int(days) if quiet_days else None,
                float(drop) if drop_on else None,
                streak,
                str(channel),
            )
            act(lambda: app.triggers.set(user_id, choice), "Nudges saved.")
