"""That a safety screen ran: its level (encrypted: "crisis" says who had one), source and time.

Every feature that screens what a person writes (chat, journal, later WhatsApp) keeps one such
row in the same unit of work as what it saved.
"""

from __future__ import annotations

from datetime import datetime

from core.db.models import SafetyEvent
from core.safety import Level
from core.store import UserUnit


def record_screening(
    unit: UserUnit, level: Level, *, source: str, at: datetime | None = None
) -> None:
    """Add a SafetyEvent for this unit's user: `level` sealed, `source` and time plain."""
    event = SafetyEvent(user_id=unit.user_id, source=source, created_at=at or unit.now())
    unit.seal(event, "level_ct", level)
    unit.add(event)
