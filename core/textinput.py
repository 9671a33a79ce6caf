"""Text as it arrives at the boundary: what Python strings allow but nothing downstream can
store or send (lone UTF-16 surrogates, e.g. from a broken paste or a hostile client)."""

from __future__ import annotations

import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_lone_surrogates(text: str) -> bool:
    """True when `text` holds a code point UTF-8 cannot encode."""
    return _LONE_SURROGATE.search(text) is not None


def replace_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, so it can be encoded and stored."""
    return _LONE_SURROGATE.sub(REPLACEMENT, text)
