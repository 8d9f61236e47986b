"""Checking and normalising in-memory images (numpy only)."""

from __future__ import annotations

import numpy as np

from vidgist.errors import InputError

__all__ = ["as_rgb8"]


def as_rgb8(img: np.ndarray, what: str) -> np.ndarray:
    """``img`` as a contiguous (H, W, 3) uint8 array: greyscale is repeated to three channels, an alpha
    channel dropped, other dtypes clipped to [0, 255]. Any other shape -> :class:`InputError` naming ``what``
    (e.g. ``"image 3"``)."""
    a = np.asarray(img)
    if a.ndim == 2:
        a = np.repeat(a[:, :, None], 3, axis=2)
    if a.ndim != 3 or a.shape[2] not in (3, 4) or min(a.shape[:2]) < 1:
        raise InputError(f"{what}: expected an RGB array (H, W, 3), got shape {a.shape}")
    if a.dtype != np.uint8:
        a = np.clip(a, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(a[:, :, :3])
