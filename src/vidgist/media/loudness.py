"""The loudness of a sound track over time, and its quiet stretches: where a cut cuts no speech.

``frame_levels(audio, sr) -> (n,) float32``: the RMS level (dBFS) of each ``FRAME``-second frame of
``audio`` (mono float in [-1, 1]); frame ``i`` covers ``[i * FRAME, (i + 1) * FRAME)``. Levels are
rounded to float16, as the video library keeps them, so evidence read back from it places cuts alike.

``quiet_stretches(levels, params) -> tuple[(start, end), ...]``: seconds, sorted and disjoint: runs of at
least ``min_seconds`` of frames at least ``below_db`` dB under the track's loud level (the
``loud_percentile`` percentile of the frame levels). Empty for silence or for sound that never drops that
far (speech over a music bed, a noisy room): there a cut cannot avoid sound, and no stretch is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FRAME = 0.01


@dataclass(frozen=True)
class QuietParams:
    """Constants of ``quiet_stretches`` (module docstring)."""

    below_db: float = 30.0
    loud_percentile: float = 95.0
    min_seconds: float = 0.15
    floor_db: float = -70.0  # a track whose loud level is below this is silence: no stretch is claimed


def frame_levels(audio: np.ndarray, sr: int) -> np.ndarray:
    """RMS level (dBFS) of each whole ``FRAME``-second frame of ``audio``."""
    hop = max(1, int(round(FRAME * sr)))
    n = len(audio) // hop
    x = np.asarray(audio[: n * hop], dtype=np.float32).reshape(n, hop)
    power = np.einsum("ij,ij->i", x, x, dtype=np.float64) / hop
    return (10.0 * np.log10(power + 1e-12)).astype(np.float16).astype(np.float32)


def quiet_stretches(
    levels: np.ndarray, params: QuietParams = QuietParams()
) -> tuple[tuple[float, float], ...]:
    """The quiet stretches of the track whose ``frame_levels`` are ``levels`` (module docstring)."""
    if levels.size == 0:
        return ()
    loud = float(np.percentile(levels, params.loud_percentile))
    if loud < params.floor_db:
        return ()
    quiet = np.concatenate([[False], levels < loud - params.below_db, [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    return tuple(
        (round(float(a * FRAME), 3), round(float(b * FRAME), 3))
        for a, b in zip(edges[::2], edges[1::2], strict=True)
        if (b - a) * FRAME >= params.min_seconds - 1e-9
    )
