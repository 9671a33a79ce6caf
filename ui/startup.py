"""What a person sees when the app can't start: a kind reason and, always, the crisis numbers.

Nothing here needs the database or the app: crisis resources come from the shipped data file,
and every part is drawn on its own, so one failing part never hides the others.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from core.db.engine import DATABASE_FILE_GONE, DatabaseMissing, DatabaseUnavailable
from core.safety import CrisisResources, list_regions, resources_for
from ui.crisis import show_crisis_resources
from ui.errors import show_unexpected_error

log = logging.getLogger(__name__)

FALLBACK_REGION = "US"  # DEFAULT_REGION's own default, used when the settings can't load
CRISIS_MESSAGE = (
    "You don't need the app to talk to someone. If you're struggling right now, "
    "these people are there for you:"
)
_REGION_KEY = "startup_region"
_RETRY_KEY = "startup_retry"

T = TypeVar("T")


def startup_region() -> str:
    """The configured DEFAULT_REGION, or "US" when the settings themselves can't load."""
    try:
        from core.bootstrap import load_settings

        return load_settings().default_region
    except Exception:
        log.warning("settings unusable; crisis resources for the default region")
        return FALLBACK_REGION


def show_startup_failure(error: BaseException, region: str | None = None) -> None:
    """Draw the page for an app that failed to start with `error`. Never raises an error.

    `region` is the settings' DEFAULT_REGION when the caller has it; None reads it (or falls
    back to "US" when the settings are the failure). The person can pick another region.
    Streamlit's own flow (st.rerun, st.stop) passes through, as in ui.errors.kind_errors.
    """
    _safely(lambda: st.title("Companion"))
    _safely(lambda: _show_reason(error))
    default = region if region is not None else startup_region()
    _show_crisis(_safely(lambda: _pick_region(default)) or default)
    _safely(lambda: st.button("Try again", key=_RETRY_KEY, icon=":material/refresh:"))


def database_unavailable(error: BaseException) -> DatabaseUnavailable | None:
    """The DatabaseUnavailable behind `error` (itself, its cause or its context), if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, DatabaseUnavailable):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _show_reason(error: BaseException) -> None:
    unavailable = database_unavailable(error)
    if unavailable is None:
        _show_error_id(error)
        st.info("The app couldn't start. If you run it yourself, the server log says why.")
        return
    log.warning("app not started: database unavailable", extra={"error": type(error).__name__})
    # A missing SQLite file's own message names server paths: for the operator's log only.
    message = DATABASE_FILE_GONE if isinstance(unavailable, DatabaseMissing) else str(unavailable)
    st.warning(message, icon=":material/cloud_off:")


def _show_error_id(error: BaseException) -> None:
    """Log `error` with its traceback under a fresh error id, and show the kind message."""
    if sys.exc_info()[1] is error:
        show_unexpected_error()
        return
    try:  # called outside its except block: raise it again so the log line has its traceback
        raise error
    except BaseException:
        show_unexpected_error()


def _pick_region(default: str) -> str:
    default_code = resources_for(default).region
    regions = list_regions()
    codes = [code for code, _ in regions]
    if default_code not in codes:
        return default_code
    names = dict(regions)
    chosen = st.selectbox(
        "Helplines for",
        codes,
        index=codes.index(default_code),
        format_func=lambda code: names.get(code, code),
        key=_REGION_KEY,
    )
    return str(chosen or default_code)


def _show_crisis(region: str) -> None:
    resources: CrisisResources = resources_for(region)  # never raises; INTL when unknown
    try:
        show_crisis_resources(resources, message=CRISIS_MESSAGE)
    except ScriptControlException:
        raise
    except Exception:
        log.exception("crisis resources box failed; showing plain text")
        _safely(
            lambda: st.markdown(
                f"**Emergency: {resources.emergency_number}**. Helplines worldwide: "
                f"{resources.directory_url}"
            )
        )


def _safely(draw: Callable[[], T]) -> T | None:
    """Run one part of the page; a failure is logged and the rest still draws."""
    try:
        return draw()
    except ScriptControlException:  # st.rerun / st.stop are flow, not failures
        raise
    except Exception:
        log.exception("startup page part failed")
        return None
