"""The security audit log: what happened and to whom, never message text or typed secrets."""

from __future__ import annotations

import logging
from enum import StrEnum

from sqlmodel import Session

from core.db.models import AuditEvent
from core.logging_setup import current_request_id

log = logging.getLogger(__name__)


class AuditAction(StrEnum):
    """Security events worth keeping."""

    REGISTERED = "registered"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    IDLE_LOGOUT = "idle_logout"
    SESSIONS_REVOKED = "sessions_revoked"
    PASSWORD_CHANGED = "password_changed"
    EXPORT = "export"
    ACCOUNT_DELETED = "account_deleted"


def record(session: Session, action: AuditAction, *, user_id: str | None, detail: str = "") -> None:
    """Add an audit row in the caller's transaction and log the event (ids only)."""
    session.add(
        AuditEvent(
            user_id=user_id,
            event=action.value,
            detail=detail[:200],
            request_id=current_request_id(),
        )
    )
    log.info("audit", extra={"event": action.value, "user_id": user_id})
