"""CLIP-It: language-guided multimodal transformer for video summarization.

Narasimhan, Rohrbach & Darrell, "CLIP-It! Language-Guided Video Summarization", NeurIPS 2021
(arXiv 2107.00650), Sec. 3. Pure torch, no I/O.

Architecture (``ClipIt.forward``)
---------------------------------
1. **Language-guided attention** (Sec. 3.2): multi-head attention with the frame features
   ``x`` (B, n, d_v) as queries and the sentence features ``t`` (B, N, d_t) as keys and values,
   giving ``a`` (B, n, d_model). *Open choice, ours:* the attended features are joined with the
   frame features by concatenation ``[a ; W_v x]`` followed by a linear projection to ``d_model``
   (``join="concat"``); ``join="add"`` uses ``a + W_v x`` instead.
2. **Frame-scoring transformer** (Sec. 3.3): sinusoidal positional encoding is added to the joined
   sequence, a transformer encoder (``layers`` x ``heads``) runs over it and a linear head with a
   sigmoid gives one score ``s_i`` in [0, 1] per frame.
3. **Reconstruction** (Sec. 3.4): a 1x1 convolution (a per-frame linear map) maps the transformer
   output back to the frame-feature space: ``r_i = Conv1x1(h_i)`` (or ``Conv1x1(s_i * h_i)`` with
   ``score_weighted_reconstruction=True``, SUM-GAN's score weighting, which lets the unsupervised
   losses reach the score head).

Losses (``clip_it_losses``), all masked to valid frames
--------------------------------------------------------
- Classification (weighted BCE, Sec. 3.4):
  ``L_c = -1/n sum_i [ w y_i log s_i + (1 - y_i) log(1 - s_i) ]`` with
  ``w = n_neg / n_pos`` per video (the rarer positive class is up-weighted; ``pos_weight="ratio"``),
  or ``w = 1`` (``pos_weight="none"``). Videos with no positive frame use ``w = 1``.
- Diversity (repelling regularizer, Mahasseni et al. 2017):
  ``L_d = 1/(|S|(|S|-1)) sum_{i != j in S} cos(r_i, r_j)`` over the selected set ``S`` = the
  top ``ceil(selection_ratio * n)`` frames by predicted score (at least 2). *Open choice, ours:*
  selection by top-k of the predicted scores (detached), ``selection_ratio=0.15`` = the usual budget.
- Reconstruction: ``L_r = 1/(n d_v) sum_i ||x_i - r_i||^2`` (mean squared error over valid frames).
- Total (supervised): ``alpha L_c + beta L_d + lambda L_r``.
- Unsupervised (``supervised=False``), two objectives (``unsupervised_objective``):
  ``"paper"``: ``beta L_d + lambda L_r`` (optionally plus ``sparsity_weight * |mean(s) - selection_ratio|``),
  as the paper describes it; with top-k selection the scores get almost no gradient and it does not beat
  random on our coverage benchmark. ``"coverage"`` (default, ours): representativeness (each frame rebuilt
  from the score-weighted others), a score-weighted diversity term and a budget term; see
  :func:`coverage_losses`.

Padding never changes the scores of valid frames: masked attention everywhere, see
:mod:`vidgist.models.blocks`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from vidgist.models.blocks import MultiHeadCrossAttention, PositionalEncoding, TransformerEncoder, valid_mask
from vidgist.models.config import DictConfig

__all__ = [
    "ClipItConfig",
    "ClipIt",
    "ClipItOutput",
    "clip_it_losses",
    "weighted_bce",
    "diversity_loss",
    "reconstruction_loss",
    "representativeness_loss",
    "soft_diversity_loss",
    "coverage_losses",
]


@dataclass
class ClipItConfig(DictConfig):
    """Hyper-parameters of :class:`ClipIt` and of its losses (all JSON-serialisable)."""

    frame_dim: int = 512  # d_v, from the data
    text_dim: int = 512  # d_t, from the data
    d_model: int = 128
    attn_heads: int = 4  # language-guided attention heads
    heads: int = 4  # frame-scoring transformer heads
    layers: int = 2  # frame-scoring transformer layers
    ff: int = 256  # feed-forward width
    dropout: float = 0.1
    join: str = "concat"  # "concat" (then project) | "add"
    max_len: int = 10000  # precomputed positional table (longer sequences still work)
    score_weighted_reconstruction: bool = True
    # losses
    supervised: bool = True
    alpha: float = 1.0  # classification weight
    beta: float = 0.1  # diversity weight
    lam: float = 0.1  # reconstruction weight
    pos_weight: str = "ratio"  # "ratio" (n_neg / n_pos) | "none"
    selection_ratio: float = 0.15  # fraction of frames treated as selected for the diversity loss
    sparsity_weight: float = 0.0  # optional, unsupervised "paper" objective only
    #: unsupervised objective: "coverage" (default; ours: representativeness + soft diversity + budget, the
    #: scores get gradient) or "paper" (diversity + reconstruction only, as the CLIP-It paper describes it;
    #: on our coverage benchmark it does not beat random, see docs/clip_it.md)
    unsupervised_objective: str = "coverage"
    coverage_temperature: float = 0.1  # softness of the nearest-selected-frame assignment
    coverage_budget_weight: float = 1.0  # weight of |mean(s) - selection_ratio|


@dataclass
class ClipItOutput:
    scores: Tensor  # (B, n) in [0, 1]; 0 at padded frames
    hidden: Tensor  # (B, n, d_model) transformer output
    recon: Tensor  # (B, n, d_v) reconstructed frame features
    attn: Tensor | None  # (B, attn_heads, n, N) language-guided attention weights


class ClipIt(nn.Module):
    """The CLIP-It frame scorer. ``forward(frames, frame_mask, texts, text_mask) -> ClipItOutput``."""

    def __init__(self, config: ClipItConfig) -> None:
        super().__init__()
        c = self.config = config
        if c.join not in ("concat", "add"):
            raise ValueError(f"join must be 'concat' or 'add', got {c.join!r}")
        self.frame_norm = nn.LayerNorm(c.frame_dim)
        self.text_norm = nn.LayerNorm(c.text_dim)
        self.lga = MultiHeadCrossAttention(c.frame_dim, c.text_dim, c.d_model, c.attn_heads, c.dropout)
        self.frame_proj = nn.Linear(c.frame_dim, c.d_model)
        self.join_proj = nn.Linear(2 * c.d_model, c.d_model) if c.join == "concat" else None
        self.pos = PositionalEncoding(c.d_model, c.max_len, c.dropout)
        self.encoder = TransformerEncoder(c.d_model, c.heads, c.layers, c.ff, c.dropout)
        self.score_head = nn.Linear(c.d_model, 1)
        self.recon = nn.Conv1d(c.d_model, c.frame_dim, kernel_size=1)

    def forward(
        self,
        frames: Tensor,
        frame_mask: Tensor | None,
        texts: Tensor,
        text_mask: Tensor | None,
        return_attention: bool = False,
    ) -> ClipItOutput:
        """frames (B, n, d_v), texts (B, N, d_t); masks boolean True = valid (None = all valid)."""
        b, n, _ = frames.shape
        frame_mask = valid_mask(frames, frame_mask)
        text_mask = valid_mask(texts, text_mask)
        fm = frame_mask
        x = self.frame_norm(frames)
        t = self.text_norm(texts)
        res = self.lga(x, t, kv_mask=text_mask.bool(), q_mask=fm, return_weights=return_attention)
        a, w = res if isinstance(res, tuple) else (res, None)
        v = self.frame_proj(x)
        z = self.join_proj(torch.cat([a, v], dim=-1)) if self.join_proj is not None else a + v
        z = z * fm[..., None].to(z.dtype)
        h = self.encoder(self.pos(z), fm)
        scores = torch.sigmoid(self.score_head(h).squeeze(-1)) * fm.to(h.dtype)
        rin = h * scores[..., None] if self.config.score_weighted_reconstruction else h
        recon = self.recon(rin.transpose(1, 2)).transpose(1, 2)
        return ClipItOutput(scores=scores, hidden=h, recon=recon, attn=w)


# ---------------------------------------------------------------------------------------------
# losses (per video, then averaged over the batch)


def weighted_bce(scores: Tensor, labels: Tensor, mask: Tensor, pos_weight: str = "ratio") -> Tensor:
    """L_c: weighted binary cross-entropy, averaged over the valid frames of each video, then the batch."""
    m = mask.to(scores.dtype)
    y = labels.to(scores.dtype) * m
    s = scores.clamp(1e-7, 1 - 1e-7)
    if pos_weight == "ratio":
        n_pos = y.sum(1)
        n_neg = m.sum(1) - n_pos
        w = torch.where(n_pos > 0, n_neg / n_pos.clamp(min=1.0), torch.ones_like(n_pos))
    elif pos_weight == "none":
        w = torch.ones(scores.shape[0], dtype=scores.dtype, device=scores.device)
    else:
        raise ValueError(f"pos_weight must be 'ratio' or 'none', got {pos_weight!r}")
    ll = w[:, None] * y * torch.log(s) + (1 - y) * torch.log(1 - s)
    per_video = -(ll * m).sum(1) / m.sum(1).clamp(min=1.0)
    return per_video.mean()


def _selected(scores: Tensor, mask: Tensor, ratio: float) -> Tensor:
    """Boolean (B, n): top ceil(ratio * n_valid) frames by score (at least 2, at most n_valid)."""
    sel = torch.zeros_like(mask, dtype=torch.bool)
    masked = scores.detach().masked_fill(~mask.bool(), float("-inf"))
    for i in range(scores.shape[0]):
        n_valid = int(mask[i].sum())
        k = min(n_valid, max(2, math.ceil(ratio * n_valid)))
        if k:
            sel[i, torch.topk(masked[i], k).indices] = True
    return sel


def diversity_loss(recon: Tensor, selected: Tensor) -> Tensor:
    """L_d: mean pairwise cosine similarity (i != j) of the reconstructed features of selected frames."""
    r = nn.functional.normalize(recon, dim=-1, eps=1e-8)
    sim = torch.matmul(r, r.transpose(1, 2))  # (B, n, n)
    sm = selected.to(r.dtype)
    pair = sm[:, :, None] * sm[:, None, :]
    pair = pair * (1 - torch.eye(r.shape[1], dtype=r.dtype, device=r.device))[None]
    n_pairs = pair.sum((1, 2))
    per_video = (sim * pair).sum((1, 2)) / n_pairs.clamp(min=1.0)
    return per_video.mean()


def reconstruction_loss(frames: Tensor, recon: Tensor, mask: Tensor) -> Tensor:
    """L_r: mean squared error between input and reconstructed features over the valid frames."""
    m = mask.to(frames.dtype)
    se = ((frames - recon) ** 2).mean(-1)
    return ((se * m).sum(1) / m.sum(1).clamp(min=1.0)).mean()


def representativeness_loss(frames: Tensor, scores: Tensor, mask: Tensor, temperature: float) -> Tensor:
    """L_rep (ours): 1 minus the score-weighted typicality of the frames.

    Typicality rho_j = mean over valid i != j of exp((cos(x_i, x_j) - 1) / T): the share of the video that
    looks like frame j, divided by its largest value in the video (so 1 = the most typical frame).
    L_rep = 1 - sum_j s_j rho_j / sum_j s_j per video. It falls when the score mass
    sits on frames that stand for much of the video (the clean middle of a scene) rather than
    on outliers (transitions, noise); the soft diversity term keeps the mass from piling onto one scene.
    """
    x = nn.functional.normalize(frames, dim=-1, eps=1e-8)
    sim = torch.matmul(x, x.transpose(1, 2))  # (B, n, n)
    m = mask.to(x.dtype)
    n = x.shape[1]
    others = m[:, :, None] * m[:, None, :] * (1 - torch.eye(n, dtype=x.dtype, device=x.device))[None]
    rho = (torch.exp((sim - 1) / temperature) * others).sum(1) / others.sum(1).clamp(min=1.0)  # (B, n)
    rho = (rho / rho.amax(1, keepdim=True).clamp(min=1e-12)).detach()  # 1 = the most typical frame
    sm = scores * m
    typical = (sm * rho).sum(1) / sm.sum(1).clamp(min=1e-8)
    return (1 - typical).mean()


def soft_diversity_loss(frames: Tensor, scores: Tensor, mask: Tensor) -> Tensor:
    """L_sdiv (ours): score-weighted mean pairwise cosine of the input frames,
    sum_{i != j} s_i s_j cos(x_i, x_j) / sum_{i != j} s_i s_j: high scores on near-duplicates cost."""
    x = nn.functional.normalize(frames, dim=-1, eps=1e-8)
    sim = torch.matmul(x, x.transpose(1, 2))
    s = scores * mask.to(scores.dtype)
    pair = s[:, :, None] * s[:, None, :] * (1 - torch.eye(x.shape[1], dtype=x.dtype, device=x.device))[None]
    return ((sim * pair).sum((1, 2)) / pair.sum((1, 2)).clamp(min=1e-8)).mean()


def coverage_losses(
    out: ClipItOutput, frames: Tensor, frame_mask: Tensor, config: ClipItConfig
) -> dict[str, Tensor]:
    """The unsupervised "coverage" objective (ours; no labels read): keys total, rep, sdiv, budget.

    total = L_rep + beta * L_sdiv + coverage_budget_weight * |mean(s) - selection_ratio|."""
    c = config
    fm = frame_mask.bool()
    m = fm.to(out.scores.dtype)
    terms = {
        "rep": representativeness_loss(frames, out.scores, fm, c.coverage_temperature),
        "sdiv": soft_diversity_loss(frames, out.scores, fm),
        "budget": ((out.scores * m).sum(1) / m.sum(1).clamp(min=1.0) - c.selection_ratio).abs().mean(),
    }
    terms["total"] = terms["rep"] + c.beta * terms["sdiv"] + c.coverage_budget_weight * terms["budget"]
    return terms


def clip_it_losses(
    out: ClipItOutput, frames: Tensor, frame_mask: Tensor, labels: Tensor | None, config: ClipItConfig
) -> dict[str, Tensor]:
    """All loss terms and their weighted ``total`` (keys: total, cls, div, rec[, sparsity]; or, unsupervised
    with the "coverage" objective, those of :func:`coverage_losses`). ``labels`` are read only when
    ``config.supervised``."""
    c = config
    if not c.supervised and c.unsupervised_objective == "coverage":
        return coverage_losses(out, frames, frame_mask, c)
    if not c.supervised and c.unsupervised_objective != "paper":
        raise ValueError(
            f"unsupervised_objective must be 'coverage' or 'paper', got {c.unsupervised_objective!r}"
        )
    fm = frame_mask.bool()
    sel = _selected(out.scores, fm, c.selection_ratio)
    terms: dict[str, Tensor] = {
        "div": diversity_loss(out.recon, sel),
        "rec": reconstruction_loss(frames, out.recon, fm),
    }
    total = c.beta * terms["div"] + c.lam * terms["rec"]
    if c.supervised:
        if labels is None:
            raise ValueError("supervised CLIP-It training needs labels")
        terms["cls"] = weighted_bce(out.scores, labels, fm, c.pos_weight)
        total = total + c.alpha * terms["cls"]
    elif c.sparsity_weight > 0:
        m = fm.to(out.scores.dtype)
        mean_s = (out.scores * m).sum(1) / m.sum(1).clamp(min=1.0)
        terms["sparsity"] = (mean_s - c.selection_ratio).abs().mean()
        total = total + c.sparsity_weight * terms["sparsity"]
    terms["total"] = total
    return terms
