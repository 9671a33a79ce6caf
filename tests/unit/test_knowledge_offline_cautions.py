"""The authoring rule for the offline cut (#12, clinical read 4, L12): when the offline answer shows
a technique that carries a physical risk, it shows that technique's caution too. A caution placed
after a list, or late in a long list, is cut off at 900 characters; it belongs in the list item
itself or in the opening paragraph."""

from __future__ import annotations

import re

import pytest

from core.chat.offline import _excerpt
from core.config import PROJECT_ROOT
from core.knowledge import KnowledgeEntry, load_entries

ENTRIES: list[KnowledgeEntry] = load_entries(PROJECT_ROOT / "data" / "knowledge")

# (technique, its risk words, the caution that must be shown with them). Kept short and clear:
# cold-water shock and breath holds (heart, lung and panic problems), sleep restriction (a floor on
# time in bed and the conditions it can harm), and going without food (eating disorders, diabetes).
RISKY_TECHNIQUES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "ice or cold water",
        re.compile(r"\b(ice|ice cubes?|icy|ice-cold|cold water|cold showers?)\b", re.I),
        re.compile(r"heart", re.I),
    ),
    (
        "breath holds",
        re.compile(
            r"\b(hold(ing)? (your|the) breath|breath[- ]?holds?|hold for (a count of )?"
            r"(\d|four|seven))\b",
            re.I,
        ),
        re.compile(r"asthma|COPD|heart|lung", re.I),
    ),
    (
        "sleep restriction",
        re.compile(
            r"\b(sleep restriction|restrict(ing)? (your )?time in bed|sleep window)\b", re.I
        ),
        re.compile(r"5(\.5)? hours|5 to 5\.5|bipolar|epilepsy", re.I),
    ),
    (
        "going without food",
        re.compile(r"\b(fasting|fast for (a|\d)|go(ing)? without food for)\b", re.I),
        re.compile(r"eating disorder|diabet", re.I),
    ),
)
# "Don't use ice", "cool (not icy) water", "no breath holds": a technique named only to rule it
# out carries no risk of its own.
NEGATED = re.compile(r"\b(not|no|don't|never|skip|avoid|without)\b[^.;:]{0,15}$", re.I)


def shown_risks(excerpt: str) -> list[str]:
    """The risky techniques an offline excerpt offers without their caution."""
    missing = []
    for name, risk, caution in RISKY_TECHNIQUES:
        offered = [m for m in risk.finditer(excerpt) if not NEGATED.search(excerpt[: m.start()])]
        if offered and not caution.search(excerpt):
            missing.append(name)
    return missing


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_a_risky_technique_in_the_offline_excerpt_carries_its_caution(
    entry: KnowledgeEntry,
) -> None:
    assert not shown_risks(_excerpt(entry.body)), entry.id


def test_the_rule_flags_a_stranded_caution_and_passes_a_kept_one() -> None:
    stranded = "Try a cold shower or holding ice.\n\n1. Splash cold water on your face."
    kept = "1. Hold an ice cube (skip this if you have a heart condition)."
    ruled_out = "1. Cool the burn under cool (not icy) running water. Don't use ice."
    breath = "1. Breathe in for 4, hold for 7, out for 8."
    assert shown_risks(stranded) == ["ice or cold water"]
    assert shown_risks(kept) == []
    assert shown_risks(ruled_out) == []
    assert shown_risks(breath) == ["breath holds"]
    assert shown_risks("1. Keep to a sleep window.") == ["sleep restriction"]
    assert shown_risks("1. Try fasting for a day.") == ["going without food"]
