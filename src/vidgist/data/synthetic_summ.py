"""Synthetic query-focused summarization benchmark (numpy only).

Each video is a sequence of shots; every shot shows one latent *concept* ``c_k`` (a random unit
vector in R^latent). A frame's feature is ``P_v c_k + noise`` (``P_v``: random (d_v x latent)
projection); a query names one concept through a *different* random projection ``P_t``
(``P_t c_k + noise``, d_t-dimensional), so cosine similarity between frames and queries, even in
the dimensions they happen to share, carries no signal: a scorer has to learn the bridge.

Ground truth marks the frames of the queried concept: ``gtscore`` is 1 there and 0 elsewhere,
``user_summary`` holds ``n_users`` annotators who mark those frames (each drops a random edge frame
of each shot, so users differ slightly), and ``user_scores`` are the labels plus small annotator noise.
The queried concept covers ``target_fraction`` of the video (default ~15%, the usual budget).

Output is a list of :class:`vidgist.data.h5.H5Video` (picks = every frame, so n_steps = n_frames)
plus a dict of per-video text features, exactly what the CLIP-It trainer reads from files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from vidgist.data.h5 import H5Video

T = TypeVar("T")

__all__ = [
    "SyntheticSpec",
    "SyntheticWorld",
    "make_world",
    "make_videos",
    "make_coverage_videos",
    "draw_between",
    "draw_videos",
    "shared_dim_similarity",
    "shot_video",
    "write_text_features",
    "write_synthetic_dataset",
]


@dataclass(frozen=True)
class SyntheticSpec:
    """Sizes of the synthetic world and videos (the query-tied set: each video's query names one concept).

    ``n_concepts`` random points in a ``latent``-d space, projected to frames (``frame_dim``) and to texts
    (``text_dim``) by two unrelated random projections; a video shows ``concepts_per_video`` concepts (the
    first is its query's target, added shot by shot until it covers about ``target_fraction`` of the frames)
    over ``frames`` frames cut into shots of ``shot`` frames ((lo, hi) ranges, both inclusive), with
    Gaussian ``frame_noise``; its query is 1..``max_sentences`` sentences with latent noise ``text_noise``;
    ``n_users`` annotators give user summaries and scores.
    """

    n_concepts: int = 12
    latent: int = 16
    frame_dim: int = 32
    text_dim: int = 24
    concepts_per_video: int = 5
    frames: tuple[int, int] = (60, 120)  # (fewest, most) frames per video, both inclusive
    shot: tuple[int, int] = (4, 12)  # (shortest, longest) shot in frames, both inclusive
    target_fraction: float = 0.15
    frame_noise: float = 0.35
    text_noise: float = 0.1
    max_sentences: int = 3  # N varies in 1..max_sentences (paraphrases of the query)
    n_users: int = 3


@dataclass(frozen=True)
class ConceptWorld:
    """Latent concept vectors and their projection to frame features (every synthetic world has both)."""

    spec: SyntheticSpec
    concepts: np.ndarray  # (K, latent)
    p_frame: np.ndarray  # (latent, d_v)


@dataclass(frozen=True)
class SyntheticWorld(ConceptWorld):
    """The concepts and the two unrelated projections (frames vs. texts)."""

    p_text: np.ndarray  # (latent, d_t)


def make_world(spec: SyntheticSpec | None = None, seed: int = 0) -> SyntheticWorld:
    """Draw concepts and projections deterministically from ``seed``."""
    spec = spec or SyntheticSpec()
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((spec.n_concepts, spec.latent))
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    pv = rng.standard_normal((spec.latent, spec.frame_dim)) / np.sqrt(spec.latent)
    pt = rng.standard_normal((spec.latent, spec.text_dim)) / np.sqrt(spec.latent)
    return SyntheticWorld(spec, c, pv, pt)


def draw_between(rng: np.random.Generator, bounds: tuple[int, int]) -> int:
    """A uniform integer in ``bounds`` = (lo, hi), both inclusive (the specs' length ranges)."""
    return int(rng.integers(bounds[0], bounds[1] + 1))


def _shots(rng: np.random.Generator, n: int, bounds: tuple[int, int]) -> list[tuple[int, int]]:
    """Consecutive (first, last) frame shots covering ``n`` frames, lengths drawn in ``bounds``; a tail
    shorter than the shortest shot joins the last shot."""
    lo = bounds[0]
    out, start = [], 0
    while start < n:
        length = draw_between(rng, bounds)
        end = min(n, start + length)
        if n - end < lo:
            end = n
        out.append((start, end - 1))
        start = end
    return out


def draw_videos(
    n_videos: int, seed: int, prefix: str, draw: Callable[[np.random.Generator, str], tuple[H5Video, T]]
) -> tuple[list[H5Video], dict[str, T]]:
    """Videos ``{prefix}_1`` .. ``{prefix}_{n_videos}``, each drawn by ``draw(rng, name)`` in turn from one
    generator seeded with ``seed``, and their texts keyed by name."""
    rng = np.random.default_rng(seed)
    videos: list[H5Video] = []
    texts: dict[str, T] = {}
    for v in range(n_videos):
        name = f"{prefix}_{v + 1}"
        video, texts[name] = draw(rng, name)
        videos.append(video)
    return videos, texts


def shot_video(
    name: str,
    feats: np.ndarray,
    shots: list[tuple[int, int]],
    users: np.ndarray,
    gtscore: np.ndarray,
    user_scores: np.ndarray,
    video_name: str,
) -> H5Video:
    """An :class:`H5Video` of per-frame features (picks = every frame) cut into ``shots`` (inclusive
    ``(start, end)`` frame pairs), with its annotations cast to the eccv16 dtypes."""
    n = len(feats)
    cps = np.asarray(shots, dtype=np.int64)
    return H5Video(
        name=name,
        features=feats.astype(np.float32),
        picks=np.arange(n, dtype=np.int64),
        n_frames=n,
        change_points=cps,
        n_frame_per_seg=(cps[:, 1] - cps[:, 0] + 1).astype(np.int64),
        user_summary=users,
        gtscore=gtscore.astype(np.float32),
        user_scores=user_scores.astype(np.float32),
        video_name=video_name,
    )


def make_videos(
    world: SyntheticWorld, n_videos: int, seed: int, prefix: str = "video"
) -> tuple[list[H5Video], dict[str, np.ndarray]]:
    """Draw ``n_videos`` videos and their query text features (``{name: (N, d_t) float32}``)."""
    return draw_videos(n_videos, seed, prefix, lambda rng, name: _query_video(world, rng, name))


def _query_video(world: SyntheticWorld, rng: np.random.Generator, name: str) -> tuple[H5Video, np.ndarray]:
    """One video of :func:`make_videos` and the text features of its query."""
    s = world.spec
    n = draw_between(rng, s.frames)
    shots = _shots(rng, n, s.shot)
    cs = rng.choice(s.n_concepts, size=min(s.concepts_per_video, s.n_concepts), replace=False)
    target, others = int(cs[0]), cs[1:]
    # pick shots for the target concept until it covers ~target_fraction of the frames
    order = rng.permutation(len(shots))
    shot_concept = np.empty(len(shots), dtype=np.int64)
    covered = 0
    is_target = np.zeros(len(shots), dtype=bool)
    for j in order:
        a, b = shots[j]
        if covered == 0 or covered + (b - a + 1) <= s.target_fraction * n:
            is_target[j] = True
            covered += b - a + 1
    prev = -1
    for j in range(len(shots)):
        if is_target[j]:
            shot_concept[j] = target
        else:
            choices = [int(o) for o in others if int(o) != prev] or [int(others[0])]
            shot_concept[j] = int(rng.choice(choices))
        prev = int(shot_concept[j])
    concept_of_frame = np.concatenate([np.full(b - a + 1, shot_concept[j]) for j, (a, b) in enumerate(shots)])
    latent = world.concepts[concept_of_frame]
    feats = latent @ world.p_frame + s.frame_noise * rng.standard_normal((n, s.frame_dim))
    labels = (concept_of_frame == target).astype(np.float32)
    n_sent = int(rng.integers(1, s.max_sentences + 1))
    tl = world.concepts[target][None] + s.text_noise * rng.standard_normal((n_sent, s.latent))
    text = (tl @ world.p_text).astype(np.float32)
    users = np.repeat(labels[None], s.n_users, axis=0).astype(np.float32)
    for u in range(1, s.n_users):
        for j, (a, b) in enumerate(shots):
            if is_target[j] and b > a:
                users[u, a if rng.random() < 0.5 else b] = 0.0
    user_scores = labels[None] + 0.1 * rng.standard_normal((s.n_users, n))
    label = f"synthetic concept {target}"
    return shot_video(name, feats, shots, users, labels, user_scores, label), text


#: length range of coverage videos: one shot per concept is then about the 15% budget
COVERAGE_FRAMES = (150, 250)


def make_coverage_videos(
    world: SyntheticWorld, n_videos: int, seed: int, prefix: str = "video"
) -> tuple[list[H5Video], dict[str, np.ndarray]]:
    """Videos whose good summary is a matter of coverage and representativeness, not of a query.

    Each video cycles through 3-5 of its concepts, revisiting them, in shots of varying quality: a shot's
    frames are its concept plus noise scaled by ``1.6 - quality`` (quality uniform in [0, 1]); short
    transition shots (2-4 frames) of pure noise sit between some shots. Every annotator picks, for each
    concept of the video, the cleanest shot showing it, with a little disagreement (a second-best shot
    instead, with probability 0.3): the ground truth rewards one representative shot per concept and never a
    transition. Text features: a generic description (the mean of the video's concepts), the same for all
    frames, so a query carries no per-frame information.
    """
    return draw_videos(n_videos, seed, prefix, lambda rng, name: _coverage_video(world, rng, name))


def _coverage_video(world: SyntheticWorld, rng: np.random.Generator, name: str) -> tuple[H5Video, np.ndarray]:
    """One video of :func:`make_coverage_videos` and its generic text features."""
    s = world.spec
    k = int(rng.integers(3, 6))
    concepts = rng.choice(s.n_concepts, size=k, replace=False)
    n_target = draw_between(rng, COVERAGE_FRAMES)
    blocks: list[tuple[int, int, float]] = []  # (concept or -1 for a transition, length, quality)
    total, prev = 0, -1
    while total < n_target:
        c = int(rng.choice([int(x) for x in concepts if int(x) != prev]))
        length = draw_between(rng, s.shot)
        blocks.append((c, length, float(rng.random())))
        prev, total = c, total + length
        if rng.random() < 0.4:
            t = int(rng.integers(2, 5))
            blocks.append((-1, t, 0.0))
            total += t
    feats_parts, shots, start = [], [], 0
    for c, length, q in blocks:
        if c < 0:
            part = 1.5 * rng.standard_normal((length, s.frame_dim))
        else:
            base = world.concepts[c] @ world.p_frame
            part = base + (1.6 - q) * s.frame_noise * 2 * rng.standard_normal((length, s.frame_dim))
        feats_parts.append(part)
        shots.append((start, start + length - 1))
        start += length
    n = start
    feats = np.concatenate(feats_parts).astype(np.float32)
    users = np.zeros((s.n_users, n), dtype=np.float32)
    cleanest_first = {
        int(c): sorted((j for j, b in enumerate(blocks) if b[0] == int(c)), key=lambda j: -blocks[j][2])
        for c in concepts
    }
    for u in range(s.n_users):
        for cand in cleanest_first.values():
            if not cand:
                continue
            pick = cand[1] if len(cand) > 1 and rng.random() < 0.3 else cand[0]
            a, b = shots[pick]
            users[u, a : b + 1] = 1.0
    gt = users.mean(axis=0)
    text = (world.concepts[concepts].mean(axis=0, keepdims=True) @ world.p_text).astype(np.float32)
    user_scores = users + 0.1 * rng.standard_normal(users.shape)
    label = f"synthetic coverage {'-'.join(str(int(c)) for c in concepts)}"
    return shot_video(name, feats, shots, users, gt, user_scores, label), text


def shared_dim_similarity(frames: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """The naive zero-shot rule without a bridge: max over sentences of the cosine similarity in the
    first ``min(d_v, d_t)`` dimensions, mapped to [0, 1]. For a joint backbone (CLIP, d_v == d_t)
    this *is* the zero-shot CLIP score; for unrelated spaces it carries no signal."""
    m = min(frames.shape[1], texts.shape[1])
    f = frames[:, :m] / np.maximum(np.linalg.norm(frames[:, :m], axis=1, keepdims=True), 1e-8)
    t = texts[:, :m] / np.maximum(np.linalg.norm(texts[:, :m], axis=1, keepdims=True), 1e-8)
    return ((f @ t.T).max(axis=1) + 1.0) / 2.0


def write_text_features(path: str | os.PathLike[str], texts: dict[str, np.ndarray]) -> Path:
    """Atomically write ``{key: (N, d_t)}`` as ``<key>/text_features`` datasets of an h5 file."""
    import h5py

    from vidgist.util.atomic import atomic_path

    p = Path(path)
    with atomic_path(p) as tmp:
        with h5py.File(tmp, "w") as f:
            for k, t in texts.items():
                f.create_group(k).create_dataset("text_features", data=np.asarray(t, dtype=np.float32))
    return p


def write_synthetic_dataset(
    folder: str | os.PathLike[str],
    n_videos: int = 40,
    n_splits: int = 5,
    spec: SyntheticSpec | None = None,
    seed: int = 0,
    name: str = "synthetic",
    kind: str = "query",
) -> dict[str, Path]:
    """Write ``{name}.h5`` (eccv16), ``{name}_text.h5`` and ``{name}_splits.json`` (n_splits disjoint
    test folds) into ``folder``; returns their paths under keys dataset, text_features, splits.

    ``kind``: "query" (``make_videos``: the summary is the query's concept) or "coverage"
    (``make_coverage_videos``: one representative shot per concept)."""
    from vidgist.data.h5 import write_eccv16
    from vidgist.data.splits import Split, write_splits

    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    world = make_world(spec, seed)
    if kind not in ("query", "coverage"):
        raise ValueError(f"kind must be 'query' or 'coverage', got {kind!r}")
    make = make_videos if kind == "query" else make_coverage_videos
    videos, texts = make(world, n_videos, seed + 1)
    paths = {
        "dataset": d / f"{name}.h5",
        "text_features": d / f"{name}_text.h5",
        "splits": d / f"{name}_splits.json",
    }
    write_eccv16(paths["dataset"], videos)
    write_text_features(paths["text_features"], texts)
    keys = [v.name for v in videos]
    order = np.random.default_rng(seed + 2).permutation(len(keys))
    folds = np.array_split(order, n_splits)
    splits = [
        Split(
            train_keys=tuple(keys[i] for i in sorted(set(order) - set(f))),
            test_keys=tuple(keys[i] for i in sorted(f)),
        )
        for f in folds
    ]
    write_splits(paths["splits"], splits)
    return paths
