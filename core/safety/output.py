"""`check_output`: screen model output before it is shown to the user.

Flags three things a companion must not say: descriptions of self-harm or suicide methods or
lethality, medication doses or dose changes, and diagnoses. Supportive text that merely mentions
these topics ("it's not a diagnosis, but a doctor can help", "talk to your GP about your
medication") passes. Never raises: an internal error blocks the text (fail safe).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Final

from core.safety.normalize import normalize
from core.safety.patterns import clause_tail

log = logging.getLogger(__name__)

SELF_HARM_METHOD: Final = "self_harm_method"
MEDICATION_DOSING: Final = "medication_dosing"
DIAGNOSIS: Final = "diagnosis"
CHECK_FAILED: Final = "check_failed"


@dataclass(frozen=True, slots=True)
class OutputCheck:
    """Whether model output may be shown; `safe_text` is what to show either way."""

    ok: bool
    categories: tuple[str, ...]
    safe_text: str


_REPLACEMENTS: Final = {
    SELF_HARM_METHOD: (
        "I'm not able to share that. If you're thinking about hurting yourself, you deserve "
        "support right now - please reach out to a crisis line or your local emergency number."
    ),
    MEDICATION_DOSING: (
        "I can't give advice about medication or doses. A doctor or pharmacist is the right "
        "person to ask - they can look at your situation and keep you safe."
    ),
    DIAGNOSIS: (
        "I can't diagnose anything, but what you're describing sounds worth talking through "
        "with a doctor or mental-health professional, who can help you make sense of it."
    ),
    CHECK_FAILED: (
        "Sorry, I couldn't put that reply together properly. Could you tell me a bit more about "
        "what's on your mind?"
    ),
}

_PILLS = (
    r"(?:pills|tablets|capsules|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|meds"
    r"|medication|sleeping pills|painkillers|antidepressants|insulin)"
)
_DRUGS = (
    r"(?:sertraline|fluoxetine|citalopram|escitalopram|paroxetine|venlafaxine|duloxetine"
    r"|mirtazapine|bupropion|amitriptyline|nortriptyline|lithium|quetiapine|olanzapine"
    r"|risperidone|aripiprazole|lamotrigine|valproate|diazepam|lorazepam|alprazolam|clonazepam"
    r"|zopiclone|zolpidem|melatonin|propranolol|pregabalin|gabapentin|xanax|valium|prozac|zoloft"
    r"|lexapro|celexa|effexor|cymbalta|wellbutrin|seroquel|abilify|lamictal|ativan|klonopin"
    rf"|ambien|adderall|ritalin|methylphenidate|st johns wort|{_PILLS})"
)
_CONDITIONS = (
    r"(?:depression|clinical depression|major depressive disorder|depressive disorder"
    r"|anxiety disorder|generali[sz]ed anxiety(?: disorder)?|social anxiety disorder|panic disorder"
    r"|bpd|borderline(?: personality disorder)?|bipolar(?: disorder| i| ii| 1| 2)?|adhd|ptsd"
    r"|c ?ptsd|ocd|obsessive compulsive disorder|schizophrenia|schizoaffective(?: disorder)?"
    r"|psychosis|(?:an? )?(?:eating|personality|anxiety|mood|bipolar|panic|dissociative"
    r"|attachment|sleep|conduct) disorder|anorexia(?: nervosa)?|bulimia(?: nervosa)?|autism"
    r"|asd|narcissistic personality disorder|npd|dysthymia|cyclothymia|seasonal affective disorder"
    r"|postnatal depression|postpartum depression|agoraphobia|hypochondria|health anxiety)"
)

_METHOD_RULES: Final = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"\b(?:lethal|fatal|deadly|toxic|overdose) (?:dose|doses|amount|amounts|quantity"
            r"|level|threshold)\b",
            r"\b(?:painless|quickest|fastest|easiest|surest|most effective|most reliable"
            r"|most lethal|most painless|least painful|best|quick|easy) (?:way|ways|method"
            r"|methods) (?:to|of) (?:die|dying|kill|end|suicide|commit)",
            r"\b(?:suicide|self harm) (?:method|methods|technique|techniques)\b",
            r"\bmethods? of (?:suicide|self harm|killing yourself|ending your life)\b",
            r"\bhow to (?:kill yourself|hang yourself|cut yourself|overdose|slit|tie a noose"
            r"|commit suicide|self harm)\b",
            r"\b(?:cut|cutting|slit|slitting|slash|slashing|slice) (?:your|the|their|my)"
            r" (?:wrists?|throat|veins?)\b",
            r"\b(?:tie|tying|make|making) a noose\b",
            r"\b(?:hang|hanging) yourself\b",
            r"\b(?:jump|jumping) (?:off|from) (?:a|the) (?:\w+ )?(?:bridge|building|roof|cliff)\b",
            r"\bvertical(?:ly)? cuts?\b",
            r"\balong the vein\b",
            r"\bcharcoal burning\b",
            r"\b(?:bleed|bleeding) out\b",
            rf"\b(?:[0-9]+|enough|a handful of|a bottle of|a pack of) (?:\w+ )?{_PILLS}"
            r" (?:would|will|could|can|is enough to|are enough to|to) (?:kill|be fatal|be lethal"
            r"|cause death|end|stop your heart)",
            r"\bwould (?:kill you|be fatal|be lethal)\b",
            r"\benough to (?:kill|be fatal|be lethal)(?: (?:you|a person|someone|an adult))?\b",
            r"\b(?:kill|end|harm|hurt) yourself (?:by|with|using)\b",
            rf"\b(?:overdose|overdosing) (?:on|with) (?:\w+ )?{_DRUGS}",
        )
    )
)

# Units that only ever mean a dose; "ml" and "g" count only next to a drug ("500 ml of water").
_DOSE_UNIT = re.compile(r"\b[0-9]+(?:[.,][0-9]+)? ?(?:mgs?|milligrams?|mcg|micrograms?|ug|iu)\b")
_DOSE_UNIT_WITH_DRUG = re.compile(
    r"\b[0-9]+(?:[.,][0-9]+)? ?(?:ml|millilitres?|milliliters?|g|grams?)"
    rf"(?: \w+){{0,3}}? {_DRUGS}\b"
    rf"|\b{_DRUGS}(?: \w+){{0,3}}? [0-9]+(?:[.,][0-9]+)? ?(?:ml|g|grams?)\b"
)
_DOSE_CHANGE = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"\b(?:double|triple|halve|increase|decrease|raise|lower|reduce|up|cut|skip|stop"
            r"|change|adjust|split|crush|taper) (?:your|the|their) (?:dose|doses|dosage|medication"
            r"|meds|pills|tablets|prescription|antidepressants?|ssris?)\b",
            r"\b(?:stop|quit|skip) taking (?:your|the|their) (?:dose|medication|meds|pills|tablets"
            r"|antidepressants?)\b",
            r"\b(?:take|taking|try|have) (?:an extra|another|a double|a higher|a lower|more|fewer"
            r"|extra|two|three|a couple of) (?:dose|doses|pill|pills|tablet|tablets|capsule"
            r"|capsules)\b",
            rf"(?:^|[.!?] |\byou (?:should|could|might want to|can|may want to|ought to) |\bi"
            rf" (?:recommend|suggest) (?:you )?|\btry )(?:take|taking|try|start|starting|use)"
            rf" (?:\w+ ){{0,2}}?{_DRUGS}\b",
        )
    )
)
_CLINICIAN = re.compile(
    r"\b(?:doctor|doctors|gp|pharmacist|psychiatrist|prescriber|clinician|nurse|care team"
    r"|medical professional|health professional|physician)\b"
)

_DIAGNOSIS = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"\byou (?:definitely |probably |clearly |likely |might |may |could |must |obviously"
            r" |certainly |most likely )?(?:have|have got|are suffering from|suffer from"
            r"|are experiencing|meet the criteria for|fit the criteria for|qualify for a diagnosis"
            r" of|are showing signs of|show signs of) (?:a |an |some )?(?:form of |case of |mild"
            rf" |moderate |severe |clinical |classic )?{_CONDITIONS}\b",
            r"\byou are (?:definitely |probably |clearly |likely |obviously |certainly )?"
            r"(?:bipolar|clinically depressed|depressed|schizophrenic|psychotic|autistic|manic"
            r"|a narcissist|borderline|anorexic|bulimic|ocd|adhd)\b",
            r"\b(?:this|that|these|those|your symptoms|what you are describing|what you describe"
            r"|it) (?:is|are|sounds? like|seems? like|looks? like|indicates?|suggests?|points? to"
            r"|is consistent with|are consistent with|are classic signs of|are signs of"
            r"|are symptoms of|is a sign of|is a symptom of) (?:classic |textbook |clearly"
            rf" |definitely |probably )?(?:a |an )?{_CONDITIONS}\b",
            r"\bi (?:would |can |am )?diagnos(?:e|ing) you\b",
            r"\byour diagnosis is\b",
        )
    )
)
# Words that make a diagnosis or dose statement hypothetical or refused: "i can not tell whether
# you have adhd", "only a doctor can say if you are bipolar", "do not stop taking your meds".
_HEDGES = frozenset(
    {"not", "never", "no", "whether", "if", "only", "unless", "cannot", "without", "nobody"}
)
_HEDGE_WINDOW_TOKENS = 6


def _hedged(text: str, start: int) -> bool:
    prefix = clause_tail(text[max(0, start - 120) : start])
    return any(tok in _HEDGES for tok in prefix.split()[-_HEDGE_WINDOW_TOKENS:])


_SENTENCE_ENDS = (" . ", " ! ", " ? ")


def _sentence_at(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in _SENTENCE_ENDS)
    rights = [i for i in (text.find(mark, end) for mark in _SENTENCE_ENDS) if i >= 0]
    return text[left + 1 if left >= 0 else 0 : min(rights) if rights else len(text)]


def _any_unhedged(regex: re.Pattern[str], text: str) -> bool:
    return any(not _hedged(text, m.start()) for m in regex.finditer(text))


def _flags_dose_change(text: str) -> bool:
    for match in _DOSE_CHANGE.finditer(text):
        if _hedged(text, match.start()):
            continue
        # "talk to your doctor before changing your dose" defers to a clinician: fine.
        if _CLINICIAN.search(_sentence_at(text, match.start(), match.end())):
            continue
        return True
    return False


def _categories(text: str) -> tuple[str, ...]:
    norm = normalize(text)
    found: list[str] = []
    if _METHOD_RULES.search(norm):
        found.append(SELF_HARM_METHOD)
    if _DOSE_UNIT.search(norm) or _DOSE_UNIT_WITH_DRUG.search(norm) or _flags_dose_change(norm):
        found.append(MEDICATION_DOSING)
    if _any_unhedged(_DIAGNOSIS, norm):
        found.append(DIAGNOSIS)
    return tuple(found)


def check_output(text: str) -> OutputCheck:
    """Check model output before it is shown; see the module docstring for what is flagged.

    Returns `ok=True` with the original text, or `ok=False` with the flagged categories and a
    kind replacement that does not repeat the problematic content. Never raises.
    """
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        categories = _categories(text)
    except Exception as exc:
        log.error(
            "output check failed; blocking the reply", extra={"error_type": type(exc).__name__}
        )
        return OutputCheck(False, (CHECK_FAILED,), _REPLACEMENTS[CHECK_FAILED])
    if not categories:
        return OutputCheck(True, (), text)
    return OutputCheck(False, categories, " ".join(_REPLACEMENTS[c] for c in categories))
