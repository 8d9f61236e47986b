"""Analyse one video into a ``VideoRecord`` (no database here): the pipeline's evidence, cut into moments.

``Analyser(backbone, asr_model, ocr, max_moment).analyse(stamp)`` runs the summarizer's front half once
(``summarize.evidence.collect``: sampled frames through the backbone, on-screen text, speech) at the
library's own sampling rate (``library_fps``: 1 frame per second for clips under a minute, as
``summarize``; one every 2 s for longer videos, where a library needs a few frames per moment, not
``summarize``'s 2 per second: the frame model is most of the indexing cost), decoding the key frames
alone when they are at most one sampling step apart (phone and streaming videos), then

- moments: KTS shots over the frame features (``summarize.shots.make_shots``), cut again where a
  sentence or an on-screen text starts or ends (``moment_bounds``), split to at most ``max_moment`` s;
  each keeps its mean frame vector in the text space, its most frequent frame labels and a JPEG
  thumbnail (the evidence thumbnail nearest its middle);
- spans: speech -> 'said', on-screen text -> 'shown' (both with a vector in the text model the calibrated
  relevance compares them in, ``backbones.relevance_text_encoder``: ``library.text_model``), frame labels
  -> 'seen' (consecutive frames with the same label merged into one span), and the video's zero-shot
  search queries (``qms.query.zero_shot_queries``) -> 'query' spans over the whole video.

A file that cannot be used (InputError) gives a record with ``reason`` set instead of raising; a model
that cannot load (ModelError) stops the run. A damaged file that still decodes (``media.damage``: less
than the rule's share lost) is indexed from what decodes, its ``warning`` saying what was lost.
"""

from __future__ import annotations

import dataclasses
import io
import time
from collections import Counter
from typing import Any

import numpy as np

from vidgist.errors import InputError
from vidgist.library.records import FileStamp, MomentRow, SpanRow, VideoRecord
from vidgist.types import Evidence, TextSpan

#: longest moment (seconds); longer shots are split so a hit points at a short range
MAX_MOMENT = 8.0
#: shortest moment (seconds) when cutting at speech and on-screen text boundaries
MIN_MOMENT = 1.5
#: generated search queries stored per video
N_QUERIES = 8
#: labels kept per moment
MOMENT_LABELS = 3
#: sampling rate (frames per second) for videos of at least a minute (see ``library_fps``)
LONG_VIDEO_FPS = 0.5


#: key frames at most one sampling step (+ this, seconds) apart: decode the key frames alone
#: (``media.video.keyframe_gap``); a frame per instant stays within one step of it
KEYFRAME_SLACK = 0.05


def library_fps(duration: float) -> float:
    """Frames per second the library samples a video of ``duration`` seconds at: ``summarize``'s rate
    for clips under a minute (1 per second), ``LONG_VIDEO_FPS`` above (4 frames per ``MAX_MOMENT``)."""
    from vidgist.media.video import SHORT_CLIP_SECONDS, default_fps

    return default_fps(duration) if duration < SHORT_CLIP_SECONDS else LONG_VIDEO_FPS


_CHANNEL = {"speech": "said", "ocr": "shown"}


class Analyser:
    """Turns files into ``VideoRecord``s with one set of models, loaded on first use and then reused."""

    def __init__(
        self,
        backbone: str = "auto",
        asr_model: str | None = "base",
        ocr: bool = True,
        fps: float | None = None,
        max_moment: float = MAX_MOMENT,
    ) -> None:
        from vidgist.summarize.pipeline import Summarizer

        self.max_moment = max_moment
        self.summarizer = Summarizer(
            backbone=backbone,
            fps=fps,
            asr=asr_model is not None,
            asr_model=asr_model or "tiny.en",
            ocr=ocr,
            shots="kts",
        )
        self.asr_model = asr_model
        self.ocr = ocr

    @property
    def backbone(self) -> Any:
        return self.summarizer.backbone

    def settings(self) -> dict[str, Any]:
        """What the records depend on (stored with each video)."""
        return {
            "backbone": str(self.backbone.name),
            "asr": self.asr_model,
            "ocr": self.ocr,
            "fps": self.summarizer.fps,
            "max_moment": self.max_moment,
        }

    def analyse(self, stamp: FileStamp) -> VideoRecord:
        """The record of one file; a file vidgist cannot use gives ``reason`` instead of an exception."""
        clock = time.perf_counter()
        try:
            from vidgist.library.evidence_store import pack
            from vidgist.media.damage import DamageReport
            from vidgist.media.video import keyframe_gap, probe
            from vidgist.summarize.evidence import collect

            info = probe(stamp.path)
            fps = self.summarizer.fps or library_fps(info.duration)
            gap = keyframe_gap(stamp.path)
            damage = DamageReport(stamp.path)
            evidence, thumbs, _ = collect(
                info,
                self.backbone,
                fps,
                ocr=self.ocr,
                asr_model=self.asr_model,
                damage=damage,
                keyframes_only=gap is not None and gap <= 1.0 / fps + KEYFRAME_SLACK,
            )
            rec = self.record(stamp, evidence, thumbs, time.perf_counter() - clock)
            warning = damage.warning() if damage.damaged else ""
            return dataclasses.replace(rec, evidence=pack(evidence, fps, thumbs), warning=warning)
        except InputError as err:  # the file's fault; a model that cannot load stops the run
            return VideoRecord(
                stamp=stamp, reason=str(err), settings=self.settings(), seconds=time.perf_counter() - clock
            )

    def record(
        self,
        stamp: FileStamp,
        evidence: Evidence,
        thumbs: list[tuple[float, np.ndarray]],
        seconds: float = 0.0,
    ) -> VideoRecord:
        """Cut ``evidence`` into moment and span rows (see module docstring)."""
        from vidgist.summarize.shots import make_shots, split_long_shots

        info = evidence.info
        times = evidence.frames.times
        kts = make_shots("kts", times, evidence.frames.vectors, info.duration)
        texts = [x for x in evidence.spans if x.source in _CHANNEL and x.text.strip()]
        shots = split_long_shots(moment_bounds(kts, texts, info.duration), self.max_moment)
        bridged = evidence.frames_in_text_space
        labels = [s for s in evidence.spans if s.source == "label"]
        moments = []
        for start, end in shots:
            sel = (times >= start) & (times < end)
            if not sel.any():
                sel = np.abs(times - (start + end) / 2) == np.min(np.abs(times - (start + end) / 2))
            vec = None
            if bridged is not None and len(bridged):
                vec = _unit(np.asarray(bridged[sel], np.float64).mean(0))
            names = Counter(s.text for s in labels if s.start < end and s.end > start)
            moments.append(
                MomentRow(
                    float(start),
                    float(end),
                    ", ".join(n for n, _ in names.most_common(MOMENT_LABELS)),
                    _jpeg(_nearest(thumbs, (start + end) / 2)),
                    vec,
                )
            )
        from vidgist.backbones import relevance_text_encoder
        from vidgist.summarize.unread_queries import keep_cjk_spans

        spans = [s for s in evidence.spans if s.source in _CHANNEL and s.text.strip()]
        vecs = relevance_text_encoder()([s.text for s in spans]) if spans else np.zeros((0, 0))
        keep_cjk_spans(spans)  # Chinese queries meet Chinese text in e5
        rows = [
            SpanRow(
                _CHANNEL[s.source],
                float(s.start),
                float(s.end),
                " ".join(s.text.split()),
                _unit(np.asarray(v, np.float64)),
            )
            for s, v in zip(spans, vecs, strict=True)
        ]
        rows += merge_label_spans(labels)
        rows += [SpanRow("query", 0.0, float(info.duration), q) for q in self.queries(evidence, spans)]
        return VideoRecord(
            stamp=stamp,
            duration=float(info.duration),
            width=info.width,
            height=info.height,
            has_audio=info.has_audio,
            settings=self.settings(),
            moments=tuple(moments),
            spans=tuple(rows),
            seconds=seconds,
        )

    def queries(self, evidence: Evidence, spans: list[TextSpan]) -> list[str]:
        """The video's zero-shot search queries (``qms.phrases``: the same ranking as ``vidgist query``;
        ``spans`` the spoken and on-screen texts, which meet the frames in the backbone's text space)."""
        from vidgist.qms.phrases import detect_language, e5_encoders, extract, rank
        from vidgist.qms.query import video_vector

        said = [s.text.strip() for s in evidence.spans if s.source == "speech" and s.text.strip()]
        shown = list(
            dict.fromkeys(s.text.strip() for s in evidence.spans if s.source == "ocr" and s.text.strip())
        )
        if not said and not shown and not any(s.source == "label" for s in evidence.spans):
            return []
        channels: dict[str, list[str]] = {"speech": said, "ocr": shown}
        if (said or shown) and detect_language(said + shown) == "zh":
            query_enc, passage_enc = e5_encoders()
            vec = np.asarray(passage_enc(said + shown), dtype=np.float64).mean(0)
            return [q for q, _ in rank(extract(channels, "zh"), query_enc, vec, N_QUERIES)]
        counts = Counter(s.text for s in evidence.spans if s.source == "label")
        channels["label"] = [n for n, _ in counts.most_common(5)]
        text_vecs = self.backbone.encode_texts([s.text for s in spans]) if spans else None
        vec = video_vector(text_vecs, evidence.frames_in_text_space)
        return [q for q, _ in rank(extract(channels, "en"), self.backbone.encode_texts, vec, N_QUERIES)]


def moment_bounds(
    shots: list[tuple[float, float]], spans: list[TextSpan], duration: float, min_len: float = MIN_MOMENT
) -> list[tuple[float, float]]:
    """Shots cut again where speech or on-screen text starts or ends (a new sentence or caption is a new
    moment, even inside one camera shot); pieces shorter than ``min_len`` join their left neighbour."""
    cuts = {round(a, 3) for a, _ in shots} | {round(b, 3) for _, b in shots}
    for x in spans:
        cuts.update((round(x.start, 3), round(x.end, 3)))
    points = sorted(c for c in cuts if 0 < c < duration)
    out: list[tuple[float, float]] = []
    start = 0.0
    for c in [*points, duration]:
        if c - start < min_len and c < duration:
            continue
        if c - start < min_len and out:
            out[-1] = (out[-1][0], c)
        else:
            out.append((start, c))
        start = c
    return out or [(0.0, duration)]


def merge_label_spans(labels: list[TextSpan]) -> list[SpanRow]:
    """'seen' spans: each label's frames merged into runs (a gap of at most one frame step joins them)."""
    by_name: dict[str, list[TextSpan]] = {}
    for s in sorted(labels, key=lambda s: s.start):
        by_name.setdefault(s.text, []).append(s)
    out: list[SpanRow] = []
    for name, items in by_name.items():
        start, end = items[0].start, items[0].end
        for s in items[1:]:
            if s.start <= end + (s.end - s.start) + 1e-6:
                end = max(end, s.end)
            else:
                out.append(SpanRow("seen", float(start), float(end), name))
                start, end = s.start, s.end
        out.append(SpanRow("seen", float(start), float(end), name))
    return sorted(out, key=lambda r: (r.start, r.text))


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)


def _nearest(thumbs: list[tuple[float, np.ndarray]], t: float) -> np.ndarray | None:
    if not thumbs:
        return None
    return min(thumbs, key=lambda x: abs(x[0] - t))[1]


def _jpeg(img: np.ndarray | None) -> bytes | None:
    if img is None:
        return None
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=80)
    return buf.getvalue()
