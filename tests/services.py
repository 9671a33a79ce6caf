"""Outside services some tests need (MySQL, Chromium).

In CI (CI=true) a missing service fails the run: those tests must run there. On a developer
machine without it, the test is skipped with the reason.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def service_missing(reason: str) -> NoReturn:
    """Fail in CI, skip elsewhere, saying which service is missing and how to get it."""
    if IN_CI:
        pytest.fail(f"{reason}; CI requires it")
    pytest.skip(reason)
