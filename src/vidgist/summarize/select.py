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
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from vidgist.types import Segment
from vidgist.util.knapsack import knapsack

MAX_CAPACITY_UNITS = 20_000
CENTISECOND = 0.01


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
