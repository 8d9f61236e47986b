"""Evenly spaced picks from a sequence (keyframes, feature rows)."""

from __future__ import annotations

import numpy as np


def even_indices(n: int, k: int) -> np.ndarray:
    """``k`` indices into ``n`` items (k < n), evenly spaced, first and last included."""
    return np.linspace(0, n - 1, k).round().astype(int)
