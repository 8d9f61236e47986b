"""Training samples for CLIP-It and the baselines: frames + sentences + labels, and batching.

A :class:`Sample` pairs one video's sampled-frame features with the features of N sentences
(the query for query-focused data, the video's generated description for generic data), binary
key-frame labels (for the weighted BCE of CLIP-It), continuous targets in [0, 1] (for regression
baselines) and the eccv16 evaluation record (:class:`vidgist.data.h5.H5Video`).

Key-frame labels from ``gtscore`` follow the rule ``label_rule``:

- ``"keyshot"`` (default, DSNet's choice for anchor-free training): the key-shot summary of the
  upsampled ``gtscore`` (knapsack over the video's shots, 15% budget) sampled at ``picks``;
- ``"threshold:X"``: ``gtscore >= X`` after min-max normalisation;
- ``"top:F"``: the top fraction F of sampled frames by ``gtscore``.

Text features are read from an h5 file holding, per video key, a group with a ``text_features``
dataset (N, d_t) (what ``vidgist features extract`` writes, from the generated descriptions).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidgist.data.h5 import H5Video
from vidgist.errors import DataError

__all__ = ["Sample", "Batch", "make_labels", "normalise", "build_samples", "read_text_features", "collate"]


@dataclass(frozen=True, eq=False)
class Sample:
    key: str
    frames: np.ndarray  # (n, d_v) float32
    texts: np.ndarray  # (N, d_t) float32
    labels: np.ndarray  # (n,) float32 0/1
    targets: np.ndarray  # (n,) float32 in [0, 1]
    video: H5Video | None  # evaluation record (picks, shots, user summaries)


@dataclass
class Batch:
    keys: list[str]
    frames: object  # torch tensors; typed loosely so this module imports without torch
    frame_mask: object
    texts: object
    text_mask: object
    labels: object
    targets: object


def normalise(x: np.ndarray) -> np.ndarray:
    """Min-max normalise to [0, 1] (a constant vector gives zeros)."""
    x = np.asarray(x, dtype=np.float64)
    lo, hi = float(x.min(initial=0.0)), float(x.max(initial=0.0))
    return np.zeros_like(x) if hi - lo < 1e-12 else (x - lo) / (hi - lo)


def make_labels(video: H5Video, rule: str = "keyshot", budget: float = 0.15) -> np.ndarray:
    """Binary key-frame labels at the sampled frames from ``gtscore`` (see module doc)."""
    if video.gtscore is None:
        raise DataError(f"video '{video.name}' has no gtscore; supervised training needs it")
    g = normalise(video.gtscore)
    if rule == "keyshot":
        from vidgist.eval.summary import keyshot_summary, upsample_scores

        summ = keyshot_summary(
            upsample_scores(g, video.picks, video.n_frames),
            video.change_points,
            video.n_frame_per_seg,
            budget,
        )
        lab = np.asarray(summ)[np.clip(video.picks, 0, video.n_frames - 1)]
        return lab.astype(np.float32)
    if rule.startswith("threshold:"):
        return (g >= float(rule.split(":", 1)[1])).astype(np.float32)
    if rule.startswith("top:"):
        k = max(1, int(np.ceil(float(rule.split(":", 1)[1]) * g.size)))
        lab = np.zeros(g.size, dtype=np.float32)
        lab[np.argsort(-g, kind="stable")[:k]] = 1.0
        return lab
    raise DataError(f"unknown label_rule {rule!r}; use keyshot, threshold:X or top:F")


def read_text_features(
    path: str | os.PathLike[str],
    keys: Sequence[str] | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, np.ndarray]:
    """``{video key: (N, d_t) float32}`` from an h5 file with a ``<name>/text_features`` dataset per video.

    A key missing from the file is looked up under its ``aliases`` (e.g. the video's file stem, which is
    how ``vidgist features extract`` names groups, when the eccv16 file calls it ``video_3``).
    """
    import h5py

    p = Path(path)
    if not p.is_file():
        raise DataError(
            f"{p}: text-feature file not found; run `vidgist features extract` or fix text_features"
        )
    out: dict[str, np.ndarray] = {}
    try:
        with h5py.File(p, "r") as f:
            for k in keys if keys is not None else list(f.keys()):
                names = [k, *((aliases or {}).get(k, ()))]
                hit = next((n for n in names if n in f and "text_features" in f[n]), None)
                if hit is None:
                    raise DataError(
                        f"{p}: no text_features for video '{k}' (looked for {', '.join(names)}); "
                        "extract them first"
                    )
                t = np.asarray(f[hit]["text_features"], dtype=np.float32)
                if t.ndim != 2 or t.shape[0] == 0:
                    raise DataError(f"{p}: video '{hit}' text_features must be (N>=1, d), got {t.shape}")
                out[k] = t
    except OSError as exc:
        raise DataError(f"{p}: not a readable h5 file ({exc})") from None
    return out


def build_samples(
    videos: Mapping[str, H5Video],
    texts: Mapping[str, np.ndarray],
    label_rule: str = "keyshot",
    need_labels: bool = True,
) -> list[Sample]:
    """One Sample per video key (order of ``videos``). Missing text -> DataError naming the key."""
    out: list[Sample] = []
    for key, v in videos.items():
        if key not in texts:
            raise DataError(f"video '{key}' has no text features; add it to the text_features file")
        t = np.asarray(texts[key], dtype=np.float32)
        if need_labels and v.gtscore is not None:
            lab, tgt = make_labels(v, label_rule), normalise(v.gtscore).astype(np.float32)
        else:
            lab = tgt = np.zeros(v.n_steps, dtype=np.float32)
        out.append(Sample(key, np.asarray(v.features, dtype=np.float32), t, lab, tgt, v))
    return out


def collate(samples: Sequence[Sample]) -> Batch:
    """Pad a list of samples into tensors with True=valid masks."""
    import torch

    from vidgist.models.blocks import pad_sequences

    frames, fm = pad_sequences([torch.from_numpy(s.frames) for s in samples])
    texts, tm = pad_sequences([torch.from_numpy(s.texts) for s in samples])
    labels, _ = pad_sequences([torch.from_numpy(s.labels)[:, None] for s in samples])
    targets, _ = pad_sequences([torch.from_numpy(s.targets)[:, None] for s in samples])
    return Batch([s.key for s in samples], frames, fm, texts, tm, labels[..., 0], targets[..., 0])
