"""Messages in other languages, offline: detect the language, then build an English query.

Detection uses lingua (its models ship in the wheel), restricted to the languages the project has
a lexicon for, which keeps it fast and stops it guessing languages nobody here writes in.
Romanised Hindi ("Hinglish") has no lingua model, so it is recognised by its common function
words instead.

Each lexicon, `data/knowledge/lexicon/<code>.yaml`, is written by the project: common words and
phrases people use about feelings, sleep, panic, grief, money and so on, mapped to English terms.
`en.yaml` holds English idioms and slang whose words mislead a search ("lost it" is not a loss,
a pet "put to sleep" is not about sleep); their plain terms are added to the message's words.
A key ending in `*` matches any word starting with it (so `deprimid*` covers deprimido/deprimida),
a lone `?` matches any one word;
keys are matched without accents, longest phrase first. The English terms found make the query
for BM25 and the embedding; the message itself is never sent anywhere.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from core.knowledge.lexical import fold, strip_accents

log = logging.getLogger(__name__)

ENGLISH = "en"
HINGLISH = "hi-en"

# ISO 639-1 code -> lingua language, for every lexicon the project writes (plus English).
LINGUA_LANGUAGES: Mapping[str, Language] = {
    "en": Language.ENGLISH,
    "es": Language.SPANISH,
    "fr": Language.FRENCH,
    "de": Language.GERMAN,
    "pt": Language.PORTUGUESE,
    "it": Language.ITALIAN,
    "nl": Language.DUTCH,
    "pl": Language.POLISH,
    "tr": Language.TURKISH,
    "id": Language.INDONESIAN,
}

# Words that are common in romanised Hindi and rare in the other supported languages.
_HINGLISH_MARKERS = frozenset(
    """hai hain hoon hu nahi nahin mujhe mera meri mere kya kyun kuch bahut bohot yaar raha rahi
    rahe gaya gayi kar karna karta karti ho hota hoti lagta lagti mein bhi aur tha thi ko se ki ka
    ke kaise kabhi sab abhi accha acha""".split()
)
_HINGLISH_MIN_MARKERS = 2

# Apostrophes split words ("j'angoisse" -> "j", "angoisse"), in keys and messages alike.
_TOKEN = re.compile(r"[a-z0-9]+")
# Letters that NFKD does not decompose, spelled as people type them without the accent.
_PLAIN = str.maketrans({"ı": "i", "ł": "l", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d"})


def normalise_words(text: str) -> list[str]:
    """Lower-case words without accents, the form lexicon keys are matched in."""
    return _TOKEN.findall(strip_accents(fold(text).translate(_PLAIN)))


def _key_words(phrase: str) -> tuple[str, ...]:
    """A lexicon key as normalised words; a word's trailing `*` (prefix match) is kept."""
    words: list[str] = []
    for raw in phrase.split():
        if raw == "?":
            words.append("?")
            continue
        star = raw.endswith("*")
        for word in normalise_words(raw.rstrip("*")):
            words.append(word)
        if star and words:
            words[-1] += "*"
    return tuple(words)


@dataclass(frozen=True, slots=True)
class _Key:
    words: tuple[str, ...]
    english: str

    def matches(self, words: Sequence[str], start: int) -> bool:
        if start + len(self.words) > len(words):
            return False
        for offset, key in enumerate(self.words):
            word = words[start + offset]
            if key == "?":
                continue
            if key.endswith("*"):
                if not word.startswith(key[:-1]):
                    return False
            elif word != key:
                return False
        return True


class Lexicon:
    """One language's words and phrases mapped to English terms."""

    def __init__(self, code: str, terms: Mapping[str, str]) -> None:
        self.code = code
        keys = [_Key(_key_words(phrase), english) for phrase, english in terms.items()]
        # Longest phrase first, so "no puedo dormir" wins over "dormir".
        self._keys = sorted((k for k in keys if k.words), key=lambda k: -len(k.words))
        # Candidates by first word, so a message is not tried against every key at every word
        # (600 keys made that ~45 ms for 150 words); the rank keeps longest-phrase-first.
        self._by_first: dict[str, list[tuple[int, _Key]]] = {}
        self._loose: list[tuple[int, _Key]] = []  # first word is a prefix or `?`
        for rank, key in enumerate(self._keys):
            first = key.words[0]
            if first == "?" or first.endswith("*"):
                self._loose.append((rank, key))
            else:
                self._by_first.setdefault(first, []).append((rank, key))

    def __len__(self) -> int:
        return len(self._keys)

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read `<code>.yaml`: a mapping `terms:` of phrase -> English terms."""
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("terms"), dict):
            raise ValueError(f"{path.name}: expected a mapping with a 'terms' mapping")
        terms = {str(k): str(v) for k, v in data["terms"].items()}
        return cls(path.stem, terms)

    def _match(self, words: Sequence[str], position: int) -> _Key | None:
        """The first key, in longest-phrase-first order, that matches at `position`."""
        word = words[position]
        best: tuple[int, _Key] | None = None
        for rank, key in self._by_first.get(word, ()):
            if key.matches(words, position):
                best = (rank, key)
                break
        for rank, key in self._loose:
            if best is not None and rank > best[0]:
                break
            first = key.words[0]
            if first != "?" and not word.startswith(first[:-1]):
                continue
            if key.matches(words, position):
                best = (rank, key)
                break
        return None if best is None else best[1]

    def translate(self, text: str) -> tuple[list[str], int]:
        """English terms for the phrases found in `text`, and how many words they covered."""
        words = normalise_words(text)
        found: list[str] = []
        covered = 0
        position = 0
        while position < len(words):
            key = self._match(words, position)
            if key is None:
                position += 1
                continue
            found.append(key.english)
            covered += len(key.words)
            position += len(key.words)
        return found, covered


@dataclass(frozen=True, slots=True)
class EnglishQuery:
    """A message's language and the English query made from it (the message itself if English)."""

    language: str
    text: str
    terms: tuple[str, ...] = ()

    @property
    def translated(self) -> bool:
        """True when the query was built from a lexicon."""
        return self.language != ENGLISH and bool(self.terms)


class LanguageRouter:
    """Detects a message's language and turns it into an English query with the lexicons."""

    def __init__(self, lexicons: Mapping[str, Lexicon]) -> None:
        self._lexicons = dict(lexicons)

    @classmethod
    def load(cls, directory: Path) -> LanguageRouter:
        """Every `<code>.yaml` lexicon in `directory` (none if it is missing)."""
        lexicons: dict[str, Lexicon] = {}
        if directory.is_dir():
            for path in sorted(directory.glob("*.yaml")):
                lexicons[path.stem] = Lexicon.load(path)
        return cls(lexicons)

    def warm_up(self) -> None:
        """Load the detector's models now (seconds) rather than on the first message."""
        if self._lexicons:
            self._detector.detect_language_of("warm up")

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages with a lexicon."""
        return tuple(sorted(self._lexicons))

    @cached_property
    def _detector(self) -> LanguageDetector:
        wanted = [LINGUA_LANGUAGES[c] for c in (ENGLISH, *self._lexicons) if c in LINGUA_LANGUAGES]
        # Preloaded: lingua otherwise loads n-gram models lazily, and the first real message
        # paid for it (17 s under load, measured); `warm_up` builds this at start-up instead.
        builder = LanguageDetectorBuilder.from_languages(*set(wanted))
        return builder.with_preloaded_language_models().build()

    def detect(self, text: str) -> str:
        """The message's language code: one with a lexicon, or "en"."""
        words = normalise_words(text)
        if HINGLISH in self._lexicons:
            markers = sum(1 for w in words if w in _HINGLISH_MARKERS)
            if markers >= _HINGLISH_MIN_MARKERS and markers * 5 >= len(words):
                return HINGLISH
        if len(self._lexicons) == 0 or not words:
            return ENGLISH
        language = self._detector.detect_language_of(text)
        if language is None:
            return ENGLISH
        code = language.iso_code_639_1.name.lower()
        return code if code in self._lexicons else ENGLISH

    def english_query(self, text: str, *, language: str | None = None) -> EnglishQuery:
        """The English query for `text`: its lexicon terms when it is in another language.

        `language` skips detection (a sentence of a message whose language is known)."""
        language = self.detect(text) if language is None else language
        lexicon = self._lexicons.get(language)
        if lexicon is None:
            return EnglishQuery(ENGLISH if language == ENGLISH else language, text)
        terms, _covered = lexicon.translate(text)
        if not terms:
            return EnglishQuery(language, text)
        if language == ENGLISH:  # idioms and slang: their plain words are added, not swapped in
            return EnglishQuery(ENGLISH, f"{text} {' '.join(terms)}", tuple(terms))
        return EnglishQuery(language, " ".join(terms), tuple(terms))
