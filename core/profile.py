"""A user's profile and preferences (display name, crisis-resource region, time zone, locale)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from sqlalchemy.engine import Engine

from core.auth import clean_display_name
from core.db.engine import session_scope
from core.db.models import UserPreferences
from core.passwords import PolicyError
from core.timeutil import utcnow

SUPPORTED_LOCALES = ("en", "es", "fr", "de")


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the settings page shows and edits."""

    display_name: str
    region: str
    timezone: str
    locale: str


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Every IANA time-zone name, sorted."""
    return tuple(sorted(available_timezones()))


class ProfileService:
    """Reads and updates preferences, always for the given user only."""

    def __init__(self, *, engine: Engine, known_regions: frozenset[str]) -> None:
        self._engine = engine
        self._regions = known_regions

    def get(self, *, user_id: str) -> Preferences:
        """The user's preferences (defaults if the row is missing)."""
        with session_scope(self._engine) as session:
            row = session.get(UserPreferences, user_id) or UserPreferences(user_id=user_id)
            return Preferences(row.display_name, row.region, row.timezone, row.locale)

    def update(self, *, user_id: str, preferences: Preferences) -> Preferences:
        """Validate and save; raise PolicyError with a kind message on bad values."""
        name = clean_display_name(preferences.display_name)
        if not name:
            raise PolicyError("Please enter a name we can greet you by.")
        region = preferences.region.upper()
        if region not in self._regions:
            raise PolicyError("Please pick a region from the list.")
        if preferences.timezone not in time_zones():
            raise PolicyError("Please pick a time zone from the list.")
        if preferences.locale not in SUPPORTED_LOCALES:
            raise PolicyError("Please pick a language from the list.")
        with session_scope(self._engine) as session:
            row = session.get(UserPreferences, user_id) or UserPreferences(user_id=user_id)
            row.display_name, row.region = name, region
            row.timezone, row.locale = preferences.timezone, preferences.locale
            row.updated_at = utcnow()
            session.add(row)
        return Preferences(name, region, preferences.timezone, preferences.locale)
