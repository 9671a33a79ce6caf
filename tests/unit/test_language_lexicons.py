"""The shipped lexicons turn everyday non-English phrasing into the English words the entries use,
and common words that only look like a topic (false friends) stay out of the query."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from core.knowledge.language import Lexicon, _key_words

LEXICONS = Path("data/knowledge/lexicon")


@cache
def _lexicon(code: str) -> Lexicon:
    return Lexicon.load(LEXICONS / f"{code}.yaml")


def _english(code: str, text: str) -> str:
    return " ".join(_lexicon(code).translate(text)[0])


@pytest.mark.parametrize(
    ("code", "text", "wanted"),
    [
        ("de", "Ich hab die Geduld verloren und meine Kinder angeschrien", "temper children"),
        ("de", "Unser Hund musste eingeschläfert werden", "pet euthanasia grief"),
        ("de", "Alle wären besser dran ohne mich", "burden"),
        ("fr", "J'ai pété un câble sur les enfants", "temper children"),
        ("fr", "Je dors pas, je rumine toute la nuit", "insomnia rumination"),
        ("fr", "On a dû faire piquer notre chien", "euthanasia"),
        ("it", "Ho perso le staffe e ho urlato ai bambini", "temper shouted children"),
        ("it", "Sono stanca morta ma di notte non dormo", "exhausted insomnia"),
        ("es", "Estoy hecha polvo, no pego ojo", "exhausted insomnia"),
        ("es", "Solo quiero dormir y no despertar", "passive suicidal"),
        ("pt", "Fui demitido e estou cheio de dívidas", "job debt"),
        ("pt", "Perdi a paciência e gritei com as crianças", "temper shouted children"),
        ("hi-en", "raat bhar jaagta rehta hoon, dimaag band nahi hota", "awake racing"),
        ("hi-en", "gussa aa jata hai aur bachon pe chilla deta hoon", "anger children shouting"),
        ("hi-en", "mera dog mar gaya, bahut yaad aa rahi hai", "pet died miss"),
        ("nl", "Ik lig s nachts wakker en blijf maar malen", "awake rumination"),
        ("nl", "Iedereen is beter af zonder mij", "burden"),
        ("pl", "Puściły mi nerwy i nakrzyczałam na dzieci", "temper shouted children"),
        ("pl", "Musieliśmy uśpić psa", "euthanasia"),
        ("tr", "Köpeğim öldü, sürekli ağlıyorum", "dog died crying"),
        ("tr", "Boşandım ve işimi kaybettim", "divorce job"),
        ("id", "Aku capek banget, begadang terus karena kepikiran", "exhausted awake overthinking"),
        ("id", "Kucingku mati kemarin", "cat died grief"),
    ],
)
def test_everyday_phrasing_becomes_the_english_topic_words(
    code: str, text: str, wanted: str
) -> None:
    english = _english(code, text)

    for word in wanted.split():
        assert word in english, (text, english)


@pytest.mark.parametrize(
    ("code", "text", "unwanted"),
    [
        ("tr", "Yardım istiyorum", "work"),  # is* once caught istiyorum ("I want")
        ("tr", "Uyuşturucu kullanıyorum", "sleep"),  # uyu* once caught uyuşturucu (drugs)
        ("tr", "Ne oldu bilmiyorum", "died"),  # oldu is "happened"; öldü is written out
        ("es", "Solo quiero hablar", "lonely"),  # solo is mostly "only"
        ("es", "Mi madre vino ayer", "alcohol"),  # vino is also "came"
        ("it", "Che casino a casa", "gambling"),  # casino is "a mess"
        ("fr", "Genre, je sais pas", "gender"),  # genre is a filler word
        ("nl", "Ik gok van wel", "gambling"),  # ik gok is "I guess"
        ("pl", "Moje ciało się zmienia", "cutting"),  # ciało is "body"
        ("pl", "Długo rozmawialiśmy", "debt"),  # dług* once caught długo ("long")
        ("de", "Ich schreibe Tagebuch", "shouting"),  # schrei* once caught schreiben
        ("fr", "Je vis à Paris", "gambling"),  # pari* once caught Paris
    ],
)
def test_false_friends_do_not_pull_in_a_topic(code: str, text: str, unwanted: str) -> None:
    assert unwanted not in _english(code, text)


def test_no_shipped_lexicon_repeats_a_key() -> None:
    """YAML keeps the last of two equal keys silently; a repeat is a mistake."""
    for path in sorted(LEXICONS.glob("*.yaml")):
        keys = re.findall(r"^ {2}([^#\s][^:]*):", path.read_text(encoding="utf-8"), re.M)
        repeats = [k for k, n in Counter(_key_words(k.strip('"')) for k in keys).items() if n > 1]
        assert not repeats, (path.name, repeats)
        assert len(_lexicon(path.stem)) >= 150, path.name


def test_keys_looked_up_by_first_word_keep_longest_first_then_file_order() -> None:
    lexicon = Lexicon(
        "es",
        {"dorm*": "sleep", "dormir": "later exact", "? mal": "sleeping badly", "mal": "bad"},
    )

    assert lexicon.translate("dormir")[0] == ["sleep"]
    assert lexicon.translate("duermo mal")[0] == ["sleeping badly"]
    assert lexicon.translate("muy bien, mal")[0] == ["sleeping badly"]
    assert lexicon.translate("mal")[0] == ["bad"]
