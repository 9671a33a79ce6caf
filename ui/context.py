"""What every page needs, resolved once per run by Home.py: the app, the user, their preferences.

Pages call `page_context()` instead of fetching the user or profile again.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.auth import AuthUser
from core.bootstrap import App
from core.profile import Preferences
from core.safety import CrisisResources, resources_for

_KEY = "page_context"


@dataclass(frozen=True)
class PageContext:
    """The logged-in person's view of the app for this run."""

    app: App
    user: AuthUser
    preferences: Preferences

    @property
    def resources(self) -> CrisisResources:
        """Crisis resources for the person's region."""
        return resources_for(self.preferences.region)


def resolve(app: App, user: AuthUser) -> PageContext:
    """Look the person's preferences up once and keep the context for this run's page."""
    context = PageContext(app, user, app.profile.get(user_id=user.id))
    st.session_state[_KEY] = context
    return context


def forget() -> None:
    """No one is logged in this run."""
    st.session_state.pop(_KEY, None)


def page_context() -> PageContext:
    """The context Home.py resolved this run; stops the page if no one is logged in."""
    context: PageContext | None = st.session_state.get(_KEY)
    if context is None:
        st.stop()
    assert context is not None
    return context
