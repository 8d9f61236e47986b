"""Pick rules for a chapter's title among its scored options (``KeyphraseParams.pick``).

Contract: each chapter's options arrive as (base score, phrase, unit vector), the base score being the
shipped one (``keyphrases`` step 3-4: the cosine to the chapter's centre ``c_i``, less the unknown-word
penalty, or a listed noun's cosine less ``vocab_margin``); ``rescored`` returns (score, phrase) for
``keyphrases.distinct_titles``. With ``pick="centre"`` the base score is the score.

- ``auc``: the AUC with which the option's cosines to the talk's sentences rank the chapter's own sentences
  above the others (ties count one half), plus ``TIE`` times the base score.
- ``retrieval``: the base score times that AUC.
- ``lead``: the base score plus ``LEAD_BONUS`` when the option is said in the chapter's first
  ``LEAD_SENTENCES`` sentences.
- ``coverage``: the share of the chapter's sentences for which the option's cosine exceeds the median
  cosine of the chapter's said candidates to that sentence, plus ``TIE`` times the base score.
- ``template`` and ``trimmed`` change the vectors or the centre before the base score (``TEMPLATE``,
  ``trimmed_centres``) and keep it as the score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

PICKS = ("centre", "auc", "retrieval", "lead", "coverage", "template", "trimmed")
#: the picks that re-score the options after the base score
RESCORED = ("auc", "retrieval", "lead", "coverage")
#: the carrier sentence of ``template``: a phrase is compared with sentence means as a sentence
TEMPLATE = "The topic of this part is {}."
LEAD_SENTENCES = 2
LEAD_BONUS = 0.05
#: weight of the base score as a tie-break for ``auc`` and ``coverage``
TIE = 0.01

Option = tuple[float, str, np.ndarray]


def auc(vec: np.ndarray, i: int, rows: Sequence[np.ndarray]) -> float:
    """AUC of ``vec``'s cosines ranking chapter ``i``'s sentence rows above every other chapter's (1.0
    without other sentences)."""
    own = rows[i] @ vec
    rest = [r for j, r in enumerate(rows) if j != i and len(r)]
    if not len(own) or not rest:
        return 1.0
    other = np.concatenate(rest) @ vec
    return float((own[:, None] > other[None, :]).mean() + 0.5 * (own[:, None] == other[None, :]).mean())


def coverage(vec: np.ndarray, own_rows: np.ndarray, said: np.ndarray) -> float:
    """Share of the chapter's sentence rows on which ``vec`` beats the median cosine of the ``said``
    candidate rows (``(k, d)``) to that sentence."""
    if not len(own_rows) or not len(said):
        return 0.0
    medians = np.median(said @ own_rows.T, axis=0)
    return float(((own_rows @ vec) > medians).mean())


def said_in_lead(phrase: str, sentences: Sequence[str]) -> bool:
    """Whether ``phrase`` is said (whole words, any case) in the first ``LEAD_SENTENCES`` sentences."""
    head = " ".join(sentences[:LEAD_SENTENCES]).lower()
    if not phrase.isascii():
        return phrase in head
    return re.search(rf"\b{re.escape(phrase.lower())}\b", head) is not None


def rescored(
    pick: str,
    i: int,
    options: Sequence[Option],
    rows: Sequence[np.ndarray],
    sentences: Sequence[str],
    said: np.ndarray,
) -> list[tuple[float, str]]:
    """Chapter ``i``'s options as (score, phrase) under ``pick`` (module docstring); ``rows`` every
    chapter's unit sentence rows, ``sentences`` chapter ``i``'s texts, ``said`` its said candidates' rows."""
    if pick == "auc":
        return [(auc(v, i, rows) + TIE * s, p) for s, p, v in options]
    if pick == "retrieval":
        return [(s * auc(v, i, rows), p) for s, p, v in options]
    if pick == "lead":
        return [(s + LEAD_BONUS * said_in_lead(p, sentences), p) for s, p, _v in options]
    if pick == "coverage":
        return [(coverage(v, rows[i], said) + TIE * s, p) for s, p, v in options]
    return [(s, p) for s, p, _v in options]


def trimmed_centres(rows: Sequence[np.ndarray], centres: np.ndarray) -> np.ndarray:
    """Per chapter the unit mean of its sentence rows whose cosine to the plain centre is at least the
    chapter's median (chapters of 1-2 sentences keep the plain centre)."""
    out = centres.copy()
    for j, r in enumerate(rows):
        if len(r) >= 3:
            sims = r @ centres[j]
            mean = r[sims >= np.median(sims)].mean(0)
            out[j] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return out
