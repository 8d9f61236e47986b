"""How many sections a talk says it has: "Here are four ideas ...", "Five quiet hobbies for ...".

Contract: ``said_section_count(sentences, duration, min_seconds) -> int | None``. In the talk's opening (its
first ``OPENING_SENTENCES`` sentences that start within ``OPENING_SECONDS``), the first number from 2 to 20 (a
word or digits) that opens its sentence (after filler such as "okay, so"; "top ten ...") or follows a list
opener, followed by at most two words and a plural noun that is no unit of time or measure and no word for
people ("takes two hours", "my two kids" do not count). List openers: "here are", "here's", "there are",
"these are", "we'll" / "I'll" / "I want to" and a verb and one more word, "we're" / "I'm" and an -ing verb,
"let's" and a verb, "you'll learn" / "you'll discover", each with "my", "our", "the" or "some" and then "top"
allowed after it; "these" or "the top" opening the sentence. The verb must not be one that takes things to
hand rather than sections (``_OBJECT_VERBS``: "we'll need three eggs", "I'm using four apples" do not count;
nor does "chop these two onions", where "these" does not open the sentence). When the opening says none, the
closing (the last ``CLOSING_SENTENCES`` sentences that start within ``CLOSING_SECONDS`` of the end) may, after
a recap opener: "So those were my five tips", "That's the seven habits", "There you have it: four ways".
``None`` when no such phrase is said, or when that many sections of ``min_seconds`` do not fit in
``duration``.

Chinese (``chinese=True``): a number from 2 to 20 (两, 二-二十 or digits) that is no part of a longer
number run ("一两个", "八十八个") and is followed by a measure word (个, 种, 条, 道, 部分 ...), after an
opener earlier in the same clause (分享, 介绍, 聊聊, 讲讲, 教, 认识 ...; in the closing 以上, 上面, 前面) or
right after 这 / 这些, not right after a verb of things to hand ("用两个鸡蛋"), and not followed by time or
people ("两个月", "两个孩子").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from vidgist.summarize.topic_segments import SPOKEN_FILLER
from vidgist.types import TextSpan

OPENING_SENTENCES = 5  # a channel's greeting may come first: "Hi, welcome back. ... Today I'm sharing 7 tips"
OPENING_SECONDS = 30.0
CLOSING_SENTENCES = 3
CLOSING_SECONDS = 30.0

_NUMBERS = {
    w: i
    for i, w in enumerate(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split(),
        start=2,
    )
}
_NUMBER_WORDS = frozenset("one hundred thousand million billion dozen".split())
_NUMBER = r"(?P<n>" + "|".join(_NUMBERS) + r"|[1-9]\d?)"
#: verbs whose objects are things to hand, not sections ("we'll need three eggs", "I'm using four apples")
_OBJECT_VERBS = (
    "need needing use using require requiring take taking buy buying grab grabbing add adding bring "
    "bringing pack packing hold holding chop chopping cut cutting slice slicing crack cracking peel peeling "
    "mix mixing weigh weighing measure measuring pour pouring eat eating"
).split()
_NOT_OBJECT_VERB = r"(?!(?:" + "|".join(_OBJECT_VERBS) + r")\b)"
_LIST_OPENER = (
    rf"(?:^\W*(?:{SPOKEN_FILLER}\W+)*(?:these\s+|(?:the\s+)?top\s+)?"
    r"|\b(?:(?:here are|here's|there are|these are|"
    r"(?:we|i)(?:'ll| will| are going to|'re going to|'m going to| want to|'d like to) "
    rf"{_NOT_OBJECT_VERB}\w+(?: \w+)?|"
    rf"(?:we|i)(?:'re|'m| are| am) {_NOT_OBJECT_VERB}\w+ing(?: you)?|"
    r"you(?:'ll| will|'re going to| are going to) (?:learn|discover)|"
    rf"let's {_NOT_OBJECT_VERB}\w+(?: at| through)?)(?:\s+(?:my|our|the|some))?(?:\s+top)?)\s+)"
)
_LISTED = _NUMBER + r"\s+(?P<words>(?:[a-z'-]+\s+){0,2}?)(?P<noun>[a-z'-]+s)\b"
_COUNT_PHRASE = re.compile(_LIST_OPENER + _LISTED, re.IGNORECASE)
#: how a closing recap introduces its count ("so those were my five tips")
_RECAP_PHRASE = re.compile(
    r"\b(?:those were|these were|those are|that was|that's|that is|there you have it|and that's)\W+"
    r"(?:(?:my|our|the|all|all the)\s+)?" + _LISTED,
    re.IGNORECASE,
)
#: plural nouns a number in an opening measures rather than lists
_NOT_SECTIONS = frozenset(
    """seconds minutes hours days weeks months years decades centuries times percent degrees dollars euros
    pounds pence cents kilos kilograms grams ounces metres meters miles kilometres kilometers feet inches
    litres liters cups spoonfuls tablespoons teaspoons calories pages words people persons children kids
    friends members players guests students sons daughters brothers sisters parents babies others ones
    quarters halves thirds of""".split()
)


@lru_cache(maxsize=4096)
def _plural(word: str) -> bool:
    """A plural noun by the lexicon (``lemminflect``): a noun lemma other than the word ("things" -> "thing",
    "tips" -> "tip"; not "news")."""
    from lemminflect import getAllLemmas

    return word.endswith("s") and any(lemma != word for lemma in getAllLemmas(word).get("NOUN", ()))


def _count_in(sentence: str, phrase: re.Pattern[str] = _COUNT_PHRASE) -> int | None:
    for m in phrase.finditer(sentence):
        noun = m.group("noun").lower()
        if noun in _NOT_SECTIONS or not _plural(noun):
            continue
        words = [w.lower() for w in m.group("words").split()]
        if any(w in _NOT_SECTIONS or w in _NUMBERS or w in _NUMBER_WORDS for w in words):
            continue  # a unit, or a compound number ("twenty five", "ten thousand steps")
        token = m.group("n").lower()
        n = _NUMBERS.get(token) or int(token)
        if 2 <= n <= 20:
            return n
    return None


_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "十": 10}
_CHINESE_NUMERAL = "零一二两三四五六七八九十百千万"
#: a clause's count of sections: an opener, then (later in the clause) a number and a measure word
#: ("分享五个小技巧", "认识一下太阳系的八颗行星"); "这" only right before the number ("这五个习惯")
_CHINESE_OPENERS = "分享|介绍|聊聊|聊|说说|讲讲|讲|推荐|认识|教|盘点|总结|列举|看看|带|一共|总共|以下|下面"
_CHINESE_RECAP_OPENERS = "以上|上面|前面"
_CHINESE_THESE = "这些|这"
#: a number right after these counts things to hand ("用两个鸡蛋", "需要三个碗", "带两个包")
_CHINESE_OBJECT_VERB_ENDS = "用要备买拿加放切吃带"
_CHINESE_CLASSIFIERS = "部分|方面|阶段|个|种|条|件|招|点|步|颗|座|道|款|类|项|大|章|节|课|处|样|本|部|首"
#: what follows a classifier when the number measures time or counts people ("两个月", "三个孩子")
_CHINESE_NOT_SECTIONS = ("月", "小时", "星期", "礼拜", "钟头", "人", "孩子", "朋友", "同学", "小朋友")
_CHINESE_CLAUSE = re.compile(r"[^，。！？；：、,.!?;:]+")


def _chinese_number(text: str) -> int | None:
    """2-20 written as one Chinese numeral run ("五", "十二", "二十") or digits, else None."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CHINESE_DIGITS.get(text)
    if text.startswith("十") and len(text) == 2:
        ones = _CHINESE_DIGITS.get(text[1])
        return 10 + ones if ones else None
    if text == "二十":
        return 20
    return None


def _chinese_count_phrase(openers: str) -> re.Pattern[str]:
    """One of ``openers`` and later in the clause, or "这" right before, a number run and a measure word."""
    return re.compile(
        rf"(?:(?:{openers}).*?|(?:{_CHINESE_THESE}))(?<![{_CHINESE_NUMERAL}\d{_CHINESE_OBJECT_VERB_ENDS}])"
        rf"(?P<n>[{_CHINESE_NUMERAL}]+|\d+)(?:{_CHINESE_CLASSIFIERS})(?P<rest>.*)"
    )


_CHINESE_COUNT = _chinese_count_phrase(_CHINESE_OPENERS)
_CHINESE_RECAP = _chinese_count_phrase(_CHINESE_RECAP_OPENERS)


def _chinese_count_in(sentence: str, pattern: re.Pattern[str]) -> int | None:
    """The count a Chinese sentence says by ``pattern`` (``_CHINESE_COUNT``, ``_CHINESE_RECAP``) in one
    clause, or None."""
    for clause in _CHINESE_CLAUSE.findall(sentence):
        m = pattern.search(clause)
        if m is None or m.group("rest").startswith(_CHINESE_NOT_SECTIONS):
            continue
        n = _chinese_number(m.group("n"))
        if n is not None and 2 <= n <= 20:
            return n
    return None


def said_section_count(
    speech: Sequence[TextSpan], duration: float, min_seconds: float, chinese: bool = False
) -> int | None:
    """The number of sections the talk's opening (else its closing) says it has (module docstring), or
    None; ``speech`` is the transcript's sentences in time order (``chapters.sentences``); ``chinese``
    reads Chinese phrases instead of English ones."""
    opening = [s.text for s in speech[:OPENING_SENTENCES] if s.start <= OPENING_SECONDS]
    closing = [s.text for s in speech[-CLOSING_SENTENCES:] if s.start >= duration - CLOSING_SECONDS]
    if chinese:
        found = [_chinese_count_in(s, _CHINESE_COUNT) for s in opening]
        found += [_chinese_count_in(s, _CHINESE_RECAP) for s in closing]
    else:
        found = [_count_in(s) for s in opening]
        found += [_count_in(s, _RECAP_PHRASE) for s in closing]
    n = next((k for k in found if k is not None), None)
    return n if n is not None and n * min_seconds <= duration else None
