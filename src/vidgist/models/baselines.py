"""Baseline frame scorers for apples-to-apples comparison with CLIP-It.

- :func:`random_scores`: i.i.d. uniform scores from a seeded generator (deterministic per seed/key).
- :func:`uniform_scores`: the same score (1.0) for every frame; with key-shot knapsack selection the
  choice then depends on shot lengths only.
- :class:`PGLSum`: a supervised frame scorer in the style of PGL-SUM (Apostolidis et al., ISM 2021,
  "Combining Global and Local Attention with Positional Encoding for Video Summarization"):
  multi-head self-attention over the whole video (global) plus multi-head self-attention inside each
  of ``segments`` equal-length parts (local), both with sinusoidal positional encoding, fused by
  addition with a residual, then the regressor ``Linear-ReLU-Dropout-LayerNorm-Linear-Sigmoid``;
  trained with MSE against the (min-max normalised) ground-truth importance ``gtscore``.
  Text features are ignored (a generic, language-free model). Padding does not change scores.
"""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from vidgist.models.blocks import MultiHeadCrossAttention, PositionalEncoding

__all__ = ["random_scores", "uniform_scores", "PGLSumConfig", "PGLSum", "PGLSumOutput"]


def random_scores(n: int, seed: int = 0, key: str = "") -> np.ndarray:
    """(n,) uniform random scores in [0, 1), deterministic for (seed, key)."""
    rng = np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])
    return rng.random(n)


def uniform_scores(n: int) -> np.ndarray:
    """(n,) constant scores (1.0)."""
    return np.ones(n, dtype=np.float64)


@dataclass
class PGLSumConfig:
    frame_dim: int = 1024
    text_dim: int = 0  # unused; kept so every checkpoint records both dims
    d_model: int = 128
    heads: int = 4
    segments: int = 4
    dropout: float = 0.5
    max_len: int = 10000

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PGLSumConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class PGLSumOutput:
    scores: Tensor  # (B, n)


class PGLSum(nn.Module):
    """PGL-SUM-style scorer: ``forward(frames, frame_mask, texts=None, text_mask=None) -> PGLSumOutput``."""

    def __init__(self, config: PGLSumConfig) -> None:
        super().__init__()
        c = self.config = config
        self.inp = nn.Linear(c.frame_dim, c.d_model)
        self.pos = PositionalEncoding(c.d_model, c.max_len)
        self.global_attn = MultiHeadCrossAttention(c.d_model, c.d_model, c.d_model, c.heads)
        self.local_attn = MultiHeadCrossAttention(c.d_model, c.d_model, c.d_model, c.heads)
        self.drop = nn.Dropout(c.dropout)
        self.norm = nn.LayerNorm(c.d_model)
        self.regressor = nn.Sequential(
            nn.Linear(c.d_model, c.d_model),
            nn.ReLU(),
            nn.Dropout(c.dropout),
            nn.LayerNorm(c.d_model),
            nn.Linear(c.d_model, 1),
        )

    def forward(
        self,
        frames: Tensor,
        frame_mask: Tensor | None = None,
        texts: Tensor | None = None,
        text_mask: Tensor | None = None,
    ) -> PGLSumOutput:
        b, n, _ = frames.shape
        fm = frame_mask.bool() if frame_mask is not None else torch.ones(b, n, dtype=torch.bool)
        x = self.pos(self.inp(frames))
        g = self.global_attn(x, x, kv_mask=fm, q_mask=fm)
        assert isinstance(g, Tensor)
        loc = torch.zeros_like(x)
        for i in range(b):
            m = int(fm[i].sum())
            bounds = np.linspace(0, m, min(self.config.segments, max(m, 1)) + 1).round().astype(int)
            for a, e in zip(bounds[:-1], bounds[1:], strict=True):
                if e > a:
                    seg = x[i : i + 1, a:e]
                    out = self.local_attn(seg, seg)
                    assert isinstance(out, Tensor)
                    loc[i, a:e] = out[0]
        y = self.norm(x + self.drop(g + loc))
        scores = torch.sigmoid(self.regressor(y).squeeze(-1)) * fm.to(y.dtype)
        return PGLSumOutput(scores=scores)

    @staticmethod
    def losses(out: PGLSumOutput, frame_mask: Tensor, targets: Tensor) -> dict[str, Tensor]:
        """MSE against targets in [0, 1] over valid frames (keys: total, mse)."""
        m = frame_mask.to(out.scores.dtype)
        mse = (((out.scores - targets) ** 2 * m).sum(1) / m.sum(1).clamp(min=1.0)).mean()
        return {"total": mse, "mse": mse}
