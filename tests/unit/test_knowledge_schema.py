"""Every shipped knowledge entry meets the reviewed schema (#12): full front matter, controlled
tags, sources, a short safety note that the first paragraph backs up, and no near-duplicates."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter

import pytest

from core.config import PROJECT_ROOT
from core.knowledge.corpus import (
    AUDIENCES,
    SAFETY_NOTE_MAX,
    KnowledgeEntry,
    Topic,
    load_entries,
    load_topics,
)

SHIPPED_KB = PROJECT_ROOT / "data" / "knowledge"
TOPICS: dict[str, Topic] = load_topics(SHIPPED_KB / "topics")
ENTRIES: list[KnowledgeEntry] = load_entries(SHIPPED_KB, TOPICS)
# Two entries whose bodies share this much of their vocabulary say the same thing twice: the
# pairs merged in #12 scored 0.46 (problem solving) and 0.36 (behavioural activation); the
# closest distinct pair (a panic guide and a breathing technique for panic) scores 0.34.
NEAR_DUPLICATE_JACCARD = 0.35
_WORD = re.compile(r"[a-z']+")
# Services that exist in one country only belong in data/crisis_resources.yaml, not in bodies.
NAMED_SERVICES = re.compile(
    r"\b(Samaritans|NHS|Shout|988|Lifeline|Mind(?! reading)|IAPT|Cruse|Relate|YoungMinds)\b"
)


def _ids() -> list[str]:
    return [e.id for e in ENTRIES]


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids())
def test_every_entry_has_the_full_reviewed_front_matter(entry: KnowledgeEntry) -> None:
    assert entry.sources and all(len(s) > 10 for s in entry.sources), entry.id
    assert entry.safety_note and len(entry.safety_note) <= SAFETY_NOTE_MAX, entry.id
    assert 3 <= len(entry.people_say) <= 8, entry.id
    assert entry.audience in AUDIENCES
    assert entry.region == "any" or re.fullmatch(r"[A-Z]{2}", entry.region)
    assert isinstance(entry.reviewed, dt.date) and entry.reviewer.strip()
    assert entry.id.startswith(f"{entry.topic}-")
    assert (SHIPPED_KB / f"{entry.id}.md").is_file()


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids())
def test_every_tag_comes_from_its_topics_controlled_list(entry: KnowledgeEntry) -> None:
    assert entry.tags and set(entry.tags) <= set(TOPICS[entry.topic].tags), entry.id


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids())
def test_the_first_paragraph_carries_the_gist_and_is_short_enough_to_show(
    entry: KnowledgeEntry,
) -> None:
    first = entry.first_paragraph
    assert 80 <= len(first) <= 900, (entry.id, len(first))
    assert not first.startswith(("#", "-", "1.")), entry.id


# Where to turn when self-help is not enough: the must-keep sentence of an opening paragraph.
HELP_POINTER = re.compile(
    r"emergency|crisis line|doctor|clinician|abuse service|unsafe|not safe|danger|urgent", re.I
)


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids())
def test_the_opening_paragraph_says_when_to_get_help(entry: KnowledgeEntry) -> None:
    assert HELP_POINTER.search(entry.first_paragraph), entry.id
    assert HELP_POINTER.search(entry.safety_note) or "GP" in entry.safety_note, entry.id


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids())
def test_bodies_say_gp_or_family_doctor_and_name_no_national_service(
    entry: KnowledgeEntry,
) -> None:
    text = f"{entry.body}\n{entry.safety_note}"
    bare_gp = re.findall(r"\bGPs?\b(?! or family doctor)(?!s? or family doctors?)", text)
    assert not bare_gp, f"{entry.id}: say 'GP or family doctor'"
    assert not NAMED_SERVICES.findall(text), entry.id
    assert "ICD-10" not in text and "ICD-10" not in entry.basis, entry.id


def test_every_topic_tag_is_used_and_few_tags_are_used_once() -> None:
    used = Counter(tag for e in ENTRIES for tag in e.tags)
    for topic in TOPICS.values():
        if not any(e.topic == topic.id for e in ENTRIES):
            continue  # a topic still being written has no entries to use its tags yet
        unused = [t for t in topic.tags if t not in used]
        assert not unused, f"{topic.id}: tags never used: {unused}"
    once = [t for t, n in used.items() if n == 1]
    assert len(once) <= len(used) // 3, f"too many single-use tags: {once}"


def _words(entry: KnowledgeEntry) -> set[str]:
    return set(_WORD.findall(entry.body.lower()))


def test_no_two_entries_are_near_duplicates() -> None:
    vocab = {e.id: _words(e) for e in ENTRIES}
    close = []
    for a, b in itertools.combinations(ENTRIES, 2):
        overlap = len(vocab[a.id] & vocab[b.id]) / len(vocab[a.id] | vocab[b.id])
        if overlap >= NEAR_DUPLICATE_JACCARD:
            close.append((a.id, b.id, round(overlap, 2)))
    titles = Counter(e.title.lower() for e in ENTRIES)
    assert not close, close
    assert not [t for t, n in titles.items() if n > 1]


def test_people_say_phrases_are_not_shared_between_entries() -> None:
    said = Counter(p.lower() for e in ENTRIES for p in e.people_say)
    assert not [p for p, n in said.items() if n > 1]


BY_ID = {e.id: e for e in ENTRIES}
CRISIS_ENTRIES = [e for e in ENTRIES if e.topic == "crisis-support"]
# (entry, words that must all appear in its opening paragraph or safety note), from the clinical
# review in #12: what an offline reader must never miss.
MUST_SAY = [
    (
        "sleep-stimulus-control",
        ("5 to 5.5 hours", "clinician", "CBT-I programme", "bipolar", "epilepsy", "sleep apnoea",
         "parasomnia", "pregnant", "falls", "drive"),
    ),
    (
        "crisis-support-helping-a-friend-in-crisis",
        ("promise", "secret", "overdose", "even if they seem fine", "under 18", "trusted adult"),
    ),
    ("anxiety-panic-attack-what-to-do", ("arm, jaw or back", "heart condition", "emergency")),
    ("breathing-during-panic", ("arm, jaw or back", "heart condition", "emergency")),
    ("breathing-4-7-8", ("panic", "asthma", "COPD", "heart", "snore", "sleep apnoea")),
    ("breathing-box-breathing", ("panic", "asthma", "COPD", "heart")),
    ("anxiety-facing-fears-gradually", ("actually safe",)),
    ("thinking-patterns-mind-reading", ("voices", "watched")),
    ("mindfulness-noticing-thoughts", ("ending your life", "don't just observe")),
    ("grounding-after-flashback-or-dissociation", ("not safe right now", "emergency services")),
    ("relationships-handling-conflict", ("frightens", "hurts", "controls")),
    ("grief-waves-of-grief", ("ending your life",)),
    ("sleep-snoring-gasping-and-sleep-apnoea", ("snoring", "gasping", "GP or family doctor")),
    # Clinical read 4 (H2, M3, M8, M9): the emergency tier for intoxication, for every note that
    # names suicide, room to use the panic steps once checked, US names for first-episode care.
    ("substances-gambling-using-to-cope", ("emergency number", "taken more than you meant",
                                           "stay with you")),
    ("eating-body-image-living-with-your-body", ("emergency number", "might act")),
    ("ocd-obsessions-and-compulsions", ("emergency number", "might act")),
    ("long-term-illness-living-with-chronic-pain", ("emergency number", "might act")),
    ("anxiety-panic-attack-what-to-do", ("usual panic", "checked")),
    ("breathing-during-panic", ("usual panic", "checked")),
    ("psychosis-mania-early-signs-of-psychosis", ("coordinated specialty care",)),
]  # fmt: skip


@pytest.mark.parametrize(("entry_id", "words"), MUST_SAY, ids=[m[0] for m in MUST_SAY])
def test_the_reviewed_safety_items_are_in_what_is_always_shown(
    entry_id: str, words: tuple[str, ...]
) -> None:
    entry = BY_ID[entry_id]
    shown = f"{entry.first_paragraph}\n{entry.safety_note}".lower()
    assert not [w for w in words if w.lower() not in shown], entry_id


@pytest.mark.parametrize("entry", CRISIS_ENTRIES, ids=[e.id for e in CRISIS_ENTRIES])
def test_crisis_entries_say_emergency_services_in_the_opening_and_the_note(
    entry: KnowledgeEntry,
) -> None:
    assert "emergency services" in entry.first_paragraph
    assert "emergency services" in entry.safety_note


def test_panic_entries_warn_about_chest_pain_before_any_reassurance() -> None:
    for entry in (BY_ID["anxiety-panic-attack-what-to-do"], BY_ID["breathing-during-panic"]):
        body = entry.body.lower()
        assert "cannot hurt" not in body and "can't hurt" not in body, entry.id
        assert body.index("chest pain") < body.index("will pass"), entry.id


def test_anger_entries_have_a_step_for_immediate_risk_to_others() -> None:
    for entry in (e for e in ENTRIES if e.topic == "anger"):
        assert "emergency services" in entry.safety_note, entry.id


def test_the_merged_near_duplicates_are_gone() -> None:
    assert "activity-problem-solving-steps" not in BY_ID
    assert "activity-behavioural-activation-basics" not in BY_ID
    assert "stress-problem-solving-steps" in BY_ID and "low-mood-behavioural-activation" in BY_ID


def test_every_safety_note_that_names_suicide_gives_the_emergency_tier() -> None:
    """Clinical read 4, M3: a crisis line is for talking; acting now needs emergency help."""
    crisis = ("crisis line", "suicid", "ending your life")
    missing = [
        e.id
        for e in ENTRIES
        if any(w in e.safety_note.lower() for w in crisis)
        and "emergency" not in e.safety_note.lower()
    ]
    assert not missing


SUICIDAL_TOPICS = ("crisis-support", "suicidal-thoughts", "self-harm")
GOING_OUT_ALONE = re.compile(r"\b(outdoors|step outside|go outside|or outside)\b", re.I)


def test_crisis_entries_send_no_one_outdoors_alone() -> None:
    """Clinical read 4, H1: going out alone at night can put someone near means and away from
    people; the crisis steps say 'where other people are' instead."""
    outside = [
        e.id for e in ENTRIES if e.topic in SUICIDAL_TOPICS and GOING_OUT_ALONE.search(e.body)
    ]
    assert not outside
    step_one = BY_ID["crisis-support-next-few-minutes"].body
    assert "don't go out on your own" in step_one and "where other people are" in step_one


def test_clinical_read_4_wording_fixes_stay_fixed() -> None:
    """M1, M2, M4-M7, M10: the corrected statements, and the old ones gone."""
    body = {e.id: e.body for e in ENTRIES}
    assert "A few services may" not in body["crisis-support-contacting-a-crisis-line"]
    assert "national lines" in body["crisis-support-contacting-a-crisis-line"]
    urges = body["self-harm-coping-with-urges"]
    assert "punching" not in urges and "don't take the place of support" in urges
    assert "they are not acted on" not in body["perinatal-intrusive-thoughts-about-the-baby"]
    assert "are a sign of PTSD" not in body["trauma-coping-with-flashbacks"]
    assert "these are signs of depression" not in body["money-losing-your-job-or-income"]
    assert "on their own" not in body["self-harm-getting-help-from-a-doctor"]
    assert "breathing fast" in body["self-harm-wound-care-and-medical-help"]
    assert "suddenly" in body["long-term-illness-living-with-chronic-pain"]


LOW_ACUITY_TOPICS = ("thinking-patterns", "self-compassion", "stress", "activity", "relationships")
SUICIDE_WORDS = re.compile(r"ending your life|deserve to live|suicid", re.I)


@pytest.mark.parametrize(
    "entry",
    [e for e in ENTRIES if e.topic in LOW_ACUITY_TOPICS],
    ids=[e.id for e in ENTRIES if e.topic in LOW_ACUITY_TOPICS],
)
def test_low_acuity_openings_keep_the_crisis_pointer_to_one_short_clause(
    entry: KnowledgeEntry,
) -> None:
    """Clinical read 4, L11: the safety note, shown with every guide, carries the full crisis
    tier; an everyday skill's opening repeats it in one short clause, so the offline answer leads
    with the help the person asked for."""
    sentences = re.split(r"(?<=[.!?])\s+", entry.first_paragraph)
    crisis = [s for s in sentences if SUICIDE_WORDS.search(s)]
    assert len(crisis) <= 1, entry.id
    assert all(len(s) <= 200 for s in crisis), entry.id
    if crisis and "emergency" in crisis[0]:
        assert "emergency" in entry.safety_note.lower(), entry.id


def test_clinical_read_4_low_items_stay_fixed() -> None:
    """L1-L9: US-default wording, licensure, confidentiality limits, rescue breaths, valproate,
    purging and binding accuracy."""
    text = {e.id: f"{e.body}\n{e.safety_note}" for e in ENTRIES}
    uk_only = re.compile(r"\b(council|head of year|bin lid|the flat)\b|\bcot\b(?! or crib)", re.I)
    assert not [i for i, t in text.items() if uk_only.search(t)]
    assert "licensed" in text["therapy-access-finding-and-affording-therapy"]
    assert "psychiatric advance directive" in text["psychosis-mania-staying-well-with-bipolar"]
    assert "law requires" in BY_ID["therapy-access-what-to-expect"].safety_note
    assert "rescue breaths" in text["substances-gambling-opioid-overdose-and-naloxone"]
    assert "valproate" in BY_ID["perinatal-mental-health-in-pregnancy"].first_paragraph
    assert "laxatives almost none" in text["eating-body-image-binge-restrict-cycle"]
    assert "elastic bandages" in text["lgbtq-questioning-your-gender"]


# Clinical read 4, gaps 1-5: (entry, words its opening paragraph or safety note must carry).
GAP_ENTRIES = [
    ("crisis-support-thoughts-of-harming-someone-else", ("emergency services", "weapon")),
    ("low-mood-depression-treatment-options", ("crisis line", "emergency", "antidepressant")),
    ("anxiety-treatment-options", ("steps", "emergency", "arm, jaw or back")),
    ("sleep-sleeping-tablets-and-melatonin", ("alcohol", "drive", "prescriber")),
    ("sleep-getting-cbt-i", ("5 to 5.5 hours", "bipolar", "epilepsy", "drive drowsy")),
    ("emotional-intensity-when-emotions-hit-hard", ("crisis line", "emergency")),
    ("emotional-intensity-bpd-eupd-and-what-helps", ("crisis line", "emergency", "treatable")),
    ("therapy-access-what-this-companion-can-and-cant-do", ("isn't a therapist", "emergency")),
]


@pytest.mark.parametrize(("entry_id", "words"), GAP_ENTRIES, ids=[g[0] for g in GAP_ENTRIES])
def test_the_gap_entries_exist_and_say_what_must_always_be_shown(
    entry_id: str, words: tuple[str, ...]
) -> None:
    entry = BY_ID[entry_id]
    shown = f"{entry.first_paragraph}\n{entry.safety_note}".lower()
    assert not [w for w in words if w.lower() not in shown], entry_id
    assert entry.reviewed == dt.date(2026, 12, 3)
