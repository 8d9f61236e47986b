"""Zero-shot language-guided scorer: query-to-moment relevance from every channel, no training.

For each sampled moment ``i`` (time ``t_i``) and each channel ``c``:

- visual: ``cos(frame_i, query)`` in the text space (CLIP directly; the offline backbone's
  bridge embeds the frame's ImageNet labels, and weighs ``visual_bridge`` instead of ``visual``
  because 1000 ImageNet classes say little about most queries), max over queries;
- speech / on-screen text: each transcript or OCR span gets ``cos(span, query) + w x lexical``,
  max over queries. With queries the cosine is all-mpnet-base-v2's
  (``vidgist.backbones.relevance_text_encoder``), ``lexical`` is 1 when the span holds every content
  word of the query and 0 otherwise, and ``w = exact_mention`` (the model reads shared words itself; a
  share of them alone let unrelated queries that share one word with a line match). In generic mode it
  is the backbone's sentence model against the video's own description, ``lexical`` the share of the
  query's content words found in the span and ``w = lexical`` (it catches names and rare words). A
  moment takes the best span overlapping its sampling window; moments with no span take the channel's lowest
  value in generic mode (no evidence is not relevance) and 0 in query mode (an unrelated text's
similarity, so one matching sentence or caption lifts its moments).

Each channel is standardised within the video, ``z = (x - median) / max(std, floor)``, so a flat
channel (no speech, a query the labels cannot express) stays near zero instead of being blown up;
the weighted sum is smoothed over time (Gaussian, ``smooth_sigma`` samples) and min-max scaled to [0, 1].

Generic mode (no queries): ``describe(evidence)`` builds the video's own description (transcript
sentences, on-screen text, most frequent frame labels), which stands in for the queries as
generated captions do in the ModelScope CLIP-It pipeline; relevance is then the *mean* similarity
to the description, plus ``representativeness`` (cosine of the frame to the video's mean frame),
and a diversity step: frames are clustered (k-means on frame features, fixed seed) and each score
is averaged with its value relative to its cluster's best, so every kind of content has a
moment worth picking and the knapsack covers the video.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from vidgist.backbones.base import Backbone
from vidgist.types import Evidence, TextSpan, Timeline

STOPWORDS = frozenset(
    "a an the and or of in on at to for from with by is are was were be been being it its this that these "
    "those as into onto over under up down out about than then there here who whom which what when where why "
    "how we you he she they i me my our your their his her them us do does did done not no so very just "
    "video clip scene show shows showing some any all".split()
)
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]")


def content_words(text: str) -> set[str]:
    """Lower-cased content words (stopwords dropped, a plural 's' stripped); CJK characters one each."""
    return set(_content_words(text))


@lru_cache(maxsize=1 << 16)
def _content_words(text: str) -> frozenset[str]:
    """``content_words``, remembered per text (searches compare the same spans with query after query)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in STOPWORDS:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


def lexical_overlap(query: str, text: str) -> float:
    """Share of the query's content words present in ``text`` (0 when the query has none)."""
    q = _content_words(query)
    return len(q & _content_words(text)) / len(q) if q else 0.0


def mention_rows(spans: Sequence[TextSpan], queries: Sequence[str], exact: bool) -> np.ndarray:
    """(n_spans, n_queries) word evidence of each span for each query: the share of the query's content
    words present (``lexical_overlap``); with ``exact``, 1 only when all are present (an exact mention),
    for queries the sentence model reads (the others keep the share, which stands in for their cosine)."""
    lex = np.array([[lexical_overlap(q, s.text) for q in queries] for s in spans])
    if exact:
        reads = np.array([sentence_model_reads(x) for x in queries])[None, :]
        lex = np.where(reads, (lex >= 1.0 - 1e-9).astype(float), lex)
    return lex


def relevance_encoder(backbone: Any) -> Any:
    """The text encoder relevance compares queries with spoken and on-screen text in: the backbone's
    ``encode_relevance_texts`` when it offers one (the library's, which serves the span vectors it stored
    in that model), else ``vidgist.backbones.relevance_text_encoder()``."""
    from vidgist import backbones

    return getattr(backbone, "encode_relevance_texts", None) or backbones.relevance_text_encoder()


def sentence_model_reads(text: str) -> bool:
    """False when most of ``text``'s letters are CJK characters, which the English sentence model
    (all-MiniLM-L6-v2) does not read: its cosine for such text says nothing about meaning."""
    letters = [c for c in text if c.isalpha()]
    han = sum("\u3400" <= c <= "\u9fff" for c in letters)
    return not letters or han < 0.3 * len(letters)


def span_similarity(
    cosine: np.ndarray, lex: np.ndarray, queries: Sequence[str], lexical: float
) -> np.ndarray:
    """A text span's raw similarity to each query (n_spans, n_queries): ``cos + lexical x overlap``; for a
    query the sentence model does not read (``sentence_model_reads``) the overlap stands in for the
    cosine too, ``(1 + lexical) x overlap``, so a caption that holds the query's words scores as an
    exact English match would and an unrelated one scores 0."""
    out = cosine + lexical * lex
    for j, query in enumerate(queries):
        if not sentence_model_reads(query):
            out[:, j] = (1.0 + lexical) * lex[:, j]
    return out


@dataclass(frozen=True)
class ZeroShotWeights:
    """Channel weights and constants of the zero-shot scorer (see module docstring)."""

    visual: float = 1.0  # joint backbone (CLIP): frames and queries share one space
    visual_bridge: float = 0.5  # offline backbone: the ImageNet-label bridge is lossy, so it counts less
    speech: float = 1.0
    ocr: float = 1.0
    lexical: float = 0.5  # generic mode: weight of the lexical overlap added to a span's cosine
    # query mode (relevance): added only when a span holds every content word of the query (an exact
    # mention); all-mpnet-base-v2 reads shared words itself, and a partial overlap only lifted absent
    # queries that share one word with a line (decoys) on the relevance development set's fit half
    exact_mention: float = 0.5
    floor: float = 0.05  # std floor in the per-channel standardisation (cosine units)
    smooth_sigma: float = 1.0  # Gaussian smoothing over samples (0: none)
    representativeness: float = 0.25  # generic mode only
    diversity: float = 0.8  # generic mode only: share of the cluster-relative score
    n_labels: int = 5  # generic mode: most frequent frame labels in the description


def describe(evidence: Evidence, n_labels: int = 5, max_sentences: int = 32) -> list[str]:
    """The video's own description: transcript sentences, on-screen texts, and a sentence of its
    most frequent frame labels. Deterministic; at most ``max_sentences`` sentences kept evenly."""
    speech = [s.text.strip() for s in evidence.spans if s.source == "speech" and s.text.strip()]
    seen: set[str] = set()
    ocr = []
    for s in evidence.spans:
        key = s.text.strip().lower()
        if s.source == "ocr" and key and key not in seen:
            seen.add(key)
            ocr.append(s.text.strip())
    counts = Counter(s.text for s in evidence.spans if s.source == "label")
    labels = [name for name, _ in counts.most_common(n_labels)]
    out = speech + ocr
    if len(out) > max_sentences:
        pick = np.linspace(0, len(out) - 1, max_sentences).round().astype(int)
        out = [out[i] for i in pick]
    if labels:
        out.append("a video of " + ", ".join(labels))
    return out or ["a video"]


def _spans_to_moments(
    times: np.ndarray, spans: Sequence[TextSpan], values: np.ndarray, half: float
) -> np.ndarray:
    """Per moment, the best value of the spans overlapping [t - half, t + half]; NaN where none."""
    out = np.full(times.shape, -np.inf)
    for s, v in zip(spans, values, strict=True):
        lo = int(np.searchsorted(times, s.start - half, side="right"))
        hi = int(np.searchsorted(times, s.end + half, side="left"))
        if hi <= lo:  # a span shorter than the gap between samples: nearest moment
            lo = int(np.clip(np.searchsorted(times, (s.start + s.end) / 2), 0, len(times) - 1))
            hi = lo + 1
        np.maximum(out[lo:hi], v, out=out[lo:hi])
    out[np.isneginf(out)] = np.nan
    return out


def _half_step(times: np.ndarray) -> float:
    """Half the median gap between sampled moments (0.5 s for a single moment)."""
    return 0.5 * (float(np.median(np.diff(times))) if len(times) > 1 else 1.0)


def moment_values(times: np.ndarray, spans: Sequence[TextSpan], values: np.ndarray) -> np.ndarray:
    """(n_queries, n_moments): per query (a column of ``values``, (n_spans, n_queries)) and moment the best
    value of the spans covering it, within half a sampling step; NaN where none."""
    half = _half_step(times)
    return np.stack([_spans_to_moments(times, spans, v, half) for v in values.T])


def _standardise(x: np.ndarray, floor: float, missing: str = "min") -> np.ndarray:
    """(x - median) / max(std, floor); NaN (no evidence) becomes the channel minimum first
    (``missing="min"``, generic mode) or 0, an unrelated text's similarity (``"zero"``, query mode, so a
    single matching sentence or caption stands out instead of standardising to a flat channel)."""
    if np.all(np.isnan(x)):
        return np.zeros_like(x)
    x = np.where(np.isnan(x), np.nanmin(x) if missing == "min" else 0.0, x)
    return (x - np.median(x)) / max(float(np.std(x)), floor)


def _smooth(x: np.ndarray, sigma: float) -> np.ndarray:
    if sigma <= 0 or x.size < 3:
        return x
    from scipy.ndimage import gaussian_filter1d

    return np.asarray(gaussian_filter1d(x, sigma, mode="nearest"))


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(np.min(x)), float(np.max(x))
    return np.zeros_like(x) if hi - lo < 1e-12 else (x - lo) / (hi - lo)


def _cluster_relative(scores: np.ndarray, feats: np.ndarray, seed: int = 0) -> np.ndarray:
    """Each score divided by the best score of its k-means cluster of frame features."""
    n = len(scores)
    k = int(min(8, max(1, n // 5)))
    if k < 2:
        return scores
    from scipy.cluster.vq import kmeans2

    _, labels = kmeans2(feats.astype(np.float64), k, minit="++", seed=seed)
    rel = np.empty_like(scores)
    for c in np.unique(labels):
        m = labels == c
        rel[m] = scores[m] / max(float(scores[m].max()), 1e-12)
    return rel


@dataclass
class ZeroShotScorer:
    """FrameScorer with no training (see module docstring for the rule)."""

    weights: ZeroShotWeights = field(default_factory=ZeroShotWeights)
    name: str = "zero-shot"

    def _channels(
        self, evidence: Evidence, queries: Sequence[str], backbone: Backbone, relevance: bool
    ) -> tuple[np.ndarray | None, dict[str, tuple[list[TextSpan], np.ndarray]]]:
        """Visual similarities (n_moments, n_queries) or None, and per text channel its spans with their
        similarities (n_spans, n_queries): cosine plus ``lexical`` x the lexical overlap. Frames meet the
        queries in the backbone's text space. Spans meet real queries (``relevance``) in
        ``vidgist.backbones.relevance_text_encoder`` (all-mpnet-base-v2, loaded only here: when the video
        has spans and there are queries), and the generic mode's description in
        ``vidgist.backbones.sentence_encoder`` (the backbone's own sentence model, MiniLM with CLIP)."""
        from vidgist import backbones

        q = backbone.encode_texts(list(queries))
        visual = None
        if evidence.frames_in_text_space is not None and len(evidence.frames_in_text_space):
            visual = np.asarray(evidence.frames_in_text_space @ q.T, dtype=np.float64)
        text: dict[str, tuple[list[TextSpan], np.ndarray]] = {}
        encode: Any = None
        for source in ("speech", "ocr"):
            spans = [s for s in evidence.spans if s.source == source and s.text.strip()]
            if spans:
                if encode is None:
                    if relevance:
                        encode = relevance_encoder(backbone)
                        qt = np.asarray(encode(list(queries)))
                    else:
                        encode = backbones.sentence_encoder(backbone)
                        qt = q if not backbone.joint else np.asarray(encode(list(queries)))
                e = np.asarray(encode([s.text for s in spans]))
                weight = self.weights.exact_mention if relevance else self.weights.lexical
                lex = mention_rows(spans, queries, exact=relevance)
                text[source] = (spans, span_similarity(e @ qt.T, lex, queries, weight))
        return visual, text

    def channel_similarities(
        self, evidence: Evidence, queries: Sequence[str], backbone: Backbone
    ) -> dict[str, np.ndarray]:
        """Raw similarities per query and moment, (n_queries, n_moments) for each channel with evidence;
        NaN where a text channel has no span (see module docstring for each channel's rule)."""
        visual, text = self._channels(evidence, queries, backbone, relevance=True)
        out: dict[str, np.ndarray] = {} if visual is None else {"visual": visual.T.copy()}
        for source, (spans, vals) in text.items():
            out[source] = moment_values(evidence.frames.times, spans, vals)
        return out

    def channel_scores(
        self, evidence: Evidence, queries: Sequence[str], backbone: Backbone, aggregate: str = "max"
    ) -> dict[str, np.ndarray]:
        """Raw per-moment similarities of every channel (NaN where a channel has no evidence), each span's
        and frame's similarities ``aggregate``d ("max" | "mean") over the queries first."""
        agg = np.max if aggregate == "max" else np.mean
        visual, text = self._channels(evidence, queries, backbone, relevance=False)
        out: dict[str, np.ndarray] = {} if visual is None else {"visual": agg(visual, axis=1)}
        for source, (spans, vals) in text.items():
            out[source] = _spans_to_moments(
                evidence.frames.times, spans, agg(vals, axis=1), _half_step(evidence.frames.times)
            )
        return out

    def score(self, evidence: Evidence, queries: Sequence[str] | None, backbone: Backbone) -> Timeline:
        """Scores in [0, 1] for every sampled moment; generic summary when ``queries`` is None."""
        if queries:
            return self.score_similarities(
                evidence, self.channel_similarities(evidence, queries, backbone), backbone
            )
        texts = describe(evidence, self.weights.n_labels)
        return self._combine(
            evidence, self.channel_scores(evidence, texts, backbone, aggregate="mean"), backbone, generic=True
        )

    def score_similarities(
        self, evidence: Evidence, similarities: dict[str, np.ndarray], backbone: Backbone
    ) -> Timeline:
        """The query-mode ``score`` from ``channel_similarities`` computed once already (the pipeline
        shares them with the calibrated relevance): each channel's best query per moment, combined."""
        best = {name: np.max(x, axis=0) for name, x in similarities.items()}
        return self._combine(evidence, best, backbone, generic=False)

    def _combine(
        self, evidence: Evidence, channels: dict[str, np.ndarray], backbone: Backbone, generic: bool
    ) -> Timeline:
        """Per-moment channel values -> scores in [0, 1] (module docstring: standardise, weigh, smooth,
        min-max; in generic mode also representativeness and the diversity step)."""
        w = self.weights
        times = evidence.frames.times
        total = np.zeros(len(times))
        for name, x in channels.items():
            weight = w.visual_bridge if name == "visual" and not backbone.joint else getattr(w, name)
            total += weight * _standardise(
                np.asarray(x, dtype=np.float64), w.floor, missing="min" if generic else "zero"
            )
        feats = evidence.frames.vectors
        if generic and len(times):
            mean = feats.mean(axis=0, dtype=np.float64)
            rep = feats @ (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(feats.dtype)
            total += w.representativeness * _standardise(np.asarray(rep, dtype=np.float64), w.floor)
        scores = _minmax(_smooth(total, w.smooth_sigma))
        if generic and w.diversity > 0 and len(times):
            scores = (1 - w.diversity) * scores + w.diversity * _cluster_relative(scores, feats)
        return Timeline(times=times.copy(), scores=scores.astype(np.float64))
