"""Baseline frame scorers for apples-to-apples comparison with CLIP-It.

- :func:`random_scores`: i.i.d. uniform scores from a seeded generator (deterministic per seed/key).
- :func:`uniform_scores`: the same score (1.0) for every frame; with key-shot knapsack selection the
  choice then depends on shot lengths only.
- Untrained rules over the frame features alone (no labels, no text; what an unsupervised model must
  beat): :func:`typicality_scores` (how much of the video looks like each frame), :func:`mmr_scores`
  (greedy maximal marginal relevance: typicality minus redundancy with the frames already picked) and
  :func:`kmedoids_scores` (medoids of k clusters of the frames).
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
    "typicality_scores",
    "mmr_scores",
    "kmedoids_scores",
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


def _cosine(frames: np.ndarray) -> np.ndarray:
    x = np.asarray(frames, dtype=np.float64)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return x @ x.T


def typicality_scores(frames: np.ndarray, temperature: float = 0.1) -> np.ndarray:
    """(n,) typicality in (0, 1]: ``rho_j = mean_{i != j} exp((cos(x_i, x_j) - 1) / T)``, divided by its
    largest value (1 = the most typical frame). The same quantity as CLIP-It's L_rep weights."""
    n = len(frames)
    if n < 2:
        return np.ones(n)
    k = np.exp((_cosine(frames) - 1.0) / temperature)
    rho = (k.sum(1) - np.diag(k)) / (n - 1)
    return rho / max(float(rho.max()), 1e-12)


def mmr_scores(frames: np.ndarray, lam: float = 0.5, temperature: float = 0.1) -> np.ndarray:
    """(n,) scores from a greedy maximal-marginal-relevance order: each pick maximises
    ``lam * typicality_j - (1 - lam) * max_{picked i} cos(x_i, x_j)``; the k-th pick scores ``1 - k / n``
    (first pick 1), so a budgeted selection takes the earliest picks."""
    n = len(frames)
    if n == 0:
        return np.zeros(0)
    typ, sim = typicality_scores(frames, temperature), _cosine(frames)
    redundancy = np.full(n, -1.0)
    left = np.ones(n, dtype=bool)
    out = np.zeros(n)
    for k in range(n):
        gain = np.where(left, lam * typ - (1.0 - lam) * np.maximum(redundancy, 0.0), -np.inf)
        j = int(np.argmax(gain))
        out[j], left[j] = 1.0 - k / n, False
        redundancy = np.maximum(redundancy, sim[j])
    return out


def kmedoids_scores(frames: np.ndarray, k: int | None = None, iters: int = 20) -> np.ndarray:
    """(n,) k-medoids summary scores: cosine-distance k-medoids (alternating assignment and medoid update,
    started from the k most mutually distant frames, deterministic); a medoid scores ``0.5 + 0.5 *
    cluster share`` (bigger clusters first), any other frame ``0.5 * cos`` to its medoid clipped to [0, 0.5).
    ``k`` defaults to ``ceil(0.15 n)`` (the usual summary budget), at least 1."""
    n = len(frames)
    if n == 0:
        return np.zeros(0)
    k = max(1, min(n, k if k is not None else int(np.ceil(0.15 * n))))
    sim = _cosine(frames)
    med = [int(np.argmax(sim.sum(1)))]
    while len(med) < k:  # farthest-first start
        med.append(int(np.argmin(sim[:, med].max(1))))
    for _ in range(iters):
        assign = np.argmax(sim[:, med], axis=1)
        new = []
        for c in range(k):
            members = np.flatnonzero(assign == c)
            new.append(
                int(members[np.argmax(sim[np.ix_(members, members)].sum(1))]) if members.size else med[c]
            )
        if new == med:
            break
        med = new
    assign = np.argmax(sim[:, med], axis=1)
    out = 0.5 * np.clip(sim[np.arange(n), np.asarray(med)[assign]], 0.0, 0.999)
    for c, m in enumerate(med):
        out[m] = 0.5 + 0.5 * float(np.mean(assign == c))
    return out


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
