"""The streamed answer on the page: "thinking" while the model is silent, then its words.

The stream yields "" while the model has said nothing yet; each of those redraws the thinking
line, which also lets Streamlit notice a click on Stop within a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import streamlit as st

_DOTS = ("", ".", "..", "...")


def with_thinking_line(stream: Iterable[str], label: str = "Thinking") -> Iterator[str]:
    """Pass the text on to `st.write_stream`; show a live thinking line until it starts."""
    line = st.empty()
    ticks = 0
    started = False
    for piece in stream:
        if piece:
            if not started:
                line.empty()
                started = True
            yield piece
        elif not started:
            line.caption(f":material/hourglass_top: {label}{_DOTS[ticks % len(_DOTS)]}")
            ticks += 1
    line.empty()  # not in a `finally`: after Stop the script is gone and must not draw
