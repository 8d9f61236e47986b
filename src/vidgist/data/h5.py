"""Read and write eccv16-style h5 video summarization datasets (TVSum, SumMe, OVP, YouTube).

The convention (Zhang et al., ECCV 2016 "Video Summarization with LSTM", kept by DSNet, VASNet,
PGL-SUM, CA-SUM ...) stores one group per video (``video_1`` ... ``video_N``) holding:

==================  ===================  ==================================================
key                 shape / type         meaning
==================  ===================  ==================================================
features            (n_steps, d) float   features of the sampled frames (e.g. GoogLeNet pool5)
picks               (n_steps,) int       frame index (0-based, in the full video) of each step
n_frames            scalar int           number of frames of the full video
change_points       (n_segs, 2) int      [first, last] frame of each shot (inclusive)
n_frame_per_seg     (n_segs,) int        last - first + 1 of each shot
user_summary        (n_users, n_frames)  0/1 per frame: each annotator's key-shot summary
gtscore             (n_steps,) float     mean annotator importance at each step
user_scores         (n_users, n_frames)  optional: raw per-frame importance of each annotator
video_name          string               optional: original video name / id
n_steps             scalar int           optional: = len(picks)
==================  ===================  ==================================================

``user_summary`` may be absent at read time (a features-only file); evaluation needs it:
call :func:`require_user_summary`. Other datasets (``gtsummary``, ``fps`` ...) are kept in
``H5Video.extras`` so a read/write round trip loses nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.errors import DataError
from vidgist.util.atomic import atomic_path

REQUIRED = ("features", "picks", "n_frames", "change_points", "n_frame_per_seg")
KNOWN = REQUIRED + ("user_summary", "gtscore", "user_scores", "video_name", "n_steps")


@dataclass(frozen=True, eq=False)
class H5Video:
    """One video of an eccv16-style h5 file (arrays as described in the module docstring)."""

    name: str  # the group key, e.g. "video_1"
    features: np.ndarray  # (n_steps, d) float32
    picks: np.ndarray  # (n_steps,) int64
    n_frames: int
    change_points: np.ndarray  # (n_segs, 2) int64, inclusive [first, last]
    n_frame_per_seg: np.ndarray  # (n_segs,) int64
    user_summary: np.ndarray | None = None  # (n_users, n_frames) 0/1
    gtscore: np.ndarray | None = None  # (n_steps,) float32
    user_scores: np.ndarray | None = None  # (n_users, n_frames) float
    video_name: str | None = None
    extras: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_steps(self) -> int:
        """Number of sampled frames (= len(picks))."""
        return int(self.picks.shape[0])


def _where(path: str | os.PathLike[str], key: str) -> str:
    return f"{path}: video '{key}'"


def validate_video(video: H5Video, path: str | os.PathLike[str] = "<memory>", strict: bool = True) -> None:
    """Check shapes and cross-field consistency; raise DataError naming file, video key and field.

    ``strict=False`` tolerates the per-frame quirks some third-party files carry (``user_summary`` /
    ``user_scores`` wider or narrower than ``n_frames``, ``n_frame_per_seg`` values that disagree with
    ``change_points``, shot ends past the last frame); shapes and step lengths are always checked.
    """
    w = _where(path, video.name)
    _check_steps(video, w)
    _check_shots(video, w, strict)
    _check_annotations(video, w, strict)
    for fname in ("features", "gtscore", "user_scores"):
        arr = getattr(video, fname)
        if arr is not None and arr.size and not np.all(np.isfinite(arr)):
            raise DataError(f"{w}: '{fname}' contains NaN or infinite values")


def _check_steps(video: H5Video, w: str) -> None:
    """``features`` and ``picks``: one row per sampled frame, frames increasing inside the video."""
    if video.features.ndim != 2:
        raise DataError(f"{w}: 'features' must be 2-D (n_steps, d), got shape {video.features.shape}")
    n_steps = video.features.shape[0]
    if video.picks.ndim != 1 or video.picks.shape[0] != n_steps:
        raise DataError(
            f"{w}: 'picks' has shape {video.picks.shape} but 'features' has {n_steps} steps; "
            "they must have the same length"
        )
    if video.n_frames <= 0:
        raise DataError(f"{w}: 'n_frames' must be positive, got {video.n_frames}")
    if n_steps and (video.picks.min() < 0 or video.picks.max() >= video.n_frames):
        raise DataError(
            f"{w}: 'picks' must lie in [0, n_frames={video.n_frames}), got max {video.picks.max()}"
        )
    if n_steps > 1 and np.any(np.diff(video.picks) <= 0):
        raise DataError(f"{w}: 'picks' must be strictly increasing")


def _check_shots(video: H5Video, w: str, strict: bool) -> None:
    """``change_points`` and ``n_frame_per_seg`` describe the same shots."""
    cps = video.change_points
    if cps.ndim != 2 or cps.shape[1] != 2 or cps.shape[0] == 0:
        raise DataError(f"{w}: 'change_points' must have shape (n_segs, 2), got {cps.shape}")
    if cps.min() < 0 or (strict and cps.max() >= video.n_frames) or np.any(cps[:, 1] < cps[:, 0]):
        raise DataError(
            f"{w}: 'change_points' must be [first, last] frame pairs within [0, n_frames={video.n_frames})"
        )
    nfps = video.n_frame_per_seg
    if nfps.ndim != 1 or nfps.shape[0] != cps.shape[0]:
        raise DataError(
            f"{w}: 'n_frame_per_seg' has shape {nfps.shape} but 'change_points' has {cps.shape[0]} shots"
        )
    if strict and not np.array_equal(nfps, cps[:, 1] - cps[:, 0] + 1):
        bad = int(np.flatnonzero(nfps != cps[:, 1] - cps[:, 0] + 1)[0])
        raise DataError(
            f"{w}: 'n_frame_per_seg'[{bad}]={nfps[bad]} disagrees with "
            f"'change_points'[{bad}]={cps[bad].tolist()}"
        )


def _check_annotations(video: H5Video, w: str, strict: bool) -> None:
    """``user_summary``, ``gtscore`` and ``user_scores`` have the shapes the protocol expects."""
    n_steps = video.features.shape[0]
    us = video.user_summary
    if us is not None and (us.ndim != 2 or (strict and us.shape[1] != video.n_frames)):
        raise DataError(
            f"{w}: 'user_summary' has shape {us.shape}, expected (n_users, n_frames={video.n_frames})"
        )
    if video.gtscore is not None and (video.gtscore.ndim != 1 or video.gtscore.shape[0] != n_steps):
        raise DataError(f"{w}: 'gtscore' has shape {video.gtscore.shape}, expected ({n_steps},) like 'picks'")
    usc = video.user_scores
    if usc is not None and (usc.ndim != 2 or (strict and usc.shape[1] not in (video.n_frames, n_steps))):
        raise DataError(
            f"{w}: 'user_scores' has shape {usc.shape}, expected (n_users, n_frames={video.n_frames})"
        )


def require_user_summary(video: H5Video, path: str | os.PathLike[str] = "<memory>") -> np.ndarray:
    """Return ``video.user_summary`` or raise DataError: evaluation needs the annotators' summaries."""
    if video.user_summary is None:
        raise DataError(
            f"{_where(path, video.name)}: no 'user_summary'; F-score evaluation needs the annotators' "
            "key-shot summaries (use an h5 with ground truth, e.g. built by `vidgist datasets make-h5`)"
        )
    return video.user_summary


def _scalar_int(ds: Any) -> int:
    return int(np.asarray(ds[()]).reshape(-1)[0])


def _string(ds: Any) -> str:
    v = ds[()]
    if isinstance(v, np.ndarray):
        v = v.reshape(-1)[0] if v.size else b""
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    return str(v)


def read_eccv16(
    path: str | os.PathLike[str], keys: Iterable[str] | None = None, strict: bool = True
) -> dict[str, H5Video]:
    """Read (and validate) every video group of an eccv16-style h5 file, in the file's key order.

    ``keys`` restricts reading to those groups; ``strict`` as in :func:`validate_video`.
    Raises DataError naming the file and video key when the
    file is missing or not h5, a required field is missing, or lengths disagree.
    """
    import h5py

    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: h5 file not found; pass the path of an eccv16-style .h5 dataset")
    try:
        f = h5py.File(p, "r")
    except OSError:
        raise DataError(f"{p}: not a readable HDF5 file; pass an eccv16-style .h5 dataset") from None
    out: dict[str, H5Video] = {}
    with f:
        names = list(f.keys()) if keys is None else list(keys)
        for key in names:
            if key not in f:
                raise DataError(f"{p}: no video '{key}' in the file (it has {len(f.keys())} videos)")
            g = f[key]
            if not isinstance(g, h5py.Group):
                raise DataError(f"{_where(p, key)}: expected a group of datasets, found a dataset")
            for req in REQUIRED:
                if req not in g:
                    raise DataError(f"{_where(p, key)}: missing required field '{req}'")
            try:
                video = H5Video(
                    name=key,
                    features=np.asarray(g["features"][()], dtype=np.float32),
                    picks=np.asarray(g["picks"][()]).astype(np.int64).reshape(-1),
                    n_frames=_scalar_int(g["n_frames"]),
                    change_points=np.asarray(g["change_points"][()]).astype(np.int64),
                    n_frame_per_seg=np.asarray(g["n_frame_per_seg"][()]).astype(np.int64).reshape(-1),
                    user_summary=(
                        np.asarray(g["user_summary"][()]).astype(np.float32) if "user_summary" in g else None
                    ),
                    gtscore=(
                        np.asarray(g["gtscore"][()], dtype=np.float32).reshape(-1) if "gtscore" in g else None
                    ),
                    user_scores=(
                        np.asarray(g["user_scores"][()], dtype=np.float32) if "user_scores" in g else None
                    ),
                    video_name=_string(g["video_name"]) if "video_name" in g else None,
                    extras={
                        k: np.asarray(g[k][()])
                        for k in g.keys()
                        if k not in KNOWN and isinstance(g[k], h5py.Dataset)
                    },
                )
            except (TypeError, ValueError) as exc:
                raise DataError(f"{_where(p, key)}: unreadable field ({exc})") from None
            validate_video(video, p, strict)
            if "n_steps" in g and _scalar_int(g["n_steps"]) != video.n_steps:
                raise DataError(
                    f"{_where(p, key)}: 'n_steps'={_scalar_int(g['n_steps'])} "
                    f"but 'picks' has {video.n_steps} entries"
                )
            out[key] = video
    return out


def write_eccv16(path: str | os.PathLike[str], videos: Mapping[str, H5Video] | Iterable[H5Video]) -> Path:
    """Validate and atomically write videos to an eccv16-style h5 file (one group per video name)."""
    import h5py

    items = list(videos.values()) if isinstance(videos, Mapping) else list(videos)
    seen: set[str] = set()
    for v in items:
        if v.name in seen:
            raise DataError(f"{path}: duplicate video key '{v.name}'")
        seen.add(v.name)
        validate_video(v, path)
    target = Path(path)
    with atomic_path(target) as tmp:
        with h5py.File(tmp, "w") as f:
            for v in items:
                g = f.create_group(v.name)
                g.create_dataset("features", data=np.asarray(v.features, dtype=np.float32))
                g.create_dataset("picks", data=np.asarray(v.picks, dtype=np.int64))
                g.create_dataset("n_frames", data=int(v.n_frames))
                g.create_dataset("n_steps", data=v.n_steps)
                g.create_dataset("change_points", data=np.asarray(v.change_points, dtype=np.int64))
                g.create_dataset("n_frame_per_seg", data=np.asarray(v.n_frame_per_seg, dtype=np.int64))
                if v.user_summary is not None:
                    g.create_dataset("user_summary", data=np.asarray(v.user_summary, dtype=np.float32))
                if v.gtscore is not None:
                    g.create_dataset("gtscore", data=np.asarray(v.gtscore, dtype=np.float32))
                if v.user_scores is not None:
                    g.create_dataset("user_scores", data=np.asarray(v.user_scores, dtype=np.float32))
                if v.video_name is not None:
                    g.create_dataset("video_name", data=v.video_name.encode("utf-8"))
                for k, arr in v.extras.items():
                    if k not in KNOWN:
                        g.create_dataset(k, data=arr)
    return target
