"""The number of sections a talk says ("Here are seven habits ...", "those were my five tips")."""

from __future__ import annotations

import sys

import pytest
from conftest import REPO

from vidgist.eval.chapters import boundary_f1
from vidgist.summarize.spoken_count import said_section_count
from vidgist.types import TextSpan

#: a morning-routine talk: seven habits within one theme, three sentences each, its count said first
MORNING = (
    "Here are seven habits for a calmer morning.",
    (
        (
            "Wake time",
            "Get up at the same minute every day, weekends included.",
            "Your body clock learns the rhythm within a fortnight.",
            "Put the alarm across the room so you must stand to silence it.",
        ),
        (
            "Water",
            "Drink a full glass before anything else touches your lips.",
            "Overnight you lose moisture through every breath.",
            "A slice of lemon makes the first sip easier to face.",
        ),
        (
            "Daylight",
            "Open the curtains wide or step onto the balcony for a few minutes.",
            "Bright light tells the brain that night has ended.",
            "On grey winter mornings a lamp by the breakfast table helps.",
        ),
        (
            "Stretching",
            "Roll your shoulders and reach for the ceiling ten times.",
            "Then fold forward slowly and let your arms hang loose.",
            "Five minutes on a mat loosens a stiff back before the commute.",
        ),
        (
            "Breakfast",
            "Oats with nuts and berries keep hunger away until lunch.",
            "Sugary cereal gives a quick rise and an early crash.",
            "Eggs on wholemeal toast work just as well on busy days.",
        ),
        (
            "Phone",
            "Leave notifications silent for the first half hour.",
            "Messages read in bed pull you into other people's worries.",
            "Charge the handset in the kitchen rather than the bedroom.",
        ),
        (
            "Planning",
            "Write the three tasks that matter most on a paper card.",
            "Cross each one off as soon as it is finished.",
            "Anything else waits until those are done.",
        ),
    ),
)


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Here are seven habits for a calmer morning.", 7),
        ("Okay, so today I will share 9 tricks for faster typing.", 9),
        ("Four small gardens, from a balcony to a rooftop.", 4),
        ("We'll bake six breads this afternoon.", 6),
        ("Let's look at three mistakes beginners make.", 3),
        ("Here's five tips for a better garden.", 5),
        ("I want to share three things with you.", 3),  # "things": a plural the lexicon also lists
        ("Top 10 travel hacks for Japan.", 10),
        ("These are the four rules of the game.", 4),
        ("These five habits changed my mornings.", 5),
        ("In this class you'll learn six sauces.", 6),
        ("For this recipe we'll need three eggs and a little flour.", None),  # things to hand
        ("I'm using four ripe apples today.", None),
        ("First, chop these two onions finely.", None),  # "these" inside the sentence
        ("Slice off the top three layers of the sponge.", None),
        ("Today's video has 5 tips.", None),  # "has" is no list opener
        ("In today's video we're covering five mistakes new runners make.", 5),
        ("We're spending two weeks in Japan.", None),  # a unit
        ("The tour takes two hours and ends at the harbour.", None),  # a unit of time
        ("My two kids love this recipe.", None),  # people
        ("Keep the first ten pages for notes.", None),  # "first" and a unit
        ("A recipe for pancakes with two eggs.", None),  # no list opener before the number
        ("Here are twenty five reasons.", None),  # 25: more than 20 sections
        ("Ten thousand steps a day keep you fit.", None),  # a compound number
        ("Three quarters of the work is preparation.", None),  # a fraction
    ],
)
def test_the_count_a_sentence_says(sentence: str, count: int | None) -> None:
    assert said_section_count([TextSpan(0.0, 3.0, sentence, "speech")], 600.0, 10.0) == count


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("So those were my five tips for better sleep.", 5),
        ("That's the seven habits, see you next week.", 7),
        ("There you have it: four ways to fold a shirt.", 4),
        ("And that's two hours well spent.", None),  # a unit
        ("Those were the two best days of my life.", None),  # "best" then a unit
        ("That was the lead, recall and chewing.", None),  # items, no count
    ],
)
def test_the_count_a_closing_recap_says(sentence: str, count: int | None) -> None:
    plain = [TextSpan(t, t + 3.0, "Plain words here.", "speech") for t in (0.0, 4.0, 8.0)]
    assert said_section_count([*plain, TextSpan(590.0, 594.0, sentence, "speech")], 600.0, 10.0) == count


def test_only_the_opening_and_closing_count_and_the_count_must_fit() -> None:
    later = [TextSpan(t, t + 3.0, "Plain words here.", "speech") for t in (0.0, 4.0, 8.0)]
    said_late = [*later, TextSpan(35.0, 38.0, "Here are four tips.", "speech")]
    assert said_section_count(said_late, 600.0, 10.0) is None  # said after the opening's 30 s
    greeting = [*later, TextSpan(12.0, 15.0, "Today I'm sharing four tips.", "speech")]
    assert said_section_count(greeting, 600.0, 10.0) == 4  # the fourth sentence, after a greeting
    opening = [TextSpan(0.0, 3.0, "Here are four tips.", "speech")]
    assert said_section_count(opening, 600.0, 10.0) == 4
    assert said_section_count(opening, 35.0, 10.0) is None  # four sections of 10 s do not fit in 35 s


def _morning_evidence(intro: str = MORNING[0], recap: str = "") -> tuple[object, list[float]]:
    """``MORNING`` (opened by ``intro``, closed by ``recap``) as a perfect transcript (0.4 s a word), and its
    six section starts after the first."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generic_ceiling import perfect_evidence

    spans, starts, t = [TextSpan(0.0, 3.0, intro, "speech")], [], 3.5
    for k, (_, *sentences) in enumerate(MORNING[1]):
        if k:
            starts.append(t)
        for text in sentences:
            spans.append(TextSpan(t, t + 0.4 * len(text.split()), text, "speech"))
            t += 0.4 * len(text.split()) + 0.5
    if recap:
        spans.append(TextSpan(t, t + 3.0, recap, "speech"))
        t += 3.5
    return perfect_evidence(spans, t + 1.0), starts


def test_a_count_said_in_the_opening_sets_the_chapters() -> None:
    """The talk says it has seven habits: seven chapters, at least five of the six starts within 3 s, and
    the basis says where the count came from. Said "five", the chapters are five; with
    ``said_count=False`` the count is the rule's own. Said only in the closing recap, the count holds."""
    from vidgist.backbones.offline import encode_sentences
    from vidgist.summarize.chapters import ChapterParams, find_chapters

    evidence, starts = _morning_evidence()
    duration = evidence.info.duration  # type: ignore[attr-defined]
    found = find_chapters(evidence, [(0.0, duration)], encode_sentences, ChapterParams())
    got = [c.start for c in found.chapters[1:]]
    assert len(found.chapters) == 7 and found.basis == "transcript (count said: 7)", (got, starts)
    assert round(boundary_f1(got, starts, 3.0)[1] * 6) >= 5, (got, starts)

    evidence, _ = _morning_evidence("Here are five habits for a calmer morning.")
    five = find_chapters(evidence, [(0.0, duration)], encode_sentences, ChapterParams())
    assert len(five.chapters) == 5 and five.basis == "transcript (count said: 5)"
    own = find_chapters(evidence, [(0.0, duration)], encode_sentences, ChapterParams(said_count=False))
    assert own.basis == "transcript" and len(own.chapters) == 7

    evidence, _ = _morning_evidence("Good morning, let us begin.", "So those were my five habits.")
    closing_duration = evidence.info.duration  # type: ignore[attr-defined]
    recap = find_chapters(evidence, [(0.0, closing_duration)], encode_sentences, ChapterParams())
    assert len(recap.chapters) == 5 and recap.basis == "transcript (count said: 5)"


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("大家好，今天给大家分享六个整理书包的小窍门。", 6),
        ("今天教大家做三道简单的早餐。", 3),
        ("这十二个习惯，我坚持了很多年。", 12),
        ("今天介绍5种常见的室内植物。", 5),
        ("小狗大约三个月大的时候就可以出门了。", None),  # an age, no opener
        ("今天聊聊两个孩子的作息。", None),  # people
        ("今天说说一两个小问题。", None),  # a range, not one number
        ("今天讲讲八十八个琴键。", None),  # 88
        ("我们家有两只兔子。", None),  # no opener
        ("今天聊聊几种常见的面包。", None),  # no number
        ("今天分享十个收纳的办法。", 10),
        ("这道汤需要两个土豆。", None),  # "这" not right before the number, things to hand
        ("今天教大家用三个苹果做果酱。", None),  # a number right after "用"
    ],
)
def test_the_count_a_chinese_opening_says(sentence: str, count: int | None) -> None:
    spans = [TextSpan(0.0, 3.0, sentence, "speech")]
    assert said_section_count(spans, 600.0, 10.0, chinese=True) == count
    assert said_section_count(spans, 600.0, 10.0) is None  # the English reader finds no count in Chinese


def test_the_count_a_chinese_recap_says() -> None:
    plain = [TextSpan(t, t + 3.0, "先说说准备工作。", "speech") for t in (0.0, 4.0, 8.0)]
    recap = TextSpan(590.0, 594.0, "总之，以上这五个方法都值得一试。", "speech")
    assert said_section_count([*plain, recap], 600.0, 10.0, chinese=True) == 5
    later = TextSpan(590.0, 594.0, "这两个月我都在练习。", "speech")  # a unit of time
    assert said_section_count([*plain, later], 600.0, 10.0, chinese=True) is None
