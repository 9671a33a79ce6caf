"""Issue 13: every sentence is scored, the listed defects and misses, stance, languages, context,
and crisis resources that carry their source, date and hours."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from core.safety import assess, resources
from core.safety.detector import CONTEXT_RISK, classify, units
from core.safety.evaluation import evaluate, load_labeled
from core.safety.resources import ALWAYS_OPEN, load_resources

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "data" / "safety_dev.jsonl"
VARIED = ROOT / "data" / "safety_training_varied.jsonl"


# --- defects listed in the issue: never crisis --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I need to diet",
        "i really need to diet before the summer",
        "What a suicidal pass from the keeper, we conceded straight away",
        "The news reported a suicide attack in the capital this morning",
        "a suicide bomber hit the market, it's on every channel",
        "how much chocolate is a lethal dose for a dog? mine ate a bar",
        "what's the lethal dose of xylitol for a cat",
    ],
)
def test_everyday_text_the_issue_listed_is_not_flagged_as_crisis(text: str) -> None:
    assert assess(text).level != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "I was suicidal years ago but I've fully recovered",
        "I'm writing an article about suicidal ideation among veterans",
        "What is suicide?",
        "I need the lethal dose of paracetamol for an article I'm writing",
        "I used to want to kill myself, that stopped after my meds changed",
        "I get intrusive thoughts about jumping in front of the train, I would never act on them",
        "In my novel the main character decides to kill himself",
        "when I was fifteen I tried to overdose, I'm in a much better place now",
    ],
)
def test_past_rejected_fictional_or_topical_risk_is_at_most_concern(text: str) -> None:
    assert assess(text).level in {"none", "concern"}


# --- misses listed in the issue: crisis ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I bought a longer belt so I can try again",
        "I found the place and I've set the date",
        "I made a checklist to get everything in order before the 14th",
        "I'm having trouble buying a gun, the background check takes forever",
        "I'm writing letters for my children for when I won't be around",
        "thinking about checking out early",
        "what would I have to take to die like Marilyn Monroe",
        "I have the pills right here and I can't cope anymore",
        "I've been sleeping in my car in the closed garage. how long can a car idle?",
        "I'm not going to do anything stupid… probably",
        "I'm not going to do anything stupid... probably",
        "don't worry, I've already decided",
    ],
)
def test_oblique_plans_and_unreassuring_negations_the_issue_listed_are_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "we found the venue and set the date for the wedding!",
        "my checklist to get everything in order before the move is four pages long",
        "checked out early from the hotel, the beds were awful",
        "struggling to get a gun licence for the shooting club, the paperwork is endless",
        "the car is idling in the drive while I grab my coat",
        "I bought a longer belt for my new jeans",
        "I'm not going to do anything stupid like quit my job",
    ],
)
def test_the_same_words_in_everyday_plans_are_not_crisis(text: str) -> None:
    assert assess(text).level != "crisis"


# --- every sentence ------------------------------------------------------------------------------


def test_one_risk_sentence_buried_in_an_ordinary_length_message_is_crisis() -> None:
    text = (
        "Work was okay and my manager liked the numbers. Then I went to the gym and made pasta. "
        "I've saved enough pills and I'm doing it on Sunday. Anyway, the new season starts "
        "tomorrow and I can't wait."
    )
    assert len(text) < 1500
    assert assess(text).level == "crisis"


def test_a_stance_in_one_sentence_does_not_lower_risk_in_another() -> None:
    text = "I tried to overdose years ago. Now I've saved enough pills and I'm doing it tonight."
    assert assess(text).level == "crisis"


def test_units_are_sentences_and_windows_of_two_and_three() -> None:
    parts = units("one thing. two things. three things. four things.")
    assert "one thing ." in parts
    assert "one thing . two things ." in parts
    assert "one thing . two things . three things ." in parts
    assert units("just one sentence here") == []


def test_a_long_text_of_repeated_sentences_is_scored_once_per_distinct_unit() -> None:
    assert len(units("i went to work and it was fine. " * 5000)) <= 3


# --- languages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pt", "não aguento mais, vou me matar hoje"),
        ("pt", "quero morrer e acabar com tudo"),
        ("it", "voglio farla finita stanotte"),
        ("it", "non voglio più vivere"),
        ("nl", "ik wil niet meer leven"),
        ("nl", "ik denk aan zelfmoord en heb de pillen gespaard"),
        ("hi-en", "mujhe mar jaana hai, ab aur nahi jeena"),
        ("hi-en", "main khud ko khatam kar dunga"),
        ("id", "aku ingin bunuh diri malam ini"),
        ("id", "aku mau mati saja"),
        ("pl", "nie chcę już żyć"),
        ("pl", "dziś się zabiję"),
        ("tr", "artık yaşamak istemiyorum"),
        ("tr", "kendimi öldüreceğim"),
        ("es", "quiero morirme ya"),
        ("fr", "je veux crever"),
        ("de", "ich will einfach sterben"),
    ],
)
def test_crisis_phrases_in_each_language_are_caught_by_the_rules_alone(
    lang: str, text: str
) -> None:
    assert assess(text).level == "crisis", lang


@pytest.mark.parametrize(
    "text",
    [
        "morri de rir com esse vídeo",
        "vou me matar de estudar essa semana",
        "sto morendo di fame",
        "ik ga dood van de hitte",
        "mati lampu lagi di rumah",
        "umieram z nudów",
        "gülmekten öldüm",
        "hass hass ke mar gaya yaar",
    ],
)
def test_everyday_idioms_in_the_new_languages_are_not_crisis(text: str) -> None:
    assert assess(text).level != "crisis"


@pytest.mark.parametrize("text", ["gonna unalive myself", "kms tonight", "ctb soon", "sewerslide"])
def test_slang_is_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


# --- conversation context ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "last"),
    [
        (
            ["thanks for everything, honestly.", "I've made up my mind."],
            "tell my sister I love her.",
        ),
        (
            ["I finally found the spot.", "Nobody walks there at night."],
            "It'll be before the 14th.",
        ),
    ],
)
def test_a_plan_told_in_three_harmless_looking_messages_is_crisis_in_context(
    earlier: list[str], last: str
) -> None:
    assert all(assess(text).level != "crisis" for text in [*earlier, last])
    combined = assess(last, context=earlier)
    assert combined.level == "crisis"
    assert CONTEXT_RISK in combined.categories


def test_context_never_lowers_the_level() -> None:
    text = "I'm going to kill myself tonight"
    assert assess(text, context=["what a lovely day", "haha the cat"]).level == "crisis"


def test_an_earlier_crisis_alone_does_not_make_every_later_message_a_crisis() -> None:
    earlier = ["I want to kill myself"]
    assert assess("thank you, I'll call them now", context=earlier).level == "none"


def test_context_of_wrong_types_is_ignored_safely() -> None:
    assert assess("hello", context=[None, 3, ""]).level == "none"  # type: ignore[list-item]


# --- the dev split and the training file ---------------------------------------------------------


def test_own_dev_split_is_held_out_and_meets_a_floor_with_rules_alone() -> None:
    dev = load_labeled(DEV)
    assert len(dev) >= 100
    langs = Counter(e.lang for e in dev if e.level == "crisis")
    assert len(langs) >= 10
    report = evaluate(DEV, repeats=1)
    # The rules alone; the semantic layer adds to this. Measured 2026-12-03: see the report.
    assert report.crisis_recall >= 0.6
    assert report.none_false_positive_rate <= 0.15


def test_varied_training_file_covers_the_styles_and_languages_the_issue_asks_for() -> None:
    rows = load_labeled(VARIED)
    notes = Counter(e.note for e in rows)
    for style in ("oblique", "slang", "negated", "past", "intrusive", "topic", "buried"):
        assert notes[style] >= 3, style
    langs = {e.lang for e in rows if e.level == "crisis"}
    assert {"pt", "it", "nl", "hi-en", "id", "pl", "tr", "es", "fr", "de"} <= langs
    assert sum(1 for e in rows if e.note == "buried" and len(e.text) > 200) >= 30


def test_near_duplicate_filter_drops_paraphrases_of_evaluation_lines() -> None:
    from core.safety.evaluation import LabeledExample
    from core.safety.train_semantic import near_duplicates

    examples = [
        LabeledExample("I feel like such a burden on everyone lately", "concern", "en", ""),
        LabeledExample("the weather is lovely today", "none", "en", ""),
    ]
    found = near_duplicates(examples, ["i feel like such a burden on everyone lately!"])
    assert found == {0}


# --- semantic units ------------------------------------------------------------------------------


def test_semantic_layer_scores_the_message_and_each_sentence() -> None:
    from core.safety.semantic import sentences
    from core.safety.semantic import units as semantic_units

    text = "ok. Work was fine today. I have saved the pills.\nAnyway, see you."
    assert sentences(text) == [
        "ok. Work was fine today.",
        "I have saved the pills.",
        "Anyway, see you.",
    ]
    assert semantic_units(text) == [text]  # short: scored whole
    long = text + " The bus was late and the printer jammed twice. It rained all afternoon."
    long += " So I stayed in and read."
    parts = semantic_units(long)
    assert parts[0] == long and len(parts) == 7
    assert semantic_units("one sentence only") == ["one sentence only"]


# --- crisis resources ----------------------------------------------------------------------------

_DATE = re.compile(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]")


def test_every_helpline_carries_its_source_date_hours_and_how_it_was_verified() -> None:
    table = load_resources()
    for code, region in table.items():
        for line in region.helplines:
            where = f"{code}: {line.name}"
            assert line.hours, where
            assert line.source and line.source.startswith("https://"), where
            assert line.checked and _DATE.fullmatch(line.checked), where
            assert line.verified, where
            assert line.verified.startswith(
                ("confirmed", "not confirmed", "confirmed in part", "confirmed that")
            ), where


def test_an_entry_without_source_date_or_hours_fails_the_check(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "directory_url: https://findahelpline.com\nregions:\n  INTL:\n    name: International\n"
        "    emergency_number: '112'\n    helplines:\n      - name: X\n        phone: '1'\n",
        encoding="utf-8",
    )
    line = load_resources(bad)["INTL"].helplines[0]
    assert not (line.source and line.checked and line.hours)


def test_a_line_that_is_not_24_7_has_hours_and_a_24_7_alternative() -> None:
    table = load_resources()
    for region in table.values():
        for line in region.helplines:
            if not line.around_the_clock:
                alternative = region.alternative_to(line)
                assert region.emergency_number in alternative, region.region
                assert line.hours
            else:
                assert line.hours == ALWAYS_OPEN


def test_the_corrections_of_the_independent_check_are_applied() -> None:
    table = load_resources()
    italy = table["IT"].helplines
    amico = next(line for line in italy if "Amico" in line.name)
    assert "09:00-24:00" in (amico.hours or "") and not amico.around_the_clock
    assert any(line.around_the_clock for line in italy), "Italy needs a line that answers at night"
    assert not table["DK"].helplines[0].around_the_clock
    assert "option 4" in table["PT"].helplines[0].name
    finland = {line.phone: line for line in table["FI"].helplines}
    assert "English" not in finland["09 2525 0111"].name
    assert any("English" in line.name for line in finland.values())
    assert not any("KIRAN" in line.name for line in table["IN"].helplines)
    poland = {line.phone: line for line in table["PL"].helplines}
    assert poland["116 123"].around_the_clock and poland["116 111"].around_the_clock
    assert "116sos.pl" in (poland["116 123"].url or "")
    assert all(line.around_the_clock for line in table["SE"].helplines)
    nhs = next(line for line in table["GB"].helplines if line.phone == "111")
    assert "mental health option" in nhs.name and "option 2" not in nhs.name


def test_the_rendered_resources_show_hours_and_the_alternative_for_a_line_that_closes() -> None:
    from ui.crisis import _lines

    resources.reset_cache()
    lines = "\n".join(_lines(resources.resources_for("IT")))
    assert "09:00-24:00" in lines
    assert "When Telefono Amico Italia is closed" in lines and "emergency 112" in lines


def test_a_crisis_gets_resources_with_every_model_down() -> None:
    result = assess("voglio farla finita stanotte", region="IT")
    assert result.level == "crisis" and result.show_resources
    assert result.resources.helplines


def test_classify_is_the_rules_alone() -> None:
    assert classify("kms")[0] == "crisis"
