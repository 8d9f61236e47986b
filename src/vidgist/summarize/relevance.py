"""Calibrated relevance: per query and moment, a value in [0, 1] whose meaning does not change with the video.

0 = no evidence, about 0.5 = as strong as the best an absent query reaches in a video this long only
``alpha`` (per channel) of the time, near 1 = clearly what the query names. Built from the raw
(unscaled) channel similarities of ``ZeroShotScorer.channel_similarities`` (frames: cosine in the
backbone's text space; spoken and on-screen text: cosine in all-mpnet-base-v2,
``vidgist.backbones.relevance_text_encoder``, whichever backbone sees the frames), never from anything
scaled by the rest of the video's content:

0. a text channel's raw similarity of a sentence or caption ``u`` to a query ``q`` is measured against
   how close the query is to everything (its *specificity*):

       (3)  x = cos(u, q) + w * [u holds every content word of q] - b(q),   b(q) = mean_l cos(q, l)

   over a fixed bank of 1000 everyday things ``l`` (ImageNet labels in the same model,
   ``text_baseline``): a broad query ("a weather report") sits close to every sentence of its field, a
   specific one does not, so the same cosine is stronger evidence for the specific query. ``w`` is
   ``ZeroShotWeights.exact_mention`` (0.5): an exact mention counts, a partial word overlap does not
   (the model reads shared words itself, and a share of the query's words alone lifted queries that
   share one word with a line but mean something else); for a query the model does not read (mostly
   CJK) multilingual-e5-small compares it with spans that are mostly CJK, on the channel's own scale
   (``vidgist.summarize.unread_queries``, equations 4-5), and the share of its words present stands in
   for the cosine elsewhere (``span_similarity``);
   A *speech window* is a unit too: the text of two consecutive utterances at most ``WINDOW_GAP`` s
   apart, joined, over [first start, second end], scored by (3) unchanged; the speech channel's ``x`` at
   a moment is the largest over the utterances and windows covering it (``speech_windows``). A query that
   names what two sentences say together (a goal for the steps of a procedure) finds them there, where
   neither sentence alone says it. Windows count as units of the speech channel in (1) (the runs of the
   timeline, ``evidence_units``), so a video with more of them needs stronger evidence;
1. each channel ``c`` maps its raw similarity ``x`` through a logistic whose midpoint is the per-video
   null of an absent query: with ``n_c`` evidence units in the video (sentences, captions, or
   ``VISUAL_UNIT`` seconds of frames) and an absent query's similarity to one unit modelled as
   ``N(mu_c, sigma_c^2)``, the best of ``n_c`` units exceeds ``m_c(n_c)`` with chance ``alpha_c``:

       (1)  m_c(n) = mu_c + sigma_c * Phi^-1((1 - alpha_c)^(1/n)),
       (2)  r_c = 1 / (1 + exp(-slope_c * (x - m_c(n_c))));

   so whether a query matches does not grow more likely with more moments: a longer video must show
   stronger evidence. A moment where the channel has no evidence (no sentence, no on-screen text
   overlaps it) gets ``r_c = 0``: *unknown*, which lowers nothing;
2. channels combine by their maximum, ``r = max_c r_c``: one channel that clearly matches is enough, a
   silent or text-free moment is judged on what it does show, and weak evidence in several channels does
   not add up to a match;
3. a moment takes the largest ``r`` within ``SPREAD`` seconds (a sentence or caption read at one sample
   covers its neighbours).

With several queries each has its own timeline; the overall relevance is their maximum. A query matches
(``Relevance.match``, ``matches``) when its largest relevance reaches the threshold (``MIN_RELEVANCE`` by
default, the midpoint of (2)); its moments are those at or above it.

The constants (``CALIBRATION``) were fitted once on the fit half of the development set that
``benchmarks/relevance_devset.py`` builds (``benchmarks/bench_relevance.py --fit --cv 5``; the held-out
half and the 1-, 5- and 20-minute videos check them) and are frozen here: ``alpha_c`` (text channels
together, visual apart) from a grid by the least cross-validated cost ``absent matched / 0.10 +
paraphrased queries unmatched / 0.10`` (5 folds of the fit half's talks: the null fitted on four, the cost
counted on the fifth, summed over the folds), then on the whole fit half ``mu_c, sigma_c`` by maximum
likelihood of the best unit of each absent query in each video under (1) (the maximum of ``n`` normal
draws) and ``slope_c`` by class-balanced logistic regression of "moment inside the part the query names"
on ``x - m_c(n_c)`` with that ``alpha_c``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from vidgist.types import Evidence, TextSpan

#: default threshold: moments with relevance at least this are candidates of a query-focused summary
MIN_RELEVANCE = 0.5
#: seconds either side over which a moment takes its neighbours' best relevance
SPREAD = 0.5
#: default chance that an absent query's best evidence unit in a video reaches a channel's midpoint
#: (equation 1); each channel's own is ``Calibration.alpha``
ALPHA = 0.03
#: seconds of frames counted as one visual evidence unit (about one shot of ordinary footage)
VISUAL_UNIT = 5.0
#: largest gap (s) between two consecutive utterances joined into a speech window (equation 3)
WINDOW_GAP = 2.0


@dataclass(frozen=True)
class Logistic:
    """``r = 1 / (1 + exp(-slope * (x - mid)))`` of a raw similarity ``x``."""

    slope: float
    mid: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = np.clip(self.slope * (np.asarray(x, dtype=np.float64) - self.mid), -50.0, 50.0)
        return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class Calibration:
    """One channel's constants: the absent-query null ``N(mu, sigma^2)`` of its similarity to one evidence
    unit, the logistic ``slope`` and the chance ``alpha`` that an absent query's best unit reaches the
    midpoint (module docstring, equations 1-2)."""

    slope: float
    mu: float
    sigma: float
    alpha: float = ALPHA

    @property
    def null(self) -> tuple[float, float]:
        """(mu, sigma) of the absent-query null of one evidence unit."""
        return self.mu, self.sigma

    def mid(self, units: float) -> float:
        """Equation (1): the similarity the best of ``units`` absent units exceeds with chance ``alpha``."""
        from scipy.special import ndtri

        tail = -np.expm1(np.log1p(-self.alpha) / max(float(units), 1.0))  # 1 - (1 - alpha)^(1/n)
        return float(self.mu - self.sigma * ndtri(tail))

    def logistic(self, units: float) -> Logistic:
        """Equation (2) for a video with ``units`` evidence units in this channel."""
        return Logistic(self.slope, self.mid(units))


#: the spoken and on-screen-text channels (fitted, see module docstring); the same with every backbone:
#: transcript and on-screen text always meet the queries in all-mpnet-base-v2
#: (vidgist.backbones.relevance_text_encoder), whichever backbone sees the frames
TEXT_CALIBRATION: dict[str, Calibration] = {
    "speech": Calibration(slope=9.78, mu=-0.0483, sigma=0.1565, alpha=0.05),
    "ocr": Calibration(slope=10.47, mu=-0.0077, sigma=0.1419, alpha=0.05),
}
#: per backbone kind ("joint": CLIP, "bridge": the offline label bridge) and channel
CALIBRATION: dict[str, dict[str, Calibration]] = {
    "bridge": {
        **TEXT_CALIBRATION,
        # visual: in query units, (cos - mean) / std over the label bank (see relevance_channels)
        "visual": Calibration(slope=0.43, mu=0.1708, sigma=1.2632, alpha=0.005),
    },
    # joint (CLIP): the visual one is NOT fitted (no CLIP weights where the constants were fitted): a guess
    # on CLIP's image-text cosine scale. Refit with `benchmarks/bench_relevance.py --fit --backbone clip`.
    "joint": {
        **TEXT_CALIBRATION,
        "visual": Calibration(slope=60.0, mu=0.2, sigma=0.02, alpha=0.005),
    },
}


def evidence_units(
    times: np.ndarray, channels: dict[str, np.ndarray], duration: float = 0.0
) -> dict[str, float]:
    """Evidence units per channel, ``n_c`` of equation (1): for a text channel the number of runs of
    moments holding one span's value (a span's similarity is constant over the moments it covers), the
    largest over the queries; for frames the covered seconds over ``VISUAL_UNIT``."""
    t = np.asarray(times, dtype=np.float64)
    out: dict[str, float] = {}
    for name, x in channels.items():
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if name == "visual":
            step = float(np.median(np.diff(t))) if t.size > 1 else 1.0
            span = max(float(duration), float(t[-1] - t[0]) + step if t.size else 0.0)
            out[name] = max(1.0, span / VISUAL_UNIT)
            continue
        known = ~np.isnan(x)
        prev = np.concatenate([np.zeros((len(x), 1), bool), known[:, :-1]], axis=1)
        changed = np.concatenate([np.ones((len(x), 1), bool), x[:, 1:] != x[:, :-1]], axis=1)
        out[name] = float(max(1, int((known & (~prev | changed)).sum(axis=1).max(initial=0))))
    return out


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

    def stretches(self, threshold: float = MIN_RELEVANCE) -> list[list[tuple[float, float, float]]]:
        """Per query (same order as ``queries``), the stretches of consecutive moments whose relevance is
        at least ``threshold``, as (start s, end s, peak relevance), best peak first; an empty list means
        the query does not match this video. Starts and ends are the bounds of the moments' cells
        (``select.cell_bounds``)."""
        from vidgist.summarize.select import _runs, cell_bounds

        bounds = cell_bounds(self.times, self.duration)
        out = []
        for row in self.per_query:
            runs = [
                (float(bounds[i]), float(bounds[j]), float(row[i:j].max()))
                for i, j in _runs(row >= threshold)
            ]
            out.append(sorted(runs, key=lambda s: -s[2]))
        return out

    def best_moments(self) -> list[float]:
        """The sampled times where the overall relevance or a query's reaches its maximum (what a summary
        of matching queries always holds)."""
        out: list[float] = []
        for row in (self.overall, *self.per_query):
            r = np.asarray(row, dtype=np.float64)
            if r.size:
                out.extend(float(t) for t in np.asarray(self.times)[r >= r.max() - 1e-9])
        return out

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


def calibrate(
    channels: dict[str, np.ndarray], joint: bool, units: dict[str, float] | None = None
) -> np.ndarray:
    """Raw channel similarities ``{name: (n_queries, n_moments)}`` (NaN = no evidence) -> relevance of the
    same shape, steps 1-2 of the module docstring. ``units``: evidence units per channel (``n_c``;
    default ``evidence_units`` with one moment per second). Channels without a calibration are ignored."""
    table = CALIBRATION["joint" if joint else "bridge"]
    if units is None:
        n = max((np.shape(x)[-1] for x in channels.values()), default=0)
        units = evidence_units(np.arange(n, dtype=np.float64), channels)
    best: np.ndarray | None = None
    for name, x in channels.items():
        cal = table.get(name)
        if cal is None:
            continue
        x = np.asarray(x, dtype=np.float64)
        curve = cal.logistic(units.get(name, 1.0))
        r = np.where(np.isnan(x), 0.0, curve(np.nan_to_num(x, nan=-1.0)))
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


@lru_cache(maxsize=1)
def _label_bank() -> np.ndarray:
    """``label_cache.relevance_label_embeddings`` in float64, converted once per process (the bank is fixed;
    converting it on every call cost a library search more than the product itself)."""
    from vidgist.backbones.label_cache import relevance_label_embeddings

    return relevance_label_embeddings().astype(np.float64)


def text_baseline(queries: Sequence[str], backbone: Any = None) -> np.ndarray:
    """Per query, ``b(q)`` of equation (3): its mean cosine, in the text model that compares queries with
    transcript and on-screen text (``vidgist.backbones.relevance_text_encoder``), with the 1000
    prompt-averaged ImageNet labels in that model (``label_cache.relevance_label_embeddings``), a fixed bank
    of everyday things. 0 for a query the sentence model does not read (its text similarity is the word
    overlap alone, ``zero_shot.span_similarity``). The text model is the same whichever backbone sees the
    frames; ``backbone`` only supplies it when it offers one (``zero_shot.relevance_encoder``)."""
    from vidgist.scorers.zero_shot import relevance_encoder, sentence_model_reads

    if not len(queries):
        return np.zeros(0)
    q = np.asarray(relevance_encoder(backbone)(list(queries)), dtype=np.float64)
    b = (_label_bank() @ q.T).mean(axis=0)
    return np.where([sentence_model_reads(x) for x in queries], b, 0.0)


def span_windows(
    spans: Sequence[TextSpan], sizes: Sequence[int] = (2,), gap: float = WINDOW_GAP
) -> list[TextSpan]:
    """The windows of ``spans`` (one channel's, any order): for each k of ``sizes``, every run of k
    consecutive spans (by start) whose consecutive gaps are each at most ``gap`` s, as one span of their
    joined text over [first start, last end]."""
    order = sorted(spans, key=lambda s: (s.start, s.end))
    out = []
    for k in sizes:
        for i in range(len(order) - k + 1):
            run = order[i : i + k]
            if all(b.start - a.end <= gap for a, b in zip(run[:-1], run[1:], strict=True)):
                text = " ".join(s.text.strip() for s in run)
                out.append(replace(run[0], end=max(s.end for s in run), text=text))
    return out


def speech_windows(spans: Sequence[TextSpan], gap: float = WINDOW_GAP) -> list[TextSpan]:
    """The speech windows of ``spans`` (any order, any source: only speech is used): every two consecutive
    utterances (by start) at most ``gap`` s apart, as one span of their joined text over [first start,
    second end] (``span_windows``)."""
    return span_windows([s for s in spans if s.source == "speech" and s.text.strip()], (2,), gap)


def unit_similarities(
    units: Sequence[TextSpan], queries: Sequence[str], backbone: Any, times: np.ndarray
) -> np.ndarray:
    """Equation (3) without ``b(q)`` of each text unit per query and moment, (n_queries, n_moments), NaN
    where no unit covers a moment (a moment takes the best unit covering it)."""
    from vidgist.scorers.zero_shot import (
        ZeroShotWeights,
        mention_rows,
        moment_values,
        relevance_encoder,
        span_similarity,
    )

    encode = relevance_encoder(backbone)
    e, q = np.asarray(encode([u.text for u in units])), np.asarray(encode(list(queries)))
    lex = mention_rows(units, queries, exact=True)
    vals = span_similarity(e @ q.T, lex, queries, ZeroShotWeights().exact_mention)
    return moment_values(np.asarray(times, dtype=np.float64), units, vals)


def window_similarities(evidence: Evidence, queries: Sequence[str], backbone: Any) -> np.ndarray | None:
    """``unit_similarities`` of the speech windows (``speech_windows``); None when the video has none."""
    wins = speech_windows(evidence.spans)
    if not wins or not len(queries):
        return None
    return unit_similarities(wins, queries, backbone, evidence.frames.times)


def relevance_channels(
    evidence: Evidence,
    queries: Sequence[str],
    backbone: Any,
    similarities: dict[str, np.ndarray] | None = None,
    windows: bool = True,
    read_unread: bool = True,
) -> dict[str, np.ndarray]:
    """The raw channel similarities the calibration takes, (n_queries, n_moments) each: the zero-shot
    scorer's (``similarities`` when the caller has them already, else computed here), each in units that
    depend on the query only, so the same frame/query or sentence/query pair gets the same value in every
    video:

    - spoken and on-screen text: ``cos + w x [exact mention] - b(q)``, with ``b(q)`` the query's
      ``text_baseline`` (equation 3 of the module docstring): a query close to everything is discounted;
      speech also takes its windows' values where larger (``windows``: False leaves utterances alone);
      a query the model does not read (mostly Chinese) meets mostly-Chinese spans in multilingual-e5-small
      instead (``unread_queries``, equations 4-5; ``read_unread``: False keeps the share of its characters,
      for comparisons);
    - frames with the offline bridge: ``(cos - mean) / std`` over the 1000 labels
      (``backbone.query_baseline``); no evidence (NaN) for a query its English text model does not read."""
    from vidgist.scorers.zero_shot import ZeroShotScorer
    from vidgist.summarize.unread_queries import read_unread_queries, unread

    if similarities is None:
        similarities = ZeroShotScorer().channel_similarities(evidence, queries, backbone)
    channels = dict(similarities)
    text = [name for name in TEXT_CALIBRATION if name in channels]
    if text:
        b = text_baseline(queries, backbone)
        for name in text:
            channels[name] = channels[name] - b[:, None]
        joined = window_similarities(evidence, queries, backbone) if windows and "speech" in text else None
        if joined is not None:
            channels["speech"] = np.fmax(channels["speech"], joined - b[:, None])
        if read_unread and unread(queries):
            scales = {name: TEXT_CALIBRATION[name].null for name in text}
            joins = speech_windows(evidence.spans) if windows else []
            channels = read_unread_queries(evidence, queries, channels, scales, joins)
    baseline = getattr(backbone, "query_baseline", None)
    if "visual" in channels and baseline is not None and not backbone.joint:
        mean, std = baseline(backbone.encode_texts(list(queries)))
        channels["visual"] = (channels["visual"] - mean[:, None]) / np.maximum(std[:, None], 1e-6)
        blind = unread(queries)  # all-MiniLM-L6-v2 reads English: its cosine to a Chinese query is noise
        if blind:
            channels["visual"] = np.array(channels["visual"], dtype=np.float64, copy=True)
            channels["visual"][blind] = np.nan
    return channels


def relevance(
    times: np.ndarray,
    channels: dict[str, np.ndarray],
    queries: Sequence[str],
    joint: bool,
    duration: float = 0.0,
) -> Relevance:
    """The calibrated relevance of every moment for every query (module docstring, steps 1-3); the
    evidence units of equation (1) are counted on ``channels`` over ``duration`` (``evidence_units``)."""
    t = np.asarray(times, dtype=np.float64)
    r = calibrate(channels, joint, evidence_units(t, channels, duration))
    if r.size == 0:
        r = np.zeros((len(queries), len(t)))
    return Relevance(times=t, queries=tuple(queries), per_query=spread(t, r), duration=float(duration))
