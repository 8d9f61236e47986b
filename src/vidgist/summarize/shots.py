"""Shots: Kernel Temporal Segmentation (Potapov et al., ECCV 2014) and uniform shots.

KTS splits a sequence of frame features ``x_1..x_N`` into ``m + 1`` segments minimising the total
within-segment kernel scatter (the paper's Eq. 1-2)

    L_{m,N} = sum_over_segments  sum_{t in seg} K(t,t) - (1/|seg|) sum_{t,s in seg} K(t,s)

by dynamic programming over the Gram matrix ``K`` (block sums read from its 2-D cumulative sum), then
chooses ``m`` by minimising the penalised cost (Eq. 3, as in the authors' ``cpd_auto`` used by DSNet/VASNet)

    L_{m,N} / N + vmax * m / (2 N') * (log(N' / m) + 1),    N' = N * desc_rate (length before pooling).

The kernel is the linear kernel on L2-normalised features (cosine similarity), as in DSNet.

Complexity and bounds. Exact KTS needs the N x N scatter table (O(N^2) memory) and the DP costs
O(m_max * N^2) time. At 2 fps a 2-hour video has N = 14,400 samples: 1.7 GB per table and ~10^12
operations, out of reach. So sequences longer than ``max_positions`` (default 1,000) are first pooled:
consecutive blocks of ``s = ceil(N / max_positions)`` features are averaged (and renormalised), KTS runs on
the <= 1,000 block means with ``desc_rate = s``, and each change point found at block ``b`` is refined to
the exact sample inside blocks ``b-1..b`` that minimises the scatter of the two pieces around it (an O(s)
search with cumulative sums). Memory is then bounded by a few 1,000 x 1,000 float64 tables (~30 MB) and
time by O(m_max * 1,000^2) numpy work, where the DP stops early once the penalty alone exceeds the best
penalised cost found (the scatter term is never negative and the penalty grows with m, so no larger m can
win: the result is the same as running all m). A consequence of pooling: shots shorter than about one
block (``s`` samples; 7.5 s at 2 fps for 2 hours) may be merged with a neighbour, and the refined change
points are pruned with the same penalised cost at full resolution (see ``_refine``). Videos shorter than
``max_positions / fps`` (8.3 minutes at 2 fps) run exact KTS.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from vidgist.errors import InputError

MAX_POSITIONS = 1000


def calc_scatters(K: np.ndarray) -> np.ndarray:
    """``J[i, j]`` = kernel scatter of the segment ``i..j`` (inclusive) for ``j >= i``; ``inf`` below."""
    n = K.shape[0]
    diag_cum = np.concatenate(([0.0], np.cumsum(np.diag(K), dtype=np.float64)))
    c2 = np.zeros((n + 1, n + 1), dtype=np.float64)
    c2[1:, 1:] = np.cumsum(np.cumsum(K, axis=0, dtype=np.float64), axis=1)
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    # sum of K over the square block [i..j] x [i..j]
    block = c2[j + 1, j + 1] - c2[i, j + 1] - c2[j + 1, i] + c2[i, i]
    length = np.maximum(j - i + 1, 1).astype(np.float64)
    scat = diag_cum[j + 1] - diag_cum[i] - block / length
    scat = np.maximum(scat, 0.0)  # rounding can leave tiny negatives
    scat[j < i] = np.inf
    return scat


def _penalty(m: np.ndarray | int, n_orig: float, vmax: float) -> np.ndarray:
    m_arr = np.asarray(m, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pen = vmax * m_arr / (2.0 * n_orig) * (np.log(n_orig / np.maximum(m_arr, 1.0)) + 1.0)
    return np.where(m_arr > 0, pen, 0.0)


def cpd_nonlin(
    K: np.ndarray,
    ncp: int,
    lmin: int = 1,
    lmax: int | None = None,
    stop_when: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """DP for 0..ncp change points on kernel ``K`` (N x N).

    Returns ``(cps, scores, back)``: ``cps`` the change points of the best ``ncp``-change-point
    segmentation (start indices of segments 2..ncp+1), ``scores[k]`` the minimal total scatter with ``k``
    change points (``inf`` when infeasible), ``back`` the back-pointers (use ``backtrack``).
    ``stop_when=(vmax, n_orig)`` stops the DP once the cpd_auto penalty alone exceeds the best penalised cost
    (``scores`` is then cut short): an exact shortcut for ``cpd_auto``.
    """
    n = K.shape[0]
    if K.shape != (n, n):
        raise ValueError("kernel matrix must be square")
    lmax = n if lmax is None else int(lmax)
    if not (1 <= lmin <= lmax):
        raise ValueError("need 1 <= lmin <= lmax")
    m = int(min(ncp, n // lmin - 1))
    J = calc_scatters(K)
    if lmin > 1 or lmax < n:
        i = np.arange(n)[:, None]
        j = np.arange(n)[None, :]
        seg_len = j - i + 1
        J[(seg_len < lmin) | (seg_len > lmax)] = np.inf
    # I_k[l] = best cost of the first l samples with k change points (k + 1 segments), l = 0..n
    prev = np.full(n + 1, np.inf)
    prev[1:] = J[0, :]
    scores = [float(prev[n])]
    back: list[np.ndarray] = []
    best_pen = scores[0] / n if math.isfinite(scores[0]) else np.inf
    for k in range(1, m + 1):
        if stop_when is not None:
            vmax, n_orig = stop_when
            if float(_penalty(k, n_orig, vmax)) >= best_pen:
                break
        lo = k * lmin  # first feasible end of the previous k segments
        if lo > n - lmin:
            break
        rows = slice(lo, n)  # t: start of the last segment
        cand = J[rows, lo:] + prev[lo:n, None]  # cand[t - lo, c - lo]: last segment t..c
        arg = np.argmin(cand, axis=0)
        cur = np.full(n + 1, np.inf)
        cur[lo + 1 :] = cand[arg, np.arange(cand.shape[1])]
        back.append(arg.astype(np.int32) + lo)  # indexed by c - lo
        prev = cur
        scores.append(float(cur[n]))
        if stop_when is not None and math.isfinite(scores[-1]):
            best_pen = min(best_pen, scores[-1] / n + float(_penalty(k, stop_when[1], stop_when[0])))
    score_arr = np.array(scores)
    cps = backtrack(back, n, len(scores) - 1, lmin) if math.isfinite(score_arr[-1]) else np.zeros(0, np.int64)
    return cps, score_arr, back


def backtrack(back: Sequence[np.ndarray], n: int, k: int, lmin: int = 1) -> np.ndarray:
    """Change points of the best ``k``-change-point segmentation of ``n`` samples, from the DP pointers."""
    cps = np.zeros(k, dtype=np.int64)
    end = n  # exclusive end of the current segment
    for kk in range(k, 0, -1):
        lo = kk * lmin
        t = int(back[kk - 1][end - 1 - lo])
        cps[kk - 1] = t
        end = t
    return cps


def cpd_auto(
    K: np.ndarray, ncp: int, vmax: float = 1.0, desc_rate: int = 1, lmin: int = 1, lmax: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Choose the number of change points ``m <= ncp`` minimising ``scores[m]/N + penalty(m)``.

    Returns ``(cps, costs)`` where ``costs[m]`` is the penalised cost for the ``m`` values evaluated.
    """
    n = K.shape[0]
    n_orig = float(n * desc_rate)
    _, scores, back = cpd_nonlin(K, ncp, lmin=lmin, lmax=lmax, stop_when=(vmax, n_orig))
    costs = scores / float(n) + _penalty(np.arange(scores.size), n_orig, vmax)
    m_best = int(np.argmin(costs))
    return backtrack(back, n, m_best, lmin), costs


def _normalise(x: np.ndarray, inplace: bool = False) -> np.ndarray:
    norms = np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    if inplace:
        x /= norms
        return x
    return x / norms


def _split_cost(w: np.ndarray) -> np.ndarray:
    """For a window ``w`` (L, d): scatter(w[:c]) + scatter(w[c:]) for every split c = 1..L-1."""
    csum = np.cumsum(w, axis=0)
    sq = np.cumsum(np.einsum("ij,ij->i", w, w))
    c = np.arange(1, w.shape[0])
    left_s, total_s = csum[c - 1], csum[-1]
    right_s = total_s - left_s
    left = sq[c - 1] - np.einsum("ij,ij->i", left_s, left_s) / c
    n_right = w.shape[0] - c
    right = (sq[-1] - sq[c - 1]) - np.einsum("ij,ij->i", right_s, right_s) / n_right
    return left + right


def _refine(x: np.ndarray, cps: np.ndarray, s: int, vmax: float) -> np.ndarray:
    """Map block change points to samples, then drop the ones the full-resolution cost does not justify.

    Each change point found at block ``b`` moves to the split inside blocks ``b-1..b`` with the least
    scatter of the two pieces. A block straddling a cut has a mixed mean, which can make KTS put a second
    change point just after the real one; so change points are then removed greedily (smallest scatter
    gain first) while removing one lowers the cpd_auto cost ``L_m / N + penalty(m)`` at full resolution.
    Time O(N d + m^2), no N x d temporaries beyond the input (which may be float32; sums are float64).
    """
    n = x.shape[0]
    pts: list[int] = []
    prev = 0
    for c in cps:
        lo = max(int(c) - s, prev)
        hi = min(int(c) + s, n)
        if hi - lo < 2:
            continue
        best = lo + 1 + int(np.argmin(_split_cost(x[lo:hi].astype(np.float64))))
        pts.append(best)
        prev = best
    if not pts:
        return np.zeros(0, dtype=np.int64)
    # per-segment statistics: sum of vectors, sum of squared norms, length
    starts = np.array([0, *pts])
    seg_sum = np.add.reduceat(x, starts, axis=0, dtype=np.float64)
    seg_sq = np.add.reduceat(np.einsum("ij,ij->i", x, x, dtype=np.float64), starts)
    seg_len = np.diff(np.array([*starts, n])).astype(np.float64)
    sums = list(seg_sum)
    sqs = list(seg_sq)
    lens = list(seg_len)

    def scat(sv: np.ndarray, q: float, ln: float) -> float:
        return float(q - sv @ sv / ln)

    def gain(i: int) -> float:  # removing change point i merges segments i and i + 1
        merged = scat(sums[i] + sums[i + 1], sqs[i] + sqs[i + 1], lens[i] + lens[i + 1])
        return merged - scat(sums[i], sqs[i], lens[i]) - scat(sums[i + 1], sqs[i + 1], lens[i + 1])

    gains = [gain(i) for i in range(len(pts))]
    while pts:
        i = int(np.argmin(gains))
        m = len(pts)
        saved = n * float(_penalty(m, n, vmax) - _penalty(m - 1, n, vmax))
        if gains[i] >= saved:
            break
        sums[i] = sums[i] + sums.pop(i + 1)
        sqs[i] = sqs[i] + sqs.pop(i + 1)
        lens[i] = lens[i] + lens.pop(i + 1)
        pts.pop(i)
        gains.pop(i)
        for k in (i - 1, i):
            if 0 <= k < len(pts):
                gains[k] = gain(k)
    return np.array(pts, dtype=np.int64)


def kts_change_points(
    features: ArrayLike,
    max_change_points: int | None = None,
    vmax: float = 1.0,
    max_positions: int = MAX_POSITIONS,
) -> np.ndarray:
    """Indices where a new shot starts (sorted, in ``1..N-1``), by KTS ``cpd_auto`` on cosine kernels.

    ``max_change_points`` bounds m (default ``N - 1``, as DSNet); ``vmax`` weighs the penalty (larger:
    fewer shots). Sequences longer than ``max_positions`` are pooled then refined (module docstring).
    """
    shape = np.shape(features)
    if len(shape) != 2:
        raise ValueError(f"features must be (N, d), got shape {shape}")
    n = int(shape[0])
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    s = max(1, math.ceil(n / max_positions))
    # a private copy, normalised in place; float32 when pooling (long videos: half the memory), with
    # every sum below accumulated in float64
    x = _normalise(np.array(features, dtype=np.float64 if s == 1 else np.float32), inplace=True)
    if s > 1:
        n_blocks = math.ceil(n / s)
        pad = n_blocks * s - n
        sums = np.add.reduceat(x, np.arange(0, n, s), axis=0, dtype=np.float64)
        counts = np.full(n_blocks, s, dtype=np.float64)
        counts[-1] = s - pad
        xp = _normalise(sums / counts[:, None])
    else:
        xp = x
    m_max = (xp.shape[0] - 1) if max_change_points is None else min(int(max_change_points), xp.shape[0] - 1)
    if m_max <= 0:
        return np.zeros(0, dtype=np.int64)
    K = xp @ xp.T
    cps, _ = cpd_auto(K, m_max, vmax=vmax, desc_rate=s)
    if s == 1:
        return np.sort(cps.astype(np.int64))
    return _refine(x, np.sort(cps) * s, s, vmax)


def shots_from_change_points(
    times: ArrayLike, change_points: ArrayLike, duration: float
) -> list[tuple[float, float]]:
    """Shots ``[start, end)`` in seconds covering ``[0, duration]``.

    A change point ``c`` (index into ``times``) starts a shot at ``times[c]``, the time of the first
    sample of the new shot (the true cut lies in ``(times[c-1], times[c]]``). The first shot starts at 0,
    the last ends at ``duration``. Empty shots (repeated or out-of-range indices) are dropped.
    """
    t = np.asarray(times, dtype=np.float64)
    bounds = [0.0]
    for c in sorted({int(c) for c in np.asarray(change_points).ravel()}):
        if 0 < c < t.size:
            b = float(t[c])
            if bounds[-1] < b < duration:
                bounds.append(b)
    bounds.append(float(duration))
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i + 1] > bounds[i]]


def uniform_shots(duration: float, seconds: float) -> list[tuple[float, float]]:
    """Consecutive shots of ``seconds`` covering ``[0, duration]``.

    A last piece shorter than half a shot joins the previous one (so no tiny tail shot).
    """
    if seconds <= 0:
        raise InputError(f"uniform shot length must be positive, got {seconds}")
    if duration <= 0:
        return []
    n = max(1, int(math.floor(duration / seconds)))
    rest = duration - n * seconds
    bounds = [i * seconds for i in range(n)] + [duration]
    if rest >= seconds / 2 - 1e-9 and rest > 1e-9:
        bounds.insert(n, n * seconds)
    return [(float(bounds[i]), float(bounds[i + 1])) for i in range(len(bounds) - 1)]


def split_long_shots(shots: Sequence[tuple[float, float]], max_seconds: float) -> list[tuple[float, float]]:
    """Split every shot longer than ``max_seconds`` into the fewest equal pieces no longer than it.

    The key-shot knapsack values a shot by its *mean* score, so one long shot can never compete
    with two shorter ones that fit the budget; the pipeline splits shots longer than half the
    budget so that the budget can always hold at least two pieces of any shot.
    """
    if max_seconds <= 0:
        raise InputError(f"maximum shot length must be positive, got {max_seconds}")
    out: list[tuple[float, float]] = []
    for a, b in shots:
        k = max(1, int(math.ceil((b - a) / max_seconds - 1e-9)))
        out.extend((a + (b - a) * i / k, a + (b - a) * (i + 1) / k) for i in range(k))
    return out


@dataclass(frozen=True)
class ShotSpec:
    """How to cut a video into shots: ``kind`` is "kts" or "uniform" (then ``seconds`` is set)."""

    kind: str
    seconds: float | None = None


def parse_shots_spec(spec: str) -> ShotSpec:
    """Parse ``"kts"`` or ``"uniform:SECONDS"`` (e.g. ``"uniform:2"``); raise InputError otherwise."""
    s = spec.strip().lower()
    if s == "kts":
        return ShotSpec("kts")
    if s.startswith("uniform:"):
        try:
            sec = float(s.split(":", 1)[1])
        except ValueError:
            sec = float("nan")
        if not (sec > 0 and math.isfinite(sec)):
            raise InputError(f"--shots {spec!r}: uniform needs a positive length in seconds, e.g. uniform:2")
        return ShotSpec("uniform", sec)
    raise InputError(f"--shots {spec!r}: use 'kts' or 'uniform:SECONDS' (e.g. uniform:2)")


def make_shots(
    spec: str | ShotSpec, times: ArrayLike, features: ArrayLike | None, duration: float, vmax: float = 1.0
) -> list[tuple[float, float]]:
    """Shots for a video from a spec: KTS on ``features`` (sampled at ``times``) or uniform pieces."""
    sp = parse_shots_spec(spec) if isinstance(spec, str) else spec
    if sp.kind == "uniform":
        assert sp.seconds is not None
        return uniform_shots(duration, sp.seconds)
    if features is None:
        raise ValueError("KTS shots need features")
    cps = kts_change_points(np.asarray(features), vmax=vmax)
    return shots_from_change_points(times, cps, duration)
