"""Whether a deck of on-screen lines belongs to the talk as its title cards.

Contract: ``readable(title) -> bool``, ``cards_follow_speech(starts, titles, speech, emb, encode_texts) ->
bool`` and ``subtitled(cards, speech, words, ocr_gap) -> bool``; ``vidgist.summarize.chapters`` drops the card
deck (``title_cards``) when fewer than half its titles are ``readable``, when ``subtitled``, or (English
speech) when not ``cards_follow_speech``. Text of the footage rather than the talk: a film's stylised title
read as "BORKY", credits, captions of other subjects, burnt-in subtitles, speech captioned a few words at a
time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np

from vidgist.summarize.keyphrases import CJK_CHAR, TextEncoder, unknown_share
from vidgist.types import TextSpan

CARD_SPEECH = (
    2.0,
    10.0,
    30.0,
)  # a card introduces the sentences from 2 s before it to the next card (10-30 s on)
SUBTITLE_SECONDS = 5.0  # a subtitle's words are spoken within this many seconds of the line
SUBTITLE_SHOWN = 8.0  # ... and it is on screen at most this long (a slide's lines stay up longer)
CAPTION_SHOWN = 2.5  # a caption of a few words at a time is seen this long at most (or 2 OCR samples)
CAPTION_NEXT = 3.0  # ... and the next line comes within this many seconds of it (or 2 OCR samples)
_ANY_WORD = re.compile(r"[\u3400-\u9fff]|[^\W\u3400-\u9fff]+")  # words, stopwords too; CJK by character


def readable(title: str) -> bool:
    """Chinese text, or a word of 3+ letters the lexicon or the shipped names know (``unknown_share``)."""
    return bool(CJK_CHAR.search(title)) or unknown_share(title.lower()) < 1.0


def cards_follow_speech(
    starts: Sequence[float],
    titles: Sequence[str],
    speech: Sequence[TextSpan],
    emb: np.ndarray,
    encode_texts: TextEncoder,
    min_rank: float = 0.5,
    min_excess: float = 0.03,
) -> bool:
    """Whether cards shown at ``starts`` (in order) with ``titles`` introduce the speech after them. Per
    card: the mean cosine of its title to the sentences it introduces (``CARD_SPEECH``: starting from 2 s
    before it until the next card, at most 30 s on), ranked among a window of the same length placed at
    every sentence start (the share of placements it equals or beats), and its excess over the title's
    mean cosine to every sentence. True when the cards' median rank is at least ``min_rank`` and their
    median excess at least ``min_excess`` (a single card, which may title a chapter, too), or when there
    are no cards or fewer than three sentences (``speech`` in time order; ``emb``: its sentences'
    embeddings by ``encode_texts``)."""
    if not titles or len(speech) < 3 or len(emb) != len(speech) or min_rank <= 0:
        return True
    rows = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    vecs = np.asarray(encode_texts(list(titles)), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    said_at = np.array([s.start for s in speech])
    lead, least, most = CARD_SPEECH
    ends = [*starts[1:], math.inf]
    ranks, excess = [], []
    for start, end, vec in zip(starts, ends, vecs, strict=True):
        cos = rows @ vec
        sums = np.concatenate([[0.0], np.cumsum(cos)])
        length = max(min(end - start, most), least)

        def window_means(at: np.ndarray, length: float = length, sums: np.ndarray = sums) -> np.ndarray:
            lo = np.searchsorted(said_at, at - lead, side="left")
            hi = np.searchsorted(said_at, at + length, side="left")
            return np.where(hi > lo, (sums[hi] - sums[lo]) / np.maximum(hi - lo, 1), np.nan)

        own = float(window_means(np.array([start]))[0])
        if math.isnan(own):
            continue
        placed = window_means(said_at)
        ranks.append(float(np.mean(placed[~np.isnan(placed)] <= own + 1e-12)))
        excess.append(own - float(cos.mean()))
    return not ranks or (float(np.median(ranks)) >= min_rank and float(np.median(excess)) >= min_excess)


def subtitled(
    cards: Sequence[TextSpan],
    speech: Sequence[TextSpan],
    words: Callable[[str], list[str]],
    ocr_gap: float = 1.0,
) -> bool:
    """Whether the on-screen lines are the speech written out rather than title cards: at least half of
    them are subtitle lines, spoken within ``SUBTITLE_SECONDS`` of being shown. A subtitle line is shown
    for at most ``SUBTITLE_SHOWN`` seconds and holds three or more content ``words`` (eight or more Chinese
    characters; a title is shorter), at least 60% of them spoken; or it is a caption of a few words at a
    time: seen for at most ``CAPTION_SHOWN`` seconds, the next line within ``CAPTION_NEXT`` seconds of it
    (each at least two OCR samples, ``ocr_gap`` apart), two or more words, at least 60% of all its words
    spoken (a title deck's cards are a section apart)."""
    starts = [c.start for c in cards]
    brief = max(CAPTION_SHOWN, 2 * ocr_gap)
    follow = max(CAPTION_NEXT, 2 * ocr_gap)
    lines = 0
    for k, card in enumerate(cards):
        near = " ".join(
            s.text
            for s in speech
            if s.end >= card.start - SUBTITLE_SECONDS and s.start <= card.end + SUBTITLE_SECONDS
        )
        shown = words(card.text)
        if len(shown) >= (8 if CJK_CHAR.search(card.text) else 3) and card.end - card.start <= SUBTITLE_SHOWN:
            said = set(words(near))
            lines += sum(w in said for w in shown) >= 0.6 * len(shown)
            continue
        every = _ANY_WORD.findall(card.text.lower())
        followed = k + 1 < len(cards) and starts[k + 1] - card.start <= follow
        if len(every) >= 2 and card.end - card.start <= brief and followed:
            heard = set(_ANY_WORD.findall(near.lower()))
            lines += sum(w in heard for w in every) >= 0.6 * len(every)
    return bool(cards) and lines >= 0.5 * len(cards)
