"""In-app notifications: reminders, gentle nudges and "couldn't deliver" notes, with read state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from core.db.models import Notification
from core.store import UserStore

MAX_SHOWN = 20


@dataclass(frozen=True, slots=True)
class NotificationView:
    """A decrypted notification."""

    id: str
    kind: str
    body: str
    created_at: datetime
    read: bool


class NotificationService:
    """A person's in-app notifications, through the per-user store."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store

    def recent(self, user_id: str, *, limit: int = MAX_SHOWN) -> list[NotificationView]:
        """The newest notifications, read or not."""
        with self._store.unit(user_id) as unit:
            return [
                NotificationView(
                    n.id, n.kind, unit.open(n, "body_ct") or "", n.created_at, n.read_at is not None
                )
                for n in unit.list(Notification, limit=limit)
            ]

    def unread_count(self, user_id: str) -> int:
        """How many are unread (the sidebar's badge)."""
        with self._store.unit(user_id) as unit:
            count = unit.session.exec(
                select(sa.func.count())
                .select_from(Notification)
                .where(col(Notification.user_id) == user_id)
                .where(col(Notification.read_at).is_(None))
            ).one()
            return int(count)

    def mark_read(self, user_id: str, notification_id: str) -> None:
        """Mark one as read; `NotFound` if it isn't this person's."""
        with self._store.unit(user_id) as unit:
            row = unit.get(Notification, notification_id, missing="That note is gone already.")
            row.read_at = row.read_at or unit.now()

    def mark_all_read(self, user_id: str) -> None:
        """Mark every unread one as read."""
        with self._store.unit(user_id) as unit:
            for row in unit.list(Notification, where=[col(Notification.read_at).is_(None)]):
                row.read_at = unit.now()
