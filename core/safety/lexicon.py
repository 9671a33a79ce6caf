"""More risk rules: oblique preparations, slang, stance, and eight more languages.

These extend `core.safety.patterns.RULES` and `COMBINATIONS` and follow the same conventions: they
run against `normalize`d text (lowercase, no accents, "ł" read as "l" and "ı" as "i", contractions
expanded, sentence punctuation as its own token). The detector runs them on the whole message and
on every sentence and window of sentences (`core.safety.detector`).

Languages beyond English, Spanish, French and German (which live in `patterns`): Portuguese,
Italian, Dutch, Hinglish (Hindi in Latin script), Indonesian, Polish and Turkish. Each has the
crisis phrases people actually type (wanting to die, killing oneself, ending one's life, means
gathered) and a few concern phrases (hopeless, a burden), written for this project. Everyday
idioms that reuse the same words ("morri de rir", "umieram z nudow", "gulmekten oldum") are not
matched: each death phrase needs an intent or a first-person object.

`STANCE_*` are the time and stance markers `core.safety.detector` uses to keep past ideation,
rejected intrusive thoughts, fiction, coursework and news at concern rather than crisis.
"""

from __future__ import annotations

import re
from typing import Final

from core.safety import patterns
from core.safety.patterns import (
    HOPELESSNESS,
    OTHERS_AT_RISK,
    PILLS,
    PLAN,
    SUICIDAL,
    SUICIDE,
    SUICIDE_OTHER,
    Combination,
    Rule,
    _alternation,
)

_DOUBLE_VOWEL = re.compile(r"([aiuy])\1")


def _rule(
    category: str,
    level: patterns.RuleLevel,
    *alternatives: str,
    negatable: bool = True,
    subject: bool = False,
) -> Rule:
    """`patterns._rule`, with "aa", "ii", "uu" and "yy" written as `normalize` leaves them ("a"):
    "mar jaana" is matched as "mar jana", "ik denk aan" as "ik denk an"."""
    folded = tuple(_DOUBLE_VOWEL.sub(r"\1", alternative) for alternative in alternatives)
    return patterns._rule(category, level, *folded, negatable=negatable, subject=subject)


# A punctuation token that may sit between words once normalised ("stupid ... probably").
_P = r"(?: ?[.,!?;]+)?"
# Everyday plans that make "found the place and set the date" a wedding, not a plan to die.
EVERYDAY_PLANS: Final = re.compile(
    r"\b(?:wedding|venue|party|holiday|vacation|trip|move|moving|flat|apartment|house viewing"
    r"|birthday|meeting|launch|exam|interview|dinner|reservation|booking|concert|gig|match|race"
    r"|marathon|flight|surgery|operation|audit|inspection|deadline|baby|due date|tax|taxes"
    r"|hotel|airbnb|library|shop|store|shift|office|event|festival|conference|camping|hike"
    r"|hunting|licen[cs]e|range|club|course|sport|airsoft|nerf|water gun|paintball|glue gun"
    r"|nail gun|video game|game|lol|haha|lmao)\b"
)

_PILLS_ANY = rf"(?:{PILLS}|remedios|comprimidos|pilulas|pillole|pasticche|farmaci|compresse"
_PILLS_ANY += r"|pillen|tabletten|medicijnen|goliyan|goliya|dawai|dawaiyan|obat|obatnya|pil"
_PILLS_ANY += r"|tabletki|leki|ilac|ilaclar|ilaclari|hap|haplar|haplari)"

# --- English: oblique preparations, slang and stance
_ENGLISH_CRISIS = _rule(
    SUICIDAL,
    "crisis",
    # a stronger means found to try again
    r"\b(?:longer|stronger|thicker|new|another|better|proper) (?:belt|rope|cord|cable|scarf"
    r"|ligature|noose) (?:\w+ ){0,5}?(?:to try again|so i can try again|for next time|that will"
    r" hold|that will not (?:snap|break)|to do it properly)\b",
    r"\b(?:it|the (?:belt|rope|cord|cable|scarf)) (?:snapped|broke)(?: last time)?\b[^.!?]{0,60}"
    r"\btry again\b",
    # writing for one's children for afterwards
    r"\bfor when i (?:am (?:gone|dead|no longer (?:here|around|alive))|will not be (?:around"
    r"|here|alive)(?! (?:next|this|for|on|at|until|till|while|during|because|tomorrow|tonight"
    r"|in))|am not (?:around|here) any ?more)\b",
    r"\bfor after i am gone\b",
    # slang for dying
    r"\b(?:catch|catching) the (?:bus|train) (?:\w+ ){0,3}?(?:permanent|for good|forever|no"
    r" return|final)\b",
    r"\bpermanent (?:nap|sleep|solution)\b",
    r"\byeet(?:ing)? myself (?:off|out|into|from)\b",
    r"\b(?:rope|roping) myself\b",
    r"\b(?:alt ?f4|log(?:ging)? off) (?:from )?(?:life|this life|for good|permanently)\b",
    # what to take to die like someone
    r"\bwhat (?:should|do|can|could|would|did) (?:i|he|she|they) (?:\w+ )?(?:take|use|need|took"
    r"|used) to die\b",
    r"\b(?:take|took|use|used|swallow) (?:\w+ ){0,4}?to die like\b",
    r"\bdie like (?:\w+ ){1,3}?(?:did|died)\b",
    # a car idling in a closed garage
    r"\b(?:car|engine) (?:\w+ ){0,3}?(?:running|idling|on) (?:\w+ ){0,4}?(?:closed|shut|locked"
    r"|sealed) garage\b",
    r"\b(?:sleep|sleeping|slept|sit|sitting|sat|stay|staying|lie|lying) in (?:my|the|a) car in"
    r" (?:the|a|my) (?:closed|shut|locked|sealed) garage\b",
    r"\b(?:closed|shut|locked|sealed) garage (?:\w+ ){0,6}?(?:idle|idling|engine running|exhaust"
    r"|fumes)\b",
    r"\bhow long (?:can|does|would|will|should) (?:a|the|my) (?:car|engine) (?:\w+ ){0,2}?idle"
    r" (?:\w+ ){0,4}?(?:garage|closed|shut|before|until)\b",
    r"\b(?:hose|pipe|tube) (?:\w+ ){0,3}?(?:exhaust|from the exhaust|into the car)\b",
    # stance: reassurance that is not
    rf"\bnot (?:going to|gonna) do anything (?:stupid|dumb|silly|drastic|rash){_P}"
    r" (?:probably|maybe|i think|i hope|hopefully|yet|for now|i guess|we will see|not sure)\b",
    rf"\b(?:will not|would not|promise not to) do anything (?:stupid|dumb|silly|drastic|rash)"
    rf"{_P} (?:probably|maybe|i think|i hope|hopefully|yet|for now|i guess|we will see)\b",
    rf"\b(?:do not|no need to|please do not) worry{_P} (?:about me{_P} )?i (?:have )?already"
    r" (?:decided|made (?:up )?my (?:mind|decision)|know (?:what|how) i am (?:going to )?do"
    r"|chosen)\b",
    rf"\bi have already decided{_P} (?:it is|it will be|i am) (?:fine|okay|ok|better|at peace"
    r"|calm|soon|over soon)\b",
    negatable=False,
)
# Being gone, a burden no longer, others better off: the commonest ways people say it obliquely.
_ENGLISH_OBLIQUE = _rule(
    SUICIDAL,
    "crisis",
    r"\b(?:better|happier|lighter|easier) (?:off )?(?:\w+ ){0,3}?without me\b",
    r"\bbetter off (?:with me gone|if i (?:was|were) (?:gone|not here|not around)|once i am gone"
    r"|when i am gone)\b",
    r"\b(?:deal with|put up with|worry about|carry|look after) me (?:for )?(?:much|any) longer\b",
    r"\b(?:be a burden|burden anyone|bother anyone|be a problem) (?:to (?:anyone|anybody|you"
    r"|them|you all) )?(?:for )?(?:much|any) longer\b",
    r"\b(?:free|rid) of me (?:soon|for good|forever|at last|finally)\b",
    r"\bwant (?:out|to be gone) (?:for good|permanently|fr|forever|of (?:this|life))\b",
    r"\b(?:do not|never|not) (?:want|wish) to wake up\b",
    r"\b(?:fall|falling|go|going) to sleep and (?:never|not) (?:wake up|come back|waking up)\b",
    r"\bstay asleep forever\b",
    r"\b(?:welcome|welcoming) death\b",
    r"\bdeath (?:would be|will be|sounds like|feels like) (?:a )?(?:relief|mercy|release|peace)\b",
    r"\bhop(?:e|ing) (?:something|someone|a car|a bus|the plane) (?:\w+ ){0,3}?(?:kills me|hits"
    r" me|goes down)\b",
    r"\bhop(?:e|ing) i (?:do not|dont) survive\b",
    r"\bcounting down (?:the days )?(?:until|till|to when) i am gone\b",
    r"\b(?:can not|could not) promise (?:i will|that i will|to) (?:be|stay|keep myself) safe\b",
    r"\bthis time i am (?:actually |really |definitely )?going (?:to|through with it)\b",
    r"\bgo(?:ing)? through with it\b",
    r"\bi know (?:exactly )?(?:how|when|where) (?:and (?:how|when|where) )?i (?:am going to|will)"
    r" do it\b",
    r"\bi have (?:a plan and the means|everything i need)\b",
    r"\b(?:swallowed|took|taken) everything in the (?:medicine|bathroom) cabinet\b",
    r"\b(?:drank|drunk|swallowed|drinking|drink) (?:some |the )?(?:bleach|antifreeze|poison"
    r"|weed killer|rat poison)\b",
    r"\b(?:loaded|holding|cleaning|got out) (?:my |my dads |the |a )?(?:gun|pistol|rifle|shotgun)"
    r"\b(?! (?:for|at) (?:the )?(?:range|club|hunt\w*))",
    r"\bnot (?:going to|gonna) be (?:here|around|alive) (?:next|for|much longer|by|after)\b",
    r"\b(?:will not|am not going to) (?:need|be needing) (?:\w+ ){0,3}?(?:any ?more|this year"
    r"|where i am going|after (?:this|tonight|tomorrow))\b",
    r"\bwhere i am going\b",
    r"\b(?:my|the) (?:last|final) (?:week|day|night|weekend|post|message)\b(?! (?:of|at|before"
    r"|in|on) (?:the|term|school|work|my|our|this|holiday))",
    r"\b(?:join|be with|see) (?:her|him|them|my (?:\w+ )?(?:mum|mom|dad|wife|husband|son"
    r"|daughter|brother|sister|partner|friend)) again soon\b",
    r"\b(?:relapsed|relapse) (?:on |with )?(?:s h|sh|self harm|cutting)\b",
    r"\b(?:dragged|ran|took|pressed|held|holding) (?:a |the |my )?(?:razor|blade|knife|lighter"
    r"|match|matches|hot knife|sharpener) (?:\w+ )?(?:across|to|against|into|on|over) my"
    r" (?:skin|arms?|thighs?|wrists?|stomach|legs?|forearms?)\b",
    r"\bcarv(?:ed|ing|e) (?:\w+ ){0,2}?into my (?:arm|arms|skin|leg|legs|thigh|thighs)\b",
    r"\b(?:cuts|burns|scars) on my (?:arms|legs|thighs|wrists|stomach) (?:are )?(?:getting"
    r" deeper|are deeper|keep|will not stop)\b",
    r"\b(?:reopening|reopen|picking) my (?:scars|wounds|cuts)\b",
    r"\bwill not stop bleeding\b",
    subject=True,
)
# More Spanish, French and German: what `patterns` does not list yet.
_ES_FR_DE = _rule(
    SUICIDAL,
    "crisis",
    r"\b(?:quiero|kiero|quisiera|necesito) (?:\w+ ){0,2}?morirme\b",
    r"\b(?:terminar|acabar) con mi vida\b",
    r"\bcuando ya no (?:este|estare)\b",
    r"\b(?:tome|me tome|trague) (?:muchas|todas (?:las|mis)) (?:\w+ )?pastillas\b",
    r"\bya (?:se|tengo pensado) como y cuando\b",
    r"\bse acaba todo\b",
    r"\b(?:he )?guardado pastillas\b",
    r"\bregale (?:todas )?mis cosas\b",
    r"\b(?:je veux|jveux|j ai envie de|jai envie de|envie de) (?:\w+ ){0,2}?crever\b",
    r"\bque tout sarrete (?:, )?(?:definitivement|pour toujours|pour de bon)\b",
    r"\b(?:jai|j ai) avale (?:toute la boite|tous mes|toutes mes|la boite)\b",
    r"\bje ne serai plus la (?:demain|bientot|ce soir|la semaine prochaine)\b",
    r"\bquand je ne serai plus la\b",
    r"\b(?:jai|j ai) prevu de le faire\b",
    r"\bje sais comment (?:et quand )?je vais le faire\b",
    r"\b(?:will|mochte|wollte|werde) (?:\w+ ){0,2}?sterben\b",
    r"\bmeinem leben ein ende (?:setzen|machen|bereiten)\b",
    r"\b(?:will|werde|mache ich|mach ich) (?:\w+ ){0,2}?schluss(?: machen)?\b",
    r"\b(?:springe|springen|spring) (?:\w+ ){0,3}?von (?:der|einer|dem) (?:brucke|dach|hochhaus)\b",
    r"\balle (?:meine )?tabletten (?:geschluckt|genommen|nehmen|schlucken)\b",
    r"\bfur immer (?:einschlafen|schlafen)\b",
    r"\bkeinen (?:bock|sinn) mehr auf (?:dieses|das|mein) leben\b",
    r"\bwie und wann ich es (?:mache|tue)\b",
    r"\bwenn ich (?:nicht mehr da|weg) bin\b",
    negatable=False,
)
# Phrases that are everyday in a text about a trip, a hotel or a hunting licence.
_ENGLISH_EVERYDAY_SENSITIVE = _rule(
    PLAN,
    "crisis",
    r"\b(?:check|checking|checked) out (?:early|for good|permanently|of (?:life|this world))"
    r"(?! (?:from|of the|because|tomorrow|today|on|at|to|this|so))\b",
    r"\b(?:checking|check) out (?:tonight|today|tomorrow|soon|this weekend)(?= ?(?:$|[.!?,;]))",
    r"\b(?:the )?(?:date|day|time) is (?:set|picked|chosen)\b",
    r"\b(?:chosen|picked|set) (?:the|a) (?:day|date)\b",
    r"\b(?:my )?plan is (?:ready|set|in place)\b",
    r"\b(?:everything|it) is (?:all )?(?:in place|arranged|ready) for (?:tonight|tomorrow|sunday"
    r"|saturday|friday|the weekend|when)\b",
    r"\b(?:once|when|after) i am gone (?:for good|forever)\b",
    r"\bi (?:will not|am not going to) be (?:here|around) (?:for|by) (?:christmas|my birthday"
    r"|new year|the new year|much longer|long)\b",
    r"\b(?:trouble|problems?|struggling|hard|difficult|impossible|not able|unable) (?:\w+ )?"
    r"(?:to )?(?:buy|buying|get|getting|obtain|obtaining|find|finding) (?:a |an |the )?(?:gun"
    r"|firearm|pistol|handgun|revolver)\b",
    r"\b(?:can not|could not|did not|will not let me) (?:\w+ )?(?:buy|get|obtain) (?:a |an |the"
    r" )?(?:gun|firearm|pistol|handgun|revolver)\b",
)
_ENGLISH_PLAN = _rule(
    PLAN,
    "crisis",
    r"\b(?:have|got|keep|keeping) (?:the |my |all my |enough )?(?:pills|tablets|meds|pills"
    r" saved) (?:right )?(?:here|beside me|by my bed|in my hand|at hand|in (?:my|the) drawer)\b",
    r"\b(?:means|stuff|everything i need) (?:is |are )?(?:gathered|collected|ready|counted)\b",
    r"\b(?:counted|counting) (?:them|the (?:pills|tablets)|out (?:the )?(?:pills|tablets))\b",
    r"\bmoney (?:\w+ ){0,3}?for my (?:own )?funeral\b",
    r"\b(?:paid|paying|pay|saved|saving|set aside|put aside) (?:\w+ ){0,3}?(?:for )?my (?:own )?"
    r"funeral\b",
)
_ENGLISH_CONCERN = _rule(
    SUICIDAL,
    "concern",
    r"\bhow long (?:can|does|would|will) (?:a|the|my) (?:car|engine) (?:\w+ ){0,2}?idle\b",
    r"\bcarbon monoxide\b",
    r"\b(?:where|how) (?:can|do|could) i (?:buy|get) (?:a |an )?(?:gun|firearm|pistol|handgun)\b",
    r"\bi (?:can not|could not) cope (?:any ?more|with (?:it|this|anything) any ?more)\b",
)

# --- Portuguese
_PT = _rule(
    SUICIDAL,
    "crisis",
    r"\b(?:vou|quero|vontade de|pensando em|penso em|decidi|preciso|pretendo|tenho vontade de"
    r"|to pensando em|estou pensando em|queria|vou acabar) (?:\w+ ){0,2}?(?:me matar(?! de)"
    r"|morrer(?! de)|tirar (?:a )?minha (?:propria )?vida|acabar com (?:tudo|a minha vida|minha"
    r" vida)|me suicidar|me enforcar|sumir (?:pra|para) sempre|dar fim (?:a|na) (?:minha vida"
    r"|tudo)|pular d[aeo] (?:ponte|predio|janela|prédio))\b",
    r"\bnao (?:quero|aguento|consigo) mais viver\b",
    r"\bnao quero mais (?:estar aqui|existir|acordar)\b",
    r"\b(?:me matar|me mato|me suicido|tirar minha vida) (?:hoje|amanha|esta noite|essa noite"
    r"|hoje a noite|logo)\b",
    r"\bsuicidio\b",
    rf"\b(?:juntei|guardei|separei|comprei) (?:os |as |uns |umas )?(?:\w+ )?{_PILLS_ANY}\b",
    rf"\btomar todos os {_PILLS_ANY}\b",
    r"\bmelhor (?:seria )?(?:eu )?(?:estar )?morto\b",
    negatable=False,
)
_PT_CONCERN = _rule(
    HOPELESSNESS,
    "concern",
    r"\bsem esperanca\b",
    r"\b(?:sou|me sinto) um (?:peso|fardo)\b",
    r"\bnao aguento mais\b",
    r"\b(?:muito )?deprimid[oa]\b",
    r"\bme sinto (?:inutil|vazi[oa]|sozinh[oa])\b",
)

# --- Italian
_IT = _rule(
    SUICIDAL,
    "crisis",
    r"\b(?:voglio|vorrei|devo|sto pensando di|penso di|ho deciso di|ho voglia di|mi va di)"
    r" (?:\w+ ){0,2}?(?:morire(?! d)|uccidermi|ammazzarmi|farla finita|togliermi la vita"
    r"|suicidarmi|impiccarmi|buttarmi (?:dal|dalla|sotto|giu))\b",
    r"\b(?:mi ammazzo|mi uccido|mi tolgo la vita|mi suicido|la faccio finita)\b",
    r"\bfarla finita\b",
    r"\btogliermi la vita\b",
    r"\bnon voglio (?:piu )?vivere\b",
    r"\bsuicidarmi\b",
    rf"\b(?:messo da parte|conservato|accumulato|raccolto|comprato) (?:\w+ )?{_PILLS_ANY}\b",
    rf"\bprendere tutte le {_PILLS_ANY}\b",
    negatable=False,
)
_IT_CONCERN = _rule(
    HOPELESSNESS,
    "concern",
    r"\bsenza speranza\b",
    r"\bmi sento (?:inutile|vuot[oa]|sol[oa]|un peso)\b",
    r"\bsono un peso\b",
    r"\bnon ce la faccio piu\b",
)

# --- Dutch
_NL = _rule(
    SUICIDAL,
    "crisis",
    r"\bik wil (?:\w+ ){0,2}?(?:dood(?! van)|niet meer leven|niet meer wakker worden|er een einde"
    r" aan maken|mezelf (?:van kant maken|doden|ombrengen|iets aandoen))\b",
    r"\bzelfmoord (?:\w+ ){0,2}?(?:plegen|te plegen)\b",
    r"\b(?:denk|dacht|denken) (?:\w+ ){0,3}?(?:aan|over) zelfmoord\b",
    r"\b(?:een )?einde aan (?:mijn leven|het|alles) (?:maken|maak|te maken)\b",
    r"\bik maak er (?:\w+ ){0,2}?een einde aan\b",
    r"\bmezelf van kant\b",
    r"\b(?:van (?:een|de) (?:brug|flat|dak)|voor de trein) (?:\w+ ){0,2}?(?:springen|spring"
    r"|gaan liggen)\b",
    rf"\b{_PILLS_ANY} (?:\w+ ){{0,2}}?(?:verzameld|gespaard|opgespaard)\b",
    rf"\b(?:verzameld|gespaard|opgespaard) (?:\w+ ){{0,2}}?{_PILLS_ANY}\b",
    r"\bzelfdoding\b",
    negatable=False,
)
_NL_CONCERN = _rule(
    HOPELESSNESS,
    "concern",
    r"\bhopeloos\b",
    r"\bik zie het niet meer zitten\b",
    r"\bik ben een last\b",
    r"\bik voel me (?:zo |heel )?(?:leeg|waardeloos|alleen|eenzaam)\b",
)

# --- Hinglish (Hindi in Latin script)
_HI = _rule(
    SUICIDAL,
    "crisis",
    r"\b(?:mar jana|mar jaana|marna|mar jaun|mar jau|mar jaau|mar jaunga|mar jaungi) (?:hai"
    r"|chahta|chahti|chahiye)\b",
    r"\bmujhe (?:bas )?(?:mar jana|mar jaana|marna) hai\b",
    r"\b(?:jeena|jina|zinda rehna) nahi? (?:chahta|chahti|hai)\b",
    r"\b(?:aur|ab) (?:nahi|nhi) (?:jeena|jina)\b",
    r"\b(?:khudkushi|khud khushi|aatmhatya|atmhatya)\b",
    r"\bsuicide kar (?:lunga|lungi|loon|lu|leta|leti)\b",
    r"\b(?:sab|sab kuch|zindagi|life) (?:\w+ )?(?:khatam|khatm) kar (?:dunga|dungi|doon|du|deta"
    r"|deti|lunga|lungi)\b",
    r"\bkhud ko (?:maar|khatam|khatm) (?:kar )?(?:dunga|dungi|doon|du|lunga|lungi|daalunga"
    r"|dalunga)\b",
    r"\b(?:jaan|jan) de (?:dunga|dungi|doon|du)\b",
    r"\bapni (?:jaan|jan) (?:le|lena|lelu|le lunga|le lungi)\b",
    r"\bphansi (?:laga|lagaa) (?:lunga|lungi|loon|lu)\b",
    rf"\b{_PILLS_ANY} (?:le aaya|le aayi|kha (?:lunga|lungi|li|liya|loon)|ikatthi|jama)\b",
    r"\bjeene ka (?:mann|man) nahi?\b",
    negatable=False,
)
_HI_CONCERN = _rule(
    HOPELESSNESS,
    "concern",
    r"\b(?:bahut|bohot) akela\b",
    r"\bkoi (?:umeed|ummeed) nahi\b",
    r"\bzindagi se thak gaya\b",
)

# --- Indonesian
_ID = _rule(
    SUICIDAL,
    "crisis",
    r"\bbunuh diri\b",
    r"\b(?:ingin|mau|pengen|pingin|kepingin|ingin sekali|lebih baik) mati(?! (?:lampu|gaya|kutu"
    r"|listrik|rasa|ketawa|tertawa))\b",
    r"\b(?:mengakhiri|akhiri|mengakhirinya) (?:hidup|hidupku|hidup saya|semuanya)\b",
    r"\bgantung diri\b",
    r"\b(?:lompat|loncat) dari (?:jembatan|gedung|atap)\b",
    r"\b(?:tidak|gak|ga|nggak|enggak|tak) (?:mau|ingin|pengen) hidup lagi\b",
    rf"\b(?:menelan|minum|telan) (?:semua(?:nya)? )?{_PILLS_ANY}\b",
    rf"\b{_PILLS_ANY} (?:\w+ )?(?:kukumpulkan|sudah terkumpul|sudah kukumpulkan)\b",
    negatable=False,
)
_ID_CONCERN = _rule(
    HOPELESSNESS,
    "concern",
    r"\bputus asa\b",
    r"\btidak berguna\b",
    r"\b(?:sudah )?(?:tidak|gak|nggak) kuat lagi\b",
)

# --- Polish
_PL = _rule(
    SUICIDAL,
    "crisis",
    r"\b(?:chce|chcialbym|chcialabym|mam zamiar|zamierzam|planuje|musze|mysle o tym zeby"
    r"|postanowilem|postanowilam) (?:\w+ ){0,2}?(?:umrzec|sie zabic|zabic sie|skonczyc ze soba"
    r"|odebrac sobie zycie|powiesic sie|skoczyc z)\b",
    r"\bnie chce (?:juz )?zyc\b",
    r"\b(?:zabije|powiesze) sie\b",
    r"\bsie (?:zabije|powiesze|zabic)\b",
    r"\bskoncze ze soba\b",
    r"\bodebrac sobie zycie\b",
    r"\bsamoboj\w*",
    rf"\b(?:mam|zebralem|zebralam|odlozylem|odlozylam) (?:juz )?(?:\w+ )?{_PILLS_ANY}\b"
    r"(?=[^.!?]{0,40}\b(?:umrzec|zabic|zycie|koniec|wszystkie)\b)",
    negatable=False,
)
_PL_CONCERN = _rule(
    HOPELESSNESS,
    "concern",
    r"\bbeznadziej\w*",
    r"\bnie daje (?:juz )?rady\b",
    r"\bjestem ciezarem\b",
)

# --- Turkish
_TR = _rule(
    SUICIDAL,
    "crisis",
    r"\bintihar\w*",
    r"\bolmek istiyorum\b",
    r"\b(?:yasamak|artik yasamak) istemiyorum\b",
    r"\bkendimi (?:oldur\w*|as\w*|oldurmek)\b",
    r"\bcanima kiy\w*",
    r"\bhayatima son ver\w*",
    r"\bher seyi bitir(?:ecegim|icem|mek istiyorum)\b",
    r"\b(?:kopruden|binadan|cattan) atla\w*",
    rf"\b{_PILLS_ANY} (?:\w+ )?(?:topladim|biriktirdim|iceceg\w*)\b",
    negatable=False,
)
_TR_CONCERN = _rule(
    HOPELESSNESS,
    "concern",
    r"\bumutsuz\w*",
    r"\b(?:yuk oldum|yukum)\b",
    r"\bdayanamiyorum\b",
)

# --- Someone else at risk now, in the new languages
_OTHERS = _rule(
    OTHERS_AT_RISK,
    "crisis",
    r"\b(?:se quer matar|quer se matar|vuole uccidersi|vuole ammazzarsi|wil zelfmoord plegen"
    r"|wil (?:hij|zij|ze) dood|mau bunuh diri|chce sie zabic|kendini oldurecek)\b",
)

RULES: Final[tuple[Rule, ...]] = (
    _ENGLISH_CRISIS,
    _ENGLISH_OBLIQUE,
    _ES_FR_DE,
    _ENGLISH_EVERYDAY_SENSITIVE,
    _ENGLISH_PLAN,
    _ENGLISH_CONCERN,
    _PT,
    _PT_CONCERN,
    _IT,
    _IT_CONCERN,
    _NL,
    _NL_CONCERN,
    _HI,
    _HI_CONCERN,
    _ID,
    _ID_CONCERN,
    _PL,
    _PL_CONCERN,
    _TR,
    _TR_CONCERN,
    _OTHERS,
)

# Rules not applied to a text that names an everyday plan (EVERYDAY_PLANS).
VETOED_BY_EVERYDAY_PLANS: Final = frozenset({_ENGLISH_EVERYDAY_SENSITIVE})

# --- combinations
_PLACE_FOUND = _alternation(
    [
        r"\b(?:found|picked|chose|chosen|scouted|know|decided on) (?:out )?(?:the|a|my) (?:place"
        r"|spot|location|way|method)\b",
    ]
)
_DATE_SET = _alternation(
    [
        r"\b(?:set|picked|chose|chosen|fixed|decided on|have) (?:a|the) (?:date|day|time)\b",
        r"\bthe (?:date|day) is set\b",
        r"\b(?:before|by|on) (?:the|my) (?:[0-9]+(?:st|nd|rd|th)?|date|day)\b",
    ]
)
_IN_ORDER = _alternation(
    [
        r"\b(?:checklist|list|everything|all) (?:\w+ ){0,5}?in order\b",
        r"\b(?:tying|tie|tied) up (?:all )?(?:the )?loose ends\b",
    ]
)
_CANT_COPE = _alternation(
    [
        r"\bi (?:can not|could not) (?:cope|do this|take (?:it|this)|go on)(?: any ?more)?\b",
        r"\b(?:had|have had) enough\b",
        r"\bi am (?:done|finished)\b",
    ]
)
_MEANS_AT_HAND = _alternation(
    [
        rf"\b(?:have|got|holding|keep|keeping) (?:the |my |all my |all the |enough )?{_PILLS_ANY}"
        r" (?:right )?(?:here|beside me|next to me|by my bed|in my hand|at hand|on the table"
        r"|in (?:my|the) drawer|in front of me)\b",
        rf"\b{_PILLS_ANY} (?:are|is) (?:right )?(?:here|beside me|next to me|in my hand)\b",
    ]
)

# Each of these needs EVERYDAY_PLANS absent from the same text (see the detector).
PLAN_COMBINATIONS: Final[tuple[Combination, ...]] = (
    Combination(PLAN, "crisis", (_PLACE_FOUND, _DATE_SET), needed=2),
    Combination(PLAN, "crisis", (_IN_ORDER, _DATE_SET), needed=2),
)
COMBINATIONS: Final[tuple[Combination, ...]] = (
    Combination(PLAN, "crisis", (_MEANS_AT_HAND, _CANT_COPE), needed=2),
)

# --- time and stance
# Ideation told in the past ("years ago", "used to", "stopped after my meds changed").
STANCE_PAST: Final = re.compile(
    r"\b(?:years ago|months ago|a long time ago|long ago|used to|when i was (?:younger|little"
    r"|small|a (?:kid|child|teen|teenager)|in (?:school|high school|college|uni|university)"
    r"|[0-9]+|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)|as a (?:kid"
    r"|child|teen|teenager)|back (?:then|in (?:school|the day|[0-9]{4}))|in the past"
    r"|(?:stopped|went away|got better|faded|ended) (?:after|when|once|since)|since (?:my|the)"
    r" (?:meds|medication|treatment|therapy) (?:changed|started|kicked in)|(?:have|am)"
    r" (?:fully )?recovered|in recovery|recovered|i am (?:in a )?(?:much )?better (?:place )?now"
    r"|am doing (?:a lot |much |so much )?better now|survivor|no longer)\b"
)
# Present-tense risk that keeps a past story current ("it is back", "again", "lately").
STANCE_NOW: Final = re.compile(
    r"\b(?:again|tonight|right now|these days|lately|still|coming back|came back|is back|are"
    r" back|returned|creeping back|starting again|this week|since yesterday|any ?more)\b"
)
# Intent about now, which no stance marker lowers ("i will", "tonight", "this time").
STANCE_INTENT_NOW: Final = re.compile(
    r"\b(?:tonight|right now|this time|i (?:will|am going to|have decided|plan to|am ready|want"
    r" to|need to|am about to)(?! never| not| stop)|i am (?:so )?(?:close|ready))\b"
)
# Thoughts the writer rejects (intrusive thoughts, "i would never act on it").
STANCE_REJECTED: Final = re.compile(
    r"\b(?:intrusive (?:thoughts?|images?|urges?)|i would never (?:act on|do) (?:it|them|that)"
    r"|i (?:would|will) never (?:actually )?(?:do|act on) (?:it|that|anything|them)"
    r"|(?:they|it|the thoughts?|these thoughts) (?:scare|scares|terrify|terrifies|frighten"
    r"|frightens|disgust|disgusts) me|i do not want to (?:act on|do) (?:it|them)|ocd)\b"
)
# Fiction, coursework, research and news about suicide.
STANCE_TOPIC: Final = re.compile(
    r"\b(?:novel|book club|character|protagonist|fiction|fanfic|screenplay|script"
    r"|essay|assignment|coursework|dissertation|thesis|lecture|module|seminar|research|article"
    r"|journalist|news|headline|documentary|podcast|statistics|prevention|awareness|veterans"
    r"|bomber|bombing|for (?:a|my) (?:class|course|paper|project|article|essay))\b"
)

# --- neutralisers
_PETS_AND_PAGES = (
    r"(?:dog|dogs|cat|cats|puppy|kitten|pet|pets|horse|rabbit|hamster|bird|parrot|ferret"
    r"|guinea pig|rat|mouse|animal|animals|article|story|novel|essay|book|class|exam|assignment"
    r"|research|paper|thesis|lecture|quiz|podcast)"
)
NEUTRALISERS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (
        _alternation(
            [
                # sport, war and news: "a suicidal pass", "a suicide bomber", "suicide doors"
                rf"\b(?:{SUICIDE}|{SUICIDE_OTHER}) (?:pass|passes|ball|balls|tackle|tackles|run"
                r"|runs|defending|defence|defense|challenge|back pass|mission|missions|squad"
                r"|attack|attacks|attacker|bomb\w*|drone|drones|doors?|sprints?|drills?|lines?)\b",
                r"\b(?:lethal|fatal|toxic|deadly) (?:dose|amount) (?:\w+ ){0,4}?(?:for|to|in)"
                rf" (?:a |an |my |our |the |his |her )?(?:\w+ )?{_PETS_AND_PAGES}\b",
                rf"\b(?:for|in) (?:a|an|my|our|the) (?:\w+ )?{_PETS_AND_PAGES}"
                r" (?:\w+ ){0,6}?(?:lethal|fatal|toxic|deadly) (?:dose|amount)\b",
            ]
        ),
        " ~ ",
    ),
    (
        _alternation(
            [
                rf"\b(?:what|why) (?:is|are|causes|does|do people (?:commit|attempt)) (?:a )?"
                rf"(?:{SUICIDE}|{SUICIDE_OTHER})(?: ideation)?(?= ?(?:$|[.!?]| mean))",
                rf"\b(?:{SUICIDE}) (?:ideation|thoughts|behaviou?r|risk|rates?) (?:among|in|of"
                r"|amongst) (?!me\b|my\b|myself\b)",
            ]
        ),
        " ~mention~ ",
    ),
)
