"""The matching stretches of one indexed video for a query, by the summarizer's calibrated relevance.

``video_relevance(evidence, query, backbone, channels)`` is ``vidgist.summarize.relevance`` on the
evidence the library stored for the video (``video_channels`` the raw channel similarities behind it,
``peak_relevance`` its largest value, which bounds the video's hits; the same channels, constants and
threshold as ``vidgist summarize -q``; text vectors the library already holds are reused,
``StoredTexts``), so search and summaries agree on where a topic is and whether it is there at all.
``stretches(...)`` turns that timeline into hits:

1. a stretch is a run of sampled moments whose relevance is at least the threshold (each moment stands
   for its cell, ``summarize.select.cell_bounds``), cut where the relevance falls under ``SPLIT_SHARE`` of
   the run's best (the lower pieces are stretches of their own); its relevance is its largest;
2. it is cut to the evidence that carries it (``_support``): a moment matched by its frames keeps its
   cell, one matched by a sentence or caption keeps the part of its cell that text covers (a spoken
   sentence runs from its first word to its last, timed word by word by ``media.speech``, not over the
   silence around it);
3. it is padded to whole sentences: a matching spoken sentence (its own relevance over the threshold
   and at least ``SPLIT_SHARE`` of the stretch's) that overlaps the stretch is taken in whole; a stretch
   lying mostly inside a better one is dropped;
4. it is at most ``max_seconds`` long: a longer run is cut to the window of that length around its best
   moment;
5. with ``weak``, runs under the threshold are offered too (relevance at least ``WEAK_SHARE`` of the
   video's best and ``WEAK_FLOOR``), flagged weak.

``reasons`` says why a stretch matched from its own evidence only: the channels whose calibrated value
inside it is at least ``WHY_SHARE`` of the stretch's relevance, each with the sentence, on-screen text
or frame labels at that channel's best moment.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.library.store import unblob
from vidgist.summarize.relevance import (
    TEXT_CALIBRATION,
    Relevance,
    calibrate,
    evidence_units,
    relevance,
    relevance_channels,
    text_baseline,
)
from vidgist.types import Evidence, Features, TextSpan, VideoInfo

#: a run over the threshold is split where the relevance falls under this share of its best: a barely
#: matching neighbour (a related caption beside the one named) is a stretch of its own, ranked lower
SPLIT_SHARE = 0.8
#: weak runs (``weak=True``): relevance at least this share of the video's best ...
WEAK_SHARE = 0.5
#: ... and at least this
WEAK_FLOOR = 0.05
#: a channel is named in "why" when its value in the stretch is at least this share of the stretch's
WHY_SHARE = 0.5
#: the library's channel names -> the relevance channels
RELEVANCE_CHANNEL = {"said": "speech", "shown": "ocr", "seen": "visual"}
_LABEL = {"speech": "said", "ocr": "on screen", "visual": "looks like"}
_SOURCE = {"said": "speech", "shown": "ocr", "seen": "label"}
#: text vectors kept between searches
TEXT_CACHE = 50_000


@dataclass(frozen=True)
class Reason:
    """Why a hit matched: ``channel`` ('said', 'on screen', 'looks like', or 'about' for a whole video's
    generated query), the text, and the channel's calibrated relevance there."""

    channel: str
    text: str
    score: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.channel}: {self.text}"
            if self.channel == "looks like"
            else f'{self.channel}: "{self.text}"'
        )


@dataclass(frozen=True)
class Stretch:
    """A matching stretch of one video: seconds, relevance (largest in it), its best moment, weak or not."""

    start: float
    end: float
    relevance: float
    best_time: float
    weak: bool
    reasons: tuple[Reason, ...]


def _key(text: str) -> str:
    return " ".join(text.split())


class StoredTexts:
    """The backbone, with the two text encoders a search needs answered from what is known already:

    - ``encode_relevance_texts``: the text model the calibrated relevance compares spoken and on-screen
      text in (``vidgist.backbones.relevance_text_encoder``), served from the vectors the library stored
      for its spans (``library.text_model``) and earlier queries; the model is asked only for the rest;
    - ``encode_texts``: the backbone's own (frames meet queries in its text space), remembered per text.

    Every other attribute is the backbone's."""

    def __init__(self, backbone: Any) -> None:
        self.backbone = backbone
        self.known: dict[str, np.ndarray] = {}
        self._backbone_texts: dict[str, np.ndarray] = {}
        self._baseline: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backbone, name)

    def query_baseline(self, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The backbone's ``query_baseline``, remembered per query vector (a search asks it once per
        candidate video for the same query)."""
        key = np.asarray(texts).tobytes()
        if key not in self._baseline:
            if len(self._baseline) > 256:
                self._baseline.clear()
            self._baseline[key] = self.backbone.query_baseline(texts)
        return self._baseline[key]

    def add(self, rows: Sequence[tuple[str, bytes]]) -> None:
        """Remember (text, stored relevance-model vector) pairs."""
        if len(self.known) > TEXT_CACHE:
            self.known.clear()
        for text, vec in rows:
            self.known.setdefault(_key(text), unblob(vec))

    def encode_relevance_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(m, d) unit rows of ``texts`` in the relevance text model (stored ones reused); the rest, a
        search's query mostly, on its expanded-weights engine (``mpnet.MPNET_EXPANDED``: the summarizer's
        values, about 5x faster for one text)."""
        from vidgist.backbones import relevance_text_encoder
        from vidgist.backbones.mpnet import encode_mpnet

        encode = relevance_text_encoder()
        if encode is encode_mpnet:
            encode = partial(encode_mpnet, expanded=True)
        return _remembered(texts, self.known, encode)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(m, d) rows of ``texts`` in the backbone's text space (remembered)."""
        if len(self._backbone_texts) > TEXT_CACHE:
            self._backbone_texts.clear()
        return _remembered(texts, self._backbone_texts, self.backbone.encode_texts)


def _remembered(texts: Sequence[str], known: dict[str, np.ndarray], encode: Any) -> np.ndarray:
    """Rows of ``texts`` from ``known`` (keyed by normalised text); ``encode`` asked once for the rest."""
    keys = [_key(t) for t in texts]
    missing = [k for k in dict.fromkeys(keys) if k not in known]
    if missing:
        for k, v in zip(missing, np.asarray(encode(missing)), strict=True):
            known[k] = np.asarray(v, np.float32)
    if not keys:
        return np.zeros((0, 0), np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)


def remember_span_vectors(conn: sqlite3.Connection, texts: StoredTexts, video_ids: Sequence[int]) -> None:
    """Put the stored (relevance-model) vectors of these videos' spoken and on-screen texts into ``texts``."""
    if not video_ids:
        return
    marks = ",".join("?" * len(video_ids))
    texts.add(
        conn.execute(
            # CROSS JOIN keeps this order: the videos' spans by index, then each one's vector (left to
            # itself the planner walked every text vector of the library)
            "SELECT s.text, x.vec FROM spans s CROSS JOIN vectors x ON x.kind = 'text' AND x.ref = s.id "
            f"WHERE s.video_id IN ({marks})",
            list(video_ids),
        ).fetchall()
    )


def load_evidence(conn: sqlite3.Connection, video_id: int, path: str) -> Evidence:
    """The evidence the library stored for a video (the pipeline's own, ``evidence_store``); for a
    library without it, one sample per moment (its mean frame vector) and the stored spans."""
    from vidgist.library.evidence_store import unpack_for_relevance

    dur, width, height, audio = conn.execute(
        "SELECT duration, width, height, has_audio FROM videos WHERE id = ?", (video_id,)
    ).fetchone()
    info = VideoInfo(Path(path), float(dur), 0.0, 0, int(width), int(height), 0, bool(audio))
    row = conn.execute("SELECT data FROM evidence WHERE video_id = ?", (video_id,)).fetchone()
    if row is not None:
        return unpack_for_relevance(row[0], info)
    rows = conn.execute(
        "SELECT m.start, m.end, x.vec FROM moments m "
        "LEFT JOIN vectors x ON x.kind = 'frame' AND x.ref = m.id WHERE m.video_id = ? ORDER BY m.start",
        (video_id,),
    ).fetchall()
    times = np.array([(a + b) / 2 for a, b, _ in rows], np.float64)
    vecs = [v for _, _, v in rows if v is not None]
    bridged = None
    if vecs and len(vecs) == len(rows):
        bridged = np.frombuffer(b"".join(vecs), np.float16).reshape(len(vecs), -1).astype(np.float32)
    spans = tuple(
        TextSpan(float(a), float(b), str(t), _SOURCE[c])
        for c, a, b, t in conn.execute(
            "SELECT channel, start, end, text FROM spans WHERE video_id = ? AND channel != 'query'",
            (video_id,),
        )
    )
    return Evidence(info, Features(times, np.zeros((len(times), 0), np.float32)), bridged, spans)


def video_channels(
    evidence: Evidence, query: str, backbone: Any, channels: Collection[str] | None = None
) -> dict[str, np.ndarray]:
    """The raw channel similarities of every sampled moment for ``query``
    (``summarize.relevance.relevance_channels``); ``channels`` ('said', 'shown', 'seen') limits the
    evidence used. Speech is scored per utterance, without the summarizer's speech windows: the index
    stores a vector per utterance, none per window, and encoding every candidate's windows at search time
    would cost seconds per query in a large library."""
    raw = relevance_channels(evidence, [query], backbone, windows=False)
    if channels is not None:
        keep = {RELEVANCE_CHANNEL[c] for c in channels if c in RELEVANCE_CHANNEL}
        raw = {k: v for k, v in raw.items() if k in keep}
    return raw


def peak_relevance(evidence: Evidence, raw: dict[str, np.ndarray], joint: bool) -> float:
    """The largest calibrated relevance of any moment of the video: the maximum of ``video_relevance``
    without its last step (each moment taking its neighbours' largest value changes no maximum), so
    without its per-moment window."""
    t = np.asarray(evidence.frames.times, np.float64)
    r = calibrate(raw, joint, evidence_units(t, raw, evidence.info.duration))
    return float(r.max()) if r.size else 0.0


def video_units(evidence: Evidence, raw: dict[str, np.ndarray]) -> dict[str, float]:
    """The video's evidence units per channel (``relevance.evidence_units``, ``n_c`` of equation 1)."""
    return evidence_units(np.asarray(evidence.frames.times, np.float64), raw, evidence.info.duration)


def searched_relevance(
    evidence: Evidence, raw: dict[str, np.ndarray], joint: bool, units: dict[str, float]
) -> np.ndarray:
    """Each sampled moment's relevance with the null of ``units`` evidence units per channel instead of
    the video's own (equations 1-2 of ``summarize.relevance`` with ``n_c`` = the units of every video
    searched; without step 3's window, which ``relevance.SPREAD`` seconds either side of a stretch
    restores): the value the moment would have if the whole searched set were one video."""
    r = calibrate(raw, joint, units)
    return r[0] if r.size else np.zeros(len(evidence.frames.times))


def video_relevance(
    evidence: Evidence,
    query: str,
    backbone: Any,
    channels: Collection[str] | None = None,
    raw: dict[str, np.ndarray] | None = None,
) -> Relevance:
    """The calibrated relevance of every sampled moment for ``query`` (``summarize.relevance``), from the
    raw channel similarities ``raw`` (``video_channels``, computed here when None)."""
    if raw is None:
        raw = video_channels(evidence, query, backbone, channels)
    return relevance(evidence.frames.times, raw, [query], bool(backbone.joint), evidence.info.duration)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[first, last + 1) index ranges of the True runs of ``mask``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _pad_to_sentences(a: float, b: float, spans: Sequence[TextSpan]) -> tuple[float, float]:
    """[a, b] widened to the matching spoken sentences that overlap it (module docstring, 3); ``spans``
    are those sentences (speech spans run from their first word to their last: ``media.speech`` times
    every word)."""
    lo, hi = a, b
    for s in spans:
        if min(b, s.end) - max(a, s.start) > 0:
            lo, hi = min(lo, s.start), max(hi, s.end)
    return lo, hi


def _cap(a: float, b: float, best: float, max_seconds: float) -> tuple[float, float]:
    """[a, b] cut to at most ``max_seconds`` around ``best`` (module docstring, 3)."""
    if b - a <= max_seconds:
        return a, b
    lo = min(max(a, best - max_seconds / 2), b - max_seconds)
    return lo, lo + max_seconds


@dataclass(frozen=True)
class _Timeline:
    """One video's relevance for one query, with what is needed to cut and explain its stretches."""

    times: np.ndarray
    bounds: np.ndarray  # cell edges (len(times) + 1)
    r: np.ndarray  # calibrated relevance per sample
    half: float  # half the sampling step
    visual: np.ndarray | None  # the visual channel's calibrated value per sample
    spans: list[TextSpan]  # spoken and on-screen texts
    span_r: np.ndarray  # each span's calibrated relevance (its own channel)


def span_relevance(
    evidence: Evidence, query: str, texts: Any, joint: bool, channels: Collection[str]
) -> tuple[list[TextSpan], np.ndarray]:
    """The spoken and on-screen texts of ``channels`` ('speech', 'ocr') and each one's calibrated relevance
    for ``query``: the zero-shot scorer's own span value (``ZeroShotScorer._channels``, in the relevance
    text model that ``texts`` serves; for a query that model does not read, ``unread_queries.span_values``)
    in the calibration's units (relevance equation 3) through its channel's logistic, as the moments it
    covers get it."""
    import dataclasses

    from vidgist.scorers.zero_shot import ZeroShotScorer
    from vidgist.summarize.unread_queries import span_values

    only = dataclasses.replace(
        evidence,
        spans=tuple(s for s in evidence.spans if s.source in channels),
        frames_in_text_space=None,
    )
    _, found = ZeroShotScorer()._channels(only, [query], texts, relevance=True)
    b = float(text_baseline([query], texts)[0]) if found else 0.0
    spans: list[TextSpan] = []
    out: list[np.ndarray] = []
    for source, (items, vals) in found.items():
        vals = span_values(
            items, [query], TEXT_CALIBRATION[source].null, vals
        )  # Chinese query: e5, not characters
        r = calibrate({source: vals[:, 0][None, :] - b}, joint)
        spans += items
        out.append(r[0] if r.size else np.zeros(len(items)))
    return spans, np.concatenate(out) if out else np.zeros(0)


def _timeline(
    rel: Relevance, evidence: Evidence, raw: dict[str, np.ndarray], query: str, texts: Any, joint: bool
) -> _Timeline:
    from vidgist.summarize.select import cell_bounds

    times = rel.times
    visual = None
    if "visual" in raw:
        v = calibrate({"visual": raw["visual"]}, joint)
        visual = v[0] if v.size else None
    # a channel left out of ``raw`` is not evidence
    spans, span_r = span_relevance(evidence, query, texts, joint, {"speech", "ocr"} & set(raw))
    return _Timeline(
        times=times,
        bounds=cell_bounds(times, rel.duration),
        r=rel.per_query[0] if len(rel.per_query) else np.zeros(len(times)),
        half=0.5 * (float(np.median(np.diff(times))) if len(times) > 1 else 1.0),
        visual=visual,
        spans=spans,
        span_r=span_r,
    )


def _support(tl: _Timeline, i0: int, i1: int, threshold: float) -> tuple[float, float]:
    """The part of the run's cells its evidence covers (evidence counts from ``threshold``, the
    stretch's level): a sample whose frames carry its match (visual relevance at least ``threshold`` and
    above every text covering it) keeps its cell; one matched by a sentence or on-screen text keeps the
    part of its cell inside those texts (a caption read just before a cut does not carry the next part's
    first cell). The cells when nothing says more."""
    lo, hi = np.inf, -np.inf
    for i in range(i0, i1):
        a, b = float(tl.bounds[i]), float(tl.bounds[i + 1])
        t = float(tl.times[i])
        texts = [
            (s, r)
            for s, r in zip(tl.spans, tl.span_r, strict=True)
            if r >= threshold
            and s.start < t + tl.half
            and s.end > t - tl.half
            and min(b, s.end) > max(a, s.start)
        ]
        seen = float(tl.visual[i]) if tl.visual is not None else 0.0
        if seen >= threshold and seen > max((r for _, r in texts), default=0.0):
            lo, hi = min(lo, a), max(hi, b)
            continue
        for s, _ in texts:
            lo, hi = min(lo, max(a, s.start)), max(hi, min(b, s.end))
    if hi <= lo:
        return float(tl.bounds[i0]), float(tl.bounds[i1])
    return lo, hi


def stretches(
    rel: Relevance,
    evidence: Evidence,
    raw: dict[str, np.ndarray],
    threshold: float,
    max_seconds: float,
    weak: bool = False,
    query: str = "",
    texts: Any = None,
) -> list[Stretch]:
    """The video's matching stretches, best first (module docstring); ``texts`` encodes the spans (the
    library's ``StoredTexts``)."""
    joint = bool(texts.joint)
    tl = _timeline(rel, evidence, raw, query, texts, joint)
    if not tl.r.size:
        return []
    strong = tl.r >= threshold
    runs = [(a, b, False) for a0, b0 in _runs(strong) for a, b in _split(tl.r, a0, b0)]
    if weak:
        floor = max(WEAK_FLOOR, WEAK_SHARE * float(tl.r.max()))
        runs += [(a, b, True) for a, b in _runs((tl.r >= floor) & ~strong)]
    sentences = [
        (s, r) for s, r in zip(tl.spans, tl.span_r, strict=True) if s.source == "speech" and r >= threshold
    ]
    out: list[Stretch] = []
    for i0, i1, is_weak in runs:
        level = max(threshold, SPLIT_SHARE * float(tl.r[i0:i1].max()))  # evidence of the stretch's level
        a, b = _support(tl, i0, i1, level) if not is_weak else (tl.bounds[i0], tl.bounds[i1])
        a, b = _pad_to_sentences(float(a), float(b), [x for x, r in sentences if r >= level])
        inside = np.flatnonzero((tl.times[i0:i1] >= a) & (tl.times[i0:i1] <= b))  # the best moment in
        k = i0 + int(inside[np.argmax(tl.r[i0:i1][inside])] if inside.size else np.argmax(tl.r[i0:i1]))
        best = float(np.clip(tl.times[k], a, b))
        a, b = _cap(max(0.0, a), min(b, float(tl.bounds[-1])), best, max_seconds)
        reasons = _reasons(tl, evidence, raw, (i0, i1), (a, b), float(tl.r[k]), query, joint)
        out.append(Stretch(a, b, float(tl.r[k]), best, is_weak, reasons))
    kept: list[Stretch] = []
    for x in sorted(out, key=lambda s: -s.relevance):  # one inside a better one (padding) is no new answer
        if all(min(x.end, y.end) - max(x.start, y.start) < 0.5 * (x.end - x.start) for y in kept):
            kept.append(x)
    return kept


def _split(r: np.ndarray, a: int, b: int, share: float = SPLIT_SHARE) -> list[tuple[int, int]]:
    """[a, b) cut into stretches (module docstring, 1): the runs at least ``share`` of its best value, then
    what is left, split the same way."""
    core = r[a:b] >= share * float(r[a:b].max())
    out = [(a + x, a + y) for x, y in _runs(core)]
    for x, y in _runs(~core):
        out += _split(r, a + x, a + y, share)
    return out


def _reasons(
    tl: _Timeline,
    evidence: Evidence,
    raw: dict[str, np.ndarray],
    run: tuple[int, int],
    span: tuple[float, float],
    best: float,
    query: str,
    joint: bool,
) -> tuple[Reason, ...]:
    """Per channel that carries the stretch (module docstring): the text of that channel inside the
    stretch with the highest relevance, or the frame labels at the visual channel's best moment."""
    i0, i1 = run
    out: list[Reason] = []
    for name, x in raw.items():
        r = calibrate({name: np.asarray(x)[:, i0:i1]}, joint)
        if r.size == 0 or float(r.max()) < WHY_SHARE * best:
            continue
        if name == "visual":
            t = float(tl.times[i0 + int(np.argmax(r[0]))])
            out.append(Reason(_LABEL[name], _labels_at(evidence, t, tl.half), float(r.max())))
            continue
        inside = [
            (float(sr), s)
            for s, sr in zip(tl.spans, tl.span_r, strict=True)
            if s.source == name and s.start < span[1] and s.end > span[0]
        ]
        if inside:
            sr, s = max(inside, key=lambda p: p[0])
            out.append(Reason(_LABEL[name], snippet(_key(s.text), query), sr))
    return tuple(sorted(out, key=lambda e: -e.score))


def _labels_at(evidence: Evidence, t: float, half: float) -> str:
    """The most frequent frame labels within ``half`` seconds of ``t`` ("the picture" when none)."""
    near = [s.text for s in evidence.spans if s.source == "label" and s.start < t + half and s.end > t - half]
    return ", ".join(n for n, _ in Counter(near).most_common(3)) or "the picture"


def snippet(text: str, query: str, width: int = 90) -> str:
    """``text`` cut to about ``width`` characters around its first query word."""
    from vidgist.scorers.zero_shot import content_words

    if len(text) <= width:
        return text
    low = text.lower()
    pos = min((low.find(w) for w in content_words(query) if low.find(w) >= 0), default=0)
    a = max(0, min(pos - width // 3, len(text) - width))
    return ("..." if a else "") + text[a : a + width].strip() + ("..." if a + width < len(text) else "")
