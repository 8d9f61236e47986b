"""Whole-frame attributes that queries often name and ImageNet labels miss, measured from the pixels.

``frame_attributes(images) -> (n, len(ATTRIBUTES))`` degrees in [0, 1], each a logistic of one cheap
statistic of the frame (computed on a copy box-averaged by a whole factor to 64-127 px high):

- black and white: mean HSV saturation below ``BW_SAT`` (grey frames have none);
- dark / night: mean luma below ``DARK_LUMA``;
- bright daylight: mean luma above ``BRIGHT_LUMA`` and some colour.

``vidgist.backbones.offline.attribute_embeddings()`` embeds each attribute's phrases with the text
model (mean of the phrases, then L2-normalised), so a frame's attributes enter the text space the same
way as its labels do in the offline bridge: ``sum_a degree_a * e(a)``. Cartoon-vs-camera, text-heavy
screens and indoor/outdoor were looked at with flatness and edge-density statistics of the source clips
and left out: those statistics did not separate the cartoon clip from camera footage (flat-pixel share
0.53 vs 0.52 for the bicycle clip), and text on screen has its own channel (OCR).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vidgist.media.image import as_rgb8

#: (name, phrases the text model embeds for it)
ATTRIBUTES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("black and white", ("a black and white film", "an old monochrome movie", "a black and white photo")),
    ("dark", ("a dark scene at night", "night time", "a dark image in the dark")),
    ("bright daylight", ("a bright sunny day", "daylight outdoors", "a bright colourful scene")),
)
BW_SAT = 0.06  # mean saturation (0-1) under which a frame is black and white
DARK_LUMA = 0.22  # mean luma (0-1) under which a frame is dark
BRIGHT_LUMA = 0.55  # mean luma above which a (coloured) frame is bright daylight
_SOFT = 0.03  # logistic width of the three rules above


def _sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(x, dtype=np.float64), -50, 50)))


def frame_attributes(images: Sequence[np.ndarray]) -> np.ndarray:
    """(n, len(ATTRIBUTES)) degrees in [0, 1] of images (see module docstring); each image is read as
    :func:`vidgist.media.image.as_rgb8` reads it (greyscale repeated, alpha dropped, floats clipped)."""
    from PIL import Image

    out = np.zeros((len(images), len(ATTRIBUTES)))
    for i, img in enumerate(images):
        im = Image.fromarray(as_rgb8(img, f"image {i}"))
        step = max(1, im.height // 64)  # box-average to about 64 px high: the means are all that is read
        small = im.reduce(step) if step > 1 else im
        hsv = np.asarray(small.convert("HSV"), dtype=np.float64) / 255.0
        luma = np.asarray(small.convert("L"), dtype=np.float64).mean() / 255.0
        sat = hsv[..., 1].mean()
        bw = _sigmoid((BW_SAT - sat) / _SOFT)
        out[i] = (bw, _sigmoid((DARK_LUMA - luma) / _SOFT), _sigmoid((luma - BRIGHT_LUMA) / _SOFT) * (1 - bw))
    return out
