"""The pipeline's evidence of a video, kept in the library so `vidgist summarize` need not decode it again.

``pack(evidence, fps, thumbs) -> bytes`` and ``unpack(blob, info) -> (Evidence, fps, thumbs)``: an npz
(no pickle) with the sample times, frame features and bridged frame vectors as float16, the evidence
spans as JSON, the sound's loudness, the sampling rate and the score-plot thumbnails. About
3.5 MB per 10 minutes of video at 2 samples/s with the offline backbone (1280 + 384 dims).
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np

from vidgist.types import Evidence, Features, TextSpan, VideoInfo


def pack(evidence: Evidence, fps: float, thumbs: list[tuple[float, np.ndarray]]) -> bytes:
    """The npz bytes of ``evidence`` (see module docstring)."""
    spans = [[s.start, s.end, s.text, s.source] for s in evidence.spans]
    bridged = evidence.frames_in_text_space
    arrays: dict[str, np.ndarray] = {
        "times": np.asarray(evidence.frames.times, np.float64),
        "vectors": np.asarray(evidence.frames.vectors, np.float16),
        "bridged": np.zeros((0, 0), np.float16) if bridged is None else np.asarray(bridged, np.float16),
        "fps": np.array([fps], np.float64),
        "spans": np.frombuffer(json.dumps(spans, ensure_ascii=False).encode(), np.uint8),
        "info": np.array([evidence.info.fps, evidence.info.n_frames, evidence.info.rotation], np.float64),
        "thumb_times": np.array([t for t, _ in thumbs], np.float64),
        "loudness": np.zeros(0, np.float16)
        if evidence.loudness is None
        else evidence.loudness.astype(np.float16),
    }
    for i, (_, img) in enumerate(thumbs):
        arrays[f"thumb{i}"] = np.asarray(img, np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def _loudness(z: Any) -> np.ndarray | None:
    """The sound's levels ``pack`` kept (None when none were measured or packed)."""
    if "loudness" not in z.files or not z["loudness"].size:
        return None
    return np.asarray(z["loudness"], np.float32)


def unpack(blob: bytes, info: VideoInfo) -> tuple[Evidence, float, list[tuple[float, np.ndarray]]]:
    """(Evidence, sampling fps, thumbnails) from ``pack``'s bytes; ``info`` is the file's probe."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        spans = tuple(
            TextSpan(float(a), float(b), str(t), str(s))
            for a, b, t, s in json.loads(z["spans"].tobytes().decode())
        )
        bridged = z["bridged"].astype(np.float32)
        evidence = Evidence(
            info=info,
            frames=Features(times=z["times"], vectors=z["vectors"].astype(np.float32)),
            frames_in_text_space=bridged if bridged.size else None,
            spans=spans,
            loudness=_loudness(z),
        )
        thumbs = [(float(t), z[f"thumb{i}"]) for i, t in enumerate(z["thumb_times"])]
        return evidence, float(z["fps"][0]), thumbs


def unpack_for_relevance(blob: bytes, info: VideoInfo) -> Evidence:
    """What the calibrated relevance and search read of ``pack``'s bytes: sample times, bridged frame
    vectors, spans and the sound's levels (the frame features are left out: an empty (n, 0) array,
    nothing decoded or converted)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        spans = tuple(
            TextSpan(float(a), float(b), str(t), str(s))
            for a, b, t, s in json.loads(z["spans"].tobytes().decode())
        )
        times = z["times"]
        bridged = z["bridged"].astype(np.float32)
        loudness = _loudness(z)
    return Evidence(
        info=info,
        frames=Features(times=times, vectors=np.zeros((len(times), 0), np.float32)),
        frames_in_text_space=bridged if bridged.size else None,
        spans=spans,
        loudness=loudness,
    )
