"""Torch models (no I/O): shared blocks, CLIP-It, baselines. Import submodules directly;
``build_model(kind, config)`` builds a trainable model from its kind and config dict."""

from __future__ import annotations

from typing import Any

TRAINABLE = ("clip-it", "pgl-sum", "dsnet-af")


def build_model(kind: str, config: dict[str, Any]) -> Any:
    """Build a trainable model: ``kind`` in TRAINABLE, ``config`` the dict of its config dataclass."""
    if kind == "clip-it":
        from vidgist.models.clip_it import ClipIt, ClipItConfig

        return ClipIt(ClipItConfig.from_dict(config))
    if kind == "pgl-sum":
        from vidgist.models.baselines import PGLSum, PGLSumConfig

        return PGLSum(PGLSumConfig.from_dict(config))
    if kind == "dsnet-af":
        from vidgist.models.baselines import DSNetAF, DSNetAFConfig

        return DSNetAF(DSNetAFConfig.from_dict(config))
    raise ValueError(f"unknown model kind {kind!r}; expected one of {', '.join(TRAINABLE)}")


def frame_scores(model: Any, frames: Any, frame_mask: Any, texts: Any, text_mask: Any) -> Any:
    """(B, n) inference scores of any trainable model (DSNet-AF applies its box voting + NMS)."""
    out = model(frames, frame_mask, texts, text_mask)
    post = getattr(model, "frame_scores", None)
    return post(out, frame_mask) if post is not None else out.scores
