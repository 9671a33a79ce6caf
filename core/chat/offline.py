"""Answers made from the knowledge base, for when the language model can't answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.ports import SearchHit


def offline_answer(hits: Sequence[SearchHit], *, after_partial: bool = False) -> str:
    """An answer made from the retrieved entries, for when the language model can't answer."""
    opening = (
        "\n\nI lost my connection part-way through, so here is something from the guides instead."
        if after_partial
        else "I can't reach my language model right now, so here is something from the guides "
        "that may help."
    )
    if not hits:
        return (
            opening + " Try a few slow breaths: in for 4, out for 6, for a minute or two. "
            "If things feel like too much, please reach out to someone you trust or a helpline. "
            "If you might act on thoughts of harming yourself, call your local emergency number "
            "now."
        )
    parts = [opening]
    for hit in hits[:2]:
        parts.append(f"\n\n**{hit.title}**\n\n{_excerpt(hit.entry.body)}")
        if hit.entry.safety_note:
            parts.append(f"\n\n**Safety:** {hit.entry.safety_note}")
    return "".join(parts)


def _excerpt(body: str, limit: int = 900) -> str:
    """What helps most when read alone: the guide's whole opening paragraph (which carries its
    must-keep safety sentence) and its first list of steps (with the line introducing it),
    the steps cut to `limit` characters at a line end, never ending on a dangling heading."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    if not paragraphs:
        return ""
    if _is_list(paragraphs[0]):
        return _cut(paragraphs[0], limit)
    steps = next((i for i, p in enumerate(paragraphs) if _is_list(p)), None)
    if steps is None:
        rest = paragraphs[1:2]
    else:
        lead = [paragraphs[steps - 1]] if steps > 1 and _is_lead_in(paragraphs[steps - 1]) else []
        rest = [*lead, paragraphs[steps]]
    more = _cut("\n\n".join(rest), limit)
    return "\n\n".join(part for part in (paragraphs[0], more) if part)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit("\n", 1)[0]


def _is_list(paragraph: str) -> bool:
    return bool(re.match(r"^(?:\d+[.)]|[-*•]) ", paragraph))


def _is_lead_in(paragraph: str) -> bool:
    return len(paragraph) < 120 and not paragraph.rstrip("*").endswith((".", "!", "?"))
