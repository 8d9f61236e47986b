"""TVSum (Song et al., CVPR 2015) annotations: per-frame importance of 20 annotators per video.

``ydata-tvsum50-anno.tsv(.gz)``: one line per (video, annotator), tab-separated
``video_id, category, s_1,s_2,...,s_n_frames`` with integer scores 1..5; the 20 lines of a video are
consecutive. ``ydata-tvsum50-info.tsv``: header + ``category, video_id, title, url, length`` (official)
or ``category, video_id, title, n_frames, ...`` (a derived file that gives frame counts).

The eccv16 h5 keys ``video_1`` ... ``video_50`` follow the order of videos in these files
(see :func:`eccv16_keys`).
"""

from __future__ import annotations

import gzip
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vidgist.errors import DataError
from vidgist.util.knapsack import knapsack


@dataclass(frozen=True)
class TVSumInfo:
    """One row of the info tsv."""

    video_id: str
    category: str
    title: str
    n_frames: int | None  # None when the file gives only a duration (official info tsv)


def _open_text(path: Path):  # type: ignore[no-untyped-def]
    if not path.is_file():
        raise DataError(f"{path}: TVSum file not found")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def read_tvsum_annotations(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Read the annotation tsv(.gz) into ``video_id -> (n_users, n_frames)`` int16 scores, in file order.

    Raises DataError with file and line number on a malformed line or when the annotators of one video
    disagree on the number of frames.
    """
    p = Path(path)
    rows: dict[str, list[np.ndarray]] = {}
    first_line: dict[str, int] = {}
    try:
        with _open_text(p) as fh:
            for lineno, line in enumerate(fh, start=1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                parts = line.split("\t")
                if len(parts) != 3:
                    raise DataError(
                        f"{p}: line {lineno}: expected 3 tab-separated fields (video_id, category, scores), "
                        f"got {len(parts)}"
                    )
                vid, _cat, scores = parts
                try:
                    arr = np.array([int(s) for s in scores.split(",")], dtype=np.int16)
                except ValueError:
                    raise DataError(f"{p}: line {lineno}: scores must be comma-separated integers") from None
                if vid in rows and rows[vid][0].shape != arr.shape:
                    raise DataError(
                        f"{p}: line {lineno}: video '{vid}' has {arr.size} frame scores here but "
                        f"{rows[vid][0].size} on line {first_line[vid]}"
                    )
                rows.setdefault(vid, []).append(arr)
                first_line.setdefault(vid, lineno)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: cannot read TVSum annotations ({exc})") from None
    if not rows:
        raise DataError(f"{p}: no annotations found")
    return {vid: np.stack(r) for vid, r in rows.items()}


def read_tvsum_categories(path: str | os.PathLike[str]) -> dict[str, str]:
    """``video_id -> category`` from the annotation tsv(.gz)."""
    p = Path(path)
    out: dict[str, str] = {}
    with _open_text(p) as fh:
        for lineno, line in enumerate(fh, start=1):
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) < 2:
                if line.strip():
                    raise DataError(f"{p}: line {lineno}: expected video_id and category")
                continue
            out.setdefault(parts[0], parts[1])
    return out


def read_tvsum_info(path: str | os.PathLike[str]) -> list[TVSumInfo]:
    """Read the info tsv (official or derived, see module docstring), in file order."""
    p = Path(path)
    with _open_text(p) as fh:
        lines = [ln.rstrip("\r\n") for ln in fh]
    if not lines:
        raise DataError(f"{p}: empty TVSum info file")
    header = [h.strip().lower() for h in lines[0].split("\t")]
    for need in ("category", "video_id"):
        if need not in header:
            raise DataError(f"{p}: line 1: header lacks '{need}' column")
    ic, iv = header.index("category"), header.index("video_id")
    it = header.index("title") if "title" in header else None
    inf = header.index("n_frames") if "n_frames" in header else None
    out: list[TVSumInfo] = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < len(header):
            raise DataError(
                f"{p}: line {lineno}: expected {len(header)} tab-separated fields, got {len(parts)}"
            )
        n_frames: int | None = None
        if inf is not None:
            try:
                n_frames = int(parts[inf])
            except ValueError:
                raise DataError(f"{p}: line {lineno}: n_frames '{parts[inf]}' is not an integer") from None
        out.append(TVSumInfo(parts[iv], parts[ic], parts[it] if it is not None else "", n_frames))
    return out


def eccv16_keys(video_ids: Sequence[str]) -> dict[str, str]:
    """``video_i -> video_id``: the eccv16 h5 keys follow the TVSum file order (1-based)."""
    return {f"video_{i}": vid for i, vid in enumerate(video_ids, start=1)}


def keyshot_user_summary(
    frame_scores: np.ndarray, change_points: np.ndarray, budget: float = 0.15
) -> np.ndarray:
    """0/1 per-frame key-shot summary of one annotator (the eccv16 ``user_summary`` row construction).

    Shot value = mean frame score in the shot, weight = shot length in frames; 0/1 knapsack with
    capacity floor(budget * n_frames) (Song et al. 2015; Zhang et al. 2016).
    """
    scores = np.asarray(frame_scores, dtype=np.float64)
    n = scores.shape[0]
    cps = np.asarray(change_points, dtype=np.int64)
    values = [float(scores[a : b + 1].mean()) for a, b in cps]
    weights = (cps[:, 1] - cps[:, 0] + 1).tolist()
    chosen = knapsack(values, weights, int(math.floor(n * budget)))
    out = np.zeros(n, dtype=np.float32)
    for i in chosen:
        a, b = cps[i]
        out[a : b + 1] = 1.0
    return out


def eccv16_ground_truth(
    user_scores: np.ndarray, change_points: np.ndarray, picks: np.ndarray, budget: float = 0.15
) -> tuple[np.ndarray, np.ndarray]:
    """Build (gtscore, user_summary) from raw per-frame user scores (n_users, n_frames).

    gtscore: mean over users at the picked frames, min-max scaled to [0, 1] per video (all-equal -> 0);
    user_summary: :func:`keyshot_user_summary` of each user -> (n_users, n_frames) 0/1.
    """
    us = np.asarray(user_scores, dtype=np.float64)
    if us.ndim != 2:
        raise DataError(f"user scores must be (n_users, n_frames), got shape {us.shape}")
    cps = np.asarray(change_points, dtype=np.int64)
    if cps.size == 0 or cps.max() >= us.shape[1]:
        raise DataError(f"change points exceed the {us.shape[1]} annotated frames")
    mean = us.mean(axis=0)[np.asarray(picks, dtype=np.int64)]
    span = float(mean.max() - mean.min()) if mean.size else 0.0
    gtscore = ((mean - mean.min()) / span if span > 0 else np.zeros_like(mean)).astype(np.float32)
    user_summary = np.stack([keyshot_user_summary(row, cps, budget) for row in us])
    return gtscore, user_summary
