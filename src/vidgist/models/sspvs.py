"""SSPVS: multimodal self-supervised pretraining and progressive video summarization.

Li, Ke, Gong & Drummond, "Progressive Video Summarization via Multimodal Self-supervised Learning",
WACV 2023 (arXiv 2201.02494). Pure torch, no I/O: the text encoder is any Hugging Face BERT-style model
passed in already built (loading lives in :mod:`vidgist.backbones.hf_text`).

Video encoder (:class:`VideoEncoder`)
-------------------------------------
A learnable CLS token is prepended to the frame features ``x`` (B, n, d); ``pe_weight`` times the
sinusoidal positional encoding is added (1.0 in pretraining, 0.1 in fine-tuning), dropout, then a
post-LayerNorm ReLU transformer encoder (``layers`` x ``heads``, width ``d`` = the feature width, feed-forward
``ff_mult * d``) from :mod:`vidgist.models.blocks`. Returns the CLS output (B, d) and the step outputs
(B, n, d). Padded steps are masked out of attention (fix of the reference, which has no padding masks),
and each layer is initialised independently (the reference's layers start as identical copies).

Pretraining (:class:`SSPVSPretrainer`, :func:`pretrain_losses`)
-------------------------------------------------------------
1. Coarse video-text consistency: ``g = tanh(W_g CLS)``; an MLP on ``[pooled text; g]``
   (-> ``match_hidden`` -> ``match_hidden2`` -> 1, ReLU, dropout) gives the logit of "same video";
   ``L_bce`` = binary cross-entropy with the pair label ``y``.
2. Fine-grained consistency: token outputs projected to the video width (``d_t -> d_t -> ReLU -> d``)
   (``MLP_tau``, the authors' ``project_t_v``) and step outputs, both L2-normalised; ``h`` = symmetric
   Hausdorff distance between the two sets (valid tokens and valid steps only; :func:`hausdorff_distance`);
   ``L_con = y h^2 + (1 - y) max(0, m - h)^2`` with ``m = sqrt(2)`` (:func:`consistency_loss`).
3. Masked frame recovery: one step per clip is replaced by a learnable mask token. Prediction =
   ``w_1 * ReLU(W_g' e) + w_2 * local``, ``e`` the encoder output at the step,
   ``(w_1, w_2) = softmax(W_2 ReLU(W_1 e))`` with ``W_1``: d -> d/2 (the authors' gate),
   ``local`` = a separate 1-layer transformer over the ``local_window`` (9) inputs around the step
   (mask token in the middle, zero-padded and masked at the clip's edges), output at the centre
   through ``ReLU(W_l .)`` (the authors' local decoder). ``L_mse`` = mean squared error to the original
   feature.
Total: ``w_bce L_bce + w_mse L_mse + w_con L_con`` (1, 5, 1 as in the reference).

Progressive summarizer (:class:`SSPVSSummarizer`)
-------------------------------------------------
``F_1 = x``; stage ``i``: ``G_i`` = encoder(F_i) without CLS (one encoder shared by all stages);
``s_i = sigmoid(W_i Dropout_i(G_i + F_i [+ MLP_tau(pooled text) at stage 1]))``;
``F_{i+1} = F_i * (1 + s_i)``. Final score ``s* = prod_i s_i`` (no detach between stages). ``MLP_tau``
(d_t -> d_t -> ReLU -> d) has the pretraining token projection's shape, so fine-tuning starts it from the
pretrained one. Loss (:func:`summary_loss`): MSE between ``s*`` and the target over valid steps; the
target is the video's gtscore divided by its maximum (``gtscore / max``; the reference uses the eccv16
gtscore as stored, which is already in [0, 1]). ``stage_dropout`` (0.1, the authors' value) is honoured
per stage. Padded steps score 0 and never change real steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn
from torch.nn import functional as F  # noqa: N812

from vidgist.models.blocks import PositionalEncoding, TransformerEncoder, valid_mask
from vidgist.models.config import DictConfig

__all__ = [
    "SSPVSConfig",
    "VideoEncoder",
    "TextEncoder",
    "SSPVSPretrainer",
    "PretrainOutput",
    "SSPVSSummarizer",
    "SummaryOutput",
    "hausdorff_distance",
    "consistency_loss",
    "recovery_loss",
    "pretrain_losses",
    "summary_loss",
]


@dataclass
class SSPVSConfig(DictConfig):
    """Hyper-parameters of the SSPVS encoder, pretraining heads and progressive summarizer."""

    frame_dim: int = 1024  # d: model width = feature width
    text_dim: int = 0  # d_t of the text encoder (0 = no text encoder)
    heads: int = 8
    layers: int = 3
    ff_mult: int = 4
    dropout: float = 0.1
    pe_weight: float = 1.0  # 1.0 pretraining, 0.1 fine-tuning
    max_len: int = 2048  # precomputed positional table (longer sequences still work)
    # pretraining heads
    match_hidden: int = 1024
    match_hidden2: int = 512
    local_window: int = 9
    margin: float = math.sqrt(2.0)
    w_bce: float = 1.0
    w_mse: float = 5.0
    w_con: float = 1.0
    # progressive summarizer
    stages: int = 3
    stage_dropout: list[float] = field(default_factory=lambda: [0.1])  # one value, or one per stage
    text_guidance: bool = False

    def dropout_of_stage(self, i: int) -> float:
        """Dropout before the score head of stage ``i`` (the last value repeats)."""
        ds = list(self.stage_dropout) or [0.0]
        return float(ds[min(i, len(ds) - 1)])


class VideoEncoder(nn.Module):
    """CLS + weighted sinusoidal PE + transformer encoder.

    ``forward(x, mask) -> (cls (B, d), steps (B, n, d))``."""

    def __init__(self, c: SSPVSConfig) -> None:
        super().__init__()
        d = c.frame_dim
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.pos = PositionalEncoding(d, c.max_len, c.dropout, scale=c.pe_weight)
        self.encoder = TransformerEncoder(d, c.heads, c.layers, c.ff_mult * d, c.dropout)

    def forward(self, x: Tensor, mask: Tensor | None = None) -> tuple[Tensor, Tensor]:
        m = valid_mask(x, mask)
        x = x * m[..., None].to(x.dtype)
        z = torch.cat([self.cls.expand(x.shape[0], 1, -1).to(x.dtype), x], dim=1)
        zm = torch.cat([torch.ones_like(m[:, :1]), m], dim=1)
        h = self.encoder(self.pos(z), zm)
        return h[:, 0], h[:, 1:]


class TextEncoder(nn.Module):
    """Wraps a built Hugging Face encoder (BERT, MiniLM, ...): ``forward(ids, mask) -> (pooled, tokens)``.

    ``pooled`` (B, d_t) is the model's pooler output (BERT: tanh(W CLS)), or the first token's state for
    models without a pooler; ``tokens`` (B, T, d_t) the last hidden states. ``mask`` True/1 = real token.
    """

    def __init__(self, hf_model: nn.Module) -> None:
        super().__init__()
        self.hf = hf_model
        self.dim = int(getattr(hf_model, "config").hidden_size)  # noqa: B009
        self.frozen = False

    def freeze_but_pooler(self) -> None:
        """Fine-tuning: no gradients except in the pooler (if any); the encoder stays in eval mode."""
        self.frozen = True
        for name, p in self.hf.named_parameters():
            p.requires_grad = name.startswith("pooler.")

    def train(self, mode: bool = True) -> TextEncoder:
        super().train(mode)
        if self.frozen:
            self.hf.eval()
        return self

    def forward(self, ids: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        out = self.hf(input_ids=ids, attention_mask=mask.long())
        tokens = out.last_hidden_state
        pooled = getattr(out, "pooler_output", None)
        return (pooled if pooled is not None else tokens[:, 0]), tokens


@dataclass
class PretrainOutput:
    match_logit: Tensor  # (B,) logit of "this text belongs to this clip"
    frame_emb: Tensor  # (B, n, d) L2-normalised step outputs
    token_emb: Tensor  # (B, T, d) L2-normalised projected token outputs
    recon: Tensor  # (B, d) recovered feature at the masked step
    gate: Tensor  # (B, 2) weights of the global and local branches


class SSPVSPretrainer(nn.Module):
    """The three pretraining heads over a :class:`VideoEncoder` and a :class:`TextEncoder`."""

    def __init__(self, c: SSPVSConfig, text: TextEncoder) -> None:
        super().__init__()
        self.config = c
        d, dt = c.frame_dim, text.dim
        if c.text_dim and c.text_dim != dt:
            raise ValueError(f"config text_dim={c.text_dim} but the text encoder gives {dt}")
        c.text_dim = dt
        self.video = VideoEncoder(c)
        self.text = text
        self.g_proj = nn.Linear(d, d)
        self.match = nn.Sequential(
            nn.Linear(dt + d, c.match_hidden),
            nn.ReLU(),
            nn.Dropout(c.dropout),
            nn.Linear(c.match_hidden, c.match_hidden2),
            nn.ReLU(),
            nn.Dropout(c.dropout),
            nn.Linear(c.match_hidden2, 1),
        )
        self.tok_proj = nn.Sequential(nn.Linear(dt, dt), nn.ReLU(), nn.Linear(dt, d))
        self.mask_token = nn.Parameter(torch.randn(d) * 0.02)
        self.global_head = nn.Sequential(nn.Linear(d, d), nn.ReLU())
        self.local_pos = PositionalEncoding(d, c.local_window, 0.0, scale=c.pe_weight)
        self.local = TransformerEncoder(d, c.heads, 1, c.ff_mult * d, c.dropout)
        self.local_out = nn.Sequential(nn.Linear(d, d), nn.ReLU())
        self.gate = nn.Sequential(nn.Linear(d, max(1, d // 2)), nn.ReLU(), nn.Linear(max(1, d // 2), 2))

    def _local(self, xm: Tensor, mask: Tensor, pos: Tensor) -> Tensor:
        """Output at the centre of a 1-layer transformer over the window of inputs around ``pos``."""
        w = self.config.local_window
        half = w // 2
        b, n, d = xm.shape
        padded = F.pad(xm, (0, 0, half, half))
        pm = F.pad(mask, (half, half), value=False)
        idx = pos[:, None] + torch.arange(w, device=xm.device)[None]  # (B, w) into the padded sequence
        win = torch.gather(padded, 1, idx[..., None].expand(b, w, d))
        wm = torch.gather(pm, 1, idx)
        h = self.local(self.local_pos(win * wm[..., None].to(win.dtype)), wm)
        return self.local_out(h[:, half])

    def forward(
        self, frames: Tensor, frame_mask: Tensor | None, ids: Tensor, text_mask: Tensor, mask_pos: Tensor
    ) -> PretrainOutput:
        """frames (B, n, d); ids/text_mask (B, T); ``mask_pos`` (B,): index of the masked (valid) step."""
        m = valid_mask(frames, frame_mask)
        b = frames.shape[0]
        rows = torch.arange(b, device=frames.device)
        xm = frames.clone()
        xm[rows, mask_pos] = self.mask_token.to(frames.dtype)
        cls, steps = self.video(xm, m)
        pooled, tokens = self.text(ids, text_mask)
        g = torch.tanh(self.g_proj(cls))
        logit = self.match(torch.cat([pooled, g], dim=-1)).squeeze(-1)
        frame_emb = F.normalize(steps, dim=-1, eps=1e-8)
        token_emb = F.normalize(self.tok_proj(tokens), dim=-1, eps=1e-8)
        e = steps[rows, mask_pos]
        gate = torch.softmax(self.gate(e), dim=-1)
        recon = gate[:, :1] * self.global_head(e) + gate[:, 1:] * self._local(xm, m, mask_pos)
        return PretrainOutput(logit, frame_emb, token_emb, recon, gate)


def hausdorff_distance(
    a: Tensor, b: Tensor, a_mask: Tensor | None = None, b_mask: Tensor | None = None
) -> Tensor:
    """Symmetric Hausdorff distance between point sets ``a`` (B, n, d) and ``b`` (B, m, d), per batch row.

    ``H(A, B) = max(max_{a in A} min_{b in B} |a - b|, max_{b in B} min_{a in A} |a - b|)`` over valid
    points only (masks True = valid; None = all valid).
    """
    am, bm = valid_mask(a, a_mask), valid_mask(b, b_mask)
    dist = torch.cdist(a, b)  # (B, n, m)
    big = torch.finfo(dist.dtype).max
    pair = am[:, :, None] & bm[:, None, :]
    d_ab = dist.masked_fill(~pair, big).min(dim=2).values.masked_fill(~am, 0.0).max(dim=1).values
    d_ba = dist.masked_fill(~pair, big).min(dim=1).values.masked_fill(~bm, 0.0).max(dim=1).values
    return torch.maximum(d_ab, d_ba)


def consistency_loss(h: Tensor, y: Tensor, margin: float = math.sqrt(2.0)) -> Tensor:
    """Contrastive loss on distances: mean of ``y h^2 + (1 - y) max(0, margin - h)^2``."""
    y = y.to(h.dtype)
    return (y * h**2 + (1 - y) * F.relu(margin - h) ** 2).mean()


def recovery_loss(pred: Tensor, target: Tensor) -> Tensor:
    """Masked frame recovery: mean squared error between predicted and original features."""
    return F.mse_loss(pred, target)


def pretrain_losses(
    out: PretrainOutput, target: Tensor, y: Tensor, frame_mask: Tensor, text_mask: Tensor, c: SSPVSConfig
) -> dict[str, Tensor]:
    """Terms ``bce``, ``con``, ``mse`` and ``total = w_bce bce + w_mse mse + w_con con``.

    ``target`` (B, d) is the original feature at the masked step, ``y`` (B,) 1 for a matched pair."""
    yf = y.to(out.match_logit.dtype)
    bce = F.binary_cross_entropy_with_logits(out.match_logit, yf)
    h = hausdorff_distance(out.token_emb, out.frame_emb, text_mask.bool(), frame_mask.bool())
    con = consistency_loss(h, yf, c.margin)
    mse = recovery_loss(out.recon, target)
    total = c.w_bce * bce + c.w_mse * mse + c.w_con * con
    return {"total": total, "bce": bce, "con": con, "mse": mse}


@dataclass
class SummaryOutput:
    scores: Tensor  # (B, n) final s* in [0, 1]; 0 at padded steps
    stage_scores: list[Tensor]  # s_1 .. s_N, each (B, n)


class SSPVSSummarizer(nn.Module):
    """Progressive summarizer: ``forward(frames, frame_mask, ids=None, text_mask=None) -> SummaryOutput``."""

    def __init__(self, c: SSPVSConfig, text: TextEncoder | None = None) -> None:
        super().__init__()
        self.config = c
        if c.stages < 1:
            raise ValueError(f"stages must be >= 1, got {c.stages}")
        if c.text_guidance and text is None:
            raise ValueError("text_guidance needs a text encoder")
        d = c.frame_dim
        self.encoder = VideoEncoder(c)
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Dropout(c.dropout_of_stage(i)), nn.Linear(d, 1)) for i in range(c.stages)
        )
        self.text = text if c.text_guidance else None
        if self.text is not None:
            c.text_dim = self.text.dim
            dt = self.text.dim
            self.text_proj: nn.Module | None = nn.Sequential(nn.Linear(dt, dt), nn.ReLU(), nn.Linear(dt, d))
        else:
            self.text_proj = None

    def forward(
        self,
        frames: Tensor,
        frame_mask: Tensor | None = None,
        ids: Tensor | None = None,
        text_mask: Tensor | None = None,
    ) -> SummaryOutput:
        m = valid_mask(frames, frame_mask)
        mf = m.to(frames.dtype)
        f = frames * mf[..., None]
        guide = None
        if self.text is not None and self.text_proj is not None:
            if ids is None or text_mask is None:
                raise ValueError("this summarizer was trained with text guidance; pass ids and text_mask")
            pooled, _ = self.text(ids, text_mask)
            guide = self.text_proj(pooled)[:, None, :]
        final = mf
        stages: list[Tensor] = []
        for i, head in enumerate(self.heads):
            _, g = self.encoder(f, m)
            z = g + f
            if i == 0 and guide is not None:
                z = z + guide
            s = torch.sigmoid(head(z).squeeze(-1)) * mf
            stages.append(s)
            final = final * s
            f = f * (1 + s[..., None])
        return SummaryOutput(final, stages)


def summary_loss(scores: Tensor, target: Tensor, mask: Tensor) -> Tensor:
    """MSE between ``s*`` and the target (gtscore / max) over valid steps (mean per video, then batch)."""
    mf = mask.to(scores.dtype)
    se = (scores - target.to(scores.dtype)) ** 2 * mf
    return (se.sum(1) / mf.sum(1).clamp(min=1.0)).mean()
