"""A learned linear ranker of a chapter's title candidates (English): ``score = w . f(p)``, highest wins.

Opt-in (``KeyphraseParams(rank=True)``), not the default: on the fit half, leave-one-talk-out, it did not
beat the KeyBERT rule of ``keyphrases`` (``benchmarks/results/title_rank.json``).

Contract: ``candidate_features(...) -> (n, len(FEATURES))`` for one chapter's candidate phrases, and
``rank_scores(features) -> (n,)``; the title is the candidate of the highest score. Only differences of
scores within a chapter matter, so no intercept.

Features of a candidate phrase ``p`` in chapter ``i`` (``v(p)`` its unit sentence-model embedding, ``c_j``
the unit mean of chapter ``j``'s sentence embeddings, ``t`` the talk's, ``s_k`` chapter ``i``'s sentences):

- ``centre``: ``cos(v(p), c_i)``, the KeyBERT score;
- ``margin``: ``cos(v(p), c_i) - max_{j != i} cos(v(p), c_j)`` (0 with one chapter);
- ``talk``: ``cos(v(p), t)``: a phrase close to the whole talk names the talk, not this chapter;
- ``sent_mean`` / ``sent_max``: mean and maximum of ``cos(v(p), s_k)`` over the chapter's sentences;
- ``said_share``: share of the chapter's sentences that say ``p`` (its words in a row);
- ``word_share``: mean over ``p``'s words of the share of the chapter's sentences that say the word (a
  plural ``s`` stripped on both sides);
- ``lexical``: the pre-rank score (``keyphrases`` step 2) over the chapter's best (0: not shortlisted);
- ``two_words`` / ``three_words``: 1 for a phrase of that many words;
- ``listed``: 1 for a phrase from a shipped list (nouns, word pairs), not from the chapter's shortlist;
- ``unknown``: the share of the phrase's words neither the lexicon nor the names list knows;
- ``first``: where the phrase is first said, as a share of the chapter's sentences (1 when never said).

``WEIGHTS`` were fitted by ``benchmarks/fit_title_rank.py`` on the fit half of
``benchmarks/talks_devset.py`` (6 talks, 3 regenerations, tiny.en transcripts): per chapter, features and
targets centred on the chapter's mean, least squares (ridge 1e-3) of the target, the candidate's
sentence-model cosine to the true title of the section(s) that chapter's title is scored against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

FEATURES = (
    "centre",
    "margin",
    "talk",
    "sent_mean",
    "sent_max",
    "said_share",
    "word_share",
    "lexical",
    "two_words",
    "three_words",
    "listed",
    "unknown",
    "first",
)

#: fitted weights, one per ``FEATURES`` entry (module docstring)
WEIGHTS = np.array(
    [
        0.4981,
        0.1318,
        0.2033,
        0.5461,
        -0.1871,
        -0.2199,
        0.1399,
        0.003,
        -0.061,
        -0.1064,
        -0.0218,
        0.0178,
        -0.0327,
    ]
)


def _says(phrase: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text) is not None


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _word_share(phrase: str, bags: Sequence[set[str]]) -> float:
    words = [_stem(w) for w in phrase.split()]
    return float(np.mean([sum(w in b for b in bags) for w in words])) / max(len(bags), 1)


def candidate_features(
    phrases: Sequence[str],
    phrase_vecs: np.ndarray,
    sentences: Sequence[str],
    sentence_vecs: np.ndarray,
    centres: np.ndarray,
    i: int,
    talk: np.ndarray,
    lexical: dict[str, float],
    listed: set[str],
    unknown: Sequence[float],
) -> np.ndarray:
    """(len(phrases), len(FEATURES)) features of chapter ``i``'s candidates (module docstring); every
    vector is unit length, ``sentences`` lower case."""
    own = phrase_vecs @ centres[i]
    others = np.delete(centres, i, axis=0)
    rival = (phrase_vecs @ others.T).max(1) if len(others) else own
    per_sent = phrase_vecs @ sentence_vecs.T if len(sentences) else np.zeros((len(phrases), 1))
    best_lex = max(lexical.values(), default=0.0) or 1.0
    bags = [{_stem(w) for w in re.findall(r"[a-z][a-z'-]*", t)} for t in sentences]
    rows = []
    for k, p in enumerate(phrases):
        said = [j for j, t in enumerate(sentences) if _says(p, t)]
        n_words = len(p.split())
        rows.append(
            [
                own[k],
                own[k] - rival[k],
                float(phrase_vecs[k] @ talk),
                float(per_sent[k].mean()),
                float(per_sent[k].max()),
                len(said) / max(len(sentences), 1),
                _word_share(p, bags),
                lexical.get(p, 0.0) / best_lex,
                float(n_words == 2),
                float(n_words >= 3),
                float(p in listed),
                unknown[k],
                said[0] / max(len(sentences), 1) if said else 1.0,
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(phrases), len(FEATURES))


def rank_scores(features: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """``features @ weights`` (default ``WEIGHTS``): the higher, the better the title."""
    return features @ (WEIGHTS if weights is None else np.asarray(weights, dtype=np.float64))
