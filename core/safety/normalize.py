"""Text normalisation for the safety patterns.

Everything the patterns see has been through `normalize` exactly once: the patterns are written
against lowercase, accent-free, apostrophe-free text with common contractions and chat
abbreviations expanded ("i'm" and "im" both become "i am", "wanna" becomes "want to"), digits used
as words spelled out ("i want 2 die" becomes "i want to die", "4ever" becomes "forever") and a few
common misspellings corrected, so each pattern needs only one spelling of each phrase.

German "im" ("in dem") is left alone in text that looks German, so "ich will im Wald sterben" is
not turned into "ich will i am wald sterben".
"""

from __future__ import annotations

import re
import unicodedata

# Long input is bounded: the head plus the tail of the message are inspected, never the middle of
# a pasted novel. Both ends matter: people often put the thing that matters last.
MAX_HEAD_CHARS = 16_000
MAX_TAIL_CHARS = 4_000

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})

# Contractions that would become ambiguous once apostrophes are dropped ("she'd" -> "shed").
_APOSTROPHE_CONTRACTIONS = re.compile(r"\b(he|she|they|we|you|i|it|that|there|who)'(d|ll|re|ve)\b")
_CONTRACTION_TAILS = {"d": "would", "ll": "will", "re": "are", "ve": "have"}

# Applied after apostrophes are removed, so "don't" and "dont" are handled by the same entry.
_WORD_EXPANSIONS: dict[str, str] = {
    "im": "i am",
    "ima": "i am going to",
    "imma": "i am going to",
    "ive": "i have",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "couldnt": "could not",
    "wont": "will not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "aint": "am not",
    "youre": "you are",
    "theyre": "they are",
    "hes": "he is",
    "lifes": "life is",
    "everythings": "everything is",
    "nothings": "nothing is",
    "somethings": "something is",
    "noones": "no one is",
    "nobodys": "nobody is",
    "everyones": "everyone is",
    "shes": "she is",
    "thats": "that is",
    "theres": "there is",
    "whats": "what is",
    "wanna": "want to",
    "wana": "want to",
    "wnat": "want",
    "whant": "want",
    "gonna": "going to",
    "gona": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "u": "you",
    "ur": "your",
    "idk": "i do not know",
    "rn": "right now",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "pls": "please",
    "plz": "please",
    "myslef": "myself",
    "mysefl": "myself",
    "mysef": "myself",
    "myslf": "myself",
    "maself": "myself",
    "meself": "myself",
    "mself": "myself",
    "urself": "yourself",
    "r": "are",
    "finna": "going to",
    "gunna": "going to",
    "boutta": "about to",
    "outta": "out of",
    "kinda": "kind of",
    "sorta": "sort of",
    "lemme": "let me",
    "gimme": "give me",
    "dunno": "do not know",
    "alot": "a lot",
    "ppl": "people",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "tomorow": "tomorrow",
    "tonite": "tonight",
    "nite": "night",
    "sry": "sorry",
    "srry": "sorry",
    "soz": "sorry",
    "ty": "thank you",
    "tysm": "thank you so much",
    "thx": "thanks",
    "luv": "love",
    "ded": "dead",
    "kil": "kill",
    "kiling": "killing",
    "dieing": "dying",
    "dyin": "dying",
    "diein": "dying",
    "diee": "die",
    "suicde": "suicide",
    "slef": "self",
    "sefl": "self",
    "slf": "self",
}
_EXPANSION_RE = re.compile(
    r"\b(" + "|".join(sorted(_WORD_EXPANSIONS, key=len, reverse=True)) + r")\b"
)
# The same without "im", for text that looks German ("im" is "in dem" there).
_EXPANSION_NO_IM_RE = re.compile(
    r"\b(" + "|".join(sorted(set(_WORD_EXPANSIONS) - {"im"}, key=len, reverse=True)) + r")\b"
)
_GERMAN_HINT_RE = re.compile(
    r"\b(?:ich|mich|mir|nicht|habe|hab|mein|meine|einfach|keine|mehr|heute|nacht|und|ist)\b"
)

# Words written with digits ("2nite", "4ever", "some1"), replaced before leetspeak is undone (which
# would turn "4ever" into "aever").
_DIGIT_WORDS: dict[str, str] = {
    "4ever": "forever",
    "4eva": "forever",
    "4evr": "forever",
    "2nite": "tonight",
    "2night": "tonight",
    "2nyt": "tonight",
    "2day": "today",
    "2moro": "tomorrow",
    "2morro": "tomorrow",
    "2morrow": "tomorrow",
    "2mrw": "tomorrow",
    "2mrrw": "tomorrow",
    "b4": "before",
    "some1": "someone",
    "sum1": "someone",
    "any1": "anyone",
    "ne1": "anyone",
    "no1": "no one",
    "every1": "everyone",
    "gr8": "great",
    "h8": "hate",
    "l8r": "later",
    "w8": "wait",
    "str8": "straight",
}
# A lone "2" or "4" used as a word: "i want 2 die", "going 2 end it", "sorry 4 everything". Only
# before a word that makes the reading certain, so "2 pills" and "4 days" stay numbers.
_TWO_AS_TO_RE = re.compile(
    r"(?<![0-9.,])\b2 (?=(?:die|dye|kill|end|live|be|cut|hurt|harm|sleep|wake|disappear|exist"
    r"|stop|go|do|see|keep|carry|hang|jump|od|overdose|take|talk|tell|say|get|make|feel|give"
    r"|leave|run|let|know|me|you|myself|the|my|this|that|anyone|someone|everyone|bed|sleep|death"
    r"|pieces)\b)"
)
_FOUR_AS_FOR_RE = re.compile(
    r"(?<![0-9.,])\b4 (?=(?:ever|eva|good|real|now|you|me|everything|everyone|nothing|what|all"
    r"|being|the|my|that|this|a|it)\b)"
)
_MY_SELF_RE = re.compile(r"\bmy self\b")

# Leetspeak digits/symbols inside words. A token such as "50mg" or "3am" (digits followed by a short
# unit) is a number, not leetspeak, and is left alone so dose and time mentions stay readable.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_TOKEN_RE = re.compile(r"[a-z0-9@$*]+")
_NUMBER_WITH_UNIT_RE = re.compile(r"[0-9]+[a-z]{0,3}")
_HAS_LETTER_RE = re.compile(r"[a-z]")

# "k i l l  m y s e l f": three or more single letters in a row are one word spelled out.
_SPACED_LETTERS_RE = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
_REPEATS_RE = re.compile(r"([a-z])\1{2,}")
# "ii", "aa", "uu" and "yy" are almost never real spelling in the languages covered, so a stretched
# "diiie" (collapsed to "diie" above) becomes "die".
_DOUBLE_VOWEL_RE = re.compile(r"([aiuy])\1")
# Keep letters, digits, "*" (used for masking, "s*icide"), emoji and sentence punctuation, which
# bounds negation scope. Everything else separates words.
_SEPARATORS_RE = re.compile(r"[\s\-_/\\|\"()\[\]{}<>~^+=#%:]+")
_SPACES_RE = re.compile(r" {2,}")
# Sentence punctuation becomes its own token so patterns can use plain spaces; a "." or "," between
# digits is a decimal or thousands separator ("0.5 mg") and stays put.
_PUNCTUATION_RE = re.compile(r"\s*((?:(?<![0-9])[.,!?;]|[.,!?;](?![0-9])|[!?;])+)\s*")


def bound(text: str) -> str:
    """Return the part of `text` that is inspected: all of it, or its head and tail if long."""
    if len(text) <= MAX_HEAD_CHARS + MAX_TAIL_CHARS:
        return text
    return text[:MAX_HEAD_CHARS] + " . " + text[-MAX_TAIL_CHARS:]


# Combining marks (accents) and format characters (zero-width spaces and joiners, which can hide a
# word from a pattern) are dropped; control characters become spaces.
_DROP_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
_UNDECOMPOSED: dict[int, str | None] = {ord("ł"): "l", ord("ı"): "i", ord("ø"): "o", ord("đ"): "d"}


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text if text.isprintable() else "".join(" " if ch < " " else ch for ch in text)
    decomposed = unicodedata.normalize("NFD", text)
    # One category lookup per distinct character, then a single C-level translate.
    table: dict[int, str | None] = {}
    for ch in set(decomposed):
        category = unicodedata.category(ch)
        if category in _DROP_CATEGORIES:
            table[ord(ch)] = None
        elif category in ("Cc", "Cs"):
            table[ord(ch)] = " "
    # Letters NFD does not decompose but people type without their mark ("zabije sie", "kiymak").
    table.update(_UNDECOMPOSED)
    return decomposed.translate(table)


def _deleet_token(match: re.Match[str]) -> str:
    token = match.group(0)
    word = _DIGIT_WORDS.get(token)
    if word is not None:
        return word
    if not _HAS_LETTER_RE.search(token) or _NUMBER_WITH_UNIT_RE.fullmatch(token):
        return token
    return token.translate(_LEET)


def normalize(text: str) -> str:
    """Normalise user text for pattern matching (see the module docstring).

    The result is for matching only; it is never shown to anyone or logged.
    """
    text = unicodedata.normalize("NFKC", bound(text)).casefold()
    text = _strip_accents(text)
    text = text.translate(_APOSTROPHES)
    text = _APOSTROPHE_CONTRACTIONS.sub(
        lambda m: f"{m.group(1)} {_CONTRACTION_TAILS[m.group(2)]}", text
    )
    text = text.replace("'", "").replace("&", " and ")
    text = _SEPARATORS_RE.sub(" ", text)
    text = _TOKEN_RE.sub(_deleet_token, text)
    text = _SPACED_LETTERS_RE.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _REPEATS_RE.sub(r"\1\1", text)
    text = _DOUBLE_VOWEL_RE.sub(r"\1", text)
    text = _TWO_AS_TO_RE.sub("to ", text)
    text = _FOUR_AS_FOR_RE.sub("for ", text)
    expansions = _EXPANSION_NO_IM_RE if _GERMAN_HINT_RE.search(text) else _EXPANSION_RE
    text = expansions.sub(lambda m: _WORD_EXPANSIONS[m.group(1)], text)
    text = _MY_SELF_RE.sub("myself", text)
    text = _PUNCTUATION_RE.sub(r" \1 ", text)
    return _SPACES_RE.sub(" ", text).strip()
