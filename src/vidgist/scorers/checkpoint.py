"""Trained frame scorers from vidgist checkpoints (CLIP-It or the PGL-SUM-style baseline).

Checkpoint format (one file, plus a human-readable copy of its config):

- ``NAME.safetensors``: the model's ``state_dict`` as safetensors; its metadata holds one key
  ``"vidgist"`` = JSON ``{"format": "vidgist-checkpoint", "format_version": 1, "model": "clip-it" |
  "pgl-sum" | "dsnet-af", "backbone": <backbone name>, "frame_dim": int, "text_dim": int,
  "model_config": {...}, "vidgist_version": str, "training": {...}}``;
- ``NAME.json``: the same JSON, for people (the loader trusts only the embedded copy).

:class:`CheckpointScorer` implements :class:`vidgist.scorers.base.FrameScorer`: the frame features
are ``evidence.frames.vectors``; the text features are ``backbone.encode_texts(queries)``, or, with
no queries (generic summary), of the generated description
(:func:`vidgist.scorers.zero_shot.describe`, falling back to the evidence's text spans).
A checkpoint trained on another backbone or other feature dims is refused with a ModelError.
Videos longer than ``WINDOW`` sampled frames are scored in near-equal consecutive windows (each at most
``WINDOW`` frames) to bound the attention's memory; shorter ones in one pass.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.backbones.base import Backbone
from vidgist.errors import ModelError
from vidgist.types import Evidence, Timeline
from vidgist.util.atomic import atomic_path, write_json

__all__ = [
    "FORMAT",
    "save_checkpoint",
    "read_checkpoint_meta",
    "load_checkpoint",
    "check_compatible",
    "checked_frames",
    "CheckpointScorer",
]

FORMAT = "vidgist-checkpoint"
#: longest sequence scored at once; longer videos are cut into near-equal windows (attention is O(n^2))
WINDOW = 2048


def save_checkpoint(
    path: str | os.PathLike[str],
    model: Any,
    kind: str,
    backbone: str,
    frame_dim: int,
    text_dim: int,
    training: dict[str, Any] | None = None,
) -> Path:
    """Write ``model`` (an nn.Module with ``.config.to_dict()``) atomically as a vidgist checkpoint."""
    from safetensors.torch import save_file

    from vidgist.version import __version__

    p = Path(path)
    meta = {
        "format": FORMAT,
        "format_version": 1,
        "model": kind,
        "backbone": backbone,
        "frame_dim": int(frame_dim),
        "text_dim": int(text_dim),
        "model_config": model.config.to_dict(),
        "vidgist_version": __version__,
        "training": training or {},
    }
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    with atomic_path(p) as tmp:
        save_file(tensors, str(tmp), metadata={"vidgist": json.dumps(meta)})
    write_json(p.with_suffix(".json"), meta)
    return p


def read_checkpoint_meta(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The embedded config of a vidgist checkpoint; ModelError if missing or not a vidgist checkpoint."""
    from safetensors import safe_open

    p = Path(path)
    if not p.is_file():
        raise ModelError(f"{p}: checkpoint not found; pass the .safetensors file written by `vidgist train`")
    try:
        with safe_open(str(p), framework="pt") as f:
            md = f.metadata() or {}
    except Exception:  # safetensors raises several types for a non-safetensors file
        raise ModelError(f"{p}: not a vidgist checkpoint (not a safetensors file)") from None
    try:
        meta = json.loads(md["vidgist"])
        if meta.get("format") != FORMAT:
            raise KeyError("format")
        for k in ("model", "backbone", "frame_dim", "text_dim", "model_config"):
            meta[k]  # noqa: B018  (presence check)
    except (KeyError, ValueError, TypeError):
        raise ModelError(f"{p}: not a vidgist checkpoint (no vidgist config in its metadata)") from None
    return dict(meta)


def load_checkpoint(path: str | os.PathLike[str]) -> tuple[Any, dict[str, Any]]:
    """(model in eval mode, metadata) from a vidgist checkpoint."""
    from safetensors.torch import load_file

    from vidgist.models import build_model

    p = Path(path)
    meta = read_checkpoint_meta(p)
    try:
        model = build_model(meta["model"], meta["model_config"])
        model.load_state_dict(load_file(str(p)), strict=True)
    except (ValueError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"{p}: checkpoint does not load ({first}); re-train or re-save it") from None
    return model.eval(), meta


def check_compatible(
    meta: dict[str, Any], path: Path, backbone: str, frame_dim: int, text_dim: int | None = None
) -> None:
    """ModelError (one line) unless the checkpoint ``meta`` (of any kind: CLIP-It, baselines, SSPVS) was
    made for features of ``backbone`` with ``frame_dim`` (and ``text_dim`` when given) dimensions."""
    trained = str(meta["backbone"])
    if trained != backbone:
        if trained.partition(":")[0] in ("offline", "clip"):
            advice = f"pass --backbone {trained} or use a checkpoint trained on '{backbone}'"
        else:  # e.g. the synthetic benchmark's features: no video backbone computes them
            advice = (
                f"no --backbone computes '{trained}' features; train on features of a video backbone "
                f"(`vidgist datasets make-h5 VIDEOS ANNOTATIONS -o LABELLED.h5 --backbone {backbone}`, and "
                f"`vidgist features extract VIDEOS -o FEATURES.h5 --backbone {backbone}` to pretrain; "
                "docs/training.md)"
            )
        raise ModelError(
            f"{path}: checkpoint was trained on backbone '{trained}' but the features come from "
            f"'{backbone}'; {advice}"
        )
    with_text = text_dim is not None
    want = [int(meta["frame_dim"])] + ([int(meta["text_dim"])] if with_text else [])
    got = [int(frame_dim)] + ([int(text_dim)] if text_dim is not None else [])
    if want != got:
        raise ModelError(
            f"{path}: checkpoint expects {'frame/text dims' if with_text else 'frame dim'} "
            f"{'/'.join(map(str, want))} but backbone '{backbone}' gives {'/'.join(map(str, got))}; "
            "use a matching checkpoint"
        )


def checked_frames(meta: dict[str, Any], path: Path, evidence: Evidence) -> np.ndarray:
    """``evidence.frames.vectors`` as float32 (n, d); ModelError (one line) unless d is the checkpoint's
    ``frame_dim`` (features computed elsewhere, e.g. a cache of another backbone)."""
    frames = np.asarray(evidence.frames.vectors, dtype=np.float32)
    if frames.ndim != 2 or frames.shape[1] != int(meta["frame_dim"]):
        raise ModelError(
            f"{path}: frame features have shape {frames.shape}, checkpoint expects dim {meta['frame_dim']}; "
            "recompute the features with the checkpoint's backbone"
        )
    return frames


def _describe(evidence: Evidence) -> list[str]:
    from vidgist.scorers.zero_shot import describe

    return describe(evidence)


class CheckpointScorer:
    """FrameScorer backed by a trained checkpoint; refuses one made for another backbone or dims."""

    def __init__(self, path: str | os.PathLike[str], backbone: Backbone) -> None:
        self.path = Path(path)
        self.name = f"checkpoint:{self.path}"
        self.meta = read_checkpoint_meta(self.path)
        self._check(backbone)
        self.model, _ = load_checkpoint(self.path)

    def _check(self, backbone: Backbone) -> None:
        text_dim = backbone.text_dim if self.meta["model"] == "clip-it" else None
        check_compatible(self.meta, self.path, backbone.name, backbone.frame_dim, text_dim)

    def score(self, evidence: Evidence, queries: Sequence[str] | None, backbone: Backbone) -> Timeline:
        """Scores in [0, 1] aligned with ``evidence.frames.times`` (deterministic, eval mode)."""
        import torch

        from vidgist.models import frame_scores

        self._check(backbone)
        frames = checked_frames(self.meta, self.path, evidence)
        times = np.asarray(evidence.frames.times, dtype=np.float64)
        if frames.shape[0] == 0:
            return Timeline(times=times, scores=np.zeros(0))
        qs = [q for q in (queries or []) if q.strip()]
        sentences = qs if qs else _describe(evidence)
        texts = np.asarray(backbone.encode_texts(sentences), dtype=np.float32)
        tx = torch.from_numpy(texts)[None]
        parts = np.array_split(np.arange(len(frames)), math.ceil(len(frames) / WINDOW))
        scores = np.zeros(len(frames))
        with torch.no_grad():
            for idx in parts:
                out = frame_scores(self.model, torch.from_numpy(frames[idx])[None], None, tx, None)
                scores[idx] = out[0].double().numpy()
        scores = scores.clip(0.0, 1.0)
        return Timeline(times=times, scores=scores)
