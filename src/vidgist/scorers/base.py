"""The FrameScorer protocol: turns evidence and queries into a per-moment score."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from vidgist.backbones.base import Backbone
from vidgist.types import Evidence, Timeline


class FrameScorer(Protocol):
    """Scores every sampled moment of a video for the given queries (None: generic summary)."""

    name: str  # "zero-shot" or "checkpoint:<path>"

    def score(self, evidence: Evidence, queries: Sequence[str] | None, backbone: Backbone) -> Timeline:
        """Return scores in [0, 1] aligned with ``evidence.frames.times``. Deterministic."""
        ...
