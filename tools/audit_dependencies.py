"""Audit the pinned requirements against an offline advisory database.

`python tools/audit_dependencies.py [requirements.txt ...]` checks every `name==version` pin
against the advisories shipped in the `safety-db` package (installed from PyPI, read offline:
this machine reaches package registries only, so online services such as pip-audit's cannot
answer). Exits 1 when a pin matches an advisory, listing each; 0 otherwise.

Limits, said plainly: safety-db's data is the PyUp.io public set as of its release (July 2021)
and is licensed for non-commercial use; advisories published since are not in it. It proves
the audit runs and catches what it knows; a deployment with network access should also run
`pip-audit -r requirements.txt`.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def advisory_database() -> tuple[dict[str, list[dict[str, Any]]], str]:
    """The advisories by package name, and a line saying how old they are."""
    spec = importlib.util.find_spec("safety_db")  # its __init__ is broken: read the data file
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("safety-db is not installed: pip install -r requirements.txt")
    path = Path(next(iter(spec.submodule_search_locations))) / "insecure_full.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    meta = data.pop("$meta", {})
    stamp = datetime.fromtimestamp(int(meta.get("timestamp", 0)), UTC).date().isoformat()
    return {_normal(name): entries for name, entries in data.items()}, stamp


def pins(requirements: Path) -> list[tuple[str, str]]:
    """Every `name==version` line of a requirements file."""
    found = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def vulnerable(
    pinned: list[tuple[str, str]], database: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """One line per (pin, advisory) the pin falls under."""
    hits = []
    for name, version in pinned:
        try:
            parsed = Version(version)
        except InvalidVersion:
            hits.append(f"{name}=={version}: not a version the audit can compare")
            continue
        for advisory in database.get(_normal(name), []):
            if any(_matches(parsed, spec) for spec in advisory.get("specs", [])):
                ident = advisory.get("cve") or advisory.get("id", "advisory")
                hits.append(f"{name}=={version}: {ident} (affected {advisory.get('v', '?')})")
    return hits


def _matches(version: Version, spec: str) -> bool:
    try:
        return version in SpecifierSet(spec)
    except InvalidSpecifier:
        return False


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(argv: list[str]) -> int:
    """Audit the given requirements files (default: the project's); returns the exit code."""
    files = [Path(arg) for arg in argv] or [ROOT / "requirements.txt"]
    database, stamp = advisory_database()
    pinned = [pin for file in files for pin in pins(file)]
    hits = vulnerable(pinned, database)
    for hit in hits:
        print(f"VULNERABLE {hit}")
    print(
        f"audited {len(pinned)} pinned packages against safety-db advisories of {stamp}: "
        f"{len(hits)} known vulnerable"
    )
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
