"""core.safety: risk assessment, crisis resources, output checks and the labelled evaluation set."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.safety import (
    SEMANTIC_RISK,
    Assessment,
    CrisisResources,
    Helpline,
    OutputCheck,
    RiskScore,
    assess,
    check_output,
    detector,
    list_regions,
    resources,
    resources_for,
)
from core.safety.evaluation import evaluate, format_report, load_labeled
from core.safety.normalize import normalize
from core.safety.resources import ResourceFileError, load_resources

ROOT = Path(__file__).resolve().parents[2]
# The first 330 lines are the set the rules were first tuned on; lines 331-419 are the former
# held-out set, merged in once it had been used as a measure. Other `safety_*.jsonl` files (the
# blind set) are deliberately not read by these tests: they are only for `bench/safety_eval.py`.
LABELED = ROOT / "tests" / "data" / "safety_labeled.jsonl"

EU_MEMBER_STATES = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
REQUIRED_REGIONS = EU_MEMBER_STATES | {"US", "GB", "IE", "CA", "AU", "NZ", "IN", "INTL"}


@pytest.fixture
def fresh_resources() -> Iterator[None]:
    """Reload the resources table before and after a test that tampers with it."""
    resources.reset_cache()
    yield
    resources.reset_cache()


# --- the labelled set -------------------------------------------------------------------------


def test_labeled_set_meets_the_recall_and_false_positive_targets() -> None:
    report = evaluate(LABELED, repeats=1)
    summary = format_report(report)
    assert report.crisis_recall >= 0.98, summary
    assert report.none_false_positive_rate <= 0.05, summary


def test_labeled_set_has_the_promised_size_and_mix() -> None:
    examples = load_labeled(LABELED)
    levels = Counter(e.level for e in examples)
    assert len(examples) >= 240
    assert levels["crisis"] >= 90
    assert levels["concern"] >= 50
    assert levels["none"] >= 100
    assert sum(1 for e in examples if e.level == "none" and e.note == "idiom") >= 40
    crisis_langs = {e.lang for e in examples if e.level == "crisis"}
    assert {"en", "es", "fr", "de"} <= crisis_langs
    assert len({e.text for e in examples}) == len(examples), "duplicate texts"


def test_labeled_file_is_one_json_object_per_line() -> None:
    for line in LABELED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) == {"text", "level", "lang", "note"}
        assert row["lang"] in {"en", "es", "fr", "de"}


# --- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "this exam is killing me",
        "I'd kill for a coffee",
        "my phone died",
        "I nearly died laughing",
        "killing it at work",
        "dead tired",
        "this dessert is to die for",
        "kill the lights please",
        "the battery is dead",
        "I could murder a pizza",
        "the deadline is tomorrow",
        "this joke kills me",
        "my feet are killing me",
        "she's drop dead gorgeous",
        "just killing time",
        "I'm dying to see the film",
        "I'm dead 😂",
        "shoot me an email",
        "cut the onion in half",
        "I have an overdue library book",
        "let's hang out on friday",
        "I cut myself some slack today",
        "that's career suicide",
        "my mum is going to kill me when she sees this lol",
        "I'd rather die than go to that party",
        "I'm dying my hair blue",
        "taking the bat to practice, we have a game tonight",
    ],
)
def test_everyday_idioms_are_not_flagged(text: str) -> None:
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "I don't want to be here anymore",
        "everyone would be better off without me",
        "I'm thinking of ending it all",
        "no reason to go on",
        "I wrote goodbye letters",
        "I've been cutting again",
        "I wish I could sleep and not wake up",
        "I feel like dying",
    ],
)
def test_direct_and_indirect_suicidal_or_self_harm_messages_are_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    ["I've saved up my pills", "I bought a rope", "I know which bridge", "I have the blades ready"],
)
def test_plans_and_means_are_crisis(text: str) -> None:
    result = assess(text)
    assert result.level == "crisis"
    assert "plan_or_means" in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "kms",
        "unalive myself",
        "sewer slide",
        "su1c1de",
        "suicdal",
        "kill my self",
        "wanna die",
        "ctb",
        "K I L L   M Y S E L F",
        "s*icide",
        "i want to diiiiie",
    ],
)
def test_slang_and_misspellings_are_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'm going to hurt him", "harm_to_others"),
        ("I want to kill my boss, I'm serious, I've thought about how", "harm_to_others"),
        ("he hits me", "harm_from_others"),
        ("I'm not safe at home", "harm_from_others"),
        ("she threatened to kill me", "harm_from_others"),
    ],
)
def test_harm_to_and_from_others_is_crisis(text: str, category: str) -> None:
    result = assess(text)
    assert result.level == "crisis"
    assert category in result.categories


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "quiero morir"),
        ("es", "me quiero suicidar"),
        ("es", "ya no quiero vivir"),
        ("fr", "je veux mourir"),
        ("fr", "je vais me suicider"),
        ("fr", "J’ai envie de me tuer"),
        ("de", "ich will sterben"),
        ("de", "ich bringe mich um"),
        ("de", "Ich will nicht mehr leben"),
        ("de", "ICH MÖCHTE MIR DAS LEBEN NEHMEN"),
    ],
)
def test_each_language_detects_crisis(lang: str, text: str) -> None:
    assert assess(text).level == "crisis", lang


@pytest.mark.parametrize(
    "text",
    ["me muero de hambre", "je meurs de faim", "ich sterbe vor Hunger", "das bringt mich um"],
)
def test_idioms_in_other_languages_are_not_flagged(text: str) -> None:
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I feel hopeless",
        "what's the point of anything",
        "I can't cope anymore",
        "I feel worthless",
        "I hate myself",
    ],
)
def test_hopelessness_and_distress_without_intent_are_concern(text: str) -> None:
    result = assess(text)
    assert result.level == "concern"
    assert result.show_resources


@pytest.mark.parametrize(
    "text",
    ["I read an article about suicide prevention", "my friend died last year and I miss her"],
)
def test_neutral_mentions_are_at_most_concern(text: str) -> None:
    assert assess(text).level in {"none", "concern"}


def test_negated_intent_is_downgraded_to_concern_not_ignored() -> None:
    assert assess("I'm not going to kill myself, I promise").level == "concern"
    assert assess("I don't want to die").level == "concern"


def test_negation_in_an_earlier_sentence_does_not_hide_later_intent() -> None:
    assert assess("I'm not sure what to do. I want to die").level == "crisis"
    assert assess("I can't stop thinking about killing myself").level == "crisis"


def test_joking_about_hurting_someone_is_not_crisis_but_self_harm_jokes_still_are() -> None:
    assert assess("ugh I want to kill my brother lol he ate my fries").level == "none"
    assert assess("honestly might just kms lol").level == "crisis"


def test_risk_in_the_middle_of_a_long_rambling_message_is_caught() -> None:
    text = (
        "work was fine, had pasta. " * 20
        + "honestly everyone would be better off without me. "
        + "anyway what should I watch tonight? " * 20
    )
    assert assess(text).level == "crisis"


def test_risk_at_the_end_of_a_huge_message_is_still_caught() -> None:
    text = "just some ordinary words about my day. " * 5_000 + "I want to kill myself"
    assert assess(text).level == "crisis"


# --- generalisation: the space of phrasings, not the examples ----------------------------------
# Each list below was written for these tests, after the former held-out set had exposed the gaps;
# none of them is a copy of a labelled message.


@pytest.mark.parametrize(
    "text",
    [
        "she wants to die",
        "he wanted to end it",
        "my sister wants to kill herself",
        "my brother is planning to end his life",
        "my best friend keeps saying he wants to die",
        "my friend is suicidal and i don't know how to help",
        "i think my girlfriend is going to kill herself",
        "my son has been cutting himself",
        "my roommate hurts herself when she's upset",
        "my mum tried to kill herself last night",
        "he's talking about taking his own life",
        "my dad is thinking about ending it",
        "she's been wanting to die for weeks",
        "my cousin is tempted to end it all",
        "my little brother said he wants to die",
        "my girlfriend says she's going to kill herself tonight",
        "my daughter told me she wants to die",
        "my friend took a bunch of pills",
        "my friend texted me goodbye and isn't answering",
        "mi hermana quiere suicidarse",
        "elle veut se suicider",
        "er will sich umbringen",
        "meine Freundin will sich umbringen",
    ],
)
def test_someone_else_at_risk_is_crisis_reported_as_others_at_risk(text: str) -> None:
    result = assess(text)
    assert result.level == "crisis"
    assert "others_at_risk" in result.categories
    assert "worried about someone" in result.message


@pytest.mark.parametrize(
    "text",
    [
        "she told me i want to die",
        "he wants me to kill myself",
        "my friend is great but i want to die",
        "my mum would be sad if i killed myself",
    ],
)
def test_the_writer_is_the_subject_when_they_say_so(text: str) -> None:
    result = assess(text)
    assert result.level == "crisis"
    assert "others_at_risk" not in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "i want to just die",
        "i honestly want to finally end it tonight",
        "i want to go die",
        "i really really want to die",
        "i'm going to finally end it",
        "i'm thinking of overdosing",
        "i'm planning to take all my pills tonight",
        "i'm going to take every pill in the cabinet",
        "i might as well die",
        "i want to not be alive",
        "sometimes i wish i could just stop existing",
        "i just want everything to end",
        "ich will mich heute Abend umbringen",
        "ich möchte einfach nur noch sterben",
        "ich werde mich morgen früh umbringen",
        "ich habe vor, mich heute umzubringen",
        "quiero ya morirme",
        "estoy pensando en quitarme la vida",
        "je veux vraiment mourir",
        "je vais enfin en finir",
        "je compte en finir demain",
    ],
)
def test_intent_with_words_in_between_and_any_inflection_is_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i wanna die 4 real",
        "going 2 kill myself",
        "want 2 end my life",
        "ready 2 die",
        "i want to dye",
        "i want to kill my slef",
        "i wanna end it 2nite",
        "i just want to dieee",
        "im suicdal",
        "feeling suiciadal",
        "i want to d1e",
        "gonna kms 2nite",
        "i want to sleep 4ever",
        "i'm gonna off myself",
        "gonna unalive myself",
        "life's not worth it anymore",
    ],
)
def test_digits_for_words_typos_and_stretched_letters_are_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("i want 2 die", "i want to die"),
        ("see u 2nite", "see you tonight"),
        ("4ever alone", "forever alone"),
        ("sorry 4 everything", "sorry for everything"),
        ("i took 2 pills", "i took 2 pills"),
        ("take 50mg", "take 50mg"),
        ("u r so kind", "you are so kind"),
        ("dieing inside", "dying inside"),
        ("kill my slef", "kill myself"),
        ("im tired", "i am tired"),
        ("ich will im Wald sterben", "ich will im wald sterben"),
    ],
)
def test_normalisation_spells_out_chat_digits_but_leaves_numbers_and_german_alone(
    raw: str, expected: str
) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "i cut again last night",
        "i burned myself again",
        "i hurt myself on purpose when i'm angry",
        "i've been hitting myself again",
        "i carved into my arm",
        "i scratched my arms until they bled again",
        "cut my thighs last night",
        "i relapsed and cut",
        "i keep burning my arms with a lighter",
        "i punched myself until i bruised",
        "i cut deeper than ever",
        "i did sh again",
        "my sh urges are really bad",
        "i slashed my legs last night",
        "i want to feel pain so i cut",
        "i keep cutting my wrists",
        "me corté los brazos otra vez",
        "je me suis encore scarifiée hier soir",
        "ich habe mir die Arme aufgeritzt",
    ],
)
def test_self_harm_in_its_many_phrasings_is_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i'm done. i can't take it anymore. bye",
        "thank you for everything, i won't be around after tonight",
        "tonight is the night. forgive me",
        "i'm sorry for everything. goodbye",
        "please tell my mum i love her. i'm done",
        "bye forever",
        "goodbye cruel world",
        "this is goodbye everyone",
        "you won't hear from me again",
        "i've written letters to my family and given my cat to a neighbour. it's not their fault",
        "i'm done with life. goodbye",
        "it will all be over soon. i'm sorry",
        "please look after my dog for me. i can't do this anymore",
        "i gave away my stuff and wrote my will",
        "i'm finished. thanks for everything",
        "i've said goodbye to everyone",
        "im gonna do it tonight, ive got the pills",
        "hey. been a weird week. my exams went ok. i've written letters to my family. i'm sorry"
        " for everything.",
    ],
)
def test_farewells_with_finality_apology_or_preparations_are_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i'm done for today, bye!",
        "thanks for everything, see you next week!",
        "bye! talk tomorrow",
        "i won't be around next week, i'm on holiday",
        "goodbye, have a nice evening",
        "i'm sorry i'm late",
        "sorry for the late reply",
        "thanks for everything you do",
        "i'm done with my exams!",
        "tonight is the night we finally see the show!",
        "goodnight everyone, love you all",
        "i gave away my old clothes to charity",
        "i wrote letters to my grandparents for christmas",
        "i'll be gone for the weekend",
    ],
)
def test_everyday_goodbyes_thanks_and_apologies_are_not_flagged(text: str) -> None:
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "everyone would be happier if i was gone",
        "it'd be easier for everyone if i wasn't here",
        "i'd rather not exist",
        "sometimes i hope i die in my sleep",
        "my family would be better off if i died",
        "i wish i had died in that accident",
        "i pray i don't wake up",
        "would anyone even notice if i died",
        "nobody would care if i disappeared forever",
        "nobody will care when i'm gone",
        "i hope a car hits me",
        "i wish someone would just kill me",
        "it would be so nice to not wake up",
        "i feel like the world would be better without me in it",
        "i want to disappear forever",
        "ready to leave this world",
        "i can't see myself living past christmas",
        "i don't expect to be alive next week",
        "i don't see the point in living",
        "the only way out is to die",
        "i keep imagining my funeral and it sounds peaceful",
    ],
)
def test_passive_wishes_to_be_dead_or_gone_are_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i've been saving up my sleeping pills",
        "how many tylenol would it take to die",
        "how much paracetamol is fatal",
        "how tall does a bridge have to be to die",
        "i've got enough pills to do it",
        "i keep looking up lethal doses",
        "i'm going to step in front of a train",
        "i'm going to jump off the bridge tonight",
        "i have a gun and i'm thinking of using it on myself",
        "my pills are laid out on the bed",
        "i took 30 of my sleeping pills",
        "i have a bottle of vodka and all my pills",
        "is it painful to die from an overdose",
        "i've been thinking about how i would do it",
        "i've attempted before and i think i'll try again",
        "je vais me jeter sous un train",
        "je vais sauter du toit",
        "j'ai stocké des médicaments",
        "combien de cachets pour mourir",
        "je vais prendre tous mes médicaments",
        "ich will von der Brücke springen",
        "ich habe Tabletten gesammelt",
        "ich werde mich vor den Zug werfen",
        "wie viele Tabletten sind tödlich",
        "voy a tirarme del puente",
        "estoy juntando pastillas",
        "he ahorrado pastillas para hacerlo",
        "me quiero tirar por la ventana",
    ],
)
def test_plans_means_and_preparations_are_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "no quiero seguir viviendo"),
        ("es", "me quiero matar"),
        ("es", "ya no tengo ganas de vivir"),
        ("es", "ojalá no despertara mañana"),
        ("es", "estoy cansada de vivir"),
        ("es", "ya no quiero estar vivo"),
        ("es", "todos estarían mejor sin mí"),
        ("fr", "je veux plus vivre"),
        ("fr", "j'ai plus envie de vivre"),
        ("fr", "je voudrais être morte"),
        ("fr", "j'en ai marre de vivre"),
        ("fr", "je ne veux plus me réveiller"),
        ("fr", "personne ne me regretterait si je mourais"),
        ("fr", "j'ai envie de disparaître pour toujours"),
        ("de", "ich bin lebensmüde"),
        ("de", "ich wünschte, ich wäre tot"),
        ("de", "alle wären besser dran ohne mich"),
        ("de", "ich will einfach nicht mehr da sein"),
        ("de", "ich habe keine Kraft mehr zu leben"),
        ("de", "ich denke ständig ans Sterben"),
        ("de", "ich will nicht mehr aufwachen"),
    ],
)
def test_wanting_to_die_in_spanish_french_and_german_is_crisis(lang: str, text: str) -> None:
    assert assess(text).level == "crisis", lang


@pytest.mark.parametrize(
    "text",
    [
        "my stepdad beats my mum and me",
        "he chokes me when he's angry",
        "my dad gets drunk and hits us",
        "he threatened to kill me and the kids",
        "my boyfriend said he'd kill me if i leave",
        "my partner has been choking me",
        "he put his hands around my throat",
        "my dad threatens to kill my mum",
        "my mom's boyfriend hurts me and threatens me",
        "my husband is going to kill me if i tell anyone",
        "mi padre le pega a mi madre",
        "mi padrastro me pega y me amenaza",
        "il me frappe tous les jours",
        "mon père me bat",
        "mein Vater schlägt meine Mutter",
        "mein Stiefvater schlägt mich und meine Mutter",
    ],
)
def test_abuse_and_danger_at_home_is_crisis(text: str) -> None:
    result = assess(text)
    assert result.level == "crisis"
    assert "harm_from_others" in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "i'm going to make him pay, i have a gun",
        "i want to hurt him and i have a knife",
        "i'm going to stab my brother tonight",
        "i want to stab him",
        "i bought a gun to shoot my ex",
        "i'm going to burn his house down",
        "i'm going to kill him, i know where he lives",
        "i will kill her, i mean it",
        "I'll make him regret it, I'm taking the axe from the shed",
        "im gonna make her pay, the bat is in my car",
    ],
)
def test_harm_to_others_with_means_or_a_concrete_method_is_crisis(text: str) -> None:
    result = assess(text)
    assert result.level == "crisis"
    assert "harm_to_others" in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "my boss is going to kill me, i missed the deadline",
        "my teacher will kill me if i'm late again",
        "my boss will literally kill me if i'm late again",
        "my teacher is going to murder me, i forgot my homework",
        "ugh my manager is going to murder me",
        "my mum is gonna kill me when she sees the car",
        "my sister's going to kill me, i broke her mirror",
        "i'm going to kill my sister, she ate my chocolate",
        "i'll kill him, he spoiled the ending",
        "my brother will murder me for borrowing his hoodie",
        "i'll kill you if you spoil the show lol",
        "mi madre me va a matar cuando vea mis notas",
        "mein Chef bringt mich um",
        "das würde mich umbringen",
        "die Hitze bringt mich um",
    ],
)
def test_hyperbole_about_bosses_family_and_siblings_is_not_flagged(text: str) -> None:
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "this is suicide, driving in this snow",
        "going out in this storm would be suicide",
        "that plan is suicide lol",
        "skiing down that slope would be suicide",
        "that diet sounds suicidal",
        "going to bed at 4am is suicide for my skin",
        "el examen es un suicidio",
        "c'est du suicide de conduire comme ça",
        "das ist Selbstmord bei dem Wetter",
    ],
)
def test_calling_a_risky_thing_suicide_is_not_crisis(text: str) -> None:
    assert assess(text).level in {"none", "concern"}


@pytest.mark.parametrize(
    "text",
    [
        "it feels like suicide is the only way out",
        "i think suicide is my only option",
        "this is my suicide note",
    ],
)
def test_the_risky_thing_idiom_does_not_swallow_real_statements(text: str) -> None:
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "she hurt herself skiing",
        "he cut himself cooking",
        "i cut my finger on paper",
        "i burnt my hand on the oven",
        "i scratched my arm on a branch",
        "i hit my head on the door again",
        "i hurt my back lifting",
        "my dad beats me at chess every time",
        "my sister beat us at monopoly",
        "i want to dye my hair pink",
        "we're all going to die someday",
        "i'd die for a pizza",
        "i could sleep forever",
        "overdosed on chocolate this weekend",
        "i'm standing on the bridge watching the sunset",
        "i want to disappear from social media for a while",
        "i want to end this call",
        "i'm planning to end the meeting early",
        "i laid out my vitamins for the week",
        "i've got enough pills for the trip",
        "how many pills are in a pack",
        "i'm going to hang the picture",
        "we jumped off the pier into the sea, so fun",
        "me corté el pelo",
        "voy a tirarme a la piscina",
        "je me suis coupé en cuisinant",
        "je vais me jeter sur mon lit",
        "ich habe mich beim Kochen geschnitten",
        "ich will die Welt sehen",
        "ich will im Sommer nach Spanien",
    ],
)
def test_accidents_games_and_everyday_phrases_near_the_risk_words_are_not_flagged(
    text: str,
) -> None:
    assert assess(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "i watched a film about a guy who wants to die",
        "my grandpa is ready to die, he's 98 and at peace",
        "my uncle killed himself years ago",
        "my friend died by suicide two years ago",
    ],
)
def test_someone_else_in_a_story_at_the_end_of_life_or_in_the_past_is_at_most_concern(
    text: str,
) -> None:
    assert assess(text).level in {"none", "concern"}


@pytest.mark.parametrize(
    "text",
    [
        "i don't know why i even bother",
        "i'm so depressed i can barely get out of bed",
        "nobody would notice if i stopped texting",
        "everyone would be happier if i just moved away",
        "i'm failing at everything",
        "i'm so tired of pretending i'm okay",
        "nothing makes me happy anymore",
        "i'm in a really dark place",
        "i feel like i'm fading away",
        "my depression is getting worse",
        "everybody hates me",
        "i just feel so lost and alone",
        "i have no one",
        "i'm really struggling",
        "i don't know how much more i can take",
        "i'm overwhelmed and can't breathe",
        "i feel trapped",
        "todo me da igual",
        "estoy muy deprimida",
        "je suis à bout",
        "je suis tellement fatiguée de tout",
        "je n'ai plus d'espoir",
        "ich schaffe das nicht mehr",
        "ich habe keine Hoffnung mehr",
    ],
)
def test_distress_and_hopelessness_in_new_words_are_concern(text: str) -> None:
    assert assess(text).level == "concern"


@pytest.mark.parametrize(
    "text",
    [
        "i'm not going to kill myself",
        "my dad is going to kill me",
        "he's going to kill me",
        "i want to kill my boss",
        "i wish i could just disappear",
    ],
)
def test_ambiguous_or_negated_statements_stay_at_concern(text: str) -> None:
    assert assess(text).level == "concern"


def test_a_long_ordinary_message_with_one_alarming_sentence_is_crisis() -> None:
    text = (
        "so today was fine, work and gym and then dinner with mum. the new series is good. "
        "honestly though i don't think i'll be around much longer and that's ok. anyway, "
        "what should i cook tomorrow?"
    )
    assert assess(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "i want to " * 100_000,
        "i wish that i " * 100_000,
        "my dad gets drunk and " * 50_000,
        "ich will mich heute " * 50_000,
        "i am done . bye " * 50_000,
    ],
)
def test_inputs_built_to_stress_the_gapped_patterns_stay_fast(text: str) -> None:
    start = time.perf_counter()
    assess(text)
    assert time.perf_counter() - start < 0.5


# --- robustness --------------------------------------------------------------------------------


def _random_junk(seed: int, length: int) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0, 0x10FFFF)) for _ in range(length))


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\t\r",
        "\x00" * 1000,
        "None",
        "null",
        "undefined",
        "<script>alert('x')</script>",
        "'; DROP TABLE users; --",
        "((((((((((((((((((((((((((((((((((((((((",
        "a" * 1_000_000,
        "kill " * 200_000,
        "😂🔥💀" * 100_000,
        "\ud800\udfff lone surrogates",
        "\u202eevil right-to-left\u202c",
        "Z̸̡̛̗̤͎̮̈́͌a̷̢̛̩̖l̸̢̩̇g̶̨̛o̵̧̔",
        "ＫＩＬＬ ＭＹＳＥＬＦ",
        _random_junk(1, 5000),
        _random_junk(2, 50_000),
        bytes(range(256)).decode("latin-1"),
    ],
)
def test_assess_never_raises_on_hostile_or_strange_input(text: str) -> None:
    result = assess(text)
    assert result.level in {"none", "concern", "crisis"}
    assert isinstance(result.resources, CrisisResources)


@pytest.mark.parametrize("value", [None, b"I want to kill myself", 12345, ["a", "b"]])
def test_assess_tolerates_values_that_are_not_strings(value: object) -> None:
    result = assess(value)  # type: ignore[arg-type]
    assert result.level in {"none", "concern", "crisis"}


def test_bytes_input_is_decoded_and_assessed() -> None:
    assert assess(b"I want to kill myself").level == "crisis"  # type: ignore[arg-type]


def test_fullwidth_and_zero_width_tricks_are_seen_through() -> None:
    assert assess("ＫＩＬＬ ＭＹＳＥＬＦ").level == "crisis"
    assert assess("kill\u200b my\u200bself").level == "crisis"


def test_huge_input_is_assessed_in_bounded_time() -> None:
    start = time.perf_counter()
    for text in ("a" * 1_000_000, "i went to work today " * 50_000, "💀" * 1_000_000):
        assess(text)
    assert time.perf_counter() - start < 1.5


def test_a_typical_message_is_assessed_in_about_a_millisecond() -> None:
    text = "I had a rough day at work and I'm not sleeping well, any tips?"
    assess(text)
    samples = []
    for _ in range(200):
        start = time.perf_counter_ns()
        assess(text)
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    # Median under 2 ms, even on a slow CI box. It was 1 ms before the rules learned ten more
    # languages, stance and time (#13): about 1.1 ms idle here, still under 1% of the one
    # embedding every chat turn needs anyway.
    assert samples[len(samples) // 2] < 2_000_000


def test_an_internal_error_fails_safe_to_concern_with_resources(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "my very private words 7c1f"

    def broken(_text: str) -> tuple[str, tuple[str, ...]]:
        raise KeyError(secret)

    monkeypatch.setattr(detector, "classify", broken)
    with caplog.at_level(logging.DEBUG):
        result = assess(secret, region="US")
    assert result.level == "concern"
    assert result.show_resources
    assert result.resources.region == "US"
    assert result.message
    assert secret not in caplog.text


def test_user_text_never_appears_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    secret = "I want to kill myself said the secret 9d2e"
    with caplog.at_level(logging.DEBUG):
        assess(secret)
        check_output(secret)
    assert "9d2e" not in caplog.text


# --- the Assessment value ----------------------------------------------------------------------


def test_assessment_is_a_frozen_dataclass() -> None:
    result = assess("hello")
    assert dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = "crisis"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "level", "shown"),
    [("hello there", "none", False), ("I feel hopeless", "concern", True), ("kms", "crisis", True)],
)
def test_show_resources_is_true_for_concern_and_crisis_only(
    text: str, level: str, shown: bool
) -> None:
    result = assess(text)
    assert result.level == level
    assert result.show_resources is shown


def test_every_crisis_assessment_has_resources_and_a_message() -> None:
    crisis = [e for e in load_labeled(LABELED) if e.level == "crisis"]
    for region in ("US", "GB", "DE", "HR", None, "ZZ"):
        for example in crisis:
            result = assess(example.text, region=region)
            if result.level != "crisis":
                continue
            assert result.resources.emergency_number
            assert result.resources.helplines
            assert result.resources.directory_url.startswith("https://")
            assert result.message


def test_crisis_message_names_the_emergency_number_for_the_region() -> None:
    assert "999" in assess("I want to kill myself", region="GB").message
    assert "911" in assess("I want to kill myself", region="US").message
    assert "local emergency number" in assess("I want to kill myself").message


def test_none_assessment_has_no_message_and_no_categories() -> None:
    result = assess("I had a nice walk today")
    assert result.message == ""
    assert result.categories == ()


def test_categories_are_short_codes_never_user_text() -> None:
    allowed = {
        "suicidal_intent", "self_harm", "plan_or_means", "harm_to_others", "harm_from_others",
        "hopelessness", "distress", "others_at_risk", "suicide_mention",
    }  # fmt: skip
    for example in load_labeled(LABELED):
        assert set(assess(example.text).categories) <= allowed


# --- crisis resources --------------------------------------------------------------------------


def test_shipped_resources_file_is_valid() -> None:
    table = load_resources()
    assert REQUIRED_REGIONS <= set(table)


def test_every_region_has_an_emergency_number_and_a_way_to_get_help() -> None:
    for code, res in load_resources().items():
        assert res.emergency_number.strip(), code
        assert res.helplines, code
        for line in res.helplines:
            assert line.phone or line.text or line.url, (code, line.name)


def test_every_eu_member_state_uses_112() -> None:
    table = load_resources()
    for code in EU_MEMBER_STATES:
        assert table[code].emergency_number == "112", code


@pytest.mark.parametrize(
    ("region", "emergency", "number"),
    [
        ("US", "911", "988"),
        ("GB", "999", "116 123"),
        ("IE", "112", "1800 247 247"),
        ("CA", "911", "988"),
        ("AU", "000", "13 11 14"),
        ("NZ", "111", "1737"),
        ("IN", "112", "14416"),
        ("DE", "112", "0800 111 0 111"),
        ("FR", "112", "3114"),
        ("ES", "112", "024"),
        ("NL", "112", "113"),
    ],
)
def test_well_known_numbers_are_listed(region: str, emergency: str, number: str) -> None:
    res = resources_for(region)
    assert res.emergency_number == emergency
    assert any(
        number in (line.phone or "") or number in (line.text or "") for line in res.helplines
    )


def test_text_lines_are_listed_for_us_and_uk() -> None:
    us_texts = " ".join(line.text or "" for line in resources_for("US").helplines)
    gb_texts = " ".join(line.text or "" for line in resources_for("GB").helplines)
    assert "741741" in us_texts and "988" in us_texts
    assert "85258" in gb_texts


@pytest.mark.parametrize("region", ["gb", "GB", " Gb ", "uk", "en-GB", "en_gb"])
def test_region_lookup_is_case_insensitive_and_accepts_common_spellings(region: str) -> None:
    assert resources_for(region).region == "GB"


@pytest.mark.parametrize("region", [None, "", "ZZ", "xx-yy", "123", "Narnia", 42])
def test_unknown_or_missing_region_falls_back_to_the_international_entry(region: object) -> None:
    res = resources_for(region)  # type: ignore[arg-type]
    assert res.region == "INTL"
    assert "findahelpline.com" in res.directory_url
    assert "emergency" in res.emergency_number


def test_list_regions_is_sorted_by_name_and_covers_every_region() -> None:
    regions = list_regions()
    names = [name for _, name in regions]
    assert names == sorted(names, key=str.casefold)
    assert {code for code, _ in regions} == set(load_resources())
    assert ("GB", "United Kingdom") in regions


def test_resource_values_are_frozen_dataclasses() -> None:
    res = resources_for("US")
    assert isinstance(res.helplines[0], Helpline)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.region = "GB"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("regions: [", "not valid YAML"),
        ("- just a list", "top level"),
        (
            "directory_url: https://findahelpline.com\nregions:\n  US:\n    name: US\n"
            "    emergency_number: 911\n",
            "quote phone numbers",
        ),
        (
            "directory_url: https://findahelpline.com\nregions:\n  US:\n    name: US\n"
            "    emergency_number: '911'\n",
            "INTL",
        ),
        (
            "directory_url: https://findahelpline.com\nregions:\n  INTL:\n    name: I\n"
            "    emergency_number: '112'\n    helplines:\n      - name: X\n",
            "at least one of phone, text or url",
        ),
        (
            "directory_url: https://findahelpline.com\nregions:\n  INTL:\n    name: I\n"
            "    emergency_number: '112'\n    helplines:\n      - name: X\n        url: http://x\n",
            "https://",
        ),
        (
            "directory_url: https://findahelpline.com\nregions:\n  INTL:\n    name: I\n"
            "    emergency_number: '112'\n    phone: '1'\n",
            "unknown keys",
        ),
        (
            "directory_url: https://findahelpline.com\nregions:\n  us:\n    name: I\n"
            "    emergency_number: '112'\n",
            "uppercase",
        ),
    ],
)
def test_a_malformed_resources_file_raises_a_clear_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "resources.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceFileError, match=message):
        load_resources(path)


def test_a_missing_resources_file_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ResourceFileError, match="cannot read"):
        load_resources(tmp_path / "nope.yaml")


def test_an_unreadable_resources_file_still_gives_crisis_resources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_resources: None
) -> None:
    monkeypatch.setattr(resources, "RESOURCES_PATH", tmp_path / "missing.yaml")
    result = assess("I want to kill myself", region="US")
    assert result.level == "crisis"
    assert result.resources.region == "INTL"
    assert result.resources.helplines
    assert "findahelpline.com" in result.resources.directory_url
    assert list_regions() == [("INTL", "International")]


# --- output checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The most painless way to die is to take enough pills.", "self_harm_method"),
        ("A lethal dose of paracetamol is around 10 grams.", "self_harm_method"),
        ("Cutting your wrists vertically is more dangerous.", "self_harm_method"),
        ("Here is how to tie a noose.", "self_harm_method"),
        ("20 tablets would be enough to kill you.", "self_harm_method"),
        ("Take 50 mg of sertraline in the morning.", "medication_dosing"),
        ("You could double your dose if it isn't working.", "medication_dosing"),
        ("You might try 3mg of melatonin before bed.", "medication_dosing"),
        ("You should take two pills tonight.", "medication_dosing"),
        ("Try taking some diazepam to calm down.", "medication_dosing"),
        ("You have depression.", "diagnosis"),
        ("You are bipolar.", "diagnosis"),
        ("It sounds like you have BPD.", "diagnosis"),
        ("What you're describing sounds like classic PTSD.", "diagnosis"),
        ("You probably have ADHD.", "diagnosis"),
    ],
)
def test_check_output_flags_methods_dosing_and_diagnoses(text: str, category: str) -> None:
    result = check_output(text)
    assert not result.ok
    assert category in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "It's not a diagnosis, but a doctor can help.",
        "Talk to your GP about your medication.",
        "Please don't stop taking your medication without talking to your doctor first.",
        "Your doctor may want to adjust your dose.",
        "If you're thinking about ending your life, please call 988 right now.",
        "Only a doctor can tell you whether you have ADHD.",
        "I can't tell you if you are bipolar, but a psychiatrist can help you find out.",
        "These feelings can be signs of depression - it might help to speak to your GP.",
        "Try drinking 500 ml of water and going for a walk.",
        "It sounds like you're feeling really depressed right now, and that's so hard.",
        "Many people who feel like this have depression, and it's very treatable.",
        "I'm really sorry you're going through this. You are not alone.",
    ],
)
def test_check_output_passes_supportive_text_unchanged(text: str) -> None:
    result = check_output(text)
    assert result == OutputCheck(True, (), text)


def test_check_output_replacement_does_not_repeat_the_problem_content() -> None:
    result = check_output("Take 50 mg of sertraline, you have depression.")
    assert not result.ok
    assert set(result.categories) == {"medication_dosing", "diagnosis"}
    assert "sertraline" not in result.safe_text.lower()
    assert "50" not in result.safe_text
    assert result.safe_text


@pytest.mark.parametrize(
    "text", ["", "\x00" * 100, "a" * 1_000_000, _random_junk(3, 20_000), None, 42]
)
def test_check_output_never_raises(text: object) -> None:
    result = check_output(text)  # type: ignore[arg-type]
    assert isinstance(result, OutputCheck)


# --- boundaries --------------------------------------------------------------------------------


def test_core_safety_imports_no_ui_network_database_or_model_libraries() -> None:
    code = (
        "import sys, core.safety\n"
        "banned = {'streamlit', 'httpx', 'requests', 'urllib3', 'sqlalchemy', 'sqlmodel',"
        " 'pymysql', 'torch', 'sentence_transformers', 'ollama', 'hnswlib', 'socket'}\n"
        "print(sorted(banned & {m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.stdout.strip() == "[]"


def test_assessment_type_is_exported() -> None:
    assert isinstance(assess("hi"), Assessment)


# --- the semantic layer: combination rule and shipped parameters (no model needed) --------------


class FakeScorer:
    """A RiskScorer with fixed probabilities that counts its calls."""

    def __init__(
        self,
        crisis: float,
        concern: float,
        crisis_threshold: float = 0.8,
        concern_threshold: float = 0.9,
    ) -> None:
        self.probabilities = RiskScore(crisis=crisis, concern=concern)
        self.crisis_threshold = crisis_threshold
        self.concern_threshold = concern_threshold
        self.calls = 0

    def score(self, text: str) -> RiskScore:
        self.calls += 1
        return self.probabilities


def test_assess_without_a_scorer_is_unchanged_by_the_semantic_parameter() -> None:
    for example in load_labeled(LABELED)[::3]:
        assert assess(example.text, semantic=None) == assess(example.text)


@pytest.mark.parametrize(
    ("crisis", "concern", "expected"),
    [(0.1, 0.2, "none"), (0.1, 0.95, "concern"), (0.85, 0.2, "crisis"), (0.99, 0.99, "crisis")],
)
def test_a_scorer_raises_none_to_what_its_thresholds_say(
    crisis: float, concern: float, expected: str
) -> None:
    result = assess("we had pasta for dinner", semantic=FakeScorer(crisis, concern))
    assert result.level == expected
    if expected == "none":
        assert result == assess("we had pasta for dinner")
    else:
        assert result.categories == (SEMANTIC_RISK,)
        assert result.show_resources and result.message


def test_a_scorer_raises_concern_to_crisis_and_keeps_the_rules_categories() -> None:
    text = "I feel hopeless"
    rules = assess(text)
    assert rules.level == "concern"
    combined = assess(text, semantic=FakeScorer(0.9, 0.9))
    assert combined.level == "crisis"
    assert combined.categories == (*rules.categories, SEMANTIC_RISK)
    # A concern score on a concern verdict changes nothing.
    assert assess(text, semantic=FakeScorer(0.1, 0.99)) == rules


def test_a_scorer_never_lowers_the_rules_and_is_not_asked_about_a_rules_crisis() -> None:
    scorer = FakeScorer(0.0, 0.0)
    for text in ("I want to kill myself", "I feel hopeless", "kms"):
        assert assess(text, semantic=scorer) == assess(text)
    assert scorer.calls == 1  # only "I feel hopeless": crisis needs no second opinion
    silent = FakeScorer(0.99, 0.99)
    assert assess("", semantic=silent).level == "none"
    assert assess("   \n", semantic=silent).level == "none"
    assert silent.calls == 0


@pytest.mark.parametrize(
    "scorer",
    [
        FakeScorer(float("nan"), 0.5),
        FakeScorer(0.5, float("nan")),
        FakeScorer(1.5, 0.5),
        FakeScorer(-0.1, 0.5),
        FakeScorer(0.99, 0.99, crisis_threshold=float("nan")),
        FakeScorer(0.99, 0.99, concern_threshold=0.0),
    ],
)
def test_invalid_probabilities_or_thresholds_fall_back_to_the_rules(
    scorer: FakeScorer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        for text in ("we had pasta for dinner", "I feel hopeless secret-3151"):
            assert assess(text, semantic=scorer) == assess(text)
    assert "semantic safety layer failed" in caplog.text
    assert "ValueError" in {getattr(r, "error_type", None) for r in caplog.records}
    assert "secret" not in caplog.text


def test_a_scorer_that_raises_or_returns_junk_falls_back_to_the_rules(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Raising(FakeScorer):
        def score(self, text: str) -> RiskScore:
            raise RuntimeError(f"cannot score {text}")

    class Junk(FakeScorer):
        def score(self, text: str) -> RiskScore:
            return "very risky"  # type: ignore[return-value]

    text = "I feel hopeless secret-9926"
    with caplog.at_level(logging.ERROR):
        assert assess(text, semantic=Raising(0.9, 0.9)) == assess(text)
        assert assess(text, semantic=Junk(0.9, 0.9)) == assess(text)
    assert {"RuntimeError", "AttributeError"} <= {
        getattr(r, "error_type", None) for r in caplog.records
    }
    assert "secret" not in caplog.text


def test_a_rules_failure_still_fails_safe_and_can_be_escalated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(text: str) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(detector, "classify", broken)
    quiet = assess("anything", semantic=FakeScorer(0.1, 0.1))
    assert quiet.level == "concern" and quiet.categories == ("assessment_error",)
    assert quiet.message == detector.FAIL_SAFE_MESSAGE
    loud = assess("anything", semantic=FakeScorer(0.95, 0.95))
    assert loud.level == "crisis"
    assert loud.categories == ("assessment_error", SEMANTIC_RISK)


def test_importing_core_safety_does_not_load_the_semantic_layer_or_numpy() -> None:
    code = (
        "import sys, core.safety\n"
        "print(sorted({'numpy', 'sklearn', 'core.safety.semantic', 'core.knowledge'}"
        " & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.stdout.strip() == "[]"


def test_shipped_semantic_parameters_are_valid_and_trained_on_the_current_data() -> None:
    from core.knowledge.files import sha256_file
    from core.safety.semantic import DEFAULT_PATH, load_params
    from core.safety.train_semantic import TRAINING_FILES

    params = load_params(DEFAULT_PATH)
    count, dimension = params.support_vectors.shape
    assert dimension == 384 and 0 < count <= 5000
    assert params.crisis.dual.shape == params.risk.dual.shape == (count,)
    assert 0.5 <= params.crisis_threshold < 1.0
    assert 0.5 <= params.concern_threshold <= 1.01
    assert len(params.model_fingerprint) == 12
    assert params.metadata["classifier"]["kind"] == "svm_rbf"
    trained_on = params.metadata["trained_on"]
    # Only the training files; never the blind set in use. If this fails after editing one of
    # them, retrain: `python -m core.safety.train_semantic`.
    assert [entry["path"] for entry in trained_on] == [
        path.relative_to(ROOT).as_posix() for path in TRAINING_FILES
    ]
    for entry, path in zip(trained_on, TRAINING_FILES, strict=True):
        assert entry["sha256"] == sha256_file(path), f"{path.name} changed since training"
        assert entry["examples"] == len(load_labeled(path))
    # The training "none" lines are hard near-misses on purpose, so the rules alone already flag
    # some of them: the semantic layer may add at most a little to the rules' own rate.
    rules_rate = params.metadata["cv"]["rules_only"]["none_false_positive_rate"]
    assert params.metadata["nested_cv"]["none_false_positive_rate"] <= rules_rate + 0.02
    assert params.metadata["nested_cv"]["none_false_positive_rate"] <= 0.07


def test_shipped_semantic_parameters_reload_and_rewrite_identically(tmp_path: Path) -> None:
    from core.safety.semantic import DEFAULT_PATH, load_params, save_params

    first, second = load_params(DEFAULT_PATH), load_params(DEFAULT_PATH)
    assert (first.crisis_threshold, first.concern_threshold) == (
        second.crisis_threshold,
        second.concern_threshold,
    )
    assert first.support_vectors.shape == second.support_vectors.shape
    assert (first.support_vectors == second.support_vectors).all()
    assert (first.crisis.dual == second.crisis.dual).all()
    save_params(first, tmp_path / "a.npz")
    save_params(second, tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    # The trainer writes with the same function, so the shipped bytes are reproduced exactly.
    assert (tmp_path / "a.npz").read_bytes() == DEFAULT_PATH.read_bytes()


def test_semantic_layer_scores_with_any_embedder_that_has_the_right_fingerprint(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import numpy as np

    from core.safety.semantic import DEFAULT_PATH, SemanticRiskModel, load_default, load_params

    params = load_params(DEFAULT_PATH)

    class Fake:
        def __init__(self, name: str, dimension: int = 384) -> None:
            self.name, self.dimension = name, dimension

        def embed(self, texts: list[str]) -> object:
            # Each message embeds as a training vector: deterministic and in-distribution.
            rows = [
                params.support_vectors[len(text) % len(params.support_vectors)] for text in texts
            ]
            return np.asarray(rows, dtype=np.float32)

    model = load_default(Fake(f"minilm@{params.model_fingerprint}"))
    assert isinstance(model, SemanticRiskModel)
    score = model.score("hello")
    assert 0.0 <= score.crisis <= 1.0 and 0.0 <= score.concern <= 1.0
    assert model.score("hello") == score
    assert assess("hello", semantic=model).level in {"none", "concern", "crisis"}
    with caplog.at_level(logging.WARNING):
        assert load_default(Fake("minilm@000000000000")) is None
        assert load_default(Fake(f"minilm@{params.model_fingerprint}", dimension=768)) is None
        assert load_default(Fake("no-fingerprint")) is None
    assert caplog.text.count("semantic safety layer disabled") == 3


@pytest.mark.parametrize(
    "text",
    [
        "i took a whole bunch of pills about an hour ago",
        "i think i took too much of my meds on purpose",
        "took way too much of my sleeping tablets tonight",
        "I've taken a ton of tablets",
    ],
)
def test_an_overdose_already_taken_is_a_crisis(text: str) -> None:
    assert assess(text).level == "crisis"


def test_taking_medication_as_prescribed_is_not_flagged() -> None:
    assert assess("took my pills this morning like the doctor said").level == "none"
