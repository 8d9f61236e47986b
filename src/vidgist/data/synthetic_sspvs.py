"""Synthetic generic-summarization world with video-text pairs, for SSPVS (numpy only).

Each video is a sequence of shots; every shot shows one latent *concept* with an English name
(``CONCEPTS``). Frame feature = ``P c_k + o_v + noise``: ``c_k`` a random latent vector of dimension
``latent`` (smaller than the number of concepts, so no linear read-out of the features gives every
concept's importance), ``P`` a random (latent x d) projection, ``o_v`` a per-video offset (camera,
lighting) and i.i.d. noise. Every concept has a fixed *importance* in [0, 1] (a few are highlights);
``gtscore`` = importance of the frame's concept plus small noise, min-max normalised; ``n_users``
annotators each pick a 15% key-shot summary of their own noisy copy of it (``user_summary``) and their
noisy scores are ``user_scores`` (for Kendall tau / Spearman rho).

Text per video (what vidgist extracts from a real video): ``title`` names the two concepts on screen
longest, ``transcript`` narrates the shots in order ("first a dog, then a beach, ..."), ``ocr`` is empty.
The text never mentions importance: pretraining can only learn which frames show which concept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vidgist.data.h5 import H5Video
from vidgist.data.synthetic_summ import (  # the CLIP-It world's sizes, shot layout and video assembly
    ConceptWorld,
    SyntheticSpec,
    _shots,
    draw_between,
    draw_videos,
    shot_video,
)

__all__ = ["CONCEPTS", "SSPVSWorldSpec", "SSPVSWorld", "make_world", "make_videos"]

CONCEPTS = (
    "dog", "beach", "car", "guitar", "mountain", "kitchen", "soccer", "rain",
    "bridge", "horse", "piano", "market", "snow", "boat", "fire", "garden",
)  # fmt: skip


@dataclass(frozen=True)
class SSPVSWorldSpec(SyntheticSpec):
    """The CLIP-It world's sizes (``SyntheticSpec``; its text fields are unused here) with this world's
    defaults, plus the per-video offset (std ``offset_scale``, a camera or lighting style added to all its
    frames), the number of highlight concepts (``n_highlights``, importance 0.8-1.0; the others 0-0.4) and
    the annotators' noise on the importance scores (``user_noise``)."""

    n_concepts: int = 16
    latent: int = 8
    frame_dim: int = 64
    frames: tuple[int, int] = (80, 160)
    shot: tuple[int, int] = (6, 16)
    frame_noise: float = 0.6
    n_users: int = 5
    offset_scale: float = 0.6
    n_highlights: int = 4
    user_noise: float = 0.15


@dataclass(frozen=True)
class SSPVSWorld(ConceptWorld):
    """The concepts, their frame projection and each concept's importance in [0, 1] (``spec``: an
    ``SSPVSWorldSpec``)."""

    importance: np.ndarray  # (K,)


def make_world(spec: SSPVSWorldSpec | None = None, seed: int = 0) -> SSPVSWorld:
    """Concepts, projection and importances, deterministic in ``seed``."""
    s = spec or SSPVSWorldSpec()
    if s.n_concepts > len(CONCEPTS):
        raise ValueError(f"at most {len(CONCEPTS)} concepts")
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((s.n_concepts, s.latent))
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    p = rng.standard_normal((s.latent, s.frame_dim)) / np.sqrt(s.latent) * 2.0
    imp = rng.uniform(0.0, 0.4, s.n_concepts)
    imp[rng.choice(s.n_concepts, s.n_highlights, replace=False)] = rng.uniform(0.8, 1.0, s.n_highlights)
    return SSPVSWorld(s, c, p, imp)


def _user_summary(score: np.ndarray, shots: list[tuple[int, int]], budget: float = 0.15) -> np.ndarray:
    """Greedy-by-density key shots under the budget (0/1 per frame); always at least one shot."""
    n = len(score)
    dens = [float(score[a : b + 1].mean()) for a, b in shots]
    sel = np.zeros(n, dtype=np.float32)
    used = 0
    for j in np.argsort(dens)[::-1]:
        a, b = shots[int(j)]
        if used == 0 or used + (b - a + 1) <= budget * n:
            sel[a : b + 1] = 1.0
            used += b - a + 1
    return sel


def make_videos(
    world: SSPVSWorld, n_videos: int, seed: int, prefix: str = "video"
) -> tuple[list[H5Video], dict[str, dict[str, str]]]:
    """``n_videos`` videos with annotations, and their text fields ``{name: {title, transcript, ocr}}``."""
    return draw_videos(n_videos, seed, prefix, lambda rng, name: _video(world, rng, name))


def _video(world: SSPVSWorld, rng: np.random.Generator, name: str) -> tuple[H5Video, dict[str, str]]:
    """One video of :func:`make_videos` and its text fields."""
    s = world.spec
    assert isinstance(s, SSPVSWorldSpec)
    n = draw_between(rng, s.frames)
    shots = _shots(rng, n, s.shot)
    cs = rng.choice(s.n_concepts, size=min(s.concepts_per_video, s.n_concepts), replace=False)
    shot_c = np.asarray([int(cs[int(rng.integers(0, len(cs)))]) for _ in shots])
    frame_c = np.concatenate([np.full(b - a + 1, shot_c[j]) for j, (a, b) in enumerate(shots)])
    offset = s.offset_scale * rng.standard_normal(s.frame_dim)
    feats = world.concepts[frame_c] @ world.p_frame + offset
    feats = feats + s.frame_noise * rng.standard_normal((n, s.frame_dim))
    base = world.importance[frame_c] + 0.05 * rng.standard_normal(n)
    gt = (base - base.min()) / max(float(np.ptp(base)), 1e-9)
    user_scores = np.stack([base + s.user_noise * rng.standard_normal(n) for _ in range(s.n_users)])
    users = np.stack([_user_summary(u, shots) for u in user_scores])
    video = shot_video(name, feats, shots, users, gt, user_scores, name)
    counts = np.bincount(frame_c, minlength=s.n_concepts)
    top = [CONCEPTS[int(k)] for k in np.argsort(-counts, kind="stable")[:2]]
    seq = [CONCEPTS[int(k)] for j, k in enumerate(shot_c) if j == 0 or k != shot_c[j - 1]]
    return video, {
        "title": f"{top[0]} and {top[1]}",
        "transcript": "first a " + ", then a ".join(seq),
        "ocr": "",
    }
