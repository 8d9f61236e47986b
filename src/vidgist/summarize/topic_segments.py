"""Topic segmentation of speech: a penalised kernel changepoint search over sentence vectors.

Contract: ``topic_boundaries(sentences, vectors, duration, shot_cuts, params) -> list[(time, strength)]``,
sorted by time, each time a sentence start in ``(0, duration)``, at least ``min_seconds`` apart and from
both ends; ``strength`` is the kernel scatter the boundary saves (larger: a clearer change of topic).

The transcript is read on a time grid of ``step`` seconds (1 s, coarser for videos longer than
``max_positions`` steps): each grid point takes the row of the sentence being spoken there (in a pause, the
nearer sentence), so a sentence weighs as long as it is spoken. The rows join two channels,
``sqrt(a) * e`` and ``sqrt(1 - a) * f`` (``a = embed_weight``): ``e`` the sentence embedding minus the
video's mean sentence embedding (what every sentence of the talk shares says nothing about where topics
change), L2-normalised; ``f`` the sentence's tf-idf row of content words with the video's sentences as the
corpus (``chapters.tfidf_rows``), L2-normalised. The linear kernel on these rows goes through KTS
(Potapov et al. 2014; ``vidgist.summarize.shots.cpd_auto``, Eq. 1-3): the number of segments ``m + 1``
minimises ``L_m / N + vmax * m / (2 N) * (log(N / m) + 1)`` with segments of at least ``min_seconds``
(``lmin``), so both the window and the number of boundaries follow the content.

Weak support: each change point sits between two grid points, so between two sentences; it may move to
the sentence start one before or after when that start lowers ``scatter(left) + scatter(right)
- pause_weight * min(pause before it, 1.5 s) - shot_weight * [a shot change within shot_snap s]``
(every term in units of the kernel scatter per grid point); a move never makes a segment shorter than
``min_seconds``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vidgist.summarize.shots import backtrack, calc_scatters, cpd_nonlin
from vidgist.types import TextSpan


@dataclass(frozen=True)
class TopicParams:
    """Constants of the rule (module docstring); chosen on the fit half of ``benchmarks/talks_devset.py``."""

    min_seconds: float = 8.0
    embed_weight: float = 0.5
    context: int = 1
    centre: bool = False
    same_topic: float = 0.5
    step: float = 1.0
    max_positions: int = 1200
    pause_weight: float = 0.5
    shot_weight: float = 0.3
    shot_snap: float = 1.0


def _rows(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def sentence_rows(
    embeddings: np.ndarray, tfidf: np.ndarray, embed_weight: float, context: int = 0, centre: bool = False
) -> np.ndarray:
    """Per sentence the joint unit row of the embedding (``centre``: minus the mean sentence) and the tf-idf
    row, each sentence's row averaged with half the weight of its ``context`` neighbours on each side
    (module docstring)."""
    e = np.asarray(embeddings, dtype=np.float64)
    e = _rows(e - e.mean(0, keepdims=True)) if centre and len(e) > 1 else _rows(e)
    f = _rows(np.asarray(tfidf, dtype=np.float64))
    x = _rows(np.hstack([math.sqrt(embed_weight) * e, math.sqrt(1.0 - embed_weight) * f]))
    if context <= 0 or len(x) < 2:
        return x
    out = x.copy()
    for k in range(1, context + 1):
        out[k:] += 0.5 * x[:-k]
        out[:-k] += 0.5 * x[k:]
    return _rows(out)


def grid_items(speech: Sequence[TextSpan], duration: float, step: float) -> tuple[np.ndarray, np.ndarray]:
    """(grid times, index of the sentence each grid point reads): the sentence spoken there, in a pause
    the nearer one."""
    n = max(1, math.ceil(duration / step))
    times = (np.arange(n) + 0.5) * step
    cuts = np.array([0.5 * (a.end + b.start) for a, b in zip(speech, speech[1:], strict=False)])
    return times, np.searchsorted(cuts, times, side="right").astype(np.int64)


def _scatter(table: np.ndarray, a: int, b: int) -> float:
    """Kernel scatter of grid points ``a..b-1`` from ``calc_scatters``' table."""
    return float(table[a, b - 1]) if b > a else 0.0


def topic_boundaries(
    speech: Sequence[TextSpan],
    rows: np.ndarray,
    duration: float,
    shot_cuts: Sequence[float] = (),
    params: TopicParams = TopicParams(),
) -> list[tuple[float, float]]:
    """Topic boundaries of the transcript (module docstring)."""
    if len(speech) < 2 or duration <= 2 * params.min_seconds:
        return []
    step = max(params.step, duration / params.max_positions)
    times, item = grid_items(speech, duration, step)
    x = np.asarray(rows, dtype=np.float64)[item]
    lmin = max(1, math.ceil(params.min_seconds / step))
    n = len(x)
    if n < 2 * lmin:
        return []
    edges = finest_distinct(x, lmin, params.same_topic)
    table = calc_scatters(x @ x.T)
    starts = np.array([s.start for s in speech])
    pauses = np.array([0.0, *(b.start - a.end for a, b in zip(speech, speech[1:], strict=False))])
    edges = [0, *edges, n]
    out = []
    for k in range(1, len(edges) - 1):
        lo, c, hi = edges[k - 1], edges[k], edges[k + 1]
        c = _best_move(c, lo, hi, lmin, item, starts, pauses, shot_cuts, table, params)
        edges[k] = c
        t = float(starts[item[c]])
        if params.min_seconds <= t <= duration - params.min_seconds:
            out.append((t, 1.0 - _cos(x[lo:c].mean(0), x[c:hi].mean(0))))
    return _spaced(out, params.min_seconds)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))


def finest_distinct(x: np.ndarray, lmin: int, same_topic: float) -> list[int]:
    """Change points of the KTS segmentation with the most segments (each at least ``lmin`` rows) in which
    no two neighbouring segments have mean rows with a cosine of ``same_topic`` or more (module
    docstring); none when even two segments are alike."""
    n = len(x)
    m_max = n // lmin - 1
    if m_max < 1:
        return []
    _, scores, back = cpd_nonlin(x @ x.T, m_max, lmin=lmin)
    csum = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    for m in range(len(scores) - 1, 0, -1):
        if not np.isfinite(scores[m]):
            continue
        cps = [int(c) for c in backtrack(back, n, m, lmin)]
        edges = [0, *cps, n]
        means = [csum[b] - csum[a] for a, b in zip(edges, edges[1:], strict=False)]
        if all(_cos(u, v) < same_topic for u, v in zip(means, means[1:], strict=False)):
            return cps
    return []


def _best_move(
    c: int,
    lo: int,
    hi: int,
    lmin: int,
    item: np.ndarray,
    starts: np.ndarray,
    pauses: np.ndarray,
    shot_cuts: Sequence[float],
    table: np.ndarray,
    params: TopicParams,
) -> int:
    """The grid index among the change point and its neighbouring sentence starts that scores best
    (module docstring, weak support)."""
    sentence = int(item[c])
    options = []
    for j in (sentence - 1, sentence, sentence + 1):
        if not 0 < j < len(starts):
            continue
        g = c if j == sentence else int(np.searchsorted(item, j, side="left"))  # first point reading j
        if g - lo < lmin or hi - g < lmin:
            continue
        cost = _scatter(table, lo, g) + _scatter(table, g, hi)
        support = params.pause_weight * min(float(pauses[j]), 1.5)
        if any(abs(starts[j] - s) <= params.shot_snap for s in shot_cuts):
            support += params.shot_weight
        options.append((cost - support, g))
    return min(options)[1] if options else c


def _spaced(cands: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Strongest first, keep boundaries at least ``gap`` apart; sorted by time."""
    kept: list[tuple[float, float]] = []
    for t, g in sorted(cands, key=lambda x: -x[1]):
        if all(abs(t - k) >= gap for k, _ in kept):
            kept.append((t, g))
    return sorted(kept)
