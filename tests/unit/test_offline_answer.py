"""The answer built from the guides when the language model can't answer."""

from __future__ import annotations

from core.chat import offline_answer
from core.knowledge import KnowledgeEntry
from core.ports import SearchHit

BODY = """Worry often gets louder at night.

Some background that matters less when you're struggling right now.

**Try this tonight**

1. Write the worry down.
2. Write one next step.

**Later in the week**"""


def _hit(body: str = BODY) -> SearchHit:
    entry = KnowledgeEntry("sleep-x", "Quieting night worries", "sleep", ("sleep",), "NHS", body)
    return SearchHit(entry.id, entry.title, entry.topic, 0.7, entry)


def test_the_offline_answer_gives_the_opening_and_the_steps() -> None:
    text = offline_answer([_hit()])
    assert "Quieting night worries" in text
    assert "Worry often gets louder" in text and "1. Write the worry down." in text
    assert "**Try this tonight**" in text


def test_the_offline_answer_never_ends_on_a_dangling_heading() -> None:
    assert not offline_answer([_hit()]).rstrip().endswith("**Later in the week**")


def test_with_no_guides_the_offline_answer_still_helps_and_points_to_people() -> None:
    text = offline_answer([])
    assert "breath" in text and "someone you trust" in text


def test_after_a_partial_answer_the_fallback_says_what_happened() -> None:
    assert "lost my connection" in offline_answer([_hit()], after_partial=True)
