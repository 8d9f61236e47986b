"""Typed hand-offs between pipeline stages. Times are seconds (float) everywhere inside."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np


class Channel(StrEnum):
    """The three kinds of evidence vidgist reads about a moment: what is said, shown and seen.

    The value is the name kept in ``TextSpan.source`` and in every file that stores spans (evidence and
    feature caches), so it never changes; ``word`` is the name the video library stores and search hits
    show, ``phrase`` the wording on the page and in the CLI, ``summary_key`` the summary.json list that
    holds the channel's spans (frame labels are not listed there).
    """

    SPEECH = "speech"  #: the transcript
    SCREEN = "ocr"  #: on-screen text
    FRAMES = "label"  #: the frames, through their labels (and, in search, their vectors)

    @property
    def word(self) -> str:
        """``said``, ``shown`` or ``seen``."""
        return {"speech": "said", "ocr": "shown", "label": "seen"}[self.value]

    @property
    def phrase(self) -> str:
        """``said``, ``on screen`` or ``seen``."""
        return {"speech": "said", "ocr": "on screen", "label": "seen"}[self.value]

    @property
    def summary_key(self) -> str | None:
        """``transcript``, ``onscreen_text`` or None."""
        return {"speech": "transcript", "ocr": "onscreen_text", "label": None}[self.value]


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
    source: str = Channel.SPEECH  # a Channel value: "speech", "ocr" or "label"
    size: float = 0.0  # ocr: text line height as a share of the frame height (0: unknown)


@dataclass(frozen=True)
class Evidence:
    """Everything the scorer may use about one video."""

    info: VideoInfo
    frames: Features  # visual features (backbone frame space)
    frames_in_text_space: np.ndarray | None  # (n, d_text) frame vectors in the text space (bridge), if any
    spans: tuple[TextSpan, ...] = field(default_factory=tuple)
    #: the sound's level (dBFS) per ``vidgist.media.loudness.FRAME`` seconds, None when not analysed
    loudness: np.ndarray | None = None


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
