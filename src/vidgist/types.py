"""Typed hand-offs between pipeline stages. Times are seconds (float) everywhere inside."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video file (rotation already accounted for in width/height)."""

    path: Path
    duration: float  # seconds
    fps: float  # average frame rate of the video stream
    n_frames: int  # frames in the stream (counted or estimated from duration * fps)
    width: int  # display width after rotation
    height: int  # display height after rotation
    rotation: int  # degrees clockwise applied for display (0, 90, 180, 270)
    has_audio: bool


@dataclass(frozen=True)
class Features:
    """Per-sampled-frame features with their presentation times."""

    times: np.ndarray  # (n,) float64 seconds, increasing
    vectors: np.ndarray  # (n, d) float32


@dataclass(frozen=True)
class TextSpan:
    """A piece of text tied to a time window: a transcript segment, on-screen text, a frame label."""

    start: float
    end: float
    text: str
    source: str = "speech"  # "speech" | "ocr" | "label" | "caption"
    size: float = 0.0  # ocr: text line height as a share of the frame height (0: unknown)


@dataclass(frozen=True)
class Evidence:
    """Everything the scorer may use about one video."""

    info: VideoInfo
    frames: Features  # visual features (backbone frame space)
    frames_in_text_space: np.ndarray | None  # (n, d_text) frame vectors in the text space (bridge), if any
    spans: tuple[TextSpan, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Timeline:
    """A relevance score in [0, 1] for every sampled moment."""

    times: np.ndarray  # (n,) seconds
    scores: np.ndarray  # (n,) float


@dataclass(frozen=True)
class Segment:
    """A selected key shot."""

    start: float
    end: float
    score: float
