"""A user's profile and preferences (display name, crisis-resource region, time zone, locale)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from core.auth import clean_display_name
from core.db.models import UserPreferences
from core.errors import InvalidInput
from core.store import UserStore

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

    def __init__(self, *, store: UserStore, known_regions: frozenset[str]) -> None:
        self._store = store
        self._regions = known_regions

    def get(self, *, user_id: str) -> Preferences:
        """The user's preferences (defaults if the row is missing)."""
        with self._store.unit(user_id) as unit:
            row = unit.session.get(UserPreferences, user_id) or UserPreferences(user_id=user_id)
            return Preferences(row.display_name, row.region, row.timezone, row.locale)

    def update(self, *, user_id: str, preferences: Preferences) -> Preferences:
        """Validate and save; raise InvalidInput with a kind message on bad values."""
        name = clean_display_name(preferences.display_name)
        if not name:
            raise InvalidInput("Please enter a name we can greet you by.")
        region = preferences.region.upper()
        if region not in self._regions:
            raise InvalidInput("Please pick a region from the list.")
        if preferences.timezone not in time_zones():
            raise InvalidInput("Please pick a time zone from the list.")
        if preferences.locale not in SUPPORTED_LOCALES:
            raise InvalidInput("Please pick a language from the list.")
        with self._store.unit(user_id) as unit:
            row = unit.session.get(UserPreferences, user_id) or UserPreferences(user_id=user_id)
            row.display_name, row.region = name, region
            row.timezone, row.locale = preferences.timezone, preferences.locale
            row.updated_at = unit.now()
            unit.add(row)
        return Preferences(name, region, preferences.timezone, preferences.locale)
