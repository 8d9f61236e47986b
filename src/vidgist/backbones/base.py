"""The Backbone protocol: one interface for CLIP and for the offline model set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Backbone(Protocol):
    """Embeds frames and texts.

    ``encode_frames`` gives the visual features used for shot segmentation and trained scorers;
    ``encode_texts`` gives text features; ``frames_to_text_space`` is the bridge that puts frames
    in the text space so a query can be compared with a frame by cosine similarity. For a joint
    model (CLIP) the bridge is the identity on ``encode_frames``; for the offline set it embeds
    each frame's ImageNet labels with the text model. All outputs are L2-normalised float32.
    """

    name: str  # e.g. "offline" or "clip:openai/clip-vit-base-patch32"
    frame_dim: int
    text_dim: int
    joint: bool  # True when frames and texts share one space

    def encode_frames(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """(n, frame_dim) features of RGB uint8 images (H, W, 3)."""
        ...

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """(m, text_dim) features of texts."""
        ...

    def frames_to_text_space(self, images: Sequence[np.ndarray], frame_features: np.ndarray) -> np.ndarray:
        """(n, text_dim) frame vectors comparable with ``encode_texts`` output."""
        ...
