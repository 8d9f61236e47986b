"""Calibrated relevance: per query and moment, a value in [0, 1] that means the same in every video.

0 = no evidence, about 0.5 = plausibly related, near 1 = clearly what the query names. Built from the raw
(unscaled) channel similarities of ``ZeroShotScorer.channel_similarities`` (frames: cosine in the
backbone's text space; spoken and on-screen text: cosine in the sentence model's, plus the lexical
overlap), never from anything scaled within the video, so the
relevance of a query/moment pair does not depend on the rest of the video:

1. each channel ``c`` maps its raw similarity ``x`` through a fixed logistic,
   ``r_c = 1 / (1 + exp(-slope_c * (x - mid_c)))``; a moment where the channel has no evidence (no
   sentence, no on-screen text overlaps it) gets ``r_c = 0``: *unknown*, which lowers nothing;
2. channels combine by their maximum, ``r = max_c r_c``: one channel that clearly matches is enough, a
   silent or text-free moment is judged on what it does show, and weak evidence in several channels does
   not add up to a match (noisy-OR did: on the development set it turned absent queries whose visual and
   on-screen-text values were each just under the midpoint into matches);
3. a moment takes the largest ``r`` within ``SPREAD`` seconds (a sentence or caption read at one sample
   covers its neighbours), a local rule that keeps (1).

With several queries each has its own timeline; the overall relevance is their maximum.

The constants (``CALIBRATION``) were fitted once, by logistic regression of "moment inside the part the
query names" on each channel's raw similarity, on the fit half of the development set that
``benchmarks/relevance_devset.py`` builds (the held-out half and ``benchmarks/bench_relevance.py`` check
them), and are frozen here. ``MIN_RELEVANCE`` is the default threshold of relevant-only selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vidgist.types import Evidence

#: default threshold: moments with relevance at least this are candidates of a query-focused summary
MIN_RELEVANCE = 0.5
#: seconds either side over which a moment takes its neighbours' best relevance
SPREAD = 0.5


@dataclass(frozen=True)
class Logistic:
    """``r = 1 / (1 + exp(-slope * (x - mid)))`` of a raw similarity ``x``."""

    slope: float
    mid: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = np.clip(self.slope * (np.asarray(x, dtype=np.float64) - self.mid), -50.0, 50.0)
        return 1.0 / (1.0 + np.exp(-z))


#: the spoken and on-screen-text channels, fitted on videos 0-7 of the development set; the same with every
#: backbone: transcript and on-screen text always meet the queries in the sentence model
#: (vidgist.backbones.sentence_encoder), whichever backbone sees the frames
TEXT_CALIBRATION: dict[str, Logistic] = {
    "speech": Logistic(slope=11.62, mid=0.558),
    "ocr": Logistic(slope=9.11, mid=0.573),
}
#: per backbone kind ("joint": CLIP, "bridge": the offline label bridge) and channel; fitted, see docstring
CALIBRATION: dict[str, dict[str, Logistic]] = {
    "bridge": {
        **TEXT_CALIBRATION,
        # visual: in query units, (cos - mean) / std (see relevance_channels); refitted for the centre-crop
        # bridge (BRIDGE_VIEW) on the fit half of the 24-video set (videos 0-7 and 12-19), midpoint by the
        # absent-first rule of bench_relevance.check_visual_mid
        "visual": Logistic(slope=1.98, mid=3.425),
    },
    # joint (CLIP): the visual one is NOT fitted (no CLIP weights where the constants were fitted): a guess
    # on CLIP's image-text cosine scale. Refit with `benchmarks/bench_relevance.py --fit --backbone clip`
    # (the script runs end to end with a joint backbone: checked on a random tiny CLIP, whose constants
    # mean nothing).
    "joint": {
        **TEXT_CALIBRATION,
        "visual": Logistic(slope=60.0, mid=0.27),
    },
}


@dataclass(frozen=True)
class QueryMatch:
    """How much of the video one query (or, in ``Match``, any query) matches."""

    matched: bool
    best_relevance: float
    best_time: float
    relevant_seconds: float


@dataclass(frozen=True)
class Match:
    """The answer to "does anything match?": over all queries, and per query (same order as the queries).

    ``mode`` is "relevant" (relevant-only selection) or "fill" (the protocol's knapsack)."""

    matched: bool
    best_relevance: float
    best_time: float
    relevant_seconds: float
    threshold: float
    mode: str
    per_query: tuple[QueryMatch, ...]


@dataclass(frozen=True)
class Relevance:
    """Calibrated relevance of one video: ``per_query`` (n_queries, n_moments) and ``overall`` (n_moments)."""

    times: np.ndarray
    queries: tuple[str, ...]
    per_query: np.ndarray
    duration: float = 0.0

    @property
    def overall(self) -> np.ndarray:
        """Per moment, the largest relevance over the queries."""
        return self.per_query.max(axis=0) if len(self.per_query) else np.zeros(len(self.times))

    def _query_match(self, r: np.ndarray, threshold: float) -> QueryMatch:
        from vidgist.summarize.select import cell_bounds

        if r.size == 0:
            return QueryMatch(False, 0.0, 0.0, 0.0)
        width = np.diff(cell_bounds(self.times, self.duration))
        k = int(np.argmax(r))
        return QueryMatch(
            matched=bool(r[k] >= threshold),
            best_relevance=float(r[k]),
            best_time=float(self.times[k]),
            relevant_seconds=float(np.sum(width[r >= threshold])),
        )

    def match(self, threshold: float, mode: str = "relevant") -> Match:
        """Which queries have a moment with relevance >= ``threshold``, and where the best one is."""
        overall = self._query_match(self.overall, threshold)
        per = tuple(self._query_match(row, threshold) for row in self.per_query)
        return Match(
            matched=overall.matched,
            best_relevance=overall.best_relevance,
            best_time=overall.best_time,
            relevant_seconds=overall.relevant_seconds,
            threshold=float(threshold),
            mode=mode,
            per_query=per,
        )


def calibrate(channels: dict[str, np.ndarray], joint: bool) -> np.ndarray:
    """Raw channel similarities ``{name: (n_queries, n_moments)}`` (NaN = no evidence) -> relevance of the
    same shape, steps 1-2 of the module docstring. Channels without a calibration are ignored."""
    table = CALIBRATION["joint" if joint else "bridge"]
    best: np.ndarray | None = None
    for name, x in channels.items():
        cal = table.get(name)
        if cal is None:
            continue
        x = np.asarray(x, dtype=np.float64)
        r = np.where(np.isnan(x), 0.0, cal(np.nan_to_num(x, nan=-1.0)))
        best = r if best is None else np.maximum(best, r)
    return np.zeros((0, 0)) if best is None else best


def _window(times: np.ndarray, r: np.ndarray, seconds: float, reduce: Any) -> np.ndarray:
    """Each moment's ``reduce`` (over the last axis) of the values within ``seconds`` of it."""
    if seconds <= 0 or len(times) < 2:
        return r
    out = r.copy()
    lo = np.searchsorted(times, times - seconds - 1e-9, side="left")
    hi = np.searchsorted(times, times + seconds + 1e-9, side="right")
    for i in range(len(times)):
        out[..., i] = reduce(r[..., lo[i] : hi[i]], axis=-1)
    return out


def spread(times: np.ndarray, r: np.ndarray, seconds: float = SPREAD) -> np.ndarray:
    """Each moment's largest value within ``seconds`` of it (rows of ``r`` are timelines over ``times``)."""
    return _window(times, r, seconds, np.max)


def relevance_channels(
    evidence: Evidence,
    queries: Sequence[str],
    backbone: Any,
    similarities: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """The raw channel similarities the calibration takes, (n_queries, n_moments) each: the zero-shot
    scorer's (``similarities`` when the caller has them already, else computed here), with the offline
    bridge's visual cosine put in the query's own units (``backbone.query_baseline``: ``(cos - mean) /
    std`` over the 1000 labels, a per-query null: a query close to every label is discounted), which
    depend on the query only, so the same frame/query pair gets the same value in every video.

    Tried on the development set and not kept (``benchmarks/bench_visual_bridge.py``, second table):
    cohort normalisation of each frame against the labels as impostor queries (T-norm, its top-200 form,
    S-norm, ZT-norm) and a per-video null (minus the video's median for the query) separate present from
    absent queries less well; the query in prompt forms ("a photo of ...") raised hit@1 but inflates
    short queries on any frame (a blank navy frame scored "breaking news" 4.1 query units, against 2.1
    plain); a median over +-1 s separated better on the 24-video set but, refitted, only moved along the
    absent/present no-match trade-off (README, issue 10)."""
    from vidgist.scorers.zero_shot import ZeroShotScorer

    if similarities is None:
        similarities = ZeroShotScorer().channel_similarities(evidence, queries, backbone)
    channels = dict(similarities)
    baseline = getattr(backbone, "query_baseline", None)
    if "visual" in channels and baseline is not None and not backbone.joint:
        mean, std = baseline(backbone.encode_texts(list(queries)))
        channels["visual"] = (channels["visual"] - mean[:, None]) / np.maximum(std[:, None], 1e-6)
    return channels


def relevance(
    times: np.ndarray,
    channels: dict[str, np.ndarray],
    queries: Sequence[str],
    joint: bool,
    duration: float = 0.0,
) -> Relevance:
    """The calibrated relevance of every moment for every query (module docstring, steps 1-3)."""
    t = np.asarray(times, dtype=np.float64)
    r = calibrate(channels, joint)
    if r.size == 0:
        r = np.zeros((len(queries), len(t)))
    return Relevance(times=t, queries=tuple(queries), per_query=spread(t, r), duration=float(duration))
