"""Builders for test data."""

from __future__ import annotations

import itertools

from core.auth import AuthUser
from core.bootstrap import App

GOOD_PASSWORD = "quiet river lantern 42"
_counter = itertools.count()


def make_user(app: App, name: str | None = None, password: str = GOOD_PASSWORD) -> AuthUser:
    """Register a user with a valid password."""
    username = name or f"user{next(_counter)}"
    return app.auth.register(username=username, password=password, display_name=username.title())
