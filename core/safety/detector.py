"""`assess`: rule-based risk assessment of a user's message, with an optional semantic layer.

The rules are pure Python and a static data file: no model, network or database, so they keep
working when everything else is down. It never raises; on an internal error it fails safe to
"concern" with resources. User text is never logged.

A `RiskScorer` (such as `core.safety.semantic.SemanticRiskModel`) may be passed to `assess` as a
second layer. It runs after the rules and can only raise the level; if it fails, the rules'
verdict stands.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from core.ports import RiskScorer, Vector
from core.safety import lexicon, patterns
from core.safety.normalize import bound, normalize
from core.safety.resources import BUILTIN_FALLBACK, CrisisResources, resources_for

log = logging.getLogger(__name__)

Level = Literal["none", "concern", "crisis"]

_RANK: dict[Level, int] = {"none": 0, "concern": 1, "crisis": 2}
_LEVELS: tuple[Level, Level, Level] = ("none", "concern", "crisis")
# Order in which categories are reported and pick the crisis message.
_CATEGORY_ORDER = (
    patterns.SUICIDAL,
    patterns.PLAN,
    patterns.SELF_HARM,
    patterns.HARM_FROM_OTHERS,
    patterns.HARM_OTHERS,
    patterns.OTHERS_AT_RISK,
    patterns.HOPELESSNESS,
    patterns.DISTRESS,
    patterns.SUICIDE_MENTION,
)
_SELF_RISK = frozenset({patterns.SUICIDAL, patterns.PLAN, patterns.SELF_HARM})
# Hits of one rule looked at (for negation and subject); bounds the work on pathological input.
_MAX_HITS_PER_RULE = 16
# Category added when the semantic layer raised the level.
SEMANTIC_RISK = "semantic_risk"
# Category added when the earlier messages of a conversation (or journal) raised the level.
CONTEXT_RISK = "context_risk"
# Sentences split on end punctuation, ellipses and line breaks.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\u2026])\s+|\s*\n+\s*|(?<=[a-z][.!?])(?=[A-Z])")
# Sentences looked at one by one in a long text: those in its head and its tail (the whole text is
# always read too). Keeps a 50,000-character journal entry within a few hundred milliseconds.
UNIT_HEAD_CHARS = 6000
UNIT_TAIL_CHARS = 2000
SHORT_TEXT_CHARS = 2000
# Windows of consecutive sentences also scored: a plan and its date may sit in two sentences.
WINDOW_SIZES = (2, 3)
# How much earlier text the context check reads: the last few messages, their last characters.
MAX_CONTEXT_MESSAGES = 4
MAX_CONTEXT_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Assessment:
    """The outcome of assessing one message.

    `categories` are short codes (never the user's text); `message` is a short, warm message to
    show the user, empty for "none".
    """

    level: Level
    categories: tuple[str, ...]
    resources: CrisisResources
    message: str

    @property
    def show_resources(self) -> bool:
        """True when crisis resources should be shown alongside the reply."""
        return self.level != "none"


def _crisis_message(categories: tuple[str, ...], emergency: str) -> str:
    cats = set(categories)
    if cats & _SELF_RISK:
        return (
            "I'm really glad you told me. It sounds like you're in a lot of pain right now, and "
            "you deserve support from a real person. Please reach out to one of the people "
            "below - they're free, confidential and there for exactly this. If you might act on "
            f"these thoughts or you're in danger, call {emergency} now."
        )
    if patterns.HARM_FROM_OTHERS in cats:
        return (
            "Thank you for telling me. What's happening to you is not okay, and it's not your "
            f"fault. If you're in danger right now, call {emergency}. The people below can help "
            "you think through your options and stay safe."
        )
    if cats == {patterns.OTHERS_AT_RISK}:
        return (
            "It sounds like you're really worried about someone, and it's good that you're "
            "taking it seriously. The people below can talk you through how to help them, and "
            f"they're there for you too. If they might act on it right now, call {emergency}."
        )
    return (
        "It sounds like you're carrying some really intense feelings right now. Before anything "
        "happens, please talk to someone - the people below can help, and if anyone is in "
        f"immediate danger, call {emergency}."
    )


CONCERN_MESSAGE = (
    "That sounds really hard, and I'm glad you shared it with me. You don't have to carry this "
    "alone - if it ever feels like too much, the people below are there to listen, any time."
)
FAIL_SAFE_MESSAGE = (
    "I want to make sure you're okay. If you're going through something difficult, the people "
    "below are there to listen, any time."
)


def _is_negated(text: str, start: int) -> bool:
    """True if the clause just before `start` negates what follows ("i am not going to ...")."""
    prefix = patterns.clause_tail(text[max(0, start - 80) : start])
    window = prefix.split()[-patterns.NEGATION_WINDOW_TOKENS :]
    if not window:
        return False
    following = [*window[1:], text[start : start + 24].split(" ", 1)[0]]
    return any(
        token in patterns.NEGATORS and nxt not in patterns.NEGATION_CANCELLERS
        for token, nxt in zip(window, following, strict=True)
    )


def _about_someone_else(text: str, start: int, end: int) -> bool:
    """True if the nearest subject before a hit, in the same sentence, is someone else.

    "my friend says she wants to die" is about the friend; "she told me i want to die" and "he
    wants me to kill myself" are about the writer. With no subject in sight, the writer.
    """
    if patterns.FIRST_PERSON_IN_HIT.search(text, start, end):
        return False
    prefix = text[max(0, start - 120) : start]
    for token in reversed(prefix.split()[-patterns.SUBJECT_WINDOW_TOKENS :]):
        if token in ".!?":
            return False
        if token in patterns.FIRST_PERSON:
            return False
        if token in patterns.THIRD_PERSON:
            return True
    return False


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] (sentence punctuation is a token of its own)."""
    before = max(text.rfind(mark, 0, start) for mark in (" . ", " ! ", " ? "))
    after = [i for i in (text.find(mark, end) for mark in (" . ", " ! ", " ? ")) if i >= 0]
    return text[before + 1 : min(after) if after else len(text)]


def _lower(level: Level) -> Level:
    return _LEVELS[max(0, _RANK[level] - 1)]


def _categorise(
    rule: patterns.Rule,
    level: Level,
    text: str,
    match: re.Match[str],
    humour: bool,
    serious: bool,
) -> tuple[str, Level]:
    """Category and level of one hit of `rule`, after subject, context and humour."""
    category = rule.category
    if rule.subject_sensitive and _about_someone_else(text, match.start(), match.end()):
        category = patterns.OTHERS_AT_RISK
    if category == patterns.OTHERS_AT_RISK and level == "crisis":
        if patterns.OTHERS_NOT_URGENT.search(_sentence(text, match.start(), match.end())):
            level = "concern"
    if rule.category == patterns.HARM_OTHERS:
        if serious and level == "concern":
            level = "crisis"
        elif humour and not serious:
            level = _lower(level)
    return category, level


_ALL_RULES: tuple[patterns.Rule, ...] = (*patterns.RULES, *lexicon.RULES)
_ALL_NEUTRALISERS = (*patterns.NEUTRALISERS, *lexicon.NEUTRALISERS)
_ALL_COMBINATIONS = (*patterns.COMBINATIONS, *lexicon.COMBINATIONS)


def _rank_hits(
    norm: str, humour: bool, serious: bool, everyday: bool, found: dict[str, Level]
) -> None:
    """Add the level of every rule's hits in `norm` to `found` (per category, the highest)."""
    for rule in _ALL_RULES:
        if everyday and rule in lexicon.VETOED_BY_EVERYDAY_PLANS:
            continue
        first = rule.regex.search(norm)
        if first is None:
            continue
        hits = [first]
        if rule.negatable or rule.subject_sensitive:
            # Later hits matter too: "i am not sure. i want to die" is not negated, and "my friend
            # wants to die. so do i" is about the writer as well as the friend.
            hits = list(islice(rule.regex.finditer(norm, first.start()), _MAX_HITS_PER_RULE))
        level: Level = rule.level
        affirmed = [m for m in hits if not (rule.negatable and _is_negated(norm, m.start()))]
        if not affirmed:
            level = _lower(level)
            affirmed = hits[:1]
        for match in affirmed:
            category, hit_level = _categorise(rule, level, norm, match, humour, serious)
            if _RANK[hit_level] > _RANK[found.get(category, "none")]:
                found[category] = hit_level


def _combine(norm: str, everyday: bool, found: dict[str, Level]) -> None:
    combinations = (
        _ALL_COMBINATIONS
        if everyday
        else (
            *_ALL_COMBINATIONS,
            *lexicon.PLAN_COMBINATIONS,
        )
    )
    for combination in combinations:
        matched = sum(1 for group in combination.groups if group.search(norm) is not None)
        if matched < combination.needed:
            continue
        if _RANK[combination.level] > _RANK[found.get(combination.category, "none")]:
            found[combination.category] = combination.level


def _apply_stance(norm: str, found: dict[str, Level]) -> None:
    """Past ideation, rejected intrusive thoughts, fiction, coursework and news: crisis about the
    writer becomes concern, unless the same text speaks of now ("again", "tonight", "i will")."""
    if not any(found.get(category) == "crisis" for category in _SELF_RISK):
        return
    if lexicon.STANCE_INTENT_NOW.search(norm):
        return
    past = lexicon.STANCE_PAST.search(norm) is not None and not lexicon.STANCE_NOW.search(norm)
    if past or lexicon.STANCE_REJECTED.search(norm) or lexicon.STANCE_TOPIC.search(norm):
        for category in _SELF_RISK:
            if found.get(category) == "crisis":
                found[category] = "concern"


def classify_normalized(norm: str) -> tuple[Level, tuple[str, ...]]:
    """Level and categories for one normalised unit of text (a message, sentence or window)."""
    if not norm:
        return "none", ()
    for regex, marker in _ALL_NEUTRALISERS:
        norm = regex.sub(marker, norm)
    humour = patterns.HUMOUR.search(norm) is not None
    serious = patterns.SERIOUS.search(norm) is not None
    everyday = lexicon.EVERYDAY_PLANS.search(norm) is not None
    found: dict[str, Level] = {}
    _rank_hits(norm, humour, serious, everyday, found)
    _combine(norm, everyday, found)
    _apply_stance(norm, found)
    found = {category: level for category, level in found.items() if level != "none"}
    best: Level = max(found.values(), key=_RANK.__getitem__, default="none")
    return best, tuple(c for c in _CATEGORY_ORDER if c in found)


def units(text: str) -> list[str]:
    """The normalised sentences of `text` and its windows of 2 and 3 sentences (not the whole).

    Empty for a one-sentence message (the whole message is that sentence). Bounded: sentences are
    taken from the head (UNIT_HEAD_CHARS) and the tail (UNIT_TAIL_CHARS) of a long text, windows of
    three only in a text of at most SHORT_TEXT_CHARS, and repeated units are scored once.
    """
    bounded = bound(text)
    sentences = [part for part in _SENTENCE_SPLIT.split(bounded) if part and part.strip()]
    if len(bounded) > UNIT_HEAD_CHARS + UNIT_TAIL_CHARS:
        sentences = [
            *_take(sentences, UNIT_HEAD_CHARS),
            *_take(sentences[::-1], UNIT_TAIL_CHARS)[::-1],
        ]
    normalised = [norm for norm in (normalize(part) for part in sentences) if norm]
    if len(normalised) <= 1:
        return []
    sizes = WINDOW_SIZES if len(bounded) <= SHORT_TEXT_CHARS else WINDOW_SIZES[:1]
    found = list(normalised)
    for size in sizes:
        if len(normalised) > size:
            found.extend(
                " ".join(normalised[i : i + size]) for i in range(len(normalised) - size + 1)
            )
    return list(dict.fromkeys(found))


def _take(sentences: list[str], budget: int) -> list[str]:
    """The first of `sentences` whose lengths add up to at most `budget` (at least one)."""
    taken: list[str] = []
    total = 0
    for sentence in sentences:
        if taken and total + len(sentence) > budget:
            break
        taken.append(sentence[:budget])
        total += len(sentence)
    return taken


def classify(text: str) -> tuple[Level, tuple[str, ...]]:
    """Level and categories for raw text: the whole message, each sentence and each window of
    2-3 sentences; the highest risk counts. May raise; `assess` guards it."""
    best, categories = classify_normalized(normalize(text))
    if best == "crisis":
        return best, categories
    for unit in units(text):
        level, found = classify_normalized(unit)
        if _RANK[level] > _RANK[best]:
            best, categories = level, found
            if best == "crisis":
                break
        elif level == best and level != "none":
            merged = set(categories) | set(found)
            categories = tuple(c for c in _CATEGORY_ORDER if c in merged)
    return best, categories


def classify_with_context(text: str, context: Sequence[str]) -> tuple[Level, tuple[str, ...]]:
    """`classify(text)`, raised (never lowered) when the last few messages and this one together
    say more than any of them alone: a plan told in three harmless-looking messages."""
    level, categories = classify(text)
    earlier = [part for part in context if isinstance(part, str) and part.strip()]
    earlier = earlier[-MAX_CONTEXT_MESSAGES:]
    if level == "crisis" or not earlier:
        return level, categories
    alone = max((_RANK[classify(part)[0]] for part in earlier), default=0)
    joined = "\n".join(part[-MAX_CONTEXT_CHARS:] for part in [*earlier, text])
    together, found = classify(joined)
    if _RANK[together] > max(_RANK[level], alone):
        return together, (
            *tuple(c for c in found if c not in categories),
            *categories,
            CONTEXT_RISK,
        )
    return level, categories


def _probability(value: float) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:  # also rejects NaN
        raise ValueError("probability out of range")
    return number


def _threshold(value: float) -> float:
    number = float(value)
    if number != number or number <= 0.0:  # NaN, or a threshold that would flag everything
        raise ValueError("invalid threshold")
    return number


def _semantic_level(raw: str, scorer: RiskScorer, embedding: Vector | None) -> Level:
    """The level the scorer's probabilities and thresholds point to. May raise."""
    crisis_threshold = _threshold(scorer.crisis_threshold)
    concern_threshold = _threshold(scorer.concern_threshold)
    score = scorer.score(raw) if embedding is None else scorer.score(raw, embedding=embedding)
    if _probability(score.crisis) >= crisis_threshold:
        return "crisis"
    if _probability(score.concern) >= concern_threshold:
        return "concern"
    return "none"


def _escalate(
    raw: str,
    level: Level,
    categories: tuple[str, ...],
    scorer: RiskScorer,
    embedding: Vector | None,
) -> tuple[Level, tuple[str, ...]]:
    """Raise `level` if the scorer says so; never lower it. Any scorer error keeps the rules'."""
    if level == "crisis" or not raw.strip():
        return level, categories
    try:
        suggested = _semantic_level(raw, scorer, embedding)
    except Exception as exc:
        # Only the exception type: messages can quote the input.
        log.error(
            "semantic safety layer failed; using the rules",
            extra={"error_type": type(exc).__name__},
        )
        return level, categories
    if _RANK[suggested] <= _RANK[level]:
        return level, categories
    return suggested, (*categories, SEMANTIC_RISK)


def assess(
    text: str,
    *,
    region: str | None = None,
    semantic: RiskScorer | None = None,
    embedding: Vector | None = None,
    context: Sequence[str] = (),
) -> Assessment:
    """Assess a user's message for risk before any model sees it.

    Returns level "none", "concern" or "crisis", the matched category codes, crisis resources
    for `region` (the international entry if unknown) and a short message for the user. Never
    raises: any internal error yields "concern" with resources.

    With `semantic`, the scorer runs after the rules and may raise the level (adding the category
    "semantic_risk"), never lower it; if it fails, the rules' verdict is returned unchanged.
    `embedding` is the message's vector when the caller already made one (it is not re-embedded).

    `context` is what the same person wrote just before (the last user turns of a chat, the
    latest journal entries), oldest first: it can raise the level, never lower it.
    """
    try:
        resources = resources_for(region)
    except Exception:  # resources_for does not raise; this is belt and braces.
        resources = BUILTIN_FALLBACK
    raw = ""
    failed = False
    try:
        if text is None:
            raw = ""
        elif isinstance(text, str):
            raw = text
        elif isinstance(text, bytes | bytearray):
            raw = bytes(text[:80_000]).decode("utf-8", errors="replace")
        else:
            raw = str(text)
        level, categories = classify_with_context(raw, context) if context else classify(raw)
    except Exception as exc:
        # Only the exception type: messages can quote the input.
        log.error(
            "safety assessment failed; failing safe", extra={"error_type": type(exc).__name__}
        )
        level, categories, failed = "concern", ("assessment_error",), True
    if semantic is not None:
        level, categories = _escalate(raw, level, categories, semantic, embedding)
    if failed and level == "concern":
        return Assessment("concern", categories, resources, FAIL_SAFE_MESSAGE)
    if level == "crisis":
        return Assessment(
            level, categories, resources, _crisis_message(categories, resources.emergency_number)
        )
    if level == "concern":
        return Assessment(level, categories, resources, CONCERN_MESSAGE)
    return Assessment("none", (), resources, "")
