"""Risk patterns, idiom neutralisers and modifiers used by `core.safety.assess`.

All patterns run against the output of `core.safety.normalize.normalize`: lowercase, no accents,
no apostrophes, contractions expanded ("i am", "do not", "want to", "going to"), leetspeak
undone, stretched letters collapsed, and sentence punctuation as separate tokens (" . ").

Order of work in the detector:

1. `NEUTRALISERS` replace everyday idioms ("this exam is killing me", "dead tired") with a neutral
   marker, and neutral mentions of suicide ("died by suicide", "an article about suicide") with
   `MENTION_MARKER`, so the risk rules below never see them.
2. Every `Rule` is searched. A hit whose clause is negated just before it ("i am not going to kill
   myself") drops one level, unless the rule is not negatable (it already contains its negation).
   A hit of a subject-sensitive rule whose nearest subject is someone else ("my friend says she
   wants to die") is reported as `OTHERS_AT_RISK` at the same level: the person writing can be
   helped to help them. Someone else in a story or at the end of a long life is only concern.
3. Harm-to-others hits drop one level when the message is plainly joking ("lol", "😂"), and
   "want to hurt him"-style hits rise to crisis when the message says it is serious or mentions a
   weapon. Self-harm and suicide hits are never lowered by humour markers.
4. `COMBINATIONS` catch messages no single phrase gives away: a farewell together with finality,
   an apology or preparations ("i am done. i can not do this. bye"), or imagining one's death
   together with relief.

The English rules are written as a grammar rather than a list of sentences: an intent verb in any
inflection and for any subject (`_WANT_TO`, `_INTENT`), up to three filler words (`_FILLER`), then
what is intended (dying, ending it, not waking up, disappearing forever, ...).

No pattern nests unbounded quantifiers, so matching stays linear in the input length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

RuleLevel = Literal["concern", "crisis"]

SUICIDAL: Final = "suicidal_intent"
SELF_HARM: Final = "self_harm"
PLAN: Final = "plan_or_means"
HARM_OTHERS: Final = "harm_to_others"
HARM_FROM_OTHERS: Final = "harm_from_others"
HOPELESSNESS: Final = "hopelessness"
DISTRESS: Final = "distress"
OTHERS_AT_RISK: Final = "others_at_risk"
SUICIDE_MENTION: Final = "suicide_mention"


@dataclass(frozen=True, slots=True)
class Rule:
    """One risk pattern: what it indicates and how serious a hit is."""

    category: str
    level: RuleLevel
    regex: re.Pattern[str]
    negatable: bool = True
    # The rule describes the writer unless its clause names someone else as the subject.
    subject_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Combination:
    """Weak signals that together are serious: `needed` of the `groups` must each match."""

    category: str
    level: RuleLevel
    groups: tuple[re.Pattern[str], ...]
    needed: int = 2


def _alternation(alternatives: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    # When every alternative starts at a word boundary, one shared "(?<!\w)(?=\w)" in front is
    # equivalent (each alternative then starts with a word character) and lets `re` skip
    # positions faster than a "\b" inside every branch: about 25% less time per message.
    if all(a.startswith(r"\b") for a in alternatives):
        return re.compile(
            r"(?<!\w)(?=\w)(?:" + "|".join(f"(?:{a[2:]})" for a in alternatives) + ")"
        )
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _rule(
    category: str,
    level: RuleLevel,
    *alternatives: str,
    negatable: bool = True,
    subject: bool = False,
) -> Rule:
    return Rule(category, level, _alternation(alternatives), negatable, subject)


def _words(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# End of clause: end of text or a sentence-punctuation token.
END = r"(?= ?(?:$|[.!?,;]))"

# "suicide", "suicidal", "suicdal", "sucide", "suicidial", "suicidle", "suiciadal", "suacide",
# "s*icide", "su1c1de" (leetspeak is undone by normalisation). Not "succeed" or Spanish "sucede".
SUICIDE = r"\bs[u*][iea*]?[cs](?:i|ia|ie|a|\*)?d(?:e|es|ed|al|ial|le|el|ally)?\b"
# Spanish, French, German and English stems beyond the English spellings above. Not the
# third-person reflexive ("se suicider", "suicidarse"): someone else, handled with `OTHERS_AT_RISK`.
SUICIDE_OTHER = (
    r"\b(?<!se )suicid(?:io|ios|arme|ar|ate|a|as|ales|aire|aires|er|e|ee)\b"
    r"|\b(?:selbstmord|suizid|freitod)\w*"
)

PEOPLE = _words(
    "boss",
    "teacher",
    "dad",
    "mum",
    "mom",
    "father",
    "mother",
    "brother",
    "sister",
    "husband",
    "wife",
    "boyfriend",
    "girlfriend",
    "partner",
    "ex",
    "stepdad",
    "stepmum",
    "stepmom",
    "stepfather",
    "stepmother",
    "son",
    "daughter",
    "baby",
    "babies",
    "kid",
    "kids",
    "child",
    "children",
    "neighbour",
    "neighbor",
    "neighbours",
    "neighbors",
    "roommate",
    "flatmate",
    "housemate",
    "coworker",
    "coworkers",
    "colleague",
    "colleagues",
    "manager",
    "bully",
    "bullies",
    "guy",
    "girl",
    "man",
    "woman",
    "family",
    "friend",
    "friends",
    "cousin",
    "uncle",
    "aunt",
    "grandma",
    "grandpa",
    "grandad",
    "granddad",
    "nan",
    "parents",
    "classmate",
    "classmates",
    "landlord",
    "carer",
)
HARM_VERB = _words(
    "kill",
    "murder",
    "stab",
    "shoot",
    "strangle",
    "choke",
    "hurt",
    "beat up",
    "attack",
    "poison",
    "run over",
    "smash (?:his|her|their) (?:face|head)",
)
HARM_VERB_ING = _words(
    "killing",
    "murdering",
    "stabbing",
    "shooting",
    "strangling",
    "choking",
    "hurting",
    "harming",
    "beating up",
    "attacking",
    "poisoning",
)
TARGET = (
    r"(?:him|her|them|you|someone|somebody|everyone|everybody|people"
    rf"|(?:my|the|that|this|his|her|their|our|your) (?:\w+ )?{PEOPLE})\b"
)
ABUSER = rf"(?:he|she|they|(?:my|his|her|our|their) (?:\w+ )?{PEOPLE}|dad|mum|mom)"
_VICTIM = (
    r"(?:me|us|my (?:little |baby |big |older |younger )?(?:mum|mom|mam|mother|sister|brother"
    r"|siblings|kids|children|baby|family|son|daughter|sisters|brothers|dog|cat)(?: and me| and us"
    r"| and my \w+)?|mum|mom)"
)
PILLS = _words(
    "pills",
    "pill",
    "tablet",
    "tablets",
    "meds",
    "medication",
    "medications",
    "medicine",
    "paracetamol",
    "tylenol",
    "acetaminophen",
    "ibuprofen",
    "aspirin",
    "sleeping pills",
    "painkillers",
    "antidepressants",
    "insulin",
    "capsules",
    "lithium",
    "opioids",
    "oxy",
    "xanax",
    "benzos",
)

# ----------------------------------------------------------------------------------------------
# Neutralisers: idioms and neutral mentions, replaced before any rule runs.
# ----------------------------------------------------------------------------------------------

IDIOM_MARKER: Final = " ~ "
MENTION_MARKER: Final = " ~mention~ "

_IDIOMS = [
    # "this exam is killing me", "my feet are killing me", "this joke kills me"
    r"\b(?:killing|kills|murdering) me\b",
    # "kill it at work", "kill time", "kill the lights", "killed a spider", "kill two birds"
    r"\b(?:kill|killing|killed|kills) (?:it|time|two birds"
    r"|the (?:lights?|music|engine|mood|vibe|process|power|tv|bottle|boss|level|dragon|zombies?)"
    r"|(?:a|the) (?:bottle|spider|fly|bug|mosquito|wasp|cockroach|plant|zombie|monster)"
    r"|(?:my|the) (?:vibe|buzz|mood))\b",
    # "i would kill for a coffee", "i could murder a pizza"
    r"\b(?:kill|murder|die) for (?:a|an|some|one|the)\b",
    r"\b(?:could|would) (?:murder|kill|destroy|demolish) (?:a|an|some|the) (?:\w+ )?"
    r"(?:pizza|burger|curry|kebab|pint|beer|coffee|drink|sandwich|meal|steak|chocolate|cake"
    r"|takeaway|chippy|tea|cuppa|fry up|roast|snack|biscuit|donut|doughnut)s?\b",
    # "my phone died", "the battery is dead", "my wifi keeps dying", "the plant died"
    r"\b(?:phone|battery|batteries|laptop|car|wifi|computer|charger|tablet|pc|headphones|plant"
    r"|plants|tv|engine|ipad|iphone|macbook|airpods|kindle|console|controller|printer|router"
    r"|fridge|bulb|remote|torch|flashlight|signal|basil|goldfish|houseplant|succulent|cactus"
    r"|orchid|conversation|chat|party|vibe|mood|game|server|motor|van|bike|scooter)"
    r" (?:\w+ ){0,3}?(?:died|dead|dying|dies)\b",
    # "nearly died laughing", "dying of boredom", "killed myself laughing"
    r"\b(?:die|died|dying|dead|kill myself|killed myself|killing myself) (?:of |from |with )?"
    r"(?:laughing|laughter|embarrassment|boredom|hunger|cuteness|shame|thirst|the heat|excitement"
    r"|cringe|jealousy|envy|curiosity|suspense|happiness|joy|fright)\b",
    # "i am killing myself trying to finish this"
    r"\b(?:killing|kill) myself (?:to|trying|working|at (?:work|the gym)"
    r"|with (?:work|overtime|revision|studying))\b",
    r"\bdead (?:tired|serious|easy|good|on (?:my|his|her|your|our|their) feet|ringer|end|heat"
    r"|set on|last|certain|sure|right|wrong|quiet|silent|centre|center|simple|funny|cute|lucky"
    r"|beat|of night|of winter|zone|space|pixels?)\b",
    r"\bdeadly serious\b",
    r"\bdrop dead (?:gorgeous|beautiful|sexy|handsome|stunning)\b",
    r"\b(?:could|can|would) (?:literally |honestly |just |easily )?sleep (?:forever|for ever|for a"
    r" week|for days|for a year|for a month)\b",
    r"\bto die for\b(?! (?:weeks|days|months|years|a while|so long|ages|a long time|real|good"
    r"|ever|sure|me|myself))",
    r"\bdying (?:to|for) (?!die\b)\w+",
    # "i'm dead 😂", "ugh i'm so dead if my boss finds out"
    r"\b(?:i am|we are|you are|he is|she is) (?:so |literally |actually |totally )?dead"
    r"(?= ?(?:lol|lmao|lmfao|haha\w*|rofl|😂|🤣|💀|😭|😆|[,!]|if|when|$))",
    r"\b(?:shoot|shot) (?:me|us|him|her|them) (?:an? |a quick )?"
    r"(?:email|e mail|text|message|msg|dm|line|note|call|pm)\b",
    r"\b(?:shoot|shooting|shot) (?:some |the |a few )?"
    r"(?:hoops|breeze|photos|pictures|video|film|movie|scene|pool)\b",
    r"\bphoto ?shoot\b",
    r"\b(?:shot|shoot) my shot\b",
    r"\bcut (?:the|an?|some|my|your|his|her) (?:\w+ )?(?:onions?|vegetables?|veg|carrots?|bread"
    r"|cake|pizza|paper|fabric|hair|nails|grass|lawn|cord|costs?|losses|corners?|class|classes"
    r"|budget|deal|line|ribbon|cheque|check|cheese|tomato(?:es)?|potato(?:es)?|meat|chicken|wood"
    r"|tree|string|rope|tape|wire|cable|wrapping)\b",
    r"\bcut (?:me|him|her|them|us|myself|yourself|ourselves) some slack\b",
    r"\b(?:cutting|cut) (?:back|down|out|off|ties|costs|corners|class|classes|school|carbs|sugar"
    r"|meat|dairy|caffeine|alcohol|calories)\b",
    r"\b(?:hang|hanging|hung) (?:out|on|in there|up|around|tight|loose|with)\b",
    r"\b(?:hang|hanging|hung) the (?:\w+ )?(?:picture|painting|laundry|washing|clothes|decorations"
    r"|lights|poster|mirror|curtains|shelf|coat|frame|art)\b",
    # "my mum is going to kill me when she sees my grades". Not "if": "he is going to kill me if I
    # leave" is a threat.
    r"\b(?:is|are) going to (?:kill|murder) me (?:when|for|because|lol|lmao|haha\w*)\b",
    r"\b(?:going to|will) (?:kill|murder) me(?= ?(?:😂|🤣|😅|😆|lol|lmao|haha))",
    r"\bhill (?:i|i would|that i would|worth) (?:die|dying) on\b",
    r"\bdie on (?:this|that|the) hill\b",
    # "i'd rather die than go to that party" (but not "rather die than live like this")
    r"\brather (?:die|be dead) than (?!live|living|be alive|go on|keep|carry on|feel|be here|wake)",
    # "dying my hair" (dyeing)
    r"\bdi(?:e|ed|es|ing) (?:my|her|his|their|your|our|the) (?:hair|clothes|shirt|jeans|fabric"
    r"|eggs|wool|beard)\b",
    r"\b(?:jump|skipping|skip|climbing|tow|tightrope) rope\b",
    r"\brope (?:for|to) (?:rock |go )?(?:climb|climbing|camping|the boat|sailing|the swing|a swing"
    r"|the laundry|my (?:dog|boat|tent)|tie)\b",
    r"\b(?:learn|learning|know|knows|show \w+) the ropes\b",
    # Accidents: "accidentally cut myself", "hurt myself playing football"
    r"\b(?:accidentally|accidently|by accident) (?:cut|burn|burned|burnt|hurt|scratched|stabbed)"
    r" (?:myself|himself|herself|themselves|themself)\b",
    r"\b(?:cut|burn|burned|burnt|hurt|scratched|scraped|nicked) (?:myself|himself|herself"
    r"|themselves|themself) (?:shaving|cooking|sking|skating|climbing|cycling|running|falling"
    r"|chopping|slicing|playing \w+|at (?:the )?(?:gym|work|football|practice|training)"
    r"|while (?:cooking|chopping|shaving|playing|running|lifting|training|working out|slicing"
    r"|cutting|gardening)|on (?:a|the) (?:knife|glass|paper|oven|stove|kettle|pan|nail|fence"
    r"|iron|tin|can)|by accident)\b",
    r"\b(?:hit|hits) me up\b",
    r"\b(?:beat|beats|beating) (?:me|us|him|her|them|my \w+) (?:at|in|to|by|on|every time)\b",
    r"\b(?:kicked|kicks|kicking|kick) (?:me|us|him|her|them) (?:out|off)\b",
    r"\bhopeless (?:at|with|romantic)\b",
    r"\bmurder (?:mystery|mysteries|podcast|podcasts|documentary|show|series|novel|book|case"
    r"|trial|she wrote)\b",
    # Other languages: "me muero de hambre", "je meurs de faim", "mort de rire", "ich sterbe vor
    # Hunger".
    r"\b(?:me muero|morirme|muriendo(?:me)?|me mori) de (?:hambre|sueno|risa|ganas|verguenza|frio"
    r"|calor|aburrimiento|sed)\b",
    r"\b(?:je meurs|mourir|mort|morte|morts) de (?:faim|soif|rire|chaud|froid|envie|fatigue"
    r"|honte|ennui)\b",
    r"\bmdr\b",
    # "mi jefe me va a matar si llego tarde": the Spanish "my boss is going to kill me".
    r"\b(?:mi|mis) (?:jefe|jefa|madre|mama|padre|papa|padres|profe|profesor|profesora|hermano"
    r"|hermana|abuela|abuelo|entrenador|amiga|amigo) (?:me|nos) (?:va|van) a (?:matar|asesinar)\b"
    r"(?! (?:si (?:se lo )?(?:cuento|digo|me voy|lo dejo|denuncio)|de verdad))",
    # "el examen es un suicidio", "c'est du suicide", "das ist Selbstmord": a risky thing.
    r"\b(?:es|seria|sera|era) (?:un |una )?(?:verdadero |autentico |total |puro )?suicidio\b",
    r"\bcest (?:du |un |de la )?(?:vrai |pur )?suicide\b",
    r"\b(?:das|es) (?:ist|ware|waere) (?:ja |doch |reiner |glatter |echt )?selbstmord\b",
    # "overdosed on netflix", "an overdose of cuteness"
    r"\b(?:overdos\w*|od|oding|odd) on (?:\w+ )?(?:netflix|tv|television|sugar|chocolate|caffeine"
    r"|coffee|candy|sweets|cake|anime|youtube|tiktok|reality tv|christmas|cuteness|cheese|carbs"
    r"|sun|sunshine|sleep|work|gaming|games|music|memes|drama|love|feels|nostalgia|cookies"
    r"|pizza|books|podcasts|k ?dramas|shows|series|sitcoms|vitamin c|garlic|energy drinks)\b",
    r"\b(?:an )?overdose of (?:cuteness|sugar|caffeine|drama|nostalgia|love|feels|netflix"
    r"|sunshine|christmas|fun|happiness|joy)\b",
    r"\bich sterbe vor (?:hunger|durst|langeweile|lachen|hitze|kalte|mudigkeit)\b",
    # "driving in this snow is suicide", "that plan would be suicidal": a risky thing, not a person.
    # Not "was" ("it was suicide" reports a death) and not when the sentence goes on to say what
    # suicide is ("it feels like suicide is the only way out").
    r"\b(?:it|this|that|which|driving|going|doing|swimming|skiing|cycling|riding|climbing|walking"
    r"|running|flying|hiking|speeding|texting|drinking|trying|quitting|moving|investing|selling"
    r"|buying|dating|skipping|crossing|sailing|working|studying|going out) (?:\w+ ){0,4}?(?:is"
    r"|would"
    r" be|will be|be|sounds|seems|looks|sounds like|seems like|looks like|feels like) (?:like )?"
    r"(?:basically |literally |pure |total |absolute |just |practically |actually |almost |kind of"
    rf" |a bit |plain |social |career )?{SUICIDE}(?! (?:is|was|would|will|seems|feels|note|letter"
    r"|attempt|plan|thoughts?|ideation|watch|risk|hotline|line|prevention|again|and|or))",
    # "my boss is going to kill me, i missed the deadline": the speaker is in trouble. Not when a
    # condition makes it a threat ("my dad will kill me if i tell anyone"), and never for partners
    # and exes, where it is too often literal.
    r"\b(?:my|our|the|your|his|her) (?:\w+ )?(?:boss|manager|teacher|coach|professor|prof"
    r"|lecturer|tutor|supervisor|mum|mom|mam|mother|dad|father|parents|sister|brother|sis|bro"
    r"|roommate|flatmate|housemate|friend|friends|bestie|coworker|coworkers|colleague|colleagues"
    r"|team|client|clients|landlord|nan|nana|grandma|gran|granny|grandpa|grandad|aunt|auntie"
    r"|uncle|editor|director|trainer|dentist|teammates|captain|cat|dog) (?:is |are |will |would"
    r" )?(?:literally |actually |totally |so |definitely |absolutely |honestly )?(?:going to"
    r" |about to )?(?:literally |actually |totally |absolutely |so )?(?:kill|murder) (?:me|us)\b"
    r"(?= (?:when|for|because|cause|cos|coz|after|once|if (?:i|she|he|they) (?:see|sees|find"
    r"|finds|found|hear|hears|know|knows|get|gets|notice|notices)|lol|lmao|haha\w*|[,.!] ?(?:i"
    r"|we) (?:missed|forgot|broke|lost|failed|crashed|spent|dented|scratched|ate|was late|am"
    r" late|did not|have not|still)|i (?:missed|forgot|broke|lost|failed|crashed|spent|dented"
    r"|scratched|ate|was late|am late)))",
    # Bosses, teachers and the like are not a danger to life whatever follows, unless a
    # condition makes it a threat.
    r"\b(?:my|our|the) (?:\w+ )?(?:boss|manager|teacher|coach|professor|prof|lecturer|tutor"
    r"|supervisor|coworker|coworkers|colleague|colleagues|team|client|clients|editor|director"
    r"|trainer|teammates|captain) (?:is |are |will |would )?(?:literally |actually |totally |so"
    r" |definitely |absolutely |honestly )?(?:going to |about to )?(?:literally |actually"
    r" |totally |absolutely |so )?(?:kill|murder) (?:me|us)\b(?! (?:if (?:i|we) (?:ever )?(?:tell"
    r"|leave|report|call|say|talk|speak|go|try|do not)|for real|i mean it|i am serious))",
    # "we are all going to die someday"
    r"\b(?:we are all|we all|everyone is|everybody is|we are) (?:going to|gonna) die(?: (?:someday"
    r"|one day|eventually|anyway|in the end))?\b",
    r"\b(?:everyone|everybody|we all) (?:dies|die|will die)(?: (?:someday|one day|eventually"
    r"|anyway|in the end))?\b",
    # "das wurde mich umbringen", "die hitze bringt mich noch um": German "this is killing me".
    r"\b(?:das|es|dies|die \w+|der \w+|diese \w+|dieser \w+|dieses \w+) (?:wurde|wird|bringt"
    r"|wurden|werden) mich (?:noch |echt |wirklich |irgendwann )?(?:umbringen|um)\b",
    # "i am going to kill my brother, he ate my fries": hyperbole over something trivial. Only the
    # verb and target are neutralised, so "kill him, he keeps hitting me" still reads as abuse.
    rf"\b(?:kill|murder|strangle|throttle) (?:him|her|them|you|my (?:\w+ )?{PEOPLE})(?= (?:, )?(?:"
    r"(?:if|when|because|cause|cos|coz|since) )?(?:he |she |they |you )?(?:literally |just |always"
    r" |actually |really )?(?:(?:ate|eats|eaten|took|takes|stole|steals|broke|breaks|used|uses"
    r"|borrowed|borrows|lost|loses|wore|wears|hid|hides|deleted|drank|drinks|finished|finishes"
    r"|spoiled|spoilt|spoils|spoiling|hogs|hogged|forgot|forgets|touched|touches|moved|changed"
    r"|unplugged|flooded|scratched|dented|crashed|spoil|eat|drink|touch|take|use|borrow|finish"
    r"|forget|steal|break|wear|hide|delete|lose|tell me the) (?:my|the|all (?:my|the)|our|his|her"
    r"|your|it|this|that)"
    r" (?:last |new |favourite |favorite |brand new )?(?:\w+ )?(?:food|fries|chips|snacks?"
    r"|pizza|leftovers|cake|chocolate|sweets|candy|lunch|dinner|breakfast|drink|coffee|milk|beer"
    r"|wine|charger|phone|headphones|earphones|airpods|clothes|shirt|hoodie|jumper|sweater|jeans"
    r"|shoes|makeup|game|games|console|controller|save|seat|spot|remote|password|netflix|show"
    r"|episode|ending|book|car|bike|laptop|stuff|things|shampoo|towel|toothbrush|keys|birthday"
    r"|anniversary|plants?|bathroom|kitchen|desk|room)\b|for (?:eating|drinking|taking|stealing"
    r"|breaking|spoiling|borrowing|using|finishing|hogging|forgetting|snoring|being late"
    r"|losing|wearing)\b|(?:is|was|is always|was always|keeps being) late\b|snores|snoring"
    r"|spoiled it|spoilt it|keeps (?:snoring|stealing|eating|taking|borrowing|texting|calling"
    r"|singing|whistling)))",
    # "career suicide", "social suicide"
    rf"\b(?:career|social|political|commercial|professional|financial|electoral|fashion"
    rf"|academic) {SUICIDE}",
    # Campaign and topic names, not a person's intent.
    rf"(?:{SUICIDE}|{SUICIDE_OTHER}|\bself ?harm)(?: and self ?harm)? ?(?:prevention|awareness"
    r"|pravention|squad|bombers?|bombings?|bomb|doors?|mission|run|king|forest|rates?|statistics"
    r"|stats|research|researchers?|risk assessment)\b",
    rf"\b(?:prevention|prevencion|pravention) (?:of |del |du |de )?(?:{SUICIDE}|{SUICIDE_OTHER})",
]

_MENTIONS = [
    # Bereavement and third-person reports: "my uncle died by suicide", "lost a friend to suicide"
    rf"\b(?:died|death|dead|lost (?:\w+ ){{1,3}}?to|loss of \w+ to|passed away)"
    rf" (?:by |of |from |to |through )?(?:a )?{SUICIDE}",
    rf"\b(?:he|she|they|who|someone|somebody|{PEOPLE}) (?:(?!i\b)\w+ )?(?:committed|attempted"
    rf"|died by|died of|was lost to|was|used to be|had been) {SUICIDE}",
    rf"\b(?:it|death|that) (?:was|was ruled|has been ruled|was confirmed as|was confirmed to be)"
    rf" (?:a )?{SUICIDE}",
    r"\b(?:fue|ha sido) (?:un )?suicidio\b",
    rf"\b(?:warning )?signs of {SUICIDE}",
    rf"{SUICIDE} (?:warning signs|risk factors|risk)\b",
    # Topic: "a documentary about suicide"
    r"\b(?:article|book|documentary|podcast|essay|video|study|research|report|lecture|class"
    r"|course|paper|film|movie|show|episode|news|story|talk|series|song|poem|thread|post"
    r"|campaign|training|workshop) (?:about|on|regarding|discussing|covering) (?:\w+ )?"
    rf"{SUICIDE}",
    rf"\b(?:is|was|are|were) (?:all )?about {SUICIDE}",
]

NEUTRALISERS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # Idioms first: "an article about suicide prevention" is a campaign name, not a mention.
    (_alternation(_IDIOMS), IDIOM_MARKER),
    (_alternation(_MENTIONS), MENTION_MARKER),
)

# ----------------------------------------------------------------------------------------------
# Risk rules.
# ----------------------------------------------------------------------------------------------

# Up to three words that may stand between an intent and what is intended: "i want to just die",
# "going to finally end it tonight", "wanna go and die". A closed list, not any word: "i want to
# watch them die" and "i want to know why people die" are not about the writer.
_FILLER = (
    r"(?:(?:just|really|honestly|seriously|finally|actually|literally|simply|quietly|already"
    r"|kind of|sort of|lowkey|low key|fucking|fuckin|fking|so|truly|genuinely|tbh|tonight|today"
    r"|now|right now|maybe|probably|definitely|totally|completely|all|go|go and|quickly|peacefully"
    r"|painlessly|somehow|soon|one day|secretly|also|still|even|like|pls|please|preferably) ){0,3}"
)
# "want to" in every inflection and for every subject, and its near synonyms: what comes next is
# wished for or intended. Not "going to" ("i am going to die" is usually fear, not intent) and not
# "hope to" ("cross my heart and hope to die").
_WANT_TO = (
    r"(?:(?:want|wants|wanted|wanting|ready|plan|plans|planned|planning|decided|deciding|deserve"
    r"|deserves|deserved|need|needs|needed|trying|tried|tries|try|long|longs|longing|tempted"
    r"|desperate|prepared|choose|chose|choosing|intend|intends|intended|intending|prefer|prefers"
    r"|preferred|wish|wishes|wished|would like|would love|would prefer|urge|urges|begging|praying"
    r"|hoping|going to go|time for me) to|wish (?:i|he|she|they) (?:could|would|was able to)"
    r"|wishes (?:he|she|they) could)"
)
# Any intent, including the ones that only make sense before an action ("going to end it",
# "thinking about ending it").
_INTENT = (
    rf"(?:{_WANT_TO}|going to|about to|will|might|may|should|could just|think(?:s|ing)?"
    r" (?:about|of)|thought (?:about|of)|considering|contemplating|feel(?:s|ing)? like"
    r"|talk(?:s|ing|ed)? about|threaten(?:s|ing|ed)? to)"
)
# What "die" must not be followed by to mean dying: "die of boredom", "die on this hill", "die
# laughing", "die for a cause", "die happy", "dye my hair".
_DIE = (
    r"(?:die+\b(?! (?:of|from|for(?! (?:weeks|days|months|years|a while|so long|ages|a long time"
    r"|real|good|ever|sure))|laughing|on (?:this|that|a|the) hill|in (?:a |the |that |this )?"
    r"(?:game|fight|battle|war|film|movie|show|book|story|series)|old|happy|rich|famous|a happy"
    r"|an old|of old age|with (?:my boots|dignity)|my |her |his |their |the |it\b))"
    r"|dye(?= ?(?:$|[.!?,;]| tonight| now| right now| already| so bad| tbh| pls| please)))"
)
_REFLEXIVE_OTHER = r"(?:himself|herself|themselves|themself)"
# Up to three words between a verb and what it governs in Spanish, French and German ("ich will
# mich heute nacht umbringen", "quiero ya morirme"), never a negation.
_GAP = (
    r"(?:(?!no\b|not\b|never\b|nunca\b|jamas\b|pas\b|plus\b|jamais\b|nicht\b|nie\b|niemals\b"
    r"|kein\w*\b|ni\b)\w+ ){0,3}?"
)
_ES_PILLS = r"(?:pastillas|pildoras|medicamentos|medicinas|pastis|somniferos|tabletas|calmantes)"
_FR_PILLS = r"(?:medicaments|cachets|comprimes|pilules|somniferes|medocs|doliprane|paracetamol)"
_DE_PILLS = r"(?:tabletten|pillen|medikamente|schlaftabletten|paracetamol|ibuprofen)"
_ES_JUMP = (
    r"(?:tirarme|lanzarme|arrojarme|aventarme|botarme) (?:del|de un|de una|desde el|desde la"
    r"|desde un|desde una|por la|por el|a las|al|a la|bajo el|bajo un|frente al|frente a un"
    r"|delante del|delante de un) (?:\w+ )?(?:puente|edificio|techo|azotea|balcon|ventana|vias"
    r"|tren|metro|camion|coche|carro|auto|acantilado|precipicio|rio|mar|autobus|piso)\b"
)
_FR_DEATH = (
    r"(?:mourir|crever|me tuer|me suicider|d?en finir|mettre fin a (?:mes jours|ma vie|tout)"
    r"|disparaitre (?:pour toujours|a jamais|pour de bon|definitivement)|me foutre en lair|ne"
    r" (?:plus|pas) me reveiller|dormir pour toujours|me pendre|me jeter (?:\w+ ){0,3}?(?:pont"
    r"|train|metro|fenetre|toit|immeuble|voiture|camion|vide|seine|riviere|balcon|falaise|rails)"
    r"|sauter (?:\w+ ){0,3}?(?:pont|toit|immeuble|fenetre|balcon|falaise|viaduc|train|metro)"
    r"|me tirer une balle|mouvrir les veines|me couper les veines|me noyer|menvoyer en lair"
    rf"|avaler (?:\w+ ){{0,2}}?(?:{_FR_PILLS}|boite|plaquette)"
    rf"|prendre (?:tous|toutes|toute la boite de) (?:mes|les|ces) (?:\w+ )?{_FR_PILLS})\b"
)
# Being dead or gone, as the object of a wish: "i wish i was dead", "happier if i never woke up".
_GONE = (
    r"(?:never (?:woke|wake|waking) up|(?:did|do|would|will|could) not wake up|not wake up"
    r"|(?:was|were|am) dead|died|would die|could die|(?:was|were) not (?:here|alive|around|born)"
    r"|(?:was|were) gone|did not exist|never existed|stopped (?:breathing|existing)"
    r"|disappeared (?:forever|for good)|got hit by"
    r"|(?:would|did) not survive|was not alive|killed myself|ended it"
    r"|just disappeared|stopped being alive|fell asleep and never)"
)

RULES: Final[tuple[Rule, ...]] = (
    # --- suicidal intent, direct ---------------------------------------------------------------
    _rule(
        SUICIDAL,
        "crisis",
        r"\b(?:kill|killing|killed|kills) ?myself\b",
        r"\bkms\b",
        r"\bctb\b",
        r"\bunaliv\w*",
        r"\bun alive (?:myself|me)\b",
        r"\bsewer ?slide\w*",
        r"\bself ?delet\w*",
        r"\b(?:off|offing|end|ending|top|topping|neck|necking) myself\b",
        r"\bdo myself in\b",
        SUICIDE,
        SUICIDE_OTHER,
        r"\bend(?:ing|ed)? (?:my (?:own )?life|it all|my existence|everything|my suffering)\b",
        r"\btak(?:e|ing) my (?:own )?life\b(?! back| in| into| seriously| more| one)",
        rf"\b{_INTENT} {_FILLER}end(?:ing)? (?:it|things)\b(?! with| off| early| there| here"
        r"| for| at)",
        r"\b(?:tonight|today|tomorrow|this week(?:end)?) (?:is the (?:night|day) )?i"
        r" (?:will )?end (?:it|things|my life)\b",
        subject=True,
    ),
    _rule(
        SUICIDAL,
        "crisis",
        r"\b(?:want(?:ed|ing)?|ready|plan(?:ning)?|deserve|wish i could|would like|like"
        r"|need) to di(?:e|ed)\b(?! (?:of|from|laughing|on this hill|for))",
        r"\bi (?:should|deserve to|ought to) (?:just )?die\b",
        r"\b(?:would|id) rather (?:die|be dead)\b",
        r"\b(?:want|wanted|wish|like|rather|prefer) (?:to )?be dead\b",
        r"\bbetter off dead\b",
        r"\b(?:hope|hoping|pray|praying|wish|wishing) (?:that )?i (?:die|died|would die|was dead"
        r"|were dead|could die|get hit by|never wake|do not wake|will not wake|would not wake)\b",
        r"\b(?:and|to) (?:not|never) wake up\b",
        r"\bnever want to wake up\b",
        r"\b(?:sleep|go to sleep|fall asleep|rest) (?:forever|for ever|permanently)\b",
        r"\bwant to not (?:exist|be alive|be here|be around|wake up)\b",
        r"\b(?:stop|stopped) existing\b",
        r"\bcease to exist\b",
        r"\bwish i (?:did not|do not|would not) exist\b",
        r"\bfeel(?:ing)? like dying\b",
        r"\b(?:think|thinking|thought) (?:about|of) (?:dying|death|being dead|not being (?:here"
        r"|alive|around)|not existing)\b",
        r"\b(?:tired|sick|exhausted) of (?:living|being alive|existing|life itself)\b",
        r"\b(?:no|lost (?:the|my|all)|losing (?:the|my)) will to live\b",
        r"\bwant (?:it|everything|this|the pain|my life) (?:all )?to (?:end|stop|be over)"
        r" (?:permanently|forever|for good)\b",
        r"\bwant it all to (?:end|be over|stop)\b",
        r"\bnot worth living\b",
        r"\b(?:life|living) (?:is|was) (?:not|no longer|never) worth (?:it|living)\b",
        r"\bwhat is (?:even )?the point (?:of|in) (?:living|being alive|existing|going on"
        r"|staying alive|carrying on)\b",
        r"\bno (?:reason|point) (?:(?:to|in|of) )?(?:go on|going on|live|living|keep living|be"
        r" alive"
        r"|being alive|staying alive|stay alive|keep going|carrying on|carry on|exist|existing)\b"
        r"(?! (?:a |an |the |holiday|vacation|about|with|at|dates?|there|here|in (?:this|that)"
        r" (?:house|city|town|flat|job)))",
        r"\b(?:will not|will no longer|not going to) be (?:around|alive|here) (?:much longer"
        r"|for much longer|for long|anymore|any more)\b",
        r"\b(?:do not|can not) think i will (?:still )?be (?:around|alive|here) (?:for|by|next"
        r"|much longer)\b",
        r"\b(?:can not|do not want to|no reason to|do not know how to) (?:go on|keep) living\b",
        r"\b(?:nobody|no one|noone|not anyone) (?:would|will) (?:even )?(?:miss|notice|care)"
        r"\b[^.!?]{0,40}?\bif i (?:died|was dead|were dead|was gone|were gone|disappeared"
        r"|killed myself|was not (?:here|around))\b",
        r"\bbetter off without me\b",
        r"\b(?:world|everyone|everybody|family|they|people|you all|kids|friends|everything|parents"
        r"|life) (?:would|will) be (?:so much |a lot |much |so )?(?:better|happier|easier|a better"
        r" place)(?: off)? (?:without me|if i (?:was|were) (?:gone|dead|not (?:here|around"
        r"|alive)))\b",
        r"\b(?:(?:nobody|no one|noone|not anyone|anyone|everyone|people|they) (?:\w+ ){0,3}?)?"
        r"(?:care|notice|miss me|matter|cry|remember me)\b(?: \w+){0,3}? (?:when|once|after) i"
        r" (?:am gone|am dead|die|have gone|kill myself|am not here anymore)\b",
        r"\b(?:do not|can not|could not) see (?:the|any) point (?:in|of) (?:living|being alive"
        r"|going on|life|existing|carrying on|staying alive)\b",
        r"\bwant (?:it all|everything|the pain|my life|all of it|it) to (?:be over|end)(?= ?(?:$"
        r"|[.!?,;]| now| already| tonight))",
        r"\bwant (?:the pain|everything|it all) to stop (?:forever|for good|permanently)\b",
        r"\bbetter off if i (?:was|were|am) (?:not )?(?:gone|dead|here|around|alive|born)\b",
        r"\bbetter off if i (?:died|disappeared|never existed)\b",
        subject=True,
    ),
    # --- suicidal intent: the general grammar ----------------------------------------------------
    # intent (any subject, any inflection) + up to three filler words + what is intended.
    _rule(
        SUICIDAL,
        "crisis",
        rf"\b{_WANT_TO} {_FILLER}{_DIE}",
        rf"\b{_WANT_TO} {_FILLER}(?:be dead|be gone (?:forever|for good)|not be alive)\b",
        rf"\b{_WANT_TO} {_FILLER}(?:not|never) (?:be (?:here|alive|around|born)|exist|have (?:been"
        r" )?"
        r"(?:born|existed)|wake up|see (?:tomorrow|another day|the morning|next year)|live"
        r" anymore|live any more)\b",
        rf"\b{_WANT_TO} {_FILLER}(?:stop|quit|cease) (?:existing|living|breathing|being alive|to"
        r" exist)\b(?! (?:like|in|with|at|off|for|on|so|through|my|the|a)\b)",
        rf"\b{_WANT_TO} {_FILLER}(?:disappear|vanish|be gone|fade away) (?:forever"
        r"|for good|for ever|permanently|from (?:this|the) (?:world|earth|planet)|and never (?:come"
        r" back|be found|wake up))\b",
        rf"\b{_WANT_TO} {_FILLER}(?:(?:lie|lay) down and die|go to sleep (?:and never|forever)"
        r"|fall asleep (?:and never|forever)|join (?:him|her|them|my \w+) (?:in heaven|on the other"
        r" side|in the ground))\b",
        rf"\b{_INTENT} {_FILLER}(?:end|ending) (?:it all|everything|my life|myself|this life|my"
        r" existence|my suffering|it once and for all)\b(?! with| between)",
        rf"\b{_INTENT} {_FILLER}(?:end|ending) (?:it|things)\b(?! with| off| early| there| here"
        r"| for| at| between| (?:\w+ )?(?:meeting|call|chat|conversation|relationship|game))",
        r"\b(?:disappear|disappearing|disappeared|vanish|vanishing) (?:forever|for good|for ever"
        r"|permanently)\b(?! from (?!(?:this|the) (?:world|earth|planet)))",
        r"\bleav(?:e|ing) this (?:world|earth|life)\b",
        r"\b(?:rather|prefer to|prefer) (?:not (?:exist|be alive|be here|wake up|live|be born)"
        r"|be gone|never wake up|never have been born)\b",
        # Passive wishes: "everyone would be happier if i never woke up", "i hope i do not wake
        # up", "it would be easier for everyone if i was gone".
        rf"\b(?:wish|wished|wishing|hope|hoping|pray|praying|rather|happier|better off|easier"
        r"|better|relieved|relief|glad) (?:that )?(?:(?!not\b|never\b)\w+ ){0,6}?i (?:would "
        r"|could"
        rf" |just |had |did |were to )?{_GONE}\b",
        r"\b(?:would be|sounds|seems|feels|must be|will be) (?:so |really |kind of )?(?:nice"
        r"|peaceful"
        r"|good|easier|better|a relief|relaxing|great|lovely|amazing) to (?:just )?(?:not (?:wake"
        r" up"
        r"|exist|be here|be alive|be around|feel anything ever again)|never wake up|die|be dead"
        r"|stop existing|disappear forever|fall asleep forever|sleep forever|end it|not be)\b",
        # "does anyone even care if i die tonight", "would anyone notice if i was gone"
        r"\b(?:(?:nobody|no one|noone|not anyone|anyone|everyone|people|they) (?:\w+ ){0,3}?)?"
        r"(?:care|notice|miss me|matter|bother|cry|come to my funeral)\b(?: \w+){0,3}? if i"
        r" (?:die|died|was gone|were gone|disappeared|killed myself|was dead|were dead|was not"
        r" (?:here|around|alive)|never woke up|did not wake up|ended it|just died)\b",
        r"\b(?:doing|do) (?:everyone|everybody|the world|my family|them|you all|you|the people"
        r" around me) a (?:favour|favor) (?:by|if i) (?:\w+ ){0,2}?(?:dying|disappearing|killing"
        r" myself|being gone|not being (?:here|around|alive)|ending it|not existing|died|was gone"
        r"|disappeared)\b",
        r"\b(?:i want|i wish|i need|i just want) (?:someone|somebody|something|a car|a truck|a bus"
        r"|god|the universe|\w+) to (?:kill|shoot|end) me\b",
        r"\b(?:wish|hope|pray|praying|hoping) (?:that )?(?:someone|somebody|something|a car|a truck"
        r"|a bus|a train|a lorry|god|the universe|the plane|the car|a meteor|a bullet|cancer"
        r"|lightning) (?:would |will |could )?(?:just )?(?:(?:kill|hit|take|end|strike)s? (?:me|my"
        r" life)|runs? me over)\b",
        r"\bi (?:will not|am not going to|will no longer) (?:be|still be) alive (?:by|next|after"
        r"|past|to see|for|on|at|tomorrow|this time)\b",
        r"\bi (?:will not|am not going to) (?:live|survive) (?:to see|past|through|until|till"
        r"|beyond|much longer)\b",
        subject=True,
    ),
    _rule(
        SUICIDAL,
        "crisis",
        # These contain their own negation, so negation in front of them is not a reversal.
        r"\bdo not want to (?:live|be alive|exist|wake up|go on|keep living|carry on"
        rf"|be around (?:anymore|any more)|be here(?: (?:anymore|any more|on this earth"
        rf"|in this world|now))?{END})",
        r"\bno longer want to (?:live|be alive|exist|be here)\b",
        r"\b(?:do not|can not|could not|can never) (?:see|picture|imagine) myself (?:being |still"
        r" |even )?(?:alive|here|around|living|surviving|making it|growing old|getting old|at \d+)"
        r" (?:next|by|in|much longer|past|beyond|until|till|through|to|for|another|after|at)\b",
        r"\b(?:do not|am not|not) (?:plan|planning|expect|expecting|intend|intending) (?:on |to )?"
        r"(?:be|being|still be|still being|stay|staying) (?:alive|here|around) (?:by|next|for|after"
        r"|past|much longer|tomorrow|at|on|until|till|in|this time|to see)\b",
        r"\b(?:do not|dont) care (?:if|whether) i (?:die|live|wake up|am alive|am dead|make it)\b",
        r"\b(?:do not|never) want to (?:wake up|see (?:tomorrow|another day|the morning))\b",
        negatable=False,
    ),
    # --- farewells and preparation ---------------------------------------------------------------
    _rule(
        SUICIDAL,
        "crisis",
        r"\b(?:written|wrote|writing|write) (?:a |my )?(?:goodbye|farewell|last) (?:note|letter"
        r"|message)s?\b",
        r"\b(?:goodbye|farewell) (?:letter|note)s?\b",
        r"\bsaid (?:my )?goodbyes\b",
        r"\b(?:said|saying|say) goodbye to (?:everyone|everybody|my family|my friends|all of (?:you"
        r"|them)|the people i love|my kids|my children)\b",
        r"\bthis is (?:my )?goodbye\b",
        r"\bthis is the last (?:message|text|time you will hear from me)\b",
        r"\bgiv(?:e|ing|en) away (?:all )?my (?:stuff|things|belongings|possessions|pets?)\b"
        r"[^.!?]{0,40}?\b(?:will not|do not|would not) need\b",
        r"\b(?:good ?bye|bye|farewell) (?:forever|for good|for ever|world|cruel world|everyone"
        r" forever)\b",
        r"\byou (?:will not|are not going to|will never) (?:hear from|see|hear of) me (?:again"
        r"|anymore|any more|after (?:today|tonight))\b",
        r"\b(?:this is|these are) my (?:last|final) (?:words|message|goodbye|post|text)\b",
        r"\b(?:my )?(?:suicide|goodbye|farewell) (?:note|letter|video|post)s?\b",
        subject=True,
    ),
    _rule(
        SUICIDAL,
        "concern",
        r"\b(?:giv(?:e|ing|en)|gave) away (?:all )?my (?:stuff|things|belongings|possessions)\b",
        r"\b(?:giv(?:e|ing|en)|gave) (?:all )?(?:of )?my (?:\w+ )?(?:stuff|things|belongings"
        r"|possessions"
        r"|clothes|books|games|jewel(?:le)?ry|savings) away\b",
        r"\b(?:imagin\w*|picture|picturing|pictured|fantasi[sz]\w*|daydream\w*) (?:\w+ ){0,2}?(?:my"
        r" (?:own )?(?:funeral|death|grave|dying)|being dead|not being (?:here|alive|around)|not"
        r" existing)\b",
        r"\b(?:curl up|crawl (?:into|in) a hole) and die\b",
        r"\b(?:i am )?going to die\b",
        r"\bfeel(?:ing)? like i am dying\b",
        r"\bif i (?:died|was dead|were dead)\b",
    ),
    # --- plans and means -------------------------------------------------------------------------
    _rule(
        PLAN,
        "crisis",
        r"\bplan(?:ned|ning)? (?:how|when|where)(?: to do it| i will do it| to end it| to die"
        r"| i am going to do it)?(?= ?(?:$|[.!?,;]| and))",
        r"\b(?:painless|easiest|easy|quickest|quick|fastest|best|surest|least painful"
        r"|most effective) (?:way|ways|method|methods) (?:to die|to kill myself|to end it"
        r"|to end my life|to go|of dying|to commit|to do it)\b",
        r"\blethal (?:dose|amount)\b",
        r"\bhow (?:to|do i|can i|do you|would i) (?:kill myself|die|end my life|end it all"
        r"|hang myself|overdose|od|slit|commit)\b",
        rf"\bhow (?:many|much) (?:\w+ ){{0,2}}?(?:{PILLS}|of (?:them|it))\b[^.!?]{{0,30}}?"
        r"\b(?:would it take|does it take|will it take|it would take|it takes|to (?:die|kill"
        r"|overdose|od)|is (?:lethal|fatal|too many|an overdose))\b",
        rf"\b(?:saved|saving|stockpil\w*|hoard\w*|stash\w*|been keeping|kept|hiding|hid)"
        rf" (?:up )?(?:all )?(?:of )?(?:my |some |enough |the )?{PILLS}\b",
        r"\b(?:bought|buy|buying|got|have|found|ordered|hid|hidden|tied|made|prepared) (?:a |the"
        r" |some |my )?rope\b",
        r"\bnoose\b",
        r"\b(?:have|got|bought|keep|keeping|laid) (?:the |my |a |some )?(?:blades?|razors?"
        rf"|razor blades|{PILLS}|gun|rope|knife) (?:ready|out|hidden|next to me|in front of me"
        r"|laid out)\b",
        r"\b(?:gun|pistol|rifle|shotgun) (?:to|against) my (?:head|temple|chest)\b",
        r"\b(?:use|using|turn|turning|point|pointing) (?:it|the gun|my gun|a gun|the rifle"
        r"|the knife|a knife) on myself\b",
        r"\bshoot(?:ing)? myself\b",
        r"\bblow my (?:brains|head) (?:out|off)\b",
        r"\b(?:hang|hanging|hung|hanged) myself\b",
        r"\b(?:drown|drowning) myself\b",
        r"\b(?:slit|slitting|slice|slicing|cut|cutting) (?:open )?my (?:wrists?|throat)\b",
        r"\b(?:know|chose|chosen|picked|found|decided on|scouted) (?:out )?(?:which|the|a)"
        r" (?:bridge|building|cliff|ledge|roof)\b(?! to cross| for)",
        r"\bstanding (?:on|at) (?:the |a )?(?:bridge|ledge|edge of the (?:roof|bridge|platform)"
        r"|roof|rooftop|cliff edge|railing)\b(?! (?:watching|taking|looking at (?:the )?(?:view"
        r"|sunset|sunrise|river|city|lights|stars)|with (?:my|friends|the)|enjoying|waiting for"
        r" (?:the|my|a) (?:bus|train|friend|friends)))",
        r"\b(?:jump|jumping|leap|leaping|throw myself|throwing myself) (?:off|from|in front of)"
        r" (?:a |the |my |this |that )?(?:\w+ ){0,2}?(?:bridge|roof|rooftop|building|cliff"
        r"|balcony|window|train|bus|truck|lorry|car|ledge|tower|car park|parking garage"
        r"|overpass)\b",
        r"\b(?:step|stepping|walk|walking|run|running|throw myself|throwing myself) (?:in front of"
        r"|into) (?:a |the )?(?:train|bus|truck|lorry|oncoming traffic|traffic)\b",
        r"\b(?:lie|lying|lay|laying) (?:down )?on the (?:tracks|railway|rails)\b",
        r"\b(?:drive|driving|crash|crashing|steer|steering|swerve|swerving) (?:my car |the car"
        r" |myself )?(?:into|off) (?:a |the )?(?:wall|tree|bridge|cliff|river|lake|sea"
        r"|oncoming traffic|traffic|pole|truck|lorry)\b",
        rf"\b{_INTENT} {_FILLER}(?:overdos\w*|od|tak(?:e|ing) (?:all|every one) (?:of )?my"
        rf" {PILLS})\b",
        r"\b(?:ways?|methods?) to (?:die|kill myself|end (?:it|my life)|commit suicide)\b",
        r"\bi (?:have |just |already )?(?:took|taken|take) (?:an |a )?overdose\b",
        r"\bi (?:have |just |already )?overdosed\b",
        # An overdose already taken: "took too much of my meds", "double my tablets on purpose".
        rf"\b(?:took|taken|swallowed|had) (?:way )?too much (?:of )?(?:my |the |his |her )?"
        rf"(?:\w+ )?{PILLS}\b",
        rf"\b(?:took|taken|swallowed|swallow|take|taking) (?:a whole|an entire|the whole|a full)"
        rf" (?:bottle|pack|packet|box|strip|tub) of (?:my )?{PILLS}\b",
        r"\b(?:took|taken|swallowed|swallow) (?:a handful of|handfuls of|[2-9][0-9]"
        rf"|[1-9][0-9]{{2}}) (?:of )?(?:my |the |his |her )?(?:\w+ )?{PILLS}\b",
        r"\b(?:bottle of|all the|a bottle of|drinking|drank) (?:\w+ )?(?:vodka|whisky|whiskey"
        r"|alcohol"
        rf"|booze|wine|gin|rum) and (?:all )?(?:of )?(?:my|the|some|a bunch of|these) {PILLS}\b",
        r"\b(?:going to|gonna|about to|want to|ready to|will) (?:just )?jump(?= ?(?:$|[.!?,;]"
        r"| tonight| now| right now| off))",
        r"\b(?:the )?(?:only|best|last|easiest) (?:way out|option|answer|solution|escape|choice)"
        r" (?:left )?(?:is|would be|seems|feels like) (?:to )?(?:die|death|dying|ending it|to end"
        r" it"
        r"|killing myself|to kill myself|ending my life|not being here|not existing)\b",
        r"\b(?:death|dying) (?:is|seems|feels like|would be) (?:the|my) (?:only|best|last|easiest)"
        r" (?:way out|option|answer|solution|escape|choice)\b",
        r"\bmight as well (?:just )?(?:die|be dead|kill myself|end it|not exist|not be here)\b",
        r"\b(?:took|taken|swallowed|downed|has taken|have taken) (?:a bunch of|a lot of|loads of"
        r"|lots of|too many|so many|a whole lot of|a whole bunch of|a ton of|tons of|heaps of"
        r"|a heap of|all (?:of )?(?:his|her|their|my|the)|every)"
        rf" (?:of )?(?:my |his |her |their |the )?(?:\w+ )?{PILLS}\b",
        r"\b(?:is it|would it be|how) (?:painful|quick|fast|easy|peaceful|slow) to die (?:from|by"
        r"|of"
        r"|if)\b",
        r"\bdoes (?:it|an overdose|overdosing|hanging|drowning|bleeding out|jumping) hurt\b",
        r"\b(?:think\w*|thought) (?:about|of) (?:jumping|hanging|overdosing|drowning|slitting)(?="
        r" ?(?:$"
        r"|[.!?,;]| again| tonight| off| from| in front| myself))",
        r"\b(?:think\w*|thought|planned|planning|figured out|worked out|decided) (?:about |on )?how"
        r" (?:i would|i will|i could|i am going to|i want to|to) (?:do it|end it|go|die|kill"
        r" myself)"
        r"(?= ?(?:$|[.!?,;]| tonight| and| when| if))",
        r"\b(?:staring|looking|stare|look|keep looking|stood|standing) (?:at|over|down at|down)"
        r" (?:the"
        r" |my )?(?:train tracks|tracks|edge|drop|pills|blade|blades|rope|noose|razor)\b",
        r"\b(?:holding|hold|have|got|pressing|put|putting) (?:a|the|my) (?:knife|blade|razor|gun"
        r"|pistol) (?:to|against|on) my (?:wrists?|throat|arm|arms|skin|neck|head|chest)\b",
        r"\bi (?:have )?attempted (?:before|once|twice|in the past|last (?:year|month|week)"
        r"|[0-9]+ times|several times|a few times)\b",
        r"\bmy (?:last|first|previous|third|second) attempt\b",
        rf"\ball (?:of )?(?:my|the) {PILLS} at once\b",
        # "how much ibuprofen would be fatal", "how high does a building need to be"
        rf"\bhow (?:many|much) (?:\w+ ){{0,2}}?(?:{PILLS}|of (?:them|it|these|those))\b"
        r"(?: \w+){0,6}? (?:would|will|could|is|are|does|do) (?:it )?(?:be )?(?:fatal|lethal|deadly"
        r"|enough to (?:die|kill|not wake up)|too many to survive|kill (?:me|you|someone|a"
        r" person))\b",
        r"\bhow (?:high|tall|far|long) (?:\w+ ){0,3}?(?:building|bridge|fall|drop|floor|storey"
        r"|story"
        r"|cliff|balcony|roof|jump) (?:\w+ ){0,3}?(?:needs? to be|has to be|do you need|would you"
        r" need|to die|to kill|is fatal|would be fatal|is lethal|would kill|to not survive|to be"
        r" fatal|before you die|until you die)\b",
        r"\bhow (?:long|quickly|fast) (?:\w+ ){0,4}?(?:to die|to bleed out|to drown|until (?:you|i)"
        r" (?:die|pass out|bleed out)|before (?:you|i) (?:die|pass out))\b",
        r"\b(?:looked up|looking up|look up|researched|researching|googled|googling|searched"
        r"|searching"
        r"|reading about|read about) (?:\w+ ){0,3}?(?:lethal|overdose|overdoses|ways to die|how to"
        r" (?:die|hang|overdose)|suicide methods|painless)\b",
        rf"\b(?:my |the |all (?:my|the) )?{PILLS} (?:are |is )?(?:all )?(?:lined up|laid out"
        r"|counted"
        r" out|in a pile|in front of me|next to me|on the (?:desk|table|bed|nightstand|counter"
        r"|floor))\b(?! for (?:the|this|next|a) (?:week|day|month|trip))",
        rf"\b(?:have|got|saved|collected|stockpiled|gathered|bought|hoarded) enough {PILLS}"
        r"\b(?! for (?:the|my|a|this|next|\w+ (?:days|weeks|months))\b| to last)",
        rf"\benough {PILLS} to (?:die|kill|end it|do it|od|overdose|not wake up)\b",
        rf"\b(?:collect|collected|collecting|gathering|gathered|keeping|saving up) (?:all )?(?:of"
        rf" )?(?:my |some |enough |the )?{PILLS}\b(?! for (?:the|my|a|this|next) (?:week|trip"
        r"|holiday|vacation))",
        rf"\b{_INTENT} {_FILLER}(?:jump|jumping|leap|leaping|throw myself|throwing myself|step"
        r"|stepping|walk|walking) (?:off|from|in front of|into|under) (?:a |the |my |this |that )?"
        r"(?:\w+ ){0,2}?(?:bridge|roof|rooftop|building|cliff|balcony|window|train|bus|truck|lorry"
        r"|car|ledge|tower|car park|parking garage|overpass|traffic|river|sea|lake)\b",
        rf"\b{_INTENT} {_FILLER}(?:swallow|take|taking|swallowing|down|downing) (?:all|every single"
        r"|every one|every"
        rf"|the whole|a whole|the rest) (?:of )?(?:my |the |these |those )?(?:\w+ )?{PILLS}\b",
        subject=True,
    ),
    # --- self-harm -------------------------------------------------------------------------------
    _rule(
        SELF_HARM,
        "crisis",
        r"\bself ?harm\w*",
        r"\b(?:hurt|hurting|harm|harming|burn|burning|burned|burnt|hit|hitting|punch|punching"
        r"|scratch|scratching|scratched|bite|biting|cut|cutting|stab|stabbing|mutilate"
        r"|mutilating) myself\b",
        r"\b(?:been|started|start|keep|kept|was|am|back to|relapsed? (?:and|into|on)|urges? to"
        r"|want to|need to|stop|quit|stopped|clean from|craving) cutting(?= ?(?:$|[.!?,;]| again"
        r"| myself| my (?:arms?|wrists?|legs?|thighs?|skin|stomach|body)| and| but| because"
        r"| since| lately| recently| every| more| deeper))",
        r"\b(?:want|need|urge|urges|going|about) to cut(?= ?(?:$|[.!?,;]| so| again| myself"
        r"| tonight| right now| deeper| badly))",
        r"\bcut (?:my|his|her)? ?(?:arms?|thighs?|legs?|skin|stomach|hips?) (?:again|last night"
        r"|tonight|today|until|so)\b",
        r"\buntil (?:it|they|i) (?:bled|bleeds|bleed|started bleeding)\b",
        r"\bmake myself bleed\b",
        # "i cut again tonight", "i cut last night", "i burned again"
        r"\bi (?:(?!got\b|get\b|was\b|were\b|am\b|have\b)\w+ )?(?:cut|burned|burnt|burn|scratched)"
        r" (?:myself )?(?:again|last night|deeper|too deep|so deep|deep|really deep|badly|tonight"
        r"|on purpose|deliberately)\b(?! from)",
        r"\b(?:cutting|burning|scratching|hurting) (?:again|deeper)\b",
        r"\b(?:so|and|then|until|because|sometimes|now) i (?:cut|burn|cut myself|burn myself)(?="
        r" ?(?:$"
        r"|[.!?,;]))",
        r"\b(?:cut|cutting|cuts|carve|carved|carving|slash|slashed|slashing) (?:into )?my (?:own )?"
        r"(?:arms?|legs?|wrists?|thighs?|skin|stomach|hips?|ankles?|forearms?)\b",
        r"\b(?:burn|burned|burnt|burning|scratch|scratched|scratching|hit|hitting|punch|punched"
        r"|punching|bruise|bruised|bruising|bite|bit|biting)"
        r" (?:my (?:own )?(?:arms?|legs?|wrists?|thighs?|skin|stomach|hands?|fists?|body)"
        r"|myself)(?: (?!on\b|at\b|in\b|against\b|playing\b|while\b)\w+){0,4}? (?:again|on"
        r" purpose|deliberately|until|with (?:a |my |the )?"
        r"(?:lighter|cigarettes?|razor|blade|knife|compass|scissors|glass|lighter)|when i (?:am|get"
        r"|feel)|to (?:feel|cope|punish|stop))\b",
        r"\b(?:hurt|hurting|hurts|harm|harming|injure|injuring|injured|punish|punishing|punished)"
        r" myself (?:\w+ ){0,3}?(?:on purpose|deliberately|intentionally|because i deserve)\b",
        r"\bself ?injur\w*",
        r"\bsh (?:urges?|again|relapse|scars?|wounds?|cuts?)\b",
        r"\b(?:did|doing|do|relapsed on|relapse on|clean from|clean of|days clean from) sh\b",
        r"\b(?:relapsed|relapse) (?:and|on|with|into) (?:cutting|burning|self ?harm\w*|hurting"
        r"|cut|burned|burnt|hurt myself)\b",
        r"\b(?:starving|starve|starved) myself (?:\w+ ){0,3}?(?:because|as punishment|to punish"
        r"|until)\b",
        subject=True,
    ),
    # --- harm to others --------------------------------------------------------------------------
    _rule(
        HARM_OTHERS,
        "crisis",
        r"\bi (?:am |have )?(?:\w+ )?(?:going to|will|plan(?:ning)? to|about to|ready to"
        rf"|decided to|intend to) {_FILLER}{HARM_VERB} {TARGET}",
        r"\bshoot up (?:the|my|a|our) (?:school|office|class|college|uni|university|church"
        r"|mosque|synagogue|temple|mall|workplace|party)\b",
        rf"\b(?:thoughts|thinking|thought|fantasi[sz]e|fantasi[sz]ing|dream|dreaming) (?:about"
        rf"|of) {HARM_VERB_ING} {TARGET}",
        # A concrete method is not hyperbole: "i want to stab him", "i need to shoot her".
        r"\b(?:want(?:ed|ing)?|wish i could|would like|urges?|need|going|plan(?:ning)?) to"
        rf" {_FILLER}"
        rf"(?:stab|shoot|strangle|poison|run over|burn|set fire to|choke) {TARGET}",
        r"\b(?:gun|knife|weapon|rifle|pistol|bat|axe|machete|poison) (?:\w+ ){0,2}?to"
        rf" (?:{HARM_VERB}"
        rf"|use on) {TARGET}",
        r"\bi (?:am |have )?(?:\w+ )?(?:going to|will|plan(?:ning)? to|about to|want to|ready to)"
        rf" {_FILLER}(?:burn|set fire to|torch|blow up) (?:down )?(?:his|her|their|my \w+s|the|our)"
        r" (?:house|flat|car|home|place|school|office|apartment)\b",
    ),
    _rule(
        HARM_OTHERS,
        "concern",
        rf"\b(?:want(?:ed|ing)?|wish i could|would like|urges?|need) to {_FILLER}{HARM_VERB}"
        rf" {TARGET}",
        rf"\bcould (?:kill|murder|stab|strangle) {TARGET}",
        # Revenge: crisis with a weapon or a plan (see SERIOUS), concern otherwise.
        rf"\b(?:make|making) {TARGET} (?:pay|suffer|regret (?:it|this|everything))(?= ?(?:$|[.!?,;]"
        r"| for (?:what|this|that|everything|it|hurting|doing)| and| i | tonight| one day))",
        rf"\b(?:get|getting) (?:back at|revenge on|even with) {TARGET}",
        rf"\b(?:teach|teaching) {TARGET} a lesson\b",
        r"\b(?:revenge|payback) (?:tonight|tomorrow|soon|is coming)\b",
    ),
    # --- harm from others ------------------------------------------------------------------------
    _rule(
        HARM_FROM_OTHERS,
        "crisis",
        rf"\b{ABUSER} (?:always |keeps |still |often |sometimes |regularly |constantly |just |has"
        r" |had |also )?(?:hits|hit|hitting|beats|beat|beating|punches|punched|punching|slaps"
        r"|slapped|kicks|kicked|chokes|choked|choking|strangles|strangled|rapes|raped|molests"
        r"|molested|abuses|abused|assaults|assaulted|attacks|attacked|threatens|threatened|touches"
        r"|keeps touching) me\b",
        rf"\b{ABUSER} (?:\w+ )?touched me (?:inappropriately|there|down there|without|when"
        r"|at night)\b",
        r"\b(?:threatened|threatens|threatening|said (?:he|she|they) (?:would|will|is going to"
        r"|was going to)|says (?:he|she|they) (?:will|is going to|would)|tried to|trying to"
        r"|wants to|promised to|swore (?:he|she|they) would) (?:to )?(?:kill|murder|hurt|stab"
        r"|shoot|strangle|rape) me\b",
        r"\b(?:raped|rape|raping|molested|molesting) me\b",
        r"\b(?:i was|i got|i have been|i had been|i am being|i was being) (?:\w+ )?(?:raped"
        r"|sexually assaulted|molested|sexually abused|abused|assaulted|trafficked|beaten up)\b",
        r"\b(?:scared|afraid|terrified|frightened) (?:to go|of going) (?:back )?home\b",
        r"\b(?:scared|afraid|terrified|fear|fearing|fearful) for my (?:life|safety)\b",
        r"\b(?:scared|afraid|terrified) (?:that )?(?:he|she|they) (?:will|is going to|are going to"
        r"|might|would) (?:kill|hurt|hit|rape) me\b",
        r"\b(?:locks|locked|lock|keeps|kept) me (?:in|inside|locked|prisoner|trapped)\b",
        r"\bwill not let me leave (?:the house|home|the flat|the room|him|her)\b",
        # "my dad gets drunk and beats my mum and me", "he has been choking me"
        rf"\b{ABUSER} (?:(?!not\b|never\b|no\b)\w+ ){{0,3}}?(?:hits|hit|hitting|beats|beat|beating"
        r"|punches|punched|punching|slaps|slapped|slapping|kicks|kicked|kicking|chokes|choked"
        r"|choking|strangles|strangled|strangling|rapes|raped|raping|molests|molested|molesting"
        r"|abuses|abused|abusing|assaults|assaulted|assaulting|attacks|attacked|burns|burned|burnt"
        r"|whips|whipped|smacks|smacked|belts|belted|batters|battered|bruises|bruised|throws things"
        r" at|threw things at|touches|threatens|threatened|threatening|rapes|stalks|stalked"
        r"|stalking"
        rf") {_VICTIM}\b",
        r"\b(?:threatened|threatens|threatening|threaten|said (?:he|she|they) (?:would|will|is"
        r" going"
        r" to|was going to)|says (?:he|she|they) (?:will|is going to|would)|swore (?:he|she|they)"
        r" would|promised to) (?:to )?(?:kill|murder|hurt|stab|shoot|strangle|rape|burn|beat) (?:us"
        r"|my (?:\w+ )?(?:mum|mom|mother|sister|brother|kids|children|baby|family|dog|cat|son"
        r"|daughter)|the (?:kids|children|baby|family)|mum|mom)\b",
        # Threatening suicide to control someone: "he threatens to kill himself if i leave".
        r"\bthreat\w* (?:to )?(?:kill|hurt) (?:himself|herself|themselves)\b",
        r"\b(?:is|are|will|would|was) (?:going to )?(?:kill|hurt|murder|beat) (?:me|us) (?:\w+ )?if"
        r" (?:i|we) (?:ever )?(?:leave|tell|go|call|report|say|talk|speak|try|do not)\b",
        r"\b(?:hands?|fingers) (?:around|round|on|over) my (?:neck|throat|mouth)\b",
        r"\bgrabbed me by (?:the|my) (?:throat|neck|hair)\b",
        r"\b(?:pushed|shoved|threw|slammed|pinned|dragged) (?:me|us) (?:against|down|into (?:a|the)"
        r" wall|to the (?:floor|ground)|down the stairs|across|by (?:the|my) hair)\b",
        r"\b(?:makes|made|forces|forced) me (?:touch|to touch|do (?:sexual )?things|to do (?:sexual"
        r" )?things|watch porn|have sex|send (?:him|her) (?:pictures|photos|nudes))\b",
    ),
    _rule(
        HARM_FROM_OTHERS,
        "crisis",
        r"\b(?:i am not|i do not feel|i never feel|i no longer feel|i have not felt|not) safe"
        r" (?:at home|at school|with (?:him|her|them|my \w+)|around (?:him|her|them|my \w+)"
        r"|in my (?:own )?(?:home|house|flat|room)|here|anymore|any more)\b",
        rf"\bi am not safe{END}",
        r"\b(?:feel|am) unsafe (?:at|in|with|around)\b",
        negatable=False,
    ),
    _rule(
        HARM_FROM_OTHERS,
        "concern",
        rf"\b{ABUSER} (?:is|are|will|would) (?:going to |gonna )?(?:kill|murder|hurt) me\b",
        rf"\b{ABUSER} (?:hurts|hurt) me\b",
        r"\b(?:scared|afraid|terrified|frightened) of (?:him|her|my (?:\w+ )?(?:dad|father|stepdad"
        r"|mum|mom|mother|stepmum|stepmom|husband|wife|boyfriend|girlfriend|partner|ex|brother"
        r"|uncle"
        r"|stepfather|stepmother))\b(?! (?:finding out|being|seeing|knowing))",
    ),
    # --- other people at risk, neutral mentions --------------------------------------------------
    # Someone else at risk now: crisis, so the writer gets the resources to help them.
    _rule(
        OTHERS_AT_RISK,
        "crisis",
        rf"\b{_INTENT} {_FILLER}(?:kill|killing|end|ending|hurt|hurting|harm|harming|cut|cutting"
        r"|hang|hanging|shoot|shooting|drown|drowning|off|offing|top|topping|unalive|unaliving"
        rf"|overdose|overdosing|poison|poisoning|starve|starving) {_REFLEXIVE_OTHER}\b",
        rf"\b{_INTENT} {_FILLER}(?:end|ending|take|taking) (?:his|her|their) (?:own )?life\b",
        r"\b(?:cuts|cutting|burns|burning|hurts|hurting|harms|harming|scratches|scratching|starves"
        r"|starving|hits|hitting|punches|punching|mutilates|mutilating|hangs|hanging|kills|killing"
        rf") {_REFLEXIVE_OTHER}\b(?! (?:laughing|trying|to|at|over|with work|working|on the))",
        rf"\b(?:cut|burned|burnt|hurt|harmed|scratched) {_REFLEXIVE_OTHER} (?:again|last night|on"
        r" purpose|deliberately|badly|deep|deeper|tonight|today)\b",
    ),
    _rule(
        OTHERS_AT_RISK,
        "concern",
        r"\b(?:kill|killing|killed|kills|hurt|hurting|hurts|cut|cutting|cuts|harm|harming|harms"
        r"|hang|hanged|hung|end|ending) (?:herself|himself|themselves|themself)\b",
        r"\b(?:end|ending|ended|take|taking|took) (?:his|her|their) (?:own )?life\b",
    ),
    _rule(SUICIDE_MENTION, "concern", r"~mention~", negatable=False),
    _rule(
        SUICIDAL,
        "concern",
        r"\boverdos(?:e|ed|es|ing)\b",
        r"\bwould rather die\b",
        r"\bwhat happens (?:when|after) (?:you|i|we) die\b",
    ),
    # --- hopelessness ----------------------------------------------------------------------------
    _rule(
        HOPELESSNESS,
        "concern",
        r"\bhopeless(?:ness|ly)?\b",
        r"\b(?:no (?:more )?|lost (?:all )?(?:my )?|losing (?:all )?(?:my )?|giving up (?:all"
        r" )?)hope\b",
        r"\bhope (?:is gone|has gone|left me)\b",
        r"\b(?:do not|can not) (?:know|see|understand) why i (?:even )?(?:bother|try|keep (?:going"
        r"|trying)|get up|exist)\b",
        r"\b(?:do not|can not) (?:think|know if|know how|see how) i can (?:do|take|handle|keep"
        r" (?:doing|going)|bear|survive|cope with) (?:this|it|any of (?:this|it)|this life|life)?"
        r" ?(?:much longer|anymore|any more|for much longer|forever|another (?:day|week|year))\b",
        r"\b(?:stuck|trapped|drowning|sinking|living|lost) in (?:a|this|the) (?:dark |deep |black"
        r" )?"
        r"(?:hole|pit|place|tunnel|void)\b",
        r"\b(?:in|into) (?:a|such a|this|the) (?:really |very |so |pretty |deep )?(?:dark|black"
        r"|bad)"
        r" (?:place|hole|pit)\b(?! (?:for|to) )",
        r"\b(?:everything|it all|life|my life) (?:is|feels) (?:so |too )?(?:heavy|dark|grey|black)"
        r"(?= ?(?:$|[.!?,;]| and| lately| right now| all the time| anymore))",
        r"\bwhat is (?:even )?the point(?: (?:of|in))?(?: (?:anything|everything|it all|any of"
        r" (?:it|this)|trying|even trying|life|me|bothering|doing anything|getting up))?(?= ?(?:$"
        r"|[.!?,;]| anymore| any more))",
        r"\bnothing (?:ever )?(?:gets|will get|is going to get|is getting|will ever get) better\b",
        r"\b(?:it|things|life|this|i|nothing|my life) (?:is |are |will )?(?:never|not) (?:going to"
        r" )?(?:get|getting) (?:any )?better\b",
        r"\bno (?:way out|escape)\b",
        r"\b(?:do not|can not) see (?:a|any) (?:way out|future|point|end to this|light)\b",
        r"\bno future\b",
        r"\b(?:do not|can not) see a future\b",
        r"\bgiv(?:e|ing) up on (?:life|everything|myself|living)\b",
        r"\bfeel(?:ing)? like giving up\b",
        r"\b(?:my )?life (?:is|feels) (?:so )?(?:meaningless|pointless|worthless|empty|hopeless"
        r"|over|ruined)\b",
        r"\b(?:everything|it all|life|all of this|my life) (?:feels|is|seems) (?:so )?(?:pointless"
        r"|meaningless|hopeless|unbearable)\b",
        r"\bnothing matters(?= ?(?:$|[.!?,;]| anymore| any more| to me))",
        r"\b(?:there is|there is just) no point(?: anymore| any more| in anything| in trying)?"
        rf"{END}",
        r"\bwhy (?:do|should) i (?:even )?(?:bother|try|keep trying|exist|get up)\b",
        r"\bwish i (?:had|would|would have|was|were) never (?:been )?born\b",
        r"\b(?:wish i could|want to|just want to) (?:just )?(?:disappear|vanish)(?= ?(?:$|[.!?,;]"
        r"| forever| for good| and| from (?:this|the) (?:world|earth)))",
        r"\bdisappear (?:forever|for good|for ever)\b",
        r"\b(?:done|finished|over) with (?:life|living|everything|it all)\b",
        r"\b(?:trapped|stuck) (?:and|with) (?:no way out|nowhere to go)\b",
    ),
    # --- distress --------------------------------------------------------------------------------
    _rule(
        DISTRESS,
        "concern",
        r"\b(?:can not|could not|unable to|not able to) cope\b",
        r"\bnot coping\b",
        r"\b(?:can not|could not) (?:take|handle|bear|stand|do) (?:it|this|any of (?:it|this)"
        r"|anything|life|this life|much more) (?:anymore|any more|much longer)\b",
        r"\b(?:can not|could not) (?:keep going|go on|carry on) (?:like this|anymore|any more)\b",
        r"\b(?:i am|i feel like i am|my life is|everything is|i am completely|i am just) falling"
        r" apart\b",
        r"\b(?:i am|i keep) breaking down\b",
        r"\b(?:nervous|mental|emotional) breakdown\b",
        r"\blosing my mind\b",
        r"\b(?:can not|could not) stop crying\b",
        r"\bcry(?:ing)? (?:myself to sleep|every (?:day|night)|all the time|all day|all night)\b",
        r"\bpanic attacks?\b",
        r"\bi(?: am| have been| just| always| constantly| still)? (?:feel|feeling|felt) (?:so"
        r" |completely |totally |just |really |kind of |always |constantly )?(?:empty|numb|nothing"
        r"|hollow|dead inside)\b",
        r"\b(?:dead|empty|dying) inside\b",
        r"\b(?:alone|lonely) (?:it hurts|and (?:nobody|no one) cares)\b",
        r"\b(?:nobody|no one|noone) (?:cares|would care|loves|understands) (?:about )?me\b",
        r"\bi am (?:really |just |so |honestly )?not (?:ok|okay|alright|all right)(?= ?(?:$"
        r"|[.!?,;]| and| at all| anymore| any more))",
        r"\b(?:i am|i feel like i am|feel like i am) (?:drowning|suffocating)\b(?! in)",
        r"\bdark thoughts?\b",
        r"\b(?:scared|afraid|frightened|terrified) of (?:my own|my) (?:thoughts|mind|head)\b",
        r"\bintrusive thoughts\b",
        r"\b(?:do not|no longer) care (?:what happens to me|about anything|about myself"
        rf"|about living|anymore{END})",
        r"\b(?:have not|did not|can not|could not) (?:gotten|got|get|been) out of bed\b",
        r"\b(?:have not|did not) (?:eaten|slept|showered|left (?:my|the) (?:room|house|bed))"
        r" (?:in|for) (?:days|a week|weeks)\b",
        r"\bdrink(?:ing)? (?:every night |every day |a lot |so much )?(?:just )?to (?:feel nothing"
        r"|forget|numb|cope|not feel|stop feeling|get through)\b",
        r"\btired of (?:everything|it all|life|trying|fighting|being me|pretending)\b",
        r"\b(?:anxiety|panic|depression|stress) (?:is|has been) (?:through the roof|unbearable"
        r"|out of control)\b",
        r"\bstarv(?:e|ing) myself\b",
        # Self-worth.
        r"\b(?:i am|i feel|feel|feeling|felt|i have always been|i will always be)(?: like)?(?: i"
        r" am)?(?: (?:so|such|just|completely|totally|a|an|really|utterly|nothing but|always"
        r"|complete|total|huge|big)){0,3} (?:worthless|useless|failure|burden|waste of"
        r" space|disappointment|disgrace|mistake|pathetic|disgusting|unlovable|loser|nobody"
        r"|nothing)\b(?! at| with| when it comes)",
        r"\b(?:hate|loathe|despise|can not stand) myself\b",
        r"\bhate my (?:life|existence|body|self)\b",
        r"\b(?:it is|its) all my fault\b",
        r"\bi ruin everything\b",
        r"\b(?:everyone|everybody) (?:hates|would hate) me\b",
        r"\bi have (?:no one|nobody|noone)(?: left)?(?= ?(?:$|[.!?,;]| to talk to| who cares"
        r"| anymore| in my life| at all))",
        r"\bi am (?:really |so |badly |seriously |honestly |just )?struggling(?= ?(?:$|[.!?,;]"
        r"| right now| so much| a lot| mentally| with everything| to cope| to keep going| to get"
        r" through| to stay| to survive))",
        r"\bhow much (?:more|longer) i can (?:take|handle|cope|go on|do this|keep going|survive)\b",
        r"\b(?:i (?:just |really |honestly |still )?(?:am|feel|have been|get)|feeling) (?:so "
        r"|really"
        r" |very |incredibly |extremely"
        r" |unbearably |painfully |desperately |completely |totally |utterly )(?:lonely|alone|lost"
        r" and alone|overwhelmed|lost)\b(?! (?:in (?:this|the) (?:book|game|show|city)|at sea))",
        r"\b(?:do not|no longer|can not) (?:want to |be bothered to )?do anything (?:anymore|any"
        r" more)\b",
        r"\b(?:feel|feeling|felt) (?:so |completely |totally |really )?trapped\b",
        r"\b(?:overwhelmed|panicking|anxious|anxiety|scared|panic)\b(?: \w+){0,4}? (?:can not|could"
        r" not) breathe\b",
        r"\bburden (?:to|on) (?:everyone|everybody|my family|my friends|you all|people)\b",
        r"\bhate (?:who|what) i am\b",
        r"\bhate (?:everything about myself|being me|being alive)\b",
        r"\b(?:failing|fail|a failure|failed) at (?:everything|life|all of it|being (?:a )?"
        r"(?:person|human|alive))\b",
        r"\bi(?: am| have been| feel| feel so| have been feeling| was| get)? (?:so |really |very"
        r" |severely |deeply |super |extremely |incredibly |badly |clinically )?depressed\b(?!"
        r" (?:about (?:the|my team|that|this) (?:game|match|result|score|weather)|that (?:the|my"
        r" team)|lol|haha\w*))",
        r"\b(?:my )?depression (?:is|has been|keeps) (?:getting )?(?:so |really )?(?:bad|worse"
        r"|awful|terrible|back|unbearable|crushing me|winning)\b",
        r"\bbarely (?:function|functioning|get out of bed|getting out of bed|surviving|holding on"
        r"|hanging on|keeping it together)\b",
        r"\b(?:can not|could not|tired of|sick of|exhausted from) (?:keep )?pretend\w* (?:to be"
        r"|i am|that i am|like i am|everything is) (?:ok|okay|fine|happy|alright|all right)\b",
        r"\bnothing (?:makes me (?:happy|smile|feel (?:good|anything|better))|brings me (?:joy"
        r"|happiness)|feels (?:good|right|real|worth it) anymore|helps anymore|helps any more)\b",
        r"\b(?:lost|no|losing) interest in (?:everything|anything|life|things i (?:used to )?"
        r"(?:love|loved|enjoy|enjoyed))\b",
        r"\b(?:i|i just) (?:feel|am|feel so|am so) (?:broken|shattered|destroyed|crushed"
        r"|defeated|invisible)(?= ?(?:$|[.!?,;]| and| inside| right now| lately| all the time))",
        r"\b(?:feel|feeling|felt) like i am (?:disappearing|fading|fading away|invisible|a ghost"
        r"|not (?:really )?here|not real|drowning|suffocating|breaking)\b",
        r"\b(?:lonely|alone)\b(?: \w+){0,3}? (?:can not|could not) (?:stand|bear|take|cope|handle)"
        r" it\b",
        r"\b(?:nobody|no one|noone|anyone|would anyone|does anyone) (?:\w+ ){0,2}?(?:notice|care"
        r"|miss me) (?:\w+ ){0,2}?if i (?:stopped|left|went away|moved away|vanished|was not"
        r" around|stopped (?:talking|texting|showing up|replying))\b",
        r"\b(?:everyone|everybody|they|my family|people|the world|you all) (?:would|will) be"
        r" (?:happier|better off|better|fine|relieved) (?:\w+ ){0,2}?if i (?:just )?(?:left|went"
        r" away|moved away|stopped|was not around)\b",
        r"\b(?:imagin\w*|picture|picturing|fantasi[sz]\w*|thinking about|think about) (?:my (?:own"
        r" )?(?:funeral|death|grave))\b",
    ),
    # --- Spanish ---------------------------------------------------------------------------------
    _rule(
        SUICIDAL,
        "crisis",
        r"\b(?:quiero|quisiera|me quiero|deseo|voy a|me voy a|pienso en|pensando en|ganas de"
        r"|me gustaria) (?:morir(?:me)?|matarme|suicidarme|quitarme la vida|desaparecer para"
        r" siempre|acabar con (?:mi vida|todo))\b",
        r"\bme (?:quiero|voy a|gustaria|pienso) (?:suicidar|matar|morir)\b",
        r"\bquitarme la vida\b",
        r"\bno (?:tengo|hay) (?:razon|motivo|ganas) (?:para|de) (?:vivir|seguir)\b",
        r"\bojala (?:estuviera muert[oa]|me muriera|no despertar)\b",
        r"\b(?:estarian|estaria|estarias) mejor sin mi\b",
        r"\bmejor sin mi\b",
        rf"\b(?:quiero|quisiera|queria|deseo|deseaba|voy a|iba a|me voy a|pienso|pensaba|estoy"
        r" pensando en|pensando en|he pensado en|tengo ganas de|ganas de|me gustaria|necesito"
        r"|prefiero|preferiria|decidi|he decidido|estoy list[oa] para|planeo|planeando|intente|he"
        rf" intentado|intento) {_GAP}(?:morir(?:me)?|matarme|suicidarme|quitarme la vida|acabar con"
        r" (?:mi vida|todo|esto|mi sufrimiento)|desaparecer (?:para siempre|del mundo)|no"
        r" despertar(?:me)?|dejar de (?:vivir|existir)|estar muert[oa]|ahorcarme|colgarme|pegarme"
        r" un"
        r" tiro|cortarme las venas|envenenarme|ahogarme|tomarme (?:todas )?(?:las|mis) (?:\w+ )?"
        rf"{_ES_PILLS}|{_ES_JUMP})",
        rf"\bme (?:quiero|voy a|gustaria|pienso|quisiera|queria|iba a) {_GAP}(?:suicidar|matar"
        r"|morir"
        r"|quitar la vida|ahorcar|colgar)\b",
        rf"\bme (?:quiero|voy a|gustaria|pienso|quisiera|queria|iba a) {_GAP}(?:tirar|lanzar"
        r"|arrojar"
        r"|aventar|botar) (?:del|de un|de una|desde el|desde la|desde un|desde una|por la|por el|a"
        r" las"
        r"|al|a la|bajo el|bajo un|frente al|frente a un|delante del|delante de un) (?:\w+"
        r" )?(?:puente"
        r"|edificio|techo|azotea|balcon|ventana|vias|tren|metro|camion|coche|carro|auto|acantilado"
        r"|precipicio|rio|mar|autobus|piso)\b",
        r"\bojala (?:me (?:muera|muriera|muriese)|no (?:despierte|despertara|despertar|me despierte"
        r"|me despertara)|estuviera muert[oa]|no existiera|desapareciera para siempre)\b",
        r"\b(?:desearia|quisiera|preferiria|prefiero) (?:estar muert[oa]|no (?:despertar"
        r"|existir))\b",
        r"\b(?:estaria|estarian|estarias|estariamos|seria|serian) (?:todos )?(?:mejor|mas felices)"
        r" (?:muert[oa]|sin mi|si (?:yo )?(?:no estuviera|me muriera|desapareciera|no"
        r" existiera))\b",
        rf"\b{_ES_JUMP}",
        r"\b(?:ahorcarme|colgarme del|pegarme un tiro|cortarme las venas|envenenarme)\b",
        rf"\b(?:junt\w*|acumul\w*|ahorr\w*|escond\w*|almacen\w*) (?:\w+ ){{0,2}}?{_ES_PILLS}\b",
        rf"\bcuant[ao]s? (?:\w+ )?(?:{_ES_PILLS}|paracetamol|ibuprofeno) (?:\w+ ){{0,3}}?(?:para"
        r" morir|son mortales|es mortal|son letales|para no despertar|hacen falta para|se necesitan"
        r" para|matan|me matarian)\b",
        r"\bdosis (?:letal|mortal)\b",
        r"\b(?:compre|tengo|consegui) (?:una )?(?:soga|cuerda) para\b",
        r"\b(?:no tengo|sin) (?:ganas|razones|motivos) (?:de|para) (?:vivir|seguir (?:vivo|viva"
        r"|viviendo|adelante))\b",
        r"\b(?:estoy|estoi) (?:tan |muy )?(?:cansad[oa]|hart[oa]) de (?:vivir|la vida|existir)\b",
        r"\bla vida no vale la pena\b",
        r"\b(?:esta es|es) mi despedida\b",
        r"\badios para siempre\b",
        r"\bcartas? de despedida\b",
    ),
    _rule(
        OTHERS_AT_RISK,
        "crisis",
        rf"\b(?:quiere|queria|va a|iba a|piensa|pensaba|esta pensando en|habla de|dice que quiere"
        rf"|amenaza con|intento|ha intentado) {_GAP}(?:morir(?:se)?|matarse|suicidarse|quitarse la"
        r" vida|acabar con su vida|ahorcarse|cortarse las venas)\b",
        rf"\bse (?:quiere|va a|piensa|quiso|queria) {_GAP}(?:suicidar|matar|morir|quitar la vida"
        r"|ahorcar)\b",
        r"\bse (?:corta|cortaba|lastima|hace dano|autolesiona|quema)\b(?! el pelo| las unas| el"
        r" cabello| cocinando)",
    ),
    _rule(
        SUICIDAL,
        "crisis",
        r"\b(?:ya )?no quiero (?:seguir )?(?:vivir|viviendo|estar aqui|existir|despertar|estar"
        r" viv[oa]"
        r"|seguir viv[oa]|estar en este mundo)\b",
        negatable=False,
    ),
    _rule(
        SELF_HARM,
        "crisis",
        r"\b(?:me corto|me cortaba|cortarme|me he cortado|me lastimo|lastimarme|hacerme dano"
        r"|me hago dano|autolesion\w*)\b(?! el pelo| las unas| el cabello)",
        r"\bme (?:corte|queme|he quemado|quemo|lastime|he lastimado|hice dano|he hecho dano)\b(?!"
        r" (?:el pelo|las unas|el cabello|cocinando|con el cuchillo|el dedo|afeitandome|sin querer"
        r"|con la plancha|con el horno|jugando))",
    ),
    _rule(
        HARM_FROM_OTHERS,
        "crisis",
        r"\bme (?:pega|pegan|golpea|golpean|golpeo|maltrata|maltratan|viola|violo|violaron|abuso"
        r"|amenaza con matarme|amenazo con matarme)\b",
        r"\babus(?:a|o|aba) de mi\b",
        r"\bno estoy (?:a salvo|segur[ao]) en (?:mi )?casa\b",
        r"\b(?:pega|golpea|maltrata|pegaba|golpeaba|maltrataba|viola|violaba|ahorca|estrangula)"
        r" (?:a mi (?:madre|mama|hermana|hermano)|a mis (?:hermanos|hermanas|hijos)|a mi hij[oa])"
        r"\b",
        r"\btengo miedo de (?:volver|ir|regresar|llegar|estar) (?:a|en) (?:mi )?casa\b",
        r"\bme (?:va a|quiere|dijo que me iba a) matar si\b",
        r"\bamenaz\w* con (?:matarme|matarnos|pegarme|hacerme dano|matar a)\b",
    ),
    _rule(
        HOPELESSNESS,
        "concern",
        r"\bno (?:puedo|aguanto) mas\b",
        r"\bsin esperanza\b",
        r"\b(?:no tengo|perdi la|ya no hay|ya no tengo) esperanza\b",
        r"\bdesesperad[oa]\b",
        r"\bme siento (?:inutil|vaci[oa]|una carga|un fracaso|un estorbo)\b",
        r"\bme odio\b",
        r"\bno sirvo para nada\b",
        r"\bodio mi vida\b",
        r"\b(?:todo|ya todo) me da igual\b",
        r"\b(?:ya )?nada (?:me )?importa\b",
        r"\bnada tiene sentido\b",
        r"\b(?:estoy|me siento) (?:muy |tan |super )?(?:deprimid[oa]|destrozad[oa]|sol[oa] y"
        r" vaci[oa])\b",
        r"\bya no (?:aguanto|soporto) (?:mas|esto|la vida)\b",
        r"\bnadie (?:me )?(?:extranaria|echaria de menos|notaria)\b",
    ),
    # --- French ----------------------------------------------------------------------------------
    _rule(
        SUICIDAL,
        "crisis",
        r"\b(?:je veux|je voudrais|jai envie de|envie de|je vais|je pense a|je compte|je souhaite"
        r"|jaimerais) (?:mourir|me tuer|me suicider|en finir|mettre fin a mes jours|disparaitre"
        r" pour toujours|me foutre en lair)\b",
        r"\bmettre fin a (?:mes jours|ma vie)\b",
        r"\btout le monde (?:serait|sera) mieux sans moi\b",
        rf"\b(?:je (?:ne )?(?:veux|voudrais|vais|compte|pense|souhaite|prefererais|desire|reve de"
        r"|songe a|pense a|pense serieusement a|suis pret a|suis prete a|ai decide de|prevois de"
        r"|essaie de|essaye de|dois|voulais|allais)|jai (?:envie|besoin|decide|prevu|pense|essaye"
        r"|essaie) (?:de |d |a )?|jaimerais|jai envie|envie de|envie d|je veux|prete? a) "
        rf"{_GAP}{_FR_DEATH}",
        r"\b(?:je suis|jen ai|jen ai vraiment) (?:\w+ )?(?:marre|fatigue|fatiguee|las|lasse) de"
        r" (?:vivre|la vie|exister)\b",
        r"\b(?:jai )?plus (?:envie|la force|le courage|de raison|aucune raison) de vivre\b",
        r"\b(?:je (?:prefererais|voudrais|aimerais|souhaiterais)|jaimerais|je serais mieux|ce"
        r" serait"
        r" mieux si jetais) (?:\w+ )?(?:etre mort|etre morte|mort|morte|ne pas (?:me reveiller"
        r"|exister)|ne plus (?:me reveiller|exister))\b",
        r"\b(?:serait|seraient|serais|serions|seriez|sera|seront) (?:tous )?(?:mieux|plus"
        r" heureux|plus heureuses|soulages?) (?:sans moi|si je (?:netais plus la|mourais"
        r"|disparaissais|nexistais (?:pas|plus)|etais morte?))\b",
        r"\b(?:me pendre|me tirer une balle|mouvrir les veines|me couper les veines)\b",
        r"\bme jeter (?:\w+ ){0,3}?(?:pont|train|metro|fenetre|toit|immeuble|voiture|camion|vide"
        r"|seine|riviere|balcon|falaise|rails)\b",
        rf"\b(?:stock\w*|accumul\w*|mis de cote|mets de cote|rassembl\w*|economis\w*|cache|caches"
        rf"|planqu\w*) (?:\w+ ){{0,2}}?{_FR_PILLS}\b",
        rf"\bcombien de (?:\w+ ){{0,2}}?{_FR_PILLS} (?:\w+ ){{0,4}}?(?:pour mourir|pour en finir"
        r"|pour"
        r" ne (?:pas|plus) me reveiller|mortels?|mortelles?|pour me tuer)\b",
        r"\bdose (?:mortelle|letale)\b",
        r"\b(?:personne|nul) (?:ne )?(?:\w+ ){0,2}?(?:regretterait|remarquerait|pleurerait|verrait"
        r" la"
        r" difference|sen rendrait compte)\b(?: \w+){0,3}? si je (?:mourais|disparaissais|netais"
        r" plus"
        r" la|me tuais|partais pour toujours)\b",
        r"\b(?:achete|trouve|prepare) une corde\b",
        r"\b(?:lettres? dadieu|mes adieux|dit adieu a tout le monde|dire adieu a tout le monde)\b",
    ),
    _rule(
        OTHERS_AT_RISK,
        "crisis",
        r"\b(?:il|elle|ils|elles|mon \w+|ma \w+) (?:\w+ ){0,2}?(?:veut|voulait|va|pense a|parle de"
        rf"|menace de|a envie de|compte|essaie de|a essaye de) {_GAP}(?:mourir|se tuer|se suicider"
        r"|d?en finir|mettre fin a ses jours|se pendre|se jeter|sauter)\b",
        r"\b(?:il|elle|ils|elles) se (?:scarifie|scarifient|mutile|mutilent|coupe|coupent|fait du"
        r" mal|font du mal)\b(?! les cheveux| les ongles| en cuisinant| le doigt)",
    ),
    _rule(
        SUICIDAL,
        "crisis",
        r"\bje (?:ne )?veux (?:plus|pas) vivre\b",
        r"\bje (?:ne )?(?:veux|voudrais) (?:plus|pas) (?:me reveiller|exister|etre la|etre en vie"
        r"|continuer a vivre)\b",
        r"\bje nai plus envie de vivre\b",
        negatable=False,
    ),
    _rule(
        SELF_HARM,
        "crisis",
        r"\bje (?:me )?(?:scarifie|mutile)\b",
        r"\bme faire du mal\b",
        r"\bje me coupe\b(?! les cheveux| les ongles)",
        r"\bje me suis (?:encore )?(?:coupe|coupee|scarifie|scarifiee|brule|brulee|fait du mal"
        r"|mutile|mutilee|frappe|frappee)\b(?! (?:en (?:cuisinant|cuisine|bricolant)|le doigt|avec"
        r" le couteau|sur|au|a la|les cheveux))",
        r"\b(?:automutil\w*|scarif\w*)",
        r"\bje me brule (?:\w+ ){0,2}?(?:avec|expres|a la cigarette)\b",
    ),
    _rule(
        HARM_FROM_OTHERS,
        "crisis",
        r"\b(?:il|elle|ils|mon \w+|ma \w+|mes \w+) me (?:frappe|frappait|bat|battait|viole"
        r"|violait|menace|etrangle|tape)\b",
        r"\bmenace de me tuer\b",
        r"\bje ne suis pas en securite\b",
        r"\b(?:il|elle|mon \w+|ma \w+) (?:\w+ ){0,3}?(?:frappe|bat|battait|frappait|etrangle|viole"
        r"|tape) (?:ma mere|maman|ma soeur|mon frere|mes freres|mes soeurs|nous)\b",
        r"\b(?:me|nous) (?:\w+ ){0,2}?menace de (?:me |nous )?tuer\b",
        r"\bjai peur de rentrer (?:a la maison|chez moi)\b",
        r"\b(?:il|elle) (?:ma|m a) (?:encore )?(?:frappe|frappee|viole|violee|etrangle|etranglee"
        r"|battu|battue)\b",
    ),
    _rule(
        HOPELESSNESS,
        "concern",
        r"\b(?:je nen|jen|je n en) peux plus\b",
        r"\bsans espoir\b",
        r"\b(?:plus|aucun|perdu tout) d?espoir\b",
        r"\b(?:fatigue|fatiguee|marre|lasse?) de tout\b",
        r"\bdesespere?e?\b",
        r"\bje me (?:deteste|hais)\b",
        r"\bje me sens (?:inutile|nulle?|vide|sans valeur)\b",
        r"\ba quoi bon\b",
        r"\bje suis (?:un fardeau|une charge)\b",
        r"\bje (?:narrive|n arrive|ne arrive) plus a rien\b",
        r"\bje ne men sors plus\b",
        r"\bje suis a bout\b",
        r"\bje craque\b",
        r"\bjen ai marre de tout\b",
        r"\bplus envie de rien\b",
        r"\bje suis (?:tellement |tres |vraiment |si )?(?:deprime|deprimee)\b",
        r"\bje me sens (?:tellement |tres |vraiment |si )?(?:seule?|vide|nulle?|brise|brisee)\b",
    ),
    # --- German ----------------------------------------------------------------------------------
    _rule(
        SUICIDAL,
        "crisis",
        r"\bich (?:will|mochte|mochte am liebsten|werde|wurde am liebsten|wurde gerne|muss)"
        r" (?:einfach )?(?:nur )?sterben\b",
        r"\bbringe? mich um\b",
        r"\bmich (?:umbringen|umzubringen|toten|zu toten|erhangen|aufhangen)\b",
        r"\b(?:mir|mein) (?:das )?leben (?:nehmen|zu nehmen|beenden)\b",
        r"\balle (?:waren|sind) besser dran ohne mich\b",
        rf"\bich (?:will|mochte|wollte|wurde (?:gerne|am liebsten|lieber)|mochte am liebsten|muss"
        rf"|mag nicht mehr) {_GAP}(?:sterben|tot sein)\b(?! vor| als (?!(?:so )?(?:weiter|zu leben"
        r"|so zu leben)))",
        rf"\bmich {_GAP}(?:umbringen|umzubringen|umbringe|toten|zu toten|tote|erhangen|aufhangen"
        r"|aufzuhangen|erschiessen|zu erschiessen|erschiesse|vergiften|ertranken|ertranke|vor"
        r" (?:einen|den|die) (?:zug|u bahn|s bahn|bahn|lkw|bus|auto) (?:werfen|zu werfen|legen"
        r"|stellen))\b",
        rf"\bich (?:bringe?|bring) mich {_GAP}um\b",
        rf"\b(?:mir|mein) {_GAP}(?:das )?leben (?:nehmen|zu nehmen|beenden|zu beenden)\b",
        r"\b(?:keine|keinen) (?:lust|bock|kraft|sinn|grund|mut) mehr (?:zu leben|zum leben|auf"
        r" (?:das )?leben|weiterzuleben|am leben)\b",
        r"\blebensmude\w*",
        r"\b(?:ich ware|ware ich|ich wunschte|wunschte ich|ich wunsche mir)\b(?: \w+){0,4}?"
        r" tot\b(?!"
        r" (?:vor|gelacht|gearbeitet|mude))",
        r"\bwache? (?:\w+ )?nicht mehr auf\b",
        r"\bnie (?:mehr|wieder) aufwachen\b",
        r"\b(?:alle|jeder|meine familie|die welt) (?:waren|ware|sind|ist) (?:\w+ )?(?:besser dran"
        r"|glucklicher|besser) ohne mich\b",
        r"\bbesser (?:dran )?ohne mich\b",
        r"\bwenn ich (?:einfach )?(?:tot|nicht mehr da|nicht mehr am leben) ware\b",
        r"\b(?:von|vom) (?:der |einer |dem |einem )?(?:\w+ )?(?:brucke|dach|hochhaus|balkon|klippe"
        r"|turm|parkhaus|fenster|felsen) (?:\w+ )?(?:springen|zu springen|sturzen|zu sturzen"
        r"|runterspringen|herunterspringen|springe)\b",
        r"\b(?:vor|unter) (?:den|einen|die|eine|das) (?:\w+ )?(?:zug|u bahn|s bahn|bahn|lkw|bus"
        r"|auto|strassenbahn) (?:zu )?(?:werfen|springen|legen|laufen|stellen)\b",
        rf"\b{_DE_PILLS} (?:\w+ )?(?:gesammelt|gehortet|gespart|gebunkert|zusammengesammelt"
        r"|angesammelt|versteckt)\b",
        rf"\b(?:sammle|sammel|horte|bunkere|spare|verstecke) (?:\w+ ){{0,2}}?{_DE_PILLS}\b",
        rf"\bwie viele (?:\w+ )?{_DE_PILLS} (?:\w+ ){{0,4}}?(?:todlich|sterben|tot|braucht man)\b",
        r"\btodliche dosis\b",
        r"\b(?:strick|seil) (?:\w+ )?(?:gekauft|besorgt|geknupft|vorbereitet)\b",
        r"\bpulsadern (?:\w+ )?(?:aufschneiden|aufzuschneiden|aufgeschnitten|aufschneide)\b",
        r"\babschiedsbrief\w*",
        r"\b(?:denke|denk|dachte|gedanken) (?:\w+ ){0,2}?(?:ans|an das|an den|an) (?:sterben|tod"
        r"|suizid"
        r"|selbstmord|mich umzubringen)\b",
    ),
    _rule(
        OTHERS_AT_RISK,
        "crisis",
        r"\b(?:er|sie|mein \w+|meine \w+) (?:\w+ ){0,2}?(?:will|mochte|wollte|denkt daran|redet"
        rf" davon|plant|droht) {_GAP}(?:sterben|sich (?:\w+ ){{0,2}}?(?:umbringen|umzubringen"
        r"|toten|das leben nehmen)|nicht mehr leben)\b",
        r"\bsich (?:\w+ ){0,2}?(?:umzubringen|das leben zu nehmen)\b",
        r"\britzt sich\b",
    ),
    _rule(
        SUICIDAL,
        "crisis",
        r"\b(?:will|mochte|kann) (?:einfach |echt |wirklich |ganz )?nicht mehr (?:leben|aufwachen"
        r"|da"
        r" sein|existieren|hier sein|weiterleben|am leben sein)\b",
        negatable=False,
    ),
    _rule(
        SELF_HARM,
        "crisis",
        r"\b(?:ich )?ritze mich\b",
        r"\bmich (?:ritzen|zu ritzen|selbst verletzen|selbst zu verletzen)\b",
        r"\bselbstverletz\w*",
        r"\bich verletze mich\b",
        r"\b(?:ich habe|ich hab|hab) mich (?:(?!beim\b|am\b|an\b|im\b|in\b|mit dem messer\b)\w+"
        r" ){0,2}?(?:geritzt|geschnitten|verbrannt|verletzt)\b",
        r"\bmich (?:\w+ )?(?:ritzen|geritzt|ritze)\b",
        r"\b(?:arme?|beine?|handgelenke?|haut|oberschenkel|pulsadern) (?:\w+ )?(?:aufgeritzt"
        r"|geritzt"
        r"|aufgeschnitten|verbrannt|zerkratzt)\b",
    ),
    _rule(
        HARM_FROM_OTHERS,
        "crisis",
        r"\b(?:er|sie|mein \w+|meine \w+) (?:schlagt|schlug|verprugelt|missbraucht|vergewaltigt"
        r"|bedroht|wurgt) mich\b",
        r"\bhat mich (?:geschlagen|vergewaltigt|missbraucht|gewurgt|bedroht)\b",
        r"\bich bin (?:zu hause|daheim) nicht (?:sicher|in sicherheit)\b",
        r"\bdroht(?:e)? (?:mich|mir) (?:umzubringen|zu toten)\b",
        r"\b(?:er|sie|mein \w+|meine \w+) (?:\w+ ){0,3}?(?:schlagt|schlug|verprugelt|verprugelte"
        r"|wurgt|wurgte|missbraucht|missbrauchte|vergewaltigt|vergewaltigte|bedroht|bedrohte|tritt"
        r"|trat) (?:mich|uns|meine (?:mutter|mama|schwester|geschwister)|meinen bruder|mama)\b",
        r"\b(?:angst|furcht) (?:davor )?(?:nach hause|heim) zu (?:gehen|kommen)\b",
        r"\b(?:droht|drohte|hat gedroht) (?:\w+ ){0,2}?(?:mich|uns) (?:\w+ )?(?:umzubringen|zu"
        r" toten"
        r"|zu schlagen)\b",
    ),
    _rule(
        HOPELESSNESS,
        "concern",
        r"\bich kann nicht mehr\b",
        r"\bhoffnungslos\w*",
        r"\bkeine hoffnung (?:mehr)?\b",
        r"\b(?:keinen sinn (?:mehr )?(?:im|in meinem|in dem) leben|(?:das|mein) leben hat keinen"
        r" sinn)\b",
        r"\bich hasse mich\b",
        r"\b(?:ich bin|ich fuhle mich) (?:so |total |einfach |nur |ganz )?(?:wertlos|nutzlos|leer"
        r"|verzweifelt|eine last)\b",
        r"\bverzweifelt\b",
        r"\b(?:alles|das leben|mein leben) ist sinnlos\b",
        r"\bich bin (?:so |total |sehr |einfach )?(?:depressiv|am ende|fertig mit allem)\b",
        r"\bich schaffe (?:das|es) nicht mehr\b",
        r"\bmir geht es (?:so |sehr |total )?(?:schlecht|beschissen)\b",
        r"\bich fuhle mich (?:so |total |sehr )?(?:allein|einsam|kaputt)\b",
    ),
)

# ----------------------------------------------------------------------------------------------
# Modifiers.
# ----------------------------------------------------------------------------------------------

# Words that negate what follows within a few tokens of the same clause.
NEGATORS: Final = frozenset({"not", "never", "no", "nobody", "without", "nunca", "pas", "nicht"})
# "can not stop cutting", "have never felt so hopeless": the negator belongs to this word, so the
# risk statement after it is not negated.
NEGATION_CANCELLERS: Final = frozenset(
    {"stop", "help", "stand", "resist", "control", "felt", "been", "tell", "sure", "only", "know"}
)
NEGATION_WINDOW_TOKENS: Final = 3
CLAUSE_BREAK = re.compile(r"[.!?,;]| but | and | because | so | though | although | except ")


def clause_tail(prefix: str) -> str:
    """The part of `prefix` after its last clause break (all of it if there is none)."""
    tail = prefix
    for match in CLAUSE_BREAK.finditer(prefix):
        tail = prefix[match.end() :]
    return tail


# --- combinations ---------------------------------------------------------------------------------

# A farewell ("bye", "tell my mum i love her", "thank you for everything").
_FAREWELL = _alternation(
    [
        r"\b(?:good ?bye|bye(?: bye)?|byebye|farewell|so long|adios|adieu|au revoir|tschuss)\b",
        r"\b(?<!said )(?<!told him )(?<!told her )(?<!texted )(?<!say )"
        r"i love (?:you all|you guys|all of you|everyone|my family|you)(?= ?(?:$|[.!?,;]| all"
        r" so| so much| and))",
        r"\btell (?:my|\w+) (?:\w+ ){0,3}?(?:that )?i (?:love|loved|am sorry)\b",
        r"\b(?:thank you|thanks) (?:so much )?for (?:everything|all (?:of )?(?:it|this|you have"
        r" done"
        r"|your help)|being there|trying|putting up with me)\b",
        r"\b(?:take care of|look after|feed|walk) (?:my|\w+) (?:\w+ )?(?:for me|cat|cats|dog|dogs"
        r"|kids|children|pets?|family|mum|mom|sister|brother)\b",
        r"\bremember me\b",
        r"\bsee you (?:on the other side|in (?:another|the next) life)\b",
    ]
)
# An apology or absolution ("i am sorry.", "it is not your fault").
_APOLOGY = _alternation(
    [
        r"\b(?<!said )(?<!told him )(?<!told her )(?<!texted )(?<!say )"
        r"i am (?:so |really |truly )?sorry(?= ?(?:$|[.!?,;]| for everything| for (?:what i am"
        r" about to|this|being a burden|all (?:the|of)|letting)| to everyone| mum| mom| dad))",
        r"\bsorry for (?:everything|being (?:a burden|like this|such a (?:burden|mess"
        r"|disappointment))|what i am about to do)\b",
        r"\bforgive me\b",
        r"\b(?:it is|it was|its|this is|that it was|that it is|none of this is|this was|it) (?:not"
        r"|never) (?:your|their|anyones|anybodys|his|her|you guys|my \w+s) ?fault\b",
        r"\bplease do not (?:blame yourselves?|be sad|cry|be mad|hate me)\b",
        r"\bdo not blame (?:yourselves|yourself|anyone|my \w+)\b",
        r"\bi hope you (?:can )?(?:understand|forgive me)\b",
    ]
)
# Finality or a decision ("i am done.", "tonight is the night", "i will not be around").
_FINALITY = _alternation(
    [
        r"\bi am (?:just |so |really |officially |completely )?(?:done|finished)(?= ?(?:$|[.!?,;]"
        r"| with (?:everything|life|it all|this life|living|being alive|all of (?:it|this)|trying"
        r"|this world|the world)\b| with this(?= ?(?:$|[.!?,;]))| now| forever| for good))",
        r"\bi can not (?:do (?:this|it)|take (?:this|it)|go on|keep going|carry on|handle (?:this"
        r"|it)|live like this)(?: anymore| any more| much longer)?(?= ?(?:$|[.!?,;]))",
        r"\bthis is (?:it|the end)(?= ?(?:$|[.!?,;]| for me| now))",
        r"\b(?:tonight|today|tomorrow) (?:is|will be) the (?:night|day)\b",
        r"\bthe time has come\b",
        r"\bmy time (?:is up|has come)\b",
        r"\bit is time(?= ?(?:$|[.!?,;]| to go| for me to go))",
        r"\bi have (?:made (?:up )?my (?:mind|decision)|decided)(?= ?(?:$|[.!?,;]| tonight| today"
        r"| now| it is))",
        r"\bno more (?:pain|suffering|hurting)(?= ?(?:$|[.!?,;]))",
        r"\bi will not be (?:around|here|alive|a burden|bothering (?:you|anyone))\b(?! (?:for (?:a"
        r"|the) (?:while|bit|week|few)|next|this|on|until|till|at|because|since|as|over|in)\b)"
        r"(?![^.!?]{0,40}\b(?:holiday|vacation|trip|travel\w*|flight|work|busy|camping|festival"
        r"|wedding|appointment|conference|offline|signal|wifi|exam|away|abroad)\b)",
        r"\b(?:i will be|i am going to be) (?:gone|at peace|free)(?= ?(?:$|[.!?,;]| soon| by"
        r"| tonight| tomorrow| forever| for good| when))",
        r"\b(?:it|this|everything|the pain) will (?:all )?be over (?:soon|tonight|tomorrow|by)\b",
        r"\bsoon (?:it|this|everything|the pain) will (?:all )?be over\b",
        r"\b(?:last|final) (?:message|text|goodbye|words)\b",
    ]
)
# Putting affairs in order ("giving my things away", "writing letters to everyone i love").
_GIVING_AWAY = _alternation(
    [
        r"\b(?:giv(?:e|ing|en)|gave) away (?:all )?(?:of )?my\b",
        r"\b(?:giv(?:e|ing|en)|gave) (?:all )?(?:of )?my (?:\w+ )?(?:stuff|things|belongings"
        r"|possessions"
        r"|clothes|books|games|pets?|cat|dog|guitar|jewel(?:le)?ry|savings|money) away\b",
        r"\b(?:rehomed|rehoming|found a (?:new )?home for) my (?:cat|dog|pets?)\b",
    ]
)
_AFFAIRS = _alternation(
    [
        r"\b(?:writ\w*|wrote|finished|left) (?:\w+ ){0,2}?(?:letters?|notes?|cards?) (?:to|for)"
        r" (?:everyone|everybody|all|each|my (?:\w+ )?(?:family|friends|kids|children|mum|mom|dad"
        r"|parents|loved ones|wife|husband|partner|sister|brother)|the people i love|people i love"
        r"|everyone i love)\b",
        r"\b(?:wrote|written|writing|write|made|making|updated|updating|sorted|sorting) (?:out )?"
        r"(?:a |my )will\b",
        r"\b(?:put|putting|sorted|sorting|getting|got) my affairs in order\b",
        r"\b(?:deleted|deleting|delete) (?:all )?my (?:accounts|social media|instagram|photos)\b",
        r"\b(?:cleaned|cleaning|tidied|tidying) (?:up )?(?:my room|everything|the flat|the house)"
        r" so (?:nobody|no one|noone|they) (?:has|have|will have) to\b",
    ]
)
# Imagining one's death, and finding relief in it.
_DEATH_IMAGINED = _alternation(
    [
        r"\b(?:imagin\w*|picture|picturing|pictured|fantasi[sz]\w*|daydream\w*|dream\w* (?:about"
        r"|of)|think\w* (?:about|of)|thought (?:about|of)) (?:\w+ ){0,2}?(?:my (?:own )?(?:funeral"
        r"|death|grave|dying)|being dead|not being (?:here|alive|around)|not existing|dying"
        r"|death)\b",
        r"\b(?:my (?:own )?death|dying|being dead|not existing|not being here|not waking up|it all"
        r" ending) (?:\w+ ){0,2}?(?:would be|feels like|sounds like|seems like)\b",
    ]
)
_RELIEF = _alternation(
    [
        r"\b(?:relief|relieved|relieving|peaceful|peace|comfort|comforting|calming|release"
        r"|freedom|escape|welcome|appealing|tempting|the only way|only way out)\b",
        r"\b(?:would be|sounds|feels|so) nice\b",
    ]
)

# Means at hand ("i have got the pills.", "the rope is ready").
_MEANS = _alternation(
    [
        rf"\b(?:have|got|bought|holding|found|hidden|hid) (?:the|my|a|some|all my|all the|enough)"
        rf" (?:{PILLS}|rope|gun|knife|blades?|razors?|pistol)(?= ?(?:$|[.!?,;]| ready| here| with"
        r" me"
        r"| in front| next to me| now))",
        rf"\b(?:the |my )?(?:{PILLS}|rope|gun|knife|blades?|razors?) (?:is|are) (?:ready|here"
        r"|waiting"
        r"|in front of me|next to me)\b",
    ]
)
# "i am going to do it tonight"
_DOING_IT = _alternation(
    [
        r"\b(?:going to|will|gonna|about to|ready to) (?:just )?do it (?:tonight|today|now|soon"
        r"|this"
        r" weekend|tomorrow|when)\b",
    ]
)
# Someone else saying goodbye and going silent.
_THEIR_GOODBYE = re.compile(
    r"\b(?:texted|messaged|sent|wrote|said|posted|sent me) (?:me |us |everyone )?(?:a |this )?"
    r"(?:weird |strange |scary )?(?:goodbye|farewell|bye forever|suicide note|goodbye note"
    r"|goodbye message|goodbye text)\b"
)
_THEY_ARE_SILENT = re.compile(
    r"\b(?:not|stopped|is not|isnt|has not been|have not been|will not|wont) (?:answering"
    r"|responding"
    r"|replying|picking up)\b|\b(?:can not|cannot) (?:reach|get hold of|contact) (?:him|her|them)\b"
    r"|\bphone (?:is )?(?:off|going to voicemail)\b"
)

COMBINATIONS: Final[tuple[Combination, ...]] = (
    # "i am done. i can not do this. bye", "tonight is the night. i am sorry", "thank you for
    # everything, i will not be around", "giving my things away and writing letters to everyone",
    # "i am going to do it tonight, i have got the pills".
    Combination(
        SUICIDAL,
        "crisis",
        (_FAREWELL, _APOLOGY, _FINALITY, _GIVING_AWAY, _AFFAIRS, _MEANS, _DOING_IT),
        needed=2,
    ),
    Combination(OTHERS_AT_RISK, "crisis", (_THEIR_GOODBYE, _THEY_ARE_SILENT), needed=2),
    Combination(SUICIDAL, "crisis", (_DEATH_IMAGINED, _RELIEF), needed=2),
)

# Who a subject-sensitive rule is about: the nearest of these before the hit, in the same sentence.
FIRST_PERSON: Final = frozenset({"i", "me", "myself", "we", "us", "you", "yourself"})
THIRD_PERSON: Final = frozenset(
    {
        "he", "she", "they", "him", "them", "himself", "herself", "themselves", "someone",
        "somebody", "friend", "friends", "bestie", "bff", "sister", "brother", "sis", "bro", "mum",
        "mom", "mam", "mother", "dad", "father", "son", "daughter", "boyfriend", "girlfriend", "bf",
        "gf", "husband", "wife", "partner", "cousin", "roommate", "flatmate", "housemate",
        "classmate", "kid", "child", "teen", "teenager", "student", "colleague", "coworker",
        "uncle", "aunt", "niece", "nephew", "grandma", "grandpa", "neighbour", "neighbor", "ex",
        "stepdad", "stepmum", "stepmom", "patient", "client", "mate", "buddy", "pal", "girl", "guy",
        "boy", "man", "woman", "person",
    }
)  # fmt: skip
# A hit containing one of these is about the writer whatever came before ("he wants me to kill
# myself").
FIRST_PERSON_IN_HIT = re.compile(r"\b(?:i|me|my|myself|mine)\b")
SUBJECT_WINDOW_TOKENS: Final = 10
# Someone else "wanting to die" in a story, or at the end of a long life, is not someone to help
# right now: such hits are reported at concern. Searched in the sentence of the hit.
OTHERS_NOT_URGENT = re.compile(
    r"\b(?:film|movie|book|show|series|story|novel|episode|video game|song|documentary|play|anime"
    r"|manga|character|protagonist|villain|scene|chapter|poem|lyrics|fiction|fanfic|sitcom|drama"
    r"|at peace|peacefully|old age|hospice|palliative|terminal|long life|full life|good life"
    r"|(?:[89][0-9]|1[01][0-9]) (?:years old|year old|now))\b"
)

HUMOUR = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|jk|just kidding|haha\w*|jaja\w*|jeje\w*|xd|mdr|ptdr)\b"
    r"|😂|🤣|😆|😅|🙃|😜"
)
SERIOUS = re.compile(
    r"\b(?:i am (?:so |dead |deadly |completely )?serious|i mean it|not (?:joking|kidding)|no joke"
    r"|thought about how|planned (?:it|how)|know where (?:he|she|they) (?:lives?|sleeps?|works?)"
    r"|i will do it|(?:have|got|bought|brought|bringing|carrying|carry|sharpened|sharpening|loaded"
    r"|loading|grabbed|grabbing|took|taken|taking|packed|packing|get|getting|found|hidden|hid)"
    r" (?:a |my |the |his |her |dads |my dads |some )?(?:knife|knives|gun|guns|weapon|weapons|bat"
    r"|blade|axe|hammer|machete|pistol|rifle|shotgun|crowbar)"
    r"|with (?:a|my|the) (?:knife|gun|bat|axe|hammer|machete|pistol|rifle|shotgun|crowbar)"
    r"|(?:knife|gun|bat|axe|hammer|machete|pistol|rifle|shotgun|crowbar) (?:is|are|'s) (?:in|under"
    r"|on) (?:my|the) (?:car|bag|backpack|pocket|jacket|coat|truck|van|seat|bed|pillow)"
    r"|when (?:he|she|they) (?:gets|get|comes|come) home|while (?:he|she|they) (?:is|are)"
    r" (?:asleep|sleeping))\b"
)
