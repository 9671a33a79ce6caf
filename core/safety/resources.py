"""Crisis helplines by region, loaded from `data/crisis_resources.yaml`.

The file is static, reviewed data, loaded once per process. If it cannot be read or is malformed
at runtime, every lookup falls back to a built-in international entry, so a crisis message still
gets resources: nothing in this module raises to its callers except `load_resources`, which tests
and tooling use to validate the file.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

log = logging.getLogger(__name__)

RESOURCES_PATH: Final = Path(__file__).resolve().parents[2] / "data" / "crisis_resources.yaml"
FALLBACK_REGION: Final = "INTL"
ALWAYS_OPEN: Final = "24/7"
DIRECTORY_URL: Final = "https://findahelpline.com"

_REGION_CODE_RE = re.compile(r"[A-Z]{2,4}")
# Common non-ISO spellings people and browsers use.
_REGION_ALIASES: Final = {"UK": "GB"}


@dataclass(frozen=True, slots=True)
class Helpline:
    """One service: how to reach it by phone, text message or web, and when it is open.

    `source`, `checked` and `verified` record the public page it was checked against, the date
    and how (see the header of `data/crisis_resources.yaml`); they are not shown to users.
    """

    name: str
    phone: str | None = None
    text: str | None = None
    url: str | None = None
    hours: str | None = None
    source: str | None = None
    checked: str | None = None
    verified: str | None = None

    @property
    def around_the_clock(self) -> bool:
        """True when the line answers 24 hours a day, every day."""
        return (self.hours or "").strip() == ALWAYS_OPEN


@dataclass(frozen=True, slots=True)
class CrisisResources:
    """Everything to show someone in crisis in one region."""

    region: str
    region_name: str
    emergency_number: str
    helplines: tuple[Helpline, ...]
    directory_url: str

    def alternative_to(self, helpline: Helpline) -> str:
        """What to use when `helpline` is closed: the region's 24/7 lines and the emergency number.

        Empty for a line that is itself open 24/7.
        """
        if helpline.around_the_clock:
            return ""
        others = [
            f"{line.name} ({line.phone or line.text or line.url})"
            for line in self.helplines
            if line.around_the_clock and line is not helpline
        ]
        return ", ".join([*others, f"emergency {self.emergency_number}"])


class ResourceFileError(ValueError):
    """The crisis resources file is missing, unreadable or malformed."""


BUILTIN_FALLBACK: Final = CrisisResources(
    region=FALLBACK_REGION,
    region_name="International",
    emergency_number="your local emergency number",
    helplines=(
        Helpline(
            name="Find A Helpline (free, confidential helplines in your country)",
            url=DIRECTORY_URL,
            hours=ALWAYS_OPEN,
        ),
    ),
    directory_url=DIRECTORY_URL,
)

_HELPLINE_KEYS: Final = frozenset(
    {"name", "phone", "text", "url", "hours", "source", "checked", "verified"}
)
_REGION_KEYS: Final = frozenset({"name", "emergency_number", "helplines"})


def _optional_str(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ResourceFileError(
            f"{where} must be a non-empty string (quote phone numbers), got {value!r}"
        )
    return value.strip()


def _required_str(value: object, where: str) -> str:
    result = _optional_str(value, where)
    if result is None:
        raise ResourceFileError(f"{where} is required")
    return result


def _parse_helpline(raw: object, where: str) -> Helpline:
    if not isinstance(raw, Mapping):
        raise ResourceFileError(f"{where} must be a mapping")
    unknown = set(raw) - _HELPLINE_KEYS
    if unknown:
        raise ResourceFileError(f"{where} has unknown keys {sorted(map(str, unknown))}")
    line = Helpline(
        name=_required_str(raw.get("name"), f"{where}.name"),
        phone=_optional_str(raw.get("phone"), f"{where}.phone"),
        text=_optional_str(raw.get("text"), f"{where}.text"),
        url=_optional_str(raw.get("url"), f"{where}.url"),
        hours=_optional_str(raw.get("hours"), f"{where}.hours"),
        source=_optional_str(raw.get("source"), f"{where}.source"),
        checked=_optional_str(raw.get("checked"), f"{where}.checked"),
        verified=_optional_str(raw.get("verified"), f"{where}.verified"),
    )
    if not (line.phone or line.text or line.url):
        raise ResourceFileError(f"{where} needs at least one of phone, text or url")
    if line.url is not None and not line.url.startswith("https://"):
        raise ResourceFileError(f"{where}.url must start with https://")
    return line


def _parse_region(code: object, raw: object, directory_url: str) -> CrisisResources:
    if not isinstance(code, str) or not _REGION_CODE_RE.fullmatch(code):
        raise ResourceFileError(f"region code {code!r} must be 2-4 uppercase letters")
    where = f"regions.{code}"
    if not isinstance(raw, Mapping):
        raise ResourceFileError(f"{where} must be a mapping")
    unknown = set(raw) - _REGION_KEYS
    if unknown:
        raise ResourceFileError(f"{where} has unknown keys {sorted(map(str, unknown))}")
    helplines_raw = raw.get("helplines", [])
    if helplines_raw is None:
        helplines_raw = []
    if not isinstance(helplines_raw, list):
        raise ResourceFileError(f"{where}.helplines must be a list")
    return CrisisResources(
        region=code,
        region_name=_required_str(raw.get("name"), f"{where}.name"),
        emergency_number=_required_str(raw.get("emergency_number"), f"{where}.emergency_number"),
        helplines=tuple(
            _parse_helpline(item, f"{where}.helplines[{i}]") for i, item in enumerate(helplines_raw)
        ),
        directory_url=directory_url,
    )


def parse_resources(data: Any) -> dict[str, CrisisResources]:
    """Validate already-parsed YAML and return resources keyed by region code.

    Raises `ResourceFileError` with the path of the first problem found.
    """
    if not isinstance(data, Mapping):
        raise ResourceFileError("top level must be a mapping with 'directory_url' and 'regions'")
    # Keys starting with "_" hold YAML anchors shared between regions.
    unknown = {k for k in data if not (isinstance(k, str) and k.startswith("_"))} - {
        "version",
        "directory_url",
        "regions",
    }
    if unknown:
        raise ResourceFileError(f"unknown top-level keys {sorted(map(str, unknown))}")
    directory_url = _required_str(data.get("directory_url"), "directory_url")
    if not directory_url.startswith("https://"):
        raise ResourceFileError("directory_url must start with https://")
    regions = data.get("regions")
    if not isinstance(regions, Mapping) or not regions:
        raise ResourceFileError("'regions' must be a non-empty mapping")
    table = {str(code): _parse_region(code, raw, directory_url) for code, raw in regions.items()}
    if FALLBACK_REGION not in table:
        raise ResourceFileError(f"regions must include the {FALLBACK_REGION} fallback")
    return table


def load_resources(path: Path | None = None) -> dict[str, CrisisResources]:
    """Read and validate a crisis resources file (default: the shipped one).

    Raises `ResourceFileError` if the file is missing, not YAML, or fails validation.
    """
    path = RESOURCES_PATH if path is None else path
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceFileError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ResourceFileError(f"{path} is not valid YAML: {exc}") from exc
    try:
        return parse_resources(data)
    except ResourceFileError as exc:
        raise ResourceFileError(f"{path}: {exc}") from exc


_lock = threading.Lock()
_table: dict[str, CrisisResources] | None = None


def _get_table() -> dict[str, CrisisResources]:
    global _table
    table = _table
    if table is not None:
        return table
    with _lock:
        if _table is None:
            try:
                _table = load_resources()
            except Exception:
                # Never let a broken data file stop crisis resources from being shown.
                log.exception("crisis resources file unusable; using built-in fallback")
                _table = {FALLBACK_REGION: BUILTIN_FALLBACK}
        return _table


def reset_cache() -> None:
    """Forget the loaded table so the next lookup re-reads the file (for tests and reloads)."""
    global _table
    with _lock:
        _table = None


def normalize_region(region: object) -> str | None:
    """Turn "gb", " us ", "en-GB" or "UK" into an uppercase region code; None if unusable."""
    if not isinstance(region, str):
        return None
    code = region.strip().upper().replace("_", "-")
    if "-" in code:
        code = code.rsplit("-", 1)[-1]
    code = _REGION_ALIASES.get(code, code)
    return code if _REGION_CODE_RE.fullmatch(code) else None


def resources_for(region: str | None) -> CrisisResources:
    """Crisis resources for a region code (case-insensitive); the INTL entry if unknown or None.

    Never raises.
    """
    try:
        table = _get_table()
        code = normalize_region(region)
        if code is not None and code in table:
            return table[code]
        return table.get(FALLBACK_REGION, BUILTIN_FALLBACK)
    except Exception:
        log.exception("crisis resources lookup failed; using built-in fallback")
        return BUILTIN_FALLBACK


def list_regions() -> list[tuple[str, str]]:
    """(code, display name) for every region, sorted by name, for a settings dropdown."""
    return sorted(
        ((code, res.region_name) for code, res in _get_table().items()),
        key=lambda item: (item[1].casefold(), item[0]),
    )
