"""The errors every feature raises; pages catch these two and show their message kindly."""

from __future__ import annotations


class InvalidInput(ValueError):
    """Input that breaks a rule (empty, too long, a weak password…); the message is for the
    person and never quotes what they wrote."""


class NotFound(LookupError):
    """No such row for this user (it may exist for someone else; we don't say)."""
