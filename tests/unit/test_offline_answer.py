"""The answer built from the guides when the language model can't answer."""

from __future__ import annotations

from core.chat import offline_answer
from core.config import PROJECT_ROOT
from core.knowledge import KnowledgeEntry, load_entries
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


def test_with_no_guides_the_offline_answer_still_gives_the_emergency_tier() -> None:
    """Clinical read 4: the no-match text stands on its own, without the crisis panel."""
    for text in (offline_answer([]), offline_answer([], after_partial=True)):
        assert "If you might act on thoughts of harming yourself" in text
        assert "call your local emergency number now" in text


def test_after_a_partial_answer_the_fallback_says_what_happened() -> None:
    assert "lost my connection" in offline_answer([_hit()], after_partial=True)


def _entry_hit(entry: KnowledgeEntry) -> SearchHit:
    return SearchHit(entry.id, entry.title, entry.topic, 0.7, entry)


def test_the_safety_note_is_always_shown_with_each_guide() -> None:
    long_steps = "\n".join(
        f"{n}. A step with quite a lot of words in it, number {n}." for n in range(40)
    )
    entry = KnowledgeEntry(
        "sleep-x",
        "Quieting night worries",
        "sleep",
        ("sleep",),
        "CBT-I",
        f"Worry often gets louder at night; see a doctor if it lasts.\n\n{long_steps}",
        safety_note="Loud snoring with gasping can be sleep apnoea: see a GP or family doctor.",
    )

    text = offline_answer([_entry_hit(entry), _hit()])

    assert "**Safety:** Loud snoring with gasping can be sleep apnoea" in text
    assert "see a doctor if it lasts." in text  # the opening paragraph, kept whole
    assert "number 39" not in text  # the steps are cut, never the opening or the note


def test_every_shipped_entry_shows_its_safety_note_and_whole_first_paragraph() -> None:
    entries = load_entries(PROJECT_ROOT / "data" / "knowledge")

    for entry in entries:
        text = offline_answer([_entry_hit(entry)])
        assert entry.safety_note in text, entry.id
        assert entry.first_paragraph in text, entry.id


def test_the_offline_panic_answer_warns_about_chest_pain_before_any_reassurance() -> None:
    entries = {e.id: e for e in load_entries(PROJECT_ROOT / "data" / "knowledge")}
    panic = entries["anxiety-panic-attack-what-to-do"]

    text = offline_answer([_entry_hit(panic)])

    assert "Chest pain that is new, spreads to your arm, jaw or back" in text
    assert text.index("Chest pain") < text.index("it will pass")
