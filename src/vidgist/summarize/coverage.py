"""Coverage-aware generic selection: a summary that walks through every chapter of the video.

Contract: ``select_covering(times, scores, chapters, budget_seconds, key_spans) -> list[Segment]``, sorted,
non-overlapping, total length <= ``budget_seconds``, each segment inside one chapter. The pipeline passes
``ChapterSet.cover_ranges()``: the chapters, or their topic parts when the transcript found sub-topics
inside them (``vidgist.summarize.chapters``); "chapter" below means one of those ranges.

The rule (the default of ``vidgist summarize`` without queries):

1. Moment value ``v(t) = score(t) + key_bonus * [t inside a key span]`` where ``score`` is the generic
   timeline in [0, 1] and key spans are each chapter's title card and key sentence
   (``vidgist.summarize.chapters``): within a chapter the summary prefers moments where evidence is dense.
2. Chapter weight ``w_c = (length_c / duration) * (0.5 + mean score in c)``: length and importance.
3. Clip length ``L = clip(budget / n_chapters, min_clip, max_clip)``. When the budget cannot give every
   chapter ``min_clip`` seconds, the ``floor(budget / min_clip)`` chapters of highest weight are covered.
4. Round one: every (covered) chapter, by decreasing weight, takes its best window of length
   ``min(L, chapter length)`` (highest mean ``v``). So every chapter is represented by its most
   representative moment before any chapter gets a second one.
5. Further rounds: while at least ``min_clip`` seconds are left, the chapter with the highest
   ``w_c / (1 + clips_c)`` takes its best window of length ``min(L, left)`` that does not overlap its clips
   (a chapter with no room left drops out). Touching windows of one chapter merge.

Windows start at sample times (or the chapter start) and lie inside their chapter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from vidgist.types import Segment, TextSpan


@dataclass(frozen=True)
class CoverageParams:
    """Constants of the coverage rule (module docstring)."""

    min_clip: float = 1.5
    max_clip: float = 8.0
    key_bonus: float = 0.5


def moment_values(
    times: np.ndarray, scores: np.ndarray, key_spans: Sequence[TextSpan], bonus: float
) -> np.ndarray:
    """``v(t)`` of step 1."""
    v = scores.astype(np.float64).copy()
    inside = np.zeros(len(times), dtype=bool)
    for s in key_spans:
        inside |= (times >= s.start) & (times < s.end)
    return v + bonus * inside


def _best_free_window(
    times: np.ndarray,
    values: np.ndarray,
    lo: float,
    hi: float,
    length: float,
    taken: Sequence[tuple[float, float]],
) -> tuple[float, float, float] | None:
    """(start, end, mean value) of the best window ``[s, s + length)`` inside ``[lo, hi]`` that overlaps no
    interval of ``taken``; None when none fits."""
    if hi - lo < length - 1e-9:
        return None
    starts = np.concatenate([[lo], times[(times > lo) & (times <= hi - length)], [hi - length]])
    starts = np.unique(np.clip(starts, lo, hi - length))
    csum = np.concatenate([[0.0], np.cumsum(values)])
    best: tuple[float, float, float] | None = None
    for s in starts:
        e = s + length
        if any(min(e, b) - max(s, a) > 1e-9 for a, b in taken):
            continue
        i0, i1 = np.searchsorted(times, s, "left"), np.searchsorted(times, e, "left")
        mean = (
            float((csum[i1] - csum[i0]) / (i1 - i0))
            if i1 > i0
            else float(np.interp(s + length / 2, times, values))
        )
        if best is None or mean > best[2] + 1e-12:
            best = (float(s), float(e), mean)
    return best


def select_covering(
    times: ArrayLike,
    scores: ArrayLike,
    chapters: Sequence[tuple[float, float]],
    budget_seconds: float,
    key_spans: Sequence[TextSpan] = (),
    params: CoverageParams = CoverageParams(),
) -> list[Segment]:
    """Segments under ``budget_seconds`` covering the chapters (module docstring); each scored by its mean
    timeline score."""
    t = np.asarray(times, dtype=np.float64).ravel()
    sc = np.asarray(scores, dtype=np.float64).ravel()
    if t.size == 0 or not chapters or not budget_seconds > 0:
        return []
    order = np.argsort(t, kind="stable")
    t, sc = t[order], sc[order]
    v = moment_values(t, sc, key_spans, params.key_bonus)
    duration = max(float(chapters[-1][1]) - float(chapters[0][0]), 1e-9)
    weights = []
    for a, b in chapters:
        m = (t >= a) & (t < b)
        importance = float(sc[m].mean()) if m.any() else float(np.interp(0.5 * (a + b), t, sc))
        weights.append((b - a) / duration * (0.5 + importance))
    n = len(chapters)
    length = float(np.clip(budget_seconds / n, params.min_clip, params.max_clip))
    length = min(length, budget_seconds)
    n_cover = (
        n if budget_seconds / n >= params.min_clip else max(1, math.floor(budget_seconds / params.min_clip))
    )
    by_weight = sorted(range(n), key=lambda c: -weights[c])
    clips: dict[int, list[tuple[float, float, float]]] = {c: [] for c in range(n)}
    left = budget_seconds

    def take(c: int, want: float) -> bool:
        nonlocal left
        a, b = chapters[c]
        win = _best_free_window(
            t, v, float(a), float(b), min(want, b - a, left), [(x[0], x[1]) for x in clips[c]]
        )
        if win is None or win[1] - win[0] <= 1e-6:
            return False
        clips[c].append(win)
        left -= win[1] - win[0]
        return True

    for c in by_weight[:n_cover]:
        if left < min(params.min_clip, length) - 1e-9:
            break
        take(c, length)
    open_chapters = set(range(n))
    while left >= params.min_clip - 1e-9 and open_chapters:
        c = max(open_chapters, key=lambda k: (weights[k] / (1 + len(clips[k])), -k))
        if not take(c, length):
            open_chapters.discard(c)
    segs: list[Segment] = []
    for c in range(n):
        for s, e, _ in sorted(clips[c]):
            m = (t >= s) & (t < e)
            score = float(sc[m].mean()) if m.any() else float(np.interp(0.5 * (s + e), t, sc))
            if segs and abs(segs[-1].end - s) < 1e-6 and _same_chapter(segs[-1], chapters[c]):
                prev = segs.pop()
                w0, w1 = prev.end - prev.start, e - s
                segs.append(Segment(prev.start, e, (prev.score * w0 + score * w1) / (w0 + w1)))
            else:
                segs.append(Segment(s, e, score))
    return sorted(segs, key=lambda x: x.start)


def _same_chapter(seg: Segment, chapter: tuple[float, float]) -> bool:
    return chapter[0] - 1e-9 <= seg.start < chapter[1]
