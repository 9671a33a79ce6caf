"""In-app notifications on Home (with read state) and their count in the sidebar."""

from __future__ import annotations

import streamlit as st

from core.bootstrap import App
from core.rendering import escape_markdown

_ICONS = {"reminder": ":material/alarm:", "nudge": ":material/favorite:"}


def sidebar_count(app: App, user_id: str) -> None:
    """How many notifications are unread, under the name (nothing when none).

    A caption, not a page link: the sidebar is drawn before `st.navigation` registers pages.
    """
    unread = app.notifications.unread_count(user_id)
    if unread:
        noun = "notification" if unread == 1 else "notifications"
        st.caption(f":material/notifications: **{unread}** unread {noun} on Home")


def notification_list(app: App, user_id: str) -> None:
    """The latest notifications, unread ones marked, with "Mark all as read"."""
    notes = app.notifications.recent(user_id, limit=10)
    if not notes:
        return
    unread = [n for n in notes if not n.read]
    with st.container(border=True):
        st.subheader("Notifications")
        for note in notes:
            icon = _ICONS.get(note.kind, ":material/info:")
            marker = "**New** · " if not note.read else ""
            st.markdown(f"{icon} {marker}{escape_markdown(note.body)}")
            st.caption(note.created_at.strftime("%d %b %H:%M UTC"))
        if unread and st.button("Mark all as read", key="notes_read_all"):
            app.notifications.mark_all_read(user_id)
            st.rerun()
