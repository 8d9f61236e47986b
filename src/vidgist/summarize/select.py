"""Key-shot selection: the 0/1 knapsack of the TVSum/SumMe protocol, on shots in seconds.

Each shot is an item with value = mean score of the samples inside it (samples with ``start <= t < end``;
a shot holding no sample takes the score interpolated at its middle) and weight = its length. The
knapsack (``vidgist.util.knapsack``, exact) picks the shots maximising the total value with total length
<= ``budget_seconds``.

Weight units: lengths are integers in units of 0.01 s (centiseconds) when the budget is at most 200 s,
otherwise ``budget / 20,000`` s, so the capacity never exceeds 20,000 units and the DP stays fast and
small for 2-hour videos (thousands of shots: about n_shots x 20,000 bits of back-pointers). Weights are
rounded *up* and the capacity *down*, so the selected total never exceeds the budget.

Shots longer than the budget could never be chosen; each is replaced by its best-scoring window of
exactly the budget length (the window start is searched at every sample time inside the shot), so a
single very long shot still yields a summary. If the knapsack takes nothing (e.g. every value is 0),
the best single item is taken: with ``budget_seconds > 0`` and at least one shot the result is never empty.

Query mode (``select_relevant``, the default when queries are given): only moments whose calibrated
relevance (``vidgist.summarize.relevance``) clears a threshold are candidates, the budget is a cap and
each matching query gets its share. Within a query's share ``B_q`` the candidates are its *pieces* (runs
of consecutive candidate moments) ``P_1..P_n``, each with its peak ``m_i = max_{t in P_i} r_q(t)``, its
relevance integral ``I_i = int_{P_i} r_q(t) dt`` and its length ``l_i``. The selection ``S`` maximises,
lexicographically,

    (1)  ( m_(1), m_(2), ..., m_(|S|) )   then   sum_{i in S} I_i,     subject to  sum_{i in S} l_i <= B_q,

where ``m_(1) >= m_(2) >= ...`` are the peaks of the chosen pieces in decreasing order: relevance first,
length second, so a 3-s sentence at 1.00 is worth more than 12 s at 0.69. (1) is solved greedily, which
is exact for a lexicographic objective: pieces in decreasing ``(m_i, I_i)``; each is taken whole when it
fits in what is left of ``B_q``, else its best window of the remaining length *that contains its peak*
(when at least ``MIN_PIECE`` seconds are left). The first piece is the one holding the query's relevance
maximum, and its window always contains that moment, so the summary of a matching query always shows its
best evidence. ``select_keyshots`` above stays the protocol (``--fill``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from vidgist.types import Segment
from vidgist.util.intervals import merge_ranges
from vidgist.util.knapsack import knapsack

MAX_CAPACITY_UNITS = 20_000
CENTISECOND = 0.01
#: seconds: a piece trimmed to fit what is left of a query's share is not cut shorter than this
MIN_PIECE = 1.0


def weight_unit(budget_seconds: float) -> float:
    """Seconds per knapsack weight unit for a budget (see module docstring)."""
    return max(CENTISECOND, budget_seconds / MAX_CAPACITY_UNITS)


def _mean_in(times: np.ndarray, csum: np.ndarray, scores: np.ndarray, start: float, end: float) -> float:
    i0 = int(np.searchsorted(times, start, side="left"))
    i1 = int(np.searchsorted(times, end, side="left"))
    if i1 > i0:
        return float((csum[i1] - csum[i0]) / (i1 - i0))
    return float(np.interp(0.5 * (start + end), times, scores))


def _best_window(
    times: np.ndarray, csum: np.ndarray, scores: np.ndarray, start: float, end: float, length: float
) -> tuple[float, float, float]:
    """Window ``[s, s + length)`` in ``[start, end)`` with the highest mean score: (s, s + length, mean)."""
    i0 = int(np.searchsorted(times, start, side="left"))
    i1 = int(np.searchsorted(times, end - length, side="right"))
    starts = np.concatenate([[start], times[i0:i1], [end - length]])
    starts = np.unique(np.clip(starts, start, end - length))
    a = np.searchsorted(times, starts, side="left")
    b = np.searchsorted(times, starts + length, side="left")
    count = b - a
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(count > 0, (csum[b] - csum[a]) / np.maximum(count, 1), np.nan)
    empty = count == 0
    if np.any(empty):
        means[empty] = np.interp(starts[empty] + 0.5 * length, times, scores)
    k = int(np.argmax(means))
    return float(starts[k]), float(starts[k]) + length, float(means[k])


def select_keyshots(
    times: ArrayLike,
    scores: ArrayLike,
    shots: Sequence[tuple[float, float]],
    budget_seconds: float,
) -> list[Segment]:
    """Shots (or, for oversize shots, their best window) chosen by knapsack under ``budget_seconds``.

    ``times``/``scores`` are the sampled moments (seconds, increasing) and their scores; ``shots`` are
    ``(start, end)`` in seconds. Returns the selected segments sorted by start, each with its mean score.
    """
    t = np.asarray(times, dtype=np.float64).ravel()
    v = np.asarray(scores, dtype=np.float64).ravel()
    if t.shape != v.shape:
        raise ValueError(f"times and scores differ in length: {t.size} != {v.size}")
    if t.size == 0 or not shots or not budget_seconds > 0:
        return []
    order = np.argsort(t, kind="stable")
    t, v = t[order], v[order]
    csum = np.concatenate([[0.0], np.cumsum(v)])
    unit = weight_unit(budget_seconds)
    capacity = int(math.floor(budget_seconds / unit + 1e-9))
    if capacity <= 0:
        return []
    items: list[tuple[float, float, float]] = []
    weights: list[int] = []
    for start, end in shots:
        start, end = float(start), float(end)
        if end <= start:
            continue
        w = int(math.ceil((end - start) / unit - 1e-9))
        if w > capacity:
            length = capacity * unit
            items.append(_best_window(t, csum, v, start, end, length))
            w = capacity
        else:
            items.append((start, end, _mean_in(t, csum, v, start, end)))
        weights.append(w)
    if not items:
        return []
    values = np.array([it[2] for it in items])
    chosen = knapsack(values, np.array(weights, dtype=np.int64), capacity)
    if not chosen:
        chosen = [int(np.argmax(values))]
    segs = [Segment(start=items[i][0], end=items[i][1], score=items[i][2]) for i in chosen]
    return sorted(segs, key=lambda s: s.start)


# -- query mode: relevant-only selection -------------------------------------------------------------


@dataclass(frozen=True)
class QuerySegment(Segment):
    """A selected segment of a query-focused summary: its mean calibrated ``relevance`` (of the queries
    it serves) and the indices of the ``queries`` whose relevance clears the threshold inside it."""

    relevance: float = 0.0
    queries: tuple[int, ...] = ()


def cell_bounds(times: np.ndarray, duration: float) -> np.ndarray:
    """Boundaries of the stretch each sampled moment stands for: 0, the midpoints between moments, and
    the end (``duration``, or one step past the last moment when that is later)."""
    t = np.asarray(times, dtype=np.float64)
    if t.size == 0:
        return np.zeros(1)
    step = float(np.median(np.diff(t))) if t.size > 1 else 1.0
    end = max(float(duration), float(t[-1]) + 0.5 * step)
    return np.concatenate([[0.0], 0.5 * (t[1:] + t[:-1]), [end]])


def _integral(bounds: np.ndarray, values: np.ndarray, a: float, b: float) -> float:
    """Integral over [a, b] of the step function equal to ``values[i]`` on [bounds[i], bounds[i+1])."""
    lo = np.clip(bounds[:-1], a, b)
    hi = np.clip(bounds[1:], a, b)
    return float(np.sum(values * (hi - lo)))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[first, last + 1) index ranges of the True runs of ``mask``."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(padded)
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def relevant_pieces(bounds: np.ndarray, relevant: np.ndarray) -> list[tuple[float, float]]:
    """The relevant stretches: (start, end) of each run of moments marked ``relevant``. They are not cut
    at shot boundaries: a stretch is the unit, so a whole relevant stretch beats scattered moments."""
    return [(float(bounds[i]), float(bounds[j])) for i, j in _runs(relevant)]


def _best_relevant_window(
    bounds: np.ndarray, rel: np.ndarray, a: float, b: float, length: float, peak: float
) -> float:
    """Start of the window of ``length`` inside [a, b] that contains the moment ``peak`` and holds the most
    relevance; among windows within 1% of the best, the one whose middle is nearest the peak."""
    lo, hi = max(a, peak - length), min(b - length, peak)
    if hi <= lo:
        return float(np.clip(peak - 0.5 * length, a, b - length))
    middle = float(np.clip(peak - 0.5 * length, lo, hi))
    inner = bounds[(bounds > lo) & (bounds < hi)]
    starts = np.unique(np.concatenate([[lo, hi, middle], inner, inner - length]).clip(lo, hi))
    gains = np.array([_integral(bounds, rel, s, s + length) for s in starts])
    near = np.flatnonzero(gains >= gains.max() - 0.01 * abs(gains.max()))
    return float(starts[near[int(np.argmin(np.abs(starts[near] - middle)))]])


def _peak(bounds: np.ndarray, rel: np.ndarray, a: float, b: float) -> tuple[float, float]:
    """(largest relevance, middle of its moment's cell) over the cells inside [a, b]."""
    inside = np.flatnonzero((bounds[:-1] >= a - 1e-9) & (bounds[1:] <= b + 1e-9))
    if inside.size == 0:
        mid = 0.5 * (a + b)
        return float(np.interp(mid, 0.5 * (bounds[1:] + bounds[:-1]), rel)), mid
    k = int(inside[np.argmax(rel[inside])])
    return float(rel[k]), 0.5 * float(bounds[k] + bounds[k + 1])


def pick_relevant(
    bounds: np.ndarray, rel: np.ndarray, pieces: list[tuple[float, float]], capacity_seconds: float
) -> list[tuple[float, float]]:
    """Pieces chosen under ``capacity_seconds`` by equation (1) of the module docstring: all of them when
    they fit, else by decreasing (peak relevance, relevance integral), each whole when it fits in what is
    left, else its best window containing its peak (not shorter than ``MIN_PIECE`` unless the whole
    capacity is shorter). The first piece chosen holds the largest relevance of all the pieces."""
    if not pieces or capacity_seconds <= 0:
        return []
    if sum(b - a for a, b in pieces) <= capacity_seconds + 1e-9:
        return list(pieces)
    ranked = []
    for a, b in pieces:
        m, at = _peak(bounds, rel, a, b)
        ranked.append((-round(m, 6), -_integral(bounds, rel, a, b), a, b, at))
    ranked.sort()
    left = capacity_seconds
    chosen: list[tuple[float, float]] = []
    for _, _, a, b, at in ranked:
        if b - a <= left + 1e-9:
            chosen.append((a, b))
            left -= b - a
        elif not chosen or left >= MIN_PIECE:
            s = _best_relevant_window(bounds, rel, a, b, left, at)
            chosen.append((s, s + left))
            left = 0.0
        if left <= 1e-9:
            break
    return chosen


def share_budget(demands: Sequence[float], budget: float) -> list[float]:
    """Split ``budget`` among queries with the given relevant seconds: equal shares, and what a query
    cannot use (its demand is smaller) goes to the others in equal parts (water-filling)."""
    share = [0.0] * len(demands)
    open_ = [i for i, d in enumerate(demands) if d > 0]
    left = budget
    while open_ and left > 1e-9:
        each = left / len(open_)
        done = [i for i in open_ if demands[i] - share[i] <= each]
        if not done:
            for i in open_:
                share[i] += each
            break
        for i in done:
            left -= demands[i] - share[i]
            share[i] = demands[i]
        open_ = [i for i in open_ if i not in done]
    return share


def select_relevant(
    times: ArrayLike,
    relevance: ArrayLike,
    scores: ArrayLike,
    budget_seconds: float,
    threshold: float,
    duration: float,
) -> list[QuerySegment]:
    """Relevant-only selection: per query (rows of ``relevance``, (n_queries, n_moments)), only moments
    with relevance >= ``threshold`` are candidates, in whole stretches (``relevant_pieces``); every query
    with candidates gets its share of the budget (``share_budget``), which is a cap, not a quota; within a
    share, ``pick_relevant``. Chosen pieces that touch are merged.
    Returns [] when no moment clears the threshold."""
    t = np.asarray(times, dtype=np.float64).ravel()
    rel = np.atleast_2d(np.asarray(relevance, dtype=np.float64))
    v = np.asarray(scores, dtype=np.float64).ravel()
    if t.size == 0 or budget_seconds <= 0:
        return []
    bounds = cell_bounds(t, duration)
    width = np.diff(bounds)
    masks = rel >= threshold
    demands = [float(np.sum(width[m])) for m in masks]
    shares = share_budget(demands, budget_seconds)
    taken = np.zeros(t.size, dtype=bool)
    chosen: list[tuple[float, float]] = []
    for q in np.argsort([-d for d in demands], kind="stable"):  # queries with most to show first
        if shares[q] <= 0:
            continue
        pieces = relevant_pieces(bounds, masks[q] & ~taken)
        got = pick_relevant(bounds, rel[q], pieces, shares[q])
        chosen.extend(got)
        for a, b in got:
            taken |= (bounds[:-1] >= a - 1e-9) & (bounds[1:] <= b + 1e-9)
    return _merge(chosen, bounds, rel, masks, v)


def _merge(
    spans: list[tuple[float, float]],
    bounds: np.ndarray,
    rel: np.ndarray,
    masks: np.ndarray,
    scores: np.ndarray,
) -> list[QuerySegment]:
    return [describe_segment(a, b, bounds, rel, masks, scores) for a, b in merge_ranges(spans, 1e-6)]


def describe_segment(
    a: float, b: float, bounds: np.ndarray, rel: np.ndarray, masks: np.ndarray, scores: np.ndarray
) -> QuerySegment:
    """The QuerySegment [a, b): mean score, the queries relevant inside it and their mean relevance."""
    length = max(b - a, 1e-9)
    served = tuple(int(q) for q in range(len(rel)) if _integral(bounds, masks[q].astype(float), a, b) > 1e-6)
    rows = rel[list(served)] if served else rel
    mean_rel = _integral(bounds, rows.max(axis=0), a, b) / length
    return QuerySegment(
        start=a, end=b, score=_integral(bounds, scores, a, b) / length, relevance=mean_rel, queries=served
    )


def annotate(
    segments: Sequence[Segment],
    times: ArrayLike,
    relevance: ArrayLike,
    scores: ArrayLike,
    threshold: float,
    duration: float,
) -> list[QuerySegment]:
    """``segments`` (any selection) with their mean relevance and the queries they serve; scores kept."""
    t = np.asarray(times, dtype=np.float64).ravel()
    rel = np.atleast_2d(np.asarray(relevance, dtype=np.float64))
    v = np.asarray(scores, dtype=np.float64).ravel()
    if t.size == 0:
        return [QuerySegment(s.start, s.end, s.score) for s in segments]
    bounds = cell_bounds(t, duration)
    out = []
    for s in segments:
        d = describe_segment(s.start, s.end, bounds, rel, rel >= threshold, v)
        out.append(QuerySegment(s.start, s.end, s.score, relevance=d.relevance, queries=d.queries))
    return out
