"""What the demo account has lived through: written for the demo, realistic and unremarkable.

Nothing here is a crisis: the demo shows the everyday app. Times are days (and hours) before now.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.journal_forms import Kind, ThoughtRecord, gratitude_entry, thought_record_entry


@dataclass(frozen=True)
class DemoTurn:
    """One exchange: what the person wrote, the answer, and the guides it was based on."""

    said: str
    answer: str
    sources: tuple[str, ...] = ()
    helpful: bool | None = None


@dataclass(frozen=True)
class DemoConversation:
    """A conversation `days_ago` days ago, at `hour` o'clock UTC."""

    title: str
    days_ago: int
    hour: int
    turns: tuple[DemoTurn, ...]


@dataclass(frozen=True)
class DemoJournalEntry:
    """A journal entry written `days_ago` days ago, at `hour` o'clock UTC."""

    days_ago: int
    hour: int
    title: str
    body: str
    kind: Kind = "free"


CONVERSATIONS = (
    DemoConversation(
        title="Can't switch off at night",
        days_ago=19,
        hour=23,
        turns=(
            DemoTurn(
                said="It's nearly midnight and my head is still going over everything I didn't "
                "finish at work. I'm exhausted but I can't switch off.",
                answer="That sounds draining: tired all the way through, yet your mind keeps "
                "working the late shift. One thing that often helps is giving the worries a "
                "place to go before bed. Try jotting down what's unfinished and one next step "
                "for each, then close the notebook: the list will still be there tomorrow. "
                '"Racing thoughts at night" has a few more ideas if you\'d like them.',
                sources=("sleep-racing-thoughts-at-night", "sleep-wind-down-routine"),
                helpful=True,
            ),
            DemoTurn(
                said="I tried writing it down. It helped a bit. I still feel wired though.",
                answer="Well done for trying it tonight, that's not nothing. Feeling wired is "
                "your body still being on alert. A few minutes of slow breathing, in for 4 and "
                "out for 6, can tell it the day is over. If you're still awake in about 20 "
                "minutes, get up and do something calm in dim light until you feel sleepy.",
                sources=("breathing-paced-slow-breathing", "sleep-stimulus-control"),
            ),
        ),
    ),
    DemoConversation(
        title="Dreading the team presentation",
        days_ago=12,
        hour=8,
        turns=(
            DemoTurn(
                said="I have to present to the whole team on Thursday and I keep imagining "
                "freezing and everyone thinking I'm useless.",
                answer="Presenting in front of people you work with can feel very exposed, and "
                "your mind is running the worst version of it on repeat. It might help to "
                "notice that thought as a prediction, not a fact. What has actually happened "
                "the last few times you spoke in a meeting? Small rehearsals, out loud and "
                "then to one friendly colleague, also take the edge off.",
                sources=("thinking-patterns-catastrophising", "anxiety-social-situations"),
                helpful=True,
            ),
        ),
    ),
    DemoConversation(
        title="A flat, heavy week",
        days_ago=6,
        hour=18,
        turns=(
            DemoTurn(
                said="Everything feels flat this week. I cancelled on my friends again and "
                "mostly stayed in bed on Sunday.",
                answer="I'm sorry the week has felt so heavy. When mood is low, doing less can "
                "feel like the only option, and yet it often keeps the flatness going. Could "
                "you pick one small thing for tomorrow that used to feel good or useful, even "
                "ten minutes of it? A short walk, a message to one friend, or a proper "
                "breakfast all count.",
                sources=("low-mood-when-everything-feels-flat", "low-mood-behavioural-activation"),
            ),
            DemoTurn(
                said="Maybe a walk before work. And I'll text Sam back.",
                answer="Those are both great choices: small, specific and within reach. You "
                "might note how you feel before and after the walk, just out of curiosity. If "
                "the flatness hangs around for more than a couple of weeks, talking to your GP "
                "or family doctor is a good idea too.",
                sources=("activity-activity-and-mood-diary",),
                helpful=True,
            ),
        ),
    ),
    DemoConversation(
        title="Better morning",
        days_ago=1,
        hour=9,
        turns=(
            DemoTurn(
                said="Went for the walk three times this week. Still tired but less foggy.",
                answer="That's real progress, three walks in a week when everything felt flat. "
                "Less fog is worth noticing. What made it possible on the days you went? "
                "Knowing that can help you keep it going.",
                sources=("low-mood-activity-scheduling-small-steps",),
                helpful=True,
            ),
        ),
    ),
)

# Built through the page's own helpers, so they read exactly like entries made on the page.
_GRATITUDE = gratitude_entry(
    [
        "Sam made me laugh at lunch.",
        "Finished the report early.",
        "The sky on the way home was ridiculous, pink and orange.",
    ]
)
_THOUGHT = thought_record_entry(
    ThoughtRecord(
        situation="Asked to present on Thursday.",
        automatic_thought="I'll freeze and they'll think I'm useless.",
        emotion="anxious",
        intensity=80,
        evidence_for="My voice shook the last time I spoke in a big meeting.",
        evidence_against="I spoke up twice last week and it was fine.",
        balanced_thought="I might be nervous, and I can still get through it.",
        new_intensity=40,
    ),
    title="Thought record: presentation",
)

JOURNAL = (
    DemoJournalEntry(
        40,
        21,
        "New job nerves",
        "First week done. Everyone seems kind but I feel like I'm pretending to know what I'm "
        "doing. Reminding myself that nobody expects me to know everything yet.",
    ),
    DemoJournalEntry(
        33,
        22,
        "Sunday",
        "Slow day. Cooked a proper dinner for the first time in ages. Called Mum.",
    ),
    DemoJournalEntry(
        26,
        7,
        "Bad night",
        "Woke at 3 and couldn't get back to sleep. Kept replaying the meeting. Going to try "
        "the worry list before bed tonight.",
    ),
    DemoJournalEntry(20, 21, _GRATITUDE.title, _GRATITUDE.body, _GRATITUDE.kind),
    DemoJournalEntry(14, 20, _THOUGHT.title, _THOUGHT.body, _THOUGHT.kind),
    DemoJournalEntry(
        10,
        19,
        "It went fine",
        "The presentation went fine. My voice shook for the first minute and then I forgot "
        "about it. Nobody said anything about it.",
    ),
    DemoJournalEntry(
        7,
        22,
        "Heavy",
        "Cancelled on everyone again. I don't really know why I'm so tired all the time.",
    ),
    DemoJournalEntry(
        4,
        8,
        "Walk",
        "Walked round the park before work. Cold, but I felt more awake afterwards.",
    ),
    DemoJournalEntry(
        2,
        21,
        "Texted Sam",
        "We're getting coffee on Saturday. Small thing, but I'm glad I did it.",
    ),
)
