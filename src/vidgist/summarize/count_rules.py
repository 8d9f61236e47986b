"""Additions to the speech chapter count: the lexical test of the count's extension
(``TopicParams.lexical_margin``, on by default) and the opt-in split of chapters by title
(``TopicParams.split_margin``).

Contract: ``title_splits`` only adds change points to the shipped rule's (``topic_segments``), never removes
one, and keeps every piece at least ``lmin`` grid points long.

A chapter is split at its best internal change point (KTS with one change point on the count's grid rows)
when the two halves' keyphrase titles (``keyphrases.chapter_keyphrases`` on the halves) differ and each
half's title is closer (cosine) to its own half's mean sentence embedding than to the other half's by at
least ``margin``; the halves are tested again until no split passes. Off by default: on the fit half of the
talks' true sentences its gain in boundary F1 was not proven (docs/decisions.md, "Chapters from speech").

Lexical distinctness (``lexically_distinct``): a boundary between grid segments is lexically distinct when,
with the sentences' tf-idf rows, the lower of the two sides' mean pairwise cosine (of its distinct
sentences; 0 with fewer than two) exceeds the mean cosine across the boundary by at least ``margin``
(``topic_segments`` takes one more boundary while the boundaries it adds pass).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vidgist.summarize.keyphrases import KeyphraseParams, TextEncoder, chapter_keyphrases
from vidgist.summarize.shots import backtrack, cpd_nonlin
from vidgist.types import TextSpan


def _cohesion(rows: np.ndarray) -> float:
    """Mean pairwise cosine of unit ``rows`` (0 with fewer than two)."""
    k = len(rows)
    if k < 2:
        return 0.0
    g = rows @ rows.T
    return float((g.sum() - np.trace(g)) / (k * (k - 1)))


def lexically_distinct(
    edges: Sequence[int],
    item: np.ndarray,
    tfidf: np.ndarray,
    margin: float,
    tested: Sequence[int] | None = None,
) -> bool:
    """Every boundary of the grid change points ``edges`` (or only those in ``tested``) is lexically
    distinct (module docstring); ``item`` maps grid points to sentences, ``tfidf`` holds one row per
    sentence."""
    rows = tfidf / np.maximum(np.linalg.norm(tfidf, axis=1, keepdims=True), 1e-12)
    bounds = [0, *edges, len(item)]
    sides = [sorted(set(item[a:b].tolist())) for a, b in zip(bounds, bounds[1:], strict=False)]
    for k, (left, right) in enumerate(zip(sides, sides[1:], strict=False)):
        if tested is not None and edges[k] not in tested:
            continue
        right = [i for i in right if i not in left]
        if not left or not right:
            return False
        across = float((rows[left] @ rows[right].T).mean())
        if min(_cohesion(rows[left]), _cohesion(rows[right])) - across < margin:
            return False
    return True


def _unit(x: np.ndarray) -> np.ndarray:
    return x / max(float(np.linalg.norm(x)), 1e-12)


def _split_passes(
    left: list[int],
    right: list[int],
    speech: Sequence[TextSpan],
    emb: np.ndarray,
    encode: TextEncoder,
    margin: float,
) -> bool:
    """The two halves' titles differ and each is closer to its own half's mean sentence by ``margin``."""
    titles = chapter_keyphrases(
        [[speech[i].text for i in left], [speech[i].text for i in right]], encode, KeyphraseParams()
    )
    if not all(titles) or titles[0].lower() == titles[1].lower():
        return False
    t = np.asarray(encode(titles), dtype=np.float64)
    t /= np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
    means = [_unit(np.mean([_unit(emb[i]) for i in half], axis=0)) for half in (left, right)]
    return bool(t[0] @ means[0] - t[0] @ means[1] >= margin and t[1] @ means[1] - t[1] @ means[0] >= margin)


def title_splits(
    speech: Sequence[TextSpan],
    emb: np.ndarray,
    x: np.ndarray,
    item: np.ndarray,
    edges: list[int],
    lmin: int,
    encode: TextEncoder,
    margin: float,
) -> list[int]:
    """The grid change points ``edges`` (without 0 and ``len(x)``) with every split that passes added
    (module docstring), sorted."""
    n = len(x)
    todo = list(zip([0, *edges], [*edges, n], strict=True))
    out = list(edges)
    while todo:
        lo, hi = todo.pop()
        if hi - lo < 2 * lmin:
            continue
        seg = x[lo:hi]
        _, scores, back = cpd_nonlin(seg @ seg.T, 1, lmin=lmin)
        if len(scores) < 2 or not np.isfinite(scores[1]):
            continue
        c = lo + int(backtrack(back, hi - lo, 1, lmin)[0])
        mids = [0.5 * (s.start + s.end) for s in speech]
        a = speech[item[lo]].start if lo else -np.inf
        b = speech[item[hi]].start if hi < n else np.inf
        t = speech[item[c]].start
        left = [i for i, m in enumerate(mids) if a <= m < t]
        right = [i for i, m in enumerate(mids) if t <= m < b]
        if left and right and _split_passes(left, right, speech, emb, encode, margin):
            out.append(c)
            todo += [(lo, c), (c, hi)]
    return sorted(out)
