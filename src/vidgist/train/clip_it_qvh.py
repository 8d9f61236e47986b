"""Query-focused CLIP-It training on QVHighlights-format annotations (one sample per query).

Inputs (paths in the training config):

- ``annotations_train`` / ``annotations_test``: QVHighlights jsonl (``qid, query, vid, duration,
  relevant_clip_ids, saliency_scores``; 2-second clips); validation is carved from the training queries.
- ``video_features``: h5 with ``<vid>/features`` (n_clips, d_v), one row per 2-second clip.
- ``query_features``: h5 with ``<qid>/text_features`` (N, d_t), or ``backbone:SPEC`` to encode the
  query sentences now with ``vidgist.backbones.load_backbone(SPEC)``.

Each query becomes a :class:`Sample` whose labels are its relevant clips, targets the mean saliency/4,
and whose evaluation record is an eccv16-style video with one shot per clip, one user summary per
annotator (relevant clips rated >= 2, "Fair") and the annotators' ratings as user scores; so the same
F-score and tau/rho code runs, and ``highlight_metrics`` adds QVHighlights HL-mAP / HL-Hit1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from vidgist.data.h5 import H5Video
from vidgist.errors import DataError
from vidgist.train.clip_it_config import ClipItTrainConfig
from vidgist.train.clip_it_data import Sample

__all__ = ["qvh_samples", "qvh_split", "highlight_metrics"]

FAIR = 2


def _read_group_arrays(path: str, keys: Sequence[str], name: str) -> dict[str, np.ndarray]:
    import h5py

    out: dict[str, np.ndarray] = {}
    try:
        with h5py.File(path, "r") as f:
            for k in keys:
                if k not in f or name not in f[k]:
                    raise DataError(f"{path}: no '{k}/{name}' dataset; extract features for it")
                out[k] = np.asarray(f[k][name], dtype=np.float32)
    except OSError as exc:
        raise DataError(f"{path}: not a readable h5 file ({exc})") from None
    return out


def qvh_samples(
    records: Sequence[Any],
    frames: Mapping[str, np.ndarray],
    texts: Mapping[str, np.ndarray],
    source: str = "<annotations>",
) -> list[Sample]:
    """One Sample per QVHighlights record (``vidgist.data.qvhighlights.QVHRecord``)."""
    out: list[Sample] = []
    for r in records:
        x = frames[r.vid]
        n = int(x.shape[0])
        ids = np.asarray(r.relevant_clip_ids or (), dtype=np.int64)
        sal = np.asarray(r.saliency_scores or np.zeros((0, 3)), dtype=np.float64).reshape(len(ids), -1)
        if ids.size and ids.max() >= n:
            raise DataError(
                f"{source}: qid {r.qid} names clip {ids.max()} but '{r.vid}' has {n} clip features"
            )
        n_users = max(sal.shape[1], 1)
        user_scores = np.zeros((n_users, n), dtype=np.float32)
        user_scores[:, ids] = sal.T
        labels = np.zeros(n, dtype=np.float32)
        labels[ids] = 1.0
        targets = np.zeros(n, dtype=np.float32)
        targets[ids] = sal.mean(axis=1) / 4.0 if sal.size else 1.0
        user_summary = (user_scores >= FAIR).astype(np.float32)
        cps = np.stack([np.arange(n), np.arange(n)], axis=1).astype(np.int64)
        video = H5Video(
            name=f"q{r.qid}",
            features=x,
            picks=np.arange(n, dtype=np.int64),
            n_frames=n,
            change_points=cps,
            n_frame_per_seg=np.ones(n, dtype=np.int64),
            user_summary=user_summary,
            gtscore=targets,
            user_scores=user_scores,
            video_name=r.vid,
        )
        out.append(Sample(f"q{r.qid}", x, texts[str(r.qid)], labels, targets, video))
    return out


def _texts(cfg: ClipItTrainConfig, records: Sequence[Any]) -> dict[str, np.ndarray]:
    spec = cfg.query_features
    if spec.startswith("backbone:"):
        from vidgist.backbones import load_backbone

        bb = load_backbone(spec.split(":", 1)[1])
        enc = np.asarray(bb.encode_texts([r.query for r in records]), dtype=np.float32)
        return {str(r.qid): enc[i : i + 1] for i, r in enumerate(records)}
    return _read_group_arrays(cfg.resolve(spec), [str(r.qid) for r in records], "text_features")


def qvh_split(cfg: ClipItTrainConfig) -> tuple[Any, dict[str, Sample], str]:
    """(Split of sample keys, samples by key, setting name) for a qvhighlights config."""
    from vidgist.data.qvhighlights import read_qvhighlights
    from vidgist.data.splits import Split

    train_p, test_p = cfg.resolve(cfg.annotations_train), cfg.resolve(cfg.annotations_test)
    train = read_qvhighlights(train_p, require_gt=True)
    test = read_qvhighlights(test_p, require_gt=True)
    vids = sorted({r.vid for r in list(train) + list(test)})
    frames = _read_group_arrays(cfg.resolve(cfg.video_features), vids, "features")
    texts = _texts(cfg, list(train) + list(test))
    samples = {
        s.key: s
        for s in qvh_samples(train, frames, texts, train_p) + qvh_samples(test, frames, texts, test_p)
    }
    split = Split(train_keys=tuple(f"q{r.qid}" for r in train), test_keys=tuple(f"q{r.qid}" for r in test))
    return split, samples, "query-focused"


def highlight_metrics(preds: Mapping[str, np.ndarray], samples: Sequence[Sample]) -> dict[str, Any]:
    """QVHighlights HL-mAP / HL-Hit1 (``vidgist.eval.highlights.eval_highlight``) of clip scores."""
    from vidgist.eval.highlights import eval_highlight

    subs, gts = [], []
    for s in samples:
        assert s.video is not None and s.video.user_scores is not None
        us = s.video.user_scores
        ids = np.flatnonzero(s.labels > 0)
        gts.append(
            {
                "qid": s.key,
                "duration": 2.0 * len(s.labels),
                "relevant_clip_ids": ids.tolist(),
                "saliency_scores": us[:, ids].T.astype(int).tolist(),
            }
        )
        subs.append({"qid": s.key, "pred_saliency_scores": np.asarray(preds[s.key]).tolist()})
    return eval_highlight(subs, gts)
