"""Clean OCR text lines: split glued Latin words, drop noise.

Contract: ``clean_line(text, score=1.0) -> str`` returns the line with glued Latin words split back
("GROCERYBUDGET" -> "GROCERY BUDGET", "FIXA FLATTIRE" -> "FIX A FLAT TIRE", "TOP10GOALS" -> "TOP 10 GOALS";
case kept), or ``""`` when
the line is noise: fewer than ``MIN_CHARS`` letters/digits (a lone "口", "a", "7"), or a short line
(at most ``SHORT_LINE`` letters/digits) read with confidence below ``SHORT_MIN_SCORE``.

RapidOCR's PP-OCRv4 recogniser often drops the spaces of English caption lines. A run of Latin letters
with no space is split by the least total cost over wordninja's word costs (log of the Zipf rank in
English Wikipedia unigram frequencies, shipped inside its wheel), where words of at most three letters
ranked below ``SHORT_RARE_RANK`` cost ``SHORT_RARE_PENALTY`` more (wordninja alone reads "FIXAFLATTIRE"
as "fix afl attire"). The split is kept when the run is not itself a known word and every piece is a
known word of at least two letters, or "a" / "i"; otherwise the run stays as it was (names, brands).
A number glued to a run of at least ``MIN_WORD_BESIDE_NUMBER`` Latin letters is set apart from it first
("TOP10GOALS", "IPHONE15"); shorter runs keep their digits ("MP4", "4K", "H264").
wordninja's word list loads on the first glued run (about 0.3 s), never for Chinese-only text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

MIN_CHARS = 2
SHORT_LINE = 2
SHORT_MIN_SCORE = 0.8
MIN_GLUED = 4  # Latin runs shorter than this are never split
SHORT_RARE_RANK = 5000
SHORT_RARE_PENALTY = 2.0
MAX_WORD = 20
MIN_WORD_BESIDE_NUMBER = 3
_LATIN_RUN = re.compile(r"[A-Za-z]+")
_NUMBER_GLUED = re.compile(
    rf"(?<=[A-Za-z]{{{MIN_WORD_BESIDE_NUMBER}}})(?=\d)|(?<=\d)(?=[A-Za-z]{{{MIN_WORD_BESIDE_NUMBER}}})"
)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _model() -> Any:
    import wordninja

    return wordninja.DEFAULT_LANGUAGE_MODEL


def _known(word: str) -> bool:
    return word.lower() in _model()._wordcost


def _cost(word: str) -> float:
    costs = _model()._wordcost
    c = costs.get(word)
    if c is None:
        return math.inf
    if len(word) <= 3 and c > _rank_cost(SHORT_RARE_RANK, len(costs)):
        c += SHORT_RARE_PENALTY
    return float(c)


def _rank_cost(rank: int, n_words: int) -> float:
    return math.log(rank * math.log(n_words))  # wordninja's cost of the word at ``rank``


def _best_split(run: str) -> list[str]:
    low = run.lower()
    best = [0.0] + [math.inf] * len(low)
    back = [0] * (len(low) + 1)
    for i in range(1, len(low) + 1):
        for j in range(max(0, i - MAX_WORD), i):
            c = best[j] + _cost(low[j:i])
            if c < best[i]:
                best[i], back[i] = c, j
    if math.isinf(best[-1]):
        return [run]
    pieces, i = [], len(low)
    while i > 0:
        pieces.append(run[back[i] : i])
        i = back[i]
    return pieces[::-1]


def split_glued(run: str) -> list[str]:
    """``run`` (Latin letters only) as the words it was glued from, or ``[run]`` (see module docstring)."""
    if len(run) < MIN_GLUED or _known(run):
        return [run]
    pieces = _best_split(run)
    if len(pieces) < 2:
        return [run]
    if all(_known(p) and (len(p) >= 2 or p.lower() in ("a", "i")) for p in pieces):
        return list(pieces)
    return [run]


def clean_line(text: str, score: float = 1.0) -> str:
    """The cleaned line, or "" for noise (see module docstring)."""
    t = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    n_alnum = sum(c.isalnum() for c in t)
    if n_alnum < MIN_CHARS or (n_alnum <= SHORT_LINE and score < SHORT_MIN_SCORE):
        return ""
    t = _NUMBER_GLUED.sub(" ", t)
    return _LATIN_RUN.sub(lambda m: " ".join(split_glued(m.group(0))), t)
