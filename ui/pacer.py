"""The breathing pacer: a small static HTML/JS component that keeps time in the browser.

The page passes a pattern's phases, the session length and a run id; the component leads the
breath (an orb that grows and shrinks, the phase named and counted down, an optional soft tone
made with WebAudio) and answers once, when the session is done or stopped. It honours the
browser's reduced-motion setting and loads nothing from outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import streamlit.components.v1 as components

from core.breathing import Pattern

_FRONTEND = Path(__file__).resolve().parent / "pacer_frontend"
_pacer = components.declare_component("breathing_pacer", path=str(_FRONTEND))


@dataclass(frozen=True, slots=True)
class PacerEvent:
    """What the pacer reported: the session finished or was stopped, after `seconds`."""

    event: Literal["done", "stopped"]
    seconds: int


def session_length(pattern: Pattern, seconds: int) -> int:
    """The chosen length rounded to whole breaths (at least one), so a session ends on an out."""
    breaths = max(1, round(seconds / pattern.cycle_seconds))
    return round(breaths * pattern.cycle_seconds)


def pacer(pattern: Pattern, seconds: int, *, run: str, key: str) -> PacerEvent | None:
    """Draw the pacer for one run; the run's outcome once the browser reports it."""
    phases = [
        {"kind": phase.kind, "seconds": phase.seconds, "label": phase.label}
        for phase in pattern.phases
    ]
    value = _pacer(phases=phases, seconds=seconds, run=run, key=key, default=None)
    if not isinstance(value, dict) or value.get("run") != run:
        return None
    event, elapsed = value.get("event"), value.get("seconds")
    if event not in ("done", "stopped") or not isinstance(elapsed, int | float):
        return None
    return PacerEvent(event, max(0, min(int(elapsed), seconds)))
