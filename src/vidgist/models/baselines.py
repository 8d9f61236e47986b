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
- :class:`DSNetAF`: DSNet anchor-free (Zhu et al., IEEE TIP 2021), see its docstring.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from vidgist.models.blocks import MultiHeadCrossAttention, PositionalEncoding, valid_mask
from vidgist.models.config import DictConfig

__all__ = [
    "random_scores",
    "uniform_scores",
    "PGLSumConfig",
    "PGLSum",
    "PGLSumOutput",
    "DSNetAFConfig",
    "DSNetAF",
    "DSNetAFOutput",
    "segment_offsets",
    "nms_1d",
]


def random_scores(n: int, seed: int = 0, key: str = "") -> np.ndarray:
    """(n,) uniform random scores in [0, 1), deterministic for (seed, key)."""
    rng = np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])
    return rng.random(n)


def uniform_scores(n: int) -> np.ndarray:
    """(n,) constant scores (1.0)."""
    return np.ones(n, dtype=np.float64)


class LanguageFreeScorer(nn.Module):
    """A frame scorer that ignores text: ``forward`` takes CLIP-It's arguments (so training code calls every
    model alike), resolves the padding mask and hands frames and mask to :meth:`score_frames`."""

    def forward(
        self,
        frames: Tensor,
        frame_mask: Tensor | None = None,
        texts: Tensor | None = None,
        text_mask: Tensor | None = None,
    ) -> Any:
        return self.score_frames(frames, valid_mask(frames, frame_mask))

    def score_frames(self, frames: Tensor, fm: Tensor) -> Any:
        """(B, n, d) frames and their (B, n) bool mask -> the model's output dataclass."""
        raise NotImplementedError


@dataclass
class PGLSumConfig(DictConfig):
    frame_dim: int = 1024
    text_dim: int = 0  # unused; kept so every checkpoint records both dims
    d_model: int = 128
    heads: int = 4
    segments: int = 4
    dropout: float = 0.5
    max_len: int = 10000


@dataclass
class PGLSumOutput:
    scores: Tensor  # (B, n)


class PGLSum(LanguageFreeScorer):
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

    def score_frames(self, frames: Tensor, fm: Tensor) -> PGLSumOutput:
        b = frames.shape[0]
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


# ---------------------------------------------------------------------------------------------
# DSNet anchor-free (Zhu et al., "DSNet: A Flexible Detect-to-Summarize Network for Video
# Summarization", IEEE TIP 2021; reference code li-plus/DSNet, src/anchor_free)


@dataclass
class DSNetAFConfig(DictConfig):
    frame_dim: int = 1024
    text_dim: int = 0  # unused (language-free model)
    d_model: int = 256  # ours: frames are first projected to d_model so any feature dim works
    heads: int = 8
    hidden: int = 128
    dropout: float = 0.5
    lambda_reg: float = 1.0  # weight of (loc + ctr) losses
    focal_alpha: float = 0.25
    focal_gamma: float = 2.0
    nms_iou: float = 0.5


@dataclass
class DSNetAFOutput:
    cls: Tensor  # (B, n) key-frame confidence
    loc: Tensor  # (B, n, 2) distances to the segment's first/last frame (>= 0)
    ctr: Tensor  # (B, n) centerness
    scores: Tensor  # (B, n) cls * ctr (raw, before box voting); 0 at padding


def segment_offsets(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2) offsets (to the first, to the last frame of the positive run) and (n,) centerness
    ``min(l, r) / max(l, r)``; zeros outside positive runs (DSNet ``get_loc_label``/``get_ctr_label``)."""
    y = np.asarray(labels) > 0.5
    n = y.size
    off = np.zeros((n, 2), dtype=np.float32)
    i = 0
    while i < n:
        if y[i]:
            j = i
            while j < n and y[j]:
                j += 1
            pos = np.arange(i, j, dtype=np.float32)
            off[i:j, 0] = pos - i
            off[i:j, 1] = j - 1 - pos
            i = j
        else:
            i += 1
    ctr = np.zeros(n, dtype=np.float32)
    ctr[y] = np.minimum(off[y, 0], off[y, 1]) / (np.maximum(off[y, 0], off[y, 1]) + 1e-8)
    return off, ctr


def nms_1d(scores: np.ndarray, boxes: np.ndarray, iou: float) -> tuple[np.ndarray, np.ndarray]:
    """Greedy 1-D non-maximum suppression of [lo, hi) boxes, highest score first (stable order)."""
    order = np.argsort(-scores, kind="stable")
    keep: list[int] = []
    for i in order:
        lo, hi = boxes[i]
        ok = True
        for k in keep:
            klo, khi = boxes[k]
            inter = max(0.0, min(hi, khi) - max(lo, klo))
            union = (hi - lo) + (khi - klo) - inter
            if union > 0 and inter / union >= iou:
                ok = False
                break
        if ok:
            keep.append(int(i))
    return scores[keep], boxes[keep]


class DSNetAF(LanguageFreeScorer):
    """DSNet anchor-free: self-attention base with residual + LayerNorm, then
    ``Linear-ReLU-Dropout-LayerNorm`` and three heads: key-frame class (sigmoid), left/right offsets (exp)
    and centerness (sigmoid).

    Training (:meth:`losses`): focal loss on the class over all valid frames divided by the number of
    positives, soft-IoU loss on the offsets and BCE on the centerness over positive frames,
    ``cls + lambda_reg * (loc + ctr)``. Inference (:meth:`frame_scores`): ``cls * ctr`` normalised by its max,
    one box per frame from its offsets, 1-D NMS, and every frame takes the highest score of the kept boxes
    covering it (DSNet ``bbox2summary``), which is then fed to the usual key-shot selection.
    """

    def __init__(self, config: DSNetAFConfig) -> None:
        super().__init__()
        c = self.config = config
        self.inp = nn.Linear(c.frame_dim, c.d_model)
        self.attn = MultiHeadCrossAttention(c.d_model, c.d_model, c.d_model, c.heads)
        self.norm = nn.LayerNorm(c.d_model)
        self.fc1 = nn.Sequential(
            nn.Linear(c.d_model, c.hidden), nn.ReLU(), nn.Dropout(c.dropout), nn.LayerNorm(c.hidden)
        )
        self.fc_cls = nn.Linear(c.hidden, 1)
        self.fc_loc = nn.Linear(c.hidden, 2)
        self.fc_ctr = nn.Linear(c.hidden, 1)

    def score_frames(self, frames: Tensor, fm: Tensor) -> DSNetAFOutput:
        x = self.inp(frames)
        a = self.attn(x, x, kv_mask=fm, q_mask=fm)
        assert isinstance(a, Tensor)
        h = self.fc1(self.norm(a + x))
        m = fm.to(h.dtype)
        cls = torch.sigmoid(self.fc_cls(h).squeeze(-1)) * m
        loc = torch.exp(self.fc_loc(h).clamp(max=20.0)) * m[..., None]
        ctr = torch.sigmoid(self.fc_ctr(h).squeeze(-1)) * m
        return DSNetAFOutput(cls=cls, loc=loc, ctr=ctr, scores=cls * ctr)

    def losses(self, out: DSNetAFOutput, frame_mask: Tensor, labels: Tensor) -> dict[str, Tensor]:
        """(keys: total, cls, loc, ctr) for binary key-frame ``labels`` (B, n)."""
        c = self.config
        fm = frame_mask.bool()
        y = (labels > 0.5) & fm
        p = out.cls.clamp(1e-6, 1 - 1e-6)
        p_t = torch.where(y, p, 1 - p)
        a_t = torch.where(y, torch.full_like(p, c.focal_alpha), torch.full_like(p, 1 - c.focal_alpha))
        fl = -a_t * (1 - p_t).pow(c.focal_gamma) * torch.log(p_t)
        cls_loss = (fl * fm.to(fl.dtype)).sum() / y.sum().clamp(min=1).to(fl.dtype)
        offs, ctrs = [], []
        for i in range(labels.shape[0]):
            o, t = segment_offsets(labels[i].detach().cpu().numpy())
            offs.append(torch.from_numpy(o))
            ctrs.append(torch.from_numpy(t))
        loc_t = torch.stack(offs).to(out.loc.dtype)
        ctr_t = torch.stack(ctrs).to(out.ctr.dtype)
        if bool(y.any()):
            pl, tl = out.loc[y], loc_t[y]
            inter = torch.minimum(pl[:, 0], tl[:, 0]) + torch.minimum(pl[:, 1], tl[:, 1])
            union = (pl.sum(1) + tl.sum(1) - inter).clamp(min=1e-8)
            loc_loss = -torch.log(inter.clamp(min=0) / union + 1e-8).mean()
            ctr_loss = nn.functional.binary_cross_entropy(out.ctr[y].clamp(1e-6, 1 - 1e-6), ctr_t[y])
        else:
            loc_loss = ctr_loss = out.loc.sum() * 0.0
        total = cls_loss + c.lambda_reg * (loc_loss + ctr_loss)
        return {"total": total, "cls": cls_loss, "loc": loc_loss, "ctr": ctr_loss}

    def frame_scores(self, out: DSNetAFOutput, frame_mask: Tensor | None = None) -> Tensor:
        """(B, n) per-frame scores after box voting and NMS (see class doc); 0 at padding."""
        res = torch.zeros_like(out.scores)
        for i in range(out.scores.shape[0]):
            n = int(frame_mask[i].sum()) if frame_mask is not None else out.scores.shape[1]
            if n == 0:
                continue
            s = out.scores[i, :n].detach().double().cpu().numpy()
            s = s / (s.max() + 1e-8)
            off = out.loc[i, :n].detach().double().cpu().numpy()
            idx = np.arange(n)
            boxes = np.stack([idx - off[:, 0], idx + off[:, 1] + 1], axis=1)
            boxes = np.clip(boxes, 0, n).round()
            ks, kb = nms_1d(s, boxes, self.config.nms_iou)
            fs = np.zeros(n)
            for sc, (lo, hi) in zip(ks, kb, strict=True):
                fs[int(lo) : int(hi)] = np.maximum(fs[int(lo) : int(hi)], sc)
            res[i, :n] = torch.from_numpy(fs).to(res.dtype)
        return res
